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
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("The asset id (sha256:<hex> or a prefix).", valueName: "id"))
  var id: String

  @Flag(help: "Print the asset record as JSON.")
  var json = false

  func run() throws {
    let library = try bankOptions.open(create: false)
    let record = try fatalOnError { try library.asset(id) }
    if json {
      try printJSON(record)
    } else {
      print(AssetFormatter.details(record))
      // The last changes people made; `history` has them all.
      let changes = (try? library.history(record.id)) ?? []
      if !changes.isEmpty {
        print("  changes           \(plural(changes.count, "change")) (mediabank history \(record.id.prefix(19)))")
        for change in changes.suffix(3) { print("    " + HistoryFormatter.line(change)) }
      }
    }
  }
}

struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List the assets of the bank, oldest first.",
    discussion: """
      Filters combine with AND. --locality matches an asset whose locality is that unit or inside it. \
      On the national bank, the records are those the provinces sent, each as its province said it \
      (an asset two provinces sent is listed twice, with its `sourceBank`).
      """)

  @OptionGroup var bankOptions: BankOptions

  @OptionGroup var filterOptions: FilterOptions

  @Flag(help: "Print a JSON array of asset records.")
  var json = false

  func run() throws {
    let library = try bankOptions.open(create: false)
    let records = try fatalOnError { try library.assets(matching: filterOptions.filter) }
    if json {
      try printJSON(records)
    } else {
      for record in records { print(AssetFormatter.line(record)) }
    }
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

  @Option(help: ArgumentHelp("Only assets tagged with this language.", valueName: "tag"))
  var lang: String?

  @Option(help: ArgumentHelp("Only assets in this province or commune (code).", valueName: "code"))
  var locality: String?

  @Option(
    help: ArgumentHelp("Only assets captured on or after this date (2024, 2024-03, 2024-03-15).", valueName: "date"))
  var capturedFrom: String?

  @Option(help: ArgumentHelp("Only assets captured on or before this date.", valueName: "date"))
  var capturedTo: String?

  @Flag(help: "Only assets with a suggested tag (not yet confirmed).")
  var suggestedOnly = false

  @Option(
    name: .customLong("source-bank"),
    help: ArgumentHelp("On the national bank: only the records this province sent (e.g. 19).", valueName: "code"))
  var sourceBank: String?

  func validate() throws {
    if let kind, !["photo", "video", "story"].contains(kind) {
      throw ValidationError("--kind must be photo, video or story, not '\(kind)'")
    }
  }

  var filter: AssetFilter {
    AssetFilter(
      kind: kind, pillar: pillar, language: lang, locality: locality, capturedFrom: capturedFrom,
      capturedTo: capturedTo, suggestedOnly: suggestedOnly, sourceBank: sourceBank)
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
      too. On the national bank, the records the provinces sent are searched (--source-bank 19).
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("The words to find.", valueName: "words"))
  var words: [String]

  @OptionGroup var filterOptions: FilterOptions

  @Option(help: ArgumentHelp("At most this many results.", valueName: "n"))
  var limit = 20

  @Flag(help: "Print [{record, snippet, rank}] as JSON.")
  var json = false

  func validate() throws {
    guard limit > 0 else { throw ValidationError("--limit must be positive") }
    guard words.joined().contains(where: { $0.isLetter || $0.isNumber }) else {
      throw ValidationError("give words to find (letters or digits)")
    }
  }

  func run() throws {
    let library = try bankOptions.open(create: false)
    let hits = try fatalOnError {
      try library.search(words.joined(separator: " "), filter: filterOptions.filter, limit: limit)
    }
    if json {
      try printJSON(hits)
      return
    }
    if hits.isEmpty { print("No asset matches.") }
    for hit in hits {
      print(AssetFormatter.line(hit.record))
      if let snippet = hit.snippet { print("    \(snippet)") }
    }
  }
}
