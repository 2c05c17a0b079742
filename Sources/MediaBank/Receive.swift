import BlobStore
import Catalog
import Crypto
import Foundation
import SyncBundle
import SystemIO

/// What `receive` did with a bundle.
public struct ReceiveResult: Codable, Equatable, Sendable {
  public var bundle: String
  public var source: String
  public var sequence: Int
  /// The records applied (deletions included).
  public var accepted: Int
  /// The `delete` lines applied: the source's records of those assets removed.
  public var deleted: Int
  /// The records refused, each with why: the first `rejectedListed` of them (the receipt lists
  /// them all); `rejectedCount` counts them all.
  public var rejected: [Receipt.Rejection]
  /// How many records were refused.
  public var rejectedCount: Int
  /// Content objects the bundle brought that this bank did not hold yet.
  public var newObjects: Int
  /// Content objects removed from the store because the deletions left nothing that needs them.
  public var purgedObjects: Int
  /// The records this bank already held at the revision the bundle carried (a full bundle's,
  /// mostly): nothing to do, and not a rejection.
  public var unchanged: Int
  /// Set when the bundle had been received before (then nothing was applied this time): when.
  public var alreadyReceivedAt: String?
  /// Where the signed receipt was written; nil when it could not be (see `receiptError`).
  public var receiptPath: String?
  /// Why the receipt could not be written. The bundle is applied and its receipt stored all the
  /// same: `mediabank receipt export SOURCE SEQUENCE` writes it.
  public var receiptError: String?
}

/// The body of a receipt (`Storage/sync-bundle.md`, *Receipts*).
public struct Receipt: Codable, Equatable, Sendable {
  public struct Accepted: Codable, Equatable, Sendable {
    public var id: String
    public var revision: Int
  }

  public struct Rejection: Codable, Equatable, Sendable {
    public var id: String
    public var revision: Int
    public var reason: String
  }

  public var bundle: String
  public var source: String
  public var destination: String
  public var sequence: Int
  public var receivedAt: String
  public var receiverBankId: String
  public var accepted: [Accepted]
  public var rejected: [Rejection]
  /// The records the receiving bank already held at that revision: nothing to do. Absent from
  /// receipts of earlier versions.
  public var unchanged: [Accepted]?
  /// The content of the bundle's records that the receiving bank now holds, sorted.
  public var held: [String]
}

/// A receipt file: the body as a string, signed (`Storage/sync-bundle.md`).
struct ReceiptEnvelope: Codable {
  var format: String
  var formatVersion: Int
  var keyId: String
  var body: String
  var signature: String

  static let format = "mediabank-receipt"
}

/// A list of a receipt's body (`accepted`, `rejected` or `unchanged`) as JSON text, written as the
/// records are decided: a bundle of a million lines has a receipt of a million entries, which
/// `JSONEncoder` would hold several times over.
struct ReceiptList {
  /// The entries so far, comma-separated, without the brackets.
  private(set) var json = Data()
  private(set) var count = 0

  /// The entries so far, leaving the list empty (its count stays).
  mutating func take() -> Data {
    defer { json = Data() }
    return json
  }

