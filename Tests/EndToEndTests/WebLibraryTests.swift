import Foundation
import Testing

/// The library page's facets, the actions on the assets ticked in its grid, and the review queue.
@Suite(.serialized) struct WebLibraryTests {
  let scratch: ScratchDirectory
  let cli = CLI()
  let server: RunningServer
  let bank: String

  /// The web bank, with the photos of a folder `Du lịch/Ba Bể` imported (their pillar and
  /// commune suggested by the folder names) and an editor, `hoa`.
  init() throws {
    scratch = try ScratchDirectory()
    bank = try RunningServer.makeBank(in: scratch, password: WebServerTests.password)
    let folder = scratch.appending("archive/Du lịch/Ba Bể")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for name in ["orientation-7.jpg", "orientation-8.jpg"] {
      try FileManager.default.copyItem(atPath: CLI.photo(name), toPath: folder + "/" + name)
    }
    try #require(try cli("import", scratch.appending("archive"), "--bank", bank).status == 0)
    let added = try cli.run(
      ["user", "add", "hoa", "--role", "editor", "--password-stdin", "--bank", bank],
      input: WebServerTests.password + "\n")
    try #require(added.status == 0)
    server = try RunningServer(bank: bank)
  }

  /// How many assets `mediabank list` lists with `filter`.
  func listed(_ filter: [String]) throws -> Int {
    let result = try cli.run(["list", "--json", "--bank", bank] + filter)
    return try #require(try result.json() as? [Any]).count
  }

  /// The count of `key` among the values of `facet` in the API's facets.
  func count(_ facets: [String: Any], _ facet: String, _ key: String) -> Int? {
    (facets[facet] as? [[String: Any]])?.first { $0["key"] as? String == key }?["count"] as? Int
  }

  @Test("the facets count what `mediabank list` lists with each value, and the page shows the same numbers")
  func facets() async throws {
    let browser = Browser(server)
    try await browser.signIn("mai", WebServerTests.password)
    let all = try await browser.get("/api/v1/facets").json()
    #expect(all["total"] as? Int == 8)
    #expect(count(all, "kinds", "photo") == 8)
    #expect(count(all, "pillars", "tourism-landscape") == (try listed(["--pillar", "tourism-landscape"])))
    #expect(count(all, "pillars", "tourism-landscape") == 2)
    #expect(count(all, "languages", "vi") == (try listed(["--lang", "vi"])))
    #expect(count(all, "provinces", "19") == (try listed(["--locality", "19"])))
    #expect(count(all, "communes", "01906") == (try listed(["--locality", "01906"])))
    #expect(all["suggested"] as? Int == (try listed(["--suggested-only"])))
    // Under a filter: the counts of the selection, narrowed as the listing narrows it.
    let inCommune = try await browser.get("/api/v1/facets?locality=Ba+B%E1%BB%83").json()
    #expect(inCommune["total"] as? Int == 2 && count(inCommune, "pillars", "tourism-landscape") == 2)
    let page = try await browser.get("/?pillar=tourism-landscape").text
    #expect(page.contains("data-total=\"2\""))
    #expect(page.contains("pillar=tourism-landscape") && page.contains(" ✕</a>"), "the chosen value clears itself")
    // A facet value is a link to the page with it set.
    let home = try await browser.get("/").text
    #expect(home.contains("href=\"/?locality=19\""))
    #expect(try await browser.get("/api/v1/facets?year=20x4").status == 400)
    #expect(try await browser.get("/api/v1/facets?suggested=yes").status == 400)
    // A search counts what it found.
    let searched = try await browser.get("/api/v1/facets?q=long+tong").json()
    #expect(searched["total"] as? Int == 1)
  }

