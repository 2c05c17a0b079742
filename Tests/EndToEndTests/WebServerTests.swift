import Foundation
import Testing

/// `mediabank serve` over HTTP, as a browser and a script meet it: signing in and out, the role
/// and token checks, the library, an asset, its preview and original, the JSON API, and hostile
/// input (ids, paths, titles, origins).
@Suite(.serialized) struct WebServerTests {
  static let password = "mật khẩu dài lắm"
  let scratch: ScratchDirectory
  let cli = CLI()
  var bank: String { scratch.appending("bank") }
  let server: RunningServer

  init() throws {
    scratch = try ScratchDirectory()
    server = try RunningServer(bank: try RunningServer.makeBank(in: scratch, password: Self.password))
  }

  @Test("without a session: pages redirect to the sign-in page, the API answers 401, the stylesheet is served")
  func signedOut() async throws {
    let browser = Browser(server)
    let library = try await browser.get("/?kind=photo")
    #expect(library.status == 302)
    #expect(library.header("Location") == "/login?next=%2F%3Fkind%3Dphoto")
    let api = try await browser.get("/api/v1/assets")
    #expect(api.status == 401 && api.header("Content-Type") == "application/problem+json")
    #expect(try api.json()["code"] as? String == "unauthenticated")
    for path in ["/assets/0000/preview", "/assets/0000/original", "/api/v1/assets/0000"] {
      let status = try await browser.get(path).status
      #expect(status == (path.hasPrefix("/api/") ? 401 : 302), "\(path)")
    }
    let css = try await browser.get("/static/mediabank.css")
    #expect(css.status == 200 && css.header("Content-Type") == "text/css; charset=utf-8")
    let login = try await browser.get("/login")
    #expect(login.status == 200 && login.text.contains("<h1>Đăng nhập</h1>"))
    #expect(login.header("Content-Security-Policy")?.hasPrefix("default-src 'self'") == true)
    #expect(login.header("X-Content-Type-Options") == "nosniff" && login.header("X-Frame-Options") == "DENY")
    #expect(try await browser.get("/login?ui=en").text.contains("<h1>Sign in</h1>"))
  }

  @Test("signing in: a wrong password gets 401, the right one a HttpOnly SameSite=Strict cookie; signing out ends it")
  func signInAndOut() async throws {
    let browser = Browser(server)
    let wrong = try await browser.signIn("lan", "mat khau dai lam")
    #expect(wrong.status == 401 && wrong.text.contains("Sai tên đăng nhập hoặc mật khẩu."))
    #expect(browser.cookie == nil)
    let right = try await browser.signIn("lan", Self.password)
    #expect(right.status == 303 && right.header("Location") == "/")
    let cookie = try #require(right.header("Set-Cookie"))
    #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
    #expect(!cookie.contains("Secure"), "no TLS here, and no --secure-cookies")
    #expect(try await browser.get("/").status == 200)
    // Signing out needs the session's form token.
    #expect(try await browser.post("/logout", form: []).status == 403)
    #expect(try await browser.post("/logout", form: [("_token", String(repeating: "x", count: 43))]).status == 403)
    let token = try await browser.formToken()
    let out = try await browser.post("/logout", form: [("_token", token)])
    #expect(out.status == 303 && out.header("Location") == "/login")
    #expect(try await browser.get("/").status == 302, "the old cookie no longer signs in")
  }

