import GRDB

/// A sync bundle the bank made for a destination.
public struct ExportBundleRow: Codable, Equatable, Sendable {
  public var destination: String
  public var sequence: Int
  /// The bundle id, e.g. `mediabank-19-000007`.
  public var id: String
  /// `full` or `incremental`.
  public var kind: String
  public var createdAt: String
  public var records: Int
  public var objects: Int
  public var bytes: Int64
  /// When the destination's receipt for it was applied; nil while none has been.
  public var receiptAppliedAt: String?

  public init(
    destination: String, sequence: Int, id: String, kind: String, createdAt: String, records: Int, objects: Int,
    bytes: Int64, receiptAppliedAt: String? = nil
  ) {
    self.destination = destination
    self.sequence = sequence
    self.id = id
    self.kind = kind
    self.createdAt = createdAt
    self.records = records
    self.objects = objects
    self.bytes = bytes
    self.receiptAppliedAt = receiptAppliedAt
  }
}

/// One record line of an exported bundle, and what the destination's receipt said of it.
public struct ExportRecordRow: Codable, Equatable, Sendable {
  public var destination: String
  public var sequence: Int
  /// The line of `data/records.jsonl`, from 1.
  public var line: Int
  public var assetId: String
  public var revision: Int
  /// `upsert` or `retract`.
  public var op: String
  /// `accepted` or `rejected` once a receipt was applied.
  public var outcome: String?
  /// Why the destination rejected it.
  public var reason: String?

  public init(
    destination: String, sequence: Int, line: Int, assetId: String, revision: Int, op: String,
    outcome: String? = nil, reason: String? = nil
  ) {
    self.destination = destination
    self.sequence = sequence
    self.line = line
    self.assetId = assetId
    self.revision = revision
    self.op = op
    self.outcome = outcome
    self.reason = reason
  }
}

/// An asset withdrawn from what the bank shares (`mediabank retract`), and why.
public struct RetractionRow: Codable, Equatable, Sendable {
  public var assetId: String
  public var reason: String
  public var retractedAt: String

  public init(assetId: String, reason: String, retractedAt: String) {
    self.assetId = assetId
    self.reason = reason
    self.retractedAt = retractedAt
  }
}

/// An asset to put in a bundle: its current revision and whether it is retracted.
public struct ExportCandidate: Equatable, Sendable {
  public var id: String
  public var revision: Int
  /// The retraction's reason, when the asset is retracted.
  public var retraction: String?
}

/// What a receipt says of one record.
public struct ReceiptOutcome: Equatable, Sendable {
  public var assetId: String
  public var revision: Int
  public var accepted: Bool
  public var reason: String?

  public init(assetId: String, revision: Int, accepted: Bool, reason: String? = nil) {
    self.assetId = assetId
    self.revision = revision
    self.accepted = accepted
    self.reason = reason
  }
}

extension Catalog {
  /// Withdraws assets from what the bank shares, in one transaction: a retraction each (which
  /// raises its revision, so the next bundle carries a `retract` line) and an audit entry
  /// (`retract`, the reason as the new value). An asset already retracted keeps its retraction
  /// and gets no entry. Returns, for each id, the retraction it already had (nil when it is
  /// retracted now).
  @discardableResult
  public func retract(_ ids: [String], reason: String, by actor: Actor) throws(CatalogError) -> [RetractionRow?] {
    try write { db in
      var earlier: [RetractionRow?] = []
      for id in ids {
        guard try AssetRow.exists(db, key: id) else { throw CatalogError("no asset \(id) in this bank") }
        if let existing = try RetractionRow.fetchOne(db, key: id) {
          earlier.append(existing)
          continue
        }
        try RetractionRow(assetId: id, reason: reason, retractedAt: actor.at).insert(db)
        try Self.audit(
          db, [AuditEntry(at: actor.at, operator: actor.name, assetId: id, action: "retract", newValue: reason)])
        earlier.append(nil)
      }
      return earlier
    }
  }

  /// Shares retracted assets again, in one transaction: their retractions go (which raises the
  /// revision, so the next bundle carries the record again) with an audit entry each
  /// (`unretract`, the reason of the retraction as the old value). Returns, for each id, the
  /// retraction removed (nil when the asset was not retracted: nothing changes for it).
  @discardableResult
  public func unretract(_ ids: [String], by actor: Actor) throws(CatalogError) -> [RetractionRow?] {
    try write { db in
      var removed: [RetractionRow?] = []
      for id in ids {
        guard try AssetRow.exists(db, key: id) else { throw CatalogError("no asset \(id) in this bank") }
        guard let retraction = try RetractionRow.fetchOne(db, key: id) else {
          removed.append(nil)
          continue
        }
        try retraction.delete(db)
        try Self.audit(
          db,
          [
            AuditEntry(
              at: actor.at, operator: actor.name, assetId: id, action: "unretract", oldValue: retraction.reason)
          ])
        removed.append(retraction)
      }
      return removed
    }
  }

