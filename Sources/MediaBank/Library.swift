import BlobStore
import Catalog
import Crypto
public import Foundation
import Glibc
import Metadata
import SyncBundle
import SystemIO
import Taxonomy

/// A MediaBank bank on disk: identity, objects and catalog. This is the one entry point the
/// commands use.
///
/// ```
/// <bank>/bank.json              identity (written last when a bank is created)
/// <bank>/keys/signing-key       Ed25519 private key (mode 0600)
/// <bank>/keys/bank.pub          its public key
/// <bank>/catalog.sqlite         the catalog (WAL mode)
/// <bank>/objects/               the blob store
/// ```
public final class Library: Sendable {
  /// The bank directory.
  public let root: URL
  let store: BlobStore
  let catalog: Catalog

  private init(root: URL) throws(MediaBankError) {
    self.root = root
    do {
      store = try BlobStore(root: root.appendingPathComponent("objects"))
    } catch {
      throw MediaBankError(error.description, wrapping: error)
    }
    do {
      catalog = try Catalog(path: root.appendingPathComponent("catalog.sqlite").path, fold: VietnameseText.fold)
    } catch {
      throw MediaBankError(error.description, path: root.path, wrapping: error)
    }
    store.sweepTemporaryFiles()
    // The objects an interrupted deletion had still to remove.
    _ = try? purgeQueuedObjects()
  }

  /// Whether `root` holds a bank (its `bank.json`).
  public static func exists(at root: URL) -> Bool {
    FileManager.default.fileExists(atPath: root.appendingPathComponent(BankIdentity.fileName).path)
  }

  /// Opens the bank at `root`. When there is none and `create` is true, creates it (with a new
  /// key pair and no province); otherwise throws.
  public static func open(at root: URL, create: Bool) throws(MediaBankError) -> Library {
    let identityPath = root.appendingPathComponent(BankIdentity.fileName).path
    if FileManager.default.fileExists(atPath: identityPath) {
      _ = try readIdentity(at: identityPath)
      let library = try Library(root: root)
      try library.finishKeyRotation()
      return library
    }
    guard create else {
      throw MediaBankError(
        .notFound, "no bank here (run `mediabank init` or `mediabank add` to create one, or pass --bank)",
        path: root.path)
    }
    try prepareDirectory(root)
    let library = try Library(root: root)
    try library.createIdentity()
    return library
  }

  /// The bank's identity from `bank.json`.
  public func identity() throws(MediaBankError) -> BankIdentity {
    try Self.readIdentity(at: identityPath)
  }

  /// Sets the province and name of the bank, or makes it the national bank. The province of a
  /// bank cannot change once set, and a bank is provincial or national, never both.
  @discardableResult
  public func initialize(province: String?, name: String?, national: Bool = false) throws(MediaBankError)
    -> BankIdentity
  {
    var identity = try identity()
    if national {
      if let existing = identity.province {
        throw MediaBankError(
          .conflict, "this bank serves province \(existing); the national bank is a bank of its own", path: root.path)
      }
      identity.national = true
      identity.formatVersion = 2
    }
    if let province {
      if identity.national == true {
        throw MediaBankError(.conflict, "this is the national bank; it serves no province", path: root.path)
      }
      guard province != "national" else {
        throw MediaBankError(
          .invalidInput, "the national bank is made with `mediabank init --national`, not --province")
      }
      _ = try Self.bankCode(province)
      if let existing = identity.province, existing != province {
        throw MediaBankError(
          .conflict, "this bank already serves province \(existing); a bank's province cannot change",
          path: root.path)
      }
      identity.province = province
    }
    if let name {
      guard let clean = name.cleanedText else { throw MediaBankError(.invalidInput, "the bank name is empty") }
      identity.name = clean
    }
    try writeAtomically(identity.encoded(), to: identityPath)
    return identity
  }

  // MARK: Adding

  /// Adds one file: stores its bytes, reads its metadata, makes its preview and records it in
  /// one catalog transaction. On failure nothing of the file remains in the bank.
  public func add(_ path: String, options: AddOptions = AddOptions()) throws(MediaBankError)
    -> AddResult
  {
    try add(rawPath: Array(path.utf8), options: options)
  }

