import ArgumentParser
import MediaBank
import Messages

struct TrustCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trust",
    abstract: "Register the public keys of the banks whose bundles or receipts this bank checks.",
    discussion: """
      The national bank registers each province's key (the province's keys/bank.pub, shown by \
      `mediabank key show`) before receiving its bundles; a province registers the national bank's \
      key (`trust add --bank national`) before applying its receipts. A bank is one of the 34 \
      provinces by its 2-digit code, or `national`. When a province rotates its key (`mediabank \
      key rotate`), its next bundle carries the change and the national bank switches keys itself.
      """,
    subcommands: [TrustAddCommand.self, TrustRemoveCommand.self, TrustListCommand.self],
    defaultSubcommand: TrustListCommand.self)
}

/// `--bank CODE` names the other bank in `trust`, so this bank's directory is `--bank-path`.
struct TrustBankOptions: ParsableArguments {
  @Option(
    name: .customLong("bank-path"),
    help: ArgumentHelp(
      "This bank's directory (default: $MEDIABANK_PATH, else the XDG data directory).", valueName: "path"))
  var bankPath: String?
}

struct TrustAddCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add",
    abstract: "Trust a bank's public key.",
    discussion: """
      Here --bank names the bank to trust (one of the 34 provinces' 2-digit codes, or `national`; \
      a former province's code is refused naming the province it is part of now), so the bank \
      directory is given by --bank-path (else $MEDIABANK_PATH, else the XDG data directory). \
      Registering the same key again changes nothing; another key for a trusted bank, a key \
      registered for another bank and this bank's own key are refused.
      """)

  @Option(
    name: .customLong("bank"),
    help: ArgumentHelp("The bank to trust: a province's 2-digit code (e.g. 19) or `national`.", valueName: "code"))
  var source: String

  @Option(name: .customLong("public-key"), help: ArgumentHelp("Its public key file (.pub).", valueName: "file"))
  var publicKey: String

  @OptionGroup var options: TrustBankOptions

  func run() throws {
    let library = try BankOptions.open(explicit: options.bankPath, create: false)
    let trusted = try fatalOnError { try library.trust(bank: source, publicKeyFile: publicKey) }
    print(say(.trustedKey(bank: trusted.bank, keyId: trusted.keyId)))
  }
}

struct TrustRemoveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove",
    abstract: "Stop trusting a bank's key.",
    discussion: """
      The bank's next bundle (or receipt) is refused until a key is registered again with \
      `trust add`; what it sent stays. Use it when a bank's key was lost or compromised and the \
      bank made a new one without `key rotate`.
      """)

  @Option(
    name: .customLong("bank"), help: ArgumentHelp("The bank: a province's code or `national`.", valueName: "code"))
  var source: String

  @OptionGroup var options: TrustBankOptions

  func run() throws {
    let library = try BankOptions.open(explicit: options.bankPath, create: false)
    let removed = try fatalOnError { try library.untrust(bank: source) }
    print(say(.untrustedKey(bank: removed.bank, keyId: removed.keyId)))
  }
}

struct TrustListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the trusted banks, their keys, since when, and their key rotations.")

  @OptionGroup var bankOptions: BankOptions

  @Flag(help: "Print [{bank, keyId, addedAt, rotations}] as JSON.")
  var json = false

  func run() throws {
    let library = try bankOptions.open(create: false)
    let banks = try fatalOnError { try library.trustedBanks() }
    if json {
      try printJSON(banks)
      return
    }
    if banks.isEmpty { print(say(.noTrustedBanks)) }
    for bank in banks {
      print(
        "\(bank.bank.padding(toLength: 9, withPad: " ", startingAt: 0)) \(bank.keyId)  " + say(.since(bank.addedAt)))
      for rotation in bank.rotations {
        print(say(.rotatedFrom(keyId: rotation.oldKeyId, at: rotation.rotatedAt, bundle: rotation.bundle)))
      }
    }
  }
}

