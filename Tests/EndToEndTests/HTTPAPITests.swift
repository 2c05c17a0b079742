import Foundation
import MediaBank
import Testing

@testable import MediaBankServer

/// The JSON API against its description, `Storage/http-api.yaml`: the routes the server registers
/// are the document's operations, every answer of a real server is valid against the document's
/// schemas (checked by `scripts/check-http-api`: Python's openapi-spec-validator and jsonschema,
/// which `scripts/setup` installs; a missing one fails these tests), each role is refused what
/// it may not do, and the answers are those of the commands.
@Suite(.serialized) struct HTTPAPITests {
  let scratch: ScratchDirectory
  let cli = CLI()
  let bank: String
  let year = Calendar(identifier: .gregorian).component(.year, from: Date())

  init() throws {
    scratch = try ScratchDirectory()
    bank = try RunningServer.makeBank(in: scratch, password: WebServerTests.password)
    let added = try cli.run(
      ["user", "add", "ed", "--role", "editor", "--password-stdin", "--bank", bank],
      input: WebServerTests.password + "\n")
    try #require(added.status == 0, "\(added.stderr)")
  }

  // MARK: Helpers

  /// `scripts/check-http-api ARGUMENTS`: its exit status (0 valid, 1 not) and what it printed.
  /// Throws when it cannot check at all (status 2: a Python package missing, an input unread).
  func checker(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", SchemaTests.root.appendingPathComponent("scripts/check-http-api").path] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    if process.terminationStatus == 2 { throw SchemaTests.CannotCheck(output: output) }
    return (process.terminationStatus, output)
  }

  /// The document's operations: `METHOD PATH` → the least role it needs.
  func documented() throws -> [String: String] {
    let listed = try checker(["--routes"])
    try #require(listed.status == 0, "\(listed.output)")
    var roles: [String: String] = [:]
    for line in listed.output.split(separator: "\n") {
      let words = line.split(separator: " ").map(String.init)
      try #require(words.count == 3, "\(line)")
      roles[words[0] + " " + words[1]] = words[2]
    }
    return roles
  }

  /// Writes `exchanges` to a file and checks them with the document; the exit status and what it
  /// said.
  func check(_ exchanges: [[String: Any]], _ extra: [String] = []) throws -> (status: Int32, output: String) {
    let file = scratch.appending("exchanges-\(UUID()).json")
    try JSONSerialization.data(withJSONObject: exchanges, options: [.sortedKeys])
      .write(to: URL(fileURLWithPath: file))
    return try checker([file] + extra)
  }

