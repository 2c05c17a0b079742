import ArgumentParser
import Foundation
import MediaBank

struct BackupCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backup",
    abstract: "Write a self-contained copy of the bank that `restore` brings back.",
    discussion: """
      A backup is not a bundle: it is the whole bank (bank.json, the key pair, a snapshot of the \
      catalog with its trust, exports and receipts, every object the catalog refers to) with \
      backup.json and manifest-sha256.txt, the SHA-256 of every file (Storage/backup.md). The \
      catalog is copied with SQLite's online backup API, so other commands may go on writing; \
      objects are copied, never linked, and hashed on the way: a corrupt object stops the backup. \
      Nothing of the bank changes (no export sequence moves). --out names a new directory, or a \
      new file ending in .tar (one tar of that directory, mode 0600). The backup is written under \
      a temporary name and renamed when whole. It holds the bank's private key: keep it as safe \
      as the bank.
      """)

  @OptionGroup var bankOptions: BankOptions

  @Option(help: ArgumentHelp("A new directory, or a new file name ending in .tar.", valueName: "path"))
  var out: String

  @Flag(help: "Print what was written as JSON.")
  var json = false

  func validate() throws {
    if out.isEmpty { throw ValidationError("--out must name a new directory or a .tar file") }
  }

  func run() throws {
    let library = try bankOptions.open(create: false)
    let summary = try fatalOnError {
      try library.backup(to: URL(fileURLWithPath: out).standardizedFileURL)
    }
    if json {
      try printJSON(summary)
      return
    }
    print(
      say(
        .backedUp(
          national: summary.national, province: summary.province, path: summary.path, assets: summary.assets,
          contributions: summary.national || summary.contributions > 0 ? summary.contributions : nil,
          objects: summary.objects, bytes: Int(summary.objectBytes))))
  }
}

struct RestoreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "restore",
    abstract: "Make a bank again from a backup, on this machine or another.",
    discussion: """
      Restores the backup (a directory or a .tar that `backup` wrote) into the bank directory \
      (--bank, else $MEDIABANK_PATH, else the default), which must not exist or be empty: a bank \
      is never overwritten. Every file is checked against the backup's manifest, the catalog with \
      SQLite's integrity check, every object the catalog refers to must be there, and the key \
      must match bank.json; a damaged or incomplete backup is refused with the file it concerns, \
      and nothing is left. The bank is assembled in a temporary directory beside it and renamed \
      into place when whole. It is the same bank: same id, key, and export sequences.
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("The backup: a directory or a .tar file.", valueName: "from"))
  var from: String

  @Flag(help: "Print what was restored as JSON.")
  var json = false

  func run() throws {
    let root = BankLocation.resolve(explicit: bankOptions.bank)
    let summary = try fatalOnError {
      try Library.restore(from: URL(fileURLWithPath: from).standardizedFileURL, to: root)
    }
    if json {
      try printJSON(summary)
      return
    }
    print(
      say(
        .restored(
          national: summary.national, province: summary.province, bank: summary.bank,
          backedUpAt: summary.backedUpAt, assets: summary.assets,
          contributions: summary.national || summary.contributions > 0 ? summary.contributions : nil,
          objects: summary.objects)))
  }
}
