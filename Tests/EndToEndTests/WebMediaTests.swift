import Foundation
import Testing

/// The large view of the web library over HTTP: photos through their display image (a HEIC as a
/// JPEG kept after its first view, an EXIF orientation applied, a small JPEG as it is), videos
/// in the page when browsers play them, stories as escaped text with their translations, and
/// range requests on originals.
@Suite(.serialized) struct WebMediaTests {
  let scratch: ScratchDirectory
  let cli = CLI()
  let bank: String
  let server: RunningServer
  /// The id of each file added, by its fixture's name.
  let ids: [String: String]

  init() throws {
    let scratch = try ScratchDirectory()
    let bank = scratch.appending("bank")
    let cli = CLI()
    try #require(try cli("init", "--bank", bank, "--province", "19").status == 0)
    var ids: [String: String] = [:]
    func add(_ name: String, _ path: String, _ options: [String] = []) throws {
      let output = try cli.run(["add", path, "--bank", bank] + options)
      try #require(output.status == 0, "\(output.stderr)")
      // `added <id>  <file>`
      let id = try #require(output.stdout.split(separator: " ").dropFirst().first)
      ids[name] = String(id)
    }
    for name in ["iphone.heic", "orientation-6.jpg", "nui-coc-vi-en.jpg"] { try add(name, CLI.photo(name)) }
    for name in ["rotated-gps.mp4", "iphone.mov", "windows.wmv"] { try add(name, CLI.video(name)) }
    let hostile = scratch.appending("hostile.vi.txt")
    try "Lễ hội <script>alert(1)</script>\n\nĐoạn hai & <b>đậm</b>\ndòng hai\n"
      .write(toFile: hostile, atomically: true, encoding: .utf8)
    try add("hostile", hostile, ["--lang", "vi"])
    try add("nui-coc.vi.md", CLI.story("nui-coc.vi.md"))
    try add("nui-coc.en.md", CLI.story("nui-coc.en.md"), ["--translation-of", ids["nui-coc.vi.md"]!])
    (self.scratch, self.bank, self.ids) = (scratch, bank, ids)
    let added = try cli.run(
      ["user", "add", "mai", "--role", "viewer", "--password-stdin", "--bank", bank],
      input: WebServerTests.password + "\n")
    try #require(added.status == 0, "\(added.stderr)")
    server = try RunningServer(bank: bank)
  }

  func signedIn() async throws -> Browser {
    let browser = Browser(server)
    try await browser.signIn("mai", WebServerTests.password)
    return browser
  }

