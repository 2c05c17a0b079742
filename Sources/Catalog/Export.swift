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
  /// `upsert`, `retract` or `delete` (a `delete` line is kept as its `deletion_notice`, since the
  /// asset's rows are gone).
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

/// An asset to put in a bundle: its current revision and whether it is retracted, or a deletion
/// the destination must be told of.
public struct ExportCandidate: Equatable, Sendable {
  public var id: String
  /// The asset's current revision; for a deletion, the revision the deletion carries.
  public var revision: Int
  /// The retraction's reason, when the asset is retracted.
  public var retraction: String?
  /// The deletion's reason, when the asset was deleted (a `delete` line).
  public var deletion: String?

  public init(id: String, revision: Int, retraction: String? = nil, deletion: String? = nil) {
    self.id = id
    self.revision = revision
    self.retraction = retraction
    self.deletion = deletion
  }
}

/// A deletion a destination is told of: one per destination a deleted asset had been sent to.
public struct DeletionNoticeRow: Codable, Equatable, Sendable {
  public var destination: String
  public var assetId: String
  /// The revision the deletion carries (one more than the asset's last).
  public var revision: Int
  /// The bundle and line that carried it; nil while it waits for the next bundle.
  public var sequence: Int?
  public var line: Int?
  /// `accepted` or `rejected` once the receipt of that bundle was applied.
  public var outcome: String?
  /// Why the destination rejected it.
  public var reason: String?
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
        guard try AssetRow.exists(db, key: id) else {
          throw CatalogError("no asset \(id) in this bank", kind: .notFound)
        }
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
        guard try AssetRow.exists(db, key: id) else {
          throw CatalogError("no asset \(id) in this bank", kind: .notFound)
        }
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

  /// The assets a bundle to `destination` should carry: first the deletions `destination` has not
  /// been told of yet (in the order they were made), then the assets in the order they were
  /// added: with `full`, every asset that is not retracted; otherwise every asset whose revision
  /// is higher than the last one exported to `destination` (retracted ones included).
  public func exportCandidates(destination: String, full: Bool) throws(CatalogError) -> [ExportCandidate] {
    try read { db in
      let deletions = try Self.deletionCandidates(db, destination: destination, sequence: nil)
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
      return try deletions
        + Row.fetchAll(db, sql: sql, arguments: full ? [] : [destination]).map {
          ExportCandidate(id: $0["id"], revision: $0["revision"], retraction: $0["reason"])
        }
    }
  }

  /// The deletions to tell `destination` of: those not sent yet (`sequence` nil), or those bundle
  /// `sequence` carried; oldest deletion first.
  private static func deletionCandidates(
    _ db: Database, destination: String, sequence: Int?
  ) throws -> [ExportCandidate] {
    try Row.fetchAll(
      db,
      sql: """
        SELECT notice.asset_id, notice.revision, coalesce(tombstone.reason, 'deleted') AS reason
        FROM deletion_notice AS notice
        LEFT JOIN tombstone ON tombstone.asset_id = notice.asset_id
        WHERE notice.destination = ?1 AND notice.sequence IS ?2
        ORDER BY coalesce(notice.line, 0), tombstone.deleted_at, notice.asset_id
        """, arguments: [destination, sequence]
    ).map { ExportCandidate(id: $0["asset_id"], revision: $0["revision"], deletion: $0["reason"]) }
  }

