public import Foundation
import GRDB

/// A national pillar vocabulary the bank has loaded, as the file was given.
public struct VocabularyRow: Codable, Equatable, Sendable {
  /// `YEAR.REVISION`.
  public var version: String
  /// The vocabulary file's bytes (JSON, `Storage/pillars.md`).
  public var document: Data
  public var loadedAt: String

  public init(version: String, document: Data, loadedAt: String) {
    self.version = version
    self.document = document
    self.loadedAt = loadedAt
  }
}

/// A sub-pillar the bank added under a national pillar.
public struct LocalPillarRow: Codable, Equatable, Sendable {
  public var code: String
  /// The national pillar it rolls up to.
  public var parent: String
  public var labelVi: String
  public var labelEn: String
  /// Keyword hints (a JSON array of strings in the table).
  public var hints: [String]
  public var addedAt: String

  public init(code: String, parent: String, labelVi: String, labelEn: String, hints: [String], addedAt: String) {
    self.code = code
    self.parent = parent
    self.labelVi = labelVi
    self.labelEn = labelEn
    self.hints = hints
    self.addedAt = addedAt
  }
}

extension Catalog {
  /// The national vocabularies the bank has loaded, oldest first.
  public func vocabularies() throws(CatalogError) -> [VocabularyRow] {
    try read { db in try VocabularyRow.order(Column("loaded_at"), Column("version")).fetchAll(db) }
  }

  /// Records a loaded national vocabulary. Loading the same version again is refused.
  public func addVocabulary(_ row: VocabularyRow) throws(CatalogError) {
    try write { db in try row.insert(db) }
  }

  /// The bank's local sub-pillars, in the order they were added.
  public func localPillars() throws(CatalogError) -> [LocalPillarRow] {
    try read { db in try LocalPillarRow.order(Column("added_at"), Column("code")).fetchAll(db) }
  }

  /// Adds a local sub-pillar; a code the bank already has is refused.
  public func addLocalPillar(_ row: LocalPillarRow) throws(CatalogError) {
    try write { db in try row.insert(db) }
  }

  /// How many assets have a tag of `facet` with each value (any source, confirmed or not).
  public func tagCounts(facet: String) throws(CatalogError) -> [String: Int] {
    try read { db in
      var counts: [String: Int] = [:]
      for row in try Row.fetchAll(
        db, sql: "SELECT value, count(DISTINCT asset_id) AS n FROM tag WHERE facet = ? GROUP BY value",
        arguments: [facet])
      {
        counts[row["value"]] = row["n"]
      }
      return counts
    }
  }
}