  /// Adds the file whose path is the bytes `rawPath`, as the kernel takes it: a name that is not
  /// UTF-8 (`caf\xE9.jpg`, from an old Windows or Mac archive) is found all the same, and errors
  /// and provenance show its invalid bytes as `\xNN`, as an import does.
  public func add(rawPath: [UInt8], options: AddOptions = AddOptions()) throws(MediaBankError) -> AddResult {
    let options = try resolvingTranslation(options)
    return try add(
      IngestSource(path: RawPath(rawPath), folder: nil, given: options.given, cached: false), options: options)
  }

  /// Adds the file of `source` (``add(rawPath:options:)``, ``addUpload(_:name:options:)``).
  private func add(_ source: IngestSource, options: AddOptions) throws(MediaBankError) -> AddResult {
    let path = source.shownAs ?? source.path.display
    guard case .stored(let arrival, let issues, _, _) = try ingest(source, options: options, context: ingestContext())
    else {
      throw MediaBankError(.invalidInput, "not a media file", path: path)
    }
    do {
      let isNew = try catalog.record([arrival], isStored: isStored)[0] == .added
      var shown = isNew ? issues : []
      // A front matter translation_of that the catalog could not link yet.
      if isNew, let reference = arrival.translation?.reference,
        try catalog.entry(arrival.provenance.assetId)?.translationOf == nil
      {
        shown.append(Catalog.pendingIssue(reference: reference))
      }
      return AddResult(
        id: arrival.provenance.assetId, isNew: isNew, issues: shown,
        damaged: isNew ? arrival.asset?.damaged : nil)
    } catch {
      throw MediaBankError(error.isDiskFull ? diskFullReason : error.description, path: path, wrapping: error)
    }
  }

  /// A new path in the bank's temporary directory for the bytes of an upload, then
  /// ``addUpload(_:name:options:)``. Named after this process, so that the sweep of temporary
  /// files leaves it while the process runs, and removes it if the process dies.
  public func newUploadPath() -> String {
    store.newTemporaryPath(suffix: ".upload")
  }

  /// Removes the upload at `path` (a path of ``newUploadPath()``) that will not be added.
  public func discardUpload(_ path: String) {
    guard path.hasPrefix(root.appendingPathComponent("objects/tmp/").path) else { return }
    unlink(path)
  }

