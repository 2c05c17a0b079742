public import Foundation
import Taxonomy
internal import ZIPFoundation

/// The yearly report as a Word document (WordprocessingML, `.docx`) in the layout of the
/// Vietnamese administrative documents (Decree 30/2020/NĐ-CP): the issuing body and the national
/// title and motto side by side, the number and symbol, place and date, the title and subject,
/// the sections with their tables, the recipients and the signature block. A4, Times New Roman.
///
/// The package is the minimal one: `[Content_Types].xml`, `_rels/.rels`, `word/document.xml`,
/// `word/styles.xml`, `word/_rels/document.xml.rels` and `docProps/core.xml`. Every text from a
/// bank or a file (its name, labels) is XML-escaped, and the characters XML cannot carry dropped.
public enum ReportDocument {
  /// The `.docx` bytes of `report`, dated `date` (the day the report is made).
  public static func docx(_ report: BankReport, date: Date = Date()) throws(MediaBankError) -> Data {
    try package(document(report, date: date), title: "Báo cáo năm \(report.year)")
  }

  /// The `.docx` bytes of the national report, dated `date`.
  public static func docx(_ report: NationalReport, bankName: String?, date: Date = Date()) throws(MediaBankError)
    -> Data
  {
    try package(document(report, bankName: bankName, date: date), title: "Báo cáo quốc gia năm \(report.year)")
  }

  // MARK: The documents

  static func document(_ report: BankReport, date: Date) -> String {
    var body = ""
    let place = report.national == true ? "Hà Nội" : placeName(report.province)
    body += heading(
      superior: superiorBody(national: report.national == true, province: report.province),
      issuer: report.bankName, place: place, date: date)
    body += paragraph([Run("BÁO CÁO", bold: true)], align: "center", before: 240)
    var subject = "Tình hình ngân hàng dữ liệu hình ảnh năm \(report.year)"
    if report.sourceBank != nil, let province = report.provinceTitle { subject += " của \(province)" }
    body += paragraph([Run(subject, bold: true)], align: "center", after: 240)

    var number = 0
    func section(_ title: String) {
      number += 1
      body += paragraph([Run("\(roman(number)). \(title)", bold: true)], before: 200, after: 80)
    }
    func fact(_ text: String, _ value: String) {
      body += paragraph([Run("- \(text): "), Run(value, bold: true)], indent: true)
    }
    section("Tổng quan (Summary)")
    if let name = report.bankName { fact("Đơn vị (Bank)", name) }
    if let province = report.provinceTitle {
      fact(report.sourceBank == nil ? "Tỉnh/thành phố (Province)" : "Tỉnh gửi dữ liệu (Contributed by)", province)
    }
    fact("Tổng số tư liệu đang lưu giữ cuối năm (Assets held at year end)", "\(report.total)")
    fact("Bổ sung trong năm (Added during the year)", "\(report.added)")
    fact("Chụp trong năm (Captured during the year)", "\(report.captured)")
    fact(
      "Đã rút lại, không tính vào số đang lưu giữ (Retracted, not held)",
      "\(report.retracted) (trong năm: \(report.retractedInYear))")
    if let deleted = report.deleted {
      fact(
        "Đã xóa, không tính vào số đang lưu giữ (Deleted, not held)",
        "\(deleted) (trong năm: \(report.deletedInYear ?? 0))")
    }
    fact("Tư liệu còn gắn nhãn gợi ý, chưa xác nhận (Assets with unconfirmed suggestions)", "\(report.unconfirmed)")
    fact(
      "Ảnh hỏng dữ liệu điểm ảnh, vẫn lưu giữ (Damaged photos, held)",
      "\(report.damaged) (trong năm: \(report.damagedInYear))")
    fact("Bộ trụ cột hình ảnh (Pillar vocabulary)", report.pillarVocabulary)

    let headers = ["Mã (Code)", "Tên (Name)", "Bổ sung (Added)", "Chụp trong năm (Captured)", "Tổng (Total)"]
    func counts(_ title: String, _ rows: [BankReport.Row]) {
      section(title)
      body += table(
        headers: headers, widths: [2000, 3604, 1250, 1250, 1250], numeric: [2, 3, 4],
        rows: rows.map {
          [$0.key == BankReport.noneKey ? "—" : $0.key, $0.label, "\($0.added)", "\($0.captured)", "\($0.total)"]
        })
    }
    counts("Theo trụ cột hình ảnh (By image pillar)", report.pillars)
    counts("Theo ngôn ngữ (By language)", report.languages)
    counts("Theo tỉnh/thành phố (By province)", report.provinces)
    counts("Theo xã/phường (By commune)", report.communes)
    counts("Theo loại tư liệu (By kind)", report.kinds)
    section("Theo năm chụp (By year of capture)")
    body += table(
      headers: ["Năm chụp (Year of capture)", "Bổ sung (Added)", "Tổng (Total)"], widths: [4554, 2400, 2400],
      numeric: [1, 2],
      rows: report.captureYears.map {
        [$0.key == BankReport.noneKey ? $0.label : $0.key, "\($0.added)", "\($0.total)"]
      }
    )

    section("Khoảng trống: trụ cột × ngôn ngữ chưa có tư liệu (Gaps: pillar × language with no asset)")
    let languages =
      BankReport.gapLanguages + Set(report.gaps.map(\.language)).subtracting(BankReport.gapLanguages).sorted()
    let missing = Set(report.gaps.map { "\($0.pillar)|\($0.language)" })
    let pillarWidth = 9354 - 600 * languages.count
    body += table(
      headers: ["Trụ cột (Pillar)"] + languages, widths: [pillarWidth] + languages.map { _ in 600 },
      numeric: [], centred: Set(1...languages.count),
      rows: report.pillars.filter { $0.parent == nil && $0.retired != true }.map { pillar in
        ["\(pillar.labelVi ?? pillar.key) (\(pillar.key))"]
          + languages.map { missing.contains("\(pillar.key)|\($0)") ? "—" : "✓" }
      })
    body += closing(
      recipients: report.national == true
        ? ["Lãnh đạo Bộ (để báo cáo)", "\(report.provinceTitle ?? "Tỉnh") (để biết)", "Lưu: VT"]
        : [
          "Bộ Văn hóa, Thể thao và Du lịch (để báo cáo)",
          "UBND \(report.provinceName.map(lowercasedKind) ?? "tỉnh") (để báo cáo)", "Lưu: VT",
        ])
    return wrap(body)
  }

