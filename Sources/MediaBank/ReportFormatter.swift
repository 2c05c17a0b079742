public import Foundation

/// Renders a `BankReport` or a `NationalReport` as Markdown (Vietnamese, English in
/// parentheses), CSV (UTF-8 with a byte order mark) or JSON.
public enum ReportFormatter {
  /// A report as pretty JSON, keys sorted, with a final line break.
  public static func json(_ value: some Encodable) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(value) + Data("\n".utf8)
  }

  /// A province's report as Markdown: Vietnamese, English in parentheses.
  public static func markdown(_ report: BankReport) -> String {
    var out = "# Báo cáo ngân hàng dữ liệu hình ảnh năm \(report.year) (Media bank report \(report.year))\n\n"
    if let name = report.bankName { out += "- Đơn vị (Bank): \(name)\n" }
    if let province = report.provinceTitle {
      out +=
        report.sourceBank == nil
        ? "- Tỉnh/thành phố (Province): \(province)\n" : "- Tỉnh gửi dữ liệu (Contributed by): \(province)\n"
    }
    out += "- Tổng số tư liệu đang lưu giữ cuối năm (Assets held at year end): \(report.total)\n"
    out += "- Bổ sung trong năm (Added during the year): \(report.added)\n"
    out += "- Chụp trong năm (Captured during the year): \(report.captured)\n"
    out += "- Đã rút lại, không tính vào số đang lưu giữ (Retracted, not held): \(report.retracted)"
    out += " (trong năm (during the year): \(report.retractedInYear))\n"
    if let deleted = report.deleted {
      out += "- Đã xóa, không tính vào số đang lưu giữ (Deleted, not held): \(deleted)"
      out += " (trong năm (during the year): \(report.deletedInYear ?? 0))\n"
    }
    out += "- Tư liệu còn gắn nhãn gợi ý, chưa xác nhận (Assets with unconfirmed suggestions): \(report.unconfirmed)\n"
    out += "- Ảnh hỏng dữ liệu điểm ảnh, vẫn lưu giữ (Damaged photos, held): \(report.damaged)"
    out += " (trong năm (during the year): \(report.damagedInYear))\n"
    out += "- Bộ trụ cột hình ảnh (Pillar vocabulary): \(report.pillarVocabulary)\n\n"
    func table(_ title: String, _ rows: [BankReport.Row]) {
      out += "## \(title)\n\n| Mã (Code) | Tên (Name) | Bổ sung (Added) | Chụp trong năm (Captured) | Tổng (Total) |\n"
      out += "|---|---|---:|---:|---:|\n"
      for row in rows {
        let key = row.key == BankReport.noneKey ? "—" : row.key
        out += "| \(key) | \(row.label) | \(row.added) | \(row.captured) | \(row.total) |\n"
      }
      out += "\n"
    }
    table("Theo trụ cột hình ảnh (By image pillar)", report.pillars)
    table("Theo ngôn ngữ (By language)", report.languages)
    table("Theo tỉnh/thành phố (By province)", report.provinces)
    table("Theo xã/phường (By commune)", report.communes)
    table("Theo loại tư liệu (By kind)", report.kinds)
    out += "## Theo năm chụp (By year of capture)\n\n| Năm chụp (Year of capture) | Bổ sung (Added) | Tổng (Total) |\n"
    out += "|---|---:|---:|\n"
    for row in report.captureYears {
      out += "| \(row.key == BankReport.noneKey ? row.label : row.key) | \(row.added) | \(row.total) |\n"
    }
    out += "\n## Khoảng trống: trụ cột × ngôn ngữ chưa có tư liệu (Gaps: pillar × language with no asset)\n\n"
    let languages =
      BankReport.gapLanguages + Set(report.gaps.map(\.language)).subtracting(BankReport.gapLanguages).sorted()
    out += "| Trụ cột (Pillar) | " + languages.joined(separator: " | ") + " |\n"
    out += "|---|" + languages.map { _ in ":---:" }.joined(separator: "|") + "|\n"
    let missing = Set(report.gaps.map { "\($0.pillar)|\($0.language)" })
    for pillar in report.pillars where pillar.parent == nil && pillar.retired != true {
      out += "| \(pillar.labelVi ?? pillar.key) (\(pillar.key)) | "
      out += languages.map { missing.contains("\(pillar.key)|\($0)") ? "—" : "✓" }.joined(separator: " | ") + " |\n"
    }
    return out
  }

  /// The byte order mark that tells spreadsheet programs the file is UTF-8.
  static let byteOrderMark = "\u{FEFF}"

  /// The columns of the provincial CSV; the national one adds `source_bank`.
  static let columns = "table,key,label_vi,label_en,added,captured,total,parent,status"

  /// A CSV field, quoted when it holds a comma, a quote or a line break.
  static func field(_ value: String?) -> String {
    guard let value else { return "" }
    return value.contains(where: { ",\"\n\r".contains($0) })
      ? "\"\(value.replacingOccurrences(of: "\"", with: "\"\""))\"" : value
  }

  /// The lines of a provincial report, without the header: the totals as `summary` rows, then
  /// the tables, then the gaps.
  static func csvLines(_ report: BankReport) -> [String] {
    func line(
      _ table: String, _ key: String, _ vi: String?, _ en: String?, added: Int?, captured: Int?, total: Int?,
      parent: String? = nil, status: String = ""
    ) -> String {
      [
        table, field(key), field(vi), field(en), added.map(String.init) ?? "", captured.map(String.init) ?? "",
        total.map(String.init) ?? "", field(parent), status,
      ].joined(separator: ",")
    }
    var lines = [
      line(
        "summary", "held", "Tư liệu đang lưu giữ cuối năm", "Assets held at year end", added: report.added,
        captured: report.captured, total: report.total),
      line(
        "summary", "retracted", "Đã rút lại", "Retracted", added: report.retractedInYear, captured: nil,
        total: report.retracted, status: "not held"),
    ]
    if let deleted = report.deleted {
      lines.append(
        line(
          "summary", "deleted", "Đã xóa", "Deleted", added: report.deletedInYear, captured: nil, total: deleted,
          status: "not held"))
    }
    lines.append(
      line(
        "summary", "unconfirmed", "Còn gắn nhãn gợi ý, chưa xác nhận", "With unconfirmed suggestions", added: nil,
        captured: nil, total: report.unconfirmed))
    lines.append(
      line(
        "summary", "damaged", "Ảnh hỏng dữ liệu điểm ảnh, vẫn lưu giữ", "Damaged photos, held",
        added: report.damagedInYear, captured: nil, total: report.damaged))
    for (name, rows) in [
      ("pillar", report.pillars), ("language", report.languages), ("province", report.provinces),
      ("commune", report.communes), ("kind", report.kinds), ("capture_year", report.captureYears),
    ] {
      for row in rows {
        lines.append(
          line(
            name, row.key, row.labelVi, row.labelEn, added: row.added, captured: row.captured, total: row.total,
            parent: row.parent, status: row.retired == true ? "retired" : ""))
      }
    }
    for gap in report.gaps { lines.append("gap,\(gap.pillar)|\(gap.language),,,0,0,0,,") }
    return lines
  }

  /// A province's report as CSV (UTF-8 with a byte order mark, for spreadsheets).
  public static func csv(_ report: BankReport) -> String {
    byteOrderMark + ([columns] + csvLines(report)).joined(separator: "\n") + "\n"
  }

  /// The national report as Markdown.
  public static func markdown(_ report: NationalReport) -> String {
    var out = "# Báo cáo quốc gia năm \(report.year) (National report \(report.year))\n\n"
    out += "- Số tư liệu khác nhau (Distinct assets): \(report.assets)\n"
    out += "- Số tỉnh đã gửi (Provinces contributing): \(report.provinces.count)\n\n"
    out += "| Tỉnh (Province) | Tư liệu (Assets) | Nhận trong năm (Received in the year) | Đã rút lại (Retracted) "
    out += "| Gói đã nhận (Bundles) | Lần nhận cuối (Last received) |\n|---|---:|---:|---:|---:|---|\n"
    for province in report.provinces {
      out +=
        "| \(province.code) \(province.name ?? "") | \(province.assets) | \(province.added) | \(province.retracted) "
      out += "| \(province.bundles) | \(province.lastReceivedAt ?? "—") |\n"
    }
    out += "\n## Tỉnh chưa gửi trong năm (Provinces that sent nothing in the year)\n\n"
    out += report.silent.isEmpty ? "Không có (None).\n" : report.silent.map { "- \($0.code) \($0.name)\n" }.joined()
    out += "\n## Tỉnh không gửi gì trong \(NationalReport.quietDays) ngày (Provinces that sent nothing for "
    out += "\(NationalReport.quietDays) days), tính đến (to) \(report.asOf)\n\n"
    out +=
      report.quiet.isEmpty
      ? "Không có (None).\n"
      : report.quiet.map {
        "- \($0.code) \($0.name): \($0.lastReceivedAt.map { "gói cuối (last bundle) \($0.prefix(10))" } ?? "chưa từng gửi (never sent)")\n"
      }.joined()
    out += "\n## Theo tháng (By month)\n\n| Tháng (Month) | Gói (Bundles) | Bản ghi (Records) |\n|---|---:|---:|\n"
    for month in report.months { out += "| \(month.month) | \(month.bundles) | \(month.records) |\n" }
    func counts(_ values: [String: Int]) -> String {
      values.isEmpty
        ? "—"
        : values.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }.joined(
          separator: ", ")
    }
    for province in report.provinces {
      out += "\n## \(province.code) \(province.name ?? "")\n\n"
      out += "- Theo trụ cột (By pillar): \(counts(province.pillars))\n"
      out += "- Theo ngôn ngữ (By language): \(counts(province.languages))\n"
      out += "- Theo loại (By kind): \(counts(province.kinds))\n"
    }
    return out
  }

  /// The national CSV: the provincial columns and `source_bank`; each province's report, the
  /// national totals (`source_bank` empty), a `silent` row per province that sent nothing in the
  /// year, a `quiet` row per province that sent nothing for 90 days, and a `month` row per month
  /// (the records received, in `added` and `total`; the bundles in `status`).
  public static func csv(_ report: NationalReport, provinces: [BankReport]) -> String {
    var lines = [columns + ",source_bank"]
    lines.append("summary,distinct_assets,Số tư liệu khác nhau,Distinct assets,,,\(report.assets),,,")
    lines.append("summary,provinces,Số tỉnh đã gửi,Provinces contributing,,,\(report.provinces.count),,,")
    for province in provinces {
      let code = field(province.sourceBank ?? province.province)
      lines += csvLines(province).map { $0 + "," + code }
    }
    for silent in report.silent {
      lines.append("silent,\(silent.code),\(field(silent.name)),,0,0,0,,no bundle in the year,\(silent.code)")
    }
    for quiet in report.quiet {
      lines.append(
        "quiet,\(quiet.code),\(field(quiet.name)),,0,0,0,,no bundle for \(NationalReport.quietDays) days,\(quiet.code)")
    }
    for month in report.months {
      lines.append("month,\(month.month),,,\(month.records),,\(month.records),,\(month.bundles) bundles,")
    }
    return byteOrderMark + lines.joined(separator: "\n") + "\n"
  }
}
