import GRDB

/// An asset found by a full-text search, best first.
public struct SearchMatch: Equatable, Sendable {
  public var id: String
  /// FTS5's bm25 rank: lower is better.
  public var rank: Double
}

/// A source bank's record found by a full-text search (on a national bank), best first.
public struct ContributionMatch: Equatable, Sendable {
  public var source: String
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
  static func refreshSearchIndex(_ pool: some DatabaseWriter, fold: (String) -> String) throws {
    let built = try pool.read { db in try Int.fetchOne(db, sql: "SELECT max(version) FROM search_index_state") }
    guard built != searchIndexVersion else { return }
    try pool.write { db in
      // Another process may have rebuilt it since the check above.
      let built = try Int.fetchOne(db, sql: "SELECT max(version) FROM search_index_state")
      guard built != searchIndexVersion else { return }
      try db.execute(sql: "DELETE FROM asset_search")
      for id in try String.fetchAll(db, sql: "SELECT id FROM asset") { try index(db, id, fold: fold) }
      try db.execute(sql: "DELETE FROM contribution_search")
      for row in try Row.fetchAll(db, sql: "SELECT source, asset_id FROM contribution") {
        try indexContribution(db, source: row["source"], assetId: row["asset_id"], fold: fold)
      }
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

  /// Writes the search row of a source bank's record of an asset (a national bank's contribution)
  /// from the record's titles, descriptions and keywords, folded; removes it when the record is
  /// retracted or has no such texts.
  static func indexContribution(_ db: Database, source: String, assetId: String, fold: (String) -> String) throws {
    let key = try Int64.fetchOne(
      db, sql: "SELECT id FROM contribution_search_key WHERE source = ? AND asset_id = ?",
      arguments: [source, assetId])
    if let key { try db.execute(sql: "DELETE FROM contribution_search WHERE rowid = ?", arguments: [key]) }
    let record = try String.fetchOne(
      db, sql: "SELECT record FROM contribution WHERE source = ? AND asset_id = ?", arguments: [source, assetId])
    let values =
      try record.map { record in
        try String.fetchAll(
          db,
          sql: """
            SELECT value FROM json_each(?1, '$.title') UNION ALL SELECT value FROM json_each(?1, '$.description')
            UNION ALL SELECT value FROM json_each(?1, '$.keywords')
            """, arguments: [record])
      } ?? []
    let text = values.map(fold).filter { !$0.isEmpty }.joined(separator: "\n")
    guard !text.isEmpty else {
      if let key { try db.execute(sql: "DELETE FROM contribution_search_key WHERE id = ?", arguments: [key]) }
      return
    }
    var rowid = key
    if rowid == nil {
      try db.execute(
        sql: "INSERT INTO contribution_search_key (source, asset_id) VALUES (?, ?)", arguments: [source, assetId])
      rowid = db.lastInsertedRowID
    }
    try db.execute(sql: "INSERT INTO contribution_search (rowid, text) VALUES (?, ?)", arguments: [rowid, text])
  }

  /// The FTS5 query for every word of `query`, folded like the texts, each word quoted so that
  /// none is taken as FTS5 syntax; nil when it has no words.
  private func matchExpression(_ query: String) -> String? {
    let words = fold(query).split(whereSeparator: { !$0.isLetter && !$0.isNumber })
    return words.isEmpty ? nil : words.map { "\"\($0)\"" }.joined(separator: " ")
  }

  /// The records contributed by source banks (a national bank's) whose titles, descriptions and
  /// keywords hold every word of `query`, best first, at most `limit`.
  public func searchContributions(_ query: String, limit: Int) throws(CatalogError) -> [ContributionMatch] {
    guard let expression = matchExpression(query) else { return [] }
    return try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT key.source, key.asset_id, bm25(contribution_search) AS rank FROM contribution_search
          JOIN contribution_search_key AS key ON key.id = contribution_search.rowid
          WHERE contribution_search MATCH ? ORDER BY rank LIMIT ?
          """, arguments: [expression, limit]
      ).map { ContributionMatch(source: $0["source"], id: $0["asset_id"], rank: $0["rank"]) }
    }
  }

  /// How many contributed records (a national bank's) ``searchContributions(_:limit:)`` finds in all.
  public func searchContributionsCount(_ query: String) throws(CatalogError) -> Int {
    guard let expression = matchExpression(query) else { return 0 }
    return try read { db in
      try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM contribution_search
          JOIN contribution_search_key AS key ON key.id = contribution_search.rowid
          WHERE contribution_search MATCH ?
          """, arguments: [expression]) ?? 0
    }
  }

  /// How many assets ``search(_:limit:)`` finds in all.
  public func searchCount(_ query: String) throws(CatalogError) -> Int {
    guard let expression = matchExpression(query) else { return 0 }
    return try read { db in
      try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM asset_search JOIN asset ON asset.rowid = asset_search.rowid
          WHERE asset_search MATCH ?
          """, arguments: [expression]) ?? 0
    }
  }

  /// The assets whose texts hold every word of `query` (folded like the texts), best first (FTS5
  /// bm25), at most `limit`. The words are looked up as words, never as FTS5 syntax.
  public func search(_ query: String, limit: Int) throws(CatalogError) -> [SearchMatch] {
    guard let expression = matchExpression(query) else { return [] }
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