  @Test("a sign-in posted from another site is refused; next= never leads off the site")
  func origins() async throws {
    let browser = Browser(server)
    let forged = try await browser.post(
      "/login", form: [("name", "lan"), ("password", Self.password)], headers: ["Origin": "http://evil.example"])
    #expect(forged.status == 403 && forged.header("Set-Cookie") == nil)
    for next in ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"] {
      let answer = try await browser.post(
        "/login", form: [("name", "lan"), ("password", Self.password), ("next", next)])
      #expect(answer.status == 303 && answer.header("Location") == "/", "\(next)")
    }
    let inside = try await browser.post(
      "/login", form: [("name", "lan"), ("password", Self.password), ("next", "/assets/abcd?ui=en")])
    #expect(inside.header("Location") == "/assets/abcd?ui=en")
  }

  @Test("after 5 failed sign-ins of an account, even its right password is refused (429)")
  func throttle() async throws {
    let browser = Browser(server)
    for _ in 0..<5 { #expect(try await browser.signIn("mai", "0123456789x").status == 401) }
    let blocked = try await browser.signIn("mai", Self.password)
    #expect(blocked.status == 429 && blocked.text.contains("Quá nhiều lần đăng nhập sai"))
    #expect(browser.cookie == nil)
  }

  @Test("the library shows every asset with its title escaped, pages by cursor and finds words without diacritics")
  func library() async throws {
    let browser = Browser(server)
    try await browser.signIn("mai", Self.password)
    let page = try await browser.get("/")
    #expect(page.status == 200 && page.header("Cache-Control") == "no-store")
    #expect(page.text.components(separatedBy: "<li><a href=\"/assets/sha256:").count - 1 == 6)
    #expect(!page.text.contains("<script>"), "a title is text, never markup")
    #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    // Pages of two, newest first, until the last.
    var seen: [String] = []
    var path = "/?limit=2"
    for _ in 0..<5 {
      let answer = try await browser.get(path)
      #expect(answer.status == 200)
      seen += answer.text.components(separatedBy: "<li><a href=\"/assets/").dropFirst().map { String($0.prefix(71)) }
      guard let next = answer.text.range(of: "rel=\"next\" href=\"") else { break }
      path = String(answer.text[next.upperBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
    }
    #expect(seen.count == 6 && Set(seen).count == 6)
    let found = try await browser.get("/?q=le+hoi+long+tong")
    #expect(found.text.contains("Lễ hội Lồng Tồng") && !found.text.contains("Đồi chè"))
    #expect(try await browser.get("/?kind=painting").status == 400)
    #expect(try await browser.get("/?after=not-a-cursor").status == 400)
    #expect(try await browser.get("/?limit=100000").status == 400)
  }

  @Test("an asset's page, preview (ETag, 304) and original (attachment, RFC 5987 name); bad ids are 400 or 404")
  func asset() async throws {
    let browser = Browser(server)
    try await browser.signIn("mai", Self.password)
    let list = try await browser.get("/api/v1/assets?q=chè")
    let first = try #require((try list.json()["assets"] as? [[String: Any]])?.first)
    let id = try #require(first["id"] as? String)
    let page = try await browser.get("/assets/\(id)")
    #expect(page.status == 200 && page.text.contains("<h1>Đồi chè</h1>") && page.text.contains("Tải bản gốc"))
    let short = try await browser.get("/assets/\(id.dropFirst(7).prefix(8))")
    #expect(short.status == 200, "a prefix of the id, as the command line takes")
    let preview = try await browser.get("/assets/\(id)/preview")
    #expect(preview.status == 200 && preview.header("Content-Type") == "image/jpeg")
    #expect(preview.body.starts(with: [0xFF, 0xD8]))
    #expect(preview.header("Cache-Control") == "private, max-age=31536000, immutable")
    let etag = try #require(preview.header("ETag"))
    let again = try await browser.get("/assets/\(id)/preview", headers: ["If-None-Match": etag])
    #expect(again.status == 304 && again.body.isEmpty)
    let original = try await browser.get("/assets/\(id)/original")
    #expect(original.body == FileManager.default.contents(atPath: CLI.photo("orientation-6.jpg")))
    #expect(
      original.header("Content-Disposition")
        == "attachment; filename=\"orientation-6.jpg\"; filename*=UTF-8''orientation-6.jpg")
    let festival = try #require(
      (try await browser.get("/api/v1/assets?q=long+tong").json()["assets"] as? [[String: Any]])?.first)
    let festivalID = try #require(festival["id"] as? String)
    let named = try await browser.get("/assets/\(festivalID)/original")
    #expect(
      named.header("Content-Disposition")
        == "attachment; filename=\"L_ h_i.jpg\"; filename*=UTF-8''L%E1%BB%85%20h%E1%BB%99i.jpg")
    for (path, status) in [
      ("/assets/zzzz", 400), ("/assets/\(String(repeating: "a", count: 65))", 400), ("/assets/0000000000", 404),
      ("/assets/..%2F..%2Fcatalog.sqlite", 400), ("/assets/../../catalog.sqlite", 404), ("/objects/sha256", 404),
      ("/api/v1/assets/zzzz", 400),
    ] {
      #expect(try await browser.get(path).status == status, "\(path)")
    }
    let problem = try await browser.get("/api/v1/assets/0000000000").json()
    #expect(problem["status"] as? Int == 404 && problem["code"] as? String == "notFound")
    #expect(problem["title"] as? String == "Not Found")
  }

  @Test("the API lists pages with a cursor and gives each asset as `show --json` does")
  func api() async throws {
    let browser = Browser(server)
    try await browser.signIn("mai", Self.password)
    var ids: [String] = []
    var path = "/api/v1/assets?order=oldest&limit=4"
    while true {
      let page = try await browser.get(path).json()
      ids += (page["assets"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
      guard let next = page["next"] as? String else { break }
      path = "/api/v1/assets?order=oldest&limit=4&after=\(next)"
    }
    let listed = try cli("list", "--ids", "--bank", bank).stdout.split(separator: "\n").map(String.init)
    #expect(ids == listed, "the same assets, in the order they were added")
    let answer = try await browser.get("/api/v1/assets/\(ids[0])")
    #expect(answer.header("Content-Type") == "application/json")
    let shown = try #require(try cli("show", ids[0], "--json", "--bank", bank).json() as? [String: Any])
    #expect(NSDictionary(dictionary: try answer.json()) == NSDictionary(dictionary: shown))
  }
}

/// Changes made in the web library: by an editor, with the session's form token, audited under
/// the account's name; refused to a viewer.
@Suite(.serialized) struct WebEditTests {
  let scratch: ScratchDirectory
  let cli = CLI()
  let server: RunningServer
  let bank: String

  init() throws {
    scratch = try ScratchDirectory()
    bank = try RunningServer.makeBank(in: scratch, password: WebServerTests.password)
    server = try RunningServer(bank: bank)
  }

  /// The id of the asset whose title has `words` (without diacritics).
  func id(of words: String, _ browser: Browser) async throws -> String {
    let found = try await browser.get("/api/v1/assets?q=\(words.replacingOccurrences(of: " ", with: "+"))").json()
    return try #require((found["assets"] as? [[String: Any]])?.first?["id"] as? String)
  }

  @Test("an editor edits a title, adds a keyword and a pillar, and accepts a suggestion; each change names them")
  func editorChanges() async throws {
    let browser = Browser(server)
    try await browser.signIn("lan", WebServerTests.password)
    let id = try await id(of: "long tong", browser)
    let page = try await browser.get("/assets/\(id)")
    #expect(
      page.text.contains("action=\"/assets/\(id)/edit\"") && page.text.contains("name=\"decision\" value=\"accept\""))
    let token = try await browser.formToken()
    let edited = try await browser.post(
      "/assets/\(id)/edit",
      form: [("_token", token), ("lang", "vi"), ("title", "Lễ hội Lồng Tồng <b>2024</b>"), ("keywords", "Tày, lễ hội")])
    #expect(edited.status == 303 && edited.header("Location") == "/assets/\(id)")
    let tagged = try await browser.post("/assets/\(id)/tag", form: [("_token", token), ("pillar", "culture-heritage")])
    #expect(tagged.status == 303)
    let before = try #require(try cli("show", id, "--json", "--bank", bank).json() as? [String: Any])
    let suggested = (before["pillars"] as? [[String: Any]] ?? []).filter { $0["confirmed"] as? Bool == false }
    let suggestion = try #require(suggested.first, "the title suggests a pillar")
    let reviewed = try await browser.post(
      "/assets/\(id)/review",
      form: [
        ("_token", token), ("facet", "pillar"), ("source", suggestion["source"] as! String), ("decision", "accept"),
      ])
    #expect(reviewed.status == 303)
    let record = try #require(try cli("show", id, "--json", "--bank", bank).json() as? [String: Any])
    #expect((record["title"] as? [String: String])?["vi"] == "Lễ hội Lồng Tồng <b>2024</b>")
    #expect(record["keywords"] as? [String] == ["Tày", "lễ hội"])
    let pillars = record["pillars"] as? [[String: Any]] ?? []
    #expect(pillars.contains { $0["code"] as? String == "culture-heritage" && $0["source"] as? String == "explicit" })
    #expect(pillars.allSatisfy { $0["confirmed"] as? Bool == true }, "the suggestion was accepted")
    let history = try cli("history", id, "--bank", bank).stdout
    #expect(history.contains("lan") && !history.contains("root"), "\(history)")
    let shown = try await browser.get("/assets/\(id)").text
    #expect(shown.contains("Lễ hội Lồng Tồng &lt;b&gt;2024&lt;/b&gt;") && !shown.contains("<b>2024</b>"))
    // The title's source, the pillar's name, and the history with who changed what.
    #expect(shown.contains("&lt;b&gt;2024&lt;/b&gt;</span> <small>vi</small> <small>nguồn: explicit</small>"))
    #expect(shown.contains("Văn hóa và di sản <code>culture-heritage</code>"))
    #expect(shown.contains("<section class=\"history\">") && shown.contains("<td>lan</td><td>accept pillar"))
    let empty = try await browser.post("/assets/\(id)/tag", form: [("_token", token)])
    #expect(empty.status == 400)
  }

  @Test("a viewer sees no control, and her posts are refused even with her own token; a post without a token too")
  func refusals() async throws {
    let viewer = Browser(server)
    try await viewer.signIn("mai", WebServerTests.password)
    let id = try await id(of: "doi che", viewer)
    let page = try await viewer.get("/assets/\(id)").text
    #expect(!page.contains("/edit\"") && !page.contains("name=\"decision\""))
    let token = try await viewer.formToken()
    for path in ["edit", "tag", "review"] {
      let answer = try await viewer.post(
        "/assets/\(id)/\(path)", form: [("_token", token), ("title", "x"), ("lang", "vi")])
      #expect(answer.status == 403, "\(path)")
    }
    let editor = Browser(server)
    try await editor.signIn("lan", WebServerTests.password)
    #expect(try await editor.post("/assets/\(id)/edit", form: [("lang", "vi"), ("title", "forged")]).status == 403)
    let other = try await viewer.formToken()
    #expect(
      try await editor.post("/assets/\(id)/edit", form: [("_token", other), ("lang", "vi"), ("title", "forged")]).status
        == 403, "another session's token")
    let record = try #require(try cli("show", id, "--json", "--bank", bank).json() as? [String: Any])
    #expect((record["title"] as? [String: String])?.values.contains("forged") != true)
    #expect(!(try cli("history", id, "--bank", bank).stdout.contains("forged")), "nothing was audited either")
  }
}

