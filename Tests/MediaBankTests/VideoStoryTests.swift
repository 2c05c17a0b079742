import Catalog
import Foundation
import Metadata
import Testing

@testable import MediaBank

/// Videos and stories through the facade: their records, tags, previews, translation groups,
/// search over story texts, and refusals that leave nothing behind.
@Suite struct VideoStoryTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("bank-\(UUID())")
  static let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  func video(_ name: String) -> String { Self.fixtures.appendingPathComponent("videos/\(name)").path }
  func story(_ name: String) -> String { Self.fixtures.appendingPathComponent("stories/\(name)").path }

  func library() throws -> Library { try Library.open(at: root, create: true) }

  /// The width and height of a baseline or progressive JPEG, from its SOF segment.
  func jpegSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
    guard bytes.starts(with: [0xff, 0xd8]) else { return nil }
    var offset = 2
    while offset + 9 < bytes.count, bytes[offset] == 0xff {
      let marker = bytes[offset + 1]
      let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
      if (0xc0...0xc2).contains(marker) {
        return (
          Int(bytes[offset + 7]) << 8 | Int(bytes[offset + 8]), Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6])
        )
      }
      offset += 2 + length
    }
    return nil
  }

  func object(_ id: String) throws -> [UInt8] {
    let hex = id.dropFirst("sha256:".count)
    let path = root.appendingPathComponent("objects/sha256/\(hex.prefix(2))/\(hex.dropFirst(2))").path
    return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  @Test("a rotated MP4: displayed size, duration, codecs, GPS, camera, container texts, a poster frame")
  func rotatedVideo() throws {
    let library = try library()
    let result = try library.add(video("rotated-gps.mp4"))
    #expect(result.isNew)
    let record = try library.asset(result.id)
    #expect(record.kind == "video" && record.mediaType == "video/mp4" && record.container == "mp4")
    #expect(record.width == 240 && record.height == 320, "90° rotation applied")
    #expect(record.videoCodec == "h264" && record.audioCodec == "aac" && record.audioChannels == 1)
    #expect(record.frameRate == 25)
    #expect(abs((record.durationSeconds ?? 0) - 2) < 0.1)
    #expect((record.bitRate ?? 0) > 0)
    #expect(record.capturedAt == "2024-03-15T06:30:00Z")
    #expect(record.camera == AssetRecord.Camera(make: "Samsung", model: "SM-A546E", source: "container"))
    #expect(record.gps?.latitude == 21.6125 && record.gps?.longitude == 105.716)
    #expect(record.title == ["und": "Hồ Núi Cốc lúc bình minh"])
    #expect(record.sources?["title.und"] == "container")
    #expect(record.keywords == ["hồ Núi Cốc", "du lịch"])
    // The GPS position is in Thái Nguyên; the Vietnamese title is detected as Vietnamese.
    #expect(record.locality?.province == "19" && record.locality?.source == "gps")
    #expect(record.languages?.map(\.tag) == ["vi"])
    let poster = try object(try #require(record.thumbnail))
    let size = try #require(jpegSize(poster))
    #expect(size.width == 240 && size.height == 320, "the poster is turned like the video")
  }

  @Test("Matroska with two audio languages; the other containers are videos with posters")
  func containers() throws {
    let library = try library()
    let mkv = try library.asset(try library.add(video("two-languages.mkv")).id)
    #expect(mkv.container == "matroska" && mkv.audioLanguages == ["vi", "en"])
    for (name, container) in [
      ("iphone.mov", "mov"), ("itunes.m4v", "m4v"), ("phone.3gp", "3gp"), ("old-camera.avi", "avi"),
      ("broadcast.ts", "mpegts"), ("avchd.mts", "mpegts"), ("dvd.mpg", "mpeg"), ("windows.wmv", "asf"),
      ("clip.webm", "webm"), ("flash.flv", "flv"),
    ] {
      let record = try library.asset(try library.add(video(name)).id)
      #expect(record.kind == "video" && record.container == container, "\(name)")
      #expect(record.thumbnail != nil, "\(name) has a poster frame")
      #expect(record.durationSeconds != nil && record.videoCodec != nil, "\(name)")
    }
  }

  @Test(
    "refused videos name the reason and leave nothing in the bank",
    arguments: [
      ("text.mp4", "not an MP4 video (the file is plain text)"),
      ("interview.mp3", "an audio file (MP3): audio-only files are not accepted"),
      ("audio-only.mp4", "audio-only files are not accepted"),
      ("truncated.mp4", "the file was cut short"),
      ("empty.mp4", "empty file (0 bytes)"),
    ])
  func refusedVideos(name: String, reason: String) throws {
    let library = try library()
    let path = Self.fixtures.appendingPathComponent("videos/bad/\(name)").path
    let error = try #require(throws: MediaBankError.self) { try library.add(path) }
    #expect(error.path == path)
    #expect(error.reason.contains(reason), "\(error.reason)")
    #expect(try library.assets().isEmpty)
    let stored =
      FileManager.default.enumerator(atPath: root.appendingPathComponent("objects/sha256").path)?
      .allObjects as? [String] ?? []
    #expect(stored.allSatisfy { $0.count == 2 }, "no object stored: \(stored)")
  }

  @Test("a file of no kind MediaBank reads, and a kind the options leave out, are refused by name")
  func otherRefusals() throws {
    let library = try library()
    let pdf = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID()).pdf").path
    defer { try? FileManager.default.removeItem(atPath: pdf) }
    try "%PDF-1.4\n".write(toFile: pdf, atomically: true, encoding: .utf8)
    let unknown = try #require(throws: MediaBankError.self) { try library.add(pdf) }
    #expect(unknown.path == pdf)
    #expect(unknown.reason == "not a photo, video or story that MediaBank reads (starts with 0x25 0x50)")
    var photosOnly = AddOptions()
    photosOnly.kinds = ["photo"]
    let excluded = try #require(throws: MediaBankError.self) {
      try library.add(video("clip.webm"), options: photosOnly)
    }
    #expect(excluded.reason == "a video, and only photo files are taken")
    #expect(try library.assets().isEmpty)
  }

  @Test("a Markdown story: front matter texts, pillars, locality and language as embedded tags, word count, date")
  func markdownStory() throws {
    let library = try library()
    let record = try library.asset(try library.add(story("nui-coc.vi.md")).id)
    #expect(record.kind == "story" && record.mediaType == "text/markdown")
    #expect(record.title == ["vi": "Bình minh trên hồ Núi Cốc"] && record.sources?["title.vi"] == "document")
    #expect(record.description?["vi"] == "Sương sớm, thuyền câu và những đồi chè quanh hồ Núi Cốc.")
    #expect(record.creator == "Nguyễn Văn An")
    #expect(record.capturedAt == "2024-03-15")
    #expect(record.wordCount == 46)
    #expect(record.width == nil && record.thumbnail == nil && record.durationSeconds == nil)
    #expect(record.languages == [AssetRecord.Language(tag: "vi", source: "embedded", confirmed: true)])
    let pillars = (record.pillars ?? []).filter(\.confirmed).map { "\($0.code)/\($0.source)" }
    #expect(pillars.sorted() == ["culture-heritage/embedded", "tourism-landscape/embedded"])
    #expect(record.locality?.commune == "05830" && record.locality?.source == "embedded")
  }

  @Test("what a story states and the bank cannot use is an issue, and the story is still stored")
  func unusableStatements() throws {
    let library = try library()
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("story-\(UUID()).md").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try """
    ---
    title: Chè Tân Cương
    language: Vietnamese
    pillars: [specialty-products, không có]
    locality: Xã Không Tồn Tại
    ---
    Chè Tân Cương là đặc sản nổi tiếng của Thái Nguyên, được trồng trên những đồi chè xanh mướt.
    """.write(toFile: path, atomically: true, encoding: .utf8)
    let result = try library.add(path)
    #expect(
      result.issues.sorted() == [
        "the locality 'Xã Không Tồn Tại' the story states is not tagged: 'Xã Không Tồn Tại' is not a province or commune, today's or former",
        "the pillar 'không có' the story states is not a pillar of this bank (mediabank pillars list)",
        "the story's language 'Vietnamese' is not a BCP 47 language tag (vi, en, zh-Hant…); it is ignored",
      ])
    let record = try library.asset(result.id)
    #expect(record.title == ["und": "Chè Tân Cương"])
    #expect(record.pillars?.filter(\.confirmed).map(\.code) == ["specialty-products"])
    // With no usable language stated, the text tells it.
    #expect(record.languages == [AssetRecord.Language(tag: "vi", source: "text", confirmed: false)])
    #expect(record.locality?.source != "embedded")
  }

  @Test("a story's language is detected from its text when it states none; --lang wins over both")
  func storyLanguage() throws {
    let library = try library()
    let text = try library.asset(try library.add(story("ha-long.vi.txt")).id)
    #expect(text.languages == [AssetRecord.Language(tag: "vi", source: "text", confirmed: false)])
    let english = try library.asset(try library.add(story("hoi-an.bom.en.txt")).id)
    #expect(english.languages?.map(\.tag) == ["en"])
    let utf16 = try library.asset(try library.add(story("hoi-an.utf16le.vi.txt")).id)
    #expect(utf16.languages?.map(\.tag) == ["vi"] && utf16.title?["und"] == "Phố cổ Hội An")
    let given = try library.asset(try library.add(story("sapa.en.docx"), options: AddOptions(language: "fr")).id)
    #expect(given.languages == [AssetRecord.Language(tag: "fr", source: "explicit", confirmed: true)])
    // --lang wins over the language the front matter states too.
    let stated = try library.asset(try library.add(story("nui-coc.vi.md"), options: AddOptions(language: "fr")).id)
    #expect(stated.languages == [AssetRecord.Language(tag: "fr", source: "explicit", confirmed: true)])
  }

  @Test("a front matter translation_of waits for its story and links when it arrives; the issue goes")
  func pendingTranslation() throws {
    // The id of the Vietnamese story, from another bank.
    let otherRoot = FileManager.default.temporaryDirectory.appendingPathComponent("bank-\(UUID())")
    defer { try? FileManager.default.removeItem(at: otherRoot) }
    let other = try Library.open(at: otherRoot, create: true)
    let original = try other.add(story("nui-coc.vi.md")).id
    let library = try library()
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("en-\(UUID()).md").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try
      "---\ntitle: Dawn over Nui Coc\nlanguage: en\ntranslation_of: \(original.prefix(19).uppercased())\n---\nNui Coc Lake at dawn.\n"
      .write(toFile: path, atomically: true, encoding: .utf8)
    let english = try library.add(path)
    let pending = Catalog.pendingIssue(reference: String(original.prefix(19)))
    #expect(english.issues == [pending])
    #expect(try library.asset(english.id).translationOf == nil)
    #expect(try library.asset(english.id).metadataIssues == [pending])
    // The story it waits for cannot be made its translation: each would say it translates the other.
    let back = try #require(throws: MediaBankError.self) {
      try library.add(story("nui-coc.vi.md"), options: AddOptions(translationOf: english.id))
    }
    #expect(back.reason == "\(english.id) is a translation of this story, so this story cannot be its translation")
    // The original arrives: the link is made in that transaction, and the issue is gone.
    _ = try library.add(story("nui-coc.vi.md"))
    let linked = try library.asset(english.id)
    #expect(linked.translationOf == original && linked.metadataIssues == nil)
    #expect(try library.asset(original).translations?.map(\.id) == [english.id])
  }

  @Test("--translation-of and translation_of link stories into one group; show lists the others' languages")
  func translations() throws {
    let library = try library()
    let vietnamese = try library.add(story("nui-coc.vi.md")).id
    // Its front matter names a story the bank does not hold: an issue, and no link.
    let first = try library.add(story("nui-coc.en.md"))
    #expect(
      first.issues == [
        "translation_of 'sha256:3f2a' is not linked: no asset sha256:3f2a in this bank (give at least 12 hex digits"
          + " to link a story that arrives later)"
      ])
    #expect(try library.asset(first.id).translationOf == nil)
    // Linked when it is added again with --translation-of.
    let english = try library.add(story("nui-coc.en.md"), options: AddOptions(translationOf: vietnamese)).id
    let html = try library.add(story("hue.en.html"), options: AddOptions(translationOf: String(english.prefix(16)))).id
    let original = try library.asset(vietnamese)
    #expect(original.translationOf == nil)
    #expect(
      original.translations == [
        AssetRecord.Translation(id: english, languages: ["en"]),
        AssetRecord.Translation(id: html, languages: ["en-GB"]),
      ])
    let translated = try library.asset(html)
    #expect(translated.translationOf == english)
    #expect(translated.translations?.map(\.id) == [vietnamese, english])
    // Only stories are linked, and a story is not its own translation.
    let notStory = try #require(throws: MediaBankError.self) {
      try library.add(video("clip.webm"), options: AddOptions(translationOf: vietnamese))
    }
    #expect(notStory.reason == "--translation-of links stories, and this file is not one")
    let itself = try #require(throws: MediaBankError.self) {
      try library.add(story("nui-coc.vi.md"), options: AddOptions(translationOf: vietnamese))
    }
    #expect(itself.reason == "a story cannot be a translation of itself")
    let back = try #require(throws: MediaBankError.self) {
      try library.add(story("nui-coc.vi.md"), options: AddOptions(translationOf: english))
    }
    #expect(back.reason == "\(english) is a translation of this story, so this story cannot be its translation")
    let clip = try library.add(video("phone.3gp")).id
    let error = try #require(throws: MediaBankError.self) {
      try library.add(story("trang-an.vi.docx"), options: AddOptions(translationOf: clip))
    }
    #expect(error.reason.contains("is a video, not a story"))
  }

  @Test("tag --translation-of links stories already in the bank, and --remove unlinks them")
  func tagTranslations() throws {
    let library = try library()
    let vietnamese = try library.add(story("nui-coc.vi.md")).id
    let english = try library.add(story("hoi-an.bom.en.txt")).id
    let clip = try library.add(video("phone.3gp")).id
    try library.tag([english], TagChange(translationOf: String(vietnamese.prefix(12))))
    #expect(try library.asset(english).translationOf == vietnamese)
    #expect(try library.asset(vietnamese).translations?.map(\.id) == [english])
    let notStory = try #require(throws: MediaBankError.self) {
      try library.tag([clip], TagChange(translationOf: vietnamese))
    }
    #expect(notStory.reason == "\(clip) is a video: --translation-of links stories")
    let itself = try #require(throws: MediaBankError.self) {
      try library.tag([english], TagChange(translationOf: english))
    }
    #expect(itself.reason == "a story cannot be a translation of itself")
    let back = try #require(throws: MediaBankError.self) {
      try library.tag([vietnamese], TagChange(translationOf: english))
    }
    #expect(back.reason.hasSuffix("so \(vietnamese) cannot be its translation"))
    try library.tag([english], TagChange(translationOf: vietnamese, remove: true))
    let unlinked = try library.asset(english)
    #expect(unlinked.translationOf == nil && unlinked.translations == nil)
  }

  @Test("search finds words found only in a story's text, the paragraph as the passage; a title match ranks first")
  func searchStoryText() throws {
    let library = try library()
    let story = try library.add(story("nui-coc.vi.md")).id
    let video = try library.add(video("rotated-gps.mp4")).id
    // "chàng Cốc" is in the story's text only (not its title, summary or keywords).
    let body = try library.search("chang coc")
    #expect(body.map(\.record.id) == [story])
    #expect(body.first?.snippet == "Chuyện tình **chàng** **Cốc** và nàng Công vẫn được kể bên hồ.")
    // "bình minh" is the video's title and the story's title: both found. "sương sớm" is in the
    // video's overridden description and the story's summary; "lúc" only in the video's title.
    let lake = try library.search("ho nui coc")
    #expect(Set(lake.map(\.record.id)) == [story, video])
    #expect(try library.search("ho nui coc", filter: AssetFilter(kind: "story")).map(\.record.id) == [story])
    // A word in a title weighs more than the same word in a story's text: "Tân Cương" is a
    // keyword of one story and in the text of the other.
    let tea = FileManager.default.temporaryDirectory.appendingPathComponent("tea-\(UUID()).md").path
    defer { try? FileManager.default.removeItem(atPath: tea) }
    try "---\ntitle: Chè Tân Cương\n---\nMột bài viết ngắn về chè của Thái Nguyên.\n".write(
      toFile: tea, atomically: true, encoding: .utf8)
    let titled = try library.add(tea).id
    let ranked = try library.search("tan cuong")
    #expect(ranked.map(\.record.id) == [titled, story])
    #expect(ranked[0].rank < ranked[1].rank)
  }

}
