import ArgumentParser
import Foundation
import MediaBank
import Messages

struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write a signed sync bundle for another bank (the national bank).",
    discussion: """
      A bundle is a BagIt bag (Storage/sync-bundle.md) holding the records of the assets that \
      changed since the last bundle to the destination (new assets, edited texts and tags, \
      retractions, and a deletion for each asset deleted since it was sent there) and the content \
      the destination is not known to hold (receipts tell), signed \
      with the bank's key. Bundles to a destination are numbered 1, 2, 3… so the receiver detects a \
      lost or replayed one; --resend makes a lost bundle again. --max-size splits a large bundle into \
      bags of one group with consecutive numbers, each valid alone. The bundle is complete on disk \
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

  @Flag(
    help:
      "Every record that is not retracted, and all content, whatever the destination holds (and the deletions not sent yet)."
  )
  var full = false

  @Option(help: ArgumentHelp("Make bundle number SEQ again (it was lost).", valueName: "seq"))
  var resend: Int?

  @Option(
    name: .customLong("max-size"),
    help: ArgumentHelp(
      "Split into bags of at most this size (e.g. 4G for a FAT32 disk, 700M), each valid alone.", valueName: "size"))
  var maxSize: String?

  @Flag(help: "Print the bundles written as a JSON array (empty when there was nothing to export).")
  var json = false

  func validate() throws {
    if full && resend != nil { throw ValidationError("give --full or --resend, not both") }
    if let resend, resend < 1 { throw ValidationError("--resend must be a bundle number (1, 2, …)") }
    if let maxSize, Self.bytes(maxSize) == nil {
      throw ValidationError("--max-size must be a size such as 4G, 700M or 1048576, not '\(maxSize)'")
    }
  }

  /// `4G`, `700M`, `64K` or a number of bytes (powers of 1024), at least 16 KiB.
  static func bytes(_ text: String) -> Int64? {
    let units: [Character: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
    var digits = text.uppercased()
    var unit: Int64 = 1
    if let last = digits.last, let factor = units[last] {
      unit = factor
      digits.removeLast()
    }
    guard let number = Int64(digits), number > 0, number <= Int64.max / unit, number * unit >= 16 << 10 else {
      return nil
    }
    return number * unit
  }

  func run() throws {
    let library = try bankOptions.open(create: false)
    let options = ExportOptions(
      destination: to, full: full, resend: resend, output: out, maxSize: maxSize.flatMap(Self.bytes))
    let results = try fatalOnError { try library.export(options) }
    if json {
      try printJSON(results)
      return
    }
    if results.isEmpty { print(say(.nothingToExport(to))) }
    for result in results {
      print(
        say(
          .wroteBundle(
            bundle: result.bundle, kind: result.kind, group: result.group.map { "\($0)" }, path: result.path)))
      print(
        say(
          .bundleCounts(
            records: result.upserts, retractions: result.retractions, deletions: result.deletions,
            objects: result.objects, size: Terminal.size(result.bytes))))
    }
  }
}

struct VerifyBundleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify-bundle",
    abstract: "Check a sync bundle: BagIt structure and fixity, format, signature, records.",
    discussion: """
      Anyone can check a bundle with the public key of the bank that signed it (--public-key, the \
      bank's keys/bank.pub). When run in a bank, the keys it trusts and its own are known too, \
      as `receive` knows them (a bundle signed by a key its rotation statements lead to from a \
      known key verifies; one signed by a key a rotation replaced is refused). Checks, in \
      order: the BagIt structure and every file's SHA-256, the format version, the signature over \
      tagmanifest-sha256.txt, the object names and the record lines. Then each record as `receive` \
      checks it, as far as the bundle tells (an upsert that is not an asset record, or whose \
      content in the bundle contradicts it): the records receive would reject are listed. Exit \
      status 0 when the bundle is intact and signed by a known key (whether or not records would be \
      rejected), 1 when it is not (the reason is printed), 2 when it cannot be read at all.
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
    let given = try fatalOnError { try publicKeys.map { try TrustedKey.read(file: $0) } }
    let root = BankLocation.resolve(explicit: bankOptions.bank)
    let keys =
      Library.exists(at: root)
      ? try fatalOnError { try Library.open(at: root, create: false).bundleKeys(extra: given) } : BundleKeys(given)
    // Exit 2, as the help says, when there is nothing to check: no such file or folder.
    guard FileManager.default.isReadableFile(atPath: bundle) else {
      printError(say(.error(say(.cannotRead(Terminal.safe(bundle))))))
      throw Status.fatal
    }
    let check: BundleCheck
    do {
      check = try Library.checkBundle(at: bundle, keys: keys)
    } catch {
      printError(say(.problem(file: nil, kind: ErrorKind(error.code), detail: "\(error)")))
      // A refusal is the check's answer (1); any other failure is the command's own (2).
      if case .refused = error.code { throw Status.partialFailure }
      throw Status.of(error.code)
    }
    if json {
      try printJSON(check)
      return
    }
    print(say(.bundleIntact(bundle: check.bundle, signedBy: check.signedBy)))
    for rotation in check.rotations ?? [] { print(say(.keyRotation(rotation))) }
    print(
      say(
        .bundleRoute(
          source: check.source, destination: check.destination, sequence: check.sequence, kind: check.kind,
          format: check.formatVersion)))
    print(say(.bundleContents(records: check.records, objects: check.objects, size: Terminal.size(check.bytes))))
    for rejection in check.rejected ?? [] {
      print(
        say(.wouldReject(id: rejection.id, revision: rejection.revision, reason: Terminal.safe(rejection.reason))))
    }
  }
}
