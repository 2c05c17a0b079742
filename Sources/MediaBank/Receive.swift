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
  /// The records refused, each with why.
  public var rejected: [Receipt.Rejection]
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
    let info = verified.info
    let bundle = info.bundleId
    func refuse(_ why: BundleError.Reason, _ reason: String) -> MediaBankError {
      MediaBankError(.refused(why), reason, path: bundle)
    }

    guard let sourceKey = keys.key(ofBank: info.sourceBank) else {
      throw refuse(
        .unknownKey,
        "bank \(info.sourceBank) is not trusted here; register its key with "
          + "`mediabank trust add --bank \(info.sourceBank) --public-key FILE`")
    }
    let startKey = verified.rotations.first?.oldKeyId ?? verified.signingKeyId
    guard sourceKey.keyId == startKey else {
      throw refuse(
        .unknownKey,
        "signed by \(verified.signingKeyId), but bank \(info.sourceBank) is trusted with \(sourceKey.keyId)")
    }
    guard info.destination == "national" else {
      throw refuse(.bagInfo, "addressed to '\(info.destination)', not to the national bank")
    }
    let received = try catalogCall { () throws(CatalogError) in try catalog.receivedBundles(source: info.sourceBank) }
    let last = received.map(\.sequence).max() ?? 0
    if let earlier = received.first(where: { $0.sequence == info.sequence }) {
      return try answerAgain(earlier, bundlePath: path, receiptOut: receiptOut)
    }
    if info.sequence < last {
      throw refuse(
        .sequence, "bundle \(info.sequence) from \(info.sourceBank) is older than the last one received (\(last))")
    }
    if info.sequence > last + 1 {
      let missing = (last + 1)..<info.sequence
      let list =
        missing.count > 10
        ? "\(missing.lowerBound)–\(missing.upperBound - 1)" : missing.map(String.init).joined(separator: ", ")
      throw refuse(
        .sequence,
        "gap: bundle\(missing.count > 1 ? "s" : "") \(list) from \(info.sourceBank) \(missing.count > 1 ? "have" : "has") "
          + "not been received; ask the province to send \(missing.count > 1 ? "them" : "it") "
          + "(`mediabank export --resend SEQ`)")
    }

    // The records: each checked; the refused ones go to the receipt with the reason.
    let lines: RecordLines
    do {
      lines = try RecordLines(path: verified.recordsPath)
    } catch {
      throw MediaBankError(error.description, wrapping: error)
    }
    var plans: [(line: ParsedLine, objects: [String])] = []
    var rejected: [Receipt.Rejection] = []
    while true {
      let data: Data?
      do {
        data = try lines.next()
      } catch {
        throw MediaBankError(error.description, wrapping: error)
      }
      guard let data else { break }
      let line: ParsedLine
      do {
        line = try ParsedLine(data)
      } catch {
        throw refuse(.badRecord, "data/records.jsonl line \(lines.lineNumber): \(error.reason)")
      }
      plans.append((line, line.objects))
    }
    let now = Self.timestamp()
    // The source's revision of each asset, as the lines before this one leave it (a deletion
    // leaves none: the asset may come again, its revisions counted anew).
    var revisions = try catalogCall { () throws(CatalogError) in
      try catalog.contributedRevisions(source: info.sourceBank, ids: plans.map(\.line.id))
    }
    var changes: [ContributionChange] = []
    var deleted = 0
    var accepted: [Receipt.Accepted] = []
    var unchanged: [Receipt.Accepted] = []
    var needed: [String: URL] = [:]
    var held: Set<String> = []
    let decoder = JSONDecoder()
    for (line, objects) in plans {
      if let record = line.record {
        do {
          _ = try decoder.decode(AssetRecord.self, from: Data(record.utf8))
        } catch {
          rejected.append(
            .init(id: line.id, revision: line.revision, reason: "not an asset record (\(Self.describe(error)))"))
          continue
        }
      }
      if let earlier = revisions[line.id], line.revision == earlier, line.op != .delete {
        // Held already (a full bundle carries every record): nothing to do, and its content is here.
        unchanged.append(.init(id: line.id, revision: line.revision))
        held.formUnion(objects.filter { BlobID($0).map(store.contains) ?? false })
        continue
      }
      if let earlier = revisions[line.id], line.revision <= earlier {
        rejected.append(
          .init(
            id: line.id, revision: line.revision,
            reason: "revision \(line.revision) is not newer than \(earlier), already received"))
        continue
      }
      if line.op == .delete {
        // Of an asset the source never contributed (or whose record was refused): nothing to do.
        revisions[line.id] = nil
        deleted += 1
        accepted.append(.init(id: line.id, revision: line.revision))
        changes.append(.delete(source: info.sourceBank, assetId: line.id, at: now))
        continue
      }
      var missing: String?
      for object in objects {
        if let file = verified.objects[object] {
          needed[object] = file
        } else if let id = BlobID(object), store.contains(id) {
          continue
        } else {
          missing = object
          break
        }
      }
      if let missing {
        rejected.append(
          .init(
            id: line.id, revision: line.revision, reason: "content \(missing) \(Self.missingContent)"))
        continue
      }
      held.formUnion(objects)
      revisions[line.id] = line.revision
      accepted.append(.init(id: line.id, revision: line.revision))
      changes.append(
        .contribute(
          ContributionRow(
            source: info.sourceBank, assetId: line.id, revision: line.revision, record: line.record,
            retraction: line.reason, bundle: bundle, receivedAt: now)))
    }

    // Content first (content-addressed: storing it twice is harmless), then the records at once.
    // A tar was extracted into the store's temporary directory and hashed on the way: its files
    // are moved into place. A bag directory's files (on a disk others can write) are copied and
    // hashed again. Either way one flush for all, then one fsync per object directory.
    var newObjects = 0
    var bytes: Int64 = 0
    var staged: [StagedObject] = []
    defer { staged.forEach(store.discard) }
    let work = needed.sorted(by: { $0.key < $1.key }).compactMap { object, file -> (BlobID, String)? in
      guard let id = BlobID(object), !store.contains(id) else { return nil }
      return (id, file.path)
    }
    let adopt = verified.extractedTo != nil
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
      if case .failure(let error) = outcome {
        throw MediaBankError("cannot store the bundle's content: \(error.description)", path: bundle, wrapping: error)
      }
    }
    if let changed = staged.first(where: { object in needed[object.id.description] == nil }) {
      throw refuse(
        .hashMismatch,
        "\(changed.id) is not the content the bundle's manifest lists: the file changed while it was read")
    }
    do throws(BlobStoreError) {
      store.flushStagedObjects()
      for object in staged {
        bytes += object.size
        if try store.commit(object, syncDirectory: false) { newObjects += 1 }
      }
      try store.syncDirectories(of: staged.map(\.id))
    } catch {
      throw MediaBankError("cannot store the bundle's content: \(error.description)", path: bundle, wrapping: error)
    }
    let receipt = Receipt(
      bundle: bundle, source: info.sourceBank, destination: info.destination, sequence: info.sequence,
      receivedAt: now, receiverBankId: identity.bankId, accepted: accepted, rejected: rejected,
      unchanged: unchanged.isEmpty ? nil : unchanged, held: held.sorted())
    let signedReceipt = try signed(receipt)
    let row = ReceivedBundleRow(
      source: info.sourceBank, sequence: info.sequence, id: bundle, kind: info.kind.rawValue,
      sourceBankId: info.sourceBankId, receivedAt: now, accepted: accepted.count, rejected: rejected.count,
      objects: newObjects, bytes: bytes, unchanged: unchanged.count,
      receipt: String(decoding: signedReceipt, as: UTF8.self))
    let rotations = verified.rotations.map { statement in
      (
        row: KeyRotationRow(
          bank: statement.bank, oldKeyId: statement.oldKeyId, newKeyId: statement.newKeyId,
          rotatedAt: statement.rotatedAt, statement: statement.rendered(), recordedAt: now, bundle: bundle),
        publicKey: statement.newPublicKey.base64EncodedString()
      )
    }
    do {
      // The content of the accepted records is checked again while the catalog is locked: a
      // deletion received meanwhile may have removed an object this bundle counted on.
      try catalog.applyReceived(
        row, changes: changes, objects: held.sorted(), rotations: rotations, isStored: isStored)
    } catch {
      throw MediaBankError(error.description, path: bundle, wrapping: error)
    }
    // The content the deletions left unneeded. A failure leaves it queued, removed when the bank is
    // next opened: the bundle is applied either way.
    let purged = deleted > 0 ? ((try? purgeQueuedObjects()) ?? 0) : 0

    var result = ReceiveResult(
      bundle: bundle, source: info.sourceBank, sequence: info.sequence, accepted: accepted.count, deleted: deleted,
      rejected: rejected, newObjects: newObjects, purgedObjects: purged, unchanged: unchanged.count)
    do {
      result.receiptPath = try writeReceipt(
        signedReceipt, source: info.sourceBank, sequence: info.sequence, to: receiptOut,
        besideBundle: path)
    } catch {
      result.receiptError = error.description
    }
    return result
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
      deleted: 0, rejected: body.rejected, newObjects: 0, purgedObjects: 0, unchanged: body.unchanged?.count ?? 0,
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

  /// A decoding error in words: the key that is missing or of the wrong type.
  private static func describe(_ error: any Error) -> String {
    func path(_ keys: [any CodingKey]) -> String { keys.map(\.stringValue).joined(separator: ".") }
    switch error as? DecodingError {
    case .keyNotFound(let key, let context): return "`\(path(context.codingPath + [key]))` is missing"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "`\(path(context.codingPath))` has the wrong type"
    case .dataCorrupted(let context): return "`\(path(context.codingPath))` is not valid"
    default: return "\(error)"
    }
  }

  /// The receipt file for `receipt`: its body as JSON text, signed with the bank's key.
  private func signed(_ receipt: Receipt) throws(MediaBankError) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    do {
      let body = String(decoding: try encoder.encode(receipt), as: UTF8.self)
      let signature = try signingKey().signature(for: Data(body.utf8))
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      let envelope = ReceiptEnvelope(
        format: ReceiptEnvelope.format, formatVersion: 1, keyId: try identity().keyId, body: body,
        signature: signature.base64EncodedString())
      return try encoder.encode(envelope) + Data("\n".utf8)
    } catch let error as MediaBankError {
      throw error
    } catch {
      throw MediaBankError("cannot sign the receipt: \(error)", wrapping: error, code: .internal)
    }
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