  /// Adds `{"id":…,"reason":…,"revision":…}` (keys sorted, `reason` when given).
  mutating func append(id: String, revision: Int, reason: String? = nil) {
    if count > 0 { json.append(UInt8(ascii: ",")) }
    json.append(contentsOf: #"{"id":"#.utf8)
    Self.appendString(id.utf8, to: &json)
    if let reason {
      json.append(contentsOf: #","reason":"#.utf8)
      Self.appendString(reason.utf8, to: &json)
    }
    json.append(contentsOf: #","revision":\#(revision)}"#.utf8)
    count += 1
  }

  /// `bytes` (UTF-8) as a JSON string: quotes, backslashes and control characters escaped.
  static func appendString(_ bytes: some Sequence<UInt8>, to data: inout Data) {
    let hex = Array("0123456789abcdef".utf8)
    data.append(UInt8(ascii: "\""))
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"): data.append(contentsOf: [UInt8(ascii: "\\"), byte])
      case 0x0a: data.append(contentsOf: Array(#"\n"#.utf8))
      case 0x0d: data.append(contentsOf: Array(#"\r"#.utf8))
      case 0x09: data.append(contentsOf: Array(#"\t"#.utf8))
      case ..<0x20: data.append(contentsOf: Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 15)]])
      default: data.append(byte)
      }
    }
    data.append(UInt8(ascii: "\""))
  }
}

/// What applying a receipt changed.
public struct ReceiptApplied: Codable, Equatable, Sendable {
  public var bundle: String
  public var destination: String
  public var accepted: Int
  /// Records the destination already held at that revision.
  public var unchanged: Int
  public var rejected: [Receipt.Rejection]
  public var held: Int
}

extension Library {
  // MARK: Receiving

  /// Receives a bundle from a province (national bank only): checks it (BagIt structure and
  /// fixity, format, a trusted signature by its source bank, or by the key its key rotation
  /// statements lead to, the next sequence number, every record), stores its new content, applies
  /// its records (and its source's key rotation) in one transaction with the signed receipt, then
  /// writes the receipt out (`receiptOut`: see `receiptPath`). Writing it is a step of its own: when
  /// it fails the bundle is applied all the same, and `receiptError` says why.
  ///
  /// A `delete` line removes the source's record of the asset; the content that no other record
  /// (nor a local asset) needs then is removed from the store, after the transaction. A record
  /// whose revision this bank already holds is `unchanged`. A bundle refused, or interrupted,
  /// changes nothing visible; a bundle received before is not applied again: its stored receipt
  /// is written again (`alreadyReceivedAt`).
  public func receive(_ path: String, receiptOut: String? = nil) throws(MediaBankError) -> ReceiveResult {
    let identity = try identity()
    guard identity.national == true else {
      throw MediaBankError(
        .conflict, "only the national bank receives bundles (`mediabank init --national`)", path: root.path)
    }
    let keys = try bundleKeys()
    let verified = try Self.verifiedBundle(
      at: path, keys: keys, workDirectory: root.appendingPathComponent("objects/tmp"))
    defer { verified.cleanup() }
    try checkSender(of: verified, keys: keys)
    if let earlier = try earlierReceipt(
      of: verified.info.sourceBank, verified.info.sequence, id: verified.info.bundleId)
    {
      return try answerAgain(earlier, bundlePath: path, receiptOut: receiptOut)
    }
    let now = Self.timestamp()
    var plan = try planRecords(of: verified, at: now)
    let (newObjects, bytes) = try storeContent(plan.needed, adopting: verified.extractedTo != nil, bundle: verified)
    let signedReceipt: String
    do {
      signedReceipt = try commit(
        &plan, of: verified, identity: identity, newObjects: newObjects, bytes: bytes, at: now)
    } catch {
      // The same bundle, received twice at once: the other receive committed first. Answered as
      // a bundle received before (its content, stored twice, is stored once).
      if case .conflict = error.code,
        let earlier = try? earlierReceipt(
          of: verified.info.sourceBank, verified.info.sequence, id: verified.info.bundleId),
        earlier.id == verified.info.bundleId
      {
        return try answerAgain(earlier, bundlePath: path, receiptOut: receiptOut)
      }
      throw error
    }
    // The content the deletions left unneeded. A failure leaves it queued, removed when the bank is
    // next opened: the bundle is applied either way.
    let purged = plan.deleted > 0 ? ((try? purgeQueuedObjects()) ?? 0) : 0
    let info = verified.info
    var result = ReceiveResult(
      bundle: info.bundleId, source: info.sourceBank, sequence: info.sequence, accepted: plan.accepted.count,
      deleted: plan.deleted, rejected: plan.someRejected, rejectedCount: plan.rejected.count, newObjects: newObjects,
      purgedObjects: purged, unchanged: plan.unchanged.count)
    do {
      result.receiptPath = try writeReceipt(
        Data(signedReceipt.utf8), source: info.sourceBank, sequence: info.sequence, to: receiptOut,
        besideBundle: path)
    } catch {
      result.receiptError = error.description
    }
    return result
  }

  // MARK: Receiving, step by step

  /// Step 2 of `Storage/sync-bundle.md`, *Receiving*, after the signature: the key that signed the
  /// bundle (or the first of its rotations) is the one this bank trusts its source with, and the
  /// bundle is addressed to the national bank.
  private func checkSender(of verified: VerifiedBundle, keys: BundleKeys) throws(MediaBankError) {
    let info = verified.info
    guard let sourceKey = keys.key(ofBank: info.sourceBank) else {
      throw MediaBankError(
        .refused(.unknownKey),
        "bank \(info.sourceBank) is not trusted here; register its key with "
          + "`mediabank trust add --bank \(info.sourceBank) --public-key FILE`", path: info.bundleId)
    }
    let startKey = verified.rotations.first?.oldKeyId ?? verified.signingKeyId
    guard sourceKey.keyId == startKey else {
      throw MediaBankError(
        .refused(.unknownKey),
        "signed by \(verified.signingKeyId), but bank \(info.sourceBank) is trusted with \(sourceKey.keyId)",
        path: info.bundleId)
    }
    guard info.destination == "national" else {
      throw MediaBankError(
        .refused(.bagInfo), "addressed to '\(info.destination)', not to the national bank", path: info.bundleId)
    }
  }

  /// Step 3: the sequence of bundle `id`, number `sequence` from `source`. Returns the bundle's
  /// row when it was received before; refuses an older bundle and a gap, naming the missing
  /// numbers. (Also asked before an HTTP upload's bytes arrive: `incomingBundle(_:)`.)
  func earlierReceipt(of source: String, _ sequence: Int, id: String) throws(MediaBankError) -> ReceivedBundleRow? {
    let info = (sourceBank: source, sequence: sequence, bundleId: id)
    let received = try catalogCall { () throws(CatalogError) in
      try catalog.receivedBundles(source: info.sourceBank, receipts: true)
    }
    let last = received.map(\.sequence).max() ?? 0
    if let earlier = received.first(where: { $0.sequence == info.sequence }) { return earlier }
    if info.sequence < last {
      throw MediaBankError(
        .refused(.sequence),
        "bundle \(info.sequence) from \(info.sourceBank) is older than the last one received (\(last))",
        path: info.bundleId)
    }
    if info.sequence > last + 1 {
      let missing = (last + 1)..<info.sequence
      let list =
        missing.count > 10
        ? "\(missing.lowerBound)–\(missing.upperBound - 1)" : missing.map(String.init).joined(separator: ", ")
      throw MediaBankError(
        .refused(.sequence),
        "gap: bundle\(missing.count > 1 ? "s" : "") \(list) from \(info.sourceBank) \(missing.count > 1 ? "have" : "has") "
          + "not been received; ask the province to send \(missing.count > 1 ? "them" : "it") "
          + "(`mediabank export --resend SEQ`)", path: info.bundleId)
    }
    return nil
  }

  /// What applying a bundle's records does, decided line by line.
  struct ReceivePlan {
    var accepted = ReceiptList()
    var rejected = ReceiptList()
    var unchanged = ReceiptList()
    /// The first `ReceivePlan.listed` rejections, for the command's output.
    var someRejected: [Receipt.Rejection] = []
    static let listed = 1000
    /// The changes to the catalog, in the order of the lines: only those that change something
    /// (a retraction or deletion of an asset the source never sent changes nothing).
    var changes: [ContributionChange] = []
    var deleted = 0
    /// The bundle's content that the accepted records need: object id → its file.
    var needed: [String: URL] = [:]
    /// The content of the bundle's upserts that this bank holds once the bundle is applied.
    var held: Set<String> = []
  }

  /// How many lines `planRecords` reads before it looks up their revisions at once.
  private static let linesPerLookup = 1000

  /// Step 4, then the outcome of each record: streams `data/records.jsonl` (never all of it in
  /// memory), decodes each line once (a line that breaks the line rules refuses the bundle) and
  /// decides it: accepted, unchanged or rejected with a reason.
  private func planRecords(of verified: VerifiedBundle, at now: String) throws(MediaBankError) -> ReceivePlan {
    let info = verified.info
    var plan = ReceivePlan()
    // The source's revision of each asset as this bundle's lines leave it (.some(nil): deleted,
    // its revisions counted anew), over the revisions in the catalog.
    var touched: [String: Int?] = [:]
    var chunk: [IncomingLine] = []
    func decide(_ chunk: [IncomingLine]) throws(MediaBankError) {
      let ids = chunk.map(\.id).filter { touched[$0] == nil }
      let stored = try catalogCall { () throws(CatalogError) in
        try catalog.contributedRevisions(source: info.sourceBank, ids: ids)
      }
      for line in chunk {
        let earlier = touched[line.id] ?? stored[line.id]
        if let revision = plan.add(line, earlier: earlier, bundle: verified, library: self, at: now) {
          touched[line.id] = revision
        }
      }
    }
    try Self.forEachLine(of: verified) { line throws(MediaBankError) in
      chunk.append(line)
      if chunk.count == Self.linesPerLookup {
        try decide(chunk)
        chunk.removeAll(keepingCapacity: true)
      }
    }
    try decide(chunk)
    return plan
  }

  /// Calls `body` with each line of the bundle's `data/records.jsonl`, decoded and checked
  /// (`RecordLine.decode`), reading the file in bounded memory. A line that is not a record line
  /// refuses the bundle.
  static func forEachLine(
    of verified: VerifiedBundle, _ body: (IncomingLine) throws(MediaBankError) -> Void
  ) throws(MediaBankError) {
    let bundle = verified.info.bundleId
    let lines: RecordLines
    do {
      lines = try RecordLines(path: verified.recordsPath)
    } catch {
      throw MediaBankError(error.message, path: bundle + ": data/records.jsonl", wrapping: error)
    }
    while true {
      let data: Data?
      do {
        data = try lines.next()
      } catch {
        throw MediaBankError(error.message, path: bundle + ": data/records.jsonl", wrapping: error)
      }
      guard let data else { return }
      let line: IncomingLine
      do {
        line = try IncomingLine.decode(data, formatVersion: verified.info.formatVersion)
      } catch {
        throw MediaBankError(
          .refused(.badRecord), "line \(lines.lineNumber) \(error)", path: bundle + ": data/records.jsonl")
      }
      try body(line)
    }
  }

  /// Stores the content the accepted records need (content-addressed: storing it twice is
  /// harmless). A tar was extracted into the store's temporary directory and hashed on the way: its
  /// files are moved into place (`adopting`). A bag directory's files (on a disk others can write)
  /// are copied and hashed again. Either way they are stored as one group (`BlobStore.commit(_:)`:
  /// the files flushed several at a time, then named, then their directories flushed). Returns the
  /// objects new to the store and their bytes.
  private func storeContent(
    _ needed: [String: URL], adopting adopt: Bool, bundle verified: VerifiedBundle
  ) throws(MediaBankError) -> (objects: Int, bytes: Int64) {
    func stored(_ error: BlobStoreError) -> MediaBankError {
      MediaBankError(
        "cannot store the bundle's content: \(error.description)", path: verified.info.bundleId, wrapping: error)
    }
    var newObjects = 0
    var bytes: Int64 = 0
    var staged: [StagedObject] = []
    defer { staged.forEach(store.discard) }
    let work = needed.sorted(by: { $0.key < $1.key }).compactMap { object, file -> (BlobID, String)? in
      guard let id = BlobID(object), !store.contains(id) else { return nil }
      return (id, file.path)
    }
    let outcomes = IO.parallelMap(work.count) { index in
      let (id, path) = work[index]
      return Result { () throws(BlobStoreError) in
        adopt ? try store.stage(adopting: path, as: id) : try store.stage(copying: path, flush: false)
      }
    }
    for outcome in outcomes {
      if case .success(let object) = outcome { staged.append(object) }
    }
    for outcome in outcomes {
      if case .failure(let error) = outcome { throw stored(error) }
    }
    if let changed = staged.first(where: { object in needed[object.id.description] == nil }) {
      throw MediaBankError(
        .refused(.hashMismatch),
        "\(changed.id) is not the content the bundle's manifest lists: the file changed while it was read",
        path: verified.info.bundleId)
    }
    do throws(BlobStoreError) {
      let new = try store.commit(staged)
      newObjects = new.filter { $0 }.count
      bytes = staged.reduce(0) { $0 + $1.size }
    } catch {
      throw stored(error)
    }
    return (newObjects, bytes)
  }

  /// Signs the receipt and writes, in one catalog transaction, the bundle's row with it, the
  /// accepted records and the source's key rotations. Returns the signed receipt.
  private func commit(
    _ plan: inout ReceivePlan, of verified: VerifiedBundle, identity: BankIdentity, newObjects: Int, bytes: Int64,
    at now: String
  ) throws(MediaBankError) -> String {
    let info = verified.info
    let held = plan.held.sorted()
    // The body of `Receipt`, keys sorted, written out list by list.
    // The lists move into the body rather than being copied: a receipt may be 100 MB.
    var body = plan.accepted.take()
    body.insert(contentsOf: #"{"accepted":["#.utf8, at: 0)
    body.append(contentsOf: #"],"bundle":"#.utf8)
    ReceiptList.appendString(info.bundleId.utf8, to: &body)
    body.append(contentsOf: #","destination":"#.utf8)
    ReceiptList.appendString(info.destination.utf8, to: &body)
    body.append(contentsOf: #","held":["#.utf8)
    for (index, object) in held.enumerated() {
      if index > 0 { body.append(UInt8(ascii: ",")) }
      ReceiptList.appendString(object.utf8, to: &body)
    }
    body.append(contentsOf: #"],"receivedAt":"#.utf8)
    ReceiptList.appendString(now.utf8, to: &body)
    body.append(contentsOf: #","receiverBankId":"#.utf8)
    ReceiptList.appendString(identity.bankId.utf8, to: &body)
    body.append(contentsOf: #","rejected":["#.utf8)
    body.append(plan.rejected.take())
    body.append(contentsOf: #"],"sequence":\#(info.sequence),"source":"#.utf8)
    ReceiptList.appendString(info.sourceBank.utf8, to: &body)
    if plan.unchanged.count > 0 {
      body.append(contentsOf: #","unchanged":["#.utf8)
      body.append(plan.unchanged.take())
      body.append(UInt8(ascii: "]"))
    }
    body.append(UInt8(ascii: "}"))
    var envelope = try signed(body: body)
    body = Data()
    let signedReceipt = String(decoding: envelope, as: UTF8.self)
    envelope = Data()
    let row = ReceivedBundleRow(
      source: info.sourceBank, sequence: info.sequence, id: info.bundleId, kind: info.kind.rawValue,
      sourceBankId: info.sourceBankId, receivedAt: now, accepted: plan.accepted.count,
      rejected: plan.rejected.count, objects: newObjects, bytes: bytes, unchanged: plan.unchanged.count,
      receipt: signedReceipt)
    let rotations = verified.rotations.map { statement in
      (
        row: KeyRotationRow(
          bank: statement.bank, oldKeyId: statement.oldKeyId, newKeyId: statement.newKeyId,
          rotatedAt: statement.rotatedAt, statement: statement.rendered(), recordedAt: now, bundle: info.bundleId),
        publicKey: statement.newPublicKey.base64EncodedString()
      )
    }
    do {
      // The content of the accepted records is checked again while the catalog is locked: a
      // deletion received meanwhile may have removed an object this bundle counted on.
      try catalog.applyReceived(
        row, changes: plan.changes, objects: held, rotations: rotations, isStored: isStored)
    } catch {
      throw MediaBankError(error.description, path: info.bundleId, wrapping: error)
    }
    return signedReceipt
  }
  /// The answer to a bundle received before: nothing applied; its stored receipt written again.
  private func answerAgain(
    _ earlier: ReceivedBundleRow, bundlePath: String, receiptOut: String?
  ) throws(MediaBankError) -> ReceiveResult {
    guard let text = earlier.receipt else {
      throw MediaBankError(
        .conflict,
        "bundle \(earlier.sequence) from \(earlier.source) was already received on \(earlier.receivedAt), "
          + "before receipts were kept; its receipt cannot be written again",
        path: earlier.id)
    }
    let body = try Self.receiptBody(Data(text.utf8), name: earlier.id)
    var result = ReceiveResult(
      bundle: earlier.id, source: earlier.source, sequence: earlier.sequence, accepted: body.accepted.count,
      deleted: 0, rejected: Array(body.rejected.prefix(ReceivePlan.listed)), rejectedCount: body.rejected.count,
      newObjects: 0, purgedObjects: 0, unchanged: body.unchanged?.count ?? 0,
      alreadyReceivedAt: earlier.receivedAt)
    do {
      result.receiptPath = try writeReceipt(
        Data(text.utf8), source: earlier.source, sequence: earlier.sequence, to: receiptOut, besideBundle: bundlePath)
    } catch {
      result.receiptError = error.description
    }
    return result
  }

  /// Writes the stored receipt of bundle `sequence` from `source` again, to `out` (see
  /// `receiptPath`; default: the current directory). Returns the path written.
  public func exportReceipt(source: String, sequence: Int, to out: String? = nil) throws(MediaBankError) -> String {
    guard
      let row = try catalogCall({ () throws(CatalogError) in
        try catalog.receivedBundle(source: source, sequence: sequence)
      })
    else {
      throw MediaBankError(
        .notFound, "no bundle \(sequence) from \(source) was received here (`mediabank sync-status` lists what was)")
    }
    guard let text = row.receipt else {
      throw MediaBankError(
        .conflict,
        "bundle \(sequence) from \(source) was received on \(row.receivedAt), before receipts were kept; "
          + "its receipt cannot be written again", path: row.id)
    }
    return try writeReceipt(
      Data(text.utf8), source: source, sequence: sequence, to: out ?? FileManager.default.currentDirectoryPath,
      besideBundle: nil)
  }

  /// The file name of a receipt: `receipt-<source>-<sequence, 6 digits>.json`.
  static func receiptName(source: String, sequence: Int) -> String {
    let digits = String(sequence)
    return "receipt-\(source)-\(String(repeating: "0", count: max(0, 6 - digits.count)) + digits).json"
  }

  /// Where a receipt goes: `out` when it ends in `.json` and is not a directory (its folder created
  /// if missing); else into the directory `out` (created if missing) under `receiptName`; without
  /// `out`, beside the bundle.
  static func receiptPath(out: String?, besideBundle bundle: String?, source: String, sequence: Int) -> String {
    let name = receiptName(source: source, sequence: sequence)
    guard let out else {
      return URL(fileURLWithPath: bundle ?? ".").standardizedFileURL.deletingLastPathComponent()
        .appendingPathComponent(name).path
    }
    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory)
    if out.hasSuffix(".json") && !(exists && isDirectory.boolValue) { return out }
    return URL(fileURLWithPath: out).appendingPathComponent(name).path
  }

  /// Writes a signed receipt (atomically) where `receiptPath` says; returns the path.
  private func writeReceipt(
    _ data: Data, source: String, sequence: Int, to out: String?, besideBundle bundle: String?
  ) throws(MediaBankError) -> String {
    let path = Self.receiptPath(out: out, besideBundle: bundle, source: source, sequence: sequence)
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    try makeFolders(folder.path)
    do {
      try writeAtomically(data, to: path)
    } catch {
      throw MediaBankError(error.reason, path: path, wrapping: error)
    }
    return path
  }

  /// The receipt file for the receipt `body` (JSON text): the envelope, pretty-printed with its
  /// keys sorted as `JSONEncoder` writes it, the body as a string, signed with the bank's key.
  private func signed(body: Data) throws(MediaBankError) -> Data {
    let signature: Data
    do {
      signature = try signingKey().signature(for: body)
    } catch let error as MediaBankError {
      throw error
    } catch {
      throw MediaBankError("cannot sign the receipt: \(error)", wrapping: error, code: .internal)
    }
    var envelope = Data("{\n  \"body\" : ".utf8)
    envelope.reserveCapacity(body.count + body.count / 8 + 512)
    ReceiptList.appendString(body, to: &envelope)
    envelope.append(contentsOf: ",\n  \"format\" : \"\(ReceiptEnvelope.format)\",\n  \"formatVersion\" : 1,\n".utf8)
    envelope.append(contentsOf: "  \"keyId\" : \"\(try identity().keyId)\",\n".utf8)
    envelope.append(contentsOf: "  \"signature\" : \"\(signature.base64EncodedString())\"\n}\n".utf8)
    return envelope
  }

  // MARK: Receipts

  /// The end of a receipt's reason for a record whose content was neither in the bundle nor at
  /// the receiver (`content sha256:… is neither in the bundle nor held here`).
  static let missingContent = "is neither in the bundle nor held here"

  /// The envelope and body of a receipt file, not yet checked against any key.
  private static func parseReceipt(_ data: Data, name: String) throws(MediaBankError) -> (ReceiptEnvelope, Receipt) {
    func refuse(_ code: MediaBankError.Code, _ reason: String) -> MediaBankError {
      MediaBankError(code, reason, path: name)
    }
    let decoder = JSONDecoder()
    guard let envelope = try? decoder.decode(ReceiptEnvelope.self, from: data),
      envelope.format == ReceiptEnvelope.format
    else { throw refuse(.invalidInput, "not a MediaBank receipt") }
    guard envelope.formatVersion == 1 else {
      throw refuse(
        .newerCatalog,
        "receipt format \(envelope.formatVersion) is not understood by this mediabank (1); upgrade mediabank")
    }
    guard let receipt = try? decoder.decode(Receipt.self, from: Data(envelope.body.utf8)) else {
      throw refuse(.invalidInput, "the receipt's body is not a receipt")
    }
    return (envelope, receipt)
  }

  /// The body of a receipt this bank stored.
  static func receiptBody(_ data: Data, name: String) throws(MediaBankError) -> Receipt {
    try parseReceipt(data, name: name).1
  }

  /// Applies a receipt from a destination bank: checks its signature with the destination's
  /// trusted key, then records which records it accepted or rejected and which content it now
  /// holds, so later bundles do not carry that content again. A record refused for want of its
  /// content is sent again, with it, by the next bundle.
  @discardableResult
  public func applyReceipt(_ path: String) throws(MediaBankError) -> ReceiptApplied {
    func refuse(_ code: MediaBankError.Code, _ reason: String) -> MediaBankError {
      MediaBankError(code, reason, path: path)
    }
    guard let data = FileManager.default.contents(atPath: path), data.count < 256 << 20 else {
      throw refuse(.notFound, "cannot read the receipt")
    }
    let (envelope, receipt) = try Self.parseReceipt(data, name: path)
    guard let key = try trustedKeys()[receipt.destination] else {
      throw refuse(
        .refused(.unknownKey),
        "bank \(receipt.destination) is not trusted here; register its key with "
          + "`mediabank trust add --bank \(receipt.destination) --public-key FILE`")
    }
    guard envelope.keyId == key.keyId, let signature = Data(base64Encoded: envelope.signature),
      key.key.isValidSignature(signature, for: Data(envelope.body.utf8))
    else {
      throw refuse(
        .refused(.badSignature),
        "the signature does not verify with the key of bank \(receipt.destination) (\(key.keyId))")
    }
    let identity = try identity()
    guard receipt.source == identity.province else {
      throw refuse(.conflict, "this receipt is for bank \(receipt.source), not this one")
    }
    let bundles = try catalogCall { () throws(CatalogError) in
      try catalog.exportBundles(destination: receipt.destination)
    }
    guard bundles.contains(where: { $0.sequence == receipt.sequence && $0.id == receipt.bundle }) else {
      throw refuse(.notFound, "no bundle \(receipt.bundle) was exported from this bank to \(receipt.destination)")
    }
    // A record the destination already held is as good as accepted.
    let outcomes =
      (receipt.accepted + (receipt.unchanged ?? [])).map {
        ReceiptOutcome(assetId: $0.id, revision: $0.revision, accepted: true)
      }
      + receipt.rejected.map {
        ReceiptOutcome(assetId: $0.id, revision: $0.revision, accepted: false, reason: $0.reason)
      }
    // A record refused because its content was not there (the destination removed it since the
    // province counted on it) is sent again, with its content, by the next bundle.
    let resend = receipt.rejected.filter { $0.reason.hasSuffix(Self.missingContent) }.map(\.id)
    try catalogCall { () throws(CatalogError) in
      try catalog.applyReceipt(
        destination: receipt.destination, sequence: receipt.sequence, outcomes: outcomes,
        held: receipt.held.filter { BlobID($0) != nil }, resend: resend, at: Self.timestamp())
    }
    return ReceiptApplied(
      bundle: receipt.bundle, destination: receipt.destination, accepted: receipt.accepted.count,
      unchanged: receipt.unchanged?.count ?? 0, rejected: receipt.rejected, held: receipt.held.count)
  }
}

extension Library.ReceivePlan {
  /// Decides one line, given the source's revision of its asset before it (`earlier`), and
  /// returns the source's revision after it when the line changes it (`.some(nil)`: deleted).
  ///
  /// In order: an upsert whose record is not a valid asset record is rejected; a line (other
  /// than `delete`) at the revision already received is unchanged, an older one rejected; a
  /// `retract` or `delete` of an asset the source never sent is accepted and stores nothing; an
  /// upsert is rejected when its content is neither in the bundle nor held here, or contradicts
  /// the record (`MediaFacts.contentProblem`).
  mutating func add(
    _ line: IncomingLine, earlier: Int?, bundle verified: VerifiedBundle, library: Library, at now: String
  ) -> Int?? {
    let source = verified.info.sourceBank
    func reject(_ reason: String) {
      rejected.append(id: line.id, revision: line.revision, reason: reason)
      if someRejected.count < Self.listed {
        someRejected.append(.init(id: line.id, revision: line.revision, reason: reason))
      }
    }
    /// The objects of an upsert not accepted that this bank holds all the same.
    func holdStored(_ objects: [String]) { held.formUnion(objects.filter(library.isStored)) }
    var asset: AssetRecord?
    if line.op == .upsert {
      do {
        asset = try line.checkedAsset()
      } catch {
        reject(error.description)
        return nil
      }
    }
    if let earlier, line.revision <= earlier, line.op != .delete {
      if line.revision == earlier {
        // Held already (a full bundle carries every record): nothing to do.
        unchanged.append(id: line.id, revision: line.revision)
      } else {
        reject("revision \(line.revision) is not newer than \(earlier), already received")
      }
      holdStored(line.objects)
      return nil
    }
    if let earlier, line.op == .delete, line.revision <= earlier {
      reject("revision \(line.revision) is not newer than \(earlier), already received")
      return nil
    }
    switch line.op {
    case .delete,
      .retract where earlier == nil:
      // Of an asset the source never sent (or whose record was rejected): nothing to store.
      accepted.append(id: line.id, revision: line.revision)
      guard line.op == .delete else { return nil }
      deleted += 1
      guard earlier != nil else { return nil }
      changes.append(.delete(source: source, assetId: line.id, at: now))
      return .some(nil)
    case .retract:
      accepted.append(id: line.id, revision: line.revision)
      changes.append(
        .contribute(
          ContributionRow(
            source: source, assetId: line.id, revision: line.revision, record: nil, retraction: line.reason,
            bundle: verified.info.bundleId, receivedAt: now)))
      return line.revision
    case .upsert:
      guard let asset else { return nil }
      var files: [String: URL] = [:]
      for object in line.objects {
        if let file = verified.objects[object] {
          files[object] = file
        } else if !library.isStored(object) {
          reject("content \(object) \(Library.missingContent)")
          return nil
        }
      }
      let original = files[line.id]?.path ?? BlobID(line.id).map { library.store.path(of: $0) } ?? ""
      if let problem = asset.facts.contentProblem(at: original) {
        reject("the record contradicts its content: \(problem)")
        holdStored(line.objects)
        return nil
      }
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      guard let text = try? encoder.encode(asset) else {
        reject("the record cannot be stored")
        return nil
      }
      needed.merge(files) { first, _ in first }
      held.formUnion(line.objects)
      accepted.append(id: line.id, revision: line.revision)
      changes.append(
        .contribute(
          ContributionRow(
            source: source, assetId: line.id, revision: line.revision, record: String(decoding: text, as: UTF8.self),
            retraction: nil, bundle: verified.info.bundleId, receivedAt: now)))
      return line.revision
    }
  }
}
