import ArgumentParser
import MediaBank
import Messages

struct RetractCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "retract",
    abstract: "Withdraw assets from what the bank shares with other banks.",
    discussion: """
      A retracted asset stays in the bank (`show` gives its retraction, `list` marks it, \
      --shared-only leaves it out), but the next sync bundles carry a `retract` line with the \
      reason instead of its record, so the national bank removes it from this province's \
      contribution. Each retraction is recorded in the asset's history with the operator. An asset \
      already retracted keeps its first retraction (that is said, and is not an error); \
      `unretract` shares it again.

      Exit status: 0 when every asset is retracted, 2 when nothing was done (an unknown id).
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("Asset ids or unambiguous prefixes.", valueName: "id"))
  var ids: [String]

  @Option(help: ArgumentHelp("Why (kept with the asset and sent in the bundle).", valueName: "text"))
  var reason: String

  @Option(
    name: .customLong("operator"), help: ArgumentHelp("Who retracts (default: the login name).", valueName: "name"))
  var operatorName: String?

  func run() throws {
    let library = try bankOptions.open(create: false)
    let changes = try fatalOnError { try library.retract(ids, reason: reason, operatorName: operatorName) }
    for change in changes {
      if change.changed {
        print(say(.retractedAsset(change.id)))
      } else if let earlier = change.retraction {
        print(
          say(.alreadyRetracted(id: change.id, since: earlier.retractedAt, reason: Terminal.safe(earlier.reason))))
      }
    }
  }
}

struct UnretractCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unretract",
    abstract: "Share retracted assets again.",
    discussion: """
      Removes the retraction, so the next sync bundle carries the asset's record again and the \
      national bank takes it back into this province's contribution. Recorded in the asset's \
      history with the operator. An asset that is not retracted is left as it is (that is said).

      Exit status: 0 when every asset is shared, 2 when nothing was done (an unknown id).
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("Asset ids or unambiguous prefixes.", valueName: "id"))
  var ids: [String]

  @Option(
    name: .customLong("operator"),
    help: ArgumentHelp("Who shares them again (default: the login name).", valueName: "name"))
  var operatorName: String?

  func run() throws {
    let library = try bankOptions.open(create: false)
    let changes = try fatalOnError { try library.unretract(ids, operatorName: operatorName) }
    for change in changes {
      if change.changed, let earlier = change.retraction {
        print(
          say(.unretractedAsset(id: change.id, since: earlier.retractedAt, reason: Terminal.safe(earlier.reason))))
      } else {
        print(say(.notRetracted(change.id)))
      }
    }
  }
}
