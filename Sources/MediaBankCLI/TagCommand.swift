import ArgumentParser
import Foundation
import MediaBank
import Messages

struct TagCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tag",
    abstract: "Tag assets with a pillar, a language or a locality, link stories to their original, or remove tags.",
    discussion: """
      Tags given here are explicit: confirmed, and more trusted than anything read from the \
      files. A locality may be a code or a name (today's or former) that names exactly one unit; \
      it replaces the asset's earlier explicit locality. --translation-of links stories to the \
      story they translate (replacing their earlier link). With --remove, the tags are removed \
      from every source, and the link to that story.

      Select the assets by id, or in bulk: --batch N (the assets import batch N brought), \
      --folder PATH (the assets with a file under that folder), --ids-from FILE (one id a line; \
      - for standard input, e.g. `mediabank search hồ --ids | mediabank tag --pillar … \
      --ids-from -`). A tag an asset already has changes nothing. Every change is recorded \
      (`mediabank history ID`).

      Exit status: 0 when every asset was tagged, 2 when nothing was done (an unknown id, a \
      locality that is ambiguous or unknown), 64 on a usage error.
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("Asset ids (sha256:<hex> or an unambiguous prefix).", valueName: "id"))
  var ids: [String] = []

  @Option(help: ArgumentHelp("Tag the assets import batch N brought.", valueName: "n"))
  var batch: Int64?

  @Option(help: ArgumentHelp("Tag the assets with a file under this folder.", valueName: "path"))
  var folder: String?

  @Option(
    help: ArgumentHelp("Tag the assets listed in this file, one id a line (- for standard input).", valueName: "file"))
  var idsFrom: String?

  @Option(help: ArgumentHelp("An image pillar code (e.g. tourism-landscape).", valueName: "code"))
  var pillar: String?

  @Option(help: ArgumentHelp("A BCP 47 language tag (vi, en, tyz…).", valueName: "tag"))
  var lang: String?

  @Option(help: ArgumentHelp("A province or commune: a code or a name.", valueName: "place"))
  var locality: String?

  @Option(
    help: ArgumentHelp("The story these stories translate (an id or a prefix): they join its group.", valueName: "id"))
  var translationOf: String?

  @Flag(help: "Remove the tags instead of adding them.")
  var remove = false

  @Flag(help: "Say how many tags would change; change nothing.")
  var dryRun = false

  @Option(
    name: .customLong("operator"), help: ArgumentHelp("Who is tagging (default: the login name).", valueName: "name"))
  var operatorName: String?

  func validate() throws {
    let selections = [!ids.isEmpty, batch != nil, folder != nil, idsFrom != nil].filter { $0 }.count
    guard selections == 1 else {
      throw ValidationError("name the assets one way: ids, --batch N, --folder PATH or --ids-from FILE")
    }
    guard pillar != nil || lang != nil || locality != nil || translationOf != nil else {
      throw ValidationError("give at least one of --pillar, --lang, --locality, --translation-of")
    }
    if let lang, !AddOptions.validateLanguage(lang) {
      throw ValidationError("--lang '\(lang)' is not a BCP 47 language tag (e.g. vi, en, zh-Hans)")
    }
  }

  func run() throws {
    let library = try bankOptions.open(create: false)
    if !remove { try checkPillar(pillar, in: library) }
    let change = TagChange(
      pillar: pillar, language: lang, locality: locality, translationOf: translationOf, remove: remove,
      operatorName: operatorName)
    let selection: AssetSelection
    if let batch {
      selection = .batch(batch)
    } else if let folder {
      selection = .folder(folder)
    } else if let idsFrom {
      selection = .ids(try readIDs(idsFrom))
    } else {
      selection = .ids(ids)
    }
    let result = try fatalOnError { try library.tag(selection, change, dryRun: dryRun) }
    if dryRun {
      print(say(.tagWould(remove: remove, assets: result.ids.count, changes: result.changes)))
      return
    }
    if result.ids.count <= 20 {
      for id in result.ids { print(say(.taggedAsset(remove: remove, id: id))) }
    }
    print(say(.tagged(remove: remove, assets: result.ids.count, changes: result.changes)))
  }
}

/// The ids listed in `file` (`-`: standard input), one a line; blank lines and `#` comments are
/// skipped, and a line may go on after the id (`list` output). Read in chunks, with bounds (a
/// line of at most 4 KiB, at most `maxIDs` ids), so that a stream that never ends cannot take all
/// the memory.
func readIDs(_ file: String, maxIDs: Int = 1_000_000) throws -> [String] {
  func fail(_ problem: IDListProblem) -> any Error {
    printError(say(.error(say(.idList(file: file == "-" ? nil : Terminal.safe(file), problem)))))
    return Status.fatal
  }
  let handle: FileHandle
  if file == "-" {
    handle = FileHandle.standardInput
  } else {
    guard let opened = FileHandle(forReadingAtPath: file) else { throw fail(.unreadable) }
    handle = opened
  }
  var ids: [String] = []
  var line: [UInt8] = []
  func take() throws {
    defer { line.removeAll(keepingCapacity: true) }
    let text = String(decoding: line, as: UTF8.self)
    guard let first = text.split(whereSeparator: \.isWhitespace).first, !first.hasPrefix("#") else { return }
    guard ids.count < maxIDs else { throw fail(.tooMany(maxIDs)) }
    ids.append(String(first))
  }
  while let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty {
    for byte in chunk {
      if byte == 0x0A {
        try take()
      } else {
        guard line.count < 4096 else { throw fail(.lineTooLong) }
        line.append(byte)
      }
    }
  }
  try take()
  guard !ids.isEmpty else { throw fail(.empty) }
  return ids
}