  static func document(_ report: NationalReport, bankName: String?, date: Date) -> String {
    var body = heading(
      superior: superiorBody(national: true, province: nil), issuer: bankName, place: "Hà Nội", date: date)
    body += paragraph([Run("BÁO CÁO", bold: true)], align: "center", before: 240)
    body += paragraph(
      [Run("Tình hình ngân hàng dữ liệu hình ảnh quốc gia năm \(report.year)", bold: true)], align: "center",
      after: 240)
    body += paragraph([Run("I. Tổng quan (Summary)", bold: true)], before: 200, after: 80)
    body += paragraph(
      [Run("- Số tư liệu khác nhau (Distinct assets): "), Run("\(report.assets)", bold: true)], indent: true)
    body += paragraph(
      [Run("- Số tỉnh đã gửi (Provinces contributing): "), Run("\(report.provinces.count)", bold: true)],
      indent: true)
    body += paragraph([Run("II. Theo tỉnh/thành phố (By province)", bold: true)], before: 200, after: 80)
    body += table(
      headers: [
        "Tỉnh (Province)", "Tư liệu (Assets)", "Nhận trong năm (Received in the year)", "Đã rút lại (Retracted)",
        "Gói đã nhận (Bundles)", "Lần nhận cuối (Last received)",
      ], widths: [2754, 1100, 1300, 1100, 1100, 2000], numeric: [1, 2, 3, 4],
      rows: report.provinces.map {
        [
          "\($0.code) \($0.name ?? "")", "\($0.assets)", "\($0.added)", "\($0.retracted)", "\($0.bundles)",
          $0.lastReceivedAt.map { String($0.prefix(10)) } ?? "—",
        ]
      })
    body += paragraph(
      [Run("III. Tỉnh chưa gửi trong năm (Provinces that sent nothing in the year)", bold: true)], before: 200,
      after: 80)
    body += paragraph(
      [
        Run(
          report.silent.isEmpty
            ? "Không có." : report.silent.map { "\($0.code) \($0.name)" }.joined(separator: "; ") + ".")
      ],
      indent: true)
    body += paragraph(
      [
        Run(
          "IV. Tỉnh không gửi gì trong \(NationalReport.quietDays) ngày, tính đến ngày \(report.asOf) (Provinces "
            + "that sent nothing for \(NationalReport.quietDays) days)", bold: true)
      ], before: 200, after: 80)
    body += paragraph(
      [
        Run(
          report.quiet.isEmpty
            ? "Không có."
            : report.quiet.map {
              "\($0.code) \($0.name) (\($0.lastReceivedAt.map { String($0.prefix(10)) } ?? "chưa từng gửi"))"
            }
            .joined(separator: "; ") + ".")
      ],
      indent: true)
    body += paragraph([Run("V. Đóng góp theo tháng (Contributions by month)", bold: true)], before: 200, after: 80)
    body += table(
      headers: ["Tháng (Month)", "Gói đã nhận (Bundles)", "Bản ghi nhận được (Records received)"],
      widths: [3000, 3000, 3354], numeric: [1, 2],
      rows: report.months.map { [$0.month, "\($0.bundles)", "\($0.records)"] })
    body += closing(recipients: ["Lãnh đạo Bộ (để báo cáo)", "Lưu: VT"])
    return wrap(body)
  }

