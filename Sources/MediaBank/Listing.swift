public import Catalog
import Foundation
import Taxonomy

/// Where a page of a listing ended: give it back to read the page after. `token` is its text
/// form, for a link or a command line; it is opaque and checked when read.
public struct AssetCursor: Hashable, Sendable {
  enum Position: Hashable, Sendable {
    /// A bank's own asset: when it was added, its row.
    case asset(AssetPosition)
    /// A bank's own asset in the order of capture: its capture time, its row.
    case captured(AssetPosition)
    /// A record a province contributed (national bank).
    case contribution(ContributionPosition)
  }

  let position: Position

  init(_ position: Position) { self.position = position }

  /// The cursor a ``token`` names; nil for text that is not one.
  public init?(token: String) {
    var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
    guard token.count <= 512, let data = Data(base64Encoded: base64),
      let text = String(data: data, encoding: .utf8)
    else { return nil }
    let parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    switch (parts.first, parts.count) {
    case ("a", 3):
      guard let row = Int64(parts[2]) else { return nil }
      position = .asset(AssetPosition(key: parts[1], row: row))
    case ("t", 3):
      guard let row = Int64(parts[2]) else { return nil }
      position = .captured(AssetPosition(key: parts[1], row: row))
    case ("c", 4):
      position = .contribution(ContributionPosition(receivedAt: parts[1], source: parts[2], assetId: parts[3]))
    default:
      return nil
    }
  }

  /// The cursor as URL-safe text (base64url, no padding).
  public var token: String {
    let text =
      switch position {
      case .asset(let at): "a\n\(at.key)\n\(at.row)"
      case .captured(let at): "t\n\(at.key)\n\(at.row)"
      case .contribution(let at): "c\n\(at.receivedAt)\n\(at.source)\n\(at.assetId)"
      }
    return Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
  }
}

/// A page of the assets a filter matches.
public struct AssetPage: Sendable {
  /// The assets of the page, in the order asked for, at most the limit asked for.
  public var records: [AssetRecord]
  /// Where to read the next page from; nil when this page is the last.
  public var next: AssetCursor?
}

extension Library {
  /// The assets a page of a listing holds: at most `limit` assets that match `filter`, after
  /// `cursor` (from the start when nil), in `order` (when added, or when captured: an asset
  /// without a capture time comes first when oldest first, last when newest first), oldest first,
  /// or newest first. Throws when a value of the filter names nothing (see ``resolve(_:)``).
  ///
  /// The catalog reads the page from the index of the order with the filter's conditions
  /// (``Catalog/AssetQuery``), so a page costs about the same wherever it is in a bank of any
  /// size. On the national bank, the records are those the provinces contributed, each as its
  /// province sent it (with `sourceBank`), in the order received (by the second, then by source
  /// bank): an asset two provinces sent is there twice.
  ///
  /// With `texts`, the records carry only the texts of those fields, as in
  /// ``forEachAsset(matching:texts:_:)`` (`["title"]` for a grid of previews).
  public func assetPage(
    matching filter: AssetFilter, after cursor: AssetCursor? = nil, newestFirst: Bool = false,
    order: AssetOrder = .added, limit: Int, texts: Set<String>? = nil
  ) throws(MediaBankError) -> AssetPage {
    var records: [AssetRecord] = []
    var next: AssetCursor?
    var last: AssetCursor?
    // The page and one more asset, which says whether there is a next page, in one read.
    try scan(
      matching: filter, after: cursor, newestFirst: newestFirst, order: order, chunk: min(limit + 1, 1000), texts: texts
    ) { record, position in
      if records.count == limit {
        next = last
        return false
      }
      records.append(record)
      last = position
      return true
    }
    return AssetPage(records: records, next: next)
  }

  /// Calls `body` with each asset that matches `filter`, oldest first, reading the catalog a
  /// thousand assets at a time (their ids ten thousand at a time): memory stays the same whatever
  /// the bank's size. `body` returns false to stop. Throws when a value of the filter names
  /// nothing (see ``resolve(_:)``).
  ///
  /// With `texts`, the records of the bank's own assets carry only the texts of those fields
  /// (`["title"]` for a listing line, `[]` for a count by tags and dates), which reads faster.
  public func forEachAsset(
    matching filter: AssetFilter, texts: Set<String>? = nil, _ body: (AssetRecord) throws(MediaBankError) -> Bool
  ) throws(MediaBankError) {
    try forEachAsset(matching: filter, texts: texts, chunk: 1000, body)
  }

  /// ``forEachAsset(matching:texts:_:)`` reading the rows `chunk` assets at a time (tests read
  /// small banks in many chunks).
  func forEachAsset(
    matching filter: AssetFilter, texts: Set<String>?, chunk: Int,
    _ body: (AssetRecord) throws(MediaBankError) -> Bool
  ) throws(MediaBankError) {
    try scan(matching: filter, after: nil, newestFirst: false, chunk: chunk, texts: texts, readAhead: true) {
      record, _ throws(MediaBankError) in try body(record)
    }
  }

