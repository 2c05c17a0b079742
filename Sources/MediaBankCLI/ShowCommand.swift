import ArgumentParser
import MediaBank

struct ShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Show one asset.",
    discussion: """
      The id may be abbreviated to any unambiguous prefix of 4 or more hex digits. A story shows \
      the story it translates and the other stories of its translation group, with their languages. \
      The last three changes people made to the asset close the list (`mediabank history ID` has \
      them all).

      On the national bank, an asset is shown as each province sent it: one block per province, \
      with its title, tags and locality, headed by the province and when it was received; \
      --source-bank 19 shows Thái Nguyên's record only. --json prints one asset record, except on \
      the national bank without --source-bank: an array of records, one per province (even when \
      one province sent it), each with its `sourceBank`.
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("The asset id (sha256:<hex> or a prefix).", valueName: "id"))
  var id: String

  @Option(
    name: .customLong("source-bank"),
    help: ArgumentHelp("On the national bank: the record this province sent (e.g. 19).", valueName: "code"))
  var sourceBank: String?

  @Flag(help: "Print the asset record as JSON (on the national bank, an array of them without --source-bank).")
  var json = false

  func run() throws {
    let library = try bankOptions.open(create: false)
    let national = try fatalOnError { try library.identity().national == true }
    var source: String?
    if let sourceBank {
      switch try fatalOnError({ try library.resolve(AssetFilter(sourceBank: sourceBank)) }) {
      case .success(let filter): source = filter.sourceBank
      case .failure(let problem):
        printError(say(.error("--source-bank: \(Terminal.safe(problem.description))")))
        throw ExitCode.validationFailure
      }
    }
    let records = try fatalOnError { try library.records(of: id, sourceBank: source) }
    if json {
      if national && source == nil && records.first?.sourceBank != nil {
        try printJSON(records)
      } else {
        try printJSON(records[0])
      }
      return
    }
    if records.count > 1 {
      let banks = records.compactMap(\.sourceBank).joined(separator: ", ")
      print(say(.sentByBanks(id: records[0].id, banks: records.count, codes: banks)))
    }
    print(records.map(AssetFormatter.details).joined(separator: "\n\n"))
    // The last changes people made; `history` has them all.
    let changes = (try? library.history(records[0].id)) ?? []
    if !changes.isEmpty {
      print(say(.recentChanges(count: changes.count, id: String(records[0].id.prefix(19)))))
      for change in changes.suffix(3) { print("    " + HistoryFormatter.line(change)) }
    }
  }
}

struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List the assets of the bank, oldest first.",
    discussion: """
      Each line gives the short id, kind, pixel size, capture date, title (else the file name), \
      the locality with its names, and `[retracted]` for an asset the bank no longer shares. \
      Filters combine with AND. --locality takes what `tag --locality` takes: a code or a name, \
      today's or former (`--locality "Bắc Kạn"` lists province 19, which took it in), and matches \
      an asset whose locality is that unit or inside it. A pillar, language, place, kind or \
      source bank that names nothing the bank knows is a usage error that names the closest valid \
      values. --ids prints the full ids alone, one a line, to pipe into `tag`, `retract`…: \
      `mediabank list --pillar tourism-landscape --ids | xargs mediabank retract --reason "…"`. \
      On the national bank, the records are those the provinces sent, each as its province said \
      it, and each line gives the source bank after the id: an asset two provinces sent is listed \
      twice, once per province (`--ids` gives it once).

      When --limit cuts the list, it ends with `showing 20 of 33; --limit N for more` (on standard \
      error after --json or --ids). Exit status: 0 when some asset matched, 1 when none did (as \
      grep), 2 on a fatal error, 64 on a usage error (an unknown value among them).
      """)

  @OptionGroup var bankOptions: BankOptions

  @OptionGroup var filterOptions: FilterOptions

  @Option(help: ArgumentHelp("At most this many assets (default: all).", valueName: "n"))
  var limit: Int?

  @Flag(help: "Print the full ids only, one a line.")
  var ids = false

  @Flag(help: "Print a JSON array of asset records.")
  var json = false

  func validate() throws {
    if let limit, limit <= 0 { throw ValidationError("--limit must be positive") }
    if ids && json { throw ValidationError("give --ids or --json, not both") }
  }

  /// Prints each asset as it is read from the catalog: the first line comes at once, and memory
  /// stays the same whatever the bank's size.
  func run() throws {
    let library = try bankOptions.open(create: false)
    let filter = try filterOptions.filter(in: library)
    var shown = 0
    var cut = false
    var array = json ? JSONArrayPrinter<AssetRecord>() : nil
    func take() -> Bool {
      if let limit, shown == limit {
        cut = true
        return false
      }
      shown += 1
      return true
    }
    try fatalOnError {
      if ids {
        // The national bank lists an asset once per province that sent it: its id once.
        var printed: Set<String> = []
        let national = try library.identity().national == true
        try library.forEachAssetID(matching: filter) { id in
          guard !national || printed.insert(id).inserted else { return true }
          guard take() else { return false }
          print(id)
          return true
        }
        return
      }
      // A line shows the title; JSON all the texts.
      try library.forEachAsset(matching: filter, texts: json ? nil : ["title"]) { record in
        guard take() else { return false }
        if array != nil {
          array?.print(record)
        } else {
          print(AssetFormatter.line(record))
        }
        return true
      }
    }
    array?.finish()
    let total = cut ? try fatalOnError { try library.countAssets(matching: filter) } : shown
    try Listing.finish(shown: shown, total: total, forPeople: !json && !ids)
  }
}

/// The filters `list` and `search` share.
struct FilterOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Only assets of this kind (photo, video, story).", valueName: "kind"))
  var kind: String?

  @Option(
    help: ArgumentHelp(
      "Only assets tagged with this pillar (a national pillar includes its sub-pillars).", valueName: "code"))
  var pillar: String?

  @Option(help: ArgumentHelp("Only assets tagged with this language (vi, en, zh-Hans, tyz…).", valueName: "tag"))
  var lang: String?

  @Option(
    help: ArgumentHelp(
      "Only assets in this province or commune: a code or a name, today's or former (19, \"Bắc Kạn\").",
      valueName: "place"))
  var locality: String?

  @Option(
    help: ArgumentHelp("Only assets captured on or after this date (2024, 2024-03, 2024-03-15).", valueName: "date"))
  var capturedFrom: String?

  @Option(help: ArgumentHelp("Only assets captured on or before this date.", valueName: "date"))
  var capturedTo: String?

  @Flag(help: "Only assets with a suggested tag (not yet confirmed).")
  var suggestedOnly = false

  @Flag(help: "Only assets the bank shares (not retracted).")
  var sharedOnly = false

  @Flag(help: "Only damaged photos: kept although their pixel data is truncated or corrupt.")
  var damaged = false

  @Option(
    name: .customLong("source-bank"),
    help: ArgumentHelp("On the national bank: only the records this province sent (e.g. 19).", valueName: "code"))
  var sourceBank: String?

  var given: AssetFilter {
    AssetFilter(
      kind: kind, pillar: pillar, language: lang, locality: locality, capturedFrom: capturedFrom,
      capturedTo: capturedTo, suggestedOnly: suggestedOnly, sourceBank: sourceBank, sharedOnly: sharedOnly,
      damagedOnly: damaged)
  }

  /// A kind or a date that is not one is a usage error before any bank is opened.
  func validate() throws {
    if case .failure(let problem) = given.checked() { throw ValidationError(Self.message(problem)) }
  }

  /// The filter with its values resolved in the bank (a place's name made its code); a value that
  /// names nothing the bank knows is a usage error (exit status 64) that names the closest valid
  /// ones.
  func filter(in library: Library) throws -> AssetFilter {
    switch try fatalOnError({ try library.resolve(given) }) {
    case .success(let filter):
      return filter
    case .failure(let problem):
      printError(say(.error("\(Self.message(problem))")))
      throw ExitCode.validationFailure
    }
  }

  /// `--pillar: 'tourism' is not a pillar code…; did you mean tourism-landscape (…)?`
  private static func message(_ problem: FilterProblem) -> String {
    "\(option[problem.field] ?? problem.field.rawValue): \(Terminal.safe(problem.description))"
  }

  private static let option: [FilterProblem.Field: String] = [
    .kind: "--kind", .pillar: "--pillar", .language: "--lang", .locality: "--locality",
    .capturedFrom: "--captured-from", .capturedTo: "--captured-to", .sourceBank: "--source-bank",
  ]
}

/// How `list` and `search` end.
enum Listing {
  /// Each id once, one a line, nothing else.
  static func printIDs(_ ids: [String]) {
    var seen: Set<String> = []
    for id in ids where seen.insert(id).inserted { print(id) }
  }

  /// Says when the limit left some out (`showing 20 of 33; --limit N for more`: on standard
  /// output for people, else on standard error so that JSON and ids stay clean), and exits with
  /// status 1 when nothing matched, as grep does.
  static func finish(shown: Int, total: Int, exact: Bool = true, forPeople: Bool) throws {
    if total == 0 {
      if forPeople { print(say(.noAssetMatches)) }
      throw Status.noMatch
    }
    guard shown < total else { return }
    let note = say(.showing(shown: shown, total: total, exact: exact))
    if forPeople { print(note) } else { printError(note) }
  }
}

struct SearchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "Find assets by the words of their titles, descriptions, keywords and story texts.",
    discussion: """
      Every word must occur, in any language and any of those fields; case and diacritics are \
      ignored and đ is d, so `ho nui coc` finds Hồ Núi Cốc. Results are ranked (SQLite FTS5, bm25; \
      a word in a title, description or keyword weighs ten times one in a story's text), each \
      with the passage that matched, the matching words in **bold**. The filters of `list` apply \
      too, and an unknown value among them is a usage error naming the closest valid values. \
      --ids prints the full ids alone, one a line. On the national bank, the records the \
      provinces sent are searched (--source-bank 19), and each line gives the source bank after \
      the id.

      When --limit cuts the results, they end with `showing 20 of 33; --limit N for more` (on \
      standard error after --json or --ids); with a filter and words that match more than 2,000 \
      assets, the count is of the best 2,000 only (`showing 20 of at least 568`). Exit status: 0 when some asset matched, 1 when none \
      did (as grep), 2 on a fatal error, 64 on a usage error.
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("The words to find.", valueName: "words"))
  var words: [String]

  @OptionGroup var filterOptions: FilterOptions

  @Option(help: ArgumentHelp("At most this many results.", valueName: "n"))
  var limit = 20

  @Flag(help: "Print the full ids only, one a line, best first.")
  var ids = false

  @Flag(help: "Print [{record, snippet, rank}] as JSON.")
  var json = false

  func validate() throws {
    guard limit > 0 else { throw ValidationError("--limit must be positive") }
    guard words.joined().contains(where: { $0.isLetter || $0.isNumber }) else {
      throw ValidationError("give words to find (letters or digits)")
    }
    if ids && json { throw ValidationError("give --ids or --json, not both") }
  }

  func run() throws {
    let library = try bankOptions.open(create: false)
    let filter = try filterOptions.filter(in: library)
    let page = try fatalOnError {
      try library.searchPage(words.joined(separator: " "), filter: filter, limit: limit)
    }
    if json {
      try printJSON(page.hits)
    } else if ids {
      Listing.printIDs(page.hits.map(\.record.id))
    } else {
      for hit in page.hits {
        print(AssetFormatter.line(hit.record))
        if let snippet = hit.snippet { print("    \(Terminal.safe(snippet))") }
      }
    }
    try Listing.finish(shown: page.hits.count, total: page.total, exact: page.totalIsExact, forPeople: !json && !ids)
  }
}