  // MARK: Decree 30 blocks

  /// The body the issuer belongs to, the first line of its block: the province's People's
  /// Committee, or the ministry for the national bank.
  static func superiorBody(national: Bool, province: String?) -> String {
    if national { return "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH" }
    guard let name = province.flatMap({ (try? Gazetteer.shared())?.province(code: $0)?.name }) else { return "" }
    return "UBND " + name.uppercased()
  }

  /// The place in the date line: the province's short name (`Thái Nguyên`).
  static func placeName(_ province: String?) -> String {
    province.flatMap { (try? Gazetteer.shared())?.province(code: $0)?.shortName } ?? "……"
  }

  /// `Tỉnh Thái Nguyên` → `tỉnh Thái Nguyên`, as a name reads inside a sentence.
  static func lowercasedKind(_ name: String) -> String {
    guard let first = name.first else { return name }
    return String(first).lowercased() + name.dropFirst()
  }

  /// `Thái Nguyên, ngày 06 tháng 3 năm 2026`: a day below 10 and the months January and
  /// February written with a leading zero, as the decree asks.
  public static func dateLine(place: String, date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone.current
    let parts = calendar.dateComponents([.day, .month, .year], from: date)
    let day = parts.day ?? 1, month = parts.month ?? 1
    let dayText = day < 10 ? "0\(day)" : "\(day)"
    let monthText = month < 3 ? "0\(month)" : "\(month)"
    return "\(place), ngày \(dayText) tháng \(monthText) năm \(parts.year ?? 2000)"
  }