  /// The assets of bundle `sequence` to `destination`, with their current revision, and the
  /// deletions it carried, first (for a resend).
  public func exportCandidates(destination: String, sequence: Int) throws(CatalogError) -> [ExportCandidate] {
    try read { db in
      try Self.deletionCandidates(db, destination: destination, sequence: sequence)
        + Row.fetchAll(
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

  /// The record lines of one bundle, its `delete` lines included.
  public func exportRecords(destination: String, sequence: Int) throws(CatalogError) -> [ExportRecordRow] {
    try read { db in
      let records = try ExportRecordRow.fetchAll(
        db, sql: "SELECT * FROM export_record WHERE destination = ? AND sequence = ? ORDER BY line",
        arguments: [destination, sequence])
      let deletions = try DeletionNoticeRow.fetchAll(
        db, sql: "SELECT * FROM deletion_notice WHERE destination = ? AND sequence = ?",
        arguments: [destination, sequence]
      ).map {
        ExportRecordRow(
          destination: destination, sequence: sequence, line: $0.line ?? 0, assetId: $0.assetId,
          revision: $0.revision, op: "delete", outcome: $0.outcome, reason: $0.reason)
      }
      return (records + deletions).sorted { $0.line < $1.line }
    }
  }

  /// The records `destination` rejected that no later bundle resolved: a rejection stands until
  /// the destination accepts a later line of the same asset (a newer revision, or its deletion).
  public func unresolvedRejections(destination: String) throws(CatalogError) -> [ExportRecordRow] {
    try read { db in
      try ExportRecordRow.fetchAll(
        db,
        sql: """
          SELECT * FROM export_record AS rejected
          WHERE rejected.destination = ?1 AND rejected.outcome = 'rejected'
            AND NOT EXISTS (
              SELECT 1 FROM export_record AS later
              WHERE later.destination = ?1 AND later.asset_id = rejected.asset_id
                AND later.sequence > rejected.sequence AND later.outcome = 'accepted')
            AND NOT EXISTS (
              SELECT 1 FROM deletion_notice AS notice
              WHERE notice.destination = ?1 AND notice.asset_id = rejected.asset_id
                AND notice.sequence > rejected.sequence AND notice.outcome = 'accepted')
          ORDER BY rejected.sequence, rejected.line
          """, arguments: [destination])
        + DeletionNoticeRow.fetchAll(
          db,
          sql: """
            SELECT * FROM deletion_notice AS rejected
            WHERE rejected.destination = ?1 AND rejected.outcome = 'rejected'
              AND NOT EXISTS (
                SELECT 1 FROM deletion_notice AS later
                WHERE later.destination = ?1 AND later.asset_id = rejected.asset_id
                  AND later.sequence > rejected.sequence AND later.outcome = 'accepted')
            ORDER BY rejected.sequence, rejected.line
            """, arguments: [destination]
        ).map {
          ExportRecordRow(
            destination: destination, sequence: $0.sequence ?? 0, line: $0.line ?? 0, assetId: $0.assetId,
            revision: $0.revision, op: "delete", outcome: $0.outcome, reason: $0.reason)
        }
    }
  }

  /// The deletions to tell `destination` of (every destination when nil): sent or not.
  public func deletionNotices(destination: String? = nil) throws(CatalogError) -> [DeletionNoticeRow] {
    try read { db in
      try DeletionNoticeRow.fetchAll(
        db, sql: "SELECT * FROM deletion_notice WHERE ?1 IS NULL OR destination = ?1 ORDER BY destination, asset_id",
        arguments: [destination])
    }
  }

  /// Records a bundle and its lines, in one transaction: a `delete` line marks its deletion
  /// notice as sent by this bundle, at this line (it is refused, and nothing recorded, when no
  /// such deletion waits for the destination). A resent bundle (same destination and sequence)
  /// replaces the first one and its lines.
  public func recordExport(_ bundle: ExportBundleRow, records: [ExportRecordRow]) throws(CatalogError) {
    try write { db in
      try db.execute(
        sql: "DELETE FROM export_bundle WHERE destination = ? AND sequence = ?",
        arguments: [bundle.destination, bundle.sequence])
      try bundle.insert(db)
      for record in records {
        guard record.op == "delete" else {
          try record.insert(db)
          try db.execute(
            sql: "INSERT OR IGNORE INTO sent_asset (destination, asset_id) VALUES (?, ?)",
            arguments: [record.destination, record.assetId])
          continue
        }
        try db.execute(
          sql: """
            UPDATE deletion_notice SET sequence = ?, line = ?, outcome = NULL, reason = NULL
            WHERE destination = ? AND asset_id = ? AND revision = ?
            """,
          arguments: [record.sequence, record.line, record.destination, record.assetId, record.revision])
        guard db.changesCount == 1 else {
          throw CatalogError(
            "no deletion of \(record.assetId) (revision \(record.revision)) is to be sent to \(record.destination)",
            kind: .notFound)
        }
      }
    }
  }

  /// Applies a receipt for bundle `sequence` to `destination`: each record's outcome (a deletion's
  /// too), and the content the destination now holds (of the assets still in this bank). One
  /// transaction.
  ///
  /// `resend` names the assets the destination refused for want of their content: it holds none
  /// of their objects, and their revision is raised so that the next bundle carries them again,
  /// with their content.
  public func applyReceipt(
    destination: String, sequence: Int, outcomes: [ReceiptOutcome], held: [String], resend: [String] = [],
    at time: String
  ) throws(CatalogError) {
    try write { db in
      guard let bundle = try ExportBundleRow.fetchOne(db, key: ["destination": destination, "sequence": sequence])
      else {
        throw CatalogError("no bundle \(sequence) to \(destination) was exported from this bank", kind: .notFound)
      }
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
        try db.execute(
          sql: """
            UPDATE deletion_notice SET outcome = ?, reason = ?
            WHERE destination = ? AND sequence = ? AND asset_id = ? AND revision = ?
            """,
          arguments: [
            outcome.accepted ? "accepted" : "rejected", outcome.reason, destination, sequence, outcome.assetId,
            outcome.revision,
          ])
      }
      // A line the receipt does not mention was not received (the destination answered with the
      // receipt of an earlier bundle of the same number, say): it is sent again by the next bundle.
      try db.execute(
        sql: "DELETE FROM export_record WHERE destination = ? AND sequence = ? AND outcome IS NULL",
        arguments: [destination, sequence])
      try db.execute(
        sql: """
          UPDATE deletion_notice SET sequence = NULL, line = NULL
          WHERE destination = ? AND sequence = ? AND outcome IS NULL
          """, arguments: [destination, sequence])
      // Only the content of assets still here, and not told deleted by a later bundle: a deleted
      // asset's content may be removed by the destination once the deletion reaches it, so it must
      // travel again if the same bytes are added again (even when this receipt comes late).
      for object in held {
        try db.execute(
          sql: """
            INSERT OR IGNORE INTO held_object (destination, object_id, bundle)
            SELECT ?1, ?2, ?3
            WHERE (EXISTS (SELECT 1 FROM asset WHERE id = ?2) OR EXISTS (SELECT 1 FROM asset WHERE thumbnail_id = ?2))
              AND NOT EXISTS (
                SELECT 1 FROM deletion_notice AS notice
                WHERE notice.destination = ?1 AND notice.sequence > ?4
                  AND (notice.asset_id = ?2 OR notice.asset_id IN (SELECT id FROM asset WHERE thumbnail_id = ?2)))
            """,
          arguments: [destination, object, bundle.id, sequence])
      }
      for id in resend {
        try db.execute(
          sql: """
            DELETE FROM held_object WHERE destination = ?1
              AND (object_id = ?2 OR object_id IN (SELECT thumbnail_id FROM asset WHERE id = ?2))
            """, arguments: [destination, id])
        try db.execute(sql: "UPDATE asset SET revision = revision + 1 WHERE id = ?", arguments: [id])
      }
      try db.execute(
        sql: "UPDATE export_bundle SET receipt_applied_at = ? WHERE destination = ? AND sequence = ?",
        arguments: [time, destination, sequence])
    }
  }
}
