import Catalog
import Foundation
import Metadata
import Testing

@testable import MediaBank

/// The facade: adding, duplicates, refusals that leave nothing behind, explicit values, verify.
@Suite struct LibraryTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("bank-\(UUID())")
  static let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  func photo(_ name: String) -> String { Self.fixtures.appendingPathComponent("photos/\(name)").path }
  func bad(_ name: String) -> String { Self.fixtures.appendingPathComponent("bad/\(name)").path }

  /// The path of object `id` under the bank's objects directory, as `objectFiles` lists it.
  func objectFile(_ id: String) -> String {
    let hex = id.dropFirst("sha256:".count)
    return "sha256/\(hex.prefix(2))/\(hex.dropFirst(2))"
  }

  /// Every file under the bank's objects directory, relative.
  func objectFiles() -> [String] {
    let objects = root.appendingPathComponent("objects").path
    return (FileManager.default.enumerator(atPath: objects)?.allObjects as? [String] ?? [])
      .filter { !$0.hasSuffix("sha256") && !$0.hasSuffix("tmp") && $0.split(separator: "/").count > 1 }
      .filter { $0.split(separator: "/").count == 3 || $0.hasPrefix("tmp/") }
      .sorted()
  }

  @Test("a first add creates the bank with a key pair and no province")
  func createsBank() throws {
    let library = try Library.open(at: root, create: true)
    let identity = try library.identity()
    #expect(identity.province == nil)
    #expect(identity.keyId.hasPrefix("ed25519:") && identity.keyId.count == 24)
    let keyMode =
      try FileManager.default.attributesOfItem(
        atPath: root.appendingPathComponent("keys/signing-key").path)[.posixPermissions] as? Int
    #expect(keyMode == 0o600)
    #expect(throws: MediaBankError.self) {
      try Library.open(at: root.appendingPathComponent("elsewhere"), create: false)
    }
  }

  @Test("init sets the province once; a different province is refused")
  func province() throws {
    let library = try Library.open(at: root, create: true)
    #expect(try library.initialize(province: "19", name: "Sở VHTTDL Thái Nguyên").province == "19")
    #expect(try library.initialize(province: "19", name: nil).name == "Sở VHTTDL Thái Nguyên")
    let error = #expect(throws: MediaBankError.self) { try library.initialize(province: "75", name: nil) }
    #expect(error?.reason == "this bank already serves province 19; a bank's province cannot change")
    #expect(throws: MediaBankError.self) { try library.initialize(province: "1a", name: nil) }
  }

  @Test("records say where the capture time, the camera and the position were read")
  func fieldSources() throws {
    let library = try Library.open(at: root, create: true)
    let exif = try library.asset(try library.add(photo("nui-coc-vi-en.jpg")).id)
    #expect(exif.capturedAt == "2024-03-15T06:30:00+07:00" && exif.capturedAtSource == "exif")
    #expect(exif.camera?.source == "exif" && exif.gps?.source == "exif")
    let metadata = Self.fixtures.appendingPathComponent("metadata")
    let xmp = try library.asset(try library.add(metadata.appendingPathComponent("xmp-only.jpg").path).id)
    #expect(xmp.capturedAt == "2016-06-27T15:29:42.041-04:00" && xmp.capturedAtSource == "xmp")
    #expect(xmp.camera == AssetRecord.Camera(make: "samsung", model: "SM-G960F", source: "xmp"))
    #expect(xmp.gps == AssetRecord.GPS(latitude: -22.9519, longitude: -43.2105, altitude: -12.5, source: "xmp"))
    let iptc = try library.asset(try library.add(metadata.appendingPathComponent("iptc-date.jpg").path).id)
    #expect(iptc.capturedAt == "2014-09-02T07:45:00+07:00" && iptc.capturedAtSource == "iptc")
    #expect(iptc.camera == nil && iptc.gps == nil)
    let app12 = try library.asset(try library.add(metadata.appendingPathComponent("picture-info.jpg").path).id)
    #expect(app12.capturedAt == "2000-08-13T02:08:33" && app12.capturedAtSource == "picture-info")
  }

  @Test("the same file added twice is one asset with two provenance entries")
  func duplicate() throws {
    let library = try Library.open(at: root, create: true)
    let first = try library.add(photo("gps-southwest.jpg"))
    let copy = root.appendingPathComponent("renamed.jpg").path
    try FileManager.default.copyItem(atPath: photo("gps-southwest.jpg"), toPath: copy)
    let second = try library.add(copy, options: AddOptions(operatorName: "Nguyễn Văn A"))
    #expect(first.isNew && !second.isNew)
    #expect(first.id == second.id)
    let records = try library.assets()
    #expect(records.count == 1)
    #expect(records[0].provenance.count == 2)
    #expect(records[0].originalNames == ["gps-southwest.jpg", "renamed.jpg"])
    #expect(records[0].provenance[1].operator == "Nguyễn Văn A")
  }

  @Test(
    "a refused file leaves no object, no temporary file and no row",
    arguments: ["empty.jpg", "not-a-photo.jpg", "bad-crc.png", "bomb.jpg", "bomb.png"])
  func refusedLeavesNothing(name: String) throws {
    let library = try Library.open(at: root, create: true)
    let before = objectFiles()
    let error = #expect(throws: MediaBankError.self) { try library.add(bad(name)) }
    #expect(error?.path == bad(name))
    #expect(objectFiles() == before)
    #expect(try library.assets().isEmpty)
  }

  @Test("deleting assets removes their content and previews from the store, but not a preview another asset shows")
  func deleteRemovesObjects() throws {
    let library = try Library.open(at: root, create: true)
    // orientation-1 and orientation-6 are the same picture, stored two ways: one preview.
    let ids = try ["orientation-1.jpg", "orientation-6.jpg", "gps-southwest.jpg"].map { try library.add(photo($0)).id }
    let records = try ids.map { try library.asset($0) }
    #expect(records[0].thumbnail == records[1].thumbnail)
    let before = objectFiles()
    let deleted = try library.delete([ids[0], ids[2]], reason: "test")
    #expect(deleted.map(\.id) == [ids[0], ids[2]])
    let removed = Set(deleted.flatMap(\.objects))
    #expect(removed == Set([ids[0], ids[2], try #require(records[2].thumbnail)]))
    #expect(objectFiles() == before.filter { !removed.map(objectFile).contains($0) })
    let report = try library.verify()
    #expect(report.problems.isEmpty && report.unreferenced.isEmpty)
    #expect(try library.catalog.purgeQueue().isEmpty)
  }

  @Test("a purge goes chunk by chunk, and keeps a queued object that an asset needs again")
  func purgeInChunks() throws {
    let library = try Library.open(at: root, create: true)
    let names = ["orientation-1.jpg", "orientation-6.jpg", "gps-southwest.jpg"]
    let ids = try names.map { try library.add(photo($0)).id }
    let before = objectFiles()
    #expect(before.count == 5)  // Three contents, two previews.
    // Deleted in the catalog only (as if the process had stopped before purging), then the
    // first photo added again: its content and its preview are needed again.
    try library.catalog.delete(
      ids, reason: "test", kind: "delete", by: Actor(name: "test", at: "2026-12-06T00:00:00Z"))
    #expect(try library.catalog.purgeQueue().count == 5)
    var again = AddOptions()
    again.allowDeleted = true
    _ = try library.add(photo(names[0]), options: again)
    #expect(try library.purgeQueuedObjects(chunk: 2) == 3)
    #expect(try library.catalog.purgeQueue().isEmpty)
    let kept = try library.asset(ids[0])
    let needed = Set([kept.id, try #require(kept.thumbnail)].map(objectFile))
    #expect(objectFiles() == before.filter(needed.contains))
    let report = try library.verify()
    #expect(report.problems.isEmpty && report.unreferenced.isEmpty)
  }

  @Test("explicit values override the file's and both are kept")
  func explicitOverrides() throws {
    let library = try Library.open(at: root, create: true)
    let result = try library.add(
      photo("nui-coc-vi-en.jpg"),
      options: AddOptions(texts: StatedTexts(title: "Hồ Núi Cốc", creator: "Sở VHTTDL"), language: "vi"))
    let record = try library.asset(result.id)
    #expect(record.title == ["vi": "Hồ Núi Cốc", "en": "Nui Coc Lake at dawn"])
    #expect(record.creator == "Sở VHTTDL")
    #expect(record.sources?["title.vi"] == "explicit")
    #expect(record.sources?["title.en"] == "xmp")
    #expect(
      record.overridden == [
        .init(field: "title", language: "vi", value: "Hồ Núi Cốc lúc bình minh", source: "xmp"),
        .init(field: "creator", language: "und", value: "Nguyễn Văn An", source: "xmp"),
      ])
  }

  @Test("every stated text is stored as explicit by add and by edit, in its language, and shown by the record")
  func everyStatedText() throws {
    let library = try Library.open(at: root, create: true)
    var texts = StatedTexts()
    for field in StatedTexts.fields { texts[keyPath: field.value] = "given \(field.field.rawValue)" }
    // Each field as the catalog stores it: (field, language) → value.
    func explicit(_ id: String) throws -> [String: String] {
      let rows = try library.catalog.entries(ids: [id]).first?.texts ?? []
      return Dictionary(
        uniqueKeysWithValues: rows.filter { $0.source == "explicit" }.map { ("\($0.field).\($0.language)", $0.value) })
    }
    let expected = Dictionary(
      uniqueKeysWithValues: StatedTexts.fields.map {
        ("\($0.field.rawValue).\($0.inLanguage ? "vi" : "und")", "given \($0.field.rawValue)")
      })
    let added = try library.add(photo("orientation-1.jpg"), options: AddOptions(texts: texts, language: "vi"))
    #expect(try explicit(added.id) == expected)
    let edited = try library.add(photo("orientation-2.jpg")).id
    try library.edit([edited], AssetEdit(texts: texts, language: "vi"))
    #expect(try explicit(edited) == expected)
    let record = try library.asset(edited)
    #expect(record.title == ["vi": "given title"] && record.description == ["vi": "given description"])
    #expect(record.creator == "given creator")
    #expect(record.rights?.license == "given license" && record.rights?.usageTerms == "given usageTerms")
  }

  @Test("the language of words nobody labelled is detected as a suggestion; stated languages win; no words, no tag")
  func languageDetection() throws {
    let library = try Library.open(at: root, create: true)
    func languages(_ id: String) throws -> [String] {
      (try library.asset(id).languages ?? []).map { "\($0.tag)/\($0.source)/\($0.confirmed)" }
    }
    let vietnamese = try library.add(
      photo("orientation-1.jpg"), options: AddOptions(texts: StatedTexts(title: "Chợ nổi Cái Răng lúc sáng sớm")))
    #expect(try languages(vietnamese.id) == ["vi/text/false"])
    let suggestion = try #require(try library.suggestions(facet: "language").first)
    #expect(suggestion.note == "detected in “Chợ nổi Cái Răng lúc sáng sớm”")
    // Confirming the language by hand replaces the suggestion.
    try library.tag([vietnamese.id], TagChange(language: "vi"))
    #expect(try languages(vietnamese.id) == ["vi/explicit/true"])

    let english = try library.add(
      photo("orientation-2.jpg"),
      options: AddOptions(texts: StatedTexts(description: "Fishing boats return to the harbour at sunset")))
    #expect(try languages(english.id) == ["en/text/false"])
    // A language given with the words: no detection.
    let stated = try library.add(
      photo("orientation-3.jpg"),
      options: AddOptions(texts: StatedTexts(title: "Fishing boats at sunset"), language: "en"))
    #expect(try languages(stated.id) == ["en/explicit/true"])
    // Too few words, or none: no language tag (not `vi` by default).
    let short = try library.add(photo("orientation-4.jpg"), options: AddOptions(texts: StatedTexts(title: "IMG_0042")))
    #expect(try library.asset(short.id).languages == nil)
    let bare = try library.add(photo("orientation-5.jpg"))
    #expect(try library.asset(bare.id).languages == nil)
  }

  @Test("a language a file gives that is not BCP 47 becomes und with an issue; others get BCP 47's case")
  func fileLanguagesChecked() {
    let texts = ["en-us", "Vietnamese", "vi", "und", "en_US"].map {
      EmbeddedText(.title, "Hồ \($0)", language: $0, source: .xmp)
    }
    let (checked, issues) = EmbeddedText.withLanguagesChecked(texts)
    #expect(checked.map(\.language) == ["en-US", "und", "vi", "und", "und"])
    #expect(checked.map(\.value) == texts.map(\.value))
    #expect(
      issues == [
        "xml:lang 'Vietnamese' is not a BCP 47 language tag; the text is kept as und",
        "xml:lang 'en_US' is not a BCP 47 language tag; the text is kept as und",
      ])
  }

  @Test("show accepts unambiguous prefixes")
  func prefixes() throws {
    let library = try Library.open(at: root, create: true)
    let id = try library.add(photo("iptc-utf8.jpg")).id
    #expect(try library.asset(String(id.dropFirst(7).prefix(8))).id == id)
    #expect(try library.asset(String(id.prefix(12))).id == id)
    #expect(throws: MediaBankError.self) { try library.asset("sha256:zz") }
  }

  @Test("verify names a corrupt object and a missing one")
  func verify() throws {
    let library = try Library.open(at: root, create: true)
    let id = try library.add(photo("scan.png")).id
    #expect(try library.verify().problems.isEmpty)
    let path = root.appendingPathComponent("objects/sha256/\(id.dropFirst(7).prefix(2))/\(id.dropFirst(9))").path
    chmod(path, 0o644)
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    bytes[100] ^= 0x01
    try bytes.write(to: URL(fileURLWithPath: path))
    let report = try library.verify()
    #expect(report.checked == 2)
    #expect(report.problems.map(\.id) == [id])
    #expect(report.problems[0].problem.hasPrefix("corrupt (its bytes hash to sha256:"))
    try FileManager.default.removeItem(atPath: path)
    #expect(try library.verify().problems == [.init(id: id, problem: "missing")])
  }

  @Test("the JSON record uses the shared key names and omits absent values")
  func json() throws {
    let library = try Library.open(at: root, create: true)
    let id = try library.add(photo("gps-southwest.jpg")).id
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let object = try JSONSerialization.jsonObject(with: try encoder.encode(library.asset(id))) as! [String: Any]
    #expect(
      Set(object.keys) == [
        "id", "kind", "mediaType", "byteSize", "width", "height", "capturedAt", "capturedAtSource", "camera",
        "gps", "originalNames", "provenance", "thumbnail", "addedAt",
      ])
    let gps = try #require(object["gps"] as? [String: Any])
    #expect(gps["latitude"] as? Double == -22.9519 && gps["longitude"] as? Double == -43.2105)
    #expect(gps["altitude"] as? Double == -12 && gps["source"] as? String == "exif")
    #expect(object["capturedAt"] as? String == "2023-07-01T12:00:00-03:00")
  }
}
