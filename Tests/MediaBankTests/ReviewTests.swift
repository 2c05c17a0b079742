import Catalog
import Foundation
import Testing

@testable import MediaBank

/// Reviewing suggestions through the facade: what is listed (reason, folder, title or name),
/// decisions by asset, by folder and by source, and their audit entries.
@Suite struct ReviewTests {
  let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("review-\(UUID())")
  var root: URL { scratch.appendingPathComponent("bank") }
  var archive: String { scratch.appendingPathComponent("archive").path }
  let library: Library

  static func photo(_ name: String) -> String {
    LibraryTests.fixtures.appendingPathComponent("photos/\(name)").path
  }

  /// A bank of province 19 with an import of two folders (`Lễ hội/Mù Cang Chải`, `Khác`) and two
  /// photos added with titles.
  init() throws {
    let manager = FileManager.default
    for (folder, name, fixture) in [
      ("Lễ hội/Mù Cang Chải", "ruong.jpg", "orientation-1.jpg"), ("Khác", "IMG_0002.jpg", "orientation-2.jpg"),
    ] {
      let directory = scratch.appendingPathComponent("archive/\(folder)")
      try manager.createDirectory(at: directory, withIntermediateDirectories: true)
      try manager.copyItem(atPath: Self.photo(fixture), toPath: directory.appendingPathComponent(name).path)
    }
    library = try Library.open(at: scratch.appendingPathComponent("bank"), create: true)
    try library.initialize(province: "19", name: nil)
    _ = try library.importFolder(archive, options: ImportOptions(jobs: 1))
    let added = scratch.appendingPathComponent("added")
    try manager.createDirectory(at: added, withIntermediateDirectories: true)
    for (name, fixture) in [("hero.jpg", "orientation-3.jpg"), ("hung.jpg", "orientation-4.jpg")] {
      try manager.copyItem(atPath: Self.photo(fixture), toPath: added.appendingPathComponent(name).path)
    }
    _ = try library.add(
      added.appendingPathComponent("hero.jpg").path,
      options: AddOptions(texts: StatedTexts(title: "Anh hùng Núp"), language: "vi", locality: "19"))
    _ = try library.add(
      added.appendingPathComponent("hung.jpg").path,
      options: AddOptions(texts: StatedTexts(title: "Gặp anh Hùng ở Đại Từ"), language: "vi", locality: "19"))
  }

  func id(_ name: String) throws -> String {
    try #require(try library.assets().first { $0.originalNames.contains(name) }?.id)
  }

