import ArgumentParser
import MediaBank
import Messages

struct AddCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add",
    abstract: "Add photos, videos and stories to the bank.",
    discussion: """
      Each file is stored by the SHA-256 of its bytes, its metadata read (a photo's EXIF, XMP, \
      IPTC and PNG text; a video's container and streams; a story's front matter, HTML head or \
      DOCX properties, and its text) and a 320-pixel preview made (a video's poster frame), in \
      one transaction. A file is recognised by its content, a story by its name's extension \
      too. Values given here override what the \
      files say; both are kept. Prints one line per file, `added <id>  <file>` or `exists <id>  \
      <file>` (the same bytes were already in the bank: a provenance entry is added); a file \
      that cannot be added is reported on standard error with the reason, and the others go on. \
      A name that is not UTF-8 (an old archive's Latin-1 `café.jpg`) is printed as `ls` prints \
      it, `$'caf\\xe9.jpg'`; one that does not fit on the disk fails with `disk full (N bytes free \
      on DEVICE)`.

      A photo whose header and metadata can be read but whose pixel data is truncated or corrupt \
      (a half-copied JPEG, an IDAT chunk with a bad CRC) is stored all the same, marked damaged \
      with the reason (a `damaged:` line after `added`), with a partial preview when the decoder \
      produced rows of it; `list --damaged` lists such photos. Only a file that is not \
      recognisably a photo (or video, or story) at all is refused, and the pixel limit \
      (--max-megapixels) refuses as before.

      Exit status: 0 when every file was stored (damaged photos included), 1 when some failed, 2 \
      on a fatal error.
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(
    help: ArgumentHelp(
      "The files to add: photos (JPEG, PNG, HEIC/HEIF, AVIF), videos (MP4, MOV, M4V, 3GP, MKV, WebM, AVI, "
        + "MPEG-TS/MTS/M2TS, MPG, WMV, FLV), stories (.md, .txt, .html, .docx).", valueName: "file"))
  var files: [String]

  @OptionGroup var texts: TextOptions

  @OptionGroup var tags: TagOptions

  @Option(
    name: .customLong("operator"), help: ArgumentHelp("Who is adding (default: the login name).", valueName: "name"))
  var operatorName: String?

  @Option(
    help: ArgumentHelp(
      "The story these stories translate (an asset id or a prefix of one): they join its translation group.",
      valueName: "id"))
  var translationOf: String?

  @Option(help: ArgumentHelp("Refuse images larger than this many megapixels.", valueName: "n"))
  var maxMegapixels: Int = AddOptions.defaultMaxPixels / 1_000_000

  @Flag(help: "Take files whose content was deleted from the bank (`mediabank delete`) again.")
  var allowDeleted = false

  func validate() throws {
    guard maxMegapixels > 0 else { throw ValidationError("--max-megapixels must be positive") }
  }

  func run() throws {
    let library = try bankOptions.open(create: true)
    try checkPillar(tags.pillar, in: library)
    var original: String?
    if let translationOf {
      do {
        original = try library.storyID(translationOf)
      } catch {
        printError(say(error, detail: "--translation-of: \(error.reason)"))
        throw Status.of(error.code)
      }
    }
    var options = AddOptions(
      texts: texts.texts, language: tags.lang,
      pillar: tags.pillar, locality: tags.locality, operatorName: operatorName, translationOf: original,
      maxPixels: maxMegapixels * 1_000_000)
    options.allowDeleted = allowDeleted
    var failures = 0
    for (_, raw) in zip(files, RawArguments.bytes(of: files)) {
      let shown = Terminal.safe(bytes: raw)
      do {
        let result = try library.add(rawPath: raw, options: options)
        let outcome = (result.isNew ? Label.addedCount : .exists).text(language)
        // Padded, never cut: `đã thêm` is longer than `added`.
        print("\(outcome.padding(toLength: max(6, outcome.count), withPad: " ", startingAt: 0)) \(result.id)  \(shown)")
        if let damaged = result.damaged { print("       " + say(.damagedStored(Terminal.safe(damaged)))) }
        for issue in result.issues { print("       " + say(.note(Terminal.safe(issue)))) }
      } catch {
        failures += 1
        let file = error.path == nil ? nil : shown
        let detail = Terminal.safe(error.path == nil ? "\(error)" : error.reason)
        printError(say(.problem(file: file, kind: ErrorKind(error.code), detail: detail)))
      }
    }
    if failures > 0 {
      printError(say(.filesFailed(failures, of: files.count)))
      throw Status.partialFailure
    }
  }
}
