import Catalog
import Foundation

/// One import batch as `batches` shows it.
public struct BatchRecord: Codable, Equatable, Sendable {
  public var id: Int64
  public var root: String
  public var `operator`: String
  public var startedAt: String
  /// Absent when the batch was interrupted (or is still running).
  public var finishedAt: String?
  public var added: Int
  public var duplicates: Int
  public var unchanged: Int
  public var skipped: Int
  public var failed: Int
  public var bytes: Int64
  /// What the import was told to give every file (`pillar`, `lang`, `locality`, `title`…).
  public var options: [String: String]?
  /// When the import was undone.
  public var undoneAt: String?
  /// Only in `batches show`.
  public var skippedByReason: [String: Int]?
  /// Only in `batches show`.
  public var failures: [ImportSummary.Failure]?

  init(_ row: BatchRow) {
    id = row.id ?? 0
    root = row.root
    self.operator = row.operator
    startedAt = row.startedAt
    finishedAt = row.finishedAt
    added = row.counts.added
    duplicates = row.counts.duplicates
    unchanged = row.counts.unchanged
    skipped = row.counts.skipped
    failed = row.counts.failed
    bytes = row.counts.bytes
    undoneAt = row.undoneAt
    options = row.options.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
  }
}

extension Library {
  /// Every import batch, oldest first.
  public func batches() throws(MediaBankError) -> [BatchRecord] {
    do {
      return try catalog.batches().map(BatchRecord.init)
    } catch {
      throw MediaBankError(error.description, wrapping: error)
    }
  }

  /// One import batch with its skips and failures.
  public func batch(_ id: Int64) throws(MediaBankError) -> BatchRecord {
    let report: BatchReport?
    do {
      report = try catalog.batch(id)
    } catch {
      throw MediaBankError(error.description, wrapping: error)
    }
    guard let report else { throw MediaBankError(.notFound, "no batch \(id) in this bank") }
    var record = BatchRecord(report.batch)
    record.skippedByReason = report.skips
    record.failures = report.failures.map { ImportSummary.Failure(path: $0.path, reason: $0.reason) }
    return record
  }
}
