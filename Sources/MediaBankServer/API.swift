import Foundation
import HTTPTypes
import Hummingbird
import MediaBank

/// The JSON API under `/api/v1`, beside the asset list, an asset and uploads (in WebServer.swift):
/// an asset's changes, the yearly report, the pillars, localities and languages, the accounts.
/// `Storage/http-api.yaml` describes every route, and `HTTPAPITests` checks that the two agree.
/// A script sends an API token (`Authorization: Bearer`); a page's script sends the session
/// cookie and, for a change, the session's form token in `X-Form-Token`.
extension WebServer {
  /// Adds the routes of the API that WebServer.swift does not, each behind the role it needs.
  func addAPIRoutes(to router: Router<WebContext>) {
    let viewers = router.group().add(middleware: Authenticate(library: library, role: .viewer))
    viewers.get("/api/v1/report") { request, _ in try await apiReport(request) }
    viewers.get("/api/v1/pillars") { _, _ in try await apiPillars() }
    viewers.get("/api/v1/localities") { request, _ in try await apiLocalities(request) }
    viewers.get("/api/v1/languages") { _, _ in try await apiLanguages() }

    let editors = router.group().add(middleware: Authenticate(library: library, role: .editor))
    editors.post("/api/v1/assets/:id/edit") { request, context in try await apiEdit(request, context) }
    editors.post("/api/v1/assets/:id/tags") { request, context in try await apiTag(request, context) }
    editors.post("/api/v1/assets/:id/review") { request, context in try await apiReview(request, context) }

    let admins = router.group().add(middleware: Authenticate(library: library, role: .admin))
    admins.get("/api/v1/users") { _, _ in try await apiUsers() }
  }

  // MARK: Changes (editors)

  /// Sets explicit values of an asset, as `mediabank edit` does; audited under the account's name.
  private func apiEdit(_ request: Request, _ context: WebContext) async throws -> Response {
    let id = try Self.assetID(context)
    let body = try await EditRequest.read(request, context)
    let change = AssetEdit(
      texts: StatedTexts(
        title: body.title, description: body.description, creator: body.creator, license: body.license,
        usageTerms: body.usageTerms),
      language: body.language, capturedAt: body.capturedAt, addKeywords: body.addKeywords ?? [],
      removeKeywords: body.removeKeywords ?? [], moveText: body.moveText.map { ($0.from, $0.to) },
      operatorName: context.signedIn!.account.name)
    return try await changed(id) { () throws(MediaBankError) in try library.edit([id], change).changes }
  }

  /// Adds an explicit pillar, language or locality (a code or a name, current or former), as
  /// `mediabank tag` does.
  private func apiTag(_ request: Request, _ context: WebContext) async throws -> Response {
    let id = try Self.assetID(context)
    let body = try await TagRequest.read(request, context)
    let change = TagChange(
      pillar: body.pillar, language: body.language, locality: body.locality,
      operatorName: context.signedIn!.account.name)
    guard change.pillar != nil || change.language != nil || change.locality != nil else {
      throw MediaBankError(.invalidInput, "give a pillar, a language or a locality")
    }
    return try await changed(id) { () throws(MediaBankError) in try library.tag(.ids([id]), change).changes }
  }

  /// Accepts or rejects an asset's suggestions (of one facet, from one source, when given), as
  /// `mediabank review` does.
  private func apiReview(_ request: Request, _ context: WebContext) async throws -> Response {
    let id = try Self.assetID(context)
    let body = try await ReviewRequest.read(request, context)
    let accept: Bool
    switch body.decision {
    case "accept": accept = true
    case "reject": accept = false
    default: throw MediaBankError(.invalidInput, "decision is accept or reject")
    }
    let name = context.signedIn!.account.name
    return try await changed(id) { () throws(MediaBankError) in
      try library.review([id], facet: body.facet, source: body.source, accept: accept, operatorName: name)
    }
  }

  /// Makes a change of asset `id`, then answers how many values it changed and the record as
  /// it is now.
  private func changed(_ id: String, _ change: @escaping @Sendable () throws(MediaBankError) -> Int)
    async throws -> Response
  {
    let (changes, record) = try await blocking { () throws(MediaBankError) in
      (try change(), try library.asset(id))
    }
    return try API.json(APIChange(changes: changes, asset: record))
  }

  // MARK: Reading (viewers)

