public import Foundation
import GRDB

/// One import batch: where it read from, who ran it, when, and what happened.
public struct BatchRow: Codable, Equatable, Sendable {
  public var id: Int64?
  /// The folder that was imported (absolute).
  public var root: String
  public var `operator`: String
  public var startedAt: String
  /// Nil while the batch runs, and for ever when it was interrupted.
  public var finishedAt: String?
  public var counts: BatchCounts
  /// What the import was told to give every file (JSON: `{"pillar": …, "lang": …}`), nil when
  /// nothing was given.
  public var options: String?
  /// When the import was undone (`mediabank batches undo`).
  public var undoneAt: String?

  public init(root: String, operator: String, startedAt: String, options: String? = nil) {
    self.options = options
    self.root = root
    self.operator = `operator`
    self.startedAt = startedAt
    self.counts = BatchCounts()
  }

  enum CodingKeys: String, CodingKey {
    case id, root, `operator`, startedAt, finishedAt, options, undoneAt, added, duplicates, unchanged, skipped, failed,
      bytes
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decodeIfPresent(Int64.self, forKey: .id)
    root = try container.decode(String.self, forKey: .root)
    self.operator = try container.decode(String.self, forKey: .operator)
    startedAt = try container.decode(String.self, forKey: .startedAt)
    finishedAt = try container.decodeIfPresent(String.self, forKey: .finishedAt)
    options = try container.decodeIfPresent(String.self, forKey: .options)
    undoneAt = try container.decodeIfPresent(String.self, forKey: .undoneAt)
    counts = BatchCounts(
      added: try container.decode(Int.self, forKey: .added),
      duplicates: try container.decode(Int.self, forKey: .duplicates),
      unchanged: try container.decode(Int.self, forKey: .unchanged),
      skipped: try container.decode(Int.self, forKey: .skipped),
      failed: try container.decode(Int.self, forKey: .failed),
      bytes: try container.decode(Int64.self, forKey: .bytes))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeIfPresent(id, forKey: .id)
    try container.encode(root, forKey: .root)
    try container.encode(self.operator, forKey: .operator)
    try container.encode(startedAt, forKey: .startedAt)
    try container.encode(finishedAt, forKey: .finishedAt)
    try container.encode(options, forKey: .options)
    try container.encode(undoneAt, forKey: .undoneAt)
    try container.encode(counts.added, forKey: .added)
    try container.encode(counts.duplicates, forKey: .duplicates)
    try container.encode(counts.unchanged, forKey: .unchanged)
    try container.encode(counts.skipped, forKey: .skipped)
    try container.encode(counts.failed, forKey: .failed)
    try container.encode(counts.bytes, forKey: .bytes)
  }
}

/// How many files of a batch ended each way, and how many bytes were read.
public struct BatchCounts: Codable, Equatable, Sendable {
  /// New content stored.
  public var added = 0
  /// Bytes already in the bank, arriving under another path (a provenance entry was added).
  public var duplicates = 0
  /// Files an earlier import stored, unchanged since (not read again).
  public var unchanged = 0
  /// Files that are not media (junk, sidecars, other documents, links not followed).
  public var skipped = 0
  public var failed = 0
  /// Bytes of the files read (added and duplicates).
  public var bytes: Int64 = 0

  public init(
    added: Int = 0, duplicates: Int = 0, unchanged: Int = 0, skipped: Int = 0, failed: Int = 0,
    bytes: Int64 = 0
  ) {
    self.added = added
    self.duplicates = duplicates
    self.unchanged = unchanged
    self.skipped = skipped
    self.failed = failed
    self.bytes = bytes
  }
}

/// The state of a running batch, saved in the same transaction as its files.
public struct BatchProgress: Sendable {
  public var id: Int64
  public var counts: BatchCounts
  /// Skipped files by reason (totals so far).
  public var skips: [String: Int]
  /// Failures since the last save: the path as shown to the user, and the reason.
  public var newFailures: [(path: String, reason: String)]

  public init(id: Int64, counts: BatchCounts, skips: [String: Int], newFailures: [(path: String, reason: String)]) {
    self.id = id
    self.counts = counts
    self.skips = skips
    self.newFailures = newFailures
  }
}

/// A batch with everything that went wrong in it.
public struct BatchReport: Equatable, Sendable {
  public var batch: BatchRow
  public var skips: [String: Int]
  /// The failed files, by path.
  public var failures: [BatchFailure]
}

/// One file an import could not store.
public struct BatchFailure: Codable, Equatable, Sendable {
  public var path: String
  public var reason: String
}

extension Catalog {
  /// Starts a batch and returns its id.
  public func startBatch(
    root: String, operator: String, startedAt: String, options: String? = nil
  ) throws(CatalogError) -> Int64 {
    try write { db in
      try BatchRow(root: root, operator: `operator`, startedAt: startedAt, options: options).insert(db)
      let id = db.lastInsertedRowID
      // Where the audit log stood: the changes after it are those made since the batch started.
      try db.execute(
        sql: "UPDATE batch SET audit_before = (SELECT coalesce(max(id), 0) FROM audit) WHERE id = ?", arguments: [id])
      return id
    }
  }

  /// Saves the final state of a batch and marks it finished.
  public func finishBatch(_ progress: BatchProgress, finishedAt: String) throws(CatalogError) {
    try write { db in
      try Self.update(db, progress)
      try db.execute(sql: "UPDATE batch SET finished_at = ? WHERE id = ?", arguments: [finishedAt, progress.id])
    }
  }

