import Catalog
import Foundation
import Taxonomy

/// A condition of an ``AssetFilter`` whose value names nothing the bank knows: an unknown
/// pillar code, language, place, kind or source bank, or a malformed date. Filtering by it would
/// silently match nothing, so ``Library/resolve(_:)`` reports it with the closest valid values.
public struct FilterProblem: Error, Equatable, Sendable, CustomStringConvertible {
  /// The condition concerned, named as the ``AssetFilter`` property.
  public enum Field: String, Sendable, Codable {
    case kind, pillar, language, locality, capturedFrom, capturedTo, sourceBank
  }

  public var field: Field
  /// The value as given.
  public var value: String
  /// Why it names nothing, e.g. `'tourism' is not a pillar code of this bank (vocabulary 2026.1)`.
  public var reason: String
  /// The closest valid values, best first, each with its name:
  /// `tourism-landscape (Du lịch và cảnh quan)`, `19 Tỉnh Thái Nguyên`.
  public var suggestions: [String]
  /// Where to find the valid values, e.g. `` `mediabank pillars` lists them ``.
  public var help: String?

  public init(field: Field, value: String, reason: String, suggestions: [String] = [], help: String? = nil) {
    self.field = field
    self.value = value
    self.reason = reason
    self.suggestions = suggestions
    self.help = help
  }

  /// The reason, then `did you mean a, b or c?`, or where to find the valid values.
  public var description: String {
    if !suggestions.isEmpty { return "\(reason); did you mean \(Closest.alternatives(suggestions))?" }
    return help.map { "\(reason); \($0)" } ?? reason
  }
}

/// A page of what a search found.
public struct SearchPage: Sendable {
  /// The best hits, at most the limit asked for.
  public var hits: [SearchHit]
  /// How many assets match in all (the words and the filter), or, when `totalIsExact` is false,
  /// how many at least.
  public var total: Int
  /// False when a filter was given and the words match more than
  /// ``Library/searchCountLimit`` assets: `total` then counts the matches among the best of them
  /// only (a lower bound), so that a common word costs no look at every asset.
  public var totalIsExact = true

  public init(hits: [SearchHit], total: Int, totalIsExact: Bool = true) {
    self.hits = hits
    self.total = total
    self.totalIsExact = totalIsExact
  }
}

extension Library {
  /// `filter` with every value checked against what the bank knows and written as its records
  /// hold it, or the first value that names nothing (with the closest valid ones).
  ///
  /// - `kind`: `photo`, `video` or `story` (any case).
  /// - `pillar`: a code of the vocabulary in force (a local sub-pillar included), a retired code,
  ///   or a code some asset of the bank is tagged with.
  /// - `language`: a well-formed BCP 47 tag in the shipped list of languages or one some asset is
  ///   tagged with (`ZH-hans` becomes `zh-Hans`).
  /// - `locality`: what `tag --locality` accepts, a code or a name, today's or former, that names
  ///   one unit (`Bắc Kạn` becomes `19`, the province that took it in).
  /// - `sourceBank`: a bank that sent records here or is trusted to (a province's code or name).
  /// - `capturedFrom`, `capturedTo`: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
  ///
  /// The outer error is the bank's own failure (the catalog cannot be read); the result's
  /// failure is the caller's value, a usage error.
  public func resolve(_ filter: AssetFilter) throws(MediaBankError) -> Result<AssetFilter, FilterProblem> {
    var resolved: AssetFilter
    switch filter.checked() {
    case .success(let checked): resolved = checked
    case .failure(let problem): return .failure(problem)
    }
    do {
      if let pillar = filter.pillar { resolved.pillar = try resolvePillar(pillar) }
      if let language = filter.language { resolved.language = try resolveLanguage(language) }
      if let locality = filter.locality { resolved.locality = try Self.resolveLocality(locality) }
      if let source = filter.sourceBank { resolved.sourceBank = try resolveSourceBank(source) }
    } catch let problem as FilterProblem {
      return .failure(problem)
    } catch let error as MediaBankError {
      throw error
    } catch {
      throw MediaBankError("\(error)", wrapping: error)
    }
    return .success(resolved)
  }

  /// `filter` resolved, or its problem as a ``MediaBankError``: a library call with a value that
  /// names nothing fails instead of matching nothing.
  func resolved(_ filter: AssetFilter) throws(MediaBankError) -> AssetFilter {
    switch try resolve(filter) {
    case .success(let resolved): return resolved
    case .failure(let problem): throw MediaBankError(problem.description, wrapping: problem)
    }
  }

