import Foundation
import Testing

/// `mediabank review`: suggestions by folder with their reasons, decisions by folder, the
/// operator in the audit log, and names that are no pillar hints.
@Suite struct ReviewCommandTests {
  let scratch: ScratchDirectory
  let bank: String
  let archive: String
  let cli = CLI()

  init() throws {
    scratch = try ScratchDirectory()
    bank = scratch.appending("bank")
    archive = scratch.appending("archive")
    try CLI.makeArchive(at: archive)
    #expect(try cli("init", "--bank", bank, "--province", "19").status == 0)
    #expect(try cli("import", archive, "--bank", bank).status == 1)
  }

  /// The audit log as `operator|action|field|old|new|source` lines, oldest first (read with
  /// Python's sqlite3, as a tool outside MediaBank would).
  func audit() throws -> [String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = [
      "-c",
      """
      import sqlite3, sys
      db = sqlite3.connect(sys.argv[1])
      for row in db.execute("SELECT operator, action, field, old_value, new_value, source FROM audit ORDER BY id"):
          print("|".join("-" if value is None else value for value in row))
      """,
      bank + "/catalog.sqlite",
    ]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
  }

  @Test("review lists the suggestions by folder: title or file name, tag, source and reason")
  func listing() throws {
    let output = try cli("review", "--bank", bank)
    #expect(output.status == 0, "\(output.stderr)")
    let text = output.stdout
    #expect(
      text.contains(
        """
        \(archive)/Du lịch/Mù Cang Chải
          sha256:71ed970cdc4b  Bình minh trên hồ Núi Cốc (scan sidecar)
            locality 04456 (path): the folder “Mù Cang Chải”
            pillar tourism-landscape (path): “du lịch” in the folder “Du lịch”
            pillar tourism-landscape (text): “ruộng bậc thang” in “Ruộng bậc thang Mù Cang Chải”

        """), "\(text)")
    // No title: the file name (escaped when it is not UTF-8).
    // (The assets of a folder are in the order the import recorded them, which its workers decide.)
    let other = try #require(text.components(separatedBy: "\n\(archive)/Khác\n").last)
    #expect(other.contains("  sha256:6462a8673076  anh.png\n"), "\(text)")
    #expect(text.contains("    locality 19 (bank-default): the bank's province (nothing else says where)\n"))
    #expect(text.hasSuffix("\n\n11 suggestions for 6 assets in 4 folders\n"), "\(text)")
    // Folders in order.
    let folders = text.split(separator: "\n").filter { $0.hasPrefix("/") }.map { String($0.dropFirst(archive.count)) }
    #expect(folders == ["/Du lịch/Hồ Núi Cốc/2023", "/Du lịch/Mù Cang Chải", "/Khác", "/Lễ hội/2019"])

