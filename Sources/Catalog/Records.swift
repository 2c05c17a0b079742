public import GRDB

// GRDB record conformances. A public conformance needs a public import; the rest of the
// catalog imports GRDB internally and its API speaks in rows, not in SQL.

extension AssetRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "asset"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension TextRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "asset_text"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension ProvenanceRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "provenance"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension TagRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "tag"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension RemoteRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "remote"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension AccountRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "account"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension SessionRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "session"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension CacheRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "file_cache"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension BatchRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "batch"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension VocabularyRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "pillar_vocabulary"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension LocalPillarRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "local_pillar"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension ExportBundleRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "export_bundle"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension ExportRecordRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "export_record"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension RetractionRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "retraction"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension TrustedBankRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "trusted_bank"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension ReceivedBundleRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "received_bundle"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension KeyRotationRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "key_rotation"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension ContributionRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "contribution"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension TranslationRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "translation"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension AuditEntry: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "audit"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension TombstoneRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "tombstone"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

extension DeletionNoticeRow: FetchableRecord, PersistableRecord {
  public static let databaseTableName = "deletion_notice"
  public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
  public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
}

/// What recording an arrival did (``Catalog/record(_:batch:isStored:)``).
public enum Recorded: Sendable, Equatable {
  /// The asset is new to the catalog.
  case added
  /// The catalog held the asset already: the arrival added its provenance (and tags, texts).
  /// `sameName` when an earlier provenance entry has the same file name (the same file found in
  /// another folder), not the same bytes under another name.
  case held(sameName: Bool)
}
