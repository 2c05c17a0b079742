import ArgumentParser
import MediaBank

struct ReviewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "review",
    abstract: "List the suggested tags, accept them or reject them.",
    discussion: """
      Tags from folder names (path), from the text of titles and keywords (text) and the bank's \
      own province (bank-default) are suggestions until someone confirms them. `review` lists \
      them; `review accept` confirms them and `review reject` removes them.
      """,
    subcommands: [List.self, Accept.self, Reject.self],
    defaultSubcommand: List.self)

  /// Which suggestions: one facet at most.
  struct FacetOptions: ParsableArguments {
    @Flag(help: "Only pillar suggestions.") var pillar = false
    @Flag(help: "Only locality suggestions.") var locality = false
    @Flag(help: "Only language suggestions.") var lang = false

    func validate() throws {
      guard [pillar, locality, lang].filter({ $0 }).count <= 1 else {
        throw ValidationError("give at most one of --pillar, --locality, --lang")
      }
    }

    var facet: String? { pillar ? "pillar" : locality ? "locality" : lang ? "language" : nil }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the suggested tags.")

    @OptionGroup var bankOptions: BankOptions
    @OptionGroup var facetOptions: FacetOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let library = try bankOptions.open(create: false)
      let suggestions = try fatalOnError { try library.suggestions(facet: facetOptions.facet) }
      if json { return try printJSON(suggestions) }
      for suggestion in suggestions {
        print(
          "\(suggestion.id.prefix(19))  \(suggestion.facet) \(suggestion.value) (\(suggestion.source))"
            + (suggestion.note.map { "  \($0)" } ?? ""))
      }
    }
  }

  struct Accept: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Confirm the suggested tags of the assets named, or of every asset with --all-from.")

    @OptionGroup var bankOptions: BankOptions
    @OptionGroup var facetOptions: FacetOptions
    @Argument(help: ArgumentHelp("Asset ids (or unambiguous prefixes).", valueName: "id")) var ids: [String] = []
    @Option(
      help: ArgumentHelp("Accept every suggestion from this source (path, text, bank-default).", valueName: "source"))
    var allFrom: String?

    func validate() throws {
      guard !ids.isEmpty || allFrom != nil else { throw ValidationError("name assets, or give --all-from SOURCE") }
      if let allFrom, !["path", "text", "bank-default"].contains(allFrom) {
        throw ValidationError("--all-from must be path, text or bank-default, not '\(allFrom)'")
      }
    }

    func run() throws {
      let library = try bankOptions.open(create: false)
      let count = try fatalOnError {
        try library.review(ids, facet: facetOptions.facet, source: allFrom, accept: true)
      }
      print("accepted \(count) suggestion\(count == 1 ? "" : "s")")
    }
  }

  struct Reject: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Remove the suggested tags of the assets named.")

    @OptionGroup var bankOptions: BankOptions
    @OptionGroup var facetOptions: FacetOptions
    @Argument(help: ArgumentHelp("Asset ids (or unambiguous prefixes).", valueName: "id")) var ids: [String]

    func run() throws {
      let library = try bankOptions.open(create: false)
      let count = try fatalOnError { try library.review(ids, facet: facetOptions.facet, accept: false) }
      print("rejected \(count) suggestion\(count == 1 ? "" : "s")")
    }
  }
}
