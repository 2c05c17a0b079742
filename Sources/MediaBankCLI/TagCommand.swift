import ArgumentParser
import MediaBank

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

      Exit status: 0 when every asset was tagged, 2 when nothing was done (an unknown id, a \
      locality that is ambiguous or unknown).
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("Asset ids (sha256:<hex> or an unambiguous prefix).", valueName: "id"))
  var ids: [String]

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

  func validate() throws {
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
      pillar: pillar, language: lang, locality: locality, translationOf: translationOf, remove: remove)
    let tagged = try fatalOnError { try library.tag(ids, change) }
    for id in tagged { print("\(remove ? "untagged" : "tagged") \(id)") }
  }
}
