import GRDB

/// Which assets a listing reads, as conditions the catalog answers from its indexes. Every
/// condition given must hold. Some are exact (`kind`, `pillars`, `language`, `sharedOnly`,
/// `damagedOnly`, `retractedOnly`); the others select a superset that the caller narrows with the full rule
/// (``isExact`` says whether any was given):
/// - `localities`: the asset has a locality tag (any source) with one of these values, while the
///   asset's locality is the tag of its most trusted source;
/// - `capturedFrom`, `capturedTo`: an asset without any capture time is kept, for the year its
///   folders may name;
/// - `suggestedOnly`: the asset has an unconfirmed tag, while a suggested locality counts only
///   when it is the asset's locality.
public struct AssetQuery: Equatable, Sendable {
  public var kind: String?
  /// Tagged with one of these pillar codes (any source).
  public var pillars: [String]?
  /// Tagged with this language (any source; letter case ignored).
  public var language: String?
  /// Has a locality tag with one of these codes.
  public var localities: [String]?
  /// Captured (the explicit time, else the file's) on or after this prefix of an ISO 8601 time.
  public var capturedFrom: String?
  /// Captured on or before this prefix (`2024` includes the whole of 2024).
  public var capturedTo: String?
  public var suggestedOnly = false
  /// Not retracted.
  public var sharedOnly = false
  /// A photo whose pixel data is damaged.
  public var damagedOnly = false
  /// Retracted.
  public var retractedOnly = false

  public init(
    kind: String? = nil, pillars: [String]? = nil, language: String? = nil, localities: [String]? = nil,
    capturedFrom: String? = nil, capturedTo: String? = nil, suggestedOnly: Bool = false, sharedOnly: Bool = false,
    damagedOnly: Bool = false, retractedOnly: Bool = false
  ) {
    self.retractedOnly = retractedOnly
    self.kind = kind
    self.pillars = pillars
    self.language = language
    self.localities = localities
    self.capturedFrom = capturedFrom
    self.capturedTo = capturedTo
    self.suggestedOnly = suggestedOnly
    self.sharedOnly = sharedOnly
    self.damagedOnly = damagedOnly
  }

  /// True when every asset selected matches: no condition selects a superset.
  public var isExact: Bool {
    localities == nil && capturedFrom == nil && capturedTo == nil && !suggestedOnly
  }

  /// The SQL condition on `asset` and its arguments, in `db`, for reading `wanted` assets (a
  /// page, or all of them to count).
  ///
  /// A tag condition that selects few assets lists them first, from the index on (facet, value),
  /// and the page is taken from those: that costs a read of every tagged asset. One that selects
  /// many is checked asset by asset along the index of the order, which costs about `wanted` ×
  /// assets / tagged look-ups. The first is chosen when tagged² < `wanted` × assets.
  func condition(in db: Database, wanted: Int) throws -> (sql: String, arguments: StatementArguments) {
    var clauses: [String] = []
    var arguments = StatementArguments()
    // The largest rowid stands for the number of assets (a count would read a whole index on
    // every page), and the tags are counted only as far as the choice needs.
    let assets = try Int.fetchOne(db, sql: "SELECT max(rowid) FROM asset") ?? 0
    let threshold = Int(Double(max(wanted, 1)).squareRoot() * Double(assets).squareRoot())
    func tagged(_ facet: String, _ values: [String], collate: String = "") throws {
      let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
      let selection = "FROM tag WHERE facet = '\(facet)' AND value\(collate) IN (\(marks))"
      let tags =
        try Int.fetchOne(
          db, sql: "SELECT count(*) FROM (SELECT 1 \(selection) LIMIT ?)",
          arguments: StatementArguments(values) + [threshold]) ?? 0
      if tags < threshold {
        clauses.append("asset.id IN (SELECT asset_id \(selection))")
      } else {
        // By the asset's own tags (the primary key): on the index on (facet, value), a list of
        // values (a province and its communes) is one look-up per value for every asset.
        clauses.append(
          "EXISTS (SELECT 1 FROM tag WHERE tag.asset_id = asset.id AND +facet = '\(facet)' AND +value\(collate) IN (\(marks)))"
        )
      }
      arguments += StatementArguments(values)
    }
    if let kind {
      clauses.append("asset.kind = ?")
      arguments += [kind]
    }
    if let pillars { try tagged("pillar", pillars) }
    if let language { try tagged("language", [language], collate: " COLLATE NOCASE") }
    if let localities { try tagged("locality", localities) }
    let captured = "coalesce(asset.captured_at_explicit, asset.captured_at)"
    let undated = "(asset.captured_at IS NULL AND asset.captured_at_explicit IS NULL)"
    if let capturedFrom {
      clauses.append("(\(captured) >= ? OR \(undated))")
      arguments += [capturedFrom]
    }
    if let capturedTo {
      // On or before the prefix: before it, or starting with it.
      clauses.append("(\(captured) < ? OR substr(\(captured), 1, ?) = ? OR \(undated))")
      arguments += [capturedTo, capturedTo.count, capturedTo]
    }
    if suggestedOnly { clauses.append("EXISTS (SELECT 1 FROM tag WHERE tag.asset_id = asset.id AND confirmed = 0)") }
    if sharedOnly { clauses.append("NOT EXISTS (SELECT 1 FROM retraction WHERE retraction.asset_id = asset.id)") }
    if damagedOnly { clauses.append("asset.damaged IS NOT NULL") }
    if retractedOnly { clauses.append("EXISTS (SELECT 1 FROM retraction WHERE retraction.asset_id = asset.id)") }
    return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), arguments)
  }
}