  /// The width and height of a JPEG, from its first SOF segment.
  func jpegSize(_ data: Data) -> (width: Int, height: Int)? {
    let bytes = [UInt8](data)
    var index = 2
    while index + 9 < bytes.count, bytes[index] == 0xFF {
      let marker = bytes[index + 1]
      let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
      if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
        let height = Int(bytes[index + 5]) << 8 | Int(bytes[index + 6])
        let width = Int(bytes[index + 7]) << 8 | Int(bytes[index + 8])
        return (width, height)
      }
      index += 2 + length
    }
    return nil
  }

  /// The file of object `id` in the bank.
  func objectPath(_ id: String) -> String {
    let hex = id.dropFirst("sha256:".count)
    return bank + "/objects/sha256/\(hex.prefix(2))/\(hex.dropFirst(2))"
  }

  @Test("a HEIC photo is shown as a JPEG made on its first view and kept: the second view reads it")
  func heic() async throws {
    let browser = try await signedIn()
    let id = try #require(ids["iphone.heic"])
    let page = try await browser.get("/assets/\(id)")
    #expect(page.text.contains("<img class=\"large\" src=\"/assets/\(id)/display\""))
    #expect(try CLI.sqlite(bank + "/catalog.sqlite", "SELECT count(*) FROM display") == "0", "made on a view only")
    let first = try await browser.get("/assets/\(id)/display")
    #expect(first.status == 200 && first.header("Content-Type") == "image/jpeg")
    #expect(first.header("Cache-Control") == "private, max-age=31536000, immutable")
    let size = try #require(jpegSize(first.body))
    #expect(size.width == 320 && size.height == 240 && max(size.width, size.height) <= 1600)
    let etag = try #require(first.header("ETag"))
    let kept = try CLI.sqlite(
      bank + "/catalog.sqlite", "SELECT object_id FROM display WHERE asset_id = '\(id)'")
    #expect(kept == "sha256:" + etag.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
    #expect(FileManager.default.contents(atPath: objectPath(kept)) == first.body)
    let second = try await browser.get("/assets/\(id)/display")
    #expect(second.status == 200 && second.header("ETag") == etag && second.body == first.body)
    #expect(try CLI.sqlite(bank + "/catalog.sqlite", "SELECT count(*) FROM display") == "1")
    let cached = try await browser.get("/assets/\(id)/display", headers: ["If-None-Match": etag])
    #expect(cached.status == 304 && cached.body.isEmpty)
    // A display object is referenced like a preview: verify names no orphan.
    let verified = try cli("verify", "--bank", bank)
    #expect(verified.status == 0 && !verified.stdout.contains("unreferenced"), "\(verified.stdout)")
  }

  @Test("an orientation-6 JPEG is shown upright; a small upright JPEG is shown as its own bytes")
  func orientation() async throws {
    let browser = try await signedIn()
    let turnedID = try #require(ids["orientation-6.jpg"])
    let turned = try await browser.get("/assets/\(turnedID)/display")
    #expect(turned.status == 200 && turned.header("Content-Type") == "image/jpeg")
    let size = try #require(jpegSize(turned.body))
    #expect(size.width == 64 && size.height == 48, "stored 48 × 64, displayed 64 × 48")
    let file = try #require(FileManager.default.contents(atPath: CLI.photo("orientation-6.jpg")))
    let stored = try #require(jpegSize(file))
    #expect(stored.width == 48 && stored.height == 64)
    let id = try #require(ids["nui-coc-vi-en.jpg"])
    let small = try await browser.get("/assets/\(id)/display")
    #expect(small.status == 200 && small.header("Content-Type") == "image/jpeg")
    #expect(small.body == FileManager.default.contents(atPath: CLI.photo("nui-coc-vi-en.jpg")))
    #expect(small.header("ETag") == "\"\(id.dropFirst("sha256:".count))\"")
    let video = try #require(ids["rotated-gps.mp4"])
    #expect(try await browser.get("/assets/\(video)/display").status == 404)
    #expect(try await browser.get("/assets/\(String(repeating: "0", count: 64))/display").status == 404)
    #expect(try await browser.get("/assets/zzzz/display").status == 400)
  }

  @Test("the original answers single ranges with 206 and the right bytes, and 416 past its end")
  func ranges() async throws {
    let browser = try await signedIn()
    let id = try #require(ids["rotated-gps.mp4"])
    let file = try #require(FileManager.default.contents(atPath: CLI.video("rotated-gps.mp4")))
    let path = "/assets/\(id)/original"
    let whole = try await browser.get(path)
    #expect(whole.status == 200 && whole.body == file && whole.header("Accept-Ranges") == "bytes")
    for (range, part, first) in [
      ("bytes=0-99", file.prefix(100), 0), ("bytes=-10", file.suffix(10), file.count - 10),
      ("bytes=100-", file.dropFirst(100), 100), ("bytes=0-999999999", file[...], 0),
    ] {
      let answer = try await browser.get(path, headers: ["Range": range])
      #expect(answer.status == 206, "\(range)")
      #expect(answer.body == Data(part), "\(range)")
      #expect(answer.header("Content-Range") == "bytes \(first)-\(first + part.count - 1)/\(file.count)", "\(range)")
      #expect(answer.header("Content-Length") == "\(part.count)", "\(range)")
    }
    let past = try await browser.get(path, headers: ["Range": "bytes=999999999-"])
    #expect(past.status == 416 && past.header("Content-Range") == "bytes */\(file.count)" && past.body.isEmpty)
    // Several ranges, a range of another unit or a malformed one: the whole file.
    for range in ["bytes=0-1,5-6", "items=0-1", "bytes=9-2", "bytes=a-b"] {
      let answer = try await browser.get(path, headers: ["Range": range])
      #expect(answer.status == 200 && answer.body == file, "\(range)")
    }
    // If-Range: the part only while the ETag is the one the browser holds.
    let etag = try #require(whole.header("ETag"))
    #expect(try await browser.get(path, headers: ["Range": "bytes=0-9", "If-Range": etag]).status == 206)
    let stale = try await browser.get(path, headers: ["Range": "bytes=0-9", "If-Range": "\"0000\""])
    #expect(stale.status == 200 && stale.body == file)
  }

  @Test("originals go out by sendfile: on one connection with pages between them, each answer whole and alone")
  func originalsOnOneConnection() async throws {
    let browser = try await signedIn()
    let cookie = try #require(browser.cookie)
    let video = try #require(ids["rotated-gps.mp4"])
    let photo = try #require(ids["orientation-6.jpg"])
    let videoFile = try #require(FileManager.default.contents(atPath: CLI.video("rotated-gps.mp4")))
    let photoFile = try #require(FileManager.default.contents(atPath: CLI.photo("orientation-6.jpg")))
    // curl keeps one connection for the URLs of one run (`--next` between them): an original, a
    // part of another, a page, the first original again; each to its own file.
    let outputs = (0..<4).map { scratch.appending("answer-\($0)") }
    let urls = [
      "/assets/\(video)/original", "/assets/\(photo)/original", "/assets/\(photo)", "/assets/\(video)/original",
    ].map { server.base + $0 }
    var arguments: [String] = []
    for (index, url) in urls.enumerated() {
      if index > 0 { arguments.append("--next") }
      arguments += ["-sS", "-D", outputs[index] + ".head", "-H", "Cookie: \(cookie)", "-o", outputs[index]]
      if index == 1 { arguments += ["-r", "10-109"] }
      arguments += ["-w", "%{num_connects}\n", url]
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let connects = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(connects.split(separator: "\n") == ["1", "0", "0", "0"], "one connection for the four")
    let contents = outputs.map { FileManager.default.contents(atPath: $0) ?? Data() }
    #expect(contents[0] == videoFile && contents[3] == videoFile)
    #expect(contents[1] == photoFile[10...109])
    #expect(String(decoding: contents[2], as: UTF8.self).contains("<html"))
    for output in outputs {
      let head = try String(contentsOfFile: output + ".head", encoding: .utf8).lowercased()
      #expect(!head.contains("x-mediabank"), "the internal header stays inside the server: \(head)")
    }
  }

  @Test("a video browsers play is a <video> over its inline original; others show the poster and a download")
  func videos() async throws {
    let browser = try await signedIn()
    let id = try #require(ids["rotated-gps.mp4"])
    let page = try await browser.get("/assets/\(id)").text
    #expect(
      page.contains(
        "<video class=\"large\" controls preload=\"metadata\" poster=\"/assets/\(id)/preview\" "
          + "src=\"/assets/\(id)/original?inline=1\"></video>"), "\(page)")
    let inline = try await browser.get("/assets/\(id)/original?inline=1", headers: ["Range": "bytes=0-1"])
    #expect(inline.status == 206 && inline.header("Content-Type") == "video/mp4")
    #expect(inline.header("Content-Disposition")?.hasPrefix("inline; filename=\"rotated-gps.mp4\"") == true)
    #expect(inline.header("X-Content-Type-Options") == "nosniff")
    for name in ["iphone.mov", "windows.wmv"] {
      let other = try #require(ids[name])
      let shown = try await browser.get("/assets/\(other)").text
      #expect(!shown.contains("<video"), "\(name): HEVC and WMV do not play in every browser")
      #expect(shown.contains("src=\"/assets/\(other)/preview\"") && shown.contains("/assets/\(other)/original\""))
    }
    // A QuickTime video shown inline is sent as MP4, which every browser's player takes.
    let movID = try #require(ids["iphone.mov"])
    let mov = try await browser.get("/assets/\(movID)/original?inline=1")
    #expect(mov.header("Content-Type") == "video/mp4" && mov.header("Content-Disposition")?.hasPrefix("inline") == true)
  }

  @Test("a story shows its text escaped and links to its translations; its original stays an attachment")
  func stories() async throws {
    let browser = try await signedIn()
    let hostile = try #require(ids["hostile"])
    let page = try await browser.get("/assets/\(hostile)")
    #expect(page.status == 200)
    #expect(!page.text.contains("<script>") && !page.text.contains("<b>đậm"), "the text is text, never markup")
    #expect(page.text.contains("<p>Lễ hội &lt;script&gt;alert(1)&lt;/script&gt;</p>"), "\(page.text)")
    #expect(page.text.contains("<p>Đoạn hai &amp; &lt;b&gt;đậm&lt;/b&gt;<br>dòng hai</p>"))
    let original = try await browser.get("/assets/\(hostile)/original?inline=1")
    #expect(original.header("Content-Disposition")?.hasPrefix("attachment;") == true, "text is never inline")
    #expect(original.header("Content-Type") == "text/plain")
    let (vi, en) = (try #require(ids["nui-coc.vi.md"]), try #require(ids["nui-coc.en.md"]))
    let viPage = try await browser.get("/assets/\(vi)").text
    #expect(viPage.contains("<h2>Bản dịch</h2>") && viPage.contains("<a href=\"/assets/\(en)\">en</a>"), "\(viPage)")
    let enPage = try await browser.get("/assets/\(en)?ui=en").text
    #expect(enPage.contains("Translation of: <a href=\"/assets/\(vi)\">"))
    #expect(enPage.contains("<a href=\"/assets/\(vi)\">vi</a>"))
    #expect(enPage.contains("<article class=\"story\" lang=\"en\">"))
  }
}
