import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `mediabank report` with three banks: Thái Nguyên (19) and Đà Nẵng (48) send their bundles to
/// the national bank; Thái Nguyên has retracted one asset and deleted another.
///
/// Thái Nguyên holds five photos: nui-coc (captured 2024, commune 01840), scan (2022),
/// gps-southwest (2023), orientation-1 (its capture time set to this year) and orientation-4
/// (imported from a folder `1998`); orientation-2 is retracted, orientation-3 deleted.
@Suite struct ReportTests {
  let scratch: ScratchDirectory
  let thaiNguyen: String
  let daNang: String
  let national: String
  let usb: String
  let cli = CLI()
  let year = Calendar(identifier: .gregorian).component(.year, from: Date())
  /// A bank name a person typed, with characters XML must escape.
  static let bankName = "Sở VHTTDL Thái Nguyên & <Lưu trữ>"

  init() throws {
    scratch = try ScratchDirectory()
    thaiNguyen = scratch.appending("thai-nguyen")
    daNang = scratch.appending("da-nang")
    national = scratch.appending("national")
    usb = scratch.appending("usb")
    try mediabank("init", "--bank", thaiNguyen, "--province", "19", "--name", Self.bankName)
    try mediabank("init", "--bank", daNang, "--province", "48", "--name", "Sở VHTTDL Đà Nẵng")
    try mediabank("init", "--bank", national, "--national", "--name", "Cục TTCS & TTĐN")
    for (name, bank) in [("19", thaiNguyen), ("48", daNang)] {
      try mediabank("trust", "add", "--bank", name, "--public-key", bank + "/keys/bank.pub", "--bank-path", national)
      try mediabank(
        "trust", "add", "--bank", "national", "--public-key", national + "/keys/bank.pub", "--bank-path", bank)
    }
    try mediabank("add", CLI.photo("nui-coc-vi-en.jpg"), "--locality", "01840", "--bank", thaiNguyen)
    for name in ["scan.png", "gps-southwest.jpg", "orientation-1.jpg", "orientation-2.jpg", "orientation-3.jpg"] {
      try mediabank("add", CLI.photo(name), "--bank", thaiNguyen)
    }
    let archive = scratch.appending("archive/1998")
    try FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: CLI.photo("orientation-4.jpg"), toPath: archive + "/orientation-4.jpg")
    try mediabank("import", scratch.appending("archive"), "--bank", thaiNguyen)
    try mediabank("edit", try id(of: "orientation-1.jpg"), "--captured-at", "\(year)-01-02", "--bank", thaiNguyen)
    try receive(from: thaiNguyen)
    try mediabank("retract", try id(of: "orientation-2.jpg"), "--reason", "rights withdrawn", "--bank", thaiNguyen)
    try mediabank("delete", try id(of: "orientation-3.jpg"), "--reason", "personal data", "--bank", thaiNguyen)
    try receive(from: thaiNguyen)
    try mediabank("add", CLI.photo("iptc-utf8.jpg"), "--bank", daNang)
    try receive(from: daNang)
  }

  /// Runs `mediabank` and expects it to succeed.
  @discardableResult
  func mediabank(_ arguments: String...) throws -> CLI.Output {
    try mediabank(arguments)
  }

  @discardableResult
  func mediabank(_ arguments: [String]) throws -> CLI.Output {
    let output = try cli.run(arguments)
    #expect(output.status == 0, "mediabank \(arguments.joined(separator: " ")): \(output.stderr)")
    return output
  }

  /// Exports `bank`'s next bundle and receives it at the national bank.
  func receive(from bank: String) throws {
    let exported = try mediabank("export", "--out", usb, "--json", "--bank", bank)
    let bag = try #require((try exported.json() as? [[String: Any]])?.first?["path"] as? String)
    try mediabank("receive", bag, "--bank", national)
  }

  /// The id of the asset of Thái Nguyên first added from `name`.
  func id(of name: String) throws -> String {
    let records = try #require(try mediabank("list", "--json", "--bank", thaiNguyen).json() as? [[String: Any]])
    let record = try #require(records.first { ($0["originalNames"] as? [String])?.contains(name) == true })
    return try #require(record["id"] as? String)
  }

  /// The report of this year as JSON.
  func report(_ arguments: String...) throws -> [String: Any] {
    try #require(
      try mediabank(["report", "--year", String(year), "--format", "json"] + arguments).json() as? [String: Any])
  }

  /// `key → total` of a table of a JSON report.
  func totals(_ report: [String: Any], _ table: String, _ column: String = "total") -> [String: Int] {
    Dictionary(
      uniqueKeysWithValues: (report[table] as? [[String: Any]] ?? []).map {
        ($0["key"] as? String ?? "", $0[column] as? Int ?? -1)
      })
  }

  @Test("retracted and deleted assets are not held, and the province and the ministry count the same")
  func heldExcludesRetractedAndDeleted() throws {
    let mine = try report("--bank", thaiNguyen)
    #expect(mine["total"] as? Int == 5 && mine["added"] as? Int == 5)
    #expect(mine["retracted"] as? Int == 1 && mine["retractedInYear"] as? Int == 1)
    #expect(mine["deleted"] as? Int == 1 && mine["deletedInYear"] as? Int == 1)
    #expect(totals(mine, "kinds") == ["photo": 5])
    let theirs = try report("--source-bank", "19", "--bank", national)
    #expect(theirs["total"] as? Int == 5 && theirs["retracted"] as? Int == 1 && theirs["deleted"] == nil)
    #expect(theirs["sourceBank"] as? String == "19" && theirs["national"] as? Bool == true)
    let ministry = try report("--national", "--bank", national)
    let row = try #require((ministry["provinces"] as? [[String: Any]])?.first { $0["code"] as? String == "19" })
    #expect(row["assets"] as? Int == 5 && row["retracted"] as? Int == 1)

    let markdown = try mediabank("report", "--year", String(year), "--bank", thaiNguyen).stdout
    #expect(markdown.contains("- Tổng số tư liệu đang lưu giữ cuối năm (Assets held at year end): 5\n"))
    #expect(markdown.contains("- Đã rút lại, không tính vào số đang lưu giữ (Retracted, not held): 1"))
    #expect(markdown.contains("- Đã xóa, không tính vào số đang lưu giữ (Deleted, not held): 1"))
    // Last year, none of it existed yet.
    let earlier = try #require(
      try mediabank("report", "--year", String(year - 1), "--format", "json", "--bank", thaiNguyen).json()
        as? [String: Any])
    #expect(earlier["total"] as? Int == 0 && earlier["retracted"] as? Int == 0 && earlier["deleted"] as? Int == 0)
  }

  @Test("provinces, communes and kinds carry their names; a no-locality row makes the columns add up")
  func namesAndLabels() throws {
    let mine = try report("--bank", thaiNguyen)
    #expect(mine["provinceName"] as? String == "Tỉnh Thái Nguyên")
    // nui-coc has an explicit commune; the other four only the bank's default (a suggestion).
    #expect(totals(mine, "provinces") == ["19": 1, "none": 4])
    #expect(totals(mine, "communes") == ["01840": 1, "none": 4])
    for table in ["provinces", "communes", "kinds", "captureYears"] {
      #expect(totals(mine, table).values.reduce(0, +) == 5, "\(table)")
      #expect(totals(mine, table, "added").values.reduce(0, +) == 5, "\(table)")
    }
    let markdown = try mediabank("report", "--year", String(year), "--bank", thaiNguyen).stdout
    #expect(markdown.contains("- Tỉnh/thành phố (Province): 19 Tỉnh Thái Nguyên\n"))
    #expect(markdown.contains("| 19 | Tỉnh Thái Nguyên (Thai Nguyen) | 1 | 0 | 1 |\n"), "\(markdown)")
    #expect(markdown.contains("| 01840 | Phường Đức Xuân (Duc Xuan) | 1 | 0 | 1 |\n"))
    #expect(markdown.contains("| — | chưa xác định (no locality) | 4 | 1 | 4 |\n"))
    #expect(markdown.contains("| photo | Ảnh (photo) | 5 | 1 | 5 |\n"))
    let theirs = try mediabank("report", "--year", String(year), "--source-bank", "19", "--bank", national).stdout
    #expect(theirs.contains("- Tỉnh gửi dữ liệu (Contributed by): 19 Tỉnh Thái Nguyên\n"))
    let ministry = try mediabank("report", "--national", "--year", String(year), "--bank", national).stdout
    #expect(ministry.contains("| 19 Tỉnh Thái Nguyên | 5 | 5 | 1 | 2 |"), "\(ministry)")
    #expect(ministry.contains("| 48 Thành phố Đà Nẵng | 1 | 1 | 0 | 1 |"))
  }

  @Test("assets are counted by year of capture (or of their folder) beside the year they were added")
  func captureYears() throws {
    let mine = try report("--bank", thaiNguyen)
    // Five added this year; one captured this year (its capture time set by hand).
    #expect(mine["added"] as? Int == 5 && mine["captured"] as? Int == 1)
    #expect(
      totals(mine, "captureYears") == [String(year): 1, "2024": 1, "2023": 1, "2022": 1, "1998": 1])
    let keys = (mine["captureYears"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
    #expect(keys == [String(year), "2024", "2023", "2022", "1998"])
    #expect(totals(mine, "kinds", "captured") == ["photo": 1])
    let markdown = try mediabank("report", "--year", String(year), "--bank", thaiNguyen).stdout
    #expect(markdown.contains("- Chụp trong năm (Captured during the year): 1\n"))
    #expect(markdown.contains("| 1998 | 1 | 1 |\n"))
  }

  @Test("CSV: a byte order mark, the totals as rows, and the national CSV has the provincial columns and source_bank")
  func csv() throws {
    let output = try mediabank("report", "--year", String(year), "--format", "csv", "--bank", thaiNguyen)
    #expect(output.stdout.hasPrefix("\u{FEFF}table,key,label_vi,label_en,added,captured,total,parent,status\n"))
    let lines = output.stdout.dropFirst().split(separator: "\n").map(String.init)
    #expect(lines[1] == "summary,held,Tư liệu đang lưu giữ cuối năm,Assets held at year end,5,1,5,,")
    #expect(lines.contains("summary,retracted,Đã rút lại,Retracted,1,,1,,not held"))
    #expect(lines.contains("summary,deleted,Đã xóa,Deleted,1,,1,,not held"))
    #expect(lines.contains("province,19,Tỉnh Thái Nguyên,Thai Nguyen,1,0,1,,"))
    #expect(lines.contains("province,none,chưa xác định,no locality,4,1,4,,"))
    #expect(lines.contains("kind,photo,Ảnh,photo,5,1,5,,"))
    #expect(lines.contains("capture_year,1998,,,1,0,1,,"))

    let national = try mediabank("report", "--national", "--year", String(year), "--format", "csv", "--bank", national)
    #expect(
      national.stdout.hasPrefix("\u{FEFF}table,key,label_vi,label_en,added,captured,total,parent,status,source_bank\n"))
    let rows = national.stdout.dropFirst().split(separator: "\n").map(String.init)
    // The same rows as the province's own CSV, with its code.
    #expect(rows.contains("summary,held,Tư liệu đang lưu giữ cuối năm,Assets held at year end,5,1,5,,,19"))
    #expect(rows.contains("summary,retracted,Đã rút lại,Retracted,1,,1,,not held,19"))
    #expect(rows.contains("kind,photo,Ảnh,photo,1,0,1,,,48"))
    #expect(rows.contains("silent,01,Thành phố Hà Nội,,0,0,0,,no bundle in the year,01"))
    #expect(rows.contains("quiet,01,Thành phố Hà Nội,,0,0,0,,no bundle for 90 days,01"))
    // This month: the three bundles received, their records in `added` and `total`.
    let month = String(format: "%04d-%02d", year, Calendar(identifier: .gregorian).component(.month, from: Date()))
    #expect(rows.contains { $0.hasPrefix("month,\(month),,,") && $0.hasSuffix(",3 bundles,") }, "\(rows.suffix(3))")
    // Ten fields on every line (those with a quoted label aside).
    #expect(
      rows.filter { !$0.contains("\"") }.allSatisfy {
        $0.split(separator: ",", omittingEmptySubsequences: false).count == 10
      })
  }

  @Test("--national lists the provinces that sent nothing; the wrong report for a bank and future years are refused")
  func nationalAndRefusals() throws {
    let ministry = try report("--national", "--bank", national)
    let silent = (ministry["silent"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    #expect(silent.count == 32 && !silent.contains("19") && !silent.contains("48") && silent.contains("01"))
    let markdown = try mediabank("report", "--national", "--year", String(year), "--bank", national).stdout
    #expect(
      markdown.contains(
        "## Tỉnh chưa gửi trong năm (Provinces that sent nothing in the year)\n\n- 01 Thành phố Hà Nội\n"))

    let own = try cli("report", "--bank", national)
    #expect(own.status == 2 && own.stderr.contains("this is the national bank: use `mediabank report --national`"))
    let wrong = try cli("report", "--national", "--bank", thaiNguyen)
    #expect(wrong.status == 2 && wrong.stderr.contains("--national is for the national bank"))
    #expect(wrong.stderr.contains("makes its report with `mediabank report`"))
    let source = try cli("report", "--source-bank", "48", "--bank", thaiNguyen)
    #expect(source.status == 2 && source.stderr.contains("this bank's own report is `mediabank report`"))
    let future = try cli("report", "--year", String(year + 1), "--bank", thaiNguyen)
    #expect(future.status == 64 && future.stderr.contains("--year: \(year + 1) has not begun"), "\(future.stderr)")
  }

  /// The parts of a `.docx` file, by name, read with Python's zipfile (a ZIP reader that is not ours).
  func parts(of docx: String) throws -> [String: String] {
    let script = """
      import json, sys, zipfile
      with zipfile.ZipFile(sys.argv[1]) as z:
          print(json.dumps({n: z.read(n).decode('utf-8') for n in z.namelist()}))
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, docx]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
  }

  @Test("--format docx writes a WordprocessingML package in the layout of Decree 30/2020")
  func docx() throws {
    let path = scratch.appending("bao-cao.docx")
    try mediabank("report", "--year", String(year), "--format", "docx", "--out", path, "--bank", thaiNguyen)
    let package = try parts(of: path)
    #expect(
      Set(package.keys) == [
        "[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels",
        "docProps/core.xml",
      ])
    let document = try #require(package["word/document.xml"])
    // Well-formed XML (the bank name's & and < escaped).
    let parser = XMLParserCheck(document)
    #expect(parser.wellFormed, "\(parser.error ?? "")")
    #expect(document.contains("SỞ VHTTDL THÁI NGUYÊN &amp; &lt;LƯU TRỮ&gt;"))
    #expect(!document.contains("<Lưu trữ>") && !document.contains("<LƯU TRỮ>"))
    for text in [
      "UBND TỈNH THÁI NGUYÊN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số:",
      "/BC-", "Thái Nguyên, ngày ", "năm \(year)", "BÁO CÁO", "Tình hình ngân hàng dữ liệu hình ảnh năm \(year)",
      "Nơi nhận:", "Lưu: VT.", "THỦ TRƯỞNG ĐƠN VỊ", "Ảnh (photo)", "chưa xác định (no locality)",
      "Tỉnh Thái Nguyên (Thai Nguyen)", "Đã rút lại", "Theo năm chụp (By year of capture)",
    ] {
      #expect(document.contains(text), "\(text)")
    }
    // A4 with the decree's margins, Times New Roman 14 pt.
    #expect(document.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"))
    #expect(document.contains("w:left=\"1701\""))
    #expect(package["word/styles.xml"]?.contains("w:ascii=\"Times New Roman\"") == true)
    #expect(package["[Content_Types].xml"]?.contains("wordprocessingml.document.main+xml") == true)

    // The national bank's documents: a province's contribution and the national report.
    let theirs = scratch.appending("19.docx")
    try mediabank(
      "report", "--year", String(year), "--source-bank", "19", "--format", "docx", "--out", theirs, "--bank", national)
    #expect(try parts(of: theirs)["word/document.xml"]?.contains("BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH") == true)
    let whole = scratch.appending("national.docx")
    try mediabank(
      "report", "--year", String(year), "--national", "--format", "docx", "--out", whole, "--bank", national)
    let nationalDocument = try #require(try parts(of: whole)["word/document.xml"])
    #expect(XMLParserCheck(nationalDocument).wellFormed)
    #expect(nationalDocument.contains("CỤC TTCS &amp; TTĐN") && nationalDocument.contains("01 Thành phố Hà Nội"))

    // Without LibreOffice, --format pdf says what to install.
    let bare = CLI(environment: ["PATH": "/nonexistent"])
    let noOffice = try bare.run([
      "report", "--format", "pdf", "--out", scratch.appending("x.pdf"), "--bank", thaiNguyen,
    ])
    #expect(noOffice.status == 2 && noOffice.stderr.contains("libreoffice-writer-nogui"), "\(noOffice.stderr)")
  }

  /// Runs `program arguments…`; its standard output.
  func run(_ program: String, _ arguments: String...) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [program] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(program) failed")
    return String(decoding: data, as: UTF8.self)
  }

  static let hasOffice =
    FileManager.default.isExecutableFile(atPath: "/usr/bin/soffice")
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext")

  @Test(
    "--format pdf converts the document with LibreOffice: its text has the motto and the bank's name",
    .enabled(if: hasOffice, "LibreOffice (libreoffice-writer-nogui) and poppler-utils are not installed"))
  func pdf() throws {
    let path = scratch.appending("bao-cao.pdf")
    try mediabank("report", "--year", String(year), "--format", "pdf", "--out", path, "--bank", thaiNguyen)
    let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)).readData(ofLength: 5)
    #expect(head == Data("%PDF-".utf8))
    // The first page's text, its lines joined (the bank's name may wrap in its column).
    let text = try run("pdftotext", "-f", "1", "-l", "1", path, "-").split(whereSeparator: \.isWhitespace).joined(
      separator: " ")
    #expect(text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "\(text)")
    #expect(text.contains("Độc lập - Tự do - Hạnh phúc"))
    #expect(text.contains("SỞ VHTTDL THÁI NGUYÊN") && text.contains("Đơn vị (Bank): Sở VHTTDL Thái Nguyên & <Lưu trữ>"))
    #expect(text.contains("Thái Nguyên, ngày ") && text.contains("BÁO CÁO"))
    // The first page as an image, to look at (MEDIABANK_REPORT_PNG names where to keep it).
    if let keep = ProcessInfo.processInfo.environment["MEDIABANK_REPORT_PNG"] {
      _ = try run("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", path, keep)
    }
  }

  /// A server on the national bank, and a browser signed in there as `bo` with `role`.
  func signedIn(role: String) async throws -> (RunningServer, Browser) {
    let added = try cli.run(
      ["user", "add", "bo", "--role", role, "--password-stdin", "--bank", national], input: "mật khẩu dài lắm\n")
    try #require(added.status == 0, "\(added.stderr)")
    let server = try RunningServer(bank: national)
    let browser = Browser(server)
    try await browser.signIn("bo", "mật khẩu dài lắm")
    return (server, browser)
  }

  @Test("the national bank's dashboard, a province's view and the downloads say what `report --national` says")
  func nationalDashboard() async throws {
    let (server, browser) = try await signedIn(role: "viewer")
    let page = try await browser.get("/dashboard").text
    let ministry = try report("--national", "--bank", national)
    /// The attribute `name` of the element whose data-key is `key`.
    func attribute(_ name: String, of key: String) -> String? {
      guard let start = page.range(of: "data-key=\"\(key)\"") else { return nil }
      let tail = page[start.upperBound...].prefix { $0 != ">" }
      guard let value = tail.range(of: "\(name)=\"") else { return nil }
      return String(tail[value.upperBound...].prefix { $0 != "\"" })
    }
    func value(_ key: String) -> String? {
      guard let start = page.range(of: "data-key=\"\(key)\">") else { return nil }
      return String(page[start.upperBound...].prefix { $0 != "<" })
    }
    #expect(value("total") == "\(ministry["assets"] as? Int ?? -1)")
    let provinces = try #require(ministry["provinces"] as? [[String: Any]])
    #expect(value("provinces") == "2" && provinces.count == 2)
    #expect(value("silent") == "32" && value("quiet") == "32")
    for province in provinces {
      let code = try #require(province["code"] as? String)
      let assets = try #require(province["assets"] as? Int)
      #expect(value("assets:\(code)") == "\(assets)", "\(code)")
      #expect(attribute("data-count", of: "province:\(code)") == "\(assets)", "\(code)")
      // Its row and its shape on the map are links to its view; it sent a bundle today.
      #expect(page.contains("<a href=\"/dashboard?year=\(year)&amp;source=\(code)\"><path"), "\(code)")
      #expect(page.contains("<tr class=\"active\" data-province=\"\(code)\">"), "\(code)")
      #expect(value("last:\(code)")?.hasSuffix("(0 ngày trước)") == true, "\(value("last:\(code)") ?? "")")
      for (pillar, count) in province["pillars"] as? [String: Int] ?? [:] {
        #expect(attribute("data-assets", of: "pillar-province:\(pillar)|\(code)") == "\(count)", "\(pillar) \(code)")
      }
    }
    // Hà Nội sent nothing: highlighted, on the map without a link, in the grid without assets.
    #expect(page.contains("<tr class=\"quiet\" data-province=\"01\">") && !page.contains("source=01"))
    #expect(attribute("data-count", of: "province:01") == "0" && value("last:01") == "chưa từng gửi")
    #expect(attribute("data-gap", of: "pillar-province:culture-heritage|01") == "true")
    // The two islands' archipelagos are on the map (Khánh Hòa's and Đà Nẵng's shapes hold them).
    #expect(attribute("data-count", of: "province:56") == "0")
    for cell in try #require(ministry["pillarLanguages"] as? [[String: Any]]) {
      let key = "gap:\(cell["pillar"] as? String ?? "")|\(cell["language"] as? String ?? "")"
      #expect(attribute("data-assets", of: key) == "\(cell["total"] as? Int ?? -1)", "\(key)")
    }
    let months = try #require(ministry["months"] as? [[String: Any]])
    #expect(months.reduce(0) { $0 + ($1["records"] as? Int ?? 0) } >= 8)
    for month in months {
      let key = "month:\(month["month"] as? String ?? "")"
      #expect(attribute("data-records", of: key) == "\(month["records"] as? Int ?? -1)", "\(key)")
    }

    // Thái Nguyên's view: its own report, its communes, the way back.
    let view = try await browser.get("/dashboard?source=19")
    let own = try report("--source-bank", "19", "--bank", national)
    #expect(view.status == 200 && view.text.contains("19 Tỉnh Thái Nguyên</h1>"))
    #expect(view.text.contains("data-key=\"total\">\(own["total"] as? Int ?? -1)<"))
    #expect(view.text.contains("data-key=\"commune:01840\" data-count=\"1\""))
    #expect(view.text.contains("href=\"/dashboard?year=\(year)\">← Toàn quốc</a>"))
    #expect(view.text.contains("/dashboard/report?year=\(year)&amp;source=19&amp;format=docx"))
    for bad in ["/dashboard?source=x", "/dashboard?source=1%3Cb%3E"] {
      let status = try await browser.get(bad).status
      #expect(status == 400, "\(bad)")
    }

    // The downloads are the CLI's reports.
    for format in ["csv", "md"] {
      let download = try await browser.get("/dashboard/report?year=\(year)&format=\(format)")
      let printed = try mediabank(
        "report", "--national", "--year", String(year), "--format", format, "--bank", national)
      #expect(download.text == printed.stdout, "\(format)")
      #expect(download.header("Content-Disposition")?.contains("bao-cao-quoc-gia-\(year).\(format)") == true)
    }
    let docx = try await browser.get("/dashboard/report?year=\(year)&format=docx")
    let path = scratch.appending("quoc-gia.docx")
    try docx.body.write(to: URL(fileURLWithPath: path))
    let xml = try #require(try parts(of: path)["word/document.xml"])
    #expect(
      xml.contains("Tình hình ngân hàng dữ liệu hình ảnh quốc gia năm \(year)") && xml.contains("19 Tỉnh Thái Nguyên"))
    #expect(xml.contains("V. Đóng góp theo tháng") && xml.contains("01 Thành phố Hà Nội (chưa từng gửi)"))
    // The API's answers, as Storage/http-api.yaml documents them.
    var exchanges: [[String: Any]] = []
    for path in ["/api/v1/report?source=48", "/api/v1/report"] {
      let answer = try await browser.get(path)
      exchanges.append([
        "method": "GET", "path": path, "status": answer.status, "contentType": answer.header("Content-Type") ?? "",
        "body": try answer.json(),
      ])
    }
    let (api, whole) = (exchanges[0]["body"] as? [String: Any] ?? [:], exchanges[1]["body"] as? [String: Any] ?? [:])
    #expect(api["sourceBank"] as? String == "48" && api["total"] as? Int == 1)
    #expect(
      whole["assets"] as? Int == ministry["assets"] as? Int && whole["asOf"] as? String == ministry["asOf"] as? String)
    let checked = try SyncHTTPTests.check(exchanges, in: scratch, options: [])
    #expect(checked.status == 0, "\(checked.output)")

    // A bundle received while the server runs shows at once (the pages are kept until the bank
    // changes, and a receive is a change).
    try mediabank("add", CLI.photo("orientation-5.jpg"), "--bank", daNang)
    try receive(from: daNang)
    let after = try await browser.get("/dashboard").text
    let assets = (ministry["assets"] as? Int ?? 0) + 1
    #expect(after.contains("data-key=\"total\">\(assets)<") && after.contains("data-key=\"assets:48\">2<"))

    // In Chromium: the map, the highlights, the heat maps, a click on a province.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let screenshot = CLI.fixtures.deletingLastPathComponent().appendingPathComponent(
      ".build/browser-screenshots/national-dashboard.png")
    try FileManager.default.createDirectory(
      at: screenshot.deletingLastPathComponent(), withIntermediateDirectories: true)
    process.arguments = [
      "python3",
      CLI.fixtures.deletingLastPathComponent().appendingPathComponent("Tests/Browser/national_dashboard.py").path,
      server.base, "bo", "mật khẩu dài lắm", screenshot.path,
    ]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0 && text.contains("all passed"), "\(text)")
  }

  @Test("on the national bank, an asset two provinces sent shows each province's record side by side")
  func sideBySide() async throws {
    // Đà Nẵng sends Thái Nguyên's photo of Núi Cốc too, under its own title and language.
    try mediabank(
      "add", CLI.photo("nui-coc-vi-en.jpg"), "--title", "Hồ Núi Cốc <b>", "--lang", "en", "--pillar",
      "tourism-landscape", "--bank", daNang)
    try receive(from: daNang)
    let id = try id(of: "nui-coc-vi-en.jpg")
    let (server, browser) = try await signedIn(role: "editor")
    let page = try await browser.get("/assets/\(id)").text
    #expect(page.contains("<th class=\"shown\" data-source=\"19\">19 Tỉnh Thái Nguyên</th>"))
    #expect(page.contains("<th data-source=\"48\"><a href=\"?source=48\">48 Thành phố Đà Nẵng</a></th>"))
    // The file's own Vietnamese title stays beside the English one Đà Nẵng gave (escaped).
    #expect(page.contains("<td data-key=\"title:48\"><b>en</b> Hồ Núi Cốc &lt;b&gt;<br><b>vi</b> Hồ Núi Cốc lúc"))
    #expect(page.contains("<td data-key=\"title:19\"><b>en</b> Nui Coc Lake at dawn<br>"))
    #expect(page.contains("<td data-key=\"locality:19\">01840"))
    #expect(page.contains("<td data-key=\"pillars:48\">tourism-landscape</td>"))
    // No form to change a province's record, even for an editor: provinces edit in their bank.
    #expect(!page.contains("action=\"/assets/bulk\"") && !page.contains("/edit\""))
    let theirs = try await browser.get("/assets/\(id)?source=48").text
    #expect(theirs.contains("<th class=\"shown\" data-source=\"48\">") && theirs.contains("<dd>48 Thành phố Đà Nẵng, "))
    // An asset one province sent has no such table.
    let single = try #require(
      (try mediabank("list", "--json", "--source-bank", "48", "--bank", national).json() as? [[String: Any]])?
        .first { ($0["originalNames"] as? [String]) == ["iptc-utf8.jpg"] }?["id"] as? String)
    let one = try await browser.get("/assets/\(single)").text
    #expect(one.contains("<h1>") && !one.contains("class=\"senders\""))
    withExtendedLifetime(server) {}
  }

  @Test("a province's account on the national bank sees everything and changes nothing")
  func provinceAccount() async throws {
    let password = "mật khẩu dài lắm\n"
    // By a former province's name: Bắc Kạn is part of Thái Nguyên (19) now.
    let added = try cli.run(
      ["user", "add", "tn", "--province", "Tỉnh Bắc Kạn", "--password-stdin", "--bank", national], input: password)
    #expect(
      added.status == 0 && added.stdout.contains("tn (viewer, 19 Tỉnh Thái Nguyên)"), "\(added.stdout)\(added.stderr)")
    let listed = try #require(try mediabank("user", "list", "--json", "--bank", national).json() as? [[String: Any]])
    #expect(listed.first { $0["name"] as? String == "tn" }?["province"] as? String == "19")
    let promoted = try cli("user", "role", "tn", "editor", "--bank", national)
    #expect(promoted.status == 2 && promoted.stderr.contains("tn is the account of province 19"), "\(promoted.stderr)")
    for (arguments, bank, message) in [
      (["--province", "19", "--role", "editor"], national, "a province's account is a viewer"),
      (["--province", "99"], national, "'99' is not one of today's 34 provinces"),
      (["--province", "Xã Ba Bể"], national, "is not one of today's 34 provinces"),
      (["--province", "19"], thaiNguyen, "a province's account is for the national bank"),
    ] {
      let refused = try cli.run(
        ["user", "add", "x"] + arguments + ["--password-stdin", "--bank", bank], input: password)
      #expect(refused.status == 2 && refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
    }
    let noRole = try cli.run(["user", "add", "y", "--password-stdin", "--bank", national], input: password)
    #expect(noRole.status == 64 && noRole.stderr.contains("give the account's --role"), "\(noRole.stderr)")

    let server = try RunningServer(bank: national)
    let browser = Browser(server)
    try await browser.signIn("tn", "mật khẩu dài lắm")
    let dashboard = try await browser.get("/dashboard")
    #expect(dashboard.status == 200 && dashboard.text.contains("Tổng quan quốc gia"))
    #expect(
      dashboard.text.contains("<a href=\"/dashboard?source=19\" data-key=\"own-province\">19 Tỉnh Thái Nguyên</a>"))
    let library = try await browser.get("/?source=48")
    #expect(library.status == 200 && library.text.contains("/assets/sha256:"))
    let id = try #require(
      (try mediabank("list", "--json", "--bank", national).json() as? [[String: Any]])?.first?["id"] as? String)
    let original = try await browser.get("/assets/\(id)/original")
    #expect(original.status == 200)
    // Nothing an editor may do: each refused with 403, nothing changed.
    let token = try await browser.formToken()
    for (path, form) in [
      ("/assets/\(id)/tag", [("pillar", "culture-heritage")]), ("/assets/\(id)/edit", [("title", "x")]),
      ("/assets/bulk", [("id", id), ("action", "retract"), ("reason", "x")]),
    ] {
      let refused = try await browser.post(path, form: [("_token", token)] + form)
      #expect(refused.status == 403, "\(path)")
    }
    for path in ["/upload", "/review"] {
      let status = try await browser.get(path).status
      #expect(status == 403, "\(path)")
    }
    // Nor with an API token.
    let bearer = try mediabank("token", "create", "--user", "tn", "--name", "script", "--bank", national).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let edit = try await Browser(server).send(
      "POST", "/api/v1/assets/\(id)/edit",
      headers: ["Authorization": "Bearer \(bearer)", "Content-Type": "application/json"],
      body: Data(#"{"title": "x", "lang": "vi"}"#.utf8))
    #expect(edit.status == 403, "\(edit.text)")
    let record = try #require(try mediabank("show", id, "--json", "--bank", national).json() as? [[String: Any]])
    #expect(!record.contains { ($0["title"] as? [String: String])?["vi"] == "x" }, "nothing changed")
    // The catalog keeps a province's account a viewer, and its province a code.
    let catalog = national + "/catalog.sqlite"
    #expect(throws: (any Error).self) {
      try CLI.sqlite(catalog, "UPDATE account SET role = 'editor' WHERE name = 'tn'")
    }
    #expect(throws: (any Error).self) {
      try CLI.sqlite(catalog, "UPDATE account SET province = '1a' WHERE name = 'tn'")
    }
    #expect(try CLI.sqlite(catalog, "SELECT role || ' ' || province FROM account WHERE name = 'tn'") == "viewer 19")

    // Hà Nội's account: its province sent nothing yet, its view says so.
    let hanoi = try cli.run(
      ["user", "add", "hn", "--province", "01", "--password-stdin", "--bank", national], input: password)
    #expect(hanoi.status == 0, "\(hanoi.stderr)")
    let other = Browser(server)
    try await other.signIn("hn", "mật khẩu dài lắm")
    let view = try await other.get("/dashboard?source=01")
    #expect(view.status == 200 && view.text.contains("data-key=\"never-sent\">chưa từng gửi<"), "\(view.status)")
    #expect(view.text.contains("01 Thành phố Hà Nội</h1>"))
  }
}

/// Whether a text is well-formed XML, by Foundation's XML parser.
struct XMLParserCheck {
  var wellFormed: Bool
  var error: String?

  init(_ text: String) {
    let parser = XMLParser(data: Data(text.utf8))
    wellFormed = parser.parse()
    error = parser.parserError.map { "\($0)" }
  }
}