/// The orders in which a listing reads assets.
public enum ListingOrder: String, Sendable {
  /// When they were added (then their row: the order of arrival within a second).
  case added
  /// When they were captured: the capture time a person set, else the file's (then their row);
  /// assets without one come first when oldest first, last when newest first.
  case captured

  /// The SQL expression of the order's key: the expression of its index (`asset_by_added`,
  /// `asset_by_capture`).
  var key: String {
    switch self {
    case .added: "added_at"
    case .captured: "coalesce(captured_at_explicit, captured_at)"
    }
  }
}

/// Where an asset stands in an order of ``Catalog/assetIDs(_:after:newestFirst:order:limit:)``: its
/// key in that order (when it was added, or captured: empty for an asset without a capture time),
/// then its row.
public struct AssetPosition: Hashable, Sendable {
  public var key: String
  public var row: Int64

  public init(key: String, row: Int64) {
    self.key = key
    self.row = row
  }
}

/// Where a contribution stands in the order of
/// ``Catalog/contributions(source:matching:after:newestFirst:limit:)``: when it was received, its source, its asset.
public struct ContributionPosition: Hashable, Sendable {
  public var receivedAt: String
  public var source: String
  public var assetId: String

  public init(receivedAt: String, source: String, assetId: String) {
    self.receivedAt = receivedAt
    self.source = source
    self.assetId = assetId
  }
}

extension Catalog {
  /// The ids of at most `limit` assets that `query` selects, after `position` (from the
  /// beginning when nil), in `order`, oldest first or newest first, each with its position: read
  /// from the index of the order, so that a page costs the same at the start and at the end of a
  /// bank of any size.
  public func assetIDs(
    _ query: AssetQuery, after position: AssetPosition? = nil, newestFirst: Bool = false, order: ListingOrder = .added,
    limit: Int
  ) throws(CatalogError) -> [(id: String, position: AssetPosition)] {
    try read { db in
      let (condition, conditionArguments) = try query.condition(in: db, wanted: limit)
      let (direction, after) = newestFirst ? ("DESC", "<") : ("ASC", ">")
      let key = order.key
      let page = "SELECT id, \(key), rowid FROM asset WHERE"
      var sql = "\(page) \(condition) ORDER BY \(key) \(direction), rowid \(direction) LIMIT ?"
      var arguments = conditionArguments + [limit]
      if let position {
        // The rest of the assets with the same key, then those after it: each a range of the
        // index of the order (whose entries end with the rowid). One comparison of the pair
        // would read the index from the first asset with that key, again on every page. An
        // asset without a capture time has no key (NULL, the empty key of its position): those
        // come first in ascending order and last in descending order.
        var parts: [(String, StatementArguments)] = []
        if position.key.isEmpty {
          parts.append(
            ("\(key) IS NULL AND rowid \(after) ? AND \(condition) ORDER BY rowid \(direction)", [position.row]))
          if !newestFirst { parts.append(("\(key) IS NOT NULL AND \(condition) ORDER BY \(key), rowid", [])) }
        } else {
          parts.append(
            (
              "\(key) = ? AND rowid \(after) ? AND \(condition) ORDER BY rowid \(direction)",
              [position.key, position.row]
            ))
          parts.append(
            ("\(key) \(after) ? AND \(condition) ORDER BY \(key) \(direction), rowid \(direction)", [position.key]))
          if newestFirst, order == .captured {
            parts.append(("\(key) IS NULL AND \(condition) ORDER BY rowid DESC", []))
          }
        }
        sql = parts.map { "SELECT * FROM (\(page) \($0.0) LIMIT ?)" }.joined(separator: " UNION ALL ") + " LIMIT ?"
        arguments = []
        for (_, partArguments) in parts { arguments += partArguments + conditionArguments + [limit] }
        arguments += [limit]
      }
      return try Row.fetchAll(db, sql: sql, arguments: arguments).map {
        (id: $0[0], position: AssetPosition(key: ($0[1] as String?) ?? "", row: $0[2]))
      }
    }
  }