    let json = try #require(try cli("review", "--json", "--bank", bank).json() as? [[String: Any]])
    #expect(json.count == 11)
    #expect(json.allSatisfy { ($0["reason"] as? String)?.isEmpty == false && ($0["folder"] as? String) != nil })
    let festival = try #require(json.first { $0["value"] as? String == "events-sports" })
    #expect(festival["folder"] as? String == archive + "/Lễ hội/2019")
    // The same bytes under two names of the folder: the first recorded.
    #expect(festival["title"] as? String == "Chợ nổi Cái Răng")
    #expect(["cho-noi.jpg", "bản sao chợ nổi.jpg"].contains(festival["name"] as? String))
    #expect(
      festival["reason"] as? String == "“lễ hội” in the folder “Lễ hội”" && festival["source"] as? String == "path")

    // One folder (a final / does not matter), one facet.
    let folder = try cli("review", "--folder", archive + "/Lễ hội/", "--pillar", "--bank", bank)
    #expect(folder.stdout.hasSuffix("1 suggestion for 1 asset in 1 folder\n"), "\(folder.stdout)")
    let none = try cli("review", "--lang", "--bank", bank)
    #expect(none.status == 0 && none.stdout == "nothing to review\n")
  }

  @Test("review accept --folder confirms what was suggested under a folder, audited with the operator")
  func acceptByFolder() throws {
    let accepted = try cli(
      "review", "accept", "--folder", archive + "/Du lịch", "--pillar", "--operator", "Nguyễn Văn A", "--bank", bank)
    #expect(accepted.status == 0 && accepted.stdout == "accepted 6 suggestions\n", "\(accepted.stderr)")
    let left = try #require(try cli("review", "--pillar", "--json", "--bank", bank).json() as? [[String: Any]])
    #expect(left.map { $0["value"] as? String } == ["events-sports"])
    let entries = try audit()
    #expect(entries.count == 6)
    #expect(entries.allSatisfy { $0.hasPrefix("Nguyễn Văn A|accept|pillar|-|tourism-landscape|") })
    #expect(Set(entries.map { $0.split(separator: "|").last! }) == ["path", "text"])

    // Rejecting by folder, the login name by default.
    let rejected = try cli("review", "reject", "--folder", archive + "/Khác", "--bank", bank)
    #expect(rejected.status == 0 && rejected.stdout == "rejected 2 suggestions\n")
    let user = ProcessInfo.processInfo.environment["USER"] ?? ""
    let login = user.isEmpty ? ProcessInfo.processInfo.userName : user
    #expect(try audit().suffix(2) == Array(repeating: "\(login)|reject|locality|19|-|bank-default", count: 2))

    // Refusals: a folder nothing came from (exit 2), ids and --folder together, nothing named (64).
    let nowhere = try cli("review", "accept", "--folder", scratch.appending("elsewhere"), "--bank", bank)
    #expect(nowhere.status == 2 && nowhere.stderr.contains("no asset of this bank came from this folder or below it"))
    let both = try cli("review", "accept", "sha256:71ed", "--folder", archive, "--bank", bank)
    #expect(both.status == 64 && both.stderr.contains("name assets or give --folder, not both"))
    let nothing = try cli("review", "reject", "--bank", bank)
    #expect(nothing.status == 64 && nothing.stderr.contains("name assets, or give --folder PATH or --all-from SOURCE"))
    #expect(try audit().count == 8)
  }

  @Test("a name after a kinship pronoun is no pillar hint: anh Hùng is not anh hùng")
  func brotherHung() throws {
    for (fixture, title) in [
      ("orientation-5.jpg", "Gặp anh Hùng ở Đại Từ"), ("orientation-6.jpg", "Anh hùng Núp"),
      ("orientation-7.jpg", "ANH HÙNG NÚP"), ("orientation-8.jpg", "Nhà anh Hùng"),
    ] {
      let copy = scratch.appending(fixture)
      try FileManager.default.copyItem(atPath: CLI.photo(fixture), toPath: copy)
      let added = try cli("add", copy, "--title", title, "--lang", "vi", "--locality", "19", "--bank", bank)
      #expect(added.status == 0, "\(added.stderr)")
    }
    let suggestions = try #require(
      try cli("review", "--pillar", "--json", "--bank", bank).json() as? [[String: Any]])
    let heroes = Set(
      suggestions.filter { $0["value"] as? String == "history-tradition" }.compactMap { $0["title"] as? String })
    #expect(heroes == ["Anh hùng Núp", "ANH HÙNG NÚP"])
    let reason = suggestions.first { $0["title"] as? String == "Anh hùng Núp" }?["reason"] as? String
    #expect(reason == "“anh hùng” in “Anh hùng Núp”")
    let match = try cli("pillars", "match", "Nhà anh Hùng", "Mẹ Việt Nam anh hùng", "--bank", bank)
    #expect(match.stdout.contains("Mẹ Việt Nam anh hùng: suggests\n  history-tradition"), "\(match.stdout)")
    #expect(!match.stdout.contains("Nhà anh Hùng: suggests"), "\(match.stdout)")
  }
}
