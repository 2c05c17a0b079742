import ArgumentParser
import Foundation
import MediaBank
import Messages
import SystemIO

/// `--bank PATH`, accepted by every subcommand.
struct BankOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp("The bank directory (default: $MEDIABANK_PATH, else the XDG data directory).", valueName: "path")
  )
  var bank: String?

  /// The pillars in force in the bank, or the shipped vocabulary when there is no bank.
  func pillars() throws -> BankPillars {
    try fatalOnError {
      let root = BankLocation.resolve(explicit: bank)
      guard Library.exists(at: root) else { return try BankPillars.shipped() }
      return try Library.open(at: root, create: false).pillars()
    }
  }

  /// Opens the bank, creating it if `create` is true; a failure is fatal (exit status 2).
  func open(create: Bool) throws -> Library {
    try Self.open(explicit: bank, create: create)
  }

  /// Opens the bank at `explicit`, else the default location; a failure is fatal (exit status 2).
  static func open(explicit: String?, create: Bool) throws -> Library {
    try fatalOnError { try Library.open(at: BankLocation.resolve(explicit: explicit), create: create) }
  }
}

/// The explicit tags `add` and `import` give every file: language, pillar, locality.
struct TagOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp("Tag the files with this BCP 47 language (vi, en, zh-Hans, tyz…).", valueName: "tag"))
  var lang: String?

  @Option(help: ArgumentHelp("Tag the files with this image pillar (e.g. tourism-landscape).", valueName: "code"))
  var pillar: String?

  @Option(
    help: ArgumentHelp(
      "Tag the files with this locality: a province or commune code or name, today's or former.",
      valueName: "place"))
  var locality: String?

  func validate() throws {
    if let lang, !AddOptions.validateLanguage(lang) {
      throw ValidationError("--lang '\(lang)' is not a BCP 47 language tag (e.g. vi, en, zh-Hans)")
    }
    if let locality, let reason = Localities.problem(with: locality) {
      throw ValidationError("--locality: \(reason)")
    }
  }
}

/// The descriptive values `add` and `edit` set (``StatedTexts``).
struct TextOptions: ParsableArguments {
  @Option(help: "The title, in the language given by --lang.")
  var title: String?

  @Option(help: "The description (caption), in the language given by --lang.")
  var description: String?

  @Option(help: "The creator (photographer, film-maker, author).")
  var creator: String?

  @Option(help: "The licence (e.g. CC BY 4.0).")
  var license: String?

  @Option(help: "The usage terms (e.g. credit the province's department of culture).")
  var usageTerms: String?

  var texts: StatedTexts {
    StatedTexts(title: title, description: description, creator: creator, license: license, usageTerms: usageTerms)
  }
}

/// Refuses, as a usage error (exit status 64), a `--pillar` code that is not in force in the bank:
/// said as `list --pillar` says it (the check needs the bank, so it runs after ArgumentParser's,
/// which would print the usage of `mediabank` instead of the command's).
func checkPillar(_ code: String?, in library: Library) throws {
  guard let code else { return }
  if let reason = try fatalOnError({ try library.pillars() }).problem(with: code) {
    printError(say(.error("--pillar: \(reason)")))
    throw ExitCode.validationFailure
  }
}

/// Exit statuses shared by all commands (documented in `mediabank --help` and the README).
enum Status {
  /// Some files or objects failed; the rest was done.
  static let partialFailure = ExitCode(1)
  /// Nothing was done.
  static let fatal = ExitCode(2)
  /// `list` or `search` found nothing (as grep).
  static let noMatch = ExitCode(1)
  /// `receive` applied the bundle and stored its receipt, but could not write the receipt file.
  static let receiptNotWritten = ExitCode(3)
  /// Another command held the bank for longer than the wait: nothing was done; run again
  /// (`EX_TEMPFAIL`).
  static let busy = ExitCode(75)

  /// The exit status of a failure of the library, by its code (the table in README.md, "Exit
  /// status"): never from the message.
  static func of(_ code: MediaBankError.Code) -> ExitCode {
    switch code {
    case .busy: busy
    case .notFound, .ambiguous, .invalidInput, .alreadyExists, .conflict, .diskFull, .permissionDenied, .io,
      .newerCatalog, .refused, .damaged, .unavailable, .internal:
      fatal
    }
  }
}

/// Runs `body`; a `MediaBankError` is printed to standard error and exits with the status of its
/// code (`Status.of`): 2, nothing was done, or 75 when another command held the bank.
func fatalOnError<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as MediaBankError {
    printError(say(error))
    throw Status.of(error.code)
  }
}

