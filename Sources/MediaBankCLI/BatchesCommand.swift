import ArgumentParser
import MediaBank
import Messages

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
        let state: BatchState = batch.undoneAt != nil ? .undone : batch.finishedAt == nil ? .interrupted : .finished
        print(
          say(
            .batchLine(
              id: batch.id, started: batch.startedAt, state: state, added: batch.added, held: batch.duplicates,
              unchanged: batch.unchanged, skipped: batch.skipped, failed: batch.failed,
              root: Terminal.safe(batch.root))))
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
      /// A field's line: its label padded to a column, then its value.
      func field(_ label: Label, _ value: String) {
        let text = label.text(language)
        print("  " + text.padding(toLength: max(14, text.count + 1), withPad: " ", startingAt: 0) + value)
      }
      print(say(.batchTitle(id: batch.id, root: Terminal.safe(batch.root))))
      field(.operatorName, Terminal.safe(batch.operator))
      field(.started, batch.startedAt)
      field(.finished, batch.finishedAt ?? say(.notFinished))
      if let options = batch.options, !options.isEmpty {
        field(
          .options,
          options.sorted(by: { $0.key < $1.key }).map { "--\($0.key) \(Terminal.safe($0.value))" }.joined(
            separator: " "))
      }
      if let undone = batch.undoneAt { field(.undone, undone) }
      field(.addedCount, say(.addedCount(batch.added, damaged: 0, read: SummaryFormatter.bytes(batch.bytes))))
      field(.alreadyHeld, "\(batch.duplicates)")
      field(.unchangedCount, "\(batch.unchanged)")
      field(.skippedCount, "\(batch.skipped)")
      for (reason, count) in (batch.skippedByReason ?? [:]).sorted(by: { $0.key < $1.key }) {
        print("    \(count)  \(Terminal.safe(reason))")
      }
      field(.failedCount, "\(batch.failed)")
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
      for asset in result.removed { print(say(.removedAsset(dryRun: dryRun, id: asset))) }
      for asset in result.kept { print(say(.keptAsset(dryRun: dryRun, id: asset))) }
      print(
        say(
          .undid(
            dryRun: dryRun, batch: id, removed: result.removed.count, kept: result.kept.count, tags: result.tags,
            objects: result.objects.count)))
    }
  }
}
