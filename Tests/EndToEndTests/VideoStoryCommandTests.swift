import Foundation
import Testing

/// Videos and stories from the command line: `import` of a folder that mixes them with broken
/// files, `add --translation-of`, `show`, `list --kind` and `search`.
@Suite struct VideoStoryCommandTests {
  let scratch: ScratchDirectory
  let bank: String
  let cli = CLI()

  init() throws {
    scratch = try ScratchDirectory()
    bank = scratch.appending("bank")
  }

  /// Copies fixtures into a folder of the scratch directory: (fixture path, name in the folder).
  func folder(_ files: [(String, String)]) throws -> String {
    let root = scratch.appending("archive")
    for (source, name) in files {
      let target = URL(fileURLWithPath: root).appendingPathComponent(name)
      try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
      try FileManager.default.copyItem(atPath: source, toPath: target.path)
    }
    return root
  }

  func records(_ arguments: String...) throws -> [[String: Any]] {
    try #require(try cli.run(["list", "--json", "--bank", bank] + arguments).json() as? [[String: Any]])
  }

  @Test("import takes videos and stories, refuses broken ones by name and reason, and skips audio")
  func importMixedFolder() throws {
    // A translation that names its original, imported with it (in whatever order).
    let other = scratch.appending("other")
    let added = try cli("add", CLI.story("nui-coc.vi.md"), "--bank", other).stdout
    let original = try #require(added.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first)
    let translation = scratch.appending("nui-coc.en.md")
    try "---\ntitle: Dawn over Nui Coc\nlanguage: en\ntranslation_of: \(original)\n---\nNui Coc Lake at dawn.\n"
      .write(toFile: translation, atomically: true, encoding: .utf8)
    let archive = try folder([
      (CLI.video("rotated-gps.mp4"), "Video/Hồ Núi Cốc.mp4"),
      (CLI.video("two-languages.mkv"), "Video/Quốc khánh.mkv"),
      (CLI.fixtures.appendingPathComponent("videos/bad/truncated.mp4").path, "Video/hỏng.mp4"),
      (CLI.fixtures.appendingPathComponent("videos/bad/text.mp4").path, "Video/ghi chú.mp4"),
      (CLI.fixtures.appendingPathComponent("videos/bad/interview.mp3").path, "Âm thanh/phỏng vấn.mp3"),
      (CLI.story("nui-coc.vi.md"), "Bài viết/nui-coc.md"),
      (translation, "Bài viết/nui-coc.en.md"),
      (CLI.fixtures.appendingPathComponent("videos/bad/audio-only.mp4").path, "Âm thanh/ghi âm.mp4"),
      (CLI.story("trang-an.vi.docx"), "Bài viết/Tràng An.docx"),
      (CLI.story("hoi-an.vi.html"), "Bài viết/hoi-an.html"),
      (CLI.fixtures.appendingPathComponent("stories/bad/latin1.txt").path, "Bài viết/cũ.txt"),
    ])
    let result = try cli("import", archive, "--bank", bank, "--json")
    #expect(result.status == 1, "some files fail, the rest are imported: \(result.stderr)")
    let summary = try #require(try result.json() as? [String: Any])
    #expect(summary["added"] as? Int == 5)
    // Audio recordings are skipped, whether their name says audio or video; an HTML page is a
    // story only with --kind story (it cannot carry MediaBank front matter).
    #expect(
      summary["skippedByReason"] as? [String: Int] == [
        "audio-only file": 2, "text file without story front matter": 1,
      ])
    let failures = try #require(summary["failures"] as? [[String: String]])
    let reasons = Dictionary(
      uniqueKeysWithValues: failures.map { (($0["path"]! as NSString).lastPathComponent, $0["reason"]!) })
    #expect(reasons["ghi chú.mp4"] == "not an MP4 video (the file is plain text)")
    #expect(reasons["hỏng.mp4"]?.hasPrefix("truncated MP4") == true)
    #expect(reasons["cũ.txt"]?.hasPrefix("not UTF-8 or UTF-16 text (save it as UTF-8)") == true)
    #expect(reasons.count == 3)