  func token(_ user: String) throws -> String {
    let made = try cli("token", "create", "--user", user, "--name", "api-\(user)", "--bank", bank)
    try #require(made.status == 0, "\(made.stderr)")
    return made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  // MARK: Tests

  @Test("the routes the server registers under /api/ are exactly the operations of Storage/http-api.yaml")
  func routesAreDocumented() throws {
    let library = try Library.open(at: URL(fileURLWithPath: bank), create: false)
    let registered = Set(
      WebServer(library: library).router().routes.map { "\($0.method) \($0.path)" }.filter {
        $0.split(separator: " ")[1].hasPrefix("/api/")
      })
    let documented = Set(try documented().keys)
    #expect(registered == documented, "registered, not documented: \(registered.subtracting(documented).sorted())")
    #expect(documented.isSubset(of: registered), "documented, not registered: \(documented.subtracting(registered))")
    #expect(registered.contains("POST /api/v1/assets/{id}/review") && registered.count == 15, "\(registered.sorted())")
  }

  @Test("every answer of a real server, successes and problems, is valid against the document; each call does its work")
  func answersAreValid() async throws {
    let server = try RunningServer(bank: bank)
    let api = Recorder(server)
    let (viewer, editor, admin) = (try token("mai"), try token("ed"), try token("lan"))

    // Assets: pages with a cursor, a search, filters, one asset; refusals.
    let page = try await api.call("GET", "/api/v1/assets?limit=2&order=oldest", token: viewer)
    #expect(page.status == 200)
    let next = try #require(try page.json()["next"] as? String)
    #expect(try await api.call("GET", "/api/v1/assets?limit=2&order=oldest&after=\(next)", token: viewer).status == 200)
    let found = try await api.call("GET", "/api/v1/assets?q=long+tong&kind=photo&lang=vi", token: viewer)
    let id = try #require((try found.json()["assets"] as? [[String: Any]])?.first?["id"] as? String)
    #expect(try await api.call("GET", "/api/v1/assets/\(id)", token: viewer).status == 200)
    let facets = try await api.call("GET", "/api/v1/facets?kind=photo&year=\(year)&shared=1", token: viewer)
    let total = try facets.json()["total"] as? Int
    #expect(facets.status == 200 && total != nil, "\(facets.text)")
    #expect(try await api.call("GET", "/api/v1/facets?q=long+tong", token: viewer).status == 200)
    #expect(try await api.call("GET", "/api/v1/assets?suggested=1&damaged=0&retracted=0", token: viewer).status == 200)
    #expect(try await api.call("GET", "/api/v1/assets?kind=painting", token: viewer).status == 400)
    #expect(try await api.call("GET", "/api/v1/assets?limit=1000", token: viewer).status == 400)
    #expect(try await api.call("GET", "/api/v1/assets", token: nil).status == 401)
    #expect(try await api.call("GET", "/api/v1/assets/0000000000", token: viewer).status == 404)
    #expect(try await api.call("GET", "/api/v1/assets/zzzz", token: viewer).status == 400)

    // An upload, then the same content again.
    let photo = try #require(FileManager.default.contents(atPath: CLI.photo("orientation-7.jpg")))
    let uploaded = try await api.call("POST", "/api/v1/uploads?name=a.jpg&lang=vi", token: editor, data: photo)
    #expect(uploaded.status == 201, "\(uploaded.text)")
    #expect(try await api.call("POST", "/api/v1/uploads?name=b.jpg", token: editor, data: photo).status == 200)

    // Edit: the answer is the record as `show --json` prints it after the change.
    let edited = try await api.call(
      "POST", "/api/v1/assets/\(id)/edit", token: editor,
      json: [
        "language": "vi", "title": "Lễ hội Lồng Tồng 2024", "addKeywords": ["Tày", "lễ hội"],
        "capturedAt": "2019-02-05T08:00:00+07:00",
      ])
    #expect(edited.status == 200, "\(edited.text)")
    let change = try edited.json()
    #expect(change["changes"] as? Int == 4)
    let shown = try #require(try cli("show", id, "--json", "--bank", bank).json() as? [String: Any])
    #expect(
      NSDictionary(dictionary: try #require(change["asset"] as? [String: Any])) == NSDictionary(dictionary: shown))
    #expect((shown["title"] as? [String: String])?["vi"] == "Lễ hội Lồng Tồng 2024")
    #expect(shown["capturedAt"] as? String == "2019-02-05T08:00:00+07:00")
    let again = try await api.call(
      "POST", "/api/v1/assets/\(id)/edit", token: editor, json: ["language": "vi", "title": "Lễ hội Lồng Tồng 2024"])
    #expect(try again.json()["changes"] as? Int == 0, "the same value again changes nothing")
    let misspelt = try await api.call("POST", "/api/v1/assets/\(id)/edit", token: editor, json: ["titel": "x"])
    let misspeltDetail = try misspelt.json()["detail"] as? String
    #expect(misspelt.status == 400 && misspeltDetail?.contains("'titel'") == true, "\(misspelt.text)")
    #expect(try await api.call("POST", "/api/v1/assets/\(id)/edit", token: editor, json: [:]).status == 400)
    let wrongType = try await api.call("POST", "/api/v1/assets/\(id)/edit", token: editor, json: ["addKeywords": "Tày"])
    let wrongTypeDetail = try wrongType.json()["detail"] as? String
    #expect(wrongType.status == 400 && wrongTypeDetail == "addKeywords is an array", "\(wrongType.text)")
    let notJSON = try await api.call(
      "POST", "/api/v1/assets/\(id)/edit", token: editor, data: Data("title=x".utf8), type: "text/plain")
    #expect(notJSON.status == 400)
    #expect(try cli("history", id, "--bank", bank).stdout.contains("ed"), "audited under the account's name")

    // Tags: a pillar, a former province's name; refusals.
    let tagged = try await api.call(
      "POST", "/api/v1/assets/\(id)/tags", token: editor, json: ["pillar": "culture-heritage", "locality": "Bắc Kạn"])
    #expect(tagged.status == 200, "\(tagged.text)")
    let record = try #require(try tagged.json()["asset"] as? [String: Any])
    let pillars = record["pillars"] as? [[String: Any]] ?? []
    #expect(pillars.contains { $0["code"] as? String == "culture-heritage" && $0["source"] as? String == "explicit" })
    #expect((record["locality"] as? [String: Any])?["province"] as? String == "19")
    #expect(try await api.call("POST", "/api/v1/assets/\(id)/tags", token: editor, json: [:]).status == 400)
    let nowhere = try await api.call("POST", "/api/v1/assets/\(id)/tags", token: editor, json: ["locality": "Xyzzy"])
    #expect(nowhere.status == 404)

    // Review: the title's suggestions accepted.
    let reviewed = try await api.call(
      "POST", "/api/v1/assets/\(id)/review", token: editor, json: ["facet": "pillar", "decision": "accept"])
    #expect(reviewed.status == 200, "\(reviewed.text)")
    let after = try #require(try reviewed.json()["asset"] as? [String: Any])
    #expect((after["pillars"] as? [[String: Any]] ?? []).allSatisfy { $0["confirmed"] as? Bool == true })
    let maybe = try await api.call("POST", "/api/v1/assets/\(id)/review", token: editor, json: ["decision": "maybe"])
    #expect(maybe.status == 400)

    // The report, byte for byte the command's.
    let report = try await api.call("GET", "/api/v1/report?year=\(year)&format=json", token: viewer)
    #expect(report.text == (try cli("report", "--year", "\(year)", "--format", "json", "--bank", bank).stdout))
    #expect(try await api.call("GET", "/api/v1/report", token: viewer).status == 200)
    #expect(try await api.call("GET", "/api/v1/report?format=pdf", token: viewer).status == 400)
    #expect(try await api.call("GET", "/api/v1/report?year=\(year + 1)", token: viewer).status == 400)

    // Pillars, localities and languages, as the commands give them.
    let pillarList = try await api.call("GET", "/api/v1/pillars", token: viewer)
    let vocabulary = try #require(try cli("pillars", "list", "--json", "--bank", bank).json() as? [String: Any])
    #expect(NSDictionary(dictionary: try pillarList.json()) == NSDictionary(dictionary: vocabulary))
    for (query, status) in [("bac+kan", "resolved"), ("Dinh+Hoa", "ambiguous"), ("xyzzy", "not-found")] {
      let answer = try await api.call("GET", "/api/v1/localities?q=\(query)", token: viewer)
      let resolved =
        try cli.run(
          ["locality", "resolve", query.replacingOccurrences(of: "+", with: " "), "--json"]
        ).json() as? [String: Any]
      let resolution = try #require(try answer.json()["resolution"] as? [String: Any], "\(answer.text)")
      #expect(answer.status == 200 && resolution["status"] as? String == status, "\(query): \(answer.text)")
      #expect(NSDictionary(dictionary: resolution) == NSDictionary(dictionary: resolved ?? [:]), "\(query)")
    }
    // Completion as a name is typed: its start, without diacritics; a former province as today's.
    func offered(_ query: String) async throws -> [[String: String]] {
      let answer = try await api.call("GET", "/api/v1/localities?q=\(query)", token: viewer)
      return try #require(answer.json()["localities"] as? [[String: String]], "\(answer.text)")
    }
    #expect(try await offered("thai+ng").first == ["code": "19", "name": "Tỉnh Thái Nguyên", "level": "province"])
    let babe = try await offered("ba+be&limit=3")
    #expect(babe.count <= 3 && babe.contains { $0["level"] == "commune" && $0["name"]?.hasPrefix("Xã Ba Bể,") == true })
    #expect(try await offered("bac+ka").contains { $0["code"] == "19" && $0["former"] == "Tỉnh Bắc Kạn" })
    #expect(try await offered("xyzzy").isEmpty)
    #expect(try await api.call("GET", "/api/v1/localities?q=ba&limit=0", token: viewer).status == 400)
    #expect(try await api.call("GET", "/api/v1/localities", token: viewer).status == 400)
    let languages =
      try await api.call("GET", "/api/v1/languages", token: viewer).json()["languages"] as? [[String: Any]]
    #expect(
      languages?.first?["tag"] as? String == "vi" && languages?.contains { $0["tag"] as? String == "tyz" } == true)

    // The accounts, to an admin, without a hash.
    let users = try await api.call("GET", "/api/v1/users", token: admin)
    let accounts = try #require(try users.json()["users"] as? [[String: Any]])
    #expect(accounts.map { $0["name"] as? String } == ["ed", "lan", "mai"])
    #expect(accounts.map { $0["role"] as? String } == ["editor", "admin", "viewer"])
    #expect(!users.text.contains("scrypt"))

    // A page's script: the session cookie, and the form token for a change.
    let browser = Recorder(server)
    try await browser.browser.signIn("ed", WebServerTests.password)
    let formToken = try await browser.browser.formToken()
    #expect(try await browser.call("GET", "/api/v1/assets?limit=1", token: nil).status == 200)
    let tokenless = try await browser.call("POST", "/api/v1/assets/\(id)/tags", token: nil, json: ["language": "tyz"])
    #expect(tokenless.status == 403)
    let withToken = try await browser.call(
      "POST", "/api/v1/assets/\(id)/tags", token: nil, json: ["language": "tyz"], headers: ["X-Form-Token": formToken])
    #expect(withToken.status == 200, "\(withToken.text)")

    // The bundle routes answer on a national bank: SyncHTTPTests checks them.
    let checked = try check(api.exchanges + browser.exchanges, ["--all", "--tag", "-bundles"])
    #expect(checked.status == 0, "\(checked.output)")
    withExtendedLifetime(server) {}
  }

  @Test("each route refuses a caller without credentials (401) and one whose role is too low (403)")
  func roles() async throws {
    let server = try RunningServer(bank: bank)
    let api = Recorder(server)
    let tokens = ["viewer": try token("mai"), "editor": try token("ed"), "admin": try token("lan")]
    let id = try #require(try cli("list", "--ids", "--bank", bank).stdout.split(separator: "\n").first)
    let operations = try documented()
    #expect(operations.count == 15)
    // The bundle routes take no account: a bundle's signature authenticates it (SyncHTTPTests).
    #expect(operations.filter { $0.value == "signed-bundle" }.count == 3)
    for (operation, role) in operations.sorted(by: { $0.key < $1.key }) where role != "signed-bundle" {
      let parts = operation.split(separator: " ").map(String.init)
      let path = parts[1].replacingOccurrences(of: "{id}", with: id)
      let data = parts[0] == "POST" ? Data("{}".utf8) : nil
      #expect(try await api.call(parts[0], path, token: nil, data: data).status == 401, "\(operation)")
      let lower = Array(["viewer", "editor", "admin"].prefix { $0 != role })
      for caller in lower {
        let answer = try await api.call(parts[0], path, token: tokens[caller], data: data)
        #expect(answer.status == 403, "\(operation) as \(caller)")
        #expect(try answer.json()["code"] as? String == "permissionDenied", "\(operation) as \(caller)")
      }
    }
    #expect(try cli("list", "--ids", "--bank", bank).stdout.split(separator: "\n").count == 6, "nothing was added")
    let checked = try check(api.exchanges)
    #expect(checked.status == 0, "\(checked.output)")
    withExtendedLifetime(server) {}
  }

  @Test("the check fails an answer the document does not allow: a missing field, an unknown one, a status, a path")
  func checkCanFail() throws {
    let id = try #require(try cli("list", "--ids", "--bank", bank).stdout.split(separator: "\n").first)
    let record = try #require(try cli("show", String(id), "--json", "--bank", bank).json() as? [String: Any])
    func exchange(_ path: String, _ body: Any, status: Int = 200, method: String = "GET") -> [String: Any] {
      ["method": method, "path": path, "status": status, "contentType": "application/json", "body": body]
    }
    let intact = exchange("/api/v1/assets/\(id)", record)
    let valid = try check([intact])
    #expect(valid.status == 0, "the record as `show --json` prints it: \(valid.output)")

    var withoutID = record
    withoutID["id"] = nil
    var withExtra = record
    withExtra["passwordHash"] = "scrypt$15$8$1$…"
    let user = [
      "name": "lan", "role": "admin", "createdAt": "2026-01-01T00:00:00Z", "changedAt": "2026-01-01T00:00:00Z",
    ]
    let cases: [(exchange: [String: Any], says: String)] = [
      (exchange("/api/v1/assets/\(id)", withoutID), "'id' is a required property"),
      (exchange("/api/v1/assets/\(id)", withExtra), "'passwordHash' was unexpected"),
      (exchange("/api/v1/assets?limit=2", ["assets": [record], "next": 7]), "7 is not of type 'string'"),
      (exchange("/api/v1/users", ["users": [user.merging(["hash": "x"]) { $1 }]]), "'hash' was unexpected"),
      (exchange("/api/v1/users", ["users": [user.merging(["role": "owner"]) { $1 }]]), "'owner' is not one of"),
      (exchange("/api/v1/assets/\(id)", record, status: 202), "status 202 is not documented"),
      (exchange("/api/v1/assets/\(id)/history", record), "no path of the document matches"),
      (exchange("/api/v1/assets/\(id)", record, method: "DELETE"), "DELETE is not an operation"),
      (exchange("/api/v1/assets?sort=size", ["assets": []]), "query parameter sort is not documented"),
      (exchange("/api/v1/localities", ["status": "not-found"]), "the required query parameter q is missing"),
    ]
    // One run: each exchange is checked on its own, its problems on lines of its own (`#INDEX …`).
    let result = try check([intact] + cases.map(\.exchange))
    #expect(result.status == 1)
    let lines = result.output.split(separator: "\n")
    #expect(!lines.contains { $0.hasPrefix("#0 ") }, "the intact record is not blamed: \(result.output)")
    for (index, (_, says)) in cases.enumerated() {
      let blamed = lines.filter { $0.hasPrefix("#\(index + 1) ") }
      #expect(blamed.contains { $0.contains(says) }, "\(says): \(result.output)")
    }
    let unused = try check([intact], ["--all"])
    #expect(unused.status == 1 && unused.output.contains("GET /api/v1/users: never answered with success"))
  }
}

/// A client of the API that keeps every request and answer, for `scripts/check-http-api`.
final class Recorder: @unchecked Sendable {
  let browser: Browser
  private(set) var exchanges: [[String: Any]] = []

