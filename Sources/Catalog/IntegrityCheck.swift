import GRDB

/// What `mediabank verify` found wrong in the catalog itself.
public struct CatalogCheck: Equatable, Sendable {
  /// The first problems (at most ``CatalogCheck/shown``), each a line of SQLite's
  /// `PRAGMA integrity_check` or a foreign key that points nowhere.
  public var problems: [String] = []
  /// How many problems there are in all (more than `problems` holds when there are many).
  public var count = 0
  /// How many problem lines are kept to be shown.
  public static let shown = 100

  mutating func add(_ problem: String) {
    if problems.count < Self.shown { problems.append(problem) }
    count += 1
  }
}

extension Catalog {
  /// Checks the catalog file with SQLite's `PRAGMA integrity_check` (the b-trees, every index
  /// against its table, `NOT NULL`, `CHECK` and `STRICT` types) and `PRAGMA foreign_key_check`.
  ///
  /// SQLite 3.40.0 to 3.41.0 (Debian 12 has 3.40.1) report `NULL value in T.C` for every row of a
  /// `WITHOUT ROWID` table whose primary key lists its columns in another order than the table
  /// does, although there is no NULL (`asset_text` is such a table). Such a line is kept only when
  /// `T.C` does hold a NULL, which a query of the column tells. The check streams SQLite's answer,
  /// so that these lines, one per row, cost no memory, and it keeps the first ``CatalogCheck/shown``
  /// true problems.
  public func checkIntegrity() throws(CatalogError) -> CatalogCheck {
    do {
      return try reader.unsafeRead { db in try Self.checkIntegrity(db) }
    } catch {
      throw CatalogError("catalog read failed: \(error)", wrapping: error)
    }
  }

  /// ``checkIntegrity()`` of `db`, read outside a transaction: a transaction on a damaged file
  /// could not end.
  static func checkIntegrity(_ db: Database) throws -> CatalogCheck {
    var check = CatalogCheck()
    // A b-tree so damaged that SQLite stops reading it ends the check with an error: that error
    // is a problem found, not a failure of `verify`.
    do {
      var hasNull: [String: Bool] = [:]
      let lines = try String.fetchCursor(db, sql: "PRAGMA integrity_check(2147483647)")
      while let answer = try lines.next() {
        // One answer may hold several lines, under a heading naming the schema.
        for line in answer.split(separator: "\n").map(String.init)
        where line != "ok" && !line.hasPrefix("*** in database") {
          if let column = Self.nullReport(line) {
            let known = try hasNull[column] ?? Self.holdsNull(db, column)
            hasNull[column] = known
            if !known { continue }
          }
          check.add(line)
        }
      }
      let orphans = try Row.fetchCursor(db, sql: "PRAGMA foreign_key_check")
      while let row = try orphans.next() {
        let table: String = row[0], rowid: Int64? = row[1], parent: String = row[2]
        let which = rowid.map { "row \($0) of \(table)" } ?? "a row of \(table)"
        check.add("\(which) refers to a row of \(parent) that does not exist")
      }
    } catch let error as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) {
      check.add("SQLite cannot read the catalog file: \(error.message ?? "\(error.resultCode)")")
    }
    return check
  }

  /// `T.C` of an integrity-check line `NULL value in T.C`; nil for any other line.
  static func nullReport(_ line: String) -> String? {
    let prefix = "NULL value in "
    guard line.hasPrefix(prefix) else { return nil }
    let column = line.dropFirst(prefix.count)
    return column.split(separator: ".").count == 2 ? String(column) : nil
  }

  /// Whether the column `T.C` of the catalog holds a NULL (an unknown column: true, so that the
  /// line SQLite wrote is kept). `typeof(C) = 'null'`, not `C IS NULL`: SQLite answers the latter
  /// "no" from the schema alone when `C` is declared `NOT NULL`.
  static func holdsNull(_ db: Database, _ column: String) throws -> Bool {
    let parts = column.split(separator: ".").map(String.init)
    guard try db.tableExists(parts[0]), try db.columns(in: parts[0]).contains(where: { $0.name == parts[1] })
    else { return true }
    let table = parts[0].quotedDatabaseIdentifier, name = parts[1].quotedDatabaseIdentifier
    return try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE typeof(\(name)) = 'null')") ?? true
  }
}
