import ArgumentParser
import Foundation
import Glibc
import MediaBank
import SystemIO

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "The yearly report to the ministry: assets per pillar, language, locality and kind.",
    discussion: """
      Counts the assets held at the end of the year, those added during it and those captured \
      during it (by capture date, else by a year in their folder names: an archive imported this \
      year is not this year's production), per image pillar, language, province, commune, kind \
      and year of capture, and lists the pillar × language cells with no asset (the gap table: \
      what to produce next). Retracted and deleted assets are not held: they have their own \
      line. Province and commune rows carry their names, and a `chưa xác định (no locality)` row \
      makes each table add up to the assets held. Only confirmed tags count; assets whose tags \
      are still suggestions are counted apart (see `mediabank review`).

      Formats: md (Vietnamese, English in parentheses), csv (UTF-8 with a byte order mark, the \
      totals as `summary` rows), json, docx (a Word document in the administrative format of \
      Decree 30/2020/NĐ-CP: issuing body, national title and motto, number, place and date, \
      subject, sections with tables, recipients, signature block) and pdf (the same document \
      converted by LibreOffice, `soffice --headless`; Debian package libreoffice-writer-nogui). \
      docx and pdf are written to --out FILE, or to standard output when it is not a terminal.

      A provincial bank reports on itself. The national bank reports on the provinces \
      (--national: what each contributes, and the provinces that sent nothing in the year), or on \
      one province's contribution (--source-bank CODE); with --format csv, --national lists every \
      province's rows with the provincial columns and `source_bank`. A year that has not begun is \
      refused.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case md, csv, json, docx, pdf

    var isBinary: Bool { self == .docx || self == .pdf }
  }

  @OptionGroup var bankOptions: BankOptions

  @Option(help: ArgumentHelp("The reporting year (this year or an earlier one).", valueName: "year"))
  var year: Int = Calendar(identifier: .gregorian).component(.year, from: Date())

  @Option(help: "Output format: md, csv, json, docx or pdf.")
  var format: Format = .md

  @Option(
    help: ArgumentHelp(
      "Write the report to this file instead of standard output (needed for docx and pdf on a terminal).",
      valueName: "file"))
  var out: String?

  @Flag(
    help:
      "On the national bank: per province, assets per pillar, language and kind, bundles received; the provinces that sent nothing."
  )
  var national = false

  @Option(
    name: .customLong("source-bank"),
    help: ArgumentHelp("On the national bank: the report of what this province contributed.", valueName: "code"))
  var sourceBank: String?

  func validate() throws {
    guard (2000...2100).contains(year) else { throw ValidationError("--year must be a year such as 2026") }
    do {
      try BankReport.checkYear(year)
    } catch {
      throw ValidationError("--year: \(error.reason)")
    }
    if national, sourceBank != nil { throw ValidationError("give --national or --source-bank, not both") }
    if format.isBinary, out == nil, isatty(STDOUT_FILENO) == 1 {
      throw ValidationError(
        "--format \(format.rawValue) writes a binary document: give --out FILE, or redirect the output")
    }
  }

  func run() throws {
    let library = try bankOptions.open(create: false)
    let output: Data
    if national {
      let report = try fatalOnError { try library.nationalReport(year: year) }
      switch format {
      case .json: output = try ReportFormatter.json(report)
      case .csv:
        let reports = try fatalOnError { try library.contributionReports(year: year) }
        output = Data(ReportFormatter.csv(report, provinces: reports).utf8)
      case .md: output = Data(ReportFormatter.markdown(report).utf8)
      case .docx, .pdf:
        let name = try fatalOnError { try library.identity().name }
        output = try fatalOnError { try document(ReportDocument.docx(report, bankName: name)) }
      }
    } else {
      let report = try fatalOnError { try library.report(year: year, sourceBank: sourceBank) }
      switch format {
      case .json: output = try ReportFormatter.json(report)
      case .csv: output = Data(ReportFormatter.csv(report).utf8)
      case .md: output = Data(ReportFormatter.markdown(report).utf8)
      case .docx, .pdf: output = try fatalOnError { try document(ReportDocument.docx(report)) }
      }
    }
    do {
      if let out {
        try IO.writeAtomically(output, to: out)
      } else {
        try IO.writeToStandardOutput(output)
      }
    } catch {
      printError("error: \(out ?? "standard output"): cannot write the report: \(error.reason)")
      throw Status.fatal
    }
  }

  /// The document in the chosen format: the `.docx` as it is, or converted to PDF.
  private func document(_ docx: Data) throws(MediaBankError) -> Data {
    format == .pdf ? try ReportDocument.pdf(fromDOCX: docx) : docx
  }
}

/// Renders a `BankReport` or a `NationalReport` as Markdown (Vietnamese, English in
/// parentheses), CSV (UTF-8 with a byte order mark) or JSON.
enum ReportFormatter {
  static func json(_ value: some Encodable) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(value) + Data("\n".utf8)
  }

  static func markdown(_ report: BankReport) -> String {
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

  static func csv(_ report: BankReport) -> String {
    byteOrderMark + ([columns] + csvLines(report)).joined(separator: "\n") + "\n"
  }

  static func markdown(_ report: NationalReport) -> String {
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
  /// national totals (`source_bank` empty), and a `silent` row per province that sent nothing.
  static func csv(_ report: NationalReport, provinces: [BankReport]) -> String {
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
    return byteOrderMark + lines.joined(separator: "\n") + "\n"
  }
}
