import Hummingbird
import MediaBank

/// What the library page and `GET /api/v1/assets` are asked for, read from the URL's query, so
/// that a link holds the whole state: `q` (a search), `kind`, `pillar`, `lang`, `locality`,
/// `year` (of capture), `suggested=1`, `damaged=1`, `retracted=1` (only the retracted) or
/// `shared=1` (none of them), `order` (`newest` or `oldest` added, the default `newest`;
/// `captured` or `captured-oldest`: by capture time), `after` (a cursor) and `limit` (1 to 200;
/// 100).
struct LibraryQuery: Sendable {
  var text: String?
  var filter = AssetFilter()
  var newestFirst = true
  /// When the assets were added (the default), or captured.
  var order = AssetOrder.added
  var cursor: AssetCursor?
  var limit = 100

  /// What a page or a page of the API found: its records, and the cursor of the next page (none
  /// for a search, which gives its best matches).
  struct Result: Sendable {
    var records: [AssetRecord]
    var next: AssetCursor?
  }

  init(_ request: Request) throws(MediaBankError) {
    let parameters = Form(query: request)
    func value(_ name: String) throws(MediaBankError) -> String? {
      guard let raw = parameters[name] else { return nil }
      guard raw.utf8.count <= 200 else { throw MediaBankError(.invalidInput, "\(name) is too long") }
      let text = raw.trimmingCharacters(in: .whitespaces)
      return text.isEmpty ? nil : text
    }
    text = try value("q")
    filter.kind = try value("kind")
    filter.sourceBank = try value("source")
    if let source = filter.sourceBank, source.utf8.count != 2 || !source.utf8.allSatisfy({ (0x30...0x39).contains($0) })
    {
      throw MediaBankError(.invalidInput, "source is a province's 2-digit code (19)")
    }
    if let kind = filter.kind, !["photo", "video", "story"].contains(kind) {
      throw MediaBankError(.invalidInput, "kind is photo, video or story")
    }
    filter.pillar = try value("pillar")
    filter.language = try value("lang")
    filter.locality = try value("locality")
    if let year = try value("year") {
      guard year.utf8.count == 4, Int(year) != nil else {
        throw MediaBankError(.invalidInput, "year is a year, e.g. 2024")
      }
      filter.capturedFrom = year
      filter.capturedTo = year
    }
    func flag(_ name: String) throws(MediaBankError) -> Bool {
      switch try value(name) {
      case nil, "0": return false
      case "1": return true
      default: throw MediaBankError(.invalidInput, "\(name) is 1 or 0")
      }
    }
    filter.suggestedOnly = try flag("suggested")
    filter.damagedOnly = try flag("damaged")
    filter.retractedOnly = try flag("retracted")
    filter.sharedOnly = try flag("shared")
    switch try value("order") {
    case nil, "newest": (order, newestFirst) = (.added, true)
    case "oldest": (order, newestFirst) = (.added, false)
    case "captured": (order, newestFirst) = (.captured, true)
    case "captured-oldest": (order, newestFirst) = (.captured, false)
    default: throw MediaBankError(.invalidInput, "order is newest, oldest, captured or captured-oldest")
    }
    if let token = try value("after") {
      guard let cursor = AssetCursor(token: token) else { throw MediaBankError(.invalidInput, "after is not a cursor") }
      self.cursor = cursor
    }
    if let limit = try value("limit") {
      guard let number = Int(limit), (1...200).contains(number) else {
        throw MediaBankError(.invalidInput, "limit is a number from 1 to 200")
      }
      self.limit = number
    }
  }

  /// Reads the page from `library`: whole records, or with `titlesOnly` (a grid of previews)
  /// records whose only texts are their titles.
  func run(on library: Library, titlesOnly: Bool = false) throws(MediaBankError) -> Result {
    if let text {
      return Result(records: try library.search(text, filter: filter, limit: limit).map(\.record), next: nil)
    }
    let page = try library.assetPage(
      matching: filter, after: cursor, newestFirst: newestFirst, order: order, limit: limit,
      texts: titlesOnly ? ["title"] : nil)
    return Result(records: page.records, next: page.next)
  }

  /// The `order` parameter of this query: `newest`, `oldest`, `captured` or `captured-oldest`.
  var orderName: String {
    switch (order, newestFirst) {
    case (.added, true): "newest"
    case (.added, false): "oldest"
    case (.captured, true): "captured"
    case (.captured, false): "captured-oldest"
    }
  }

  /// What the facet counts of this query depend on: its filter, and its words when it searches.
  var facetKey: String {
    link(["order": nil, "after": nil])
  }

  /// The query string of this query with `changes` applied (nil removes a parameter), for links.
  func link(_ changes: [String: String?] = [:]) -> String {
    var pairs: [(String, String?)] = [
      ("q", text), ("source", filter.sourceBank), ("kind", filter.kind), ("pillar", filter.pillar),
      ("lang", filter.language),
      ("locality", filter.locality), ("year", filter.capturedFrom), ("suggested", filter.suggestedOnly ? "1" : nil),
      ("damaged", filter.damagedOnly ? "1" : nil), ("retracted", filter.retractedOnly ? "1" : nil),
      ("shared", filter.sharedOnly ? "1" : nil), ("order", orderName == "newest" ? nil : orderName),
      ("after", cursor?.token),
    ]
    for (index, pair) in pairs.enumerated() where changes.keys.contains(pair.0) { pairs[index].1 = changes[pair.0]! }
    return "/" + queryString(pairs)
  }
}
