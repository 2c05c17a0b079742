import Foundation
import Testing

/// Correcting the bank through the `mediabank` executable: edit, history, delete, batches undo,
/// bulk tags, honest re-imports, and what reaches the national bank.
@Suite struct CurationCommandTests {
  let scratch: ScratchDirectory
  let bank: String
  let cli = CLI()

  init() throws {
    scratch = try ScratchDirectory()
    bank = scratch.appending("bank")
    #expect(try cli("init", "--bank", bank, "--province", "19").status == 0)
  }

  func json(_ arguments: String...) throws -> Any {
    let output = try cli.run(arguments)
    #expect(output.status == 0, "\(arguments.joined(separator: " ")): \(output.stderr)")
    return try output.json()
  }

  func ids() throws -> [String] {
    try #require(try json("list", "--json", "--bank", bank) as? [[String: Any]]).compactMap { $0["id"] as? String }
  }

  @Test("edit, then history and show --json: the explicit value, the file's kept as overridden, who and when")
  func editAndHistory() throws {
    #expect(try cli("add", CLI.photo("nui-coc-vi-en.jpg"), "--bank", bank).status == 0)
    let id = try #require(try ids().first)
    let edited = try cli(
      "edit", String(id.prefix(14)), "--title", "Hồ Núi Cốc\u{1B}[2J", "--lang", "vi", "--captured-at",
      "2019-02-05T08:00:00+07:00", "--add-keyword", "hồ", "thu", "--operator", "Trần Thị B", "--bank", bank)
    #expect(edited.status == 0, "\(edited.stderr)")
    #expect(edited.stdout.contains("edited \(id)") && edited.stdout.contains("4 changes recorded."))
    let record = try #require(try json("show", id, "--json", "--bank", bank) as? [String: Any])
    #expect((record["title"] as? [String: String])?["vi"] == "Hồ Núi Cốc\u{1B}[2J")
    #expect(record["capturedAt"] as? String == "2019-02-05T08:00:00+07:00")
    let overridden = try #require(record["overridden"] as? [[String: Any]])
    #expect(overridden.contains { $0["field"] as? String == "capturedAt" })

    let history = try cli("history", id, "--bank", bank)
    #expect(history.status == 0)
    // A hostile value cannot clear the screen: the escape is shown, not sent.
    #expect(!history.stdout.contains("\u{1B}") && history.stdout.contains("\\x1B[2J"))
    #expect(history.stdout.contains("Trần Thị B  edit title.vi: “Hồ Núi Cốc lúc bình minh” → "))
    let entries = try #require(try json("history", id, "--json", "--bank", bank) as? [[String: Any]])
    #expect(entries.count == 4 && entries.allSatisfy { $0["operator"] as? String == "Trần Thị B" })
    #expect(entries.map { $0["field"] as? String ?? "" } == ["title.vi", "capturedAt", "keyword", "keyword"])
    let shown = try cli("show", id, "--bank", bank).stdout
    #expect(shown.contains("  changes           4 changes (mediabank history \(id.prefix(19)))"))
    #expect(shown.contains("Trần Thị B  edit keyword: “thu”"))

    // Usage errors: no language for a title, a date that is not a date.
    #expect(try cli("edit", id, "--title", "x", "--bank", bank).status == 64)
    #expect(try cli("edit", id, "--captured-at", "5/2/2019", "--bank", bank).status == 64)
    #expect(try cli("edit", "sha256:0000", "--creator", "A", "--bank", bank).status == 2)

    // A keyword taken back, rights stated, and an undetermined title said to be Vietnamese.
    let rights = try cli(
      "edit", id, "--remove-keyword", "thu", "--license", "CC BY 4.0", "--usage-terms", "Ghi nguồn: Sở VHTTDL",
      "--bank", bank)
    #expect(rights.status == 0 && rights.stdout.contains("3 changes recorded."), "\(rights.stdout)")
    let after = try #require(try json("show", id, "--json", "--bank", bank) as? [String: Any])
    let stated = try #require(after["rights"] as? [String: String])
    #expect(stated["license"] == "CC BY 4.0" && stated["usageTerms"] == "Ghi nguồn: Sở VHTTDL")
    let keywords = try #require(after["keywords"] as? [String])
    #expect(keywords.contains("hồ") && !keywords.contains("thu"))
    #expect(try cli("add", CLI.photo("scan.png"), "--title", "Chợ nổi", "--bank", bank).status == 0)
    let scan = try #require(try ids().first { $0 != id })
    let moved = try cli("edit", scan, "--move-text", "und:vi", "--bank", bank)
    #expect(moved.status == 0, "\(moved.stderr)")
    let title = try #require(try json("show", scan, "--json", "--bank", bank) as? [String: Any])["title"]
    #expect((title as? [String: String])?["vi"] == "Chợ nổi" && (title as? [String: String])?["und"] == nil)
  }

