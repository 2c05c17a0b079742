import Taxonomy

/// The valid values closest to a value that is not one, for "did you mean" answers.
public enum Closest {
  /// One valid value: what to show, and the spellings it can be recognised by (a code, its
  /// names), compared folded (case, diacritics and punctuation ignored, `đ` is `d`).
  public struct Candidate: Sendable {
    public var shown: String
    public var keys: [String]

    public init(shown: String, keys: [String]) {
      self.shown = shown
      self.keys = keys
    }
  }

  /// The candidates closest to `text`, best first, at most `limit`: those that start with `text`
  /// (or that `text` starts with, as `vi-VN` with `vi`), then those with `text` as a later word
  /// (`landscape` in `tourism-landscape`), then the others by the fewest edits (Levenshtein
  /// distance between the folded spellings, a swap of two neighbours counting as one edit) to the
  /// whole spelling or to one of its words (`culturee` is one edit from `culture` in
  /// `culture-heritage`) if at most `within` edits (by default a quarter of the text's length, at
  /// least 1); ties in the candidates' order.
  public static func values(
    to text: String, among candidates: [Candidate], limit: Int = 3, within: Int? = nil
  ) -> [String] {
    let folded = VietnameseText.fold(text)
    guard !folded.isEmpty else { return [] }
    let allowed = within ?? max(1, folded.count / 4)
    var ranked: [(rank: Int, distance: Int, order: Int, shown: String)] = []
    for (order, candidate) in candidates.enumerated() {
      var best: (rank: Int, distance: Int)?
      for key in candidate.keys {
        let foldedKey = VietnameseText.fold(key)
        guard !foldedKey.isEmpty else { continue }
        let prefix = foldedKey.hasPrefix(folded) || (foldedKey.count >= 2 && folded.hasPrefix(foldedKey + " "))
        let inside = folded.count >= 3 && foldedKey.contains(" " + folded)
        let rank = prefix ? 0 : inside ? 1 : 2
        // Ranked by their whole spelling; the others by the nearest of it and its words.
        let words = rank == 2 ? foldedKey.split(separator: " ").map(String.init) : []
        let score = (rank, ([foldedKey] + (words.count > 1 ? words : [])).map { distance(folded, $0) }.min()!)
        if best.map({ score < ($0.rank, $0.distance) }) ?? true { best = score }
      }
      guard let best, best.rank < 2 || best.distance <= allowed else { continue }
      ranked.append((best.rank, best.distance, order, candidate.shown))
    }
    ranked.sort { ($0.rank, $0.distance, $0.order) < ($1.rank, $1.distance, $1.order) }
    var seen: Set<String> = []
    return ranked.map(\.shown).filter { seen.insert($0).inserted }.prefix(limit).map { $0 }
  }

  /// `a, b or c`; `a; b or c` when a value has a comma of its own.
  public static func alternatives(_ values: [String]) -> String {
    guard values.count > 1 else { return values.first ?? "" }
    let separator = values.contains { $0.contains(",") } ? "; " : ", "
    return values.dropLast().joined(separator: separator) + " or " + values.last!
  }

  /// The edit distance between `a` and `b`, by characters: insertions, deletions, substitutions
  /// and swaps of two neighbours (`vidoe` → `video`) count one each (optimal string alignment).
  static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var beforePrevious = Array(repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = Array(repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
        current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          current[j] = min(current[j], beforePrevious[j - 2] + 1)
        }
      }
      (beforePrevious, previous, current) = (previous, current, beforePrevious)
    }
    return previous[b.count]
  }
}