  /// How many assets `query` selects (a superset of the matches when it is not exact).
  public func countAssets(_ query: AssetQuery) throws(CatalogError) -> Int {
    try read { db in
      let (condition, arguments) = try query.condition(in: db, wanted: .max)
      return try Int.fetchOne(db, sql: "SELECT count(*) FROM asset WHERE \(condition)", arguments: arguments) ?? 0
    }
  }

  /// At most `limit` of the records contributed (national bank), of one source bank or of all,
  /// that `query` selects, after `position`, in the order they were received (the last received
  /// first with `newestFirst`).
  ///
  /// The conditions are read from `contribution_tally`. The records are read in order and each
  /// looked up there, for at most 20 pages of records: a selection of many fills its page at
  /// once. When that leaves the page short, the rest is read from `contribution_tally` alone
  /// (each of its rows checked, the matches put in order), so that a selection whose records are
  /// few, or all far down the order, costs one read of that table (0.3 s for a million rows)
  /// instead of a look-up for every record before them.
  public func contributions(
    source: String?, matching query: AssetQuery = AssetQuery(), after position: ContributionPosition?,
    newestFirst: Bool = false, limit: Int
  ) throws(CatalogError) -> [ContributionRow] {
    let limit = max(0, limit)
    let (direction, after) = newestFirst ? ("DESC", "<") : ("ASC", ">")
    /// The order of the records, by the columns of `table`.
    func order(_ table: String = "") -> String {
      let prefix = table.isEmpty ? "" : table + "."
      return "ORDER BY \(prefix)received_at \(direction), \(prefix)source \(direction), \(prefix)asset_id \(direction)"
    }
    /// The condition on the source and the position of a record, and its arguments.
    func range(after position: ContributionPosition?) -> (sql: String, arguments: StatementArguments) {
      var sql = source == nil ? "1" : "source = ?"
      var arguments: StatementArguments = source.map { [$0] } ?? []
      if let position {
        sql += " AND (received_at, source, asset_id) \(after) (?, ?, ?)"
        arguments += [position.receivedAt, position.source, position.assetId]
      }
      return (sql, arguments)
    }
    return try read { db in
      // One source's records are read from its own index (contribution_by_source).
      let (inRange, rangeArguments) = range(after: position)
      let records = "SELECT * FROM contribution WHERE record IS NOT NULL AND \(inRange)"
      guard query != AssetQuery() else {
        return try ContributionRow.fetchAll(db, sql: "\(records) \(order()) LIMIT \(limit)", arguments: rangeArguments)
      }
      let (condition, conditionArguments) = query.tallyCondition(source: source)
      let window = 20 * max(limit, 1)
      // The keys of the window come from the index of the order; only the matches' rows are read.
      let keys = "SELECT received_at, source, asset_id FROM contribution WHERE record IS NOT NULL AND \(inRange)"
      var rows = try ContributionRow.fetchAll(
        db,
        sql: """
          SELECT contribution.* FROM (\(keys) \(order()) LIMIT \(window)) AS walked
          JOIN contribution USING (source, asset_id)
          WHERE EXISTS (SELECT 1 FROM contribution_tally WHERE contribution_tally.source = walked.source
            AND contribution_tally.asset_id = walked.asset_id AND \(condition))
          \(order("walked")) LIMIT \(limit)
          """, arguments: rangeArguments + conditionArguments)
      guard rows.count < limit,
        let last = try Row.fetchOne(
          db, sql: "\(keys) \(order()) LIMIT 1 OFFSET \(window - 1)", arguments: rangeArguments)
      else { return rows }
      let (beyond, beyondArguments) = range(
        after: ContributionPosition(receivedAt: last[0], source: last[1], assetId: last[2]))
      rows += try ContributionRow.fetchAll(
        db,
        sql: """
          SELECT contribution.* FROM (
            SELECT source, asset_id FROM contribution_tally WHERE \(beyond) AND \(condition)
            \(order()) LIMIT \(limit - rows.count)
          ) AS matched JOIN contribution USING (source, asset_id) \(order("contribution"))
          """, arguments: beyondArguments + conditionArguments)
      return rows
    }
  }
}