  @Test("delete: the bytes leave objects/, verify is clean, a re-import is refused until --allow-deleted")
  func deleteAndTombstone() throws {
    let folder = scratch.appending("archive")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: CLI.photo("gps-southwest.jpg"), toPath: folder + "/a.jpg")
    try FileManager.default.copyItem(atPath: CLI.photo("scan.png"), toPath: folder + "/b.png")
    #expect(try cli("import", folder, "--bank", bank).status == 0)
    // The photo a.jpg first (the import's order depends on its workers).
    let listed = try #require(try json("list", "--json", "--bank", bank) as? [[String: Any]])
    let all = listed.sorted { "\($0["originalNames"]!)" < "\($1["originalNames"]!)" }.compactMap { $0["id"] as? String }
    let record = try #require(try json("show", all[0], "--json", "--bank", bank) as? [String: Any])
    #expect(record["originalNames"] as? [String] == ["a.jpg"])
    let thumbnail = try #require(record["thumbnail"] as? String)

    let dry = try cli("delete", all[0], "--reason", "personal data", "--dry-run", "--bank", bank)
    #expect(dry.status == 0 && dry.stdout.contains("would delete \(all[0])"))
    #expect(dry.stdout.contains("Would delete 1 asset and remove 2 objects from the store."))
    #expect(Set(try ids()) == Set(all))

    let deleted = try cli("delete", all[0], "--reason", "personal data", "--bank", bank)
    #expect(deleted.status == 0, "\(deleted.stderr)")
    #expect(deleted.stdout.contains("Deleted 1 asset; 2 objects removed from the store"))
    let objects = scratch.files(under: "bank/objects/sha256").map {
      "sha256:" + $0.replacingOccurrences(of: "/", with: "")
    }
    #expect(!objects.contains(all[0]) && !objects.contains(thumbnail))
    #expect(try ids() == [all[1]])
    let verify = try cli("verify", "--bank", bank)
    #expect(verify.status == 0 && !verify.stdout.contains("unreferenced"), "\(verify.stdout)")
    #expect(try cli("show", all[0], "--bank", bank).status == 2)
    #expect(try cli("history", all[0], "--bank", bank).stdout.contains("delete: “personal data”"))