/// Uploads: one file per request, its body streamed to disk, added as `add` adds it.
@Suite(.serialized) struct WebUploadTests {
  let scratch: ScratchDirectory
  let cli = CLI()
  let bank: String

  init() throws {
    scratch = try ScratchDirectory()
    bank = try RunningServer.makeBank(in: scratch, password: WebServerTests.password)
  }

  func upload(_ browser: Browser, _ name: String, _ body: Data, token: String?, query: String = "") async throws
    -> Browser.Answer
  {
    let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    return try await browser.send(
      "POST", "/api/v1/uploads?name=\(encoded)\(query)", headers: token.map { ["X-Form-Token": $0] } ?? [:],
      body: body)
  }

  @Test("an editor uploads a photo, a story and a file that is neither; the same photo again is held")
  func uploads() async throws {
    let server = try RunningServer(bank: bank)
    let browser = Browser(server)
    try await browser.signIn("lan", WebServerTests.password)
    #expect(try await browser.get("/upload").text.contains("id=\"upload\""))
    let token = try await browser.formToken()
    let photo = try #require(FileManager.default.contents(atPath: CLI.photo("orientation-7.jpg")))
    let added = try await upload(
      browser, "Lễ hội/2019/ảnh 1.jpg", photo, token: token, query: "&pillar=culture-heritage")
    #expect(added.status == 201, "\(added.text)")
    let result = try added.json()
    #expect(result["status"] as? String == "added" && result["name"] as? String == "Lễ hội/2019/ảnh 1.jpg")
    let id = try #require(result["id"] as? String)
    let record = try #require(try cli("show", id, "--json", "--bank", bank).json() as? [String: Any])
    let provenance = try #require((record["provenance"] as? [[String: Any]])?.first)
    #expect(
      provenance["path"] as? String == "upload:Lễ hội/2019/ảnh 1.jpg" && provenance["operator"] as? String == "lan")
    #expect(record["originalNames"] as? [String] == ["ảnh 1.jpg"])
    // The upload itself became the stored object (adopted, not copied): the same bytes, read-only.
    let hex = id.dropFirst("sha256:".count)
    let stored = "\(bank)/objects/sha256/\(hex.prefix(2))/\(hex.dropFirst(2))"
    #expect(FileManager.default.contents(atPath: stored) == photo)
    #expect(try FileManager.default.attributesOfItem(atPath: stored)[.posixPermissions] as? Int == 0o444)
    #expect((record["pillars"] as? [[String: Any]])?.contains { $0["code"] as? String == "culture-heritage" } == true)
    let again = try await upload(browser, "copy.jpg", photo, token: token)
    let held = try again.json()["status"] as? String
    #expect(again.status == 200 && held == "held")
    let story = try await upload(
      browser, "bai viet.md", Data("# Hội Lồng Tồng\n\nNgày hội xuống đồng.\n".utf8), token: token)
    #expect(story.status == 201)
    let storyID = try #require(try story.json()["id"] as? String)
    let storyRecord = try #require(try cli("show", storyID, "--json", "--bank", bank).json() as? [String: Any])
    #expect(storyRecord["kind"] as? String == "story", "recognised by the name's extension")
    let text = try await upload(browser, "giả.jpg", Data("not a photo\n".utf8), token: token)
    #expect(text.status >= 400 && text.status < 500)
    let problem = try text.json()
    #expect((problem["detail"] as? String)?.hasPrefix("giả.jpg: ") == true, "\(problem)")
    #expect(try leftovers().isEmpty, "no upload is left behind")
  }

  @Test("uploads, page views and a command-line import at the same time on one bank: all land, verify passes")
  func alongsideTheCommandLine() async throws {
    let server = try RunningServer(bank: bank)
    let browser = Browser(server)
    try await browser.signIn("lan", WebServerTests.password)
    let token = try await browser.formToken()
    // Distinct photos: one JPEG with different bytes after its end.
    let photo = try #require(FileManager.default.contents(atPath: CLI.photo("orientation-1.jpg")))
    let folder = scratch.appending("archive")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for number in 0..<40 {
      try (photo + Data("import \(number)".utf8)).write(to: URL(fileURLWithPath: "\(folder)/\(number).jpg"))
    }
    let (bank, cli) = (self.bank, self.cli)
    let importing = Task.detached { try cli("import", folder, "--bank", bank) }
    var statuses: [Int] = []
    for number in 0..<20 {
      statuses.append(
        try await upload(browser, "web \(number).jpg", photo + Data("upload \(number)".utf8), token: token).status)
      #expect(try await browser.get("/").status == 200)
      #expect(try await browser.get("/api/v1/facets").status == 200)
    }
    let imported = try await importing.value
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(statuses == Array(repeating: 201, count: 20))
    #expect(try cli("list", "--ids", "--bank", bank).stdout.split(separator: "\n").count == 6 + 40 + 20)
    let facets = try await browser.get("/api/v1/facets").json()
    #expect(facets["total"] as? Int == 66)
    let verified = try cli("verify", "--bank", bank)
    #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
  }

  @Test("an upload past the limit gets 413 and leaves nothing; a viewer's or a token-less upload gets 403")
  func refusals() async throws {
    let server = try RunningServer(bank: bank, arguments: ["--max-upload-mb", "1"])
    let editor = Browser(server)
    try await editor.signIn("lan", WebServerTests.password)
    let token = try await editor.formToken()
    let big = Data(repeating: 0xFF, count: 1_500_000)
    let tooLarge = try await upload(editor, "big.jpg", big, token: token)
    #expect(tooLarge.status == 413)
    #expect(try await upload(editor, "a.jpg", Data([0xFF]), token: nil).status == 403)
    #expect(try await upload(editor, "a.jpg", Data([0xFF]), token: String(repeating: "x", count: 43)).status == 403)
    let viewer = Browser(server)
    try await viewer.signIn("mai", WebServerTests.password)
    let viewerToken = try await viewer.formToken()
    #expect(try await upload(viewer, "a.jpg", Data([0xFF]), token: viewerToken).status == 403)
    #expect(try await viewer.get("/upload").status == 403)
    #expect(try leftovers().isEmpty)
    #expect(try cli("list", "--ids", "--bank", bank).stdout.split(separator: "\n").count == 6, "nothing was added")
  }

  /// The files left in the bank's temporary directory.
  func leftovers() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: bank + "/objects/tmp")
  }
}