struct ReceiveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "receive",
    abstract: "Receive a province's sync bundle into the national bank, and write its signed receipt.",
    discussion: """
      Checks, in order: BagIt structure and fixity; the format version; that the source bank is \
      trusted and the signature verifies with its key (or with the key its key rotation \
      statements lead to, which the bank then trusts instead); that the bundle is the next one \
      from that province (a gap names the missing bundles); every record. Then stores the new \
      content and applies every record, with the signed receipt, in one transaction, so a refused \
      or interrupted bundle changes nothing and a bundle applies exactly once. Each province's \
      record of an asset is kept as the province said it. A record this bank already holds at \
      that revision (a full bundle carries every record) is unchanged, not rejected; a retraction \
      or deletion of an asset the province never sent is accepted and stores nothing. Records \
      refused one by one (not an asset record, content missing or contradicting the record's \
      byteSize, kind or mediaType, an older revision) are listed in the receipt with the reason \
      (and the first 1000 printed). A bundle holds at most 100,000 records, read one line at a \
      time.

      Then the receipt is written: beside the bundle, or where --receipt-out says (a path ending \
      in .json is the file; anything else a folder, created if missing). A bundle received before \
      is not applied again: `already received on DATE`, and its stored receipt is written again. \
      `mediabank receipt export SOURCE SEQ` writes any stored receipt again.

      Exit status: 0 when every record was accepted (or unchanged), or the bundle was received \
      before; 1 when some were rejected; 2 when the bundle was refused (nothing changed); 3 when \
      the bundle was applied but its receipt could not be written (the command to write it is \
      printed).
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("The bag directory or .tar file.", valueName: "bundle"))
  var bundle: String

  @Option(
    name: .customLong("receipt-out"),
    help: ArgumentHelp(
      "Where to write the receipt: a .json file, or a folder (default: beside the bundle).", valueName: "path"))
  var receiptOut: String?

  @Flag(help: "Print the outcome as JSON.")
  var json = false

  func run() throws {
    let library = try bankOptions.open(create: false)
    let result = try fatalOnError { try library.receive(bundle, receiptOut: receiptOut) }
    if json {
      try printJSON(result)
    } else if let date = result.alreadyReceivedAt {
      print(say(.alreadyReceived(bundle: result.bundle, source: result.source, at: date)))
    } else {
      print(
        say(
          .received(
            bundle: result.bundle, source: result.source, accepted: result.accepted, rejected: result.rejectedCount,
            unchanged: result.unchanged, newObjects: result.newObjects)))
      if result.deleted > 0 { print(say(.deletionsReceived(deletions: result.deleted, purged: result.purgedObjects))) }
      for rejection in result.rejected {
        print(say(.rejectedRecord(id: rejection.id, reason: Terminal.safe(rejection.reason))))
      }
      if result.rejectedCount > result.rejected.count {
        print(say(.moreRejected(result.rejectedCount - result.rejected.count)))
      }
    }
    if let path = result.receiptPath {
      if !json { print(say(.receiptPath(Terminal.safe(path)))) }
    } else {
      printError(
        say(
          .receiptNotWritten(
            applied: result.alreadyReceivedAt == nil, reason: result.receiptError.map(Terminal.safe),
            source: result.source, sequence: result.sequence)))
      throw Status.receiptNotWritten
    }
    if !result.rejected.isEmpty && result.alreadyReceivedAt == nil { throw Status.partialFailure }
  }
}

struct ReceiptCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "receipt",
    abstract: "Apply a receipt from the national bank, or write a stored receipt again.",
    subcommands: [ReceiptApplyCommand.self, ReceiptExportCommand.self])
}

struct ReceiptExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write the receipt of a bundle this bank received again (national bank).",
    discussion: """
      Every receipt is stored in the national bank when its bundle is applied; this writes it \
      again, signed as it was, for a province whose copy was lost.
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("The province that sent the bundle (e.g. 19).", valueName: "source"))
  var source: String

  @Argument(help: ArgumentHelp("The bundle's sequence number.", valueName: "sequence"))
  var sequence: Int

  @Option(
    help: ArgumentHelp(
      "A .json file, or a folder (created if missing); default: the current folder.", valueName: "path"))
  var out: String?

  func run() throws {
    let library = try bankOptions.open(create: false)
    let path = try fatalOnError { try library.exportReceipt(source: source, sequence: sequence, to: out) }
    print(say(.receiptPath(Terminal.safe(path))))
  }
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
      say(
        .receiptApplied(
          bundle: applied.bundle, destination: applied.destination, accepted: applied.accepted,
          rejected: applied.rejected.count, unchanged: applied.unchanged, held: applied.held)))
    for rejection in applied.rejected { print(say(.rejectedRecord(id: rejection.id, reason: rejection.reason))) }
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
      print(
        say(
          .syncTo(
            destination: destination.name, bundles: destination.bundles, last: destination.lastBundle,
            at: destination.lastExportedAt)))
      print(say(.pendingRecords(records: destination.pendingRecords, deletions: destination.pendingDeletions)))
      print(say(.awaitingReceipt(destination.awaitingReceipt)))
      print(say(.heldThere(destination.heldObjects)))
      for rejection in destination.rejected {
        print(say(.rejectedRecord(id: rejection.id, reason: rejection.reason)))
      }
    }
    for source in status.sources {
      print(
        say(
          .syncFrom(
            source: source.bank, bundles: source.bundles, last: source.lastBundle, at: source.lastReceivedAt,
            assets: source.assets)))
    }
    if status.destinations.isEmpty && status.sources.isEmpty { print(say(.noBundles)) }
  }
}