    // A changed file elsewhere with the same bytes: refused, with the reason, and the run fails.
    let again = scratch.appending("again")
    try FileManager.default.createDirectory(atPath: again, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: CLI.photo("gps-southwest.jpg"), toPath: again + "/copy.jpg")
    let refused = try cli("import", again, "--bank", bank)
    #expect(refused.status == 1)
    #expect(refused.stdout.contains("copy.jpg: deleted before on "))
    #expect(refused.stdout.contains("(personal data); use --allow-deleted to add it again"))
    #expect(try cli("add", again + "/copy.jpg", "--bank", bank).status == 1)
    let allowed = try cli("import", again, "--allow-deleted", "--bank", bank)
    #expect(allowed.status == 0 && allowed.stdout.contains("added         1"), "\(allowed.stdout)")
    #expect(Set(try ids()) == Set(all))
  }

  @Test("batches undo of a batch sharing a file with another: the shared asset stays, the rest goes")
  func undoSharedBatch() throws {
    let first = scratch.appending("first")
    let second = scratch.appending("second")
    for folder in [first, second] {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
    try FileManager.default.copyItem(atPath: CLI.photo("gps-southwest.jpg"), toPath: first + "/a.jpg")
    try FileManager.default.copyItem(atPath: CLI.photo("gps-southwest.jpg"), toPath: second + "/a-copy.jpg")
    try FileManager.default.copyItem(atPath: CLI.photo("scan.png"), toPath: second + "/b.png")
    #expect(try cli("import", first, "--bank", bank).status == 0)
    let shared = try #require(try ids().first)
    let imported = try cli("import", second, "--pillar", "tourism-landscape", "--bank", bank)
    #expect(imported.status == 0)
    #expect(imported.stdout.contains("  already held  1 (same bytes under another name)\n"), "\(imported.stdout)")
    let batches = try #require(try json("batches", "--json", "--bank", bank) as? [[String: Any]])
    #expect(batches.count == 2)
    let shown = try cli("batches", "show", "2", "--bank", bank)
    #expect(shown.stdout.contains("options       --pillar tourism-landscape"))

    let dry = try cli("batches", "undo", "2", "--dry-run", "--bank", bank)
    #expect(
      dry.status == 0 && dry.stdout.contains("Would undo batch 2: 1 asset removed, 1 asset kept, 1 tag taken back."))
    let undone = try cli("batches", "undo", "2", "--bank", bank)
    #expect(undone.status == 0, "\(undone.stderr)")
    #expect(try ids() == [shared])
    let record = try #require(try json("show", shared, "--json", "--bank", bank) as? [String: Any])
    #expect(record["pillars"] == nil && (record["provenance"] as? [Any])?.count == 1)
    #expect(try cli("batches", "--bank", bank).stdout.contains("undone"))
    #expect(try cli("batches", "undo", "2", "--bank", bank).status == 2)
    #expect(try cli("verify", "--bank", bank).status == 0)

    // The same file found in another folder is said to be so, not "under another name".
    let third = scratch.appending("third")
    try FileManager.default.createDirectory(atPath: third, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: CLI.photo("gps-southwest.jpg"), toPath: third + "/a.jpg")
    let copy = try cli("import", third, "--bank", bank)
    #expect(copy.stdout.contains("  already held  1 (same file in another folder)\n"), "\(copy.stdout)")
    #expect(try cli("batches", "undo", "3", "--bank", bank).status == 0)

    // Undoing batches 2 and 3 was no person's change: batch 1 is not refused for them. An edit is.
    #expect(try cli("batches", "undo", "1", "--dry-run", "--bank", bank).status == 0)
    #expect(try cli("edit", shared, "--creator", "Phạm D", "--bank", bank).status == 0)
    let refused = try cli("batches", "undo", "1", "--bank", bank)
    #expect(refused.status == 2 && refused.stderr.contains("1 change since the import"), "\(refused.stderr)")
    #expect(refused.stderr.contains("--force undoes the import anyway"))
    #expect(try ids() == [shared])
    #expect(try cli("batches", "undo", "1", "--force", "--bank", bank).status == 0)
    #expect(try cli("list", "--bank", bank).status == 1)
  }

  @Test("tag --ids-from, --folder and --batch; a re-import with other options changes no asset and sends nothing")
  func bulkTagsAndReimport() throws {
    let archive = scratch.appending("archive")
    try CLI.makeArchive(at: archive)
    let first = try cli("import", archive, "--bank", bank)
    #expect(first.status == 1)  // the archive's two broken files
    let list = scratch.appending("ids.txt")
    let all = try ids()
    try (all.prefix(2).joined(separator: "\n") + "\n# a comment\n").write(
      toFile: list, atomically: true, encoding: .utf8)
    let fromFile = try cli("tag", "--ids-from", list, "--pillar", "culture-heritage", "--bank", bank)
    #expect(fromFile.status == 0 && fromFile.stdout.contains("Tagged 2 assets: 2 changes."), "\(fromFile.stderr)")
    let dry = try cli("tag", "--batch", "1", "--lang", "vi", "--dry-run", "--bank", bank)
    #expect(dry.stdout.contains("Would tag \(all.count) assets"))
    #expect(try cli("tag", "--folder", archive + "/Du lịch", "--lang", "vi", "--bank", bank).status == 0)
    #expect(try cli("tag", "1", "--batch", "1", "--lang", "vi", "--bank", bank).status == 64)

    // Everything so far goes in one bundle; then a re-import with new options has nothing to send.
    let usb = scratch.appending("usb")
    #expect(try cli("export", "--out", usb, "--bank", bank).status == 0)
    let second = try cli("import", archive, "--pillar", "tourism-landscape", "--lang", "en", "--bank", bank)
    #expect(second.status == 0, "\(second.stdout)")
    #expect(second.stdout.contains("(nothing new: no batch recorded)"))
    #expect(second.stdout.contains("failed        2 (unchanged since batch 1)"))
    #expect(try cli("export", "--out", usb, "--bank", bank).stdout.contains("Nothing to export"))
    #expect(try (json("batches", "--json", "--bank", bank) as? [Any])?.count == 1)
    let records = try #require(try json("list", "--json", "--bank", bank) as? [[String: Any]])
    // No explicit tag from the second run's options (the archive's folders suggest the pillar).
    #expect(
      !records.contains {
        ($0["pillars"] as? [[String: Any]])?.contains {
          $0["code"] as? String == "tourism-landscape" && $0["source"] as? String == "explicit"
        } == true
          || ($0["languages"] as? [[String: Any]])?.contains {
            $0["tag"] as? String == "en" && $0["source"] as? String == "explicit"
          } == true
      })
  }

  @Test("list --ids piped into tag --ids-from - and into edit through xargs, as a shell script would")
  func piping() throws {
    #expect(try cli("add", CLI.photo("nui-coc-vi-en.jpg"), CLI.photo("scan.png"), "--bank", bank).status == 0)
    let tool = CLI.executable.path
    func shell(_ script: String) throws -> Int32 {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      process.arguments = ["-c", script, "sh", tool, bank]
      process.environment = cli.environment
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      process.waitUntilExit()
      return process.terminationStatus
    }
    #expect(
      try shell(#""$1" list --ids --bank "$2" | "$1" tag --ids-from - --pillar culture-heritage --bank "$2""#) == 0)
    #expect(try shell(#""$1" list --ids --bank "$2" | xargs "$1" edit --creator "Sở VHTTDL" --bank "$2""#) == 0)
    let records = try #require(try json("list", "--json", "--bank", bank) as? [[String: Any]])
    #expect(records.count == 2)
    for record in records {
      #expect((record["pillars"] as? [[String: Any]])?.contains { $0["code"] as? String == "culture-heritage" } == true)
      #expect(record["creator"] as? String == "Sở VHTTDL")
    }

    // Ids named one way only; then the photos of a pillar deleted through a pipe.
    let both = try cli("delete", try ids()[0], "--ids-from", "-", "--reason", "x", "--bank", bank)
    #expect(both.status == 64 && both.stderr.contains("name the assets one way"), "\(both.stderr)")
    #expect(try cli("delete", "--reason", "x", "--bank", bank).status == 64)
    let kept = try #require(try ids().first)
    #expect(try cli("tag", kept, "--pillar", "culture-heritage", "--remove", "--bank", bank).status == 0)
    #expect(
      try shell(
        #""$1" list --ids --pillar culture-heritage --bank "$2" | "$1" delete --ids-from - --reason "test" --bank "$2""#
      )
        == 0)
    #expect(try ids() == [kept])
  }

  @Test("bad selections are refused with the reason and change nothing: an empty or binary id list, an unknown folder")
  func badSelections() throws {
    #expect(try cli("add", CLI.photo("scan.png"), "--bank", bank).status == 0)
    let empty = scratch.appending("empty.txt")
    try "# nothing here\n\n".write(toFile: empty, atomically: true, encoding: .utf8)
    let none = try cli("tag", "--ids-from", empty, "--pillar", "culture-heritage", "--bank", bank)
    #expect(none.status == 2 && none.stderr.contains("empty.txt: no ids"), "\(none.stderr)")
    let binary = scratch.appending("binary.txt")
    try Data(repeating: 0x41, count: 5000).write(to: URL(fileURLWithPath: binary))
    let long = try cli("tag", "--ids-from", binary, "--pillar", "culture-heritage", "--bank", bank)
    #expect(
      long.status == 2 && long.stderr.contains("a line is longer than 4 KiB: not a list of ids"), "\(long.stderr)")
    let folder = try cli("tag", "--folder", scratch.appending("nowhere"), "--lang", "vi", "--bank", bank)
    #expect(folder.status == 2 && folder.stderr.contains("no asset of this bank came from this folder or below it"))
    #expect(try cli("history", try #require(try ids().first), "--bank", bank).stdout.contains("No change was made"))
  }

  @Test("a folder of notes and READMEs imports no story; a text file named to add is taken")
  func notesAreNotStories() throws {
    let notes = scratch.appending("notes")
    try FileManager.default.createDirectory(atPath: notes, withIntermediateDirectories: true)
    try "# Ảnh sự kiện\n\nThư mục ảnh của sở.\n".write(toFile: notes + "/README.md", atomically: true, encoding: .utf8)
    try "wifi: sovhtt / matkhau123\n".write(toFile: notes + "/wifi.txt", atomically: true, encoding: .utf8)
    try "<html><body>Danh sách</body></html>".write(toFile: notes + "/list.html", atomically: true, encoding: .utf8)
    let imported = try cli("import", notes, "--bank", bank)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains("    3  text file without story front matter"), "\(imported.stdout)")
    #expect(try cli("list", "--bank", bank).status == 1)
    let added = try cli("add", notes + "/wifi.txt", "--bank", bank)
    #expect(added.status == 0, "\(added.stderr)")
    #expect(
      try #require(try json("list", "--json", "--bank", bank) as? [[String: Any]]).first?["kind"] as? String == "story")
  }

  @Test("an edit made at the province reaches the national bank with the next bundle")
  func editTravels() throws {
    let national = scratch.appending("national")
    #expect(try cli("init", "--bank", national, "--national").status == 0)
    #expect(
      try cli("trust", "add", "--bank", "19", "--public-key", bank + "/keys/bank.pub", "--bank-path", national).status
        == 0)
    #expect(try cli("add", CLI.photo("nui-coc-vi-en.jpg"), "--bank", bank).status == 0)
    let id = try #require(try ids().first)
    let usb = scratch.appending("usb")
    #expect(try cli("export", "--out", usb, "--bank", bank).status == 0)
    #expect(try cli("receive", usb + "/mediabank-19-000001", "--bank", national).status == 0)
    #expect(try cli("edit", id, "--title", "Hồ Núi Cốc, Thái Nguyên", "--lang", "vi", "--bank", bank).status == 0)
    #expect(try cli("export", "--out", usb, "--bank", bank).status == 0)
    #expect(try cli("receive", usb + "/mediabank-19-000002", "--bank", national).status == 0)
    let received = try #require(try json("list", "--json", "--bank", national) as? [[String: Any]])
    #expect((received.first?["title"] as? [String: String])?["vi"] == "Hồ Núi Cốc, Thái Nguyên")
  }
}