/// The dashboard: the yearly report as a page, and as a download in every format.
@Suite(.serialized) struct WebDashboardTests {
  let scratch: ScratchDirectory
  let cli = CLI()
  let bank: String
  let server: RunningServer
  let year = Calendar(identifier: .gregorian).component(.year, from: Date())

  init() throws {
    scratch = try ScratchDirectory()
    bank = try RunningServer.makeBank(in: scratch, password: WebServerTests.password)
    server = try RunningServer(bank: bank)
  }

  /// The text of the element whose `data-key` is `key` in `page`.
  func value(_ key: String, in page: String) -> String? {
    guard let start = page.range(of: "data-key=\"\(key)\">") else { return nil }
    return String(page[start.upperBound...].prefix { $0 != "<" })
  }

  @Test("the dashboard's numbers are those of `mediabank report --format json`")
  func numbers() async throws {
    // Two assets of one pillar in Vietnamese, one in English too: cells of 2 and 1.
    let ids = try cli("list", "--ids", "--limit", "2", "--bank", bank).stdout.split(separator: "\n").map(String.init)
    try #require(ids.count == 2)
    let tagged = try cli.run(["tag"] + ids + ["--pillar", "culture-heritage", "--lang", "vi", "--bank", bank])
    try #require(tagged.status == 0, "\(tagged.stderr)")
    try #require(try cli("tag", ids[0], "--lang", "en", "--bank", bank).status == 0)
    let browser = Browser(server)
    try await browser.signIn("mai", WebServerTests.password)
    let page = try await browser.get("/dashboard").text
    let report = try #require(
      try cli("report", "--year", "\(year)", "--format", "json", "--bank", bank).json() as? [String: Any])
    for key in ["total", "added", "captured", "retracted", "unconfirmed", "damaged"] {
      #expect(value(key, in: page) == "\(report[key] as? Int ?? -1)", "\(key)")
    }
    for (table, prefix) in [
      ("kinds", "kind"), ("pillars", "pillar"), ("languages", "language"), ("provinces", "province"),
    ] {
      let rows = try #require(report[table] as? [[String: Any]])
      for row in rows where (row["total"] as? Int ?? 0) > 0 {
        let key = try #require(row["key"] as? String)
        #expect(value("\(prefix):\(key)", in: page) == "\(row["total"] as? Int ?? -1)", "\(prefix):\(key)")
      }
    }
    let gaps = try #require(report["gaps"] as? [[String: String]])
    let first = try #require(gaps.first)
    #expect(page.contains("data-key=\"gap:\(first["pillar"]!)|\(first["language"]!)\" data-gap=\"true\""))
    // The heat map: each cell with assets holds the report's count.
    let cells = try #require(report["pillarLanguages"] as? [[String: Any]])
    let culture = cells.filter { $0["pillar"] as? String == "culture-heritage" }
    #expect(culture.map { "\($0["language"] ?? "")=\($0["total"] ?? "")" }.sorted() == ["en=1", "vi=2"])
    for cell in cells {
      let key = "gap:\(cell["pillar"] as? String ?? "")|\(cell["language"] as? String ?? "")"
      #expect(
        page.contains("data-key=\"\(key)\" data-gap=\"false\" data-assets=\"\(cell["total"] as? Int ?? -1)\""), "\(key)"
      )
    }
    #expect(page.contains("<svg") && !page.contains("<script"))
  }

  @Test("the map draws the province's communes shaded by the report's counts; sync shows a bundle awaiting receipt")
  func mapAndSync() async throws {
    let browser = Browser(server)
    try await browser.signIn("mai", WebServerTests.password)
    // The report is kept while the bank does not change; a change by the command line shows.
    #expect(try await browser.get("/dashboard").text.contains("data-key=\"commune:01906\" data-count=\"0\""))
    let id = try #require(try cli("list", "--ids", "--limit", "1", "--bank", bank).stdout.split(separator: "\n").first)
    try #require(try cli("tag", String(id), "--locality", "Ba Bể", "--bank", bank).status == 0)
    let bundles = scratch.appending("bundles")
    let exported = try cli("export", "--to", "national", "--out", bundles, "--bank", bank)
    try #require(exported.status == 0, "\(exported.stderr)")
    let page = try await browser.get("/dashboard").text
    let report = try #require(
      try cli("report", "--year", "\(year)", "--format", "json", "--bank", bank).json() as? [String: Any])
    let communes = try #require(report["communes"] as? [[String: Any]])
    #expect(communes.contains { $0["key"] as? String == "01906" && $0["total"] as? Int == 1 })
    #expect(page.contains("data-key=\"commune:01906\" data-count=\"1\"><title>Xã Ba Bể: 1</title>"))
    // Every commune of Thái Nguyên (92 since July 2025) is drawn, the others unshaded.
    #expect(page.components(separatedBy: "data-key=\"commune:").count - 1 == 92)
    #expect(page.components(separatedBy: "data-count=\"0\"").count - 1 == 91)
    #expect(value("awaiting:national", in: page) == "1")
    #expect(page.contains("Ảnh") || page.contains("Photos"))
  }

  @Test("the report downloads in every format as the report command writes it")
  func downloads() async throws {
    let browser = Browser(server)
    try await browser.signIn("mai", WebServerTests.password)
    for format in ["md", "csv", "json"] {
      let answer = try await browser.get("/dashboard/report?year=\(year)&format=\(format)")
      #expect(answer.status == 200)
      #expect(answer.header("Content-Disposition")?.contains("filename=\"bao-cao-\(year).\(format)\"") == true)
      let written = try cli("report", "--year", "\(year)", "--format", format, "--bank", bank).stdout
      #expect(answer.text == written, "\(format)")
    }
    let docx = try await browser.get("/dashboard/report?year=\(year)&format=docx")
    #expect(docx.status == 200 && docx.body.starts(with: Array("PK".utf8)))
    #expect(try await browser.get("/dashboard/report?format=exe").status == 400)
    #expect(try await browser.get("/dashboard?year=\(year + 1)").status == 400)
    #expect(try await browser.get("/dashboard?year=abc").status == 400)
  }
}

