import BlobStore
import Catalog
import Crypto
import Foundation
import SyncBundle
import SystemIO

/// What `mediabank export` makes: a bundle for a destination.
public struct ExportOptions: Sendable {
  /// The destination bank's name (`national`).
  public var destination: String
  /// Every record that is not retracted and all content, whatever the destination holds.
  public var full: Bool
  /// Make bundle number `resend` again (a lost bundle), instead of the next one.
  public var resend: Int?
  /// A folder to write the bag directory in, or a path ending in `.tar` (folders created if missing).
  public var output: String
  /// Split the bundle into bags of at most this many payload bytes (e.g. for FAT32 disks), each
  /// valid alone, with consecutive sequence numbers and one group id.
  public var maxSize: Int64?
  /// Number the bundle so, past the last one exported to the destination (with `full`): the
  /// number the destination expects when it received bundles this bank no longer knows of, as
  /// after this bank was restored from a backup (`mediabank sync` does this).
  public var sequence: Int?

  public init(
    destination: String = "national", full: Bool = false, resend: Int? = nil, output: String, maxSize: Int64? = nil,
    sequence: Int? = nil
  ) {
    self.destination = destination
    self.full = full
    self.resend = resend
    self.output = output
    self.maxSize = maxSize
    self.sequence = sequence
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
  /// `delete` lines: assets deleted since they were sent to the destination.
  public var deletions: Int
  /// Content objects carried, and their bytes.
  public var objects: Int
  public var bytes: Int64
  /// For a bundle split by `--max-size`: its group and place, e.g. `mediabank-19-000007 (2 of 3)`.
  public var group: String?
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
  /// first a `delete` line for each asset deleted since it was sent there, then the records whose
  /// revision changed since the last bundle to it, with the content it is not known to hold,
  /// signed by the bank's key; with `maxSize`, as several bags of one group.
  /// Returns the bags written, none when an incremental export finds nothing to send. Each bag
  /// is complete on disk before the catalog records it; if recording fails, it is removed.
  public func export(_ options: ExportOptions) throws(MediaBankError) -> [ExportResult] {
    let identity = try identity()
    guard let province = identity.province else {
      throw MediaBankError(
        .conflict, "this bank has no province; set it with `mediabank init --province CODE` before exporting")
    }
    let destination = options.destination
    guard (1...32).contains(destination.utf8.count), destination.utf8.allSatisfy({ Self.isDestinationByte($0) })
    else {
      throw MediaBankError(
        .invalidInput, "'\(destination)' is not a destination name (1 to 32 lower-case letters, digits and '-')")
    }
    // One export at a time: two at once would both take the next sequence number. The lock is
    // taken before the plan, so the second export plans what the first left.
    let lock: FileLock
    do {
      lock = try FileLock(root.appendingPathComponent(Self.exportLockName).path)
    } catch {
      throw MediaBankError(error)
    }
    defer { lock.release() }
    guard let (sequence, kind, candidates) = try exportCandidates(options) else { return [] }
    let items = try bundleItems(candidates, options: options, kind: kind)
    let parts = try Self.cut(items, maxSize: options.maxSize)
    if options.resend != nil && parts.count > 1 {
      throw MediaBankError(.invalidInput, "bundle \(sequence) is larger than --max-size; resend it without --max-size")
    }
    let output = URL(fileURLWithPath: options.output).standardizedFileURL
    try makeFolders(output.pathExtension == "tar" ? output.deletingLastPathComponent().path : output.path)
    let key = try signingKey()
    // Every bundle carries the bank's key rotations, so a destination that trusts any earlier key
    // follows them to this one (format 3; a bundle without them stays format 2, for receivers
    // that do not read format 3 yet).
    let rotations = try ownKeyRotations()
    let createdAt = Date()
    var results: [ExportResult] = []
    for (number, part) in parts.enumerated() {
      var info = BagInfo(
        sourceOrganization: identity.name, sourceBank: province, sourceBankId: identity.bankId,
        destination: destination, sequence: sequence + number, kind: kind, createdAt: createdAt,
        signingKeyId: identity.keyId, formatVersion: rotations.isEmpty ? 2 : 3)
      if parts.count > 1 {
        let group = BagInfo.bundleId(source: province, destination: destination, sequence: sequence)
        info.group = BagInfo.Group(identifier: group, index: number + 1, count: parts.count)
      }
      results.append(
        try writeBag(part.map { items[$0] }, info: info, output: output, key: key, rotations: rotations))
    }
    return results
  }

  /// The file in the bank that `export` locks (`flock`) while it plans, writes and records a bundle.
  static let exportLockName = "export.lock"

  /// One line of a bundle to write, with the content it brings.
  struct ExportItem {
    var line: Data
    var op: String
    var candidate: ExportCandidate
    var objects: [(id: String, path: String, size: Int64)]
  }

  /// The bundle's sequence, kind and the assets it carries (their lines in order): the next
  /// bundle's, or those of bundle `options.resend` again. Nil when an incremental export finds
  /// nothing to send.
  private func exportCandidates(
    _ options: ExportOptions
  ) throws(MediaBankError) -> (sequence: Int, kind: BagInfo.Kind, candidates: [ExportCandidate])? {
    let destination = options.destination
    let bundles = try catalogCall { () throws(CatalogError) in try catalog.exportBundles(destination: destination) }
    if let resend = options.resend {
      guard let earlier = bundles.first(where: { $0.sequence == resend }) else {
        throw MediaBankError(
          .notFound, "no bundle \(resend) was exported to \(destination); `mediabank sync-status` lists them")
      }
      let candidates = try catalogCall { () throws(CatalogError) in
        try catalog.exportCandidates(destination: destination, sequence: resend)
      }
      return (resend, earlier.kind == "full" ? .full : .incremental, candidates)
    }
    let candidates = try catalogCall { () throws(CatalogError) in
      try catalog.exportCandidates(destination: destination, full: options.full)
    }
    if candidates.isEmpty && !options.full { return nil }
    let next = (bundles.map(\.sequence).max() ?? 0) + 1
    if let wanted = options.sequence {
      guard options.full, wanted >= next else {
        throw MediaBankError(
          .invalidInput,
          "a bundle numbered \(wanted) must be full and come after bundle \(next - 1), the last one exported to "
            + "\(destination)")
      }
      return (wanted, .full, candidates)
    }
    return (next, options.full ? .full : .incremental, candidates)
  }

  /// The lines of the bundle, encoded, each with the content it brings: an upsert's original and
  /// preview that the destination is not known to hold (all of it for a full bundle or a resend,
  /// whose first copy may never have arrived).
  private func bundleItems(
    _ candidates: [ExportCandidate], options: ExportOptions, kind: BagInfo.Kind
  ) throws(MediaBankError) -> [ExportItem] {
    let held =
      kind == .full || options.resend != nil
      ? [] : try catalogCall { () throws(CatalogError) in try catalog.heldObjects(destination: options.destination) }
    // Only the records of the assets this bundle carries, not the whole bank's.
    let parents = try pillarParents()
    let entries = try catalogCall { () throws(CatalogError) in
      try catalog.entries(ids: candidates.filter { $0.retraction == nil && $0.deletion == nil }.map(\.id))
    }
    let records = Dictionary(
      entries.map { entry in
        var record = AssetRecord(entry, parents: parents)
        record.translations = nil  // derived: the groups follow from translationOf
        return (entry.asset.id, record)
      }, uniquingKeysWith: { a, _ in a })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var items: [ExportItem] = []
    for candidate in candidates {
      let line: BundleLine
      var objects: [(id: String, path: String, size: Int64)] = []
      if let reason = candidate.deletion {
        line = BundleLine(id: candidate.id, op: "delete", record: nil, reason: reason, revision: candidate.revision)
      } else if let reason = candidate.retraction {
        line = BundleLine(id: candidate.id, op: "retract", record: nil, reason: reason, revision: candidate.revision)
      } else {
        guard let record = records[candidate.id] else { continue }
        line = BundleLine(id: candidate.id, op: "upsert", record: record, reason: nil, revision: candidate.revision)
        for object in [record.id, record.thumbnail].compactMap({ $0 }) where !held.contains(object) {
          guard let id = BlobID(object) else { continue }
          let path = store.path(of: id)
          let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
          objects.append((object, path, size))
        }
      }
      do {
        items.append(ExportItem(line: try encoder.encode(line), op: line.op, candidate: candidate, objects: objects))
      } catch {
        throw MediaBankError("cannot encode the record of \(candidate.id): \(error)", wrapping: error, code: .internal)
      }
    }
    return items
  }

  /// The items cut into the bags of a group, in order: a bag ends where the next line and its
  /// content would take its payload above `maxSize` bytes, or at `RecordLines.maximumCount`
  /// lines. Each bag carries the content of its own lines, so it is valid alone.
  static func cut(_ items: [ExportItem], maxSize: Int64?) throws(MediaBankError) -> [[Int]] {
    var parts: [[Int]] = [[]]
    var partSize: Int64 = 0
    for (index, item) in items.enumerated() {
      let size = Int64(item.line.count + 1) + item.objects.reduce(0) { $0 + $1.size }
      if let limit = maxSize, size > limit {
        throw MediaBankError(
          .invalidInput,
          "\(item.candidate.id) needs \(size) bytes, more than --max-size (\(limit) bytes); give a larger size")
      }
      let full = parts[parts.count - 1].count == RecordLines.maximumCount
      if full || (maxSize.map { partSize + size > $0 } ?? false) && !parts[parts.count - 1].isEmpty {
        parts.append([])
        partSize = 0
      }
      parts[parts.count - 1].append(index)
      partSize += size
    }
    return parts
  }

  /// Writes one bag (`info` says which) of `items`, and records it as exported. The bag is
  /// complete on disk before the catalog records it; if recording fails, it is removed. A tar of
  /// a group is named `NAME-K-of-N.tar` after the `--out` file `NAME.tar`.
  private func writeBag(
    _ items: [ExportItem], info: BagInfo, output: URL, key: Curve25519.Signing.PrivateKey,
    rotations: [KeyRotation]
  ) throws(MediaBankError) -> ExportResult {
    var objects: [(id: String, path: String)] = []
    var seen: Set<String> = []
    var contentBytes: Int64 = 0
    for item in items {
      for object in item.objects where seen.insert(object.id).inserted {
        objects.append((object.id, object.path))
        contentBytes += object.size
      }
    }
    let rows = items.enumerated().map { line, item in
      ExportRecordRow(
        destination: info.destination, sequence: info.sequence, line: line + 1, assetId: item.candidate.id,
        revision: item.candidate.revision, op: item.op)
    }
    let form: BundleWriter.Destination
    if output.pathExtension == "tar" {
      let name =
        info.group.map { output.deletingPathExtension().lastPathComponent + "-\($0.index)-of-\($0.count).tar" }
        ?? output.lastPathComponent
      form = .tar(file: output.deletingLastPathComponent().appendingPathComponent(name))
    } else {
      form = .directory(parent: output)
    }
    let path: URL
    do {
      path = try BundleWriter.write(
        info: info, records: items.map(\.line), objects: objects, key: key, rotations: rotations, to: form)
    } catch {
      throw MediaBankError(error.description, wrapping: error)
    }
    do {
      try catalog.recordExport(
        ExportBundleRow(
          destination: info.destination, sequence: info.sequence, id: info.bundleId, kind: info.kind.rawValue,
          createdAt: Self.timestamp(), records: rows.count, objects: objects.count, bytes: contentBytes),
        records: rows)
    } catch {
      try? FileManager.default.removeItem(at: path)
      throw MediaBankError(
        "the bundle was written but could not be recorded, so it was removed: \(error)", wrapping: error)
    }
    return ExportResult(
      bundle: info.bundleId, path: path.path, destination: info.destination, sequence: info.sequence,
      kind: info.kind.rawValue, upserts: rows.filter { $0.op == "upsert" }.count,
      retractions: rows.filter { $0.op == "retract" }.count, deletions: rows.filter { $0.op == "delete" }.count,
      objects: objects.count, bytes: contentBytes,
      group: info.group.map { "\($0.identifier) (\($0.index) of \($0.count))" })
  }
  private static func isDestinationByte(_ byte: UInt8) -> Bool {
    (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "-")
  }
}