  @Test("a library page kept for its query: each session's own form token and rights, and a change at once")
  func keptPages() async throws {
    /// The form token in the page's form of actions, if it has one.
    func bulkToken(_ page: String) -> String? {
      guard let form = page.range(of: "id=\"bulk\"") else { return nil }
      let marker = "name=\"_token\" value=\""
      guard let start = page.range(of: marker, range: form.upperBound..<page.endIndex) else { return nil }
      return String(page[start.upperBound...].prefix { $0 != "\"" })
    }
    let hoa = Browser(server)
    try await hoa.signIn("hoa", WebServerTests.password)
    let lan = Browser(server)
    try await lan.signIn("lan", WebServerTests.password)
    let mai = Browser(server)
    try await mai.signIn("mai", WebServerTests.password)
    let path = "/?kind=photo"
    let first = try await hoa.get(path).text
    let second = try await hoa.get(path).text
    #expect(first == second, "the same page, kept")
    // Each editor's page carries the form token of the editor's session, which the form needs.
    let hoaToken = try #require(bulkToken(first))
    let lanPage = try await lan.get(path).text
    let lanToken = try #require(bulkToken(lanPage))
    let lanSessionToken = try await lan.formToken()
    #expect(hoaToken != lanToken && lanToken == lanSessionToken)
    #expect(lanPage.contains("value=\"delete\"") && !first.contains("value=\"delete\""), "only an admin deletes")
    // A viewer after them: no boxes, no form of actions.
    let viewer = try await mai.get(path).text
    #expect(bulkToken(viewer) == nil && !viewer.contains("type=\"checkbox\"") && viewer.contains("class=\"grid\""))
    #expect(try await mai.get(path + "&ui=en").text.contains("<html lang=\"en\">"))
    // A title changed on the command line shows on the next view of the kept page.
    let id = try #require(try cli("list", "--ids", "--limit", "1", "--bank", bank).stdout.split(separator: "\n").first)
    let edited = try cli("edit", String(id), "--title", "Tiêu đề <mới>", "--lang", "vi", "--bank", bank)
    try #require(edited.status == 0, "\(edited.stderr)")
    #expect(try await mai.get(path).text.contains("Tiêu đề &lt;mới&gt;"))
  }

  @Test("the facets follow a change of the bank made by the command line")
  func facetsFollowChanges() async throws {
    let browser = Browser(server)
    try await browser.signIn("mai", WebServerTests.password)
    #expect(count(try await browser.get("/api/v1/facets").json(), "pillars", "people-communities") == nil)
    let id = try #require(try cli("list", "--ids", "--limit", "1", "--bank", bank).stdout.split(separator: "\n").first)
    try #require(try cli("tag", String(id), "--pillar", "people-communities", "--bank", bank).status == 0)
    // The next page counts again: the bank's change mark moved.
    let counted = count(try await browser.get("/api/v1/facets").json(), "pillars", "people-communities")
    #expect(counted == 1)
  }