  /// The two columns at the top: the issuing body and the number; the national title, the motto,
  /// place and date.
  static func heading(superior: String, issuer: String?, place: String, date: Date) -> String {
    let left =
      paragraph([Run(superior, size: 26)], align: "center", after: 0)
      + paragraph([Run((issuer ?? "……").uppercased(), bold: true, size: 26)], align: "center", after: 0)
      + paragraph([Run("———", size: 26)], align: "center", after: 120)
      + paragraph([Run("Số:        /BC-……", size: 26)], align: "center", after: 0)
    let right =
      paragraph([Run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold: true, size: 26)], align: "center", after: 0)
      + paragraph([Run("Độc lập - Tự do - Hạnh phúc", bold: true, underline: true)], align: "center", after: 240)
      + paragraph([Run(dateLine(place: place, date: date), italic: true)], align: "center", after: 0)
    return layoutTable(widths: [3600, 5754], cells: [left, right])
  }

  /// The bottom: the recipients on the left, the signer on the right.
  static func closing(recipients: [String]) -> String {
    var left = paragraph([Run("Nơi nhận:", bold: true, italic: true, size: 24)], after: 0)
    for (index, recipient) in recipients.enumerated() {
      left += paragraph([Run("- \(recipient)\(index == recipients.count - 1 ? "." : ";")", size: 22)], after: 0)
    }
    let right =
      paragraph([Run("THỦ TRƯỞNG ĐƠN VỊ", bold: true)], align: "center", after: 0)
      + paragraph([Run("(Ký tên, đóng dấu)", italic: true)], align: "center", after: 1200)
      + paragraph([Run("……………………………", bold: true)], align: "center", after: 0)
    return paragraph([], before: 240) + layoutTable(widths: [4677, 4677], cells: [left, right])
  }

  // MARK: WordprocessingML

  /// A run of text with its formatting; `size` in half-points (28 = 14 pt).
  struct Run {
    var text: String
    var bold = false
    var italic = false
    var underline = false
    var size: Int? = nil

    init(_ text: String, bold: Bool = false, italic: Bool = false, underline: Bool = false, size: Int? = nil) {
      self.text = text
      self.bold = bold
      self.italic = italic
      self.underline = underline
      self.size = size
    }

    var xml: String {
      var properties = ""
      if bold { properties += "<w:b/>" }
      if italic { properties += "<w:i/>" }
      if underline { properties += "<w:u w:val=\"single\"/>" }
      if let size { properties += "<w:sz w:val=\"\(size)\"/><w:szCs w:val=\"\(size)\"/>" }
      let start = properties.isEmpty ? "<w:r>" : "<w:r><w:rPr>\(properties)</w:rPr>"
      return start + "<w:t xml:space=\"preserve\">\(escaped(text))</w:t></w:r>"
    }
  }

  /// A paragraph; spacing in twentieths of a point.
  static func paragraph(
    _ runs: [Run], align: String? = nil, before: Int = 0, after: Int = 60, indent: Bool = false,
    keepNext: Bool = false
  ) -> String {
    var properties = ""
    if keepNext { properties += "<w:keepNext/>" }
    properties += "<w:spacing w:before=\"\(before)\" w:after=\"\(after)\"/>"
    if indent { properties += "<w:ind w:firstLine=\"567\"/>" }
    if let align { properties += "<w:jc w:val=\"\(align)\"/>" }
    return "<w:p><w:pPr>\(properties)</w:pPr>" + runs.map(\.xml).joined() + "</w:p>"
  }

  /// A table without borders that lays out blocks side by side.
  static func layoutTable(widths: [Int], cells: [String]) -> String {
    var xml = "<w:tbl><w:tblPr><w:tblW w:w=\"\(widths.reduce(0, +))\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/>"
    xml +=
      "<w:tblBorders>"
      + ["top", "left", "bottom", "right", "insideH", "insideV"].map {
        "<w:\($0) w:val=\"nil\"/>"
      }.joined() + "</w:tblBorders>"
    xml += "<w:tblCellMar><w:left w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"0\" w:type=\"dxa\"/></w:tblCellMar>"
    xml += "</w:tblPr><w:tblGrid>" + widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid><w:tr>"
    for (width, cell) in zip(widths, cells) {
      xml += "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/></w:tcPr>\(cell)</w:tc>"
    }
    return xml + "</w:tr></w:tbl>"
  }

  /// A count table: a bold header row repeated on each page, thin borders, numbers on the right.
  static func table(
    headers: [String], widths: [Int], numeric: Set<Int>, centred: Set<Int> = [], rows: [[String]]
  ) -> String {
    var xml = "<w:tbl><w:tblPr><w:tblStyle w:val=\"ReportTable\"/>"
    xml += "<w:tblW w:w=\"\(widths.reduce(0, +))\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr>"
    xml += "<w:tblGrid>" + widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
    func row(_ cells: [String], header: Bool) -> String {
      var xml =
        "<w:tr>" + (header ? "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" : "<w:trPr><w:cantSplit/></w:trPr>")
      for (index, (width, text)) in zip(widths, cells).enumerated() {
        let align = header || centred.contains(index) ? "center" : numeric.contains(index) ? "right" : "left"
        xml += "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/>"
        if header { xml += "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E7E6E6\"/>" }
        xml += "<w:vAlign w:val=\"center\"/></w:tcPr>"
        xml += paragraph([Run(text, bold: header, size: header ? 20 : 22)], align: align, after: 0, keepNext: header)
        xml += "</w:tc>"
      }
      return xml + "</w:tr>"
    }
    xml += row(headers, header: true)
    if rows.isEmpty {
      xml += row(["Không có (None)"] + headers.dropFirst().map { _ in "" }, header: false)
    }
    for cells in rows { xml += row(cells, header: false) }
    return xml + "</w:tbl>"
  }

  /// The document part around `body`: an A4 page with the decree's margins (top and bottom
  /// 20 mm, left 30 mm, right 15 mm).
  static func wrap(_ body: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" \
    xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>\(body)\
    <w:sectPr><w:pgSz w:w="11906" w:h="16838"/>\
    <w:pgMar w:top="1134" w:right="851" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/>\
    </w:sectPr></w:body></w:document>
    """
  }

  static let styles = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\
    <w:docDefaults><w:rPrDefault><w:rPr>\
    <w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>\
    <w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/>\
    </w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="60" w:line="264" w:lineRule="auto"/>\
    </w:pPr></w:pPrDefault></w:docDefaults>\
    <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>\
    <w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>\
    <w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>\
    <w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>\
    </w:tblCellMar></w:tblPr></w:style>\
    <w:style w:type="table" w:styleId="ReportTable"><w:name w:val="Report Table"/><w:basedOn w:val="TableNormal"/>\
    <w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/>\
    <w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>\
    <w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/>\
    <w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>\
    <w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/>\
    <w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders></w:tblPr></w:style>\
    </w:styles>
    """

  static let contentTypes = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
    <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
    <Default Extension="xml" ContentType="application/xml"/>\
    <Override PartName="/word/document.xml" \
    ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
    <Override PartName="/word/styles.xml" \
    ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
    <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
    </Types>
    """

  static let packageRelationships = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" \
    Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
    Target="word/document.xml"/>\
    <Relationship Id="rId2" \
    Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" \
    Target="docProps/core.xml"/>\
    </Relationships>
    """

  static let documentRelationships = """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
    Target="styles.xml"/>\
    </Relationships>
    """

  static func coreProperties(title: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
    <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
    xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>\(escaped(title))</dc:title>\
    <dc:creator>mediabank</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>
    """
  }

  /// The parts zipped into a package, `[Content_Types].xml` first.
  static func package(_ document: String, title: String) throws(MediaBankError) -> Data {
    let parts = [
      ("[Content_Types].xml", contentTypes), ("_rels/.rels", packageRelationships),
      ("word/document.xml", document), ("word/styles.xml", styles),
      ("word/_rels/document.xml.rels", documentRelationships), ("docProps/core.xml", coreProperties(title: title)),
    ]
    do {
      let archive = try Archive(accessMode: .create)
      for (path, text) in parts {
        let data = Data(text.utf8)
        try archive.addEntry(
          with: path, type: .file, uncompressedSize: Int64(data.count),
          modificationDate: Date(timeIntervalSince1970: 315_532_800),
          compressionMethod: .deflate
        ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
      }
      guard let data = archive.data else { throw MediaBankError(.internal, "the document could not be assembled") }
      return data
    } catch let error as MediaBankError {
      throw error
    } catch {
      throw MediaBankError("cannot write the document: \(error)", wrapping: error)
    }
  }

  /// `text` safe inside XML content or an attribute: `& < > " '` as entities, and the
  /// characters XML 1.0 cannot carry (controls other than tab and newlines, U+FFFE, U+FFFF,
  /// lone surrogates cannot occur in a Swift string) dropped.
  public static func escaped(_ text: String) -> String {
    // Most texts need nothing: returned as they are, without a copy. (0xEF starts U+F000 to
    // U+FFFF, among them U+FFFE and U+FFFF: those texts take the long way.)
    if text.utf8.allSatisfy({
      $0 >= 0x20 && $0 != 0x26 && $0 != 0x3C && $0 != 0x3E && $0 != 0x22 && $0 != 0x27 && $0 != 0xEF
    }) {
      return text
    }
    var result: [UInt8] = []
    result.reserveCapacity(text.utf8.count + 32)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;".utf8
      case "<": result += "&lt;".utf8
      case ">": result += "&gt;".utf8
      case "\"": result += "&quot;".utf8
      case "'": result += "&apos;".utf8
      case "\t", "\n", "\r": result.append(UInt8(scalar.value))
      default:
        if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
        UTF8.encode(scalar) { result.append($0) }
      }
    }
    return String(decoding: result, as: UTF8.self)
  }

  /// 1 → I, 4 → IV, 9 → IX: the numbers of the sections.
  static func roman(_ number: Int) -> String {
    let values = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    var rest = number, result = ""
    for (value, numeral) in values {
      while rest >= value {
        result += numeral
        rest -= value
      }
    }
    return result
  }
}
