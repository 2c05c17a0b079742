import BlobStore
import Catalog
import Crypto
import Foundation
import SyncBundle

/// What `mediabank export` makes: a bundle for a destination.
public struct ExportOptions: Sendable {
  /// The destination bank's name (`national`).
  public var destination: String
  /// Every record that is not retracted and all content, whatever the destination holds.
  public var full: Bool
  /// Make bundle number `resend` again (a lost bundle), instead of the next one.
  public var resend: Int?
  /// A folder to write the bag directory in (created if missing), or a path ending in `.tar`.
  public var output: String

  public init(destination: String = "national", full: Bool = false, resend: Int? = nil, output: String) {
    self.destination = destination
    self.full = full
    self.resend = resend
    self.output = output
  }
}

/// The bundle an export wrote.
public struct ExportResult: Codable, Equatable, Sendable {
  /// The bundle id, e.g. `mediabank-19-000007`.
  public var bundle: String
  /// The bag directory or the tar file written.
  public var path: String
  public var destination: String
  public var sequence: Int
  /// `full` or `incremental`.
  public var kind: String
  public var upserts: Int
  public var retractions: Int
  /// Content objects carried, and their bytes.
  public var objects: Int
  public var bytes: Int64
}

/// One line of `data/records.jsonl` (`Storage/sync-bundle.md`).
struct BundleLine: Encodable {
  let id: String
  let op: String
  let record: AssetRecord?
  let reason: String?
  let revision: Int
}

extension Library {
  /// Writes the next sync bundle for `options.destination` (or bundle `options.resend` again):
  /// the records whose revision changed since the last bundle to it, with the content it is not
  /// known to hold, signed by the bank's key. Returns nil when an incremental export finds
  /// nothing to send. The bundle is complete on disk before the catalog records it; if
  /// recording fails, the bundle is removed.
  public func export(_ options: ExportOptions) throws(MediaBankError) -> ExportResult? {
    let identity = try identity()
    guard let province = identity.province else {
      throw MediaBankError("this bank has no province; set it with `mediabank init --province CODE` before exporting")
    }
    let destination = options.destination
    guard (1...32).contains(destination.utf8.count), destination.utf8.allSatisfy({ Self.isDestinationByte($0) })
    else {
      throw MediaBankError("'\(destination)' is not a destination name (1 to 32 lower-case letters, digits and '-')")
    }
    let bundles = try catalogCall { () throws(CatalogError) in try catalog.exportBundles(destination: destination) }
    let sequence: Int
    let kind: BagInfo.Kind
    let candidates: [ExportCandidate]
    if let resend = options.resend {
      guard let earlier = bundles.first(where: { $0.sequence == resend }) else {
        throw MediaBankError("no bundle \(resend) was exported to \(destination); `mediabank sync-status` lists them")
      }
      sequence = resend
      kind = earlier.kind == "full" ? .full : .incremental
      candidates = try catalogCall { () throws(CatalogError) in
        try catalog.exportCandidates(destination: destination, sequence: resend)
      }
    } else {
      sequence = (bundles.map(\.sequence).max() ?? 0) + 1
      kind = options.full ? .full : .incremental
      candidates = try catalogCall { () throws(CatalogError) in
        try catalog.exportCandidates(destination: destination, full: options.full)
      }
      if candidates.isEmpty && !options.full { return nil }
    }
    // A resend carries all its content again: the first copy may never have arrived.
    let held =
      kind == .full || options.resend != nil
      ? [] : try catalogCall { () throws(CatalogError) in try catalog.heldObjects(destination: destination) }

    let records = Dictionary(try assets().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var lines: [Data] = []
    var rows: [ExportRecordRow] = []
    var objects: [(id: String, path: String)] = []
    var upserts = 0
    for candidate in candidates {
      let line: BundleLine
      if let reason = candidate.retraction {
        line = BundleLine(id: candidate.id, op: "retract", record: nil, reason: reason, revision: candidate.revision)
      } else {
        guard let record = records[candidate.id] else { continue }
        line = BundleLine(id: candidate.id, op: "upsert", record: record, reason: nil, revision: candidate.revision)
        upserts += 1
        for object in [record.id, record.thumbnail].compactMap({ $0 }) where !held.contains(object) {
          guard let id = BlobID(object) else { continue }
          objects.append((object, store.path(of: id)))
        }
      }
      do {
        lines.append(try encoder.encode(line))
      } catch {
        throw MediaBankError("cannot encode the record of \(candidate.id): \(error)")
      }
      rows.append(
        ExportRecordRow(
          destination: destination, sequence: sequence, line: rows.count + 1, assetId: candidate.id,
          revision: candidate.revision, op: line.op))
    }

    let info = BagInfo(
      sourceOrganization: identity.name, sourceBank: province, sourceBankId: identity.bankId,
      destination: destination, sequence: sequence, kind: kind, createdAt: Date(), signingKeyId: identity.keyId)
    let output = URL(fileURLWithPath: options.output).standardizedFileURL
    let form: BundleWriter.Destination
    if output.pathExtension == "tar" {
      form = .tar(file: output)
    } else {
      do {
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
      } catch {
        throw MediaBankError("cannot create the folder (\(error.localizedDescription))", path: output.path)
      }
      form = .directory(parent: output)
    }
    let key = try signingKey()
    let path: URL
    do {
      path = try BundleWriter.write(info: info, records: lines, objects: objects, key: key, to: form)
    } catch {
      throw MediaBankError(error.description)
    }
    let contentBytes = objects.reduce(Int64(0)) { total, object in
      total + ((try? FileManager.default.attributesOfItem(atPath: object.path)[.size] as? Int64) ?? 0)
    }
    do {
      try catalog.recordExport(
        ExportBundleRow(
          destination: destination, sequence: sequence, id: info.bundleId, kind: kind.rawValue,
          createdAt: Self.timestamp(), records: rows.count, objects: objects.count, bytes: contentBytes),
        records: rows)
    } catch {
      try? FileManager.default.removeItem(at: path)
      throw MediaBankError("the bundle was written but could not be recorded, so it was removed: \(error)")
    }
    return ExportResult(
      bundle: info.bundleId, path: path.path, destination: destination, sequence: sequence, kind: kind.rawValue,
      upserts: upserts, retractions: rows.count - upserts, objects: objects.count, bytes: contentBytes)
  }

  private static func isDestinationByte(_ byte: UInt8) -> Bool {
    (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "-")
  }
}
