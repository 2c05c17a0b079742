import Foundation
import Glibc
import Testing

/// `mediabank import` on a messy archive made by `scripts/make-archive`: exact outcomes,
/// idempotence, changed files and sidecars, and an import killed mid-way then resumed.
@Suite struct ImportTests {
  let scratch: ScratchDirectory
  let bank: String
  let archive: String
  let cli = CLI()

  init() throws {
    scratch = try ScratchDirectory()
    bank = scratch.appending("bank")
    archive = scratch.appending("archive")
    try CLI.makeArchive(at: archive)
  }

  func summary(_ output: CLI.Output) throws -> [String: Any] {
    try #require(try output.json() as? [String: Any], "not JSON: \(output.stdout) \(output.stderr)")
  }

  func records() throws -> [[String: Any]] {
    try #require(try cli("list", "--json", "--bank", bank).json() as? [[String: Any]])
  }

  func record(named name: String) throws -> [String: Any] {
    try #require(try records().first { ($0["originalNames"] as? [String])?.contains(name) == true }, "\(name)")
  }

  @Test("the first import reports every file exactly; the second reads nothing")
  func outcomes() throws {
    let reportPath = scratch.appending("report.json")
    let first = try cli(
      "import", archive, "--bank", bank, "--json", "--operator", "Nguyễn Văn A", "--report", reportPath)
    #expect(first.status == 1, "two files fail: \(first.stderr)")
    let result = try summary(first)
    #expect(result["added"] as? Int == 7)
    #expect(result["duplicates"] as? Int == 1)
    #expect(result["unchanged"] as? Int == 0)
    #expect(result["failed"] as? Int == 2)
    #expect(result["skipped"] as? Int == 11)
    #expect(
      result["skippedByReason"] as? [String: Int] == [
        "hidden file": 1, "macOS resource folder": 1, "not a media file": 1, "sidecar": 3,
        "symbolic link (use --follow-links)": 2, "system file": 3,
      ])
    let failures = try #require(result["failures"] as? [[String: String]])
    #expect(
      Set(failures.map { "\(($0["path"]! as NSString).lastPathComponent): \($0["reason"]!)" }) == [
        "ghi-chu.jpg: not a JPEG file (starts with 0x6e 0x6f)",
        "hong.jpg: not a JPEG file (starts with 0x00 0x00)",
      ])
    #expect(try records().count == 7)
    // The report has one entry per file met, with its outcome.
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: reportPath))) as? [[String: String]])
    #expect(report.count == 21)
    let outcomes = Dictionary(grouping: report, by: { $0["outcome"] ?? "" }).mapValues(\.count)
    #expect(outcomes == ["added": 7, "duplicate": 1, "skipped": 11, "failed": 2])
    #expect(report.filter { $0["outcome"] == "added" }.allSatisfy { $0["id"]?.hasPrefix("sha256:") == true })

    let second = try summary(try cli("import", archive, "--bank", bank, "--json"))
    #expect(second["added"] as? Int == 0)
    #expect(second["duplicates"] as? Int == 0)
    #expect(second["unchanged"] as? Int == 8)
    #expect(second["bytes"] as? Int == 0, "unchanged files must not be read")
    #expect(try records().count == 7)

    // The second run changed nothing: it leaves no batch behind.
    #expect(second["batch"] == nil && second["nothingNew"] as? Bool == true)
    let before = try #require(second["failedBefore"] as? [[String: Int]])
    #expect(before == [["batch": 1, "files": 2]])
    let batches = try #require(try cli("batches", "--json", "--bank", bank).json() as? [[String: Any]])
    #expect(batches.count == 1)
    #expect(batches.allSatisfy { $0["finishedAt"] != nil && $0["root"] as? String == archive })
    let shown = try cli("batches", "show", "1", "--bank", bank)
    #expect(shown.stdout.contains("operator      Nguyễn Văn A"))
    #expect(shown.stdout.contains("hong.jpg: not a JPEG file"))
  }

  @Test("sidecars, metadata.csv, folder hints, explicit tags and names that are not UTF-8")
  func whatFilesAreGiven() throws {
    let result = try cli(
      "import", archive, "--bank", bank, "--pillar", "tourism-landscape", "--locality", "19", "--lang", "vi")
    #expect(result.status == 1)

    // IMG_0001.xmp wins over the embedded XMP; the folder is a hint; the year too (no date).
    let sidecar = try record(named: "IMG_0001.JPG")
    #expect((sidecar["title"] as? [String: String])?["en"] == "Sunrise on Nui Coc Lake (sidecar)")
    #expect((sidecar["sources"] as? [String: String])?["title.en"] == "sidecar")
    let hints = try #require(sidecar["hints"] as? [String: Any])
    #expect(hints["folders"] as? [String] == ["Du lịch/Hồ Núi Cốc/2023"])
    #expect(hints["capturedYear"] as? Int == 2023)
    #expect(sidecar["width"] as? Int == 64 && sidecar["height"] as? Int == 48, "orientation 6, displayed")
    // A sidecar named scan.png.xmp is found too.
    let scan = try record(named: "scan.png")
    #expect((scan["title"] as? [String: String])?["en"] == "Sunrise on Nui Coc Lake (scan sidecar)")
    // A photo with a capture date gets no year hint.
    #expect((try record(named: "nui-coc.jpg")["hints"] as? [String: Any])?["capturedYear"] == nil)

    // metadata.csv: texts with source csv, keywords split on ';', tags, a capture date.
    let market = try record(named: "cho-noi.jpg")
    #expect((market["title"] as? [String: String])?["en"] == "Cai Rang floating market")
    #expect((market["description"] as? [String: String])?["en"] == "Boats at dawn, Can Tho")
    #expect((market["sources"] as? [String: String])?["title.vi"] == "csv")
    #expect((market["rights"] as? [String: String])?["license"] == "CC BY 4.0")
    let pillars = (market["pillars"] as? [[String: Any]] ?? []).map { "\($0["code"]!)/\($0["source"]!)" }
    #expect(pillars.sorted() == ["events-sports/path", "tourism-landscape/csv", "tourism-landscape/explicit"])
    let languages = (market["languages"] as? [[String: Any]] ?? []).map { "\($0["tag"]!)/\($0["source"]!)" }
    // The CSV's language column, --lang, and title_en (an English title states English).
    #expect(languages.sorted() == ["en/csv", "vi/csv", "vi/explicit"])
    // --locality beats the CSV's 92.
    let locality = try #require(market["locality"] as? [String: Any])
    #expect(locality["province"] as? String == "19" && locality["source"] as? String == "explicit")
    let bridge = try record(named: "cau-rong.heic")
    // The HEIC has its own date, which the CSV does not override.
    #expect(bridge["capturedAt"] as? String == "2025-08-02T17:45:00+07:00")
    // The duplicate under another name is one asset with both names.
    #expect(Set(market["originalNames"] as? [String] ?? []) == ["cho-noi.jpg", "bản sao chợ nổi.jpg"])

    // A Latin-1 file name is imported and shown with the invalid byte escaped.
    let latin1 = try record(named: "caf\\xE9.jpg")
    let provenance = try #require((latin1["provenance"] as? [[String: Any]])?.first)
    #expect(provenance["path"] as? String == "\(archive)/Khác/caf\\xE9.jpg")
    // The extension lies; the content is a JPEG.
    #expect(try record(named: "anh.png")["mediaType"] as? String == "image/jpeg")
  }

  @Test("locality from the file's location fields, GPS, the CSV, folder names and the bank's province")
  func localities() throws {
    #expect(try cli("init", "--bank", bank, "--province", "19").status == 0)
    #expect(try cli("import", archive, "--bank", bank).status == 1)
    func locality(_ name: String) throws -> [String: Any] {
      try #require(try record(named: name)["locality"] as? [String: Any], "\(name)")
    }
    // XMP photoshop:City "Đại Từ" + State "Thái Nguyên" → today's commune, with what was stated.
    let embedded = try locality("nui-coc.jpg")
    #expect(embedded["commune"] as? String == "05830" && embedded["province"] as? String == "19")
    #expect(embedded["source"] as? String == "embedded" && embedded["confirmed"] as? Bool == true)
    #expect((embedded["stated"] as? String)?.hasPrefix("Đại Từ, Thái Nguyên → 05830") == true)
    // The CSV names Đà Nẵng's code 48 for the HEIC, whose GPS is in Đà Nẵng too: no conflict, and
    // the GPS's commune, more precise than the stated province, is the locality.
    let bridge = try locality("cau-rong.heic")
    #expect(bridge["province"] as? String == "48" && bridge["source"] as? String == "gps" && bridge["conflict"] == nil)
    #expect((bridge["commune"] as? String)?.count == 5 && bridge["stated"] != nil)
    // A folder named after a commune is a suggestion.
    let path = try locality("scan.png")
    #expect(path["province"] as? String == "15" && path["source"] as? String == "path")
    #expect(path["confirmed"] as? Bool == false)
    // Nothing says where: the bank's own province, as a suggestion. GPS outside Vietnam gives none.
    for name in ["IMG_0001.JPG", "caf\\xE9.jpg"] {
      let fallback = try locality(name)
      #expect(fallback["source"] as? String == "bank-default" && fallback["province"] as? String == "19")
      #expect(fallback["confirmed"] as? Bool == false)
    }
  }

  @Test("pillars: CSV codes are confirmed; hints in folder names and in the file's words are suggestions")
  func pillarTags() throws {
    #expect(try cli("import", archive, "--bank", bank).status == 1)
    func pillars(_ name: String) throws -> Set<String> {
      let tags = try #require(try record(named: name)["pillars"] as? [[String: Any]], "\(name)")
      return Set(
        tags.map { "\($0["code"]!)/\($0["source"]!)/\(($0["confirmed"] as? Bool) == true ? "confirmed" : "suggested")" }
      )
    }
    // "Du lịch/Hồ Núi Cốc/2023" and the XMP keyword "du lịch".
    #expect(try pillars("nui-coc.jpg") == ["tourism-landscape/path/suggested", "tourism-landscape/text/suggested"])
    // metadata.csv says culture-heritage;events-sports; the folder "Lễ hội" would suggest
    // events-sports, which is already stated, so it is not suggested again.
    #expect(try pillars("cau-rong.heic") == ["culture-heritage/csv/confirmed", "events-sports/csv/confirmed"])
    // The folder "Lễ hội" suggests events-sports for the market photo, whose CSV row says tourism.
    #expect(try pillars("cho-noi.jpg").contains("events-sports/path/suggested"))
    // Nothing about the photo suggests a pillar.
    #expect(try record(named: "anh.png")["pillars"] == nil)
  }

  @Test("a stated locality that the GPS position contradicts is kept, and the conflict recorded")
  func localityConflict() throws {
    #expect(try cli("import", archive, "--bank", bank, "--locality", "Bắc Kạn").status == 1)
    let bridge = try #require(try record(named: "cau-rong.heic")["locality"] as? [String: Any])
    #expect(bridge["province"] as? String == "19" && bridge["source"] as? String == "explicit")
    #expect((bridge["stated"] as? String)?.contains("former province, merged 2025") == true)
    #expect(
      bridge["conflict"] as? String
        == "the GPS position is in 48 Thành phố Đà Nẵng, not in the stated province 19")
    // An ambiguous or unknown --locality is a usage error naming the candidates.
    let ambiguous = try cli("import", archive, "--bank", bank, "--locality", "Tân Thành")
    #expect(ambiguous.status == 64 && ambiguous.stderr.contains("is ambiguous (9 candidates"))
  }

  @Test("a changed file or a changed sidecar is read again; --dry-run writes nothing")
  func changes() throws {
    let dry = try summary(try cli("import", archive, "--bank", bank, "--dry-run", "--json"))
    // A dry run recognises files by their first bytes and decodes nothing: both files named .jpg
    // whose first bytes are not a JPEG's (text, an overwritten start) are refused.
    #expect(dry["added"] as? Int == 8 && dry["failed"] as? Int == 2 && dry["batch"] == nil)
    #expect(
      !FileManager.default.fileExists(atPath: "\(bank)/objects/sha256")
        || scratch.files(under: "bank/objects/sha256").isEmpty)

    try cli("import", archive, "--bank", bank)
    // New bytes in one photo (data after the JPEG end marker), a new title in one sidecar.
    let photo = URL(fileURLWithPath: "\(archive)/Du lịch/Hồ Núi Cốc/2023/nui-coc.jpg")
    let handle = try FileHandle(forWritingTo: photo)
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("edited".utf8))
    try handle.close()
    let sidecar = "\(archive)/Du lịch/Mù Cang Chải/scan.png.xmp"
    let text = try String(contentsOfFile: sidecar, encoding: .utf8)
    try text.replacingOccurrences(of: "(scan sidecar)", with: "(edited)").write(
      toFile: sidecar, atomically: false, encoding: .utf8)

    // A value removed from a sidecar is removed from the catalog.
    let imgSidecar = "\(archive)/Du lịch/Hồ Núi Cốc/2023/IMG_0001.xmp"
    let imgText = try String(contentsOfFile: imgSidecar, encoding: .utf8)
    try imgText.replacingOccurrences(
      of: "<rdf:li xml:lang=\"en\">Sunrise on Nui Coc Lake (sidecar)</rdf:li>", with: ""
    ).write(toFile: imgSidecar, atomically: false, encoding: .utf8)

    let again = try summary(try cli("import", archive, "--bank", bank, "--json"))
    #expect(again["added"] as? Int == 1, "the edited photo is new content")
    #expect(again["updated"] as? Int == 2, "scan.png and IMG_0001.JPG are read again for their new sidecars")
    #expect(again["duplicates"] as? Int == 0, "no file has the bytes of another under another name")
    #expect(again["unchanged"] as? Int == 5)
    #expect(
      (try record(named: "IMG_0001.JPG")["title"] as? [String: String]) == ["vi": "Bình minh trên hồ Núi Cốc (sidecar)"]
    )
    #expect((try record(named: "scan.png")["title"] as? [String: String])?["en"] == "Sunrise on Nui Coc Lake (edited)")
  }

  @Test("an import killed with SIGKILL and run again ends with the same bank as one uninterrupted run")
  func killAndResume() throws {
    // 400 distinct photos: one JPEG with different bytes after its end marker.
    let many = scratch.appending("many/Sự kiện/2024")
    try FileManager.default.createDirectory(atPath: many, withIntermediateDirectories: true)
    let jpeg = try Data(contentsOf: URL(fileURLWithPath: CLI.photo("nui-coc-vi-en.jpg")))
    for index in 0..<400 {
      try (jpeg + Data("copy \(index)".utf8)).write(to: URL(fileURLWithPath: "\(many)/IMG_\(1000 + index).jpg"))
    }
    let folder = scratch.appending("many")

    let importer = try cli.start(["import", folder, "--bank", bank, "--jobs", "1"])
    // Kill once the first transaction is committed, while files remain.
    let catalog = "\(bank)/catalog.sqlite"
    var committed = 0
    let deadline = Date().addingTimeInterval(60)
    while committed == 0 && importer.isRunning && Date() < deadline {
      usleep(10_000)
      committed = countCached(catalog)
    }
    kill(importer.processIdentifier, SIGKILL)
    importer.waitUntilExit()
    try #require(importer.terminationReason == .uncaughtSignal, "the import ended before it could be killed")
    #expect(committed > 0 && committed < 400)

    let resumed = try summary(try cli("import", folder, "--bank", bank, "--jobs", "1", "--json"))
    #expect(resumed["failed"] as? Int == 0)
    #expect((resumed["unchanged"] as? Int ?? 0) >= committed)
    #expect((resumed["added"] as? Int ?? 0) + (resumed["unchanged"] as? Int ?? 0) == 400)

    let reference = scratch.appending("reference")
    #expect(try cli("import", folder, "--bank", reference, "--json").status == 0)
    func normalized(_ bank: String) throws -> [String] {
      let list = try #require(try cli("list", "--json", "--bank", bank).json() as? [[String: Any]])
      return try list.map { record in
        var record = record
        record["addedAt"] = nil
        record["provenance"] = (record["provenance"] as? [[String: Any]])?.map { ($0["path"] as? String) ?? "" }
        return String(decoding: try JSONSerialization.data(withJSONObject: record, options: .sortedKeys), as: UTF8.self)
      }.sorted()
    }
    #expect(try normalized(bank) == normalized(reference))
    #expect(scratch.files(under: "bank/objects/sha256") == scratch.files(under: "reference/objects/sha256"))
    let verified = try cli("verify", "--bank", bank)
    #expect(verified.status == 0 && !verified.stdout.contains("unreferenced"), "\(verified.stdout)")
  }

  @Test("an import without previews killed with SIGKILL again and again never leaves the catalog naming a lost object")
  func killDuringGroupFlushes() throws {
    // 600 distinct PNGs in three folders: one PNG with different bytes after its end chunk.
    let folder = scratch.appending("scans")
    let png = try Data(contentsOf: URL(fileURLWithPath: CLI.photo("scan.png")))
    for index in 0..<600 {
      let sub = "\(folder)/set-\(index / 200)"
      if index % 200 == 0 { try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true) }
      try (png + Data("scan \(index)".utf8)).write(to: URL(fileURLWithPath: "\(sub)/scan-\(index).png"))
    }
    let catalog = "\(bank)/catalog.sqlite"
    var committed = 0
    var kills = 0
    // Each run is killed once it has recorded a group more than the run before: while it stages,
    // flushes and names the next ones.
    for _ in 0..<3 {
      let importer = try cli.start(["import", folder, "--bank", bank, "--jobs", "2", "--no-thumbnails"])
      let before = committed
      let deadline = Date().addingTimeInterval(60)
      while committed <= before && importer.isRunning && Date() < deadline {
        usleep(5_000)
        committed = countCached(catalog)
      }
      kill(importer.processIdentifier, SIGKILL)
      importer.waitUntilExit()
      guard importer.terminationReason == .uncaughtSignal else { break }  // It had finished.
      kills += 1
      // Whatever the catalog names is in place and whole; objects not yet named are harmless.
      let verified = try cli("verify", "--bank", bank)
      #expect(verified.status == 0, "after kill \(kills): \(verified.stdout) \(verified.stderr)")
    }
    #expect(kills > 0, "every import ended before it could be killed")

    let resumed = try summary(try cli("import", folder, "--bank", bank, "--jobs", "2", "--no-thumbnails", "--json"))
    #expect(resumed["failed"] as? Int == 0)
    #expect((resumed["added"] as? Int ?? 0) + (resumed["unchanged"] as? Int ?? 0) == 600)
    #expect((resumed["unchanged"] as? Int ?? 0) >= committed)
    #expect(try records().count == 600)
    let verified = try cli("verify", "--bank", bank)
    #expect(verified.status == 0 && !verified.stdout.contains("unreferenced"), "\(verified.stdout)")
    #expect(scratch.files(under: "bank/objects/tmp").isEmpty)
  }

  @Test("sidecars and metadata.csv are read in a folder whose name is not UTF-8")
  func legacyFolderName() throws {
    // "Lễ hội" in a legacy 8-bit encoding: bytes that are not UTF-8.
    let root = scratch.appending("legacy")
    let folder = Array(root.utf8) + Array("/L".utf8) + [0xea, 0x20, 0x68, 0xf4, 0x69]
    #expect(folder.withUnsafeBufferPointer { mkdir(root, 0o755) == 0 && mkdirRaw($0) == 0 })
    func write(_ name: String, _ data: Data) throws {
      let path = folder + [0x2f] + Array(name.utf8)
      let descriptor = path.withUnsafeBufferPointer { openRaw($0) }
      #expect(descriptor >= 0)
      let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
      try handle.write(contentsOf: data)
    }
    try write("a.jpg", try Data(contentsOf: URL(fileURLWithPath: CLI.photo("orientation-1.jpg"))))
    try write("b.jpg", try Data(contentsOf: URL(fileURLWithPath: CLI.photo("gps-southwest.jpg"))))
    try write("a.xmp", try Data(contentsOf: URL(fileURLWithPath: "\(archive)/Du lịch/Hồ Núi Cốc/2023/IMG_0001.xmp")))
    try write("metadata.csv", Data("file,title_en\nb.jpg,Copacabana\n".utf8))

    let result = try summary(try cli("import", root, "--bank", bank, "--json"))
    #expect(result["added"] as? Int == 2 && result["failed"] as? Int == 0, "\(result)")
    #expect((try record(named: "a.jpg")["title"] as? [String: String])?["en"] == "Sunrise on Nui Coc Lake (sidecar)")
    #expect((try record(named: "b.jpg")["title"] as? [String: String])?["en"] == "Copacabana")
    let folders = (try record(named: "b.jpg")["hints"] as? [String: Any])?["folders"] as? [String]
    #expect(folders == ["L\\xEA h\\xF4i"])
  }

  @Test("a progress line on a terminal, none otherwise")
  func progress() throws {
    // script(1) runs the import on a pseudo-terminal.
    let command = [CLI.executable.path, "import", archive, "--bank", bank].map { "'\($0)'" }.joined(separator: " ")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    process.arguments = ["-qec", command, "/dev/null"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(output.contains("11/11 files, 64.7 KB of 64.7 KB"), "\(output)")
    #expect(output.contains("files/s, 2 failed"))

    let piped = try cli("import", archive, "--bank", scratch.appending("other"))
    #expect(!piped.stderr.contains("files/s") && !piped.stdout.contains("files/s"))
  }

  @Test("a folder that does not exist, or a file, is a fatal error (exit 2)")
  func badRoot() throws {
    let missing = try cli("import", scratch.appending("nowhere"), "--bank", bank)
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("nowhere: cannot open the folder: No such file or directory"))
    let file = try cli("import", CLI.photo("scan.png"), "--bank", bank)
    #expect(file.status == 2)
    #expect(file.stderr.contains("not a folder (to add single files, use `mediabank add`)"))
  }

  @Test("--follow-links follows links and stops at a loop")
  func followLinks() throws {
    let result = try summary(try cli("import", archive, "--bank", bank, "--follow-links", "--json"))
    let reasons = try #require(result["skippedByReason"] as? [String: Int])
    #expect(reasons["symbolic link loop"] == 1)
    #expect(reasons["symbolic link (use --follow-links)"] == nil)
    // The link to anh.png is one more arrival of the same bytes.
    #expect(result["added"] as? Int == 7 && result["duplicates"] as? Int == 2)
  }

  @Test("Ctrl-C records the files under way, exits 130, and the next run finishes the import")
  func interrupt() throws {
    let folder = scratch.appending("many")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let jpeg = try Data(contentsOf: URL(fileURLWithPath: CLI.photo("scan.png")))
    for index in 0..<300 {
      try (jpeg + Data("copy \(index)".utf8)).write(to: URL(fileURLWithPath: "\(folder)/scan-\(index).png"))
    }
    let importer = try cli.start(["import", folder, "--bank", bank, "--jobs", "1"])
    let deadline = Date().addingTimeInterval(60)
    while countCached("\(bank)/catalog.sqlite") == 0 && importer.isRunning && Date() < deadline { usleep(10_000) }
    kill(importer.processIdentifier, SIGINT)
    importer.waitUntilExit()
    try #require(importer.terminationStatus == 130, "the import ended before Ctrl-C (\(importer.terminationStatus))")
    let batches = try #require(try cli("batches", "--json", "--bank", bank).json() as? [[String: Any]])
    #expect(batches.count == 1 && batches[0]["finishedAt"] == nil)
    let done = (batches[0]["added"] as? Int) ?? 0
    #expect(done > 0 && done < 300 && countCached("\(bank)/catalog.sqlite") == done)

    let resumed = try summary(try cli("import", folder, "--bank", bank, "--json"))
    #expect(resumed["unchanged"] as? Int == done && resumed["added"] as? Int == 300 - done)
  }

  /// Rows in the import cache of a catalog (0 when it cannot be read yet).
  func countCached(_ catalog: String) -> Int {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = ["-readonly", catalog, "SELECT count(*) FROM file_cache"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return 0 }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
  }
}

/// `mkdir` and `open` of a path given as raw bytes (not always UTF-8).
private func mkdirRaw(_ path: UnsafeBufferPointer<UInt8>) -> Int32 {
  (Array(path) + [0]).withUnsafeBufferPointer { buffer in
    buffer.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o755) }
  }
}

private func openRaw(_ path: UnsafeBufferPointer<UInt8>) -> Int32 {
  (Array(path) + [0]).withUnsafeBufferPointer { buffer in
    buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o644) }
  }
}
