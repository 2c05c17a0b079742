import GRDB

/// A bank whose signatures this bank trusts: a province (by its code) or `national`.
public struct TrustedBankRow: Codable, Equatable, Sendable {
  public var bank: String
  public var keyId: String
  /// Standard base64 of the 32 raw bytes of its Ed25519 public key.
  public var publicKey: String
  public var addedAt: String

  public init(bank: String, keyId: String, publicKey: String, addedAt: String) {
    self.bank = bank
    self.keyId = keyId
    self.publicKey = publicKey
    self.addedAt = addedAt
  }
}

/// A bundle this bank received and applied.
public struct ReceivedBundleRow: Codable, Equatable, Sendable {
  public var source: String
  public var sequence: Int
  public var id: String
  public var kind: String
  public var sourceBankId: String
  public var receivedAt: String
  public var accepted: Int
  public var rejected: Int
  public var objects: Int
  public var bytes: Int64
  /// Records this bank already held at the revision the bundle carried (a full bundle's, mostly).
  public var unchanged: Int
  /// The signed receipt written for it (the receipt file's JSON); nil for a bundle received
  /// before receipts were kept (catalog migration `v10-sync-chain`).
  public var receipt: String?

  public init(
    source: String, sequence: Int, id: String, kind: String, sourceBankId: String, receivedAt: String,
    accepted: Int, rejected: Int, objects: Int, bytes: Int64, unchanged: Int = 0, receipt: String? = nil
  ) {
    self.source = source
    self.sequence = sequence
    self.id = id
    self.kind = kind
    self.sourceBankId = sourceBankId
    self.receivedAt = receivedAt
    self.accepted = accepted
    self.rejected = rejected
    self.objects = objects
    self.bytes = bytes
    self.unchanged = unchanged
    self.receipt = receipt
  }
}

/// A bank replaced its signing key: this bank's own rotation, or one a trusted bank's bundle
/// carried.
public struct KeyRotationRow: Codable, Equatable, Sendable {
  /// The bank's code: a province's two digits, or `national`.
  public var bank: String
  public var oldKeyId: String
  public var newKeyId: String
  /// When the bank replaced its key, as its statement says.
  public var rotatedAt: String
  /// The statement, signed by the old key, as `mediabank-key-rotation.txt` holds it.
  public var statement: String
  /// When this bank recorded it.
  public var recordedAt: String
  /// The bundle that carried it; nil for this bank's own rotation.
  public var bundle: String?

  public init(
    bank: String, oldKeyId: String, newKeyId: String, rotatedAt: String, statement: String, recordedAt: String,
    bundle: String? = nil
  ) {
    self.bank = bank
    self.oldKeyId = oldKeyId
    self.newKeyId = newKeyId
    self.rotatedAt = rotatedAt
    self.statement = statement
    self.recordedAt = recordedAt
    self.bundle = bundle
  }
}

/// A source bank's word on one asset: its record as it said it, or its retraction.
public struct ContributionRow: Codable, Equatable, Sendable {
  public var source: String
  public var assetId: String
  public var revision: Int
  /// The asset record (JSON) as the source bank sent it; nil once retracted.
  public var record: String?
  /// The retraction's reason; nil while the asset is contributed.
  public var retraction: String?
  /// The bundle that brought this state.
  public var bundle: String
  public var receivedAt: String

  public init(
    source: String, assetId: String, revision: Int, record: String?, retraction: String?, bundle: String,
    receivedAt: String
  ) {
    self.source = source
    self.assetId = assetId
    self.revision = revision
    self.record = record
    self.retraction = retraction
    self.bundle = bundle
    self.receivedAt = receivedAt
  }
}

/// One change a received bundle makes to a source bank's word on an asset, in the order of its lines.
public enum ContributionChange: Equatable, Sendable {
  /// The source's record of the asset, or its retraction: replaces what it said before.
  case contribute(ContributionRow)
  /// The source deleted the asset: its record (or retraction) goes, with its search row, and the
  /// content it referred to is queued for removal from the store (`purgeQueue`) unless a local
  /// asset or another contributed record needs it.
  case delete(source: String, assetId: String, at: String)
}