/// API tokens: a script's `Authorization: Bearer`, with its account's role, until revoked.
@Suite(.serialized) struct WebTokenTests {
  let scratch: ScratchDirectory
  let cli = CLI()
  let bank: String
  let server: RunningServer

  init() throws {
    scratch = try ScratchDirectory()
    bank = try RunningServer.makeBank(in: scratch, password: WebServerTests.password)
    server = try RunningServer(bank: bank)
  }

  func create(_ user: String, _ name: String) throws -> String {
    let made = try cli("token", "create", "--user", user, "--name", name, "--bank", bank)
    try #require(made.status == 0, "\(made.stderr)")
    #expect(made.stderr.contains("keep it now; it is not shown again"))
    return made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @Test("a token reads the API with its account's role, uploads without a form token, and stops when revoked")
  func tokens() async throws {
    let viewerToken = try create("mai", "bao cao")
    let editorToken = try create("lan", "ci")
    #expect(viewerToken.hasPrefix("mbt_") && viewerToken.count == 47 && viewerToken != editorToken)
    let script = Browser(server)
    let listed = try await script.get("/api/v1/assets?limit=2", headers: ["Authorization": "Bearer \(viewerToken)"])
    let assets = try listed.json()["assets"] as? [Any]
    #expect(listed.status == 200 && assets?.count == 2)
    #expect(
      try await script.get("/", headers: ["Authorization": "Bearer \(viewerToken)"]).status == 401,
      "pages take cookies only")
    let forged = "mbt_" + String(repeating: "A", count: 43)
    #expect(try await script.get("/api/v1/assets", headers: ["Authorization": "Bearer \(forged)"]).status == 401)
    #expect(try await script.get("/api/v1/assets", headers: ["Authorization": "Basic bGFuOng="]).status == 401)
    let photo = try #require(FileManager.default.contents(atPath: CLI.photo("orientation-7.jpg")))
    let refused = try await script.send(
      "POST", "/api/v1/uploads?name=a.jpg", headers: ["Authorization": "Bearer \(viewerToken)"], body: photo)
    #expect(refused.status == 403, "a viewer's token may not upload")
    let uploaded = try await script.send(
      "POST", "/api/v1/uploads?name=a.jpg", headers: ["Authorization": "Bearer \(editorToken)"], body: photo)
    #expect(uploaded.status == 201, "\(uploaded.text)")
    // The list shows no secret; revoking ends the token at once.
    let list = try cli("token", "list", "--bank", bank).stdout
    #expect(list.contains("mai  bao cao") && !list.contains("mbt_"))
    let json = try #require(try cli("token", "list", "--json", "--bank", bank).json() as? [[String: String]])
    let id = try #require(json.first { $0["name"] == "bao cao" }?["id"])
    #expect(try cli("token", "revoke", id, "--bank", bank).stdout == "revoked token \(id)\n")
    #expect(try await script.get("/api/v1/assets", headers: ["Authorization": "Bearer \(viewerToken)"]).status == 401)
    // Removing an account ends its tokens.
    #expect(try cli("user", "remove", "lan", "--bank", bank).status == 0)
    #expect(try await script.get("/api/v1/assets", headers: ["Authorization": "Bearer \(editorToken)"]).status == 401)
    let log = try CLI.sqlite(bank + "/catalog.sqlite", "SELECT account, token, action FROM token_event ORDER BY id")
    #expect(log == "mai|bao cao|create\nlan|ci|create\nmai|bao cao|revoke")
  }

