import ArgumentParser
import Foundation
import MediaBank

struct EditCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "edit",
    abstract: "Correct the title, description, keywords, creator, rights or capture time of assets.",
    discussion: """
      Values given here are explicit: they are shown instead of what the files say, which is \
      kept (`show` lists it as overridden). --title and --description set the text of one \
      language (--lang); --move-text und:vi says that the titles and descriptions recorded in \
      one language are in another. Every change is recorded with its author, time, old and new \
      value (`mediabank history ID`) and raises the asset's revision, so the next bundle carries \
      it. Ids may be abbreviated; `mediabank list … --ids | xargs mediabank edit …` edits a \
      selection.

      Exit status: 0 when the assets were edited (or already had these values), 2 when nothing \
      was done (an unknown id), 64 on a usage error.
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("Asset ids (sha256:<hex> or an unambiguous prefix).", valueName: "id"))
  var ids: [String]

  @OptionGroup var texts: TextOptions

  @Option(
    help: ArgumentHelp("The language of --title, --description and --add-keyword (vi, en, und…).", valueName: "tag"))
  var lang: String?

  @Option(
    help: ArgumentHelp("The capture time, ISO 8601 (2019-02-05T08:00:00+07:00 or 2019-02-05).", valueName: "time"))
  var capturedAt: String?

  @Option(parsing: .upToNextOption, help: ArgumentHelp("Add these keywords.", valueName: "keyword"))
  var addKeyword: [String] = []

  @Option(
    parsing: .upToNextOption, help: ArgumentHelp("Remove these keywords, whatever their source.", valueName: "keyword"))
  var removeKeyword: [String] = []

  @Option(
    help: ArgumentHelp("Move titles and descriptions from one language to another (und:vi).", valueName: "from:to"))
  var moveText: String?

  @Option(
    name: .customLong("operator"), help: ArgumentHelp("Who is editing (default: the login name).", valueName: "name"))
  var operatorName: String?

  @Flag(help: "Print the result as JSON.")
  var json = false

  func validate() throws {
    if let moveText, moveText.split(separator: ":", omittingEmptySubsequences: false).count != 2 {
      throw ValidationError("--move-text takes FROM:TO, two language tags (und:vi), not '\(moveText)'")
    }
    do {
      try edit.check()
    } catch {
      throw ValidationError(error.reason)
    }
  }

  var edit: AssetEdit {
    let move = moveText.map { value -> (from: String, to: String) in
      let parts = value.split(separator: ":", omittingEmptySubsequences: false)
      return (String(parts[0]), String(parts.count > 1 ? parts[1] : ""))
    }
    return AssetEdit(
      texts: texts.texts, language: lang, capturedAt: capturedAt, addKeywords: addKeyword,
      removeKeywords: removeKeyword, moveText: move, operatorName: operatorName)
  }

  func run() throws {
    let library = try bankOptions.open(create: false)
    let result = try fatalOnError { try library.edit(ids, edit) }
    if json { return try printJSON(result) }
    for id in result.ids { print(say(.edited(id))) }
    print(say(result.changes == 0 ? .nothingChanged : .changesRecorded(result.changes)))
  }
}

struct HistoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history",
    abstract: "Show every change people made to an asset.",
    discussion: """
      Edits, tags given or removed, review decisions, retractions, deletion and undone imports, \
      oldest first: when, who (the operator), what, the old and the new value, and their source. \
      The history of a deleted asset remains.
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("The asset id (sha256:<hex> or a prefix).", valueName: "id"))
  var id: String

  @Flag(help: "Print a JSON array of changes.")
  var json = false

  func run() throws {
    let library = try bankOptions.open(create: false)
    let entries = try fatalOnError { try library.history(id) }
    if json { return try printJSON(entries) }
    if entries.isEmpty { print(say(.noChangeSinceAdded)) }
    for entry in entries { print(HistoryFormatter.line(entry)) }
  }
}

/// How a change reads in `history` and `show`.
enum HistoryFormatter {
  static func line(_ entry: HistoryEntry) -> String {
    var text = "\(entry.at)  \(Terminal.safe(entry.operator))  \(entry.action)"
    if let field = entry.field { text += " \(field)" }
    switch (entry.old, entry.new) {
    case (let old?, let new?): text += ": \(quoted(old)) → \(quoted(new))"
    case (let old?, nil): text += ": " + say(.removedValue(quoted(old)))
    case (nil, let new?): text += ": \(quoted(new))"
    case (nil, nil): break
    }
    if let source = entry.source, source != "explicit" { text += " (\(source))" }
    if let batch = entry.batch { text += " " + say(.inBatch(batch)) }
    return text
  }

  private static func quoted(_ value: String) -> String { "“\(Terminal.safe(value))”" }
}

struct DeleteCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete",
    abstract: "Delete assets from this bank, content and previews included.",
    discussion: """
      The assets' records, tags, search entries and previews go, and their content when no \
      other asset needs it (the files are removed from objects/ for good). A tombstone remains \
      (id, time, operator, reason): importing the same bytes again is refused until you pass \
      --allow-deleted to add or import. An asset that was sent to the national bank is deleted \
      there too: the next bundle says so. To stop sharing an asset but keep it, use `retract`.

      Name the assets as arguments, or list them in a file with --ids-from (`mediabank list \
      --ids … | mediabank delete --ids-from - --reason …`).

      Exit status: 0 when the assets were deleted (or, with --dry-run, would be), 2 when \
      nothing was done (an unknown id, no reason), 64 on a usage error.
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("Asset ids (sha256:<hex> or an unambiguous prefix).", valueName: "id"))
  var ids: [String] = []

  @Option(
    help: ArgumentHelp(
      "Delete the assets listed in this file, one id a line (- for standard input).", valueName: "file"))
  var idsFrom: String?

  @Option(help: ArgumentHelp("Why (kept in the tombstone and the history, sent with the deletion).", valueName: "text"))
  var reason: String

  @Flag(help: "List what would be deleted; change nothing.")
  var dryRun = false

  @Option(
    name: .customLong("operator"), help: ArgumentHelp("Who is deleting (default: the login name).", valueName: "name"))
  var operatorName: String?

  @Flag(help: "Print the assets as JSON.")
  var json = false

  func validate() throws {
    guard reason.contains(where: { !$0.isWhitespace }) else { throw ValidationError("--reason is empty") }
    guard ids.isEmpty != (idsFrom == nil) else {
      throw ValidationError("name the assets one way: ids or --ids-from FILE")
    }
  }

  func run() throws {
    let library = try bankOptions.open(create: false)
    let references = try idsFrom.map { try readIDs($0) } ?? ids
    let deleted = try fatalOnError {
      try library.delete(references, reason: reason, operatorName: operatorName, dryRun: dryRun)
    }
    if json { return try printJSON(deleted) }
    for asset in deleted {
      let line =
        "\(asset.id)  \(asset.kind)  " + Terminal.safe(AssetRecord.bestText(asset.title) ?? asset.names.first ?? "")
        + "  \(SummaryFormatter.bytes(asset.byteSize))"
      let destinations = asset.destinations.isEmpty ? nil : asset.destinations.joined(separator: ", ")
      print(say(.deletedAsset(dryRun: dryRun, line: line, destinations: destinations)))
    }
    let objects = deleted.reduce(0) { $0 + $1.objects.count }
    let bytes = deleted.reduce(Int64(0)) { $0 + ($1.objects.contains($1.id) ? $1.byteSize : 0) }
    print(
      say(.deleted(dryRun: dryRun, assets: deleted.count, objects: objects, freed: SummaryFormatter.bytes(bytes))))
  }
}
