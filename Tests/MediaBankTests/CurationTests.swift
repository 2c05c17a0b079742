import Catalog
import Foundation
import Testing

@testable import MediaBank

/// Curation through the library: edits beside the files' values, the audit log, deletion with its
/// tombstone and purge, undoing an import, bulk tags and honest re-imports.
@Suite struct CurationTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("bank-\(UUID())")
  let archive = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID())")

  func photo(_ name: String) -> String { LibraryTests.fixtures.appendingPathComponent("photos/\(name)").path }

  /// Object files under the bank's `objects/sha256/`, as ids.
  func storedObjects() -> Set<String> {
    let base = root.appendingPathComponent("objects/sha256").path
    let all = FileManager.default.enumerator(atPath: base)?.allObjects as? [String] ?? []
    return Set(all.filter { $0.count == 65 }.map { "sha256:" + $0.replacingOccurrences(of: "/", with: "") })
  }

  /// Copies fixture photos into a fresh folder of the archive: `name` → fixture.
  func archiveFolder(_ folder: String, _ files: [String: String]) throws -> String {
    let directory = archive.appendingPathComponent(folder)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for (name, fixture) in files {
      try FileManager.default.copyItem(atPath: photo(fixture), toPath: directory.appendingPathComponent(name).path)
    }
    return directory.path
  }

  /// Runs SQL on the bank's catalog with the `sqlite3` shell, as a person with the file could;
  /// whether it succeeded.
  func sql(_ statement: String) throws -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sqlite3", root.appendingPathComponent("catalog.sqlite").path, statement]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus == 0
  }

  func revision(_ library: Library, _ id: String) throws -> Int {
    try #require(try library.catalog.entry(id)).asset.revision
  }

  @Test("edit sets explicit values beside the file's, audits each change, and a repeated edit changes nothing")
  func edit() throws {
    let library = try Library.open(at: root, create: true)
    let id = try library.add(photo("nui-coc-vi-en.jpg")).id
    let before = try library.asset(id)
    let fileTitle = try #require(before.title?["vi"])
    let start = try revision(library, id)

    let result = try library.edit(
      [String(id.prefix(12))],
      AssetEdit(
        texts: StatedTexts(title: "Hồ Núi Cốc mùa thu", creator: "Nguyễn Văn A", usageTerms: "Ghi nguồn"),
        language: "vi", capturedAt: "2019-02-05T08:00:00+07:00", addKeywords: ["hồ", "thu"], operatorName: "Trần Thị B")
    )
    #expect(result.ids == [id] && result.changes == 6)
    let record = try library.asset(id)
    #expect(record.title?["vi"] == "Hồ Núi Cốc mùa thu")
    #expect(record.sources?["title.vi"] == "explicit")
    #expect(record.creator == "Nguyễn Văn A" && record.rights?.usageTerms == "Ghi nguồn")
    #expect(record.capturedAt == "2019-02-05T08:00:00+07:00" && record.sources?["capturedAt"] == "explicit")
    #expect(record.keywords?.contains("thu") == true)
    // What the file said stays, overridden.
    #expect(record.overridden?.contains { $0.field == "title" && $0.value == fileTitle } == true)
    #expect(record.overridden?.contains { $0.field == "capturedAt" && $0.value == before.capturedAt } == true)
    #expect(try revision(library, id) > start)

    let history = try library.history(id)
    #expect(history.count == 6)
    let title = try #require(history.first { $0.field == "title.vi" })
    #expect(title.old == fileTitle && title.new == "Hồ Núi Cốc mùa thu" && title.operator == "Trần Thị B")
    #expect(title.action == "edit" && title.source == "explicit")
    #expect(history.first { $0.field == "capturedAt" }?.old == before.capturedAt)

    // The same values again: no change, no entry, no new revision (nothing to resend).
    let settled = try revision(library, id)
    let again = try library.edit([id], AssetEdit(texts: StatedTexts(title: "Hồ Núi Cốc mùa thu"), language: "vi"))
    #expect(again.changes == 0)
    #expect(try revision(library, id) == settled)
    #expect(try library.history(id).count == 6)

    // A keyword from the file is removed whatever its source; search follows the edit.
    let fileKeyword = try #require(before.keywords?.first)
    #expect(try library.edit([id], AssetEdit(removeKeywords: [fileKeyword])).changes == 1)
    #expect(try library.asset(id).keywords?.contains(fileKeyword) != true)
    #expect(try library.search("mùa thu", filter: AssetFilter()).map(\.record.id) == [id])
  }

  @Test("add --title of content already here replaces the explicit title, and says so in the history")
  func addAgainIsAnEdit() throws {
    let library = try Library.open(at: root, create: true)
    let id = try library.add(
      photo("scan.png"), options: AddOptions(texts: StatedTexts(title: "Chợ nổi"), language: "vi")
    ).id
    #expect(try library.history(id).isEmpty)
    let copy = root.deletingLastPathComponent().appendingPathComponent("copy-\(UUID()).png").path
    defer { try? FileManager.default.removeItem(atPath: copy) }
    try FileManager.default.copyItem(atPath: photo("scan.png"), toPath: copy)
    _ = try library.add(
      copy, options: AddOptions(texts: StatedTexts(title: "Chợ nổi Cái Răng"), language: "vi", operatorName: "Hà E"))
    let history = try library.history(id)
    #expect(history.map(\.field) == ["title.vi"] && history.first?.operator == "Hà E")
    #expect(history.first?.old == "Chợ nổi" && history.first?.new == "Chợ nổi Cái Răng")
  }

  @Test("edit refuses what it cannot record: a title without its language, a date that is not ISO 8601")
  func editRefusals() throws {
    let library = try Library.open(at: root, create: true)
    let id = try library.add(photo("nui-coc-vi-en.jpg")).id
    let noLanguage = #expect(throws: MediaBankError.self) {
      try library.edit([id], AssetEdit(texts: StatedTexts(title: "Hồ")))
    }
    #expect(noLanguage?.reason.contains("--title needs --lang") == true)
    for bad in ["05/02/2019", "2019-13-01", "2019-02-05T8:00", "2019-02-05T08:00:00+7"] {
      #expect(throws: MediaBankError.self) { try library.edit([id], AssetEdit(capturedAt: bad)) }
    }
    for good in ["2019-02-05", "2019-02-05T08:00", "2019-02-05T08:00:00Z", "2019-02-05T08:00:00.5-03:00"] {
      #expect(AssetEdit.isCaptureTime(good), "\(good)")
    }
    #expect(throws: MediaBankError.self) { try library.edit([id], AssetEdit()) }
    #expect(throws: MediaBankError.self) {
      try library.edit(["sha256:ffff"], AssetEdit(texts: StatedTexts(creator: "A")))
    }
    #expect(try library.history(id).isEmpty)
  }

  @Test("--move-text und:vi moves the titles and descriptions of one language to another")
  func moveText() throws {
    let library = try Library.open(at: root, create: true)
    let id = try library.add(
      photo("gps-southwest.jpg"),
      options: AddOptions(texts: StatedTexts(title: "Chợ nổi Cái Răng", description: "Buổi sáng"))
    ).id
    #expect(try library.asset(id).title == ["und": "Chợ nổi Cái Răng"])
    try library.edit([id], AssetEdit(moveText: (from: "und", to: "vi")))
    let record = try library.asset(id)
    #expect(record.title == ["vi": "Chợ nổi Cái Răng"] && record.description == ["vi": "Buổi sáng"])
    let history = try library.history(id)
    #expect(history.map { $0.field ?? "" } == ["description.und", "description.vi", "title.und", "title.vi"])
    #expect(history[2].old == "Chợ nổi Cái Răng" && history[3].new == "Chợ nổi Cái Răng")
  }

  @Test("tag changes are audited, a tag the asset has changes nothing, and --batch, --folder and ids select")
  func bulkTags() throws {
    let library = try Library.open(at: root, create: true)
    let lake = try archiveFolder("Du lịch", ["a.jpg": "nui-coc-vi-en.jpg", "b.jpg": "gps-southwest.jpg"])
    let market = try archiveFolder("Chợ", ["c.png": "scan.png"])
    let first = try library.importFolder(archive.path, options: ImportOptions(jobs: 1))
    let batch = try #require(first.batch)
    let all = try library.ids(.batch(batch))
    #expect(all.count == 3)
    let underLake = try library.ids(.folder(lake))
    #expect(underLake.count == 2)
    #expect(try library.ids(.folder(lake + "/")) == underLake)
    #expect(try library.ids(.folder(market)).count == 1)
    // A folder name that is a prefix of another is not that folder.
    #expect(throws: MediaBankError.self) { try library.ids(.folder(archive.appendingPathComponent("Du").path)) }

    let revisions = try all.map { try revision(library, $0) }
    let dry = try library.tag(.batch(batch), TagChange(pillar: "tourism-landscape"), dryRun: true)
    #expect(dry.changes == 3 && dry.dryRun)
    #expect(try all.map { try revision(library, $0) } == revisions)
    #expect(try library.tag(.batch(batch), TagChange(pillar: "tourism-landscape")).changes == 3)
    let tagged = try all.map { try revision(library, $0) }
    // Again: nothing changes, no revision moves, nothing is audited twice.
    #expect(try library.tag(.batch(batch), TagChange(pillar: "tourism-landscape")).changes == 0)
    #expect(try all.map { try revision(library, $0) } == tagged)
    let history = try library.history(all[0])
    #expect(history.map(\.action) == ["tag"] && history[0].field == "pillar" && history[0].new == "tourism-landscape")

    #expect(try library.tag(.folder(lake), TagChange(pillar: "tourism-landscape", remove: true)).changes == 2)
    #expect(try library.history(underLake[0]).last?.action == "untag")
    #expect(throws: MediaBankError.self) { try library.ids(.batch(99)) }
    #expect(throws: MediaBankError.self) { try library.ids(.ids(["sha256:zz"])) }
  }

  @Test("delete removes the record, its search row, previews and content, leaves a tombstone, and verify is clean")
  func delete() throws {
    let library = try Library.open(at: root, create: true)
    let kept = try library.add(photo("gps-southwest.jpg")).id
    let id = try library.add(photo("nui-coc-vi-en.jpg")).id
    let record = try library.asset(id)
    let thumbnail = try #require(record.thumbnail)
    #expect(storedObjects().isSuperset(of: [id, thumbnail]))
    #expect(try !library.search("núi cốc", filter: AssetFilter()).isEmpty)

    let dry = try library.delete([id], reason: "personal data", dryRun: true)
    #expect(dry.map(\.id) == [id] && Set(dry[0].objects) == [id, thumbnail])
    #expect(try library.asset(id).id == id)

    let deleted = try library.delete([String(id.prefix(14))], reason: "personal data", operatorName: "Lê C")
    #expect(deleted.count == 1 && deleted[0].destinations.isEmpty)
    #expect(throws: MediaBankError.self) { try library.asset(id) }
    #expect(try library.search("núi cốc", filter: AssetFilter()).isEmpty)
    #expect(!storedObjects().contains(id) && !storedObjects().contains(thumbnail))
    #expect(try library.catalog.purgeQueue().isEmpty)
    let verify = try library.verify()
    #expect(verify.problems.isEmpty && verify.unreferenced.isEmpty)
    #expect(try library.assets().map(\.id) == [kept])
    let tombstone = try #require(try library.catalog.tombstone(id))
    #expect(tombstone.reason == "personal data" && tombstone.operator == "Lê C" && tombstone.kind == "delete")
    // The history outlives the asset.
    #expect(try library.history(id).map(\.action) == ["delete"])

    // The same bytes again are refused, naming the deletion; --allow-deleted takes them back.
    let refused = #expect(throws: MediaBankError.self) { try library.add(photo("nui-coc-vi-en.jpg")) }
    #expect(refused?.reason.hasPrefix("deleted before on ") == true)
    #expect(refused?.reason.contains("(personal data); use --allow-deleted to add it again") == true)
    var options = AddOptions()
    options.allowDeleted = true
    #expect(try library.add(photo("nui-coc-vi-en.jpg"), options: options).isNew)
    #expect(try library.catalog.tombstone(id) == nil)
    #expect(try revision(library, id) > tombstone.revision)
    #expect(try library.history(id).map(\.action) == ["delete", "restore"])
  }

  @Test("deleting a story unlinks its translations, and their history says so")
  func deleteOriginal() throws {
    let library = try Library.open(at: root, create: true)
    let stories = LibraryTests.fixtures.appendingPathComponent("stories")
    let original = try library.add(stories.appendingPathComponent("nui-coc.vi.md").path).id
    var options = AddOptions()
    options.translationOf = original
    let translation = try library.add(stories.appendingPathComponent("ha-long.vi.txt").path, options: options).id
    #expect(try library.asset(translation).translationOf == original)
    try library.delete([original], reason: "duplicate")
    #expect(try library.asset(translation).translationOf == nil)
    let history = try library.history(translation)
    #expect(history.map(\.action) == ["unlink"] && history.first?.old == original)
  }

  @Test("content two assets need is kept when one of them is deleted")
  func sharedPreview() throws {
    let library = try Library.open(at: root, create: true)
    let a = try library.add(photo("gps-southwest.jpg")).id
    let b = try library.add(photo("nui-coc-vi-en.jpg")).id
    // Make b share a's preview, as two images of identical look would.
    let thumbnail = try #require(try library.asset(a).thumbnail)
    #expect(try sql("UPDATE asset SET thumbnail_id = '\(thumbnail)' WHERE id = '\(b)'"))
    let deleted = try library.delete([a], reason: "duplicate")
    #expect(deleted[0].objects == [a])
    #expect(storedObjects().contains(thumbnail))
  }

  @Test("a deletion interrupted after the catalog changed is finished when the bank is opened again")
  func purgeOnOpen() throws {
    var library: Library? = try Library.open(at: root, create: true)
    let id = try library!.add(photo("gps-southwest.jpg")).id
    // The catalog's half of a deletion, as if the process died before removing the objects.
    try library!.catalog.delete([id], reason: "test", kind: "delete", by: Actor(name: "t", at: "t"))
    #expect(storedObjects().contains(id))
    library = nil
    let reopened = try Library.open(at: root, create: false)
    #expect(!storedObjects().contains(id))
    #expect(try reopened.verify().unreferenced.isEmpty)
  }

  @Test("the audit log is append-only")
  func appendOnly() throws {
    let library = try Library.open(at: root, create: true)
    let id = try library.add(photo("gps-southwest.jpg")).id
    try library.edit([id], AssetEdit(texts: StatedTexts(creator: "A")))
    #expect(try !sql("UPDATE audit SET new_value = 'B'"))
    #expect(try !sql("DELETE FROM audit"))
    #expect(try library.history(id).map(\.new) == ["A"])
  }

  @Test("undo of an import removes what only it brought, keeps what another import shares, takes back its tags")
  func undo() throws {
    let library = try Library.open(at: root, create: true)
    _ = try archiveFolder("2023", ["a.jpg": "nui-coc-vi-en.jpg", "b.jpg": "gps-southwest.jpg"])
    let first = try #require(try library.importFolder(archive.path, options: ImportOptions(jobs: 1)).batch)
    let shared = try library.ids(.batch(first))
    // A second folder: one file shares its bytes with the first import, one is new.
    let other = archive.deletingLastPathComponent().appendingPathComponent("other-\(UUID())")
    defer { try? FileManager.default.removeItem(at: other) }
    try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: photo("gps-southwest.jpg"), toPath: other.appendingPathComponent("b2.jpg").path)
    try FileManager.default.copyItem(atPath: photo("scan.png"), toPath: other.appendingPathComponent("c.png").path)
    let options = ImportOptions(add: AddOptions(pillar: "tourism-landscape"), jobs: 1)
    let second = try #require(try library.importFolder(other.path, options: options).batch)
    let sharedId = try #require(try library.ids(.batch(second)).first { shared.contains($0) })
    let onlySecond = try #require(try library.ids(.batch(second)).first { !shared.contains($0) })
    #expect(try library.asset(sharedId).pillars?.contains { $0.code == "tourism-landscape" } == true)

    let dry = try library.undoBatch(second, dryRun: true)
    #expect(dry.removed == [onlySecond] && dry.kept == [sharedId] && dry.tags == 1)
    #expect(try library.asset(onlySecond).id == onlySecond)

    let undone = try library.undoBatch(second)
    #expect(undone.removed == [onlySecond] && undone.kept == [sharedId])
    #expect(throws: MediaBankError.self) { try library.asset(onlySecond) }
    let kept = try library.asset(sharedId)
    #expect(kept.pillars?.contains { $0.code == "tourism-landscape" } != true)
    #expect(kept.provenance.allSatisfy { $0.batch == first })
    #expect(!storedObjects().contains(onlySecond))
    #expect(try library.verify().unreferenced.isEmpty)
    #expect(try library.batch(second).undoneAt != nil)
    #expect(throws: MediaBankError.self) { try library.undoBatch(second) }
    // Undone content is not refused when it comes again.
    #expect(try library.add(photo("scan.png")).isNew)

    // Undoing the second batch changed the shared asset, but no person did: the first batch is
    // not refused for it.
    #expect(Set(try library.undoBatch(first, dryRun: true).removed) == Set(shared))

    // An edited batch is refused unless --force.
    try library.edit([shared[0]], AssetEdit(texts: StatedTexts(creator: "Phạm D")))
    let refused = #expect(throws: MediaBankError.self) { try library.undoBatch(first) }
    #expect(refused?.reason.contains("--force") == true)
    let forced = try library.undoBatch(first, force: true)
    #expect(Set(forced.removed) == Set(shared))
    #expect(try library.history(shared[0]).map(\.action) == ["edit", "undo-import"])
  }

  @Test("undo keeps the tags another import set too, and what the file itself says")
  func undoKeepsSharedTags() throws {
    let library = try Library.open(at: root, create: true)
    try library.initialize(province: "19", name: nil)
    let first = try archiveFolder("a1", ["x.jpg": "nui-coc-vi-en.jpg"])
    let second = try archiveFolder("b1", ["x-copy.jpg": "nui-coc-vi-en.jpg"])
    let options = ImportOptions(add: AddOptions(pillar: "tourism-landscape"), jobs: 1)
    let one = try #require(try library.importFolder(first, options: options).batch)
    _ = try #require(try library.importFolder(second, options: options).batch)
    let id = try #require(try library.assets().first?.id)
    let before = try library.asset(id)
    let undone = try library.undoBatch(one)
    #expect(undone.kept == [id] && undone.tags == 0)
    let after = try library.asset(id)
    #expect(after.pillars?.contains { $0.code == "tourism-landscape" && $0.source == "explicit" } == true)
    // What the file says (its stated languages) and the bank's province are the asset's own.
    #expect(after.languages == before.languages && after.locality == before.locality)
  }

  @Test("undoing the import that brought deleted content back deletes it again as the person had")
  func undoRestore() throws {
    let library = try Library.open(at: root, create: true)
    let id = try library.add(photo("scan.png")).id
    try library.delete([id], reason: "personal data", operatorName: "Lê C")
    let folder = try archiveFolder("again", ["scan.png": "scan.png"])
    var add = AddOptions()
    add.allowDeleted = true
    let batch = try #require(try library.importFolder(folder, options: ImportOptions(add: add, jobs: 1)).batch)
    try library.undoBatch(batch)
    let tombstone = try #require(try library.catalog.tombstone(id))
    #expect(tombstone.kind == "delete" && tombstone.reason == "personal data" && tombstone.operator == "Lê C")
    #expect(throws: MediaBankError.self) { try library.add(photo("scan.png")) }
  }

  @Test("a file touched since its import is read, found the same, and stays unchanged: no provenance, no revision")
  func touchedFile() throws {
    let library = try Library.open(at: root, create: true)
    let folder = try archiveFolder("t", ["y.jpg": "gps-southwest.jpg"])
    _ = try library.importFolder(folder, options: ImportOptions(jobs: 1))
    let id = try #require(try library.assets().first?.id)
    let revision = try revision(library, id)
    let file = folder + "/y.jpg"
    try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: file)
    let again = try library.importFolder(folder, options: ImportOptions(jobs: 1))
    #expect(again.unchanged == 1 && again.updated == 0 && again.duplicates == 0 && again.nothingNew)
    #expect(try library.asset(id).provenance.count == 1)
    #expect(try self.revision(library, id) == revision)
    // Its cache entry now has the new time: the next run does not read it.
    let third = try library.importFolder(folder, options: ImportOptions(jobs: 1))
    #expect(third.unchanged == 1 && third.bytes == 0)
  }

  @Test("a re-import with other options re-reads nothing and changes no revision; options apply to new files")
  func honestReimport() throws {
    let library = try Library.open(at: root, create: true)
    _ = try archiveFolder("Lake", ["a.jpg": "nui-coc-vi-en.jpg", "b.jpg": "gps-southwest.jpg"])
    let first = try library.importFolder(archive.path, options: ImportOptions(jobs: 1))
    #expect(first.added == 2)
    let ids = try library.assets().map(\.id)
    let revisions = try ids.map { try revision(library, $0) }

    let options = ImportOptions(add: AddOptions(language: "vi", pillar: "tourism-landscape"), jobs: 1)
    let second = try library.importFolder(archive.path, options: options)
    #expect(second.unchanged == 2 && second.added == 0 && second.duplicates == 0)
    #expect(second.nothingNew && second.batch == nil)
    #expect(try ids.map { try revision(library, $0) } == revisions)
    #expect(try library.batches().count == 1)

    // A new file in the folder takes the options; the earlier ones stay as they were.
    try FileManager.default.copyItem(
      atPath: photo("scan.png"), toPath: archive.appendingPathComponent("Lake/c.png").path)
    let third = try library.importFolder(archive.path, options: options)
    #expect(third.added == 1 && third.unchanged == 2)
    let new = try #require(try library.assets().first { !ids.contains($0.id) })
    #expect(new.pillars?.map(\.code) == ["tourism-landscape"])
    #expect(try ids.map { try revision(library, $0) } == revisions)
  }

  @Test("already held: same bytes under another name, or the same file found in another folder")
  func alreadyHeld() throws {
    let library = try Library.open(at: root, create: true)
    _ = try archiveFolder("a", ["lake.jpg": "gps-southwest.jpg"])
    #expect(try library.importFolder(archive.path, options: ImportOptions(jobs: 1)).added == 1)
    // A copy of the same file in another folder, and the same bytes under another name.
    _ = try archiveFolder("b", ["lake.jpg": "gps-southwest.jpg", "other-name.jpg": "gps-southwest.jpg"])
    let second = try library.importFolder(archive.path, options: ImportOptions(jobs: 1))
    #expect(second.added == 0 && second.unchanged == 1)
    #expect(second.copies == 1 && second.duplicates == 1)
    let batch = try #require(try library.batches().first { $0.id == second.batch })
    #expect(batch.duplicates == 2)
  }

  @Test("an archive's notes and READMEs are not stories; front matter or --kind story makes them one")
  func notesAreNotStories() throws {
    let library = try Library.open(at: root, create: true)
    try FileManager.default.createDirectory(at: archive, withIntermediateDirectories: true)
    func write(_ name: String, _ text: String) throws {
      try text.write(to: archive.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    try write("README.md", "# Ảnh sự kiện\n\nThư mục ảnh của sở.\n")
    try write("wifi.txt", "wifi: sovhtt / matkhau123\n")
    try write("index.html", "<html><head><title>Trang</title></head><body>x</body></html>")
    try write("ghi chú.txt", "---\nnot front matter\n---\nhello\n")
    try write("che.txt", "---\ntitle: Chè Thái Nguyên\nlanguage: vi\n---\nChè ngon nổi tiếng khắp nơi.\n")
    let summary = try library.importFolder(archive.path, options: ImportOptions(jobs: 1))
    #expect(summary.added == 1)
    #expect(summary.skippedByReason["text file without story front matter"] == 4)
    let story = try #require(try library.assets().first)
    #expect(story.kind == "story" && story.title == ["vi": "Chè Thái Nguyên"])

    var add = AddOptions()
    add.kinds = ["story"]
    let explicit = try library.importFolder(archive.path, options: ImportOptions(add: add, jobs: 1))
    #expect(explicit.added == 4)
  }
}