  /// Calls `body` with the id of each asset that matches `filter`, oldest first, until it
  /// returns false: read from the catalog's indexes alone when its conditions are exact (a kind,
  /// a pillar, a language…), else as ``forEachAsset(matching:texts:_:)`` reads the assets. On the
  /// national bank, an asset several provinces sent comes once per province.
  public func forEachAssetID(
    matching filter: AssetFilter, _ body: (String) throws(MediaBankError) -> Bool
  ) throws(MediaBankError) {
    let filter = try resolved(filter)
    guard let query = try exactQuery(for: filter) else {
      try forEachAsset(matching: filter, texts: []) { record throws(MediaBankError) in try body(record.id) }
      return
    }
    var position: AssetPosition?
    for size in sequence(first: 1000, next: { min($0 * 4, Self.idPage) }) {
      let page = try catalogCall { () throws(CatalogError) in
        try catalog.assetIDs(query, after: position, limit: size)
      }
      for (id, at) in page {
        guard try body(id) else { return }
        position = at
      }
      if page.count < size { return }
    }
  }

  /// Every asset that matches `filter`, oldest first (see ``forEachAsset(matching:texts:_:)``, which
  /// holds one chunk at a time).
  public func assets(matching filter: AssetFilter = AssetFilter()) throws(MediaBankError) -> [AssetRecord] {
    var records: [AssetRecord] = []
    try forEachAsset(matching: filter) { record in
      records.append(record)
      return true
    }
    return records
  }

  /// How many assets match `filter`: counted by the catalog when its conditions are exact (a
  /// kind, a pillar, a language…), else by reading the assets it selects.
  public func countAssets(matching filter: AssetFilter) throws(MediaBankError) -> Int {
    let resolved = try resolved(filter)
    if let query = try exactQuery(for: resolved) {
      return try catalogCall { () throws(CatalogError) in try catalog.countAssets(query) }
    }
    var count = 0
    try forEachAsset(matching: resolved) { _ in
      count += 1
      return true
    }
    return count
  }

  /// The catalog's conditions for a resolved `filter` when they select exactly its matches
  /// among the bank's own assets (not on the national bank, nor for a locality, a capture date or
  /// suggestions, which the full rule narrows); nil otherwise.
  private func exactQuery(for filter: AssetFilter) throws(MediaBankError) -> AssetQuery? {
    guard filter.sourceBank == nil, try identity().national != true else { return nil }
    let query = try query(for: filter)
    return query.isExact ? query : nil
  }

