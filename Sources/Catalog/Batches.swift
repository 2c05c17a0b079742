public import Foundation
import GRDB

#if canImport(Glibc)
  import Glibc
#endif

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
    try read { db in
      try CacheRow.fetchOne(db.cachedStatement(sql: "SELECT * FROM file_cache WHERE path = ?"), arguments: [path])
    }
  }

  /// Replaces the cache entry of a file read again and found to be what it was (the same bytes,
  /// given the same values): only its size, time and inode changed (a `touch`, a copy).
  public func refreshCache(_ entry: CacheRow) throws(CatalogError) {
    try write { db in try entry.insert(db, onConflict: .replace) }
  }

  /// ``cachedAsset(_:)`` of many files at once, in the order given, for the files of one folder
  /// tree: every entry's path starts with `prefix` (the folder's absolute path and a `/`). One
  /// query reads the cache entries under `prefix` in path order (a range of the primary key) and
  /// merges them with the entries sorted the same way: an import of 100,000 unchanged files asks
  /// one query, not 100,000. An entry whose path does not start with `prefix` is not found.
  public func cachedAssets(_ entries: [CacheRow], under prefix: Data) throws(CatalogError) -> [String?] {
    var result = [String?](repeating: nil, count: entries.count)
    guard !entries.isEmpty else { return result }
    let order = entries.indices.sorted { Self.compare(entries[$0].path, entries[$1].path) < 0 }
    // The paths under `prefix`: from `prefix` up to (not including) `prefix` with its last byte
    // that is not 0xFF incremented and what follows dropped.
    var upper = prefix
    while let last = upper.last, last == 0xFF { upper.removeLast() }
    if let last = upper.last { upper[upper.index(before: upper.endIndex)] = last + 1 }
    let range = upper.isEmpty ? "path >= ?" : "path >= ? AND path < ?"
    let arguments: StatementArguments = upper.isEmpty ? [prefix] : [prefix, upper]
    try read { db in
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT path, size, mtime_ns, inode, given_digest, asset_id FROM file_cache
          WHERE \(range) ORDER BY path
          """, arguments: arguments)
      var next = 0
      while next < order.count, let row = try rows.next() {
        // The entries before this row's path are not cached; then comes the entry of this path,
        // if there is one.
        while next < order.count {
          let index = order[next]
          let entry = entries[index]
          let comparison = try row.withUnsafeData(atIndex: 0) { path in Self.compare(entry.path, path ?? Data()) }
          if comparison > 0 { break }
          next += 1
          guard comparison == 0 else { continue }
          if row[1] as Int64 == entry.size, row[2] as Int64 == entry.mtimeNs, row[3] as Int64 == entry.inode,
            row[4] as String == entry.givenDigest
          {
            result[index] = row[5] as String
          }
          break
        }
      }
    }
    return result
  }

  /// `a` against `b` as bytes, as SQLite orders blobs: negative, zero or positive.
  static func compare(_ a: Data, _ b: Data) -> Int {
    a.withUnsafeBytes { a in
      b.withUnsafeBytes { b in
        let common = min(a.count, b.count)
        let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
        return order != 0 ? Int(order) : a.count - b.count
      }
    }
  }

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
