import Catalog
import Foundation
import Taxonomy

/// An asset a search found, with the passage that matched.
public struct SearchHit: Codable, Equatable, Sendable {
  public var record: AssetRecord
  /// The title, description, keyword or paragraph of a story's text that matched best, the
  /// matching words in `**bold**`, cut to about 160 characters around the first match.
  public var snippet: String?
  /// FTS5's bm25 rank: lower is better.
  public var rank: Double
}

extension Library {
  /// The assets whose titles, descriptions, keywords (in any language) and story texts hold every
  /// word of `query`, best first (a match in a title, description or keyword weighs ten times one
  /// in a story's text), that also pass `filter`; at most `limit`. Case and diacritics are
  /// ignored and `đ` is `d`: `ho nui coc` finds `Hồ Núi Cốc`. Throws when a value of the filter
  /// names nothing the bank knows (see ``resolve(_:)``).
  ///
  /// On the national bank, the records the provinces contributed are searched instead (their
  /// titles, descriptions and keywords: the national bank does not read the stories' texts),
  /// each record as its province sent it, with `sourceBank`.
  public func search(_ query: String, filter: AssetFilter = AssetFilter(), limit: Int = 20) throws(MediaBankError)
    -> [SearchHit]
  {
    let words = Set(VietnameseText.fold(query).split(separator: " ").map(String.init))
    guard !words.isEmpty else { throw MediaBankError(.invalidInput, "the search has no words") }
    let filter = try resolved(filter)
    if try identity().national == true {
      return try rankedHits(limit: limit) { batch throws(CatalogError) in
        try catalog.searchContributions(query, limit: batch)
      } hit: { match throws(CatalogError) in
        guard let row = try catalog.contribution(source: match.source, assetId: match.id),
          let record = Self.record(of: row), filter.matches(record)
        else { return nil }
        return SearchHit(
          record: record, snippet: Self.snippet(of: record, words: words, query: query), rank: match.rank)
      }
    }
    let parents = try pillarParents()
    return try rankedHits(limit: limit) { batch throws(CatalogError) in
      try catalog.search(query, limit: batch)
    } hit: { match throws(CatalogError) in
      guard let entry = try catalog.entry(match.id) else { return nil }
      let record = AssetRecord(entry, parents: parents)
      guard filter.matches(record) else { return nil }
      let body = record.kind == "story" ? try catalog.storyBody(record.id) : nil
      return SearchHit(
        record: record, snippet: Self.snippet(of: record, body: body, words: words, query: query), rank: match.rank)
    }
  }

  /// The first `limit` hits of a ranked search: the best `batch` matches are asked for in growing
  /// batches, each new one turned into a hit (nil when the filter refuses it), until enough pass
  /// or there are no more matches.
  private func rankedHits<Match>(
    limit: Int, matches: (Int) throws(CatalogError) -> [Match], hit: (Match) throws(CatalogError) -> SearchHit?
  ) throws(MediaBankError) -> [SearchHit] {
    var hits: [SearchHit] = []
    var fetched = 0
    var batch = max(limit * 4, 100)
    while hits.count < limit {
      let found = try catalogCall { () throws(CatalogError) in try matches(batch) }
      for match in found.dropFirst(fetched) {
        guard let next = try catalogCall({ () throws(CatalogError) in try hit(match) }) else { continue }
        hits.append(next)
        if hits.count == limit { break }
      }
      if found.count < batch { break }
      fetched = found.count
      batch *= 4
    }
    return hits
  }

  /// The text of `record` holding the most of `words` (folded, each counted once), with those
  /// words in bold; on a tie, the one that has more of them as `query` writes them (with its
  /// diacritics), then the
  /// first (titles, then descriptions, each by language, then keywords, then the paragraphs of
  /// a story's `body`).
  static func snippet(of record: AssetRecord, body: String? = nil, words: Set<String>, query: String) -> String? {
    func sorted(_ map: [String: String]?) -> [String] { (map ?? [:]).sorted { $0.key < $1.key }.map(\.value) }
    let paragraphs = (body ?? "").split(separator: "\n\n").map {
      $0.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
    let texts = sorted(record.title) + sorted(record.description) + (record.keywords ?? []) + paragraphs
    let written = Set(query.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
    var best: (text: String, hits: Int, exact: Int, first: Int)?
    for text in texts {
      // The query's words the text holds (folded), and those it holds as the query writes them.
      var matched: Set<String> = []
      var matchedAsWritten: Set<String> = []
      var first = -1
      var marked: [String] = []
      for (index, word) in text.split(separator: " ").enumerated() {
        let folded = VietnameseText.fold(String(word)).split(separator: " ")
        let found = folded.map(String.init).filter(words.contains)
        if !found.isEmpty {
          matched.formUnion(found)
          let plain = word.lowercased().filter { $0.isLetter || $0.isNumber }
          if written.contains(plain) { matchedAsWritten.insert(plain) }
          if first < 0 { first = marked.joined(separator: " ").count + (index > 0 ? 1 : 0) }
          // Bold the letters and digits, not the punctuation around them: `**Rồng**,`.
          let isWordCharacter = { (character: Character) in character.isLetter || character.isNumber }
          let start = word.firstIndex(where: isWordCharacter) ?? word.startIndex
          let end = word.lastIndex(where: isWordCharacter).map { word.index(after: $0) } ?? word.endIndex
          marked.append("\(word[..<start])**\(word[start..<end])**\(word[end...])")
        } else {
          marked.append(String(word))
        }
      }
      let (hits, exact) = (matched.count, matchedAsWritten.count)
      if hits > 0, (hits, exact) > (best?.hits ?? 0, best?.exact ?? 0) {
        best = (marked.joined(separator: " "), hits, exact, first)
      }
      // Every word, as written: no later text can do better (a long story need not be read on).
      if let best, best.hits >= words.count, best.exact >= written.count { break }
    }
    guard let best else { return nil }
    guard best.text.count > 160 else { return best.text }
    let start = best.text.index(best.text.startIndex, offsetBy: max(0, best.first - 40))
    let end = best.text.index(start, offsetBy: min(160, best.text.distance(from: start, to: best.text.endIndex)))
    return (start > best.text.startIndex ? "…" : "") + best.text[start..<end] + (end < best.text.endIndex ? "…" : "")
  }
}
