import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTLS
import Logging
public import MediaBank
import Synchronization

/// The web library (`mediabank serve`): pages and a JSON API over one bank, for the accounts of
/// `mediabank user`. Handlers parse the request, check the caller's role, call the same library
/// calls as the command line, and render; nothing else.
public struct WebServer: Sendable {
  let library: Library
  /// Whether cookies are sent only over TLS (`Secure`): true behind TLS or a TLS proxy.
  let secureCookies: Bool
  /// The certificate and key of HTTPS, or nil for plain HTTP.
  let tls: TLSCredentials?
  /// The largest upload taken, in bytes; a larger one gets 413 and leaves nothing.
  let maxUploadBytes: Int64
  /// How long a connection may send nothing, between requests or in the middle of one's body,
  /// before the server closes it: a client gone without a word (a network that dropped it) frees
  /// what its request held, such as a bundle's upload.
  static let idleSeconds: Int64 = 60
  /// The largest sync bundle taken over HTTP, in bytes (`Upload-Length`).
  let maxBundleBytes: Int64
  /// The bundles whose bytes are being received, one upload of each at a time.
  let bundlesInProgress = BundlesInProgress()
  let throttle = SignInThrottle()
  /// A PDF report is made by LibreOffice, a process of its own: one at a time.
  let pdfMaker = OneAtATime()
  let facetCache = BankCache<FacetCounts>()
  /// The dashboard's yearly reports.
  let reportCache = BankCache<BankReport>(capacity: 16)
  /// The national bank's dashboard's yearly reports.
  let nationalReportCache = BankCache<NationalReport>(capacity: 8)
  /// The library pages asked (per query, role and language): 128 of about 50 KB at most.
  let pageCache = BankCache<Pages.LibraryBody>(capacity: 128, policy: .exact)
  let maps = ProvinceMaps()

  /// A server of `library`. With `tls` it serves HTTPS, and its cookies are `Secure` whatever
  /// `secureCookies` says (which is for a server behind a proxy that terminates TLS).
  public init(
    library: Library, secureCookies: Bool = false, maxUploadBytes: Int64 = 4 << 30, maxBundleBytes: Int64 = 1 << 40,
    tls: TLSCredentials? = nil
  ) {
    self.library = library
    self.secureCookies = secureCookies || tls != nil
    self.tls = tls
    self.maxUploadBytes = maxUploadBytes
    self.maxBundleBytes = maxBundleBytes
  }

  /// Serves on `host`:`port` until the process is interrupted (SIGINT or SIGTERM: requests in
  /// flight finish first). `onListening` gets the URL (`https://` with TLS) once the socket
  /// listens (port 0 picks a free port).
  public func run(host: String, port: Int, onListening: @escaping @Sendable (String) -> Void) async throws {
    // The log goes to standard error: standard output has only the URL line, for scripts.
    var logger = Logger(label: "mediabank.serve") { label in StreamLogHandler.standardError(label: label) }
    logger.logLevel = .notice
    let scheme = tls == nil ? "http" : "https"
    let app = Application(
      router: router(),
      server: try tls.map {
        try .tls(
          .http1(configuration: .init(idleTimeout: .seconds(Self.idleSeconds))), tlsConfiguration: $0.configuration)
      }
        ?? .http1SendingFiles { [library] id in try? library.objectFile(id) },
      configuration: .init(address: .hostname(host, port: port), serverName: "MediaBank"),
      onServerRunning: { channel in
        let port = channel.localAddress?.port ?? port
        onListening("\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)/")
      }, logger: logger)
    try await app.runService()
  }