    #expect(try records("--kind", "video").count == 2)
    let stories = try records("--kind", "story")
    #expect(stories.count == 3)
    let english = try #require(stories.first { ($0["originalNames"] as? [String]) == ["nui-coc.en.md"] })
    #expect(english["translationOf"] as? String == String(original))
    #expect(english["metadataIssues"] == nil)
    // The folder names are hints for stories too; the stated locality is a confirmed tag.
    let lake = try #require(stories.first { ($0["originalNames"] as? [String]) == ["nui-coc.md"] })
    #expect((lake["hints"] as? [String: Any])?["folders"] as? [String] == ["Bài viết"])
    #expect((lake["locality"] as? [String: Any])?["source"] as? String == "embedded")

    // A second run reads nothing again.
    let again = try #require(try cli("import", archive, "--bank", bank, "--json").json() as? [String: Any])
    #expect(again["unchanged"] as? Int == 5)
  }

  @Test("import --kind takes only the kinds named; the others are skipped as not selected")
  func importSelectedKinds() throws {
    let archive = try folder([
      (CLI.video("rotated-gps.mp4"), "clip.mp4"), (CLI.story("ha-long.vi.txt"), "ghi chú.txt"),
      (CLI.photo("nui-coc-vi-en.jpg"), "nui-coc.jpg"),
    ])
    let result = try cli("import", archive, "--kind", "photo", "--kind", "video", "--bank", bank, "--json")
    #expect(result.status == 0, "\(result.stderr)")
    let summary = try #require(try result.json() as? [String: Any])
    #expect(summary["added"] as? Int == 2)
    #expect(summary["skippedByReason"] as? [String: Int] == ["not a selected kind": 1])
    #expect(try records("--kind", "story").isEmpty)
    let wrong = try cli("import", archive, "--kind", "audio", "--bank", bank)
    #expect(wrong.status == 64 && wrong.stderr.contains("--kind must be photo, video or story, not 'audio'"))
  }

  @Test("add --translation-of groups stories; show lists the other languages; a bad reference is fatal")
  func translations() throws {
    let added = try cli("add", CLI.story("nui-coc.vi.md"), "--bank", bank)
    let original = try #require(added.stdout.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first)
    let linked = try cli(
      "add", CLI.story("nui-coc.en.md"), "--translation-of", String(original.prefix(14)), "--bank", bank)
    #expect(linked.status == 0, "\(linked.stderr)")
    let shown = try cli("show", String(original), "--bank", bank)
    #expect(shown.stdout.contains("  translation       sha256:"))
    #expect(shown.stdout.contains("(en)"))
    #expect(shown.stdout.contains("  words             46"))

    let missing = try cli("add", CLI.story("hue.en.html"), "--translation-of", "abcdef12", "--bank", bank)
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("mediabank: error: --translation-of: no asset abcdef12 in this bank"))
    let video = try cli("add", CLI.video("clip.webm"), "--translation-of", String(original), "--bank", bank)
    #expect(video.status == 1)
    #expect(video.stderr.contains("clip.webm: --translation-of links stories, and this file is not one"))
  }

  @Test("show prints a video's duration, codecs and audio languages; search finds words of a story's text")
  func showAndSearch() throws {
    try #require(
      try cli("add", CLI.video("two-languages.mkv"), CLI.story("nui-coc.vi.md"), "--bank", bank).status == 0)
    let mkv = try #require(try records("--kind", "video").first?["id"] as? String)
    let shown = try cli("show", mkv, "--bank", bank).stdout
    #expect(shown.contains("  duration          3.008 s"))
    #expect(shown.contains("  video             matroska, h264, 25 fps"))
    #expect(shown.contains("  audio languages   vi, en"))

    let found = try cli("search", "thuyền", "câu", "--kind", "story", "--bank", bank)
    #expect(found.stdout.contains("Bình minh trên hồ Núi Cốc"))
    #expect(found.stdout.contains("**thuyền** **câu**"))
    #expect(try cli("search", "thuyen", "cau", "--kind", "video", "--bank", bank).stdout == "No asset matches.\n")
  }
}