  /// The retracted assets, with the reason given.
  public func retractions() throws(CatalogError) -> [String: String] {
    try read { db in
      var result: [String: String] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT asset_id, reason FROM retraction") {
        result[row["asset_id"]] = row["reason"]
      }
      return result
    }
  }

  /// The assets a bundle to `destination` should carry, in the order they were added: with
  /// `full`, every asset that is not retracted; otherwise every asset whose revision is higher
  /// than the last one exported to `destination` (retracted ones included).
  public func exportCandidates(destination: String, full: Bool) throws(CatalogError) -> [ExportCandidate] {
    try read { db in
      let sql =
        full
        ? """
        SELECT asset.id, asset.revision, NULL AS reason FROM asset
        WHERE asset.id NOT IN (SELECT asset_id FROM retraction)
        ORDER BY asset.added_at, asset.rowid
        """
        : """
        SELECT asset.id, asset.revision, retraction.reason FROM asset
        LEFT JOIN retraction ON retraction.asset_id = asset.id
        LEFT JOIN (
          SELECT asset_id, max(revision) AS revision FROM export_record WHERE destination = ?1 GROUP BY asset_id
        ) AS sent ON sent.asset_id = asset.id
        WHERE sent.revision IS NULL OR asset.revision > sent.revision
        ORDER BY asset.added_at, asset.rowid
        """
      return try Row.fetchAll(db, sql: sql, arguments: full ? [] : [destination]).map {
        ExportCandidate(id: $0["id"], revision: $0["revision"], retraction: $0["reason"])
      }
    }
  }

  /// The assets of bundle `sequence` to `destination`, with their current revision (for a resend).
  public func exportCandidates(destination: String, sequence: Int) throws(CatalogError) -> [ExportCandidate] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT asset.id, asset.revision, retraction.reason FROM export_record
          JOIN asset ON asset.id = export_record.asset_id
          LEFT JOIN retraction ON retraction.asset_id = asset.id
          WHERE export_record.destination = ? AND export_record.sequence = ?
          ORDER BY asset.added_at, asset.rowid
          """, arguments: [destination, sequence]
      ).map { ExportCandidate(id: $0["id"], revision: $0["revision"], retraction: $0["reason"]) }
    }
  }

  /// The content objects `destination` holds according to the receipts applied.
  public func heldObjects(destination: String) throws(CatalogError) -> Set<String> {
    try read { db in
      Set(
        try String.fetchAll(
          db, sql: "SELECT object_id FROM held_object WHERE destination = ?", arguments: [destination]))
    }
  }

  /// The bundles made for `destination` (every destination when nil), oldest first.
  public func exportBundles(destination: String? = nil) throws(CatalogError) -> [ExportBundleRow] {
    try read { db in
      try ExportBundleRow.fetchAll(
        db, sql: "SELECT * FROM export_bundle WHERE ?1 IS NULL OR destination = ?1 ORDER BY destination, sequence",
        arguments: [destination])
    }
  }

  /// The record lines of one bundle.
  public func exportRecords(destination: String, sequence: Int) throws(CatalogError) -> [ExportRecordRow] {
    try read { db in
      try ExportRecordRow.fetchAll(
        db, sql: "SELECT * FROM export_record WHERE destination = ? AND sequence = ? ORDER BY line",
        arguments: [destination, sequence])
    }
  }

  /// Records a bundle and its lines, in one transaction. A resent bundle (same destination and
  /// sequence) replaces the first one and its lines.
  public func recordExport(_ bundle: ExportBundleRow, records: [ExportRecordRow]) throws(CatalogError) {
    try write { db in
      try db.execute(
        sql: "DELETE FROM export_bundle WHERE destination = ? AND sequence = ?",
        arguments: [bundle.destination, bundle.sequence])
      try bundle.insert(db)
      for record in records { try record.insert(db) }
    }
  }

  /// Applies a receipt for bundle `sequence` to `destination`: each record's outcome, and the
  /// content the destination now holds. One transaction.
  public func applyReceipt(
    destination: String, sequence: Int, outcomes: [ReceiptOutcome], held: [String], at time: String
  ) throws(CatalogError) {
    try write { db in
      guard let bundle = try ExportBundleRow.fetchOne(db, key: ["destination": destination, "sequence": sequence])
      else { throw CatalogError("no bundle \(sequence) to \(destination) was exported from this bank") }
      for outcome in outcomes {
        try db.execute(
          sql: """
            UPDATE export_record SET outcome = ?, reason = ?
            WHERE destination = ? AND sequence = ? AND asset_id = ? AND revision = ?
            """,
          arguments: [
            outcome.accepted ? "accepted" : "rejected", outcome.reason, destination, sequence, outcome.assetId,
            outcome.revision,
          ])
      }
      for object in held {
        try db.execute(
          sql: "INSERT OR IGNORE INTO held_object (destination, object_id, bundle) VALUES (?, ?, ?)",
          arguments: [destination, object, bundle.id])
      }
      try db.execute(
        sql: "UPDATE export_bundle SET receipt_applied_at = ? WHERE destination = ? AND sequence = ?",
        arguments: [time, destination, sequence])
    }
  }
}