  /// Reads the assets that match `filter` after `cursor`, `chunk` at a time from the catalog, and
  /// calls `body` with each and its position until it returns false. With `readAhead` (a whole
  /// listing), the catalog reads the next chunk on a thread of its own while this one makes and
  /// hands out the records of the last: the two halves of a listing's time overlap.
  private func scan(
    matching filter: AssetFilter, after cursor: AssetCursor?, newestFirst: Bool, order: AssetOrder = .added, chunk: Int,
    texts: Set<String>? = nil, readAhead: Bool = false,
    _ body: (AssetRecord, AssetCursor) throws(MediaBankError) -> Bool
  ) throws(MediaBankError) {
    let filter = try resolved(filter)
    let national = try identity().national == true
    if filter.sourceBank != nil || national {
      guard order == .added else {
        throw MediaBankError(.invalidInput, "the national bank lists contributions in the order received only")
      }
      var position: ContributionPosition?
      if let cursor {
        guard case .contribution(let at) = cursor.position else { throw Self.foreignCursor }
        position = at
      }
      let query = Self.contributionQuery(for: filter)
      while true {
        let rows = try catalogCall { () throws(CatalogError) in
          try catalog.contributions(
            source: filter.sourceBank, matching: query, after: position, newestFirst: newestFirst, limit: chunk)
        }
        for row in rows {
          position = ContributionPosition(receivedAt: row.receivedAt, source: row.source, assetId: row.assetId)
          guard let record = Self.record(of: row), filter.matches(record) else { continue }
          guard try body(record, AssetCursor(.contribution(position!))) else { return }
        }
        if rows.count < chunk { return }
      }
    }
    var position: AssetPosition?
    if let cursor {
      switch (cursor.position, order) {
      case (.asset(let at), .added), (.captured(let at), .captured): position = at
      default: throw Self.foreignCursor
      }
    }
    /// The cursor of a position in this order.
    func cursorAt(_ at: AssetPosition) -> AssetCursor { AssetCursor(order == .captured ? .captured(at) : .asset(at)) }
    let query = try query(for: filter)
    let parents = try pillarParents()
    typealias Page = [(id: String, position: AssetPosition)]
    typealias Chunk = (page: Page, entries: [CatalogEntry])
    /// The ids of the `size` assets after `position`.
    @Sendable func page(after position: AssetPosition?, size: Int) throws(MediaBankError) -> Page {
      try catalogCall { () throws(CatalogError) in
        try catalog.assetIDs(query, after: position, newestFirst: newestFirst, order: order, limit: size)
      }
    }
    /// The rows of the assets of `page`.
    @Sendable func rows(of page: Page) throws(MediaBankError) -> Chunk {
      (page, try catalogCall { () throws(CatalogError) in try catalog.entries(ids: page.map(\.id), texts: texts) })
    }
    // A whole listing's first read is small, so that the first asset comes at once; then larger
    // ones. A page reads its chunk at once.
    let sizes = sequence(first: readAhead ? min(chunk, 50) : chunk) { min($0 * 4, chunk) }
    // A whole listing reads the ids in pages of up to ten thousand, each split into chunks for
    // the rows: a filter's condition is worked out once per page (a tag filter lists its tagged
    // assets from the index for each page), and ids take little memory.
    let idSizes = sequence(first: min(chunk, 50)) { min($0 * 4, max(chunk, Self.idPage)) }
    let chunks: Channel<Result<Chunk, MediaBankError>>? =
      !readAhead
      ? nil
      : .filled(capacity: 1) { [position] chunks in
        var position = position
        reading: for size in idSizes {
          let ids = Result { () throws(MediaBankError) in try page(after: position, size: size) }
          guard case .success(let ids) = ids else {
            chunks.send(ids.map { ($0, []) })
            return
          }
          for start in stride(from: 0, to: ids.count, by: chunk) {
            let result = Result { () throws(MediaBankError) in
              try rows(of: Array(ids[start..<min(start + chunk, ids.count)]))
            }
            chunks.send(result)
            if case .failure = result { break reading }
            if chunks.isClosed { break reading }
          }
          guard ids.count == size, let last = ids.last else { break }
          position = last.position
        }
      }
    var size = sizes.makeIterator()
    // The reader stops at its next chunk once this one stops.
    defer { chunks?.close() }
    while true {
      let chunk: Chunk
      if let chunks {
        guard let next = chunks.receive() else { return }
        chunk = try next.get()
      } else {
        let limit = size.next()!
        let ids = try page(after: position, size: limit)
        chunk = try rows(of: ids)
        position = ids.count == limit ? ids.last?.position : nil
      }
      let byID = Dictionary(chunk.entries.map { ($0.asset.id, $0) }, uniquingKeysWith: { first, _ in first })
      for (id, at) in chunk.page {
        // Deleted between the two reads: not listed.
        guard let entry = byID[id] else { continue }
        let record = AssetRecord(entry, parents: parents)
        guard filter.matches(record) else { continue }
        guard try body(record, cursorAt(at)) else { return }
      }
      if !readAhead && position == nil { return }
    }
  }

  /// The most ids a whole listing reads at once (``scan(matching:after:newestFirst:chunk:texts:readAhead:_:)``,
  /// ``forEachAssetID(matching:_:)``).
  static let idPage = 10_000

  private static let foreignCursor = MediaBankError(
    .invalidInput,
    "the cursor is of another listing (a bank's own assets by addition or by capture, or a national bank's contributions)"
  )

  /// The catalog's conditions for a resolved `filter` on the records contributed (national
  /// bank): its values as they are, as ``AssetFilter/matches(_:)`` holds them. A record's row in
  /// `contribution_tally` has its pillars' national pillars and its locality's province, so
  /// neither the bank's sub-pillars nor a province's communes are added.
  static func contributionQuery(for filter: AssetFilter) -> AssetQuery {
    AssetQuery(
      kind: filter.kind, pillars: filter.pillar.map { [$0] }, language: filter.language,
      localities: filter.locality.map { [$0] }, capturedFrom: filter.capturedFrom, capturedTo: filter.capturedTo,
      suggestedOnly: filter.suggestedOnly, sharedOnly: filter.sharedOnly, damagedOnly: filter.damagedOnly,
      retractedOnly: filter.retractedOnly)
  }

  /// The catalog's conditions for a resolved filter: its exact conditions, and for a locality the
  /// unit's code with the codes of its communes (the asset's locality is one of its tags).
  func query(for filter: AssetFilter) throws(MediaBankError) -> AssetQuery {
    var query = AssetQuery(
      kind: filter.kind, language: filter.language, capturedFrom: filter.capturedFrom, capturedTo: filter.capturedTo,
      suggestedOnly: filter.suggestedOnly, sharedOnly: filter.sharedOnly, damagedOnly: filter.damagedOnly,
      retractedOnly: filter.retractedOnly)
    if let pillar = filter.pillar {
      // A national pillar also matches the assets tagged with its local sub-pillars.
      query.pillars = [pillar] + (try pillarParents()).filter { $0.value == pillar }.keys.sorted()
    }
    if let locality = filter.locality {
      var codes = [locality]
      if locality.count == 2 {
        do {
          codes += try Gazetteer.shared().communes(inProvince: locality).map(\.code)
        } catch {
          throw MediaBankError("cannot load the locality data: \(error)", wrapping: error, code: .internal)
        }
      }
      query.localities = codes
    }
    return query
  }
}