/// The error line of `error`: `error: DETAIL` in English; in Vietnamese the prefix, then the kind of
/// failure its code is, then the library's English detail (`lỗi: không tìm thấy — no asset
/// sha256:12ab…`). `detail` replaces the error's description (to name the option concerned).
func say(_ error: MediaBankError, detail: String? = nil) -> String {
  say(.failure(ErrorKind(error.code), detail ?? "\(error)"))
}

extension ErrorKind {
  /// The kind of failure a library error's code is: the one place the command line maps codes.
  init(_ code: MediaBankError.Code) {
    switch code {
    case .notFound: self = .notFound
    case .ambiguous: self = .ambiguous
    case .invalidInput: self = .invalidInput
    case .alreadyExists: self = .alreadyExists
    case .conflict: self = .conflict
    case .busy: self = .busy
    case .diskFull: self = .diskFull
    case .permissionDenied: self = .permissionDenied
    case .io: self = .io
    case .newerCatalog: self = .newerCatalog
    case .refused: self = .refused
    case .damaged: self = .damaged
    case .unavailable: self = .unavailable
    case .internal: self = .internal
    }
  }
}

/// The language of the command's messages: Vietnamese under a Vietnamese locale (`LANG=vi_VN.UTF-8`),
/// else English. Messages come from the catalogs the web pages use (`Messages`); the reasons of
/// errors come from the library, in English, after the kind of failure their code is (in
/// Vietnamese under a Vietnamese locale) and with an exit status scripts can branch on. Machine
/// formats (JSON, ids, CSV) and `--help` are the same in every locale.
let language = UILanguage.ofLocale(ProcessInfo.processInfo.environment)

/// `sentence` in the command's language.
func say(_ sentence: Sentence) -> String { sentence.text(language) }

func printError(_ message: String) {
  IO.writeToStandardError("mediabank: \(message)\n")
}

/// Prints `value` as pretty JSON with sorted keys.
func printJSON(_ value: some Encodable) throws {
  print(String(decoding: try jsonEncoder.encode(value), as: UTF8.self))
}

/// How the commands write JSON: pretty-printed, keys sorted, slashes as they are.
let jsonEncoder = {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
  return encoder
}()

/// Prints a JSON array one element at a time, as `printJSON` prints the whole array: a long
/// array is never held. Encoding is most of a `list --json`'s time, so the elements are encoded a
/// batch at a time on every core; the first batches are small, so that the first element comes
/// at once.
struct JSONArrayPrinter<Element: Encodable & Sendable> {
  private var count = 0
  private var pending: [Element] = []
  private var batch = 8

  /// Prints `element` (or keeps it for the batch being made), indented as an element of a
  /// pretty-printed array.
  mutating func print(_ element: Element) {
    pending.append(element)
    if pending.count >= batch { flush() }
  }

  /// Prints the elements kept.
  private mutating func flush() {
    guard !pending.isEmpty else { return }
    let elements = pending
    let first = count == 0
    let encoded = IO.parallelMap(elements.count) { index in
      var text = Array((first && index == 0 ? "[\n  " : ",\n  ").utf8)
      Self.append(elements[index], to: &text)
      return text
    }
    Swift.print(String(decoding: encoded.lazy.compactMap { $0 }.joined(), as: UTF8.self), terminator: "")
    count += elements.count
    pending.removeAll(keepingCapacity: true)
    batch = min(batch * 2, 256)
  }

  /// `element` as the encoder writes it, each line indented by two more spaces: a line break in
  /// the encoder's output is always one of its own (a string's line break is written `\n`).
  private static func append(_ element: Element, to text: inout [UInt8]) {
    // An AssetRecord and the other values printed are plain data: encoding them cannot fail.
    guard let data = try? jsonEncoder.encode(element) else { return }
    text.reserveCapacity(text.count + data.count + data.count / 4)
    data.withUnsafeBytes { bytes in
      for byte in bytes {
        text.append(byte)
        if byte == UInt8(ascii: "\n") { text += [UInt8(ascii: " "), UInt8(ascii: " ")] }
      }
    }
  }

  /// Prints the elements kept and ends the array (an empty one as the encoder writes it).
  mutating func finish() {
    flush()
    if count == 0 {
      let empty = (try? jsonEncoder.encode([Int]())).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
      Swift.print(empty)
    } else {
      Swift.print("\n]")
    }
  }
}