  @Test("a token for no account, or a second token of the same name, is refused")
  func refusals() throws {
    let nobody = try cli("token", "create", "--user", "nobody", "--name", "x", "--bank", bank)
    #expect(nobody.status == 2 && nobody.stderr == "mediabank: error: there is no account nobody\n")
    _ = try create("mai", "ci")
    let twice = try cli("token", "create", "--user", "mai", "--name", "ci", "--bank", bank)
    #expect(twice.status == 2 && twice.stderr == "mediabank: error: mai has a token named ci already\n")
    #expect(try cli("token", "revoke", "99", "--bank", bank).stderr == "mediabank: error: there is no token 99\n")
  }
}

/// Hostile and unusual requests: sign-ins in a burst, query strings written by forms, headers
/// that are not the server's.
@Suite(.serialized) struct WebHardeningTests {
  let scratch: ScratchDirectory
  let cli = CLI()
  let bank: String
  let server: RunningServer

  init() throws {
    scratch = try ScratchDirectory()
    bank = try RunningServer.makeBank(in: scratch, password: WebServerTests.password)
    server = try RunningServer(bank: bank)
  }

  @Test("an expired session leads back to the sign-in page (401 on the API), and is no longer found")
  func expiredSession() async throws {
    let browser = Browser(server)
    try await browser.signIn("mai", WebServerTests.password)
    #expect(try await browser.get("/").status == 200)
    try CLI.sqlite(
      bank + "/catalog.sqlite",
      "UPDATE session SET created_at = '2020-01-01T00:00:00Z', expires_at = '2020-01-01T12:00:00Z'")
    let page = try await browser.get("/dashboard")
    #expect(page.status == 302 && page.header("Location")?.hasPrefix("/login") == true, "\(page.status)")
    #expect(try await browser.get("/api/v1/assets").status == 401)
  }

