import ArgumentParser
import MediaBank

struct ShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Show one asset.",
    discussion: "The id may be abbreviated to any unambiguous prefix of 4 or more hex digits.")

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("The asset id (sha256:<hex> or a prefix).", valueName: "id"))
  var id: String

  @Flag(help: "Print the asset record as JSON.")
  var json = false

  func run() throws {
    let library = try bankOptions.open(create: false)
    let record = try fatalOnError { try library.asset(id) }
    if json {
      try printJSON(record)
    } else {
      print(AssetFormatter.details(record))
    }
  }
}

struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List the assets of the bank, oldest first.")

  @OptionGroup var bankOptions: BankOptions

  @Option(help: ArgumentHelp("Only assets of this kind (photo, video, story).", valueName: "kind"))
  var kind: String?

  @Flag(help: "Print a JSON array of asset records.")
  var json = false

  func validate() throws {
    if let kind, !["photo", "video", "story"].contains(kind) {
      throw ValidationError("--kind must be photo, video or story, not '\(kind)'")
    }
  }

  func run() throws {
    let library = try bankOptions.open(create: false)
    let records = try fatalOnError { try library.assets(kind: kind) }
    if json {
      try printJSON(records)
    } else {
      for record in records { print(AssetFormatter.line(record)) }
    }
  }
}
