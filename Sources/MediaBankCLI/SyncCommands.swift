import ArgumentParser
import MediaBank

struct TrustCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trust",
    abstract: "Register the public keys of the banks whose bundles or receipts this bank checks.",
    discussion: """
      The national bank registers each province's key (the province's keys/bank.pub, shown by \
      `mediabank key show`) before receiving its bundles; a province registers the national bank's \
      key (`trust add --bank national`) before applying its receipts.
      """,
    subcommands: [TrustAddCommand.self, TrustListCommand.self],
    defaultSubcommand: TrustListCommand.self)
}

struct TrustAddCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add",
    abstract: "Trust a bank's public key.",
    discussion: """
      Here --bank names the bank to trust (a province's 2-digit code, or `national`), so the bank \
      directory is given by --bank-path (else $MEDIABANK_PATH, else the XDG data directory). \
      Registering the same key again changes nothing; another key for a trusted bank is refused.
      """)

  @Option(
    name: .customLong("bank"),
    help: ArgumentHelp("The bank to trust: a province's 2-digit code (e.g. 19) or `national`.", valueName: "code"))
  var source: String

  @Option(name: .customLong("public-key"), help: ArgumentHelp("Its public key file (.pub).", valueName: "file"))
  var publicKey: String

  @Option(
    name: .customLong("bank-path"),
    help: ArgumentHelp(
      "This bank's directory (default: $MEDIABANK_PATH, else the XDG data directory).", valueName: "path"))
  var bankPath: String?

  func run() throws {
    let library = try BankOptions.open(explicit: bankPath, create: false)
    let trusted = try fatalOnError { try library.trust(bank: source, publicKeyFile: publicKey) }
    print("trusted \(trusted.bank) \(trusted.keyId)")
  }
}

struct TrustListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the trusted banks and their keys.")

  @OptionGroup var bankOptions: BankOptions

  @Flag(help: "Print [{bank, keyId, addedAt}] as JSON.")
  var json = false

  func run() throws {
    let library = try bankOptions.open(create: false)
    let banks = try fatalOnError { try library.trustedBanks() }
    if json {
      try printJSON(banks)
      return
    }
    if banks.isEmpty { print("No trusted banks (`mediabank trust add --bank CODE --public-key FILE`).") }
    for bank in banks {
      print("\(bank.bank.padding(toLength: 9, withPad: " ", startingAt: 0)) \(bank.keyId)  since \(bank.addedAt)")
    }
  }
}

struct ReceiveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "receive",
    abstract: "Receive a province's sync bundle into the national bank, and write its signed receipt.",
    discussion: """
      Checks, in order: BagIt structure and fixity; the format version; that the source bank is \
      trusted and the signature verifies with its key; that the bundle is the next one from that \
      province (a gap names the missing bundles, a replay is refused); every record. Then stores the \
      new content and applies every record in one transaction, so a refused or interrupted bundle \
      changes nothing and a bundle applies exactly once. Each province's record of an asset is kept \
      as the province said it. Records refused one by one (content missing, an older revision) are \
      listed in the receipt with the reason. Prints the receipt's path.

      Exit status: 0 when every record was accepted, 1 when some were rejected, 2 when the bundle \
      was refused (nothing changed).
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("The bag directory or .tar file.", valueName: "bundle"))
  var bundle: String

  @Option(
    name: .customLong("receipt-out"),
    help: ArgumentHelp(
      "Where to write the receipt (default: receipt-<source>-<seq>.json beside the bundle).", valueName: "path"))
  var receiptOut: String?

  @Flag(help: "Print the outcome as JSON.")
  var json = false

  func run() throws {
    let library = try bankOptions.open(create: false)
    let result = try fatalOnError { try library.receive(bundle, receiptOut: receiptOut) }
    if json {
      try printJSON(result)
    } else {
      print(
        "Received \(result.bundle) from \(result.source): \(Terminal.count(result.accepted, "record")) accepted, "
          + "\(result.rejected.count) rejected, \(Terminal.count(result.newObjects, "new object"))"
      )
      if result.deleted > 0 {
        print(
          "  \(Terminal.count(result.deleted, "deletion")): the records removed, "
            + "\(Terminal.count(result.purgedObjects, "object")) no other record needs removed from the store")
      }
      for rejection in result.rejected { print("  rejected \(rejection.id): \(rejection.reason)") }
      print("Receipt: \(result.receiptPath)")
    }
    if !result.rejected.isEmpty { throw Status.partialFailure }
  }
}

struct ReceiptCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "receipt",
    abstract: "Apply a receipt from the national bank.",
    subcommands: [ReceiptApplyCommand.self])
}

struct ReceiptApplyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "apply",
    abstract: "Record what the destination bank confirmed: accepted and rejected records, content held.",
    discussion: """
      The receipt's signature is checked with the destination's trusted key (`mediabank trust add \
      --bank national --public-key FILE`). Content the receipt says is held is not carried by later \
      incremental bundles.
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("The receipt file.", valueName: "receipt"))
  var receipt: String

  @Flag(help: "Print what changed as JSON.")
  var json = false

  func run() throws {
    let library = try bankOptions.open(create: false)
    let applied = try fatalOnError { try library.applyReceipt(receipt) }
    if json {
      try printJSON(applied)
      return
    }
    print(
      "Applied the receipt for \(applied.bundle) from \(applied.destination): "
        + "\(Terminal.count(applied.accepted, "record")) accepted, \(applied.rejected.count) rejected, "
        + "\(Terminal.count(applied.held, "object")) held"
    )
    for rejection in applied.rejected { print("  rejected \(rejection.id): \(rejection.reason)") }
  }
}

struct SyncStatusCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sync-status",
    abstract: "What each destination holds and what is pending; what each province has sent.",
    discussion: """
      For each destination (national): the bundles exported, those whose receipt has not been \
      applied, the records the next export would carry, the content the destination holds, the \
      records it rejected. On the national bank, for each trusted province: the bundles received, \
      the last one and when, the assets it contributes.
      """)

  @OptionGroup var bankOptions: BankOptions

  @Flag(help: "Print the status as JSON.")
  var json = false

  func run() throws {
    let library = try bankOptions.open(create: false)
    let status = try fatalOnError { try library.syncStatus() }
    if json {
      try printJSON(status)
      return
    }
    for destination in status.destinations {
      print("To \(destination.name): \(Terminal.count(destination.bundles, "bundle"))", terminator: "")
      print(destination.lastBundle.map { ", last \($0) on \(destination.lastExportedAt ?? "?")" } ?? "")
      print(
        "  pending: \(Terminal.count(destination.pendingRecords, "record")) not yet in a bundle"
          + (destination.pendingDeletions > 0
            ? " (\(Terminal.count(destination.pendingDeletions, "deletion")))" : ""))
      print(
        "  awaiting a receipt: "
          + (destination.awaitingReceipt.isEmpty ? "none" : destination.awaitingReceipt.joined(separator: ", ")))
      print("  held there: \(Terminal.count(destination.heldObjects, "object"))")
      for rejection in destination.rejected { print("  rejected \(rejection.id): \(rejection.reason)") }
    }
    for source in status.sources {
      print("From \(source.bank): \(Terminal.count(source.bundles, "bundle"))", terminator: "")
      print(source.lastBundle.map { ", last \($0) on \(source.lastReceivedAt ?? "?")" } ?? "", terminator: "")
      print(", \(Terminal.count(source.assets, "asset"))")
    }
    if status.destinations.isEmpty && status.sources.isEmpty { print("No bundles exported or received.") }
  }
}