  static func update(_ db: Database, _ progress: BatchProgress) throws {
    let counts = progress.counts
    try db.execute(
      sql: """
        UPDATE batch SET added = ?, duplicates = ?, unchanged = ?, skipped = ?, failed = ?, bytes = ?
        WHERE id = ?
        """,
      arguments: [
        counts.added, counts.duplicates, counts.unchanged, counts.skipped, counts.failed, counts.bytes,
        progress.id,
      ])
    for (reason, count) in progress.skips where count > 0 {
      try db.execute(
        sql: "INSERT OR REPLACE INTO batch_skip (batch_id, reason, count) VALUES (?, ?, ?)",
        arguments: [progress.id, reason, count])
    }
    for failure in progress.newFailures {
      try db.execute(
        sql: "INSERT OR REPLACE INTO batch_failure (batch_id, path, reason) VALUES (?, ?, ?)",
        arguments: [progress.id, failure.path, failure.reason])
    }
  }

  /// Deletes a batch that changed nothing (its skips and failures go with it).
  public func discardBatch(_ id: Int64) throws(CatalogError) {
    try write { db in try db.execute(sql: "DELETE FROM batch WHERE id = ?", arguments: [id]) }
  }

  /// The last batch before `batch` (not undone) in which the file shown as `path` failed, with
  /// the reason and when that batch started.
  public func lastFailure(path: String, before batch: Int64?) throws(CatalogError) -> (
    batch: Int64, reason: String, startedAt: String
  )? {
    try read { db in
      guard
        let row = try Row.fetchOne(
          db,
          sql: """
            SELECT batch.id, batch_failure.reason, batch.started_at FROM batch_failure
            JOIN batch ON batch.id = batch_failure.batch_id
            WHERE batch_failure.path = ? AND batch.undone_at IS NULL AND batch.id < coalesce(?, 9223372036854775807)
            ORDER BY batch.id DESC LIMIT 1
            """, arguments: [path, batch])
      else { return nil }
      return (row["id"], row["reason"], row["started_at"])
    }
  }

  /// Every batch, oldest first.
  public func batches() throws(CatalogError) -> [BatchRow] {
    try read { db in try BatchRow.fetchAll(db, sql: "SELECT * FROM batch ORDER BY id") }
  }

  /// One batch with its skips and failures, or nil.
  public func batch(_ id: Int64) throws(CatalogError) -> BatchReport? {
    try read { db in
      guard let batch = try BatchRow.fetchOne(db, key: id) else { return nil }
      var skips: [String: Int] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT reason, count FROM batch_skip WHERE batch_id = ?", arguments: [id]) {
        skips[row["reason"]] = row["count"]
      }
      let failures = try Row.fetchAll(
        db, sql: "SELECT path, reason FROM batch_failure WHERE batch_id = ? ORDER BY path", arguments: [id]
      ).map { BatchFailure(path: $0["path"], reason: $0["reason"]) }
      return BatchReport(batch: batch, skips: skips, failures: failures)
    }
  }

  /// What an earlier import remembered of the file at `path` (whatever the file's state since),
  /// or nil.
  public func cacheEntry(path: Data) throws(CatalogError) -> CacheRow? {
    try read { db in try CacheRow.fetchOne(db, key: path) }
  }

  /// Replaces the cache entry of a file read again and found to be what it was (the same bytes,
  /// given the same values): only its size, time and inode changed (a `touch`, a copy).
  public func refreshCache(_ entry: CacheRow) throws(CatalogError) {
    try write { db in try entry.insert(db, onConflict: .replace) }
  }

  /// ``cachedAsset(_:)`` of many files at once, in the order given: one query for every
  /// `cacheLookupSize` paths (an import of 100,000 unchanged files asks 200 queries, not 100,000).
  public func cachedAssets(_ entries: [CacheRow]) throws(CatalogError) -> [String?] {
    try read { db in
      var result: [String?] = []
      result.reserveCapacity(entries.count)
      for start in stride(from: 0, to: entries.count, by: Self.cacheLookupSize) {
        let chunk = entries[start..<min(start + Self.cacheLookupSize, entries.count)]
        let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
        var found: [Data: (size: Int64, mtimeNs: Int64, inode: Int64, givenDigest: String, assetId: String)] = [:]
        let rows = try Row.fetchCursor(
          db,
          sql: "SELECT path, size, mtime_ns, inode, given_digest, asset_id FROM file_cache WHERE path IN (\(marks))",
          arguments: StatementArguments(chunk.map(\.path)))
        while let row = try rows.next() {
          found[row[0] as Data] = (row[1], row[2], row[3], row[4], row[5])
        }
        for entry in chunk {
          guard let cached = found[entry.path], cached.size == entry.size, cached.mtimeNs == entry.mtimeNs,
            cached.inode == entry.inode, cached.givenDigest == entry.givenDigest
          else {
            result.append(nil)
            continue
          }
          result.append(cached.assetId)
        }
      }
      return result
    }
  }

  /// How many paths ``cachedAssets(_:)`` looks up with one query (SQLite limits a statement's
  /// parameters to 32,766).
  static let cacheLookupSize = 500

  /// The asset an earlier import stored from `entry.path`, when the file still has the same
  /// size, modification time and inode and was given the same values; nil otherwise.
  public func cachedAsset(_ entry: CacheRow) throws(CatalogError) -> String? {
    try read { db in
      try String.fetchOne(
        db,
        sql: """
          SELECT asset_id FROM file_cache
          WHERE path = ? AND size = ? AND mtime_ns = ? AND inode = ? AND given_digest = ?
          """,
        arguments: [entry.path, entry.size, entry.mtimeNs, entry.inode, entry.givenDigest])
    }
  }
}