  @Test("suggestions are grouped by folder, each with the asset's title or name and a reason in words")
  func listing() throws {
    let suggestions = try library.suggestions()
    let lines = suggestions.map {
      "\($0.folder.dropFirst(scratch.path.count))|\($0.title ?? $0.name)|\($0.facet) \($0.value) \($0.source)|\($0.reason)"
    }
    #expect(
      lines == [
        "/added|Anh hùng Núp|pillar history-tradition text|“anh hùng” in “Anh hùng Núp”",
        "/archive/Khác|IMG_0002.jpg|locality 19 bank-default|the bank's province (nothing else says where)",
        "/archive/Lễ hội/Mù Cang Chải|ruong.jpg|locality 04456 path|the folder “Mù Cang Chải”",
        "/archive/Lễ hội/Mù Cang Chải|ruong.jpg|pillar events-sports path|“lễ hội” in the folder “Lễ hội”",
      ])
    // "anh Hùng" is brother Hùng: no history suggestion for hung.jpg.
    #expect(!suggestions.contains { $0.name == "hung.jpg" })
    #expect(suggestions.allSatisfy { $0.name != "" && $0.id.hasPrefix("sha256:") })
    // One facet; the assets under one folder (relative paths are taken from the current directory).
    #expect(try library.suggestions(facet: "pillar").map(\.value) == ["history-tradition", "events-sports"])
    #expect(try library.suggestions(folder: archive + "/Lễ hội/").map(\.value) == ["04456", "events-sports"])
  }

  @Test("accepting by folder confirms the suggestions of the assets under it, with an audit entry each")
  func acceptByFolder() throws {
    let changed = try library.review(
      [], folder: archive + "/Lễ hội", accept: true, operatorName: "Nguyễn Văn A")
    #expect(changed == 2)
    let record = try library.asset(try id("ruong.jpg"))
    #expect(record.pillars?.map(\.confirmed) == [true] && record.locality?.confirmed == true)
    let history = try library.catalog.history(record.id)
    #expect(
      history.map {
        "\($0.operator)|\($0.action)|\($0.field ?? "")|\($0.oldValue ?? "-")|\($0.newValue ?? "-")|\($0.source ?? "")"
      }
        == [
          "Nguyễn Văn A|accept|locality|-|04456|path",
          "Nguyễn Văn A|accept|pillar|-|events-sports|path",
        ])
    #expect(Set(history.map(\.at)).count == 1)
    // The others are untouched.
    #expect(try library.suggestions().map(\.name) == ["hero.jpg", "IMG_0002.jpg"])
    // A folder only matches whole names: `Lễ` is not `Lễ hội`.
    #expect(throws: MediaBankError.self) { try library.review([], folder: archive + "/Lễ", accept: true) }
  }

  @Test("rejecting removes the suggestions named, by asset or by source, and records the old value")
  func reject() throws {
    let hero = try id("hero.jpg")
    #expect(try library.review([String(hero.prefix(15))], facet: "pillar", accept: false, operatorName: "B") == 1)
    #expect(try library.asset(hero).pillars == nil)
    let entry = try #require(try library.catalog.history(hero).last)
    #expect(entry.action == "reject" && entry.field == "pillar" && entry.oldValue == "history-tradition")
    #expect(entry.newValue == nil && entry.source == "text" && entry.operator == "B")

    // Every asset's suggestions from one source; the login name when no operator is given.
    #expect(try library.review([], source: "bank-default", accept: false) == 1)
    let other = try #require(try library.catalog.history(try id("IMG_0002.jpg")).last)
    #expect(other.operator == AddOptions.loginName() && other.oldValue == "19")
    // Nothing left to decide: nothing changes, nothing is recorded.
    #expect(try library.review([hero], accept: true) == 0)
    #expect(try library.catalog.history(hero).count == 1)
  }

  @Test("refusals: a folder with no asset, ids and a folder together, an unknown source or facet")
  func refusals() throws {
    let empty = #expect(throws: MediaBankError.self) {
      try library.review([], folder: scratch.appendingPathComponent("nowhere").path, accept: true)
    }
    #expect(empty?.reason == "no asset of this bank came from this folder or below it")
    #expect(throws: MediaBankError.self) {
      try library.review([try id("hero.jpg")], folder: archive, accept: true)
    }
    let source = #expect(throws: MediaBankError.self) { try library.review([], source: "gps", accept: true) }
    #expect(source?.reason == "'gps' is not a source of suggestions (bank-default, path, text)")
    #expect(throws: MediaBankError.self) { try library.review([], facet: "pillars", accept: true) }
    #expect(try library.suggestions().count == 4)
  }

  @Test("helpers: reasons of old notes, folders made absolute, best titles")
  func helpers() {
    #expect(Library.reason(facet: "locality", source: "path", note: "Ba Bể") == "the folder “Ba Bể”")
    #expect(Library.reason(facet: "pillar", source: "path", note: nil) == "a folder name")
    #expect(Library.absolute(RawPath("/srv//archive/./2024/../Lễ hội/")).display == "/srv/archive/Lễ hội")
    #expect(
      Library.absolute(RawPath("archive")).display == FileManager.default.currentDirectoryPath + "/archive")
    #expect(Library.absolute(RawPath("/")).display == "/")
    #expect(Library.directory(of: "/srv/a/b.jpg") == "/srv/a" && Library.directory(of: "/b.jpg") == "/")
    #expect(
      AssetRecord.bestText(["en": "Lake", "und": "Hồ"]) == "Hồ"
        && AssetRecord.bestText(["ko": "호수", "fr": "Lac"]) == "Lac")
  }

  @Test("a text suggestion's note quotes a long text around the hint, not all of it")
  func excerpts() throws {
    let long =
      "Sáng ngày 2 tháng 9, tại quảng trường trung tâm tỉnh, đông đảo người dân đã đến dự lễ tuyên dương "
      + "các anh hùng lực lượng vũ trang nhân dân của tỉnh qua các thời kỳ kháng chiến và xây dựng đất nước."
    let excerpt = PillarTagger.excerpt(long, around: "anh hùng")
    #expect(excerpt.hasPrefix("…") && excerpt.hasSuffix("…") && excerpt.contains("anh hùng"))
    #expect(excerpt.count <= 62)
    #expect(PillarTagger.excerpt("Anh hùng Núp", around: "anh hùng") == "Anh hùng Núp")
    // A hint the text writes otherwise: its start.
    #expect(PillarTagger.excerpt(long, around: "dat nuoc xyz").hasPrefix("Sáng ngày 2"))

    // At ingest, the note of a description's hint.
    let photo = scratch.appendingPathComponent("added/long.jpg").path
    try FileManager.default.copyItem(atPath: Self.photo("orientation-5.jpg"), toPath: photo)
    let added = try library.add(
      photo, options: AddOptions(texts: StatedTexts(description: long), language: "vi", locality: "19"))
    let suggestion = try #require(
      try library.suggestions(facet: "pillar").first { $0.id == added.id && $0.value == "history-tradition" })
    #expect(suggestion.reason == "“anh hùng” in “\(excerpt)”")
  }
}