  /// Adds the uploaded file at `path` (a path of ``newUploadPath()``) as the file a person
  /// named `name` (`Lễ hội/2019/IMG_0001.jpg`, the relative path the browser gave): errors name
  /// `name`, provenance records `upload:` and `name`, and `name`'s extension is the one read. The
  /// file at `path` is removed after, whatever happens.
  public func addUpload(_ path: String, name: String, options: AddOptions = AddOptions()) throws(MediaBankError)
    -> AddResult
  {
    defer { unlink(path) }
    guard path.hasPrefix(root.appendingPathComponent("objects/tmp/").path) else {
      throw MediaBankError(.invalidInput, "not an upload of this bank", path: path)
    }
    let clean = name.split(separator: "/").filter { !$0.isEmpty && $0 != "." && $0 != ".." }.joined(separator: "/")
    guard !clean.isEmpty, clean.utf8.count <= 1024, !clean.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
      throw MediaBankError(.invalidInput, "an upload's name is 1 to 1,024 bytes without control characters")
    }
    let options = try resolvingTranslation(options)
    var source = IngestSource(path: RawPath(Array(path.utf8)), folder: nil, given: options.given, cached: false)
    source.shownAs = clean
    source.adopt = true
    return try add(source, options: options)
  }

  /// `options` with `translationOf` made the full id of the story it names; throws when it
  /// names no story of the bank.
  func resolvingTranslation(_ options: AddOptions) throws(MediaBankError) -> AddOptions {
    guard let reference = options.translationOf else { return options }
    var resolved = options
    do {
      resolved.translationOf = try storyID(reference)
    } catch {
      throw MediaBankError("--translation-of: \(error.reason)", wrapping: error)
    }
    return resolved
  }

  // MARK: Reading

  /// The asset whose id is `reference`: a full `sha256:<hex>` id or an unambiguous prefix of at
  /// least 4 hex digits (with or without `sha256:`). On the national bank, for an asset several
  /// provinces sent, the first record received: ``records(of:sourceBank:)`` gives each.
  public func asset(_ reference: String) throws(MediaBankError) -> AssetRecord {
    let prefix = try Self.requiredPrefix(reference)
    do {
      let matches = try catalog.ids(startingWith: prefix)
      if matches.isEmpty, try identity().national == true {
        // The national bank: the first province's record (`records(of:)` gives each).
        return try records(of: reference)[0]
      }
      guard let id = try Self.atMostOne(matches, for: reference) else {
        throw MediaBankError(.notFound, "no asset \(reference) in this bank")
      }
      guard let entry = try catalog.entry(id) else { throw MediaBankError(.notFound, "no asset \(reference)") }
      return AssetRecord(entry, parents: try pillarParents())
    } catch let error as MediaBankError {
      throw error
    } catch {
      throw MediaBankError("\(error)", wrapping: error)
    }
  }

  /// The object id of the preview of the asset `reference` (an id or an unambiguous prefix), and
  /// a reader of its bytes: what a web library needs to answer a preview's request, without
  /// reading the whole record. Throws `.notFound` for an unknown asset or one without a preview.
  public func preview(of reference: String) throws(MediaBankError)
    -> (object: String, read: @Sendable () throws(MediaBankError) -> [UInt8])
  {
    let prefix = try Self.requiredPrefix(reference)
    var found: (found: Bool, thumbnail: String?)
    do {
      // A whole id (`sha256:` and 64 digits) needs no search of the prefixes.
      let matches = prefix.utf8.count == 71 ? [prefix] : try catalog.ids(startingWith: prefix)
      found =
        try Self.atMostOne(matches, for: reference).map { id throws in try catalog.thumbnail(of: id) } ?? (false, nil)
    } catch let error as MediaBankError {
      throw error
    } catch {
      throw MediaBankError("\(error)", wrapping: error)
    }
    if !found.found {
      // On the national bank, a province's record (`asset(_:)` finds it, or says why not).
      found = (true, try asset(reference).thumbnail)
    }
    guard let object = found.thumbnail else { throw MediaBankError(.notFound, "\(reference) has no preview") }
    let path = try objectFile(object)
    return (
      object,
      { () throws(MediaBankError) in
        do throws(SystemError) { return try IO.readFile(RawPath(Array(path.utf8)).filePath, limit: 16 << 20) } catch {
          // The reason only: the answer of a web request does not name the server's files.
          throw MediaBankError(.damaged, "cannot read the preview \(object): \(error.reason)")
        }
      }
    )
  }

  /// The file of the stored object `id` (`sha256:<64 hex digits>`: an asset's content, or its
  /// preview as ``AssetRecord/Details/thumbnail`` names it), to read and never to change. Throws
  /// `.invalidInput` for text that is not an object id and `.notFound` for an object not stored.
  public func objectFile(_ id: String) throws(MediaBankError) -> String {
    guard let blob = BlobID(id) else { throw MediaBankError(.invalidInput, "'\(id)' is not an object id") }
    guard store.contains(blob) else { throw MediaBankError(.notFound, "no object \(id) in this bank") }
    return store.path(of: blob)
  }

  /// ``idPrefix(_:)``, or an error saying that `reference` is not an asset id.
  static func requiredPrefix(_ reference: String) throws(MediaBankError) -> String {
    guard let prefix = idPrefix(reference) else {
      throw MediaBankError(
        .invalidInput, "'\(reference)' is not an asset id (expected sha256:<hex>, at least 4 hex digits)")
    }
    return prefix
  }

  /// The id of `matches` (the ids that start with `reference`), nil when there is none; an error
  /// when there are several.
  static func atMostOne(_ matches: [String], for reference: String) throws(MediaBankError) -> String? {
    guard matches.count <= 1 else { throw MediaBankError(.ambiguous, "'\(reference)' is ambiguous; give more digits") }
    return matches.first
  }

  /// `reference` as the start of an asset id, `sha256:` and lowercase hex digits, when it is a
  /// full id or a prefix of at least 4 hex digits, with or without `sha256:`, in any case; else nil.
  static func idPrefix(_ reference: String) -> String? {
    let lowered = reference.lowercased()
    let hex = lowered.hasPrefix("sha256:") ? String(lowered.dropFirst(7)) : lowered
    guard hex.utf8.count >= 4, hex.utf8.count <= 64,
      hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
    else { return nil }
    return "sha256:" + hex
  }

  // MARK: Verifying

  /// Checks the catalog (``Catalog/checkIntegrity()``: SQLite's integrity and foreign keys), then
  /// re-hashes every stored object and every object the catalog refers to, on all cores.
  public func verify() throws(MediaBankError) -> VerifyReport {
    do {
      let catalogCheck = try catalog.checkIntegrity()
      let names = try catalog.referencedObjects()
      let referenced = Set(names.compactMap { BlobID($0) })
      let stored = Set(try store.storedObjects())
      let ids = referenced.union(stored).sorted()
      let results = store.check(ids)
      var report = VerifyReport(
        checked: ids.count, catalogProblems: catalogCheck.problems, catalogProblemCount: catalogCheck.count)
      for name in names where BlobID(name) == nil {
        report.catalogProblems.append("the catalog names an object '\(name)' that is not a valid object id")
        report.catalogProblemCount += 1
      }
      for (id, result) in zip(ids, results) {
        switch result {
        case .intact: break
        case .missing: report.problems.append(VerifyReport.Problem(id: id.description, problem: "missing"))
        case .corrupt(let actual):
          report.problems.append(
            VerifyReport.Problem(id: id.description, problem: "corrupt (its bytes hash to \(actual))"))
        case .unreadable(let reason):
          report.problems.append(VerifyReport.Problem(id: id.description, problem: "unreadable (\(reason))"))
        }
        if !referenced.contains(id) && result == .intact {
          report.unreferenced.append(id.description)
        }
      }
      return report
    } catch let error as BlobStoreError {
      throw MediaBankError(error.description, wrapping: error)
    } catch let error as CatalogError {
      throw MediaBankError(error.description, wrapping: error)
    } catch {
      throw MediaBankError("\(error)", wrapping: error)
    }
  }

  // MARK: Helpers

  /// The national pillar of each local sub-pillar of the bank.
  func pillarParents() throws(MediaBankError) -> [String: String] {
    let locals = try catalogCall { () throws(CatalogError) in try catalog.localPillars() }
    return Dictionary(locals.map { ($0.code, $0.parent) }, uniquingKeysWith: { a, _ in a })
  }

  /// Runs a catalog operation, reporting its failure as a ``MediaBankError``.
  func catalogCall<T>(_ body: () throws(CatalogError) -> T) throws(MediaBankError) -> T {
    do {
      return try body()
    } catch {
      throw MediaBankError(error.description, wrapping: error)
    }
  }

  var identityPath: String { root.appendingPathComponent(BankIdentity.fileName).path }

  private static func readIdentity(at path: String) throws(MediaBankError) -> BankIdentity {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw MediaBankError(.damaged, "cannot read the bank identity", path: path)
    }
    guard let identity = try? JSONDecoder().decode(BankIdentity.self, from: data),
      identity.format == "mediabank-bank"
    else { throw MediaBankError(.damaged, "not a MediaBank identity file", path: path) }
    guard identity.formatVersion <= BankIdentity.currentFormatVersion else {
      throw MediaBankError(
        .newerCatalog,
        "bank format \(identity.formatVersion) is newer than this mediabank understands "
          + "(\(BankIdentity.currentFormatVersion)); upgrade mediabank", path: path)
    }
    return identity
  }

  /// Creates the bank directory, or accepts an existing one that is empty or a partly created
  /// bank (a crash before `bank.json` was written).
  private static func prepareDirectory(_ root: URL) throws(MediaBankError) {
    let manager = FileManager.default
    do {
      try manager.createDirectory(at: root, withIntermediateDirectories: true)
    } catch {
      throw MediaBankError(
        "cannot create the bank directory: \(error.localizedDescription)", path: root.path, wrapping: error)
    }
    let known: Set<String> = [
      "keys", "objects", "catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm", Self.exportLockName,
    ]
    let present = (try? manager.contentsOfDirectory(atPath: root.path)) ?? []
    let unknown = present.filter { !known.contains($0) && !$0.hasPrefix(BankIdentity.fileName) }
    guard unknown.isEmpty else {
      throw MediaBankError(
        .alreadyExists,
        "the directory is not empty and is not a bank (found \(unknown.sorted().prefix(3).joined(separator: ", ")))",
        path: root.path)
    }
  }

  private func createIdentity() throws(MediaBankError) {
    let keys = root.appendingPathComponent("keys")
    do {
      try FileManager.default.createDirectory(
        at: keys, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw MediaBankError("cannot create the key directory", path: keys.path, wrapping: error)
    }
    let key = Curve25519.Signing.PrivateKey()
    let publicKey = key.publicKey.rawRepresentation.base64EncodedString()
    try writeAtomically(
      Data((key.rawRepresentation.base64EncodedString() + "\n").utf8),
      to: keys.appendingPathComponent("signing-key").path, mode: 0o600)
    try writeAtomically(Data((publicKey + "\n").utf8), to: keys.appendingPathComponent("bank.pub").path)
    let identity = BankIdentity(
      format: "mediabank-bank", formatVersion: 1,
      bankId: UUID().uuidString.lowercased(), province: nil, name: nil,
      createdAt: Self.timestamp(), publicKey: publicKey, keyId: BundleSignature.keyId(of: key.publicKey))
    try writeAtomically(identity.encoded(), to: identityPath)
  }

  /// Who makes a change, and now: `name`, else the login name.
  static func actor(_ name: String?) -> Actor {
    Actor(name: name?.cleanedText ?? AddOptions.loginName(), at: timestamp())
  }

  /// `date` (by default now) as the catalog writes times: an ISO 8601 UTC instant truncated to the second,
  /// `2024-03-15T06:30:00Z`. Made by hand (an import makes several per file, and a new
  /// `ISO8601DateFormatter` each time costs more than the rest of a file's catalog rows); years
  /// outside 1900–9999 are left to the formatter (which counts days before 1582 in the Julian
  /// calendar).
  static func timestamp(of date: Date = Date()) -> String {
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    guard gmtime_r(&seconds, &parts) != nil, (0...8099).contains(parts.tm_year) else {
      let formatter = ISO8601DateFormatter()
      formatter.formatOptions = [.withInternetDateTime]
      return formatter.string(from: date)
    }
    var text: [UInt8] = []
    text.reserveCapacity(20)
    func digits(_ value: Int32, _ count: Int) {
      var divisor: Int32 = 1
      for _ in 1..<count { divisor *= 10 }
      while divisor > 0 {
        text.append(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
        divisor /= 10
      }
    }
    digits(parts.tm_year + 1900, 4)
    text.append(UInt8(ascii: "-"))
    digits(parts.tm_mon + 1, 2)
    text.append(UInt8(ascii: "-"))
    digits(parts.tm_mday, 2)
    text.append(UInt8(ascii: "T"))
    digits(parts.tm_hour, 2)
    text.append(UInt8(ascii: ":"))
    digits(parts.tm_min, 2)
    text.append(UInt8(ascii: ":"))
    digits(parts.tm_sec, 2)
    text.append(UInt8(ascii: "Z"))
    return String(decoding: text, as: UTF8.self)
  }

}

/// What `add` did with one file.
public struct AddResult: Equatable, Sendable {
  /// `sha256:<hex>`.
  public var id: String
  /// False when the same bytes were already in the bank (a provenance entry was added).
  public var isNew: Bool
  /// Metadata problems recorded for a new asset.
  public var issues: [String]
  /// For a new photo whose pixel data is truncated or corrupt, why: it was stored all the same,
  /// with the metadata that could be read and a partial preview, if any.
  public var damaged: String? = nil
}

/// The outcome of `verify`.
public struct VerifyReport: Equatable, Sendable {
  public struct Problem: Equatable, Sendable {
    public var id: String
    public var problem: String
  }

  /// How many objects were re-hashed.
  public var checked: Int
  /// Missing, corrupt or unreadable objects.
  public var problems: [Problem] = []
  /// Intact objects no asset or contribution refers to (left by an interrupted add or receive, or
  /// by a retraction on the national bank; harmless).
  public var unreferenced: [String] = []
  /// What is wrong in the catalog file itself: lines of SQLite's integrity check, foreign keys
  /// that point nowhere, object ids that are not ids (the first 100).
  public var catalogProblems: [String] = []
  /// How many catalog problems there are in all.
  public var catalogProblemCount = 0

  /// Whether anything is missing, corrupt or inconsistent (unreferenced objects are not).
  public var isSound: Bool { problems.isEmpty && catalogProblemCount == 0 }
}

extension String {
  /// NFC, trimmed; nil when empty.
  var cleanedText: String? {
    let trimmed = trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : trimmed.precomposedStringWithCanonicalMapping
  }
}