  @Test("the library in the order of capture, page by page; a cursor of the order of addition is refused")
  func captureOrder() async throws {
    let ids = try cli("list", "--ids", "--bank", bank).stdout.split(separator: "\n").map(String.init)
    try #require(ids.count == 8)
    for (id, time) in [(ids[2], "2019-02-05T08:00:00+07:00"), (ids[5], "2024-09-02T09:00:00+07:00")] {
      try #require(try cli("edit", id, "--captured-at", time, "--bank", bank).status == 0)
    }
    let browser = Browser(server)
    try await browser.signIn("mai", WebServerTests.password)
    var listed: [String] = []
    var next: String? = ""
    while let cursor = next {
      let page = try await browser.get(
        "/api/v1/assets?order=captured&limit=3" + (cursor.isEmpty ? "" : "&after=\(cursor)")
      )
      .json()
      listed += (page["assets"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
      next = page["next"] as? String
    }
    #expect(listed.count == 8 && Set(listed) == Set(ids))
    #expect(Array(listed.prefix(2)) == [ids[5], ids[2]], "newest captured first, the undated last")
    let oldest = try await browser.get("/api/v1/assets?order=captured-oldest").json()
    let oldestIDs = (oldest["assets"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    #expect(Array(oldestIDs.suffix(2)) == [ids[2], ids[5]], "the undated first, then oldest captured")
    let added = try await browser.get("/api/v1/assets?limit=1").json()
    let cursor = try #require(added["next"] as? String)
    #expect(try await browser.get("/api/v1/assets?order=captured&after=\(cursor)").status == 400)
    let page = try await browser.get("/?order=captured").text
    #expect(page.contains("<option value=\"captured\" selected>"))
  }

  @Test("an editor tags and retracts the assets ticked in the grid; only an admin deletes; a viewer does neither")
  func bulk() async throws {
    let editor = Browser(server)
    try await editor.signIn("hoa", WebServerTests.password)
    let grid = try await editor.get("/").text
    #expect(grid.contains("form=\"bulk\"") && !grid.contains("value=\"delete\""), "boxes, and no delete for an editor")
    let ids = try cli("list", "--ids", "--limit", "2", "--bank", bank).stdout.split(separator: "\n").map(String.init)
    try #require(ids.count == 2)
    let token = try await editor.formToken()
    let boxes = ids.map { ("id", $0) }
    let tagged = try await editor.post(
      "/assets/bulk",
      form: [("_token", token), ("action", "tag"), ("pillar", "innovation-technology"), ("back", "/?kind=photo")]
        + boxes)
    #expect(tagged.status == 303 && tagged.header("Location") == "/?kind=photo")
    #expect(try listed(["--pillar", "innovation-technology"]) == 2)
    let history = try cli("history", ids[0], "--bank", bank).stdout
    #expect(history.contains("hoa") && history.contains("innovation-technology"), "\(history)")
    let noReason = try await editor.post("/assets/bulk", form: [("_token", token), ("action", "retract")] + boxes)
    #expect(noReason.status == 400)
    let retracted = try await editor.post(
      "/assets/bulk", form: [("_token", token), ("action", "retract"), ("reason", "bản quyền")] + boxes)
    #expect(retracted.status == 303)
    #expect(try listed(["--shared-only"]) == 6)
    let facets = try await editor.get("/api/v1/facets?retracted=1").json()
    #expect(facets["total"] as? Int == 2)
    let refused = try await editor.post(
      "/assets/bulk", form: [("_token", token), ("action", "delete"), ("reason", "trùng")] + boxes)
    #expect(refused.status == 403)
    #expect(try listed([]) == 8)
    let bad = try await editor.post(
      "/assets/bulk",
      form: [("_token", token), ("action", "tag"), ("pillar", "people-communities"), ("id", "../../etc/passwd")])
    #expect(bad.status == 400)
    let viewer = Browser(server)
    try await viewer.signIn("mai", WebServerTests.password)
    #expect(!(try await viewer.get("/").text.contains("form=\"bulk\"")))
    let forged = try await viewer.post(
      "/assets/bulk",
      form: [("_token", try await viewer.formToken()), ("action", "tag"), ("pillar", "people-communities")] + boxes)
    #expect(forged.status == 403)
    let admin = Browser(server)
    try await admin.signIn("lan", WebServerTests.password)
    let deleted = try await admin.post(
      "/assets/bulk",
      form: [("_token", try await admin.formToken()), ("action", "delete"), ("reason", "trùng")] + boxes)
    #expect(deleted.status == 303)
    #expect(try listed([]) == 6)
  }

  @Test("the review queue groups suggestions by folder with their reasons; a folder's are accepted together")
  func review() async throws {
    let editor = Browser(server)
    try await editor.signIn("hoa", WebServerTests.password)
    let page = try await editor.get("/review").text
    let folder = scratch.appending("archive/Du lịch/Ba Bể")
    #expect(page.contains("<code>\(folder)</code>") && page.contains("the folder “Ba Bể”"))
    let token = try await editor.formToken()
    let accepted = try await editor.post(
      "/review", form: [("_token", token), ("folder", folder), ("facet", "locality"), ("decision", "accept")])
    #expect(accepted.status == 303 && accepted.header("Location") == "/review?facet=locality")
    let suggested = try cli("review", "--folder", folder, "--json", "--bank", bank)
    let left = try #require(try suggested.json() as? [[String: Any]])
    #expect(!left.isEmpty && left.allSatisfy { $0["facet"] as? String == "pillar" }, "the pillars wait still")
    let rejected = try await editor.post(
      "/review", form: [("_token", token), ("source", "path"), ("decision", "reject")])
    #expect(rejected.status == 303)
    #expect(try cli("list", "--pillar", "tourism-landscape", "--ids", "--bank", bank).stdout.isEmpty)
    #expect(try await editor.post("/review", form: [("_token", token), ("decision", "accept")]).status == 400)
    let viewer = Browser(server)
    try await viewer.signIn("mai", WebServerTests.password)
    #expect(try await viewer.get("/review").status == 403)
  }
}