  init(_ server: RunningServer) { browser = Browser(server) }

  /// Sends `method path` with the API token `token` (none: the browser's cookie, if signed in)
  /// and a JSON body `json`, or the bytes `data` of `type`; records the exchange.
  func call(
    _ method: String, _ path: String, token: String?, json: [String: Any]? = nil, data: Data? = nil,
    type: String? = nil, headers: [String: String] = [:]
  ) async throws -> Browser.Answer {
    var headers = headers
    if let token { headers["Authorization"] = "Bearer \(token)" }
    var body = data
    if let json {
      body = try JSONSerialization.data(withJSONObject: json)
      headers["Content-Type"] = "application/json"
    } else if data != nil {
      headers["Content-Type"] =
        type ?? (path.hasPrefix("/api/v1/uploads") ? "application/octet-stream" : "application/json")
    }
    let answer = try await browser.send(method, path, headers: headers, body: body)
    var exchange: [String: Any] = [
      "method": method, "path": path, "status": answer.status, "contentType": answer.header("Content-Type") ?? "",
      "body": (try? JSONSerialization.jsonObject(with: answer.body, options: [.fragmentsAllowed])) ?? NSNull(),
    ]
    if let contentType = headers["Content-Type"], contentType == "application/json", let body {
      exchange["requestContentType"] = contentType
      exchange["requestBody"] =
        (try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])) ?? NSNull()
    }
    exchanges.append(exchange)
    return answer
  }
}
