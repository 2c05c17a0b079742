import GRDB

/// A copy of the catalog as it was at one instant (what a backup holds), and what is known of it.
public struct CatalogSnapshot: Equatable, Sendable {
  /// Every object the copy refers to, sorted (see ``Catalog/referencedObjects()``).
  public var referencedObjects: [String]
  /// The migrations applied to the copy, in the order they were applied.
  public var migrations: [String]
  /// How many assets the copy has (its own, not the contributions of other banks).
  public var assets: Int
  /// How many records other banks contributed to it (the national bank).
  public var contributions: Int
}

extension Catalog {
  /// Copies the catalog, as it is at one instant, into the new file `path` with SQLite's online
  /// backup API, and returns what the copy refers to.
  ///
  /// The copy is made inside one read transaction of the catalog, so it is consistent even while
  /// other processes write (the catalog is in WAL mode: writers go on, and the copy does not see
  /// their changes). The copy is then switched to the rollback journal, so that it is one
  /// self-contained file with no `-wal` beside it. Nothing of the catalog is changed.
  public func snapshot(to path: String) throws(CatalogError) -> CatalogSnapshot {
    do {
      let copy = try DatabaseQueue(path: path)
      try copy.writeWithoutTransaction { target in
        try self.read { source in try source.backup(to: target) }
        try target.execute(sql: "PRAGMA journal_mode = DELETE")
      }
      let snapshot = try copy.read { db in try Self.describe(db) }
      try copy.close()
      return snapshot
    } catch let error as CatalogError {
      throw error
    } catch {
      throw CatalogError("cannot copy the catalog to \(path): \(error)", wrapping: error)
    }
  }

  /// Checks the catalog file at `path` (a snapshot a backup holds) without changing it: SQLite's
  /// `integrity_check` must find nothing wrong, no row may break a foreign key, and every
  /// migration it has had must be one this program knows. Returns what it refers to.
  public static func checkSnapshot(at path: String) throws(CatalogError) -> CatalogSnapshot {
    var configuration = Configuration()
    configuration.readonly = true
    do {
      let queue = try DatabaseQueue(path: path, configuration: configuration)
      defer { try? queue.close() }
      return try queue.read { db in
        let check = try checkIntegrity(db)
        guard check.count == 0 else {
          throw CatalogError(
            "the catalog is damaged: \(check.problems.prefix(20).joined(separator: "; "))", kind: .damaged)
        }
        let snapshot = try describe(db)
        let known = Set(Schema.migrator(fold: { $0 }).migrations)
        if let unknown = snapshot.migrations.first(where: { !known.contains($0) }) {
          throw CatalogError(
            "the catalog has had the migration `\(unknown)`, which this mediabank does not know; upgrade mediabank",
            kind: .newerCatalog)
        }
        return snapshot
      }
    } catch let error as CatalogError {
      throw error
    } catch {
      throw CatalogError("cannot read the catalog \(path): \(error)", wrapping: error)
    }
  }

  private static func describe(_ db: Database) throws -> CatalogSnapshot {
    CatalogSnapshot(
      referencedObjects: try referencedObjects(db),
      migrations: try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid"),
      assets: try Int.fetchOne(db, sql: "SELECT count(*) FROM asset") ?? 0,
      contributions: try Int.fetchOne(db, sql: "SELECT count(*) FROM contribution WHERE record IS NOT NULL") ?? 0)
  }
}
