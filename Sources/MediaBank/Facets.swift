import Catalog
import Taxonomy

/// How many of the assets a filter selects have each value of each facet: the counts beside the
/// filters of the web library. An asset counts once in each value it has: under every pillar it
/// is tagged with (a local sub-pillar under its own code and its national pillar's), every
/// language, its province and commune (its locality: the tag of its most trusted source), the
/// year of its capture (else the year its folders name). Values no asset has are left out.
public struct FacetCounts: Codable, Equatable, Sendable {
  /// One value of a facet, with its names where the bank knows them.
  public struct Value: Codable, Equatable, Sendable {
    /// What a filter takes: a kind, a pillar code, a language tag, a province or commune code, a year.
    public var key: String
    public var labelVi: String?
    public var labelEn: String?
    /// For a local sub-pillar, its national pillar; for a commune, its province.
    public var parent: String?
    public var count: Int
  }

  /// How many assets the filter selects.
  public var total = 0
  /// `photo`, `video`, `story`, most assets first.
  public var kinds: [Value] = []
  /// In the vocabulary's order, each national pillar followed by its sub-pillars; then retired
  /// codes that assets still carry.
  public var pillars: [Value] = []
  /// By language tag in lower case, most assets first.
  public var languages: [Value] = []
  /// By today's province code, most assets first.
  public var provinces: [Value] = []
  /// By today's commune code, most assets first.
  public var communes: [Value] = []
  /// By year of capture, the latest first.
  public var captureYears: [Value] = []
  /// On the national bank: by the province that sent the record, most records first (a record of
  /// an asset that several provinces sent counts for each).
  public var sources: [Value] = []
  /// Assets with at least one suggested (unconfirmed) tag.
  public var suggested = 0
  public var retracted = 0
  public var damaged = 0

  public init() {}
}

/// The counts of ``FacetCounts`` as they are made, by key: the catalog's for the records
/// contributed, the library's for its own assets.
extension FacetTally {
  /// Counts `count` assets that have these values.
  mutating func add(_ asset: FacetValues, count: Int = 1) {
    total += count
    kinds[asset.kind, default: 0] += count
    for pillar in asset.pillars { pillars[pillar, default: 0] += count }
    for language in asset.languages { languages[language, default: 0] += count }
    if let locality = asset.locality {
      provinces[locality.province, default: 0] += count
      if let commune = locality.commune { communes[commune, default: 0] += count }
    }
    if let year = asset.captureYear { captureYears[year, default: 0] += count }
    if let source = asset.source { sources[source, default: 0] += count }
    if asset.suggested { suggested += count }
    if asset.retracted { retracted += count }
    if asset.damaged { damaged += count }
  }

  /// The counts with their names: `pillars` is the bank's vocabulary.
  func labelled(pillars bankPillars: BankPillars) -> FacetCounts {
    var counts = FacetCounts()
    counts.total = total
    counts.suggested = suggested
    counts.retracted = retracted
    counts.damaged = damaged
    typealias Names = (vi: String?, en: String?, parent: String?)
    func values(_ table: [String: Int], names: (String) -> Names) -> [FacetCounts.Value] {
      table.map { key, count in
        let name = names(key)
        return FacetCounts.Value(key: key, labelVi: name.vi, labelEn: name.en, parent: name.parent, count: count)
      }.sorted { ($0.count, $1.key) > ($1.count, $0.key) }
    }
    counts.kinds = values(kinds) { (BankReport.kindLabels[$0]?.vi, BankReport.kindLabels[$0]?.en, nil) }
    let vocabulary = bankPillars.vocabulary
    let known = vocabulary.topLevel.flatMap { [$0] + vocabulary.subPillars(of: $0.code) } + bankPillars.retired
    counts.pillars = known.compactMap { pillar in
      pillars[pillar.code].map {
        FacetCounts.Value(
          key: pillar.code, labelVi: pillar.vietnameseLabel, labelEn: pillar.englishLabel, parent: pillar.parent,
          count: $0)
      }
    }
    let languageNames = try? Languages.shared()
    counts.languages = values(languages) { tag in
      let names = languageNames?.name(of: tag)
      return (names?.vietnamese, names?.english, nil)
    }
    let gazetteer = try? Gazetteer.shared()
    counts.provinces = values(provinces) { code in
      let province = gazetteer?.province(code: code)
      return (province?.name, province?.englishName, nil)
    }
    counts.communes = values(communes) { code in
      let commune = gazetteer?.commune(code: code)
      return (commune?.name, commune?.englishName, commune?.provinceCode)
    }
    counts.captureYears = captureYears.map { FacetCounts.Value(key: String($0), count: $1) }.sorted { $0.key > $1.key }
    counts.sources = values(sources) { code in
      let province = gazetteer?.province(code: code)
      return (province?.name, province?.englishName, nil)
    }
    return counts
  }
}

