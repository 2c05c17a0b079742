import ArgumentParser
import MediaBank

struct BatchesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "batches",
    abstract: "List the imports of the bank, show one, or undo one.",
    subcommands: [List.self, Show.self, Undo.self],
    defaultSubcommand: List.self)

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List every import batch, oldest first.")

    @OptionGroup var bankOptions: BankOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let library = try bankOptions.open(create: false)
      let batches = try fatalOnError { try library.batches() }
      if json { return try printJSON(batches) }
      for batch in batches {
        let state = batch.undoneAt != nil ? "undone" : batch.finishedAt == nil ? "interrupted" : "finished"
        print(
          "\(batch.id)  \(batch.startedAt)  \(state)  added \(batch.added), already held \(batch.duplicates), "
            + "unchanged \(batch.unchanged), skipped \(batch.skipped), failed \(batch.failed)  \(Terminal.safe(batch.root))"
        )
      }
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one batch with its failures.")

    @OptionGroup var bankOptions: BankOptions
    @Argument(help: "The batch number.") var id: Int64
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let library = try bankOptions.open(create: false)
      let batch = try fatalOnError { try library.batch(id) }
      if json { return try printJSON(batch) }
      print("batch \(batch.id)  \(Terminal.safe(batch.root))")
      print("  operator      \(Terminal.safe(batch.operator))")
      print("  started       \(batch.startedAt)")
      print("  finished      \(batch.finishedAt ?? "no (interrupted, or still running)")")
      if let options = batch.options, !options.isEmpty {
        print(
          "  options       "
            + options.sorted(by: { $0.key < $1.key }).map { "--\($0.key) \(Terminal.safe($0.value))" }.joined(
              separator: " "))
      }
      if let undone = batch.undoneAt { print("  undone        \(undone)") }
      print("  added         \(batch.added) (\(SummaryFormatter.bytes(batch.bytes)) read)")
      print("  already held  \(batch.duplicates)")
      print("  unchanged     \(batch.unchanged)")
      print("  skipped       \(batch.skipped)")
      for (reason, count) in (batch.skippedByReason ?? [:]).sorted(by: { $0.key < $1.key }) {
        print("    \(count)  \(Terminal.safe(reason))")
      }
      print("  failed        \(batch.failed)")
      for failure in batch.failures ?? [] { print(Terminal.safe("    \(failure.path): \(failure.reason)")) }
    }
  }

  struct Undo: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "undo",
      abstract: "Take back what an import batch added and the tags it set.",
      discussion: """
        The assets only this batch brought are deleted (content and previews included; their \
        bytes may be imported again later). Assets that other batches or `add` also brought \
        stay: they lose this batch's provenance and the tags its options (and its folders, \
        sidecars, metadata.csv) set. Refused when an asset of the batch was changed by someone \
        since the import (edited, tagged, reviewed, retracted), unless --force. Assets sent to \
        the national bank are deleted there by the next bundle. Recorded in each asset's history.

        Exit status: 0 when the batch was undone (or, with --dry-run, would be), 2 when nothing \
        was done.
        """)

    @OptionGroup var bankOptions: BankOptions
    @Argument(help: "The batch number.") var id: Int64
    @Flag(help: "Say what would be done; change nothing.") var dryRun = false
    @Flag(help: "Undo the import even though some of its assets were changed since.") var force = false
    @Option(
      name: .customLong("operator"),
      help: ArgumentHelp("Who is undoing it (default: the login name).", valueName: "name"))
    var operatorName: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let library = try bankOptions.open(create: false)
      let result = try fatalOnError {
        try library.undoBatch(id, force: force, dryRun: dryRun, operatorName: operatorName)
      }
      if json { return try printJSON(result) }
      for asset in result.removed { print("\(dryRun ? "would remove" : "removed") \(asset)") }
      for asset in result.kept {
        print("\(dryRun ? "would keep" : "kept") \(asset) (also brought by another import or add)")
      }
      print(
        "\(dryRun ? "Would undo" : "Undid") batch \(id): \(Terminal.count(result.removed.count, "asset")) removed, "
          + "\(Terminal.count(result.kept.count, "asset")) kept, \(Terminal.count(result.tags, "tag")) taken back"
          + (dryRun ? "." : ", \(Terminal.count(result.objects.count, "object")) removed from the store."))
    }
  }
}