  /// The best `limit` hits of ``search(_:filter:limit:)`` and how many assets match in all.
  /// Counting them costs a look at each match when a filter is given and the page is full: at
  /// most the best `countLimit` matches of the words are looked at (beyond, the total is a lower
  /// bound, `totalIsExact` false).
  public func searchPage(
    _ query: String, filter: AssetFilter = AssetFilter(), limit: Int = 20, countLimit: Int = searchCountLimit
  ) throws(MediaBankError) -> SearchPage {
    let filter = try resolved(filter)
    let hits = try search(query, filter: filter, limit: limit)
    guard hits.count >= limit else { return SearchPage(hits: hits, total: hits.count) }
    let national = try identity().national == true
    if filter.isEmpty {
      let total = try catalogCall { () throws(CatalogError) in
        national ? try catalog.searchContributionsCount(query) : try catalog.searchCount(query)
      }
      return SearchPage(hits: hits, total: total)
    }
    // Counting with a filter looks at each match: at most the best `searchCountLimit` of them.
    let cap = countLimit
    let total: Int
    let exact: Bool
    if national {
      let matches = try catalogCall { () throws(CatalogError) in
        try catalog.searchContributions(query, limit: cap + 1)
      }
      exact = matches.count <= cap
      var count = 0
      for match in matches {
        let row = try catalogCall { () throws(CatalogError) in
          try catalog.contribution(source: match.source, assetId: match.id)
        }
        if let row, let record = Self.record(of: row), filter.matches(record) { count += 1 }
      }
      total = count
    } else {
      let ids = try catalogCall { () throws(CatalogError) in try catalog.search(query, limit: cap + 1).map(\.id) }
      exact = ids.count <= cap
      let parents = try pillarParents()
      let entries = try catalogCall { () throws(CatalogError) in try catalog.entries(ids: ids) }
      total = entries.filter { filter.matches(AssetRecord($0, parents: parents)) }.count
    }
    return SearchPage(hits: hits, total: max(total, hits.count), totalIsExact: exact)
  }

  /// How many of the best matches of the words `searchPage` looks at to count the matches of a
  /// filter (beyond, it says "at least").
  public static let searchCountLimit = 2_000

  // MARK: Resolving each value

  private func resolvePillar(_ code: String) throws -> String {
    let pillars = try pillars()
    if let pillar = pillars.pillar(code) { return pillar.code }
    if try heldValues(facet: "pillar").contains(code) { return code }
    let candidates = (pillars.vocabulary.pillars + pillars.retired).map { pillar in
      Closest.Candidate(
        shown: "\(pillar.code) (\(pillar.vietnameseLabel))", keys: [pillar.code] + pillar.label.values.sorted())
    }
    // A label names its pillar ("Du lịch và cảnh quan"); else the codes and labels closest.
    var suggestions = pillars.vocabulary.match(code).map { ["\($0.code) (\($0.vietnameseLabel))"] } ?? []
    for suggestion in Closest.values(to: code, among: candidates) where !suggestions.contains(suggestion) {
      suggestions.append(suggestion)
    }
    throw FilterProblem(
      field: .pillar, value: code,
      reason: "'\(code)' is not a pillar code of this bank (vocabulary \(pillars.vocabulary.version))",
      suggestions: Array(suggestions.prefix(3)), help: "`mediabank pillars` lists them")
  }

  private func resolveLanguage(_ tag: String) throws -> String {
    let languages: Languages
    do {
      languages = try Languages.shared()
    } catch {
      throw MediaBankError("cannot load the list of languages: \(error)", wrapping: error, code: .internal)
    }
    let canonical = Languages.canonical(tag)
    if let canonical {
      if let known = languages.language(canonical) { return known.tag }
      let held = try heldValues(facet: "language")
      if let match = held.first(where: { $0.lowercased() == canonical.lowercased() }) { return match }
    }
    let candidates =
      languages.all.map { language in
        Closest.Candidate(
          shown: "\(language.tag) (\(language.vietnameseName))",
          keys: [
            language.tag, language.englishName, language.vietnameseName, Self.withoutTieng(language.vietnameseName),
          ])
      }
      + (try heldValues(facet: "language")).filter { languages.language($0) == nil }.sorted().map {
        Closest.Candidate(shown: $0, keys: [$0])
      }
    let reason =
      canonical == nil
      ? "'\(tag)' is not a BCP 47 language tag (e.g. vi, en, zh-Hans, tyz)"
      : "'\(tag)' is neither a language MediaBank knows nor one an asset of this bank is tagged with"
    throw FilterProblem(
      field: .language, value: tag, reason: reason, suggestions: Closest.values(to: tag, among: candidates))
  }

  /// `Tiếng Tày` → `Tày`: the name people type.
  private static func withoutTieng(_ name: String) -> String {
    name.hasPrefix("Tiếng ") ? String(name.dropFirst(6)) : name
  }

