import ArgumentParser
import Dispatch
import Foundation
import Glibc
import MediaBank
import Messages
import SystemIO

struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Import every media file under a folder.",
    discussion: """
      Walks the folder (recursively) and adds every photo, video and story through the same \
      pipeline as `add`, on all cores. Photos and videos are recognised by their content, not \
      their name; stories by their name (.md, .markdown, .txt, .html, .htm, .docx) and their \
      content (a text file must be UTF-8 or UTF-16); --kind takes only the kinds named. Audio \
      recordings are skipped. Hidden files, \
      .DS_Store, Thumbs.db, desktop.ini and __MACOSX/ are skipped; symbolic links are skipped \
      unless --follow-links. An XMP sidecar (IMG_0001.xmp or IMG_0001.jpg.xmp) wins over the \
      XMP inside the file; a folder's metadata.csv gives values for the files it names (columns \
      in the README); the folder path is kept as a hint.

      Importing the same folder again reads only new or changed files: a file whose path, size, \
      modification time and inode match an earlier import is not read. An import stopped at any \
      moment (Ctrl-C, kill -9, a crash) is resumed by running the same command again.

      The options (--lang, --pillar, --locality) apply to the files this import adds or sees \
      at their path for the first time; to tag earlier imports, use `mediabank tag --batch N` or \
      `--folder PATH`. A text file (.txt, .md) is a story only when it starts with MediaBank \
      front matter (a --- block with title:, language:, pillars:…), an .html file only with \
      --kind story; other text files are skipped (READMEs, notes). A file whose content was \
      deleted from the bank fails unless --allow-deleted. A run that changes nothing leaves no \
      batch behind.

      A photo whose pixel data is truncated or corrupt but whose header and metadata can be read \
      is stored, marked damaged, and counted among the added (`added 120 (3 damaged; …)`); it is \
      not a failure. `mediabank list --damaged` lists such photos.

      A file that does not fit on the disk fails with `disk full (N bytes free on DEVICE)`, and \
      the import goes on with the others (each is tried; free some space and run it again).

      Exit status: 0 when no file failed (damaged photos are stored, not failed), or when the only failures are files that failed the \
      same way in an earlier batch and have not changed since, 1 when some failed (the others \
      were imported; a full disk included) or the --report file could not be written, \
      2 on a fatal error (nothing was imported), 130 when stopped by Ctrl-C or SIGTERM (run it again to resume).
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("The folder to import.", valueName: "folder"))
  var folder: String

  @Option(
    name: .customLong("operator"), help: ArgumentHelp("Who is importing (default: the login name).", valueName: "name"))
  var operatorName: String?

  @OptionGroup var tags: TagOptions

  @Option(
    name: .customLong("kind"),
    help: ArgumentHelp(
      "Import only files of this kind (photo, video, story; repeat for several); the others are skipped.",
      valueName: "kind"))
  var kinds: [String] = []

  @Flag(help: "Show what would be imported; change nothing.")
  var dryRun = false

  @Option(help: ArgumentHelp("Files processed at once (default: the number of cores).", valueName: "n"))
  var jobs: Int?

  @Option(help: ArgumentHelp("Write every file's outcome to this JSON file.", valueName: "file"))
  var report: String?

  @Flag(help: "Print the summary as JSON.")
  var json = false

  @Flag(help: "Do not make previews (faster; the files this import adds get none).")
  var noThumbnails = false

  @Flag(help: "Follow symbolic links (loops are detected).")
  var followLinks = false

  @Option(help: ArgumentHelp("Refuse images larger than this many megapixels.", valueName: "n"))
  var maxMegapixels: Int = AddOptions.defaultMaxPixels / 1_000_000

  @Flag(help: "Take files whose content was deleted from the bank (`mediabank delete`) again.")
  var allowDeleted = false

  func validate() throws {
    if let jobs, jobs <= 0 { throw ValidationError("--jobs must be positive") }
    guard maxMegapixels > 0 else { throw ValidationError("--max-megapixels must be positive") }
    for kind in kinds where !["photo", "video", "story"].contains(kind) {
      throw ValidationError("--kind must be photo, video or story, not '\(kind)'")
    }
  }

  func run() throws {
    let library = try bankOptions.open(create: true)
    try checkPillar(tags.pillar, in: library)
    var add = AddOptions(
      language: tags.lang, pillar: tags.pillar, locality: tags.locality, operatorName: operatorName,
      maxPixels: maxMegapixels * 1_000_000)
    add.makeThumbnails = !noThumbnails
    add.allowDeleted = allowDeleted
    add.kinds = kinds.isEmpty ? nil : Set(kinds)
    let options = ImportOptions(
      add: add, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, dryRun: dryRun, followLinks: followLinks,
      reportPath: report)

    // Ctrl-C (or SIGTERM) stops the import between files; a second one stops at once, which is
    // safe too. The signals are unblocked in case the parent process blocked them.
    let control = importControl
    _ = stoppingMessage.count  // made now: the handler must not allocate
    var signals = sigset_t()
    sigemptyset(&signals)
    for number in [SIGINT, SIGTERM] {
      sigaddset(&signals, number)
      var action = sigaction()
      action.__sigaction_handler.sa_handler = { _ in
        // Only async-signal-safe work here: an atomic store, write(2), _exit(2).
        if importControl.isCancelled { _exit(130) }
        importControl.cancel()
        _ = stoppingMessage.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count) }
      }
      sigemptyset(&action.sa_mask)
      sigaction(number, &action, nil)
    }
    pthread_sigmask(SIG_UNBLOCK, &signals, nil)

    let line = ProgressLine(enabled: !json && isatty(STDERR_FILENO) == 1)
    let summary = try fatalOnError {
      try library.importFolder(folder, options: options, control: control) { line.update($0) }
    }
    line.finish()
    if json {
      try printJSON(summary)
    } else {
      print(SummaryFormatter.text(summary))
    }
    if let failure = summary.reportFailure { printError(Terminal.safe(failure)) }
    if summary.interrupted { throw ExitCode(130) }
    // Files that failed the same way before, unchanged since, are not news.
    if summary.failed > summary.repeatedFailures || summary.unfinished != nil || summary.reportFailure != nil {
      throw Status.partialFailure
    }
  }
}

/// Stops the running import; set from the signal handler (an atomic store).
let importControl = ImportControl()

/// What the first Ctrl-C of an import writes, in the command's language: made before the signal
/// handler is set, which only writes its bytes.
let stoppingMessage = Array("\nmediabank: \(say(.stopping))\n".utf8)

/// The live progress line on a terminal: files and bytes done, rate, time left, failures.
final class ProgressLine {
  private let enabled: Bool
  private var lastDraw = ContinuousClock.now

  init(enabled: Bool) { self.enabled = enabled }

  func update(_ progress: ImportProgress) {
    guard enabled, ContinuousClock.now - lastDraw > .milliseconds(200) || progress.filesDone == progress.filesTotal
    else { return }
    lastDraw = .now
    let rate = progress.seconds > 0 ? Double(progress.filesDone) / progress.seconds : 0
    let byteRate = progress.seconds > 0 ? Double(progress.bytesDone) / progress.seconds : 0
    let left = byteRate > 0 ? Double(progress.bytesTotal - progress.bytesDone) / byteRate : 0
    var text = say(
      .progress(
        done: progress.filesDone, total: progress.filesTotal, bytesDone: SummaryFormatter.bytes(progress.bytesDone),
        bytesTotal: SummaryFormatter.bytes(progress.bytesTotal), rate: String(format: "%.1f", rate)))
    if progress.filesDone < progress.filesTotal, progress.seconds > 1 { text += say(.timeLeft(Self.duration(left))) }
    if progress.failed > 0 { text += say(.failedSoFar(progress.failed)) }
    IO.writeToStandardError("\r\u{1B}[K\(text)")
  }

  func finish() {
    if enabled { IO.writeToStandardError("\r\u{1B}[K") }
  }

  static func duration(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    return total >= 3600
      ? "\(total / 3600)h\(String(format: "%02d", total % 3600 / 60))m"
      : total >= 60 ? "\(total / 60)m\(String(format: "%02d", total % 60))s" : "\(total)s"
  }
}

/// The human summary of an import.
enum SummaryFormatter {
  /// The summary in `language` (the command's by default): a first line, then a line per outcome.
  static func text(_ summary: ImportSummary, in language: UILanguage = language) -> String {
    func say(_ sentence: Sentence) -> String { sentence.text(language) }
    /// An outcome's line: its label padded to a column, then what follows.
    func line(_ label: Label, _ rest: String) -> String {
      "  " + label.text(language).padding(toLength: 14, withPad: " ", startingAt: 0) + rest
    }
    var lines: [String] = []
    let seconds = String(format: "%.1f s", summary.seconds)
    let root = Terminal.safe(summary.root)
    lines.append(
      (summary.interrupted ? say(.stopped) : "")
        + say(
          summary.dryRun
            ? .wouldImport(root: root, seconds: seconds)
            : .imported(root: root, batch: summary.batch, seconds: seconds)))
    lines.append(
      line(
        summary.dryRun ? .wouldImportCount : .addedCount,
        say(.addedCount(summary.added, damaged: summary.damaged, read: bytes(summary.bytes)))))
    if !summary.dryRun {
      var held: [String] = []
      if summary.duplicates > 0 { held.append(say(.sameBytes(summary.duplicates))) }
      if summary.copies > 0 { held.append(say(.sameFile(summary.copies))) }
      lines.append(line(.alreadyHeld, held.isEmpty ? "0" : held.joined(separator: ", ")))
    }
    if summary.updated > 0 { lines.append(line(.updatedCount, say(.updatedCount(summary.updated)))) }
    lines.append(line(.unchangedCount, say(.unchangedCount(summary.unchanged))))
    lines.append(line(.skippedCount, "\(summary.skipped)"))
    for (reason, count) in summary.skippedByReason.sorted(by: { $0.key < $1.key }) {
      lines.append("    \(count)  \(reason)")
    }
    let before = summary.failedBefore.map {
      say(.unchangedSinceBatch(files: $0.files == summary.failed ? nil : $0.files, batch: $0.batch))
    }
    lines.append(
      line(.failedCount, "\(summary.failed)" + (before.isEmpty ? "" : " (\(before.joined(separator: ", ")))")))
    for failure in summary.failures { lines.append(Terminal.safe("    \(failure.path): \(failure.reason)")) }
    if let unfinished = summary.unfinished { lines.append(line(.unfinishedCount, say(.unfinished(unfinished)))) }
    return lines.joined(separator: "\n")
  }

  static func bytes(_ count: Int64) -> String { Terminal.size(count) }
}
