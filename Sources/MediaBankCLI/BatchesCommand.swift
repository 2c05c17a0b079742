import ArgumentParser
import MediaBank

struct BatchesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "batches",
    abstract: "List the imports of the bank, or show one.",
    subcommands: [List.self, Show.self],
    defaultSubcommand: List.self)

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every import batch, oldest first.")

    @OptionGroup var bankOptions: BankOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let library = try bankOptions.open(create: false)
      let batches = try fatalOnError { try library.batches() }
      if json { return try printJSON(batches) }
      for batch in batches {
        let state = batch.finishedAt == nil ? "interrupted" : "finished"
        print(
          "\(batch.id)  \(batch.startedAt)  \(state)  added \(batch.added), already held \(batch.duplicates), "
            + "unchanged \(batch.unchanged), skipped \(batch.skipped), failed \(batch.failed)  \(batch.root)")
      }
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show one batch with its failures.")

    @OptionGroup var bankOptions: BankOptions
    @Argument(help: "The batch number.") var id: Int64
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      let library = try bankOptions.open(create: false)
      let batch = try fatalOnError { try library.batch(id) }
      if json { return try printJSON(batch) }
      print("batch \(batch.id)  \(batch.root)")
      print("  operator      \(batch.operator)")
      print("  started       \(batch.startedAt)")
      print("  finished      \(batch.finishedAt ?? "no (interrupted, or still running)")")
      print("  added         \(batch.added) (\(SummaryFormatter.bytes(batch.bytes)) read)")
      print("  already held  \(batch.duplicates)")
      print("  unchanged     \(batch.unchanged)")
      print("  skipped       \(batch.skipped)")
      for (reason, count) in (batch.skippedByReason ?? [:]).sorted(by: { $0.key < $1.key }) {
        print("    \(count)  \(reason)")
      }
      print("  failed        \(batch.failed)")
      for failure in batch.failures ?? [] { print("    \(failure.path): \(failure.reason)") }
    }
  }
}
