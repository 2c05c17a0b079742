import ArgumentParser
import Foundation
import MediaBank

struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write a signed sync bundle for another bank (the national bank).",
    discussion: """
      A bundle is a BagIt bag (Storage/sync-bundle.md) holding the records of the assets that \
      changed since the last bundle to the destination (new assets, edited texts and tags, \
      retractions) and the content the destination is not known to hold (receipts tell), signed \
      with the bank's key. Bundles to a destination are numbered 1, 2, 3… so the receiver detects a \
      lost or replayed one; --resend makes a lost bundle again. The bundle is complete on disk \
      before it is recorded. The bank needs a province (`mediabank init --province`).

      Prints the bundle's path, or that there is nothing to export (exit status 0 in both cases).
      """)

  @OptionGroup var bankOptions: BankOptions

  @Option(help: ArgumentHelp("The destination bank.", valueName: "name"))
  var to = "national"

  @Option(
    help: ArgumentHelp(
      "A folder to write the bundle in (created if needed), or a file name ending in .tar.", valueName: "path"))
  var out = "."

  @Flag(help: "Every record that is not retracted, and all content, whatever the destination holds.")
  var full = false

  @Option(help: ArgumentHelp("Make bundle number SEQ again (it was lost).", valueName: "seq"))
  var resend: Int?

  @Flag(help: "Print what was written as JSON (null when there was nothing to export).")
  var json = false

  func validate() throws {
    if full && resend != nil { throw ValidationError("give --full or --resend, not both") }
    if let resend, resend < 1 { throw ValidationError("--resend must be a bundle number (1, 2, …)") }
  }

  func run() throws {
    let library = try bankOptions.open(create: false)
    let options = ExportOptions(destination: to, full: full, resend: resend, output: out)
    let result = try fatalOnError { try library.export(options) }
    if json {
      if let result { try printJSON(result) } else { print("null") }
      return
    }
    guard let result else {
      print("Nothing to export to \(to): every change is in a bundle already.")
      return
    }
    let size = ByteCountFormatter.string(fromByteCount: result.bytes, countStyle: .file)
    print("Wrote \(result.bundle) (\(result.kind)) to \(result.path)")
    print("  \(result.upserts) records, \(result.retractions) retractions, \(result.objects) objects (\(size))")
  }
}

struct VerifyBundleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify-bundle",
    abstract: "Check a sync bundle: BagIt structure and fixity, format, signature, records.",
    discussion: """
      Anyone can check a bundle with the public key of the bank that signed it (--public-key, the \
      bank's keys/bank.pub). When run in a bank, that bank's own key is known too. Checks, in \
      order: the BagIt structure and every file's SHA-256, the format version, the signature over \
      tagmanifest-sha256.txt, the object names and the record lines. Exit status 0 when the bundle \
      is intact and signed by a known key, 1 when it is not (the reason is printed), 2 when it \
      cannot be read at all.
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("The bag directory or .tar file.", valueName: "bundle"))
  var bundle: String

  @Option(
    name: .customLong("public-key"),
    help: ArgumentHelp("A public key file the bundle may be signed with (repeatable).", valueName: "file"))
  var publicKeys: [String] = []

  @Flag(help: "Print what the bundle holds as JSON.")
  var json = false

  func run() throws {
    var keys = try fatalOnError { try publicKeys.map { try TrustedKey.read(file: $0) } }
    let root = BankLocation.resolve(explicit: bankOptions.bank)
    if Library.exists(at: root) {
      keys.append(try fatalOnError { try Library.open(at: root, create: false).trustedKey() })
    }
    let check: BundleCheck
    do {
      check = try Library.checkBundle(at: bundle, keys: keys)
    } catch {
      printError("\(error)")
      throw Status.partialFailure
    }
    if json {
      try printJSON(check)
      return
    }
    print("\(check.bundle): intact, signed by \(check.signedBy)")
    print("  from \(check.source) to \(check.destination), bundle \(check.sequence) (\(check.kind))")
    print("  \(check.records) records, \(check.objects) objects, \(check.bytes) bytes")
  }
}