extension Catalog {
  /// Registers the key of `row.bank`. The same key again changes nothing; another key for a
  /// bank already trusted is refused (a key is replaced only on purpose, with `replace`), and so
  /// is a key registered for another bank.
  public func trust(_ row: TrustedBankRow, replace: Bool = false) throws(CatalogError) {
    try write { db in
      if let other = try TrustedBankRow.filter(Column("key_id") == row.keyId && Column("bank") != row.bank)
        .fetchOne(db)
      {
        throw CatalogError(
          "key \(row.keyId) is already registered for bank \(other.bank); each bank has its own key", kind: .conflict)
      }
      if let existing = try TrustedBankRow.fetchOne(db, key: row.bank) {
        if existing.publicKey == row.publicKey { return }
        guard replace else {
          throw CatalogError(
            "bank \(row.bank) is already trusted with another key (\(existing.keyId)); "
              + "`mediabank trust remove --bank \(row.bank)` first if the bank really has a new key", kind: .conflict)
        }
      }
      try row.insert(db, onConflict: .replace)
    }
  }

  /// Forgets the key of `bank`; returns it, or nil when `bank` was not trusted. What the bank sent
  /// stays; its next bundle is refused until a key is registered again.
  @discardableResult
  public func untrust(bank: String) throws(CatalogError) -> TrustedBankRow? {
    try write { db in
      guard let row = try TrustedBankRow.fetchOne(db, key: bank) else { return nil }
      try row.delete(db)
      return row
    }
  }

  /// The key rotations of `bank` (of every bank when nil), oldest first.
  public func keyRotations(bank: String? = nil) throws(CatalogError) -> [KeyRotationRow] {
    try read { db in
      try KeyRotationRow.fetchAll(
        db, sql: "SELECT * FROM key_rotation WHERE ?1 IS NULL OR bank = ?1 ORDER BY bank, rotated_at, recorded_at",
        arguments: [bank])
    }
  }

  /// Records a rotation of this bank's own key (`mediabank key rotate`).
  public func recordKeyRotation(_ row: KeyRotationRow) throws(CatalogError) {
    try write { db in try row.insert(db, onConflict: .ignore) }
  }

  /// The trusted banks, by name.
  public func trustedBanks() throws(CatalogError) -> [TrustedBankRow] {
    try read { db in try TrustedBankRow.order(Column("bank")).fetchAll(db) }
  }

  /// The bundle `sequence` received from `source`, if any.
  public func receivedBundle(source: String, sequence: Int) throws(CatalogError) -> ReceivedBundleRow? {
    try read { db in try ReceivedBundleRow.fetchOne(db, key: ["source": source, "sequence": sequence]) }
  }

  /// The bundles received (from `source`, or from every bank), by source and sequence.
  ///
  /// Their stored receipts (each may list a million ids) are read only with `receipts`.
  public func receivedBundles(source: String? = nil, receipts: Bool = false) throws(CatalogError)
    -> [ReceivedBundleRow]
  {
    let receipt = receipts ? "receipt" : "NULL AS receipt"
    return try read { db in
      try ReceivedBundleRow.fetchAll(
        db,
        sql: """
          SELECT source, sequence, id, kind, source_bank_id, received_at, accepted, rejected, objects, bytes,
            unchanged, \(receipt)
          FROM received_bundle WHERE ?1 IS NULL OR source = ?1 ORDER BY source, sequence
          """, arguments: [source])
    }
  }

  /// The revision of each of `ids` that `source` last contributed.
  public func contributedRevisions(source: String, ids: [String]) throws(CatalogError) -> [String: Int] {
    try read { db in
      var result: [String: Int] = [:]
      for id in ids {
        if let revision = try Int.fetchOne(
          db, sql: "SELECT revision FROM contribution WHERE source = ? AND asset_id = ?", arguments: [source, id])
        {
          result[id] = revision
        }
      }
      return result
    }
  }