  private static func resolveLocality(_ text: String) throws -> String {
    switch try Localities.resolve(text) {
    case .resolved(let match):
      return match.code
    case .ambiguous(let candidates):
      throw FilterProblem(
        field: .locality, value: text,
        reason: "'\(text)' names \(candidates.count) units; give a code or add the province (\"commune, province\")",
        suggestions: candidates.prefix(5).map(\.unit))
    case .notFound:
      throw FilterProblem(
        field: .locality, value: text,
        reason: "'\(text)' is not a province or commune, today's or former",
        suggestions: try Localities.closest(to: text), help: "`mediabank locality resolve` explains what it reads")
    }
  }

  private func resolveSourceBank(_ text: String) throws -> String {
    let (trusted, received) = try catalogCall { () throws(CatalogError) in
      (try catalog.trustedBanks().map(\.bank), try catalog.receivedBundles().map(\.source))
    }
    let sources = Set(trusted + received).subtracting(["national"]).sorted()
    var code = text
    if !(text.utf8.count == 2 && text.utf8.allSatisfy { (0x30...0x39).contains($0) }),
      case .resolved(let match) = try Localities.resolve(text)
    {
      code = match.province.code
    }
    if sources.contains(code) { return code }
    guard !sources.isEmpty else {
      throw FilterProblem(
        field: .sourceBank, value: text,
        reason: "this bank has no records from other banks (the national bank receives the provinces' bundles)",
        suggestions: [])
    }
    throw FilterProblem(
      field: .sourceBank, value: text, reason: "no bank '\(text)' sends records to this bank",
      suggestions: sources.map { Localities.name(province: $0, commune: nil) })
  }

  /// The values of a facet (`pillar`, `language`) some asset is tagged with: the bank's own
  /// tags, or on the national bank the provinces' records (their language tags in lower case).
  private func heldValues(facet: String) throws(MediaBankError) -> Set<String> {
    let national = try identity().national == true
    return try catalogCall { () throws(CatalogError) in
      national ? try catalog.contributedTagValues(facet: facet) : Set(try catalog.tagCounts(facet: facet).keys)
    }
  }
}

extension AssetFilter {
  /// The filter with the values that need no bank checked: `kind` made lower case, the dates
  /// well formed; or the first that is not (``Library/resolve(_:)`` checks them too, then the
  /// values that need the bank).
  public func checked() -> Result<AssetFilter, FilterProblem> {
    var checked = self
    do {
      if let kind { checked.kind = try Self.checkKind(kind) }
      if let capturedFrom { try Self.checkDate(capturedFrom, field: .capturedFrom) }
      if let capturedTo { try Self.checkDate(capturedTo, field: .capturedTo) }
    } catch {
      return .failure(error)
    }
    return .success(checked)
  }

  private static let kinds = ["photo", "video", "story"]

  private static func checkKind(_ kind: String) throws(FilterProblem) -> String {
    let lowered = kind.lowercased()
    if kinds.contains(lowered) { return lowered }
    throw FilterProblem(
      field: .kind, value: kind, reason: "'\(kind)' is not a kind (photo, video or story)",
      suggestions: Closest.values(to: kind, among: kinds.map { Closest.Candidate(shown: $0, keys: [$0]) }))
  }

  private static func checkDate(_ text: String, field: FilterProblem.Field) throws(FilterProblem) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    let numbers = parts.map { Int($0) }
    let widths = [4, 2, 2]
    let ranges = [1...9999, 1...12, 1...31]
    let wellFormed =
      (1...3).contains(parts.count)
      && zip(parts, widths).allSatisfy { $0.count == $1 && $0.allSatisfy(\.isASCII) }
      && zip(numbers, ranges).allSatisfy { number, range in number.map(range.contains) ?? false }
    if wellFormed { return }
    // 2024-3-5 → 2024-03-05
    var suggestions: [String] = []
    if (1...3).contains(parts.count), let year = numbers.first ?? nil, (1000...9999).contains(year),
      zip(numbers.dropFirst(), ranges.dropFirst()).allSatisfy({ $0.map($1.contains) ?? false })
    {
      suggestions.append(
        ([String(year)] + numbers.dropFirst().map { String(format: "%02d", $0 ?? 0) }).joined(separator: "-"))
    }
    throw FilterProblem(
      field: field, value: text, reason: "'\(text)' is not a date (2024, 2024-03 or 2024-03-15)",
      suggestions: suggestions)
  }

  /// Whether no condition is given: every asset matches.
  var isEmpty: Bool {
    kind == nil && pillar == nil && language == nil && locality == nil && capturedFrom == nil && capturedTo == nil
      && !suggestedOnly && sourceBank == nil && !sharedOnly && !damagedOnly
  }
}
