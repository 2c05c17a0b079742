import ArgumentParser
import MediaBank

struct ReviewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "review",
    abstract: "List the suggested tags, accept them or reject them.",
    discussion: """
      Tags from folder names (path), from the text of titles, descriptions and keywords (text) \
      and the bank's own province (bank-default) are suggestions until someone confirms them. \
      `review` lists them by folder: for each asset, its title (or file name), then each \
      suggested tag with its source and the reason (the words or the folder that suggested it). \
      `review accept` confirms them and `review reject` removes them: those of the assets named, \
      of the assets that came from a folder (--folder, the folder and every folder below it), \
      or of every asset (--all-from SOURCE). Each decision is recorded in the asset's history \
      with the operator.

      A pillar hint is not found where it is part of a name: `anh hùng` (hero) suggests \
      history-tradition in "Anh hùng dân tộc", not in "Chân dung anh Hùng" (brother Hùng).

      Examples:
        mediabank review --pillar
        mediabank review accept --folder "/mnt/archive/Lễ hội" --operator lan
        mediabank review reject sha256:71ed970cdc4b --locality
        mediabank review accept --all-from bank-default
      """,
    subcommands: [List.self, Accept.self, Reject.self],
    defaultSubcommand: List.self)

  /// Which suggestions: one facet at most, of the assets under a folder.
  struct SelectionOptions: ParsableArguments {
    @Flag(help: "Only pillar suggestions.") var pillar = false
    @Flag(help: "Only locality suggestions.") var locality = false
    @Flag(help: "Only language suggestions.") var lang = false
    @Option(
      help: ArgumentHelp(
        "Only the assets imported or added from this folder or a folder below it (absolute, or relative to the current directory).",
        valueName: "path"))
    var folder: String?

    func validate() throws {
      guard [pillar, locality, lang].filter({ $0 }).count <= 1 else {
        throw ValidationError("give at most one of --pillar, --locality, --lang")
      }
    }

    var facet: String? { pillar ? "pillar" : locality ? "locality" : lang ? "language" : nil }
  }

  /// What `accept` and `reject` share: the assets, the source, the operator.
  struct DecisionOptions: ParsableArguments {
    @OptionGroup var bankOptions: BankOptions
    @OptionGroup var selection: SelectionOptions
    @Argument(help: ArgumentHelp("Asset ids (or unambiguous prefixes).", valueName: "id")) var ids: [String] = []
    @Option(
      help: ArgumentHelp(
        "Only the suggestions from this source (path, text, bank-default); without ids or --folder, those of every asset.",
        valueName: "source"))
    var allFrom: String?
    @Option(
      name: .customLong("operator"),
      help: ArgumentHelp("Who decides, recorded in the history (default: the login name).", valueName: "name"))
    var operatorName: String?

    func validate() throws {
      guard !ids.isEmpty || selection.folder != nil || allFrom != nil else {
        throw ValidationError("name assets, or give --folder PATH or --all-from SOURCE")
      }
      if !ids.isEmpty, selection.folder != nil {
        throw ValidationError("name assets or give --folder, not both")
      }
      if let allFrom, !["path", "text", "bank-default"].contains(allFrom) {
        throw ValidationError("--all-from must be path, text or bank-default, not '\(allFrom)'")
      }
    }

    /// Accepts or rejects; returns how many tags changed.
    func decide(accept: Bool) throws -> Int {
      let library = try bankOptions.open(create: false)
      return try fatalOnError {
        try library.review(
          ids, folder: selection.folder, facet: selection.facet, source: allFrom, accept: accept,
          operatorName: operatorName)
      }
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List the suggested tags by folder, with the reason for each.")

    @OptionGroup var bankOptions: BankOptions
    @OptionGroup var selection: SelectionOptions
    @Flag(help: "Print JSON: one object per suggestion, with its reason, folder, title and file name.")
    var json = false

    func run() throws {
      let library = try bankOptions.open(create: false)
      let suggestions = try fatalOnError {
        try library.suggestions(facet: selection.facet, folder: selection.folder)
      }
      if json { return try printJSON(suggestions) }
      guard !suggestions.isEmpty else { return print(say(.nothingToReview)) }
      var folders = 0
      var assets = 0
      var previous: Suggestion?
      for suggestion in suggestions {
        if suggestion.folder != previous?.folder {
          if previous != nil { print() }
          print(Terminal.safe(suggestion.folder))
          folders += 1
        }
        if suggestion.id != previous?.id || suggestion.folder != previous?.folder {
          print("  \(suggestion.id.prefix(19))  \(Terminal.safe(suggestion.title ?? suggestion.name))")
          assets += 1
        }
        print(Terminal.safe("    \(suggestion.facet) \(suggestion.value) (\(suggestion.source)): \(suggestion.reason)"))
        previous = suggestion
      }
      print(say(.reviewSummary(suggestions: suggestions.count, assets: assets, folders: folders)))
    }
  }

  struct Accept: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "accept",
      abstract: "Confirm the suggested tags of the assets named, of those from a folder, or of every asset.")

    @OptionGroup var options: DecisionOptions

    func run() throws {
      let count = try options.decide(accept: true)
      print(say(.decided(accept: true, count: count)))
    }
  }

  struct Reject: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "reject",
      abstract: "Remove the suggested tags of the assets named, of those from a folder, or of every asset.")

    @OptionGroup var options: DecisionOptions

    func run() throws {
      let count = try options.decide(accept: false)
      print(say(.decided(accept: false, count: count)))
    }
  }
}