  /// The yearly report as `mediabank report --format json` writes it (the JSON only: the other
  /// formats are downloads, `/dashboard/report`); on the national bank the national report, or
  /// with `source` a province's contribution.
  private func apiReport(_ request: Request) async throws -> Response {
    let form = Form(query: request)
    guard (form["format"] ?? "json") == "json" else {
      throw MediaBankError(.invalidInput, "format is json (/dashboard/report gives md, csv, docx and pdf)")
    }
    let (data, _) = try await report(year: try Self.reportYear(request), source: form["source"], format: "json")
    return Response(
      status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
      body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  /// The bank's pillar vocabulary in its file format, as `mediabank pillars list --json` prints it.
  private func apiPillars() async throws -> Response {
    try API.json(try await blocking { () throws(MediaBankError) in try library.pillars().vocabulary })
  }

  /// The places `q` may name or begin, for completing a name as it is typed (`localities`,
  /// at most `limit`, 10 by default), and what `q` resolves to as `mediabank locality resolve
  /// --json` prints it (`resolution`): today's provinces and communes and the former ones, with
  /// or without diacritics, a code or an alias.
  private func apiLocalities(_ request: Request) async throws -> Response {
    let parameters = Form(query: request)
    guard let text = parameters.value("q") else {
      throw MediaBankError(.invalidInput, "q= is the name or code to look up")
    }
    guard text.utf8.count <= 200 else { throw MediaBankError(.invalidInput, "q is too long") }
    var limit = 10
    if let given = parameters.value("limit") {
      guard let number = Int(given), (1...50).contains(number) else {
        throw MediaBankError(.invalidInput, "limit is a number from 1 to 50")
      }
      limit = number
    }
    return try API.json(
      try await blocking { [limit] () throws(MediaBankError) in
        LocalityAnswer(
          localities: try Localities.complete(text, limit: limit), resolution: try Localities.resolve(text))
      })
  }

  /// The languages MediaBank knows by name.
  private func apiLanguages() async throws -> Response {
    try API.json(
      LanguageList(languages: try await blocking { () throws(MediaBankError) in try Library.knownLanguages() }))
  }

  // MARK: Accounts (admins)

  /// The accounts: name, role and dates, as `mediabank user list --json` prints them (never a
  /// password's hash).
  private func apiUsers() async throws -> Response {
    let accounts = try await blocking { () throws(MediaBankError) in try library.accounts() }
    return try API.json(
      UserList(
        users: accounts.map {
          UserList.User(
            name: $0.name, role: $0.role.rawValue, createdAt: $0.createdAt, changedAt: $0.changedAt,
            province: $0.province)
        }))
  }
}

// MARK: Bodies

/// A JSON object a change of the API takes: its fields are its coding keys, and a field it does
/// not know is refused rather than ignored (a misspelt `titel` would otherwise change nothing).
protocol APIBody: Decodable {
  associatedtype CodingKeys: CodingKey & CaseIterable
}

extension APIBody {
  /// The body of `request` (at most 64 KiB) as `Self`, once the session's form token (in
  /// `X-Form-Token`) is checked; an API token needs none. Throws `invalidInput` (400) naming
  /// what is wrong.
  static func read(_ request: Request, _ context: WebContext) async throws -> Self {
    try Form.checkToken(request.headers[WebServer.tokenHeader], context)
    var request = request
    let data = Data(try await request.collectBody(upTo: context.maxUploadSize).readableBytesView)
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw MediaBankError(.invalidInput, "the body is not a JSON object (Content-Type: application/json)")
    }
    let known = Set(CodingKeys.allCases.map(\.stringValue))
    if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
      throw MediaBankError(
        .invalidInput, "'\(unknown.prefix(80))' is not a field of this call (\(known.sorted().joined(separator: ", ")))"
      )
    }
    do {
      return try JSONDecoder().decode(Self.self, from: data)
    } catch let error as DecodingError {
      throw MediaBankError(.invalidInput, describe(error))
    }
  }

  /// What a person can act on: the field and what it should be.
  private static func describe(_ error: DecodingError) -> String {
    func field(_ path: [any CodingKey]) -> String {
      var text = ""
      for key in path {
        text += key.intValue.map { "[\($0)]" } ?? (text.isEmpty ? "" : ".") + key.stringValue
      }
      return text
    }
    switch error {
    case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
      let expected =
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "\(type)"
        }
      return "\(field(context.codingPath)) is \(expected)"
    case .keyNotFound(let key, let context): return "\(field(context.codingPath + [key])) is required"
    case .dataCorrupted(let context): return "\(field(context.codingPath)): \(context.debugDescription)"
    @unknown default: return "the body is not what this call takes"
    }
  }
}

/// `POST /api/v1/assets/{id}/edit`: the values to set; absent ones change nothing.
struct EditRequest: APIBody {
  var language: String?
  var title: String?
  var description: String?
  var creator: String?
  var license: String?
  var usageTerms: String?
  var capturedAt: String?
  var addKeywords: [String]?
  var removeKeywords: [String]?
  var moveText: MoveText?

  /// The titles and descriptions of one language said to be in another (`und` → `vi`).
  struct MoveText: Decodable {
    var from: String
    var to: String
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case language, title, description, creator, license, usageTerms, capturedAt, addKeywords, removeKeywords
    case moveText
  }
}

/// `POST /api/v1/assets/{id}/tags`: the explicit tags to add.
struct TagRequest: APIBody {
  var pillar: String?
  var language: String?
  var locality: String?

  enum CodingKeys: String, CodingKey, CaseIterable { case pillar, language, locality }
}

/// `POST /api/v1/assets/{id}/review`: the decision on the asset's suggestions.
struct ReviewRequest: APIBody {
  var facet: String?
  var source: String?
  var decision: String

  enum CodingKeys: String, CodingKey, CaseIterable { case facet, source, decision }
}

// MARK: Answers

/// The answer to a change: how many values changed (0 when they were already so) and the asset
/// as it is now (as `show --json` prints it).
struct APIChange: Encodable {
  var changes: Int
  var asset: AssetRecord
}

/// The answer of `GET /api/v1/localities`.
struct LocalityAnswer: Encodable, Sendable {
  var localities: [Localities.Completion]
  var resolution: Localities.Resolution
}

/// The answer of `GET /api/v1/languages`.
struct LanguageList: Encodable {
  var languages: [Language]
}

/// The answer of `GET /api/v1/users`.
struct UserList: Encodable {
  var users: [User]

  struct User: Encodable {
    var name: String
    var role: String
    var createdAt: String
    var changedAt: String
    /// On the national bank, a province's account's province code.
    var province: String?
  }
}
