import Catalog
import Foundation
import SyncBundle
import SystemIO

/// A bundle being sent to this (national) bank over HTTP (`PUT /api/v1/bundles/{id}`): where
/// its bytes accumulate, and what is known of it before they are all there.
public struct IncomingBundle: Sendable {
  /// The bundle id, `mediabank-19-000007`.
  public var id: String
  public var source: String
  public var sequence: Int
  /// `incoming/<id>.tar` in the bank: the bytes received so far, kept across connections and
  /// restarts until the bundle is received or refused.
  public var path: String
  /// When this bundle was received already (its stored receipt answers): nil otherwise.
  public var receivedAt: String?

  /// The bytes held so far (0 when none).
  public var heldBytes: Int64 {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
  }
}

/// What the national bank tells a province of its bundles (`GET /api/v1/bundles/status`).
public struct BundleStatus: Codable, Equatable, Sendable {
  public struct Last: Codable, Equatable, Sendable {
    public var bundle: String
    public var sequence: Int
    public var receivedAt: String
  }

  public var source: String
  /// The sequence of the next bundle this bank will take from `source`.
  public var nextSequence: Int
  /// The last bundle received from `source`, if any.
  public var last: Last?
  /// Its signed receipt, as `receive` writes it (nil without a last bundle, or for one received
  /// before receipts were kept).
  public var receipt: String?
}

extension Library {
  /// The directory of the bundles being received over HTTP (`incoming/`).
  var incomingDirectory: String { root.appendingPathComponent("incoming").path }

  /// Checks what can be checked of bundle `id` before its bytes arrive, as `receive` will check
  /// it then: this is the national bank, the id is a bundle id addressed to it, its source is a
  /// trusted bank, and its sequence is the next one from that source (or one received already,
  /// whose stored receipt answers). Refusals are those of `receive`: an unknown source
  /// (`refused(unknownKey)`), an older bundle or a gap (`refused(sequence)`).
  public func incomingBundle(_ id: String) throws(MediaBankError) -> IncomingBundle {
    guard try identity().national == true else {
      throw MediaBankError(.conflict, "only the national bank receives bundles")
    }
    // `mediabank-<2 digits>-<6 or more digits>`: addressed to the national bank.
    let parts = id.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0] == "mediabank", parts[1].utf8.count == 2,
      parts[1].utf8.allSatisfy({ (0x30...0x39).contains($0) }), (6...9).contains(parts[2].utf8.count),
      parts[2].utf8.allSatisfy({ (0x30...0x39).contains($0) }), let sequence = Int(parts[2]), sequence >= 1,
      BagInfo.bundleId(source: String(parts[1]), destination: "national", sequence: sequence) == id
    else {
      throw MediaBankError(
        .invalidInput, "'\(id)' is not the id of a bundle to the national bank (mediabank-19-000007)")
    }
    let source = String(parts[1])
    guard try bundleKeys().key(ofBank: source) != nil else {
      throw MediaBankError(
        .refused(.unknownKey),
        "bank \(source) is not trusted here; register its key with "
          + "`mediabank trust add --bank \(source) --public-key FILE`", path: id)
    }
    let earlier = try earlierReceipt(of: source, sequence, id: id)
    return IncomingBundle(
      id: id, source: source, sequence: sequence, path: incomingDirectory + "/\(id).tar",
      receivedAt: earlier?.receivedAt)
  }

  /// Opens the file of `bundle`'s bytes for appending (created with its directory when missing)
  /// and returns its descriptor; the caller writes and closes it.
  public func openIncoming(_ bundle: IncomingBundle) throws(MediaBankError) -> Int32 {
    do throws(SystemError) {
      try IO.makeDirectory(incomingDirectory, permissions: [.ownerReadWriteExecute])
      return try IO.open(
        bundle.path, .writeOnly, options: [.create, .append], permissions: [.ownerReadWrite],
        operation: "cannot keep the bundle's bytes"
      ).rawValue
    } catch {
      throw MediaBankError(error.description, path: bundle.id, wrapping: error)
    }
  }

  /// Receives `bundle` once all its bytes are held (or answers again for one received before),
  /// as `receive` does, and returns what it did with the signed receipt. The bytes are removed
  /// once received, and when the bundle is refused (the sender starts again from its first byte:
  /// a tampered or damaged bundle must be sent whole again).
  public func receiveIncoming(_ bundle: IncomingBundle) throws(MediaBankError) -> (ReceiveResult, receipt: String) {
    let receiptPath = bundle.path + ".receipt.json"
    defer { unlink(receiptPath) }
    let result: ReceiveResult
    do {
      result = try receive(bundle.path, receiptOut: receiptPath)
    } catch {
      if case .refused = error.code { unlink(bundle.path) }
      throw error
    }
    unlink(bundle.path)
    let row = try catalogCall { () throws(CatalogError) in
      try catalog.receivedBundle(source: bundle.source, sequence: bundle.sequence)
    }
    guard let receipt = row?.receipt else {
      throw MediaBankError(.internal, "the receipt of \(bundle.id) was not kept", path: bundle.id)
    }
    return (result, receipt)
  }

  /// The stored receipt of `bundle`, received before.
  public func storedReceipt(_ bundle: IncomingBundle) throws(MediaBankError) -> String {
    let row = try catalogCall { () throws(CatalogError) in
      try catalog.receivedBundle(source: bundle.source, sequence: bundle.sequence)
    }
    guard let row else { throw MediaBankError(.notFound, "\(bundle.id) was not received here", path: bundle.id) }
    guard let receipt = row.receipt else {
      throw MediaBankError(
        .conflict, "\(bundle.id) was received on \(row.receivedAt), before receipts were kept", path: bundle.id)
    }
    return receipt
  }

  /// What this (national) bank holds of the bundles of `source`: the next sequence it expects and
  /// its last bundle with its receipt.
  public func bundleStatus(source: String) throws(MediaBankError) -> BundleStatus {
    guard try identity().national == true else {
      throw MediaBankError(.conflict, "only the national bank receives bundles")
    }
    let source = try Self.bankCode(source)
    let received = try catalogCall { () throws(CatalogError) in
      try catalog.receivedBundles(source: source, receipts: true)
    }
    guard let last = received.max(by: { $0.sequence < $1.sequence }) else {
      return BundleStatus(source: source, nextSequence: 1)
    }
    return BundleStatus(
      source: source, nextSequence: last.sequence + 1,
      last: .init(bundle: last.id, sequence: last.sequence, receivedAt: last.receivedAt), receipt: last.receipt)
  }
}