extension AssetRecord.Pillar {
  /// Its code, and for a local sub-pillar the national pillar's: the codes it counts under.
  var codes: [String] { [code] + (parent.map { [$0] } ?? []) }
}

/// What the facets of one asset (or of a tally of alike assets) are.
struct FacetValues {
  var kind: String
  /// Tagged codes (any source), with the national pillar of each local sub-pillar.
  var pillars: Set<String>
  var languages: Set<String>
  var locality: AssetRecord.Locality?
  var captureYear: Int?
  var suggested: Bool
  var retracted: Bool
  var damaged: Bool
  /// The province that sent the record (the national bank's contributions).
  var source: String? = nil

  init(_ record: AssetRecord) {
    kind = record.kind
    pillars = Set((record.pillars ?? []).flatMap(\.codes))
    languages = Set((record.languages ?? []).map { $0.tag.lowercased() })
    locality = record.locality
    captureYear = BankReport.captureYear(of: record)
    suggested =
      (record.pillars ?? []).contains { !$0.confirmed } || (record.languages ?? []).contains { !$0.confirmed }
      || record.locality?.confirmed == false
    retracted = record.retraction != nil
    damaged = record.damaged != nil
    source = record.sourceBank
  }

  init(_ tally: AssetTally, parents: [String: String]) {
    kind = tally.kind
    let pillarTags = tally.tags.filter { $0.facet == "pillar" }
    pillars = Set(pillarTags.flatMap { [$0.value] + (parents[$0.value].map { [$0] } ?? []) })
    languages = Set(tally.tags.filter { $0.facet == "language" }.map { $0.value.lowercased() })
    locality = AssetRecord.locality(tally.tags.filter { $0.facet == "locality" })
    captureYear = tally.captureYear
    suggested = tally.tags.contains { $0.facet != "locality" && !$0.confirmed } || locality?.confirmed == false
    retracted = tally.retractedYear != nil
    damaged = tally.damaged
  }

  /// Whether the conditions of `filter` that the catalog answers with a superset hold: the
  /// locality, the years of capture (by year), suggestions.
  func narrows(_ filter: AssetFilter) -> Bool {
    if let code = filter.locality {
      guard let locality, locality.province == code || locality.commune == code else { return false }
    }
    if filter.capturedFrom != nil || filter.capturedTo != nil {
      guard let year = captureYear.map(String.init) else { return false }
      if let from = filter.capturedFrom, year < from.prefix(4) { return false }
      if let to = filter.capturedTo, year > to.prefix(4) { return false }
    }
    return !filter.suggestedOnly || suggested
  }
}

extension Library {
  /// The counts of each facet's values among the assets that `filter` selects (a whole bank of
  /// any size: the catalog reads one short key per asset, and alike assets are counted once).
  /// Capture dates count by year. On the national bank, the catalog counts the contributions'
  /// records from what it keeps of each (`contribution_tally`). Throws when a value of the filter names nothing (see ``resolve(_:)``).
  public func facets(matching filter: AssetFilter) throws(MediaBankError) -> FacetCounts {
    let filter = try resolved(filter)
    var counts = FacetTally()
    let national = try identity().national == true
    if filter.sourceBank != nil || national {
      let tallied = try catalogCall { () throws(CatalogError) in
        try catalog.contributionFacets(Self.contributionQuery(for: filter), source: filter.sourceBank)
      }
      return tallied.labelled(pillars: try pillars())
    }
    let query = try query(for: filter)
    let parents = try pillarParents()
    try catalogCall { () throws(CatalogError) in
      try catalog.forEachTally(addedBefore: nil, matching: query, yearInFolder: AssetRecord.year(inFolder:)) { tally in
        let values = FacetValues(tally, parents: parents)
        if values.narrows(filter) { counts.add(values, count: tally.count) }
      }
    }
    return counts.labelled(pillars: try pillars())
  }

  /// The counts of each facet's values among `records` (what a search found).
  public func facets(of records: [AssetRecord]) throws(MediaBankError) -> FacetCounts {
    var counts = FacetTally()
    for record in records { counts.add(FacetValues(record)) }
    return counts.labelled(pillars: try pillars())
  }

  /// A value that changes whenever the bank's assets, tags or texts change (an import, an edit,
  /// a retraction, a deletion): counts made under one mark stay right while it is the same.
  public func changeMark() throws(MediaBankError) -> String {
    try catalogCall { () throws(CatalogError) in try catalog.changeMark() }
  }
}