/// One line of a received bundle's `data/records.jsonl`, checked.
struct ParsedLine {
  /// What a line does to the source's word on an asset.
  enum Operation {
    case upsert, retract, delete
  }

  let op: Operation
  let id: String
  let revision: Int
  /// The record as JSON text (keys sorted), for an upsert.
  let record: String?
  /// The reason, for a retraction (and for a deletion, when given).
  let reason: String?
  /// The content objects an upsert needs: its original and its preview.
  let objects: [String]

  struct Problem: Error {
    let reason: String
  }

  init(_ data: Data) throws(Problem) {
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw Problem(reason: "not a JSON object")
    }
    guard let id = object["id"] as? String, BlobID(id) != nil, id == id.lowercased() else {
      throw Problem(reason: "`id` is not an asset id (sha256:<64 lowercase hex digits>)")
    }
    guard let revision = object["revision"] as? Int, revision >= 1 else {
      throw Problem(reason: "`revision` is not a whole number ≥ 1")
    }
    self.id = id
    self.revision = revision
    switch object["op"] as? String {
    case "upsert":
      guard let record = object["record"] as? [String: Any] else { throw Problem(reason: "an upsert without `record`") }
      guard record["id"] as? String == id else { throw Problem(reason: "`record.id` is not the line's `id`") }
      guard let kind = record["kind"] as? String, ["photo", "video", "story"].contains(kind) else {
        throw Problem(reason: "`record.kind` is not photo, video or story")
      }
      guard record["mediaType"] is String, let size = record["byteSize"] as? Int, size >= 0 else {
        throw Problem(reason: "`record` lacks its mediaType or byteSize")
      }
      var objects = [id]
      if let thumbnail = record["thumbnail"] {
        guard let thumbnail = thumbnail as? String, BlobID(thumbnail) != nil, thumbnail == thumbnail.lowercased() else {
          throw Problem(reason: "`record.thumbnail` is not an object id")
        }
        objects.append(thumbnail)
      }
      guard
        let text = try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .withoutEscapingSlashes])
      else { throw Problem(reason: "`record` cannot be stored") }
      self.op = .upsert
      self.record = String(decoding: text, as: UTF8.self)
      self.reason = nil
      self.objects = objects
    case "retract":
      guard let reason = object["reason"] as? String, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw Problem(reason: "a retraction without its `reason`")
      }
      self.op = .retract
      self.record = nil
      self.reason = reason
      self.objects = []
    case "delete":
      // Only in bundles of format 2 or later: `BundleReader` refuses it in a format 1 bundle.
      self.op = .delete
      self.record = nil
      self.reason = object["reason"] as? String
      self.objects = []
    default:
      throw Problem(reason: "`op` is not upsert, retract or delete")
    }
  }
}