  /// Applies a received bundle in one transaction: its row and its changes, in order (a deletion
  /// queues the content no one needs any more for removal from the store: call `purge` for each
  /// of `purgeQueue()` after). Refused, changing nothing, unless it is the next bundle expected
  /// from its source, or when `objects` names content that `isStored` says is no longer in the
  /// store (checked while the catalog is locked for writing, so a purge cannot remove the content
  /// of the bundle's records between the check and the commit).
  ///
  /// `rotations` are the key rotations the bundle carried, from the key its source is trusted
  /// with to the key that signed it: the source is trusted with the last one's new key from now
  /// on (refused when the source's key changed meanwhile).
  public func applyReceived(
    _ bundle: ReceivedBundleRow, changes: [ContributionChange], objects: [String] = [],
    rotations: [(row: KeyRotationRow, publicKey: String)] = [], isStored: (String) -> Bool = { _ in true }
  ) throws(CatalogError) {
    try write { db in
      if let first = rotations.first, let last = rotations.last {
        guard let trusted = try TrustedBankRow.fetchOne(db, key: bundle.source), trusted.keyId == first.row.oldKeyId
        else {
          throw CatalogError(
            "the key of bank \(bundle.source) changed while the bundle was received; receive it again", kind: .conflict)
        }
        for rotation in rotations { try rotation.row.insert(db, onConflict: .ignore) }
        try TrustedBankRow(
          bank: bundle.source, keyId: last.row.newKeyId, publicKey: last.publicKey, addedAt: last.row.recordedAt
        ).update(db)
      }
      let last =
        try Int.fetchOne(
          db, sql: "SELECT max(sequence) FROM received_bundle WHERE source = ?", arguments: [bundle.source])
        ?? 0
      guard bundle.sequence == last + 1 else {
        throw CatalogError(
          "bundle \(bundle.sequence) from \(bundle.source) is not the next one (\(last + 1))", kind: .conflict)
      }
      if let missing = objects.first(where: { !isStored($0) }) {
        throw CatalogError(
          "content \(missing) was removed from the store while the bundle was received; receive it again",
          kind: .conflict)
      }
      try bundle.insert(db)
      for change in changes {
        switch change {
        case .contribute(let contribution):
          try contribution.insert(db, onConflict: .replace)
          try Self.indexContribution(db, source: contribution.source, assetId: contribution.assetId, fold: fold)
        case .delete(let source, let assetId, let time):
          try Self.deleteContribution(db, source: source, assetId: assetId, at: time, fold: fold)
        }
      }
    }
  }

  /// Removes `source`'s word on asset `assetId` and its search row, and queues the content its
  /// record referred to (the asset's original and its preview) for removal from the store when
  /// nothing else needs it.
  static func deleteContribution(
    _ db: Database, source: String, assetId: String, at time: String, fold: (String) -> String
  ) throws {
    guard let row = try ContributionRow.fetchOne(db, key: ["source": source, "asset_id": assetId]) else { return }
    let thumbnail = try row.record.flatMap {
      try String.fetchOne(db, sql: "SELECT json_extract(?, '$.thumbnail')", arguments: [$0])
    }
    try row.delete(db)
    try indexContribution(db, source: source, assetId: assetId, fold: fold)  // Removes its search row.
    for object in [assetId, thumbnail].compactMap({ $0 }) where try !isNeeded(db, object) {
      try queuePurge(db, object, at: time)
    }
  }

  /// Whether a local asset (as its content or its preview), a display rendition or a
  /// contributed record (not retracted) needs `object`: the rule of `purge`. Each arm of the
  /// query uses an index (`asset_by_thumbnail`, `display_by_object`, `contribution_by_asset`,
  /// `contribution_by_thumbnail`).
  static func isNeeded(_ db: Database, _ object: String) throws -> Bool {
    let local = try db.cachedStatement(
      sql: """
        SELECT 1 FROM asset WHERE id = ?1 UNION ALL SELECT 1 FROM asset WHERE thumbnail_id = ?1
        UNION ALL SELECT 1 FROM display WHERE object_id = ?1 LIMIT 1
        """)
    return try Row.fetchOne(local, arguments: [object]) != nil || isContributed(db, object)
  }

  /// Whether a province's word on an asset names `object`: as the asset's content (a record or a
  /// retraction: a retracted asset may be shared again, and its province counts on the content
  /// being here) or as its record's preview (indexes `contribution_by_asset`,
  /// `contribution_by_thumbnail`).
  static func isContributed(_ db: Database, _ object: String) throws -> Bool {
    let statement = try db.cachedStatement(
      sql: """
        SELECT 1 FROM contribution WHERE asset_id = ?1
        UNION ALL SELECT 1 FROM contribution WHERE json_extract(record, '$.thumbnail') = ?1 AND record IS NOT NULL
        LIMIT 1
        """)
    return try Row.fetchOne(statement, arguments: [object]) != nil
  }

  /// `source`'s word on asset `id`, if it sent any.
  public func contribution(source: String, assetId: String) throws(CatalogError) -> ContributionRow? {
    try read { db in try ContributionRow.fetchOne(db, key: ["source": source, "asset_id": assetId]) }
  }
}
