import GRDB

/// An asset found by a full-text search, best first.
public struct SearchMatch: Equatable, Sendable {
  public var id: String
  /// FTS5's bm25 rank: lower is better.
  public var rank: Double
}

extension Catalog {
  /// The version of what `index` writes. Raise it when that changes: every catalog opened then
  /// rebuilds its index once (`search_index_state` holds the version it was built with).
  static let searchIndexVersion = 1

  /// Rebuilds the search index of every asset, in one transaction, when it was built by another
  /// version of `index` (or not at all, after migrating from a catalog without one).
  static func refreshSearchIndex(_ pool: DatabasePool, fold: (String) -> String) throws {
    let built = try pool.read { db in try Int.fetchOne(db, sql: "SELECT max(version) FROM search_index_state") }
    guard built != searchIndexVersion else { return }
    try pool.write { db in
      try db.execute(sql: "DELETE FROM asset_search")
      for id in try String.fetchAll(db, sql: "SELECT id FROM asset") { try index(db, id, fold: fold) }
      try db.execute(sql: "DELETE FROM search_index_state")
      try db.execute(sql: "INSERT INTO search_index_state (version) VALUES (?)", arguments: [searchIndexVersion])
    }
  }

  /// Writes the search row of asset `id` from its texts (titles, descriptions, keywords, in every
  /// language and from every source) and a story's text, folded by `fold`; an asset without such
  /// texts has none.
  static func index(_ db: Database, _ id: String, fold: (String) -> String) throws {
    guard let rowid = try Int64.fetchOne(db, sql: "SELECT rowid FROM asset WHERE id = ?", arguments: [id]) else {
      return
    }
    let values = try String.fetchAll(
      db,
      sql: """
        SELECT value FROM asset_text WHERE asset_id = ? AND field IN ('title', 'description', 'keyword')
        ORDER BY field, language, source, position
        """, arguments: [id])
    try db.execute(sql: "DELETE FROM asset_search WHERE rowid = ?", arguments: [rowid])
    let text = values.map(fold).filter { !$0.isEmpty }.joined(separator: "\n")
    let body =
      try String.fetchOne(db, sql: "SELECT body FROM story_text WHERE asset_id = ?", arguments: [id])
      .map(fold) ?? ""
    guard !text.isEmpty || !body.isEmpty else { return }
    try db.execute(
      sql: "INSERT INTO asset_search (rowid, text, body) VALUES (?, ?, ?)", arguments: [rowid, text, body])
  }

  /// The assets whose texts hold every word of `query` (folded like the texts), best first (FTS5
  /// bm25), at most `limit`. The words are looked up as words, never as FTS5 syntax.
  public func search(_ query: String, limit: Int) throws(CatalogError) -> [SearchMatch] {
    let words = fold(query).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    guard !words.isEmpty else { return [] }
    let expression = words.map { "\"\($0)\"" }.joined(separator: " ")
    return try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT asset.id, bm25(asset_search, 10.0, 1.0) AS rank FROM asset_search
          JOIN asset ON asset.rowid = asset_search.rowid
          WHERE asset_search MATCH ? ORDER BY rank LIMIT ?
          """, arguments: [expression, limit]
      ).map { SearchMatch(id: $0["id"], rank: $0["rank"]) }
    }
  }
}