  @Test("what a person or a file supplied is escaped on every page: titles, descriptions, keywords, file names")
  func hostileFields() async throws {
    let hostile = "<img src=x onerror=alert(1)>\"'&"
    let folder = scratch.appending("archive/\(hostile.replacingOccurrences(of: "/", with: "_"))")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let file = folder + "/<b>du lịch.jpg"
    try FileManager.default.copyItem(atPath: CLI.photo("orientation-7.jpg"), toPath: file)
    try #require(try cli("import", scratch.appending("archive"), "--bank", bank).status == 0)
    // The imported photo: the last added.
    let id = try #require(try cli("list", "--ids", "--bank", bank).stdout.split(separator: "\n").last)
    try #require(
      try cli(
        "edit", String(id), "--lang", "vi", "--title", hostile, "--description", hostile, "--add-keyword", hostile,
        "--bank", bank
      ).status == 0)
    let browser = Browser(server)
    try await browser.signIn("lan", WebServerTests.password)
    for path in ["/", "/?q=onerror", "/assets/\(id)", "/review", "/dashboard"] {
      let page = try await browser.get(path).text
      #expect(!page.contains("<img src=x") && !page.contains("<b>du lịch"), "\(path)")
    }
    let asset = try await browser.get("/assets/\(id)").text
    #expect(asset.contains("&lt;img src=x onerror=alert(1)&gt;&quot;&apos;&amp;"), "the title shown as text")
    #expect(asset.contains("&lt;b&gt;du lịch.jpg"), "the file name shown as text")
    let review = try await browser.get("/review").text
    #expect(review.contains("&lt;img src=x"), "a suggestion's asset and folder")
  }

  @Test("a burst of wrong sign-ins at once gets at most 5 tries; then even the right password is refused")
  func burst() async throws {
    let server = self.server
    let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
      for _ in 0..<12 {
        group.addTask { try await Browser(server).signIn("mai", "wrong password!").status }
      }
      return try await group.reduce(into: [Int]()) { $0.append($1) }
    }
    #expect(statuses.filter { $0 == 401 }.count <= 5, "\(statuses)")
    #expect(statuses.allSatisfy { $0 == 401 || $0 == 429 }, "\(statuses)")
    #expect(try await Browser(server).signIn("mai", WebServerTests.password).status == 429)
    let malformed = try await Browser(server).post("/login", form: [("name", String(repeating: "a", count: 5000))])
    #expect(malformed.status == 401, "a name that cannot be an account's is refused without work")
  }

  @Test("query strings as forms write them: `+` is a space, in filters and upload names")
  func plusIsSpace() async throws {
    let browser = Browser(server)
    try await browser.signIn("lan", WebServerTests.password)
    #expect(try await browser.get("/?locality=Th%C3%A1i+Nguy%C3%AAn").status == 200, "a locality with a space")
    let token = try await browser.formToken()
    let photo = try #require(FileManager.default.contents(atPath: CLI.photo("orientation-8.jpg")))
    let uploaded = try await browser.send(
      "POST", "/api/v1/uploads?name=IMG+0001.jpg", headers: ["X-Form-Token": token], body: photo)
    let name = try uploaded.json()["name"] as? String
    #expect(uploaded.status == 201 && name == "IMG 0001.jpg")
  }

  @Test("a preview by a long prefix of its id; a page with a proxy's Basic authorization and a cookie")
  func prefixesAndHeaders() async throws {
    let browser = Browser(server)
    try await browser.signIn("mai", WebServerTests.password)
    let id = try #require(try cli("list", "--ids", "--bank", bank).stdout.split(separator: "\n").first)
    for digits in [8, 57, 64] {
      let answer = try await browser.get("/assets/\(id.dropFirst(7).prefix(digits))/preview")
      #expect(answer.status == 200, "\(digits) digits")
    }
    #expect(try await browser.get("/", headers: ["Authorization": "Basic cHJveHk6cHJveHk="]).status == 200)
    #expect(try await browser.get("/", headers: ["Authorization": "Bearer mbt_x"]).status == 401)
  }
}
