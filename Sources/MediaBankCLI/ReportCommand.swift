import ArgumentParser
import Foundation
import MediaBank

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "The yearly report to the ministry: assets per pillar, language, locality and kind.",
    discussion: """
      Counts the assets held at the end of the year and those added during it, per image pillar, \
      language, province, commune and kind, and lists the pillar × language cells with no asset \
      (the gap table: what to produce next). Only confirmed tags count; assets whose tags are \
      still suggestions are counted apart (see `mediabank review`). Markdown is written in \
      Vietnamese with English in parentheses.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case md, csv, json
  }

  @OptionGroup var bankOptions: BankOptions

  @Option(help: ArgumentHelp("The reporting year.", valueName: "year"))
  var year: Int = Calendar(identifier: .gregorian).component(.year, from: Date())

  @Option(help: "Output format: md, csv or json.")
  var format: Format = .md

  @Flag(help: "On the national bank: per province, assets per pillar, language and kind, bundles received.")
  var national = false

  @Option(
    name: .customLong("source-bank"),
    help: ArgumentHelp("On the national bank: the report of what this province contributed.", valueName: "code"))
  var sourceBank: String?

  func validate() throws {
    guard (2000...2100).contains(year) else { throw ValidationError("--year must be a year such as 2026") }
  }

  func run() throws {
    let library = try bankOptions.open(create: false)
    if national {
      let report = try fatalOnError { try library.nationalReport(year: year) }
      switch format {
      case .json: try printJSON(report)
      case .csv: print(ReportFormatter.csv(report), terminator: "")
      case .md: print(ReportFormatter.markdown(report), terminator: "")
      }
      return
    }
    let report = try fatalOnError { try library.report(year: year, sourceBank: sourceBank) }
    switch format {
    case .json: try printJSON(report)
    case .csv: print(ReportFormatter.csv(report), terminator: "")
    case .md: print(ReportFormatter.markdown(report), terminator: "")
    }
  }
}

/// Renders a `BankReport` as Markdown (Vietnamese, English in parentheses) or CSV.
enum ReportFormatter {
  static func markdown(_ report: BankReport) -> String {
    var out = "# Báo cáo ngân hàng dữ liệu hình ảnh năm \(report.year) (Media bank report \(report.year))\n\n"
    if let name = report.bankName { out += "- Đơn vị (Bank): \(name)\n" }
    if let province = report.province { out += "- Tỉnh/thành phố (Province): \(province)\n" }
    out += "- Tổng số tư liệu cuối năm (Assets held at year end): \(report.total)\n"
    out += "- Bổ sung trong năm (Added during the year): \(report.added)\n"
    out += "- Tư liệu còn gắn nhãn gợi ý, chưa xác nhận (Assets with unconfirmed suggestions): \(report.unconfirmed)\n"
    out += "- Bộ trụ cột hình ảnh (Pillar vocabulary): \(report.pillarVocabulary)\n\n"
    func table(_ title: String, _ rows: [BankReport.Row]) {
      out += "## \(title)\n\n| Mã (Code) | Tên (Name) | Bổ sung (Added) | Tổng (Total) |\n|---|---|---:|---:|\n"
      for row in rows {
        var label = [row.labelVi, row.labelEn.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
        if let parent = row.parent { label = "↳ \(label), thuộc (under) \(parent)" }
        if row.retired == true { label += " — đã thôi dùng (retired)" }
        out += "| \(row.key) | \(label) | \(row.added) | \(row.total) |\n"
      }
      out += "\n"
    }
    table("Theo trụ cột hình ảnh (By image pillar)", report.pillars)
    table("Theo ngôn ngữ (By language)", report.languages)
    table("Theo tỉnh/thành phố (By province)", report.provinces)
    table("Theo xã/phường (By commune)", report.communes)
    table("Theo loại tư liệu (By kind)", report.kinds)
    out += "## Khoảng trống: trụ cột × ngôn ngữ chưa có tư liệu (Gaps: pillar × language with no asset)\n\n"
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

  static func csv(_ report: BankReport) -> String {
    func field(_ value: String?) -> String {
      guard let value else { return "" }
      return value.contains(where: { ",\"\n".contains($0) })
        ? "\"\(value.replacingOccurrences(of: "\"", with: "\"\""))\"" : value
    }
    var out = "table,key,label_vi,label_en,added,total,parent,status\n"
    for (name, rows) in [
      ("pillar", report.pillars), ("language", report.languages), ("province", report.provinces),
      ("commune", report.communes), ("kind", report.kinds),
    ] {
      for row in rows {
        out +=
          [
            name, row.key, field(row.labelVi), field(row.labelEn), String(row.added), String(row.total),
            row.parent ?? "", row.retired == true ? "retired" : "",
          ].joined(separator: ",") + "\n"
      }
    }
    for gap in report.gaps { out += "gap,\(gap.pillar)|\(gap.language),,,0,0,,\n" }
    return out
  }

  static func markdown(_ report: NationalReport) -> String {
    var out = "# Báo cáo quốc gia năm \(report.year) (National report \(report.year))\n\n"
    out += "- Số tư liệu khác nhau (Distinct assets): \(report.assets)\n"
    out += "- Số tỉnh đã gửi (Provinces contributing): \(report.provinces.count)\n\n"
    out += "| Tỉnh (Province) | Tư liệu (Assets) | Nhận trong năm (Received in the year) | Gói đã nhận (Bundles) "
    out += "| Lần nhận cuối (Last received) |\n|---|---:|---:|---:|---|\n"
    for province in report.provinces {
      out += "| \(province.code) \(province.name ?? "") | \(province.assets) | \(province.added) | \(province.bundles) "
      out += "| \(province.lastReceivedAt ?? "—") |\n"
    }
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

  static func csv(_ report: NationalReport) -> String {
    var out = "province,table,key,assets\n"
    for province in report.provinces {
      out += "\(province.code),total,,\(province.assets)\n"
      out += "\(province.code),added,,\(province.added)\n"
      out += "\(province.code),bundles,,\(province.bundles)\n"
      for (table, values) in [("pillar", province.pillars), ("language", province.languages), ("kind", province.kinds)]
      {
        for (key, count) in values.sorted(by: { $0.key < $1.key }) {
          out += "\(province.code),\(table),\(key),\(count)\n"
        }
      }
    }
    return out
  }
}