  /// Every route, each behind the role it needs.
  func router() -> Router<WebContext> {
    let router = Router(context: WebContext.self)
    router.add(middleware: ConnectionClose())
    router.add(middleware: SecurityHeaders(strictTransport: tls != nil))
    router.add(middleware: ErrorPages())
    router.get("/static/mediabank.css") { _, _ in
      var response = Response(
        status: .ok, headers: [.contentType: "text/css; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(string: Pages.stylesheet)))
      response.headers[.cacheControl] = "public, max-age=3600"
      return response
    }
    router.get("/static/upload.js") { _, _ in
      var response = Response(
        status: .ok, headers: [.contentType: "text/javascript; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(string: Pages.uploadScript)))
      response.headers[.cacheControl] = "public, max-age=3600"
      return response
    }
    router.get("/static/library.js") { _, _ in
      var response = Response(
        status: .ok, headers: [.contentType: "text/javascript; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(string: Pages.libraryScript)))
      response.headers[.cacheControl] = "public, max-age=3600"
      return response
    }
    router.get("/login") { request, context in
      Pages.html(Pages.signIn(language: context.language, message: nil, next: Self.safeNext(request)))
    }
    router.post("/login") { request, context in try await signIn(request, context) }

    let viewers = router.group().add(middleware: Authenticate(library: library, role: .viewer))
    viewers.post("/logout") { request, context in try await signOut(request, context) }
    viewers.get("/") { request, context in try await libraryPage(request, context) }
    viewers.get("/assets/:id") { request, context in try await assetPage(request, context) }
    viewers.get("/assets/:id/preview") { request, context in try await preview(request, context) }
    viewers.get("/assets/:id/original") { request, context in try await original(request, context) }
    viewers.get("/assets/:id/display") { request, context in try await display(request, context) }
    viewers.get("/dashboard") { request, context in try await dashboard(request, context) }
    viewers.get("/dashboard/report") { request, context in try await reportDownload(request, context) }
    viewers.get("/api/v1/assets") { request, context in try await apiAssets(request, context) }
    viewers.get("/api/v1/assets/:id") { request, context in try await apiAsset(request, context) }
    viewers.get("/api/v1/facets") { request, context in try await apiFacets(request, context) }

    let editors = router.group().add(middleware: Authenticate(library: library, role: .editor))
    editors.post("/assets/:id/edit") { request, context in try await edit(request, context) }
    editors.post("/assets/:id/tag") { request, context in try await tag(request, context) }
    editors.post("/assets/:id/review") { request, context in try await review(request, context) }
    editors.post("/assets/bulk") { request, context in try await bulk(request, context) }
    editors.get("/review") { request, context in try await reviewPage(request, context) }
    editors.post("/review") { request, context in try await reviewGroup(request, context) }
    editors.get("/upload") { _, context in Pages.html(Pages.upload(context: context)) }
    editors.post("/api/v1/uploads") { request, context in try await upload(request, context) }
    // The rest of the JSON API (API.swift), and sync bundles (Bundles.swift).
    addAPIRoutes(to: router)
    addBundleRoutes(to: router)
    return router
  }

  // MARK: Signing in and out

  private func signIn(_ request: Request, _ context: WebContext) async throws -> Response {
    var request = request
    let form = try await Form(request: &request)
    guard try form.checkOrigin(request) else { throw HTTPError(.forbidden) }
    let name = form["name"] ?? ""
    let address = context.remoteAddress
    let password = form["password"] ?? ""
    // A name that cannot be an account's is refused before any work (and bounds what the
    // throttle keeps).
    guard (1...64).contains(name.utf8.count), name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }),
      password.utf8.count <= 1024
    else {
      return Pages.html(
        Pages.signIn(language: context.language, message: .wrongPassword, next: form["next"]), status: .unauthorized)
    }
    let start = Date()
    guard throttle.begin(name: name, address: address, now: start) else {
      return Pages.html(
        Pages.signIn(language: context.language, message: .tooManyAttempts, next: form["next"]),
        status: .tooManyRequests)
    }
    let signedIn: SignedIn
    do {
      signedIn = try await blocking { () throws(MediaBankError) in try library.signIn(name: name, password: password) }
    } catch {
      throttle.finished(name: name, address: address, succeeded: false, at: start)
      guard error.code == .permissionDenied else { throw error }
      return Pages.html(
        Pages.signIn(language: context.language, message: .wrongPassword, next: form["next"]), status: .unauthorized)
    }
    throttle.finished(name: name, address: address, succeeded: true, at: start)
    var response = Response.redirect(to: Self.safeNext(form["next"]), type: .found)
    response.status = .seeOther
    response.setCookie(
      Cookie(
        name: Authenticate.cookie, value: signedIn.secret, maxAge: Int(Library.sessionLifetime), path: "/",
        secure: secureCookies, httpOnly: true, sameSite: .strict))
    return response
  }

  private func signOut(_ request: Request, _ context: WebContext) async throws -> Response {
    var request = request
    let form = try await Form(request: &request)
    try form.checkToken(context)
    if let secret = context.signedIn?.secret {
      try await blocking { () throws(MediaBankError) in try library.signOut(secret: secret) }
    }
    var response = Response.redirect(to: "/login", type: .found)
    response.status = .seeOther
    response.setCookie(
      Cookie(
        name: Authenticate.cookie, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true,
        sameSite: .strict))
    return response
  }

  /// Where to go after signing in: a path of this site (`/…`, never `//host` or a URL), else `/`.
  static func safeNext(_ next: String?) -> String {
    guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), next.utf8.count <= 2048,
      next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
    else { return "/" }
    return next
  }

  static func safeNext(_ request: Request) -> String? {
    Form(query: request)["next"].map { safeNext($0) }
  }

  // MARK: Pages

  private func libraryPage(_ request: Request, _ context: WebContext) async throws -> Response {
    let query = try LibraryQuery(request)
    let role = context.signedIn?.account.role ?? .viewer
    let language = context.language
    let body = try await blocking { () throws(MediaBankError) in
      try pageCache.value("\(role.rawValue) \(language.rawValue) \(query.link())", library: library) {
        () throws(MediaBankError) in
        let result = try query.run(on: library, titlesOnly: true)
        return Pages.libraryBody(
          query: query, result: result, facets: try facetCounts(of: query, found: result.records),
          choices: try Choices.of(library), role: role, language: language)
      }
    }
    return Pages.html(Pages.library(body, context: context))
  }

  private func assetPage(_ request: Request, _ context: WebContext) async throws -> Response {
    let id = try Self.assetID(context)
    let source = Form(query: request)["source"]
    let (record, senders, history, choices, story) = try await blocking { () throws(MediaBankError) in
      // On the national bank, the record of each province that sent the asset; `?source=`
      // chooses the one shown in full.
      let senders = try library.records(of: id)
      let record = senders.first { $0.sourceBank != nil && $0.sourceBank == source } ?? senders[0]
      // A story's text is shown on its page; a story whose file cannot be read shows the rest.
      let story = record.kind == "story" ? try? library.storyText(of: record.id) : nil
      // A province's record has its history in the province's bank.
      let history = record.sourceBank == nil ? try library.history(record.id) : []
      return (record, senders, history, try Choices.of(library), story)
    }
    return Pages.html(
      Pages.asset(record, history: history, choices: choices, story: story, senders: senders, context: context))
  }

  // MARK: Dashboard

  /// The year of `?year=`, this year when absent; checked as `mediabank report` checks it.
  static func reportYear(_ request: Request) throws(MediaBankError) -> Int {
    guard let text = Form(query: request)["year"] else {
      return Calendar(identifier: .gregorian).component(.year, from: Date())
    }
    guard let year = Int(text) else { throw MediaBankError(.invalidInput, "year is a number, e.g. 2026") }
    try BankReport.checkYear(year)
    return year
  }

  /// The dashboard of `?year=`: the bank's report; on the national bank the national report, or
  /// with `?source=` (a province's code or name) what that province contributed.
  private func dashboard(_ request: Request, _ context: WebContext) async throws -> Response {
    let year = try Self.reportYear(request)
    let source = Form(query: request)["source"]
    let page = try await blocking { () throws(MediaBankError) -> String in
      if source == nil, try library.identity().national == true {
        let pillars = try library.pillars().vocabulary.topLevel.map(\.code)
        return Pages.nationalDashboard(
          try nationalReport(year: year), pillars: pillars, map: try maps.country(), context: context)
      }
      let sourceBank: String?
      do throws(MediaBankError) {
        sourceBank = try Self.sourceBank(source, in: library)
      } catch {
        // A province of today's map that never sent anything has an empty view, not an error.
        guard let source, let province = try? Localities.province(source), try library.identity().national == true
        else { throw error }
        return Pages.neverSent(province: province, year: year, context: context)
      }
      let report = try reportCache.value("\(year) \(sourceBank ?? "")", library: library) {
        () throws(MediaBankError) in try library.report(year: year, sourceBank: sourceBank)
      }
      let map = try report.province.map { province throws(MediaBankError) in try maps.map(of: province) }
      let recent = try library.assetPage(
        matching: AssetFilter(sourceBank: sourceBank), newestFirst: true, limit: 8, texts: ["title"]
      ).records
      // A province's view shows neither the national bank's imports nor its sync.
      let activity = Pages.Activity(
        report: report, batches: sourceBank == nil ? Array(try library.batches().suffix(5).reversed()) : [],
        recent: recent, sync: sourceBank == nil ? try library.syncStatus() : nil, map: map)
      return Pages.dashboard(activity, context: context)
    }
    return Pages.html(page)
  }

  /// The code of the source bank `text` names (a province's code or name) as the library's
  /// filters resolve it, nil without one; a bank that sent nothing here is an error.
  static func sourceBank(_ text: String?, in library: Library) throws(MediaBankError) -> String? {
    guard let text else { return nil }
    switch try library.resolve(AssetFilter(sourceBank: text)) {
    case .success(let filter): return filter.sourceBank
    case .failure(let problem): throw MediaBankError(.invalidInput, problem.description)
    }
  }

  /// The national report of `year`, kept until the bank changes or the day does (it counts the
  /// days since each province's last bundle).
  func nationalReport(year: Int) throws(MediaBankError) -> NationalReport {
    // The day in UTC, as the report counts it (`2026-12-07`).
    let key = "\(year) \(ISO8601DateFormatter().string(from: Date()).prefix(10))"
    return try nationalReportCache.value(key, library: library) { () throws(MediaBankError) in
      try library.nationalReport(year: year)
    }
  }

  /// The yearly report as `mediabank report --format F` writes it, as an attachment
  /// (``report(year:source:format:)``).
  private func reportDownload(_ request: Request, _ context: WebContext) async throws -> Response {
    let form = Form(query: request)
    let format = form["format"] ?? "md"
    let types = [
      "md": "text/markdown; charset=utf-8", "csv": "text/csv; charset=utf-8", "json": "application/json",
      "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf",
    ]
    guard let type = types[format] else { throw MediaBankError(.invalidInput, "format is md, csv, json, docx or pdf") }
    let (data, name) = try await report(year: try Self.reportYear(request), source: form["source"], format: format)
    let headers: HTTPFields = [
      .contentType: type, .contentDisposition: Self.attachment(name), .cacheControl: "no-store",
    ]
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  /// The report of `year` in `format` (md, csv, json, docx, pdf) and its file name: the bank's
  /// own; on the national bank the national report (`report --national`), or with `source` (a
  /// province's 2-digit code) that province's contribution (`report --source-bank`).
  func report(year: Int, source: String?, format: String) async throws -> (Data, String) {
    try await blocking { () throws(MediaBankError) -> (Data, String) in
      func json(_ value: some Encodable) throws(MediaBankError) -> Data {
        do { return try ReportFormatter.json(value) } catch {
          throw MediaBankError(.internal, "cannot write the report as JSON: \(error)")
        }
      }
      let identity = try library.identity()
      let national = identity.national == true
      let source = try Self.sourceBank(source, in: library)
      let name =
        national
        ? source.map { "bao-cao-\(year)-tinh-\($0).\(format)" } ?? "bao-cao-quoc-gia-\(year).\(format)"
        : "bao-cao-\(year).\(format)"
      let docx: Data
      if national, source == nil {
        let report = try nationalReport(year: year)
        switch format {
        case "csv":
          return (Data(ReportFormatter.csv(report, provinces: try library.contributionReports(of: report)).utf8), name)
        case "json": return (try json(report), name)
        case "md": return (Data(ReportFormatter.markdown(report).utf8), name)
        default: docx = try ReportDocument.docx(report, bankName: identity.name)
        }
      } else {
        let report = try library.report(year: year, sourceBank: source)
        switch format {
        case "csv": return (Data(ReportFormatter.csv(report).utf8), name)
        case "json": return (try json(report), name)
        case "md": return (Data(ReportFormatter.markdown(report).utf8), name)
        default: docx = try ReportDocument.docx(report)
        }
      }
      guard format == "pdf" else { return (docx, name) }
      return (try pdfMaker.run { () throws(MediaBankError) in try ReportDocument.pdf(fromDOCX: docx) }, name)
    }
  }

  // MARK: Changes (editors)

  /// Sets the title and description of one language, adds keywords, sets the capture time: the
  /// fields left empty change nothing. Audited under the account's name.
  private func edit(_ request: Request, _ context: WebContext) async throws -> Response {
    let id = try Self.assetID(context)
    var request = request
    let form = try await Form(request: &request)
    try form.checkToken(context)
    let name = context.signedIn!.account.name
    let keywords = (form["keywords"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }
    let change = AssetEdit(
      texts: StatedTexts(title: form.value("title"), description: form.value("description")),
      language: form.value("lang"), capturedAt: form.value("captured"), addKeywords: keywords, operatorName: name)
    try await blocking { () throws(MediaBankError) in _ = try library.edit([id], change) }
    return Self.seeOther("/assets/\(id)")
  }

  /// Adds an explicit pillar, language or locality (a code or a name, current or former).
  private func tag(_ request: Request, _ context: WebContext) async throws -> Response {
    let id = try Self.assetID(context)
    var request = request
    let form = try await Form(request: &request)
    try form.checkToken(context)
    let change = TagChange(
      pillar: form.value("pillar"), language: form.value("language"), locality: form.value("locality"),
      operatorName: context.signedIn!.account.name)
    guard change.pillar != nil || change.language != nil || change.locality != nil else {
      throw MediaBankError(.invalidInput, "give a pillar, a language or a locality")
    }
    try await blocking { () throws(MediaBankError) in _ = try library.tag([id], change) }
    return Self.seeOther("/assets/\(id)")
  }

  /// Accepts or rejects an asset's suggestions of one facet from one source.
  private func review(_ request: Request, _ context: WebContext) async throws -> Response {
    let id = try Self.assetID(context)
    var request = request
    let form = try await Form(request: &request)
    try form.checkToken(context)
    let accept = try Self.decision(form)
    let (facet, source, name) = (form.value("facet"), form.value("source"), context.signedIn!.account.name)
    try await blocking { () throws(MediaBankError) in
      _ = try library.review([id], facet: facet, source: source, accept: accept, operatorName: name)
    }
    // From the review queue, back to it.
    return Self.seeOther(form["back"] == "review" ? "/review" : "/assets/\(id)")
  }

  /// One file, the request's body as it is (no multipart), streamed to a file of the bank's
  /// temporary directory, never held in memory, then added as `add` adds a file: `name=` is the
  /// file's name or relative path, `lang`, `pillar`, `locality` tag it. The session's form token
  /// comes in the `X-Form-Token` header. Answers 201 with the new asset, 200 when the bank held
  /// the content already, 413 past the size limit, a problem with the reason otherwise.
  private func upload(_ request: Request, _ context: WebContext) async throws -> Response {
    try Form.checkToken(request.headers[Self.tokenHeader], context)
    let parameters = Form(query: request)
    guard let name = parameters["name"], !name.isEmpty else {
      throw MediaBankError(.invalidInput, "name= names the uploaded file")
    }
    let limit = maxUploadBytes
    if let length = request.headers[.contentLength].flatMap({ Int64($0) }), length > limit {
      throw HTTPError(.contentTooLarge, message: "the file is larger than the limit of \(limit) bytes")
    }
    let path = library.newUploadPath()
    let received = ByteCounter()
    let body = request.body.map { buffer in
      guard received.add(buffer.readableBytes) <= limit else {
        throw HTTPError(.contentTooLarge, message: "the file is larger than the limit of \(limit) bytes")
      }
      return buffer
    }
    do {
      try await FileIO().writeFile(contents: body, path: path, context: context)
    } catch {
      library.discardUpload(path)
      throw error
    }
    var options = AddOptions()
    options.operatorName = context.signedIn!.account.name
    if let language = parameters.value("lang") { options.language = language }
    options.pillar = parameters.value("pillar")
    options.locality = parameters.value("locality")
    let result = try await blocking { [options] () throws(MediaBankError) in
      try library.addUpload(path, name: name, options: options)
    }
    return try API.json(
      UploadResult(name: name, id: result.id, status: result.isNew ? "added" : "held", issues: result.issues),
      status: result.isNew ? .created : .ok)
  }

  /// The assets ticked in the grid (`id`, at most 1,000), tagged (`action=tag` with a pillar, a
  /// language or a locality), retracted (`retract`, with a reason) or deleted (`delete`, with a
  /// reason; admins only), then back to the page they were on (`back`).
  private func bulk(_ request: Request, _ context: WebContext) async throws -> Response {
    var request = request
    let form = try await Form(request: &request)
    try form.checkToken(context)
    let ids = try form.values("id").map { text throws(MediaBankError) in try Self.checkedID(text) }
    guard !ids.isEmpty else { throw MediaBankError(.invalidInput, "tick at least one asset") }
    guard ids.count <= 1000 else { throw MediaBankError(.invalidInput, "at most 1,000 assets at once") }
    let account = context.signedIn!.account
    switch form["action"] {
    case "tag":
      let change = TagChange(
        pillar: form.value("pillar"), language: form.value("language"), locality: form.value("locality"),
        operatorName: account.name)
      guard change.pillar != nil || change.language != nil || change.locality != nil else {
        throw MediaBankError(.invalidInput, "give a pillar, a language or a locality")
      }
      try await blocking { () throws(MediaBankError) in _ = try library.tag(ids, change) }
    case "retract":
      let reason = form.value("reason") ?? ""
      try await blocking { () throws(MediaBankError) in
        _ = try library.retract(ids, reason: reason, operatorName: account.name)
      }
    case "delete":
      guard account.role >= .admin else { throw HTTPError(.forbidden, message: "only an admin deletes assets") }
      let reason = form.value("reason") ?? ""
      try await blocking { () throws(MediaBankError) in
        _ = try library.delete(ids, reason: reason, operatorName: account.name)
      }
    default: throw MediaBankError(.invalidInput, "action is tag, retract or delete")
    }
    // A deleted asset's page is gone: back to the library.
    let back = Self.safeNext(form["back"])
    return Self.seeOther(form["action"] == "delete" && back.hasPrefix("/assets/") ? "/" : back)
  }

  /// The suggestions waiting for review, by folder (`?facet=` narrows them).
  private func reviewPage(_ request: Request, _ context: WebContext) async throws -> Response {
    let facet = Form(query: request).value("facet")
    let suggestions = try await blocking { () throws(MediaBankError) in try library.suggestions(facet: facet) }
    return Pages.html(Pages.review(suggestions, facet: facet, context: context))
  }

  /// Accepts or rejects the suggestions of a folder (`folder`) or of a source (`source`), of one
  /// facet when `facet` is given.
  private func reviewGroup(_ request: Request, _ context: WebContext) async throws -> Response {
    var request = request
    let form = try await Form(request: &request)
    try form.checkToken(context)
    let accept = try Self.decision(form)
    let (folder, source, facet) = (form.value("folder"), form.value("source"), form.value("facet"))
    guard folder != nil || source != nil else { throw MediaBankError(.invalidInput, "give a folder or a source") }
    let name = context.signedIn!.account.name
    try await blocking { () throws(MediaBankError) in
      _ = try library.review([], folder: folder, facet: facet, source: source, accept: accept, operatorName: name)
    }
    return Self.seeOther(facet.map { "/review?facet=\(queryValue($0))" } ?? "/review")
  }

  /// `decision=accept` (true) or `reject` (false).
  static func decision(_ form: Form) throws(MediaBankError) -> Bool {
    switch form["decision"] {
    case "accept": return true
    case "reject": return false
    default: throw MediaBankError(.invalidInput, "decision is accept or reject")
    }
  }

  /// The header of the form token of a request sent by script (an upload).
  static let tokenHeader = HTTPField.Name("X-Form-Token")!

  static func seeOther(_ location: String) -> Response {
    Response(status: .seeOther, headers: [.location: location])
  }

  // MARK: Files (the handlers are in Files.swift)

  /// `attachment; filename="…"; filename*=UTF-8''…`: an ASCII fallback (other characters as `_`)
  /// and the name itself, percent-encoded.
  static func attachment(_ name: String) -> String {
    let fallback = String(
      name.unicodeScalars.map {
        $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" && $0.value != 0x7F ? Character($0) : "_"
      })
    return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(queryValue(name))"
  }

  // MARK: API

  private func apiAssets(_ request: Request, _ context: WebContext) async throws -> Response {
    let query = try LibraryQuery(request)
    let result = try await blocking { () throws(MediaBankError) in try query.run(on: library) }
    return try API.json(AssetList(assets: result.records, next: result.next?.token))
  }

  /// The facet counts the library page shows beside its grid, for the same query.
  private func apiFacets(_ request: Request, _ context: WebContext) async throws -> Response {
    let query = try LibraryQuery(request)
    return try API.json(try await blocking { () throws(MediaBankError) in try facetCounts(of: query) })
  }

  /// A search's counts are those of what it found; a listing's, those of its whole selection
  /// (kept while the bank does not change).
  func facetCounts(of query: LibraryQuery, found records: [AssetRecord]? = nil) throws(MediaBankError) -> FacetCounts {
    if query.text != nil {
      if let records { return try library.facets(of: records) }
      return try library.facets(of: try query.run(on: library).records)
    }
    return try facetCache.value(query.facetKey, library: library) { () throws(MediaBankError) in
      try library.facets(matching: query.filter)
    }
  }

  private func apiAsset(_ request: Request, _ context: WebContext) async throws -> Response {
    let id = try Self.assetID(context)
    return try API.json(try await blocking { () throws(MediaBankError) in try library.asset(id) })
  }

  /// The `:id` of the route: `sha256:` and 64 hex digits, or a prefix of at least 4 of them.
  static func assetID(_ context: WebContext) throws(MediaBankError) -> String {
    try checkedID(context.parameters.get("id") ?? "")
  }

  /// `id` when it is `sha256:` and 64 hex digits, or a prefix of at least 4 of them.
  static func checkedID(_ id: String) throws(MediaBankError) -> String {
    let hex = id.hasPrefix("sha256:") ? id.dropFirst(7) : Substring(id)
    guard (4...64).contains(hex.utf8.count),
      hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
    else { throw MediaBankError(.invalidInput, "'\(id.prefix(80))' is not an asset id") }
    return id
  }
}

/// The answer to an upload.
struct UploadResult: Encodable {
  var name: String
  var id: String
  /// `added`, or `held` when the bank had the same content already.
  var status: String
  /// Problems met while reading the file's metadata (it was added anyway).
  var issues: [String]
}

/// Runs one call at a time; a call made meanwhile is refused (`.busy`, 503) rather than queued.
final class OneAtATime: Sendable {
  private let busy = Mutex(false)

  func run<T>(_ body: () throws(MediaBankError) -> T) throws(MediaBankError) -> T {
    guard
      busy.withLock({ busy in
        busy
          ? false
          : {
            busy = true; return true
          }()
      })
    else {
      throw MediaBankError(.busy, "another PDF report is being made; try again in a minute")
    }
    defer { busy.withLock { $0 = false } }
    return try body()
  }
}

/// Bytes counted from the tasks of one request body.
final class ByteCounter: Sendable {
  private let total = Mutex<Int64>(0)
  /// Adds `count`; returns the new total.
  func add(_ count: Int) -> Int64 {
    total.withLock {
      $0 += Int64(count); return $0
    }
  }
}

/// A page of the API's asset list.
struct AssetList: Encodable {
  var assets: [AssetRecord]
  /// The cursor of the next page (`after=`), nil on the last.
  var next: String?
}

/// Runs a call of the library, which may block on the disk or the catalog, on a thread that may
/// block, not on one of the few that serve requests.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws(MediaBankError) -> T) async throws(MediaBankError) -> T
{
  let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, MediaBankError>, Never>) in
    DispatchQueue.global().async {
      continuation.resume(returning: Result { () throws(MediaBankError) in try body() })
    }
  }
  return try result.get()
}
