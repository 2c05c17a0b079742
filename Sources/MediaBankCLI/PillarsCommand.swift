import ArgumentParser
import MediaBank
import Messages

struct PillarsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pillars",
    abstract: "Show the image pillars, check which pillar a text names, load a newer vocabulary, add local pillars.",
    discussion: """
      Image pillars (trụ cột hình ảnh) are the themes an asset promotes, from a national vocabulary \
      with stable codes (e.g. tourism-landscape) and a version. Tag with the code; keywords, \
      metadata.csv columns and folder names may also give a label, in Vietnamese or English, with or \
      without diacritics. A bank may load a newer national vocabulary (update) and add its own \
      sub-pillars under a national pillar (add-local). `list` and `match` use the bank's pillars \
      when there is a bank, else the vocabulary shipped with mediabank.
      """,
    subcommands: [
      ListPillarsCommand.self, MatchPillarsCommand.self, UpdatePillarsCommand.self, AddLocalPillarCommand.self,
    ],
    defaultSubcommand: ListPillarsCommand.self)
}

struct ListPillarsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List the pillars: code, Vietnamese and English labels, scope note.",
    discussion: """
      The header gives the national vocabulary's version, who issued it and whether it came with \
      mediabank or was loaded into the bank. Local sub-pillars are listed under their national \
      pillar; retired codes, which assets may still carry, at the end.
      """)

  @OptionGroup var bankOptions: BankOptions

  @Flag(help: "Print the whole vocabulary as JSON, in its file format (with the keyword hints).")
  var json = false

  func run() throws {
    let pillars = try bankOptions.pillars()
    let vocabulary = pillars.vocabulary
    if json {
      try printJSON(vocabulary)
      return
    }
    let national = vocabulary.pillars.filter { $0.parent == nil }.count
    let local = vocabulary.pillars.count - national
    print(say(.pillarVocabulary(version: vocabulary.version, national: national, local: local)))
    print(say(.issuedBy(vocabulary.issuedBy)))
    print(say(.loadedAt(pillars.loadedAt)))
    let width = (vocabulary.pillars + pillars.retired).map { $0.code.count + ($0.parent == nil ? 0 : 2) }.max() ?? 0
    let indent = String(repeating: " ", count: width + 2)
    func show(_ pillar: Pillar, note: String = "") {
      print("")
      let code = (pillar.parent == nil ? "" : "  ") + pillar.code
      print(code.padding(toLength: width + 2, withPad: " ", startingAt: 0), terminator: "")
      print("\(pillar.vietnameseLabel) (\(pillar.englishLabel))\(note)")
      if let parent = pillar.parent {
        print(indent + "thuộc (under) \(parent)")
      } else {
        print(indent + pillar.vietnameseScope)
        print(indent + pillar.englishScope)
      }
    }
    for pillar in vocabulary.topLevel {
      show(pillar)
      for sub in vocabulary.subPillars(of: pillar.code) { show(sub) }
    }
    for pillar in pillars.retired { show(pillar, note: say(.retiredNote)) }
  }
}

struct MatchPillarsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "match",
    abstract: "Show the pillar each text names, or the pillars its keyword hints suggest.",
    discussion: """
      A text names a pillar when it is the pillar's code or one of its labels ("Du lịch và cảnh quan", \
      "du lich canh quan", "Tourism & landscape", "tourism-landscape"); such keywords tag an asset. \
      Otherwise the pillars whose keyword hints occur in it, as whole words, are suggested, most hits \
      first ("Lễ hội Lồng Tồng 2024" suggests events-sports); suggestions wait for a reviewer. Case and \
      diacritics are ignored. Use it to check folder names and keywords before an import. Exit status 1 \
      when some text neither names nor suggests a pillar.
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(
    help: ArgumentHelp("Keywords, titles or folder names, e.g. \"Du lịch Hồ Núi Cốc\".", valueName: "text"))
  var texts: [String]

  @Flag(help: "Print, for each text, the pillar it names (code and labels, or null) and the suggestions as JSON.")
  var json = false

  struct Answer: Encodable {
    let text: String
    let pillar: Named?
    let suggestions: [PillarVocabulary.Suggestion]

    enum CodingKeys: String, CodingKey { case text, pillar, suggestions }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(text, forKey: .text)
      try container.encode(pillar, forKey: .pillar)  // null when the text names no pillar
      try container.encode(suggestions, forKey: .suggestions)
    }
  }

  /// A pillar as `match --json` shows it: code and labels.
  struct Named: Encodable {
    let code: String
    let label: [String: String]
  }

  func run() throws {
    let vocabulary = try bankOptions.pillars().vocabulary
    let answers = texts.map { text in
      let pillar = vocabulary.match(text)
      return Answer(
        text: text, pillar: pillar.map { Named(code: $0.code, label: $0.label) },
        suggestions: pillar == nil ? vocabulary.suggestions(in: [text]) : [])
    }
    if json {
      try printJSON(answers)
    } else {
      for answer in answers {
        if let pillar = answer.pillar {
          print("\(answer.text) → \(pillar.code) \(pillar.label["vi"] ?? "") (\(pillar.label["en"] ?? ""))")
        } else if answer.suggestions.isEmpty {
          print(say(.noPillar(answer.text)))
        } else {
          print(say(.suggests(answer.text)))
          for suggestion in answer.suggestions {
            let label = vocabulary.pillar(suggestion.code).map { " \($0.vietnameseLabel)" } ?? ""
            print(
              say(.pillarHint(code: suggestion.code, label: label, hits: suggestion.hits, hint: suggestion.hint)))
          }
        }
      }
    }
    if answers.contains(where: { $0.pillar == nil && $0.suggestions.isEmpty }) { throw Status.partialFailure }
  }
}

struct UpdatePillarsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "update",
    abstract: "Load a newer national pillar vocabulary into the bank.",
    discussion: """
      FILE is a vocabulary issued by the ministry, in the format of Storage/pillars.md. It must be \
      newer than the vocabulary in force. Tags keep their codes: a code the new version leaves out \
      is retired, and the assets that carry it keep it and are counted as retired in reports. The \
      bank's local sub-pillars must still have their national pillar. Prints what was added and \
      retired. Exit status 2 when the file is refused (nothing changes).
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(help: ArgumentHelp("The vocabulary file (JSON).", valueName: "file"))
  var file: String

  @Flag(help: "Print what changed as JSON.")
  var json = false

  func run() throws {
    let library = try bankOptions.open(create: false)
    let update = try fatalOnError { try library.updatePillars(from: file) }
    if json {
      try printJSON(update)
      return
    }
    print(say(.vocabularyUpdated(from: update.previousVersion, to: update.version)))
    print(say(.pillarsAdded(update.added)))
    if update.retired.isEmpty {
      print(say(.pillarRetired(code: nil, assets: 0)))
    } else {
      for retired in update.retired { print(say(.pillarRetired(code: retired.code, assets: retired.assets))) }
    }
  }
}

struct AddLocalPillarCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add-local",
    abstract: "Add a local sub-pillar under a national pillar.",
    discussion: """
      A local pillar is the bank's own theme under a national pillar, e.g. `tra-thai-nguyen` \
      (Trà Thái Nguyên) under `specialty-products`. Assets tagged with it count under its national \
      pillar too: `list --pillar specialty-products` finds them, reports count them in both rows, \
      and records carry the national pillar as `parent`. Its labels name it in keywords and \
      metadata.csv like a national pillar's; --hint adds words that suggest it in titles, \
      descriptions, keywords and folder names.
      """)

  @OptionGroup var bankOptions: BankOptions

  @Argument(
    help: ArgumentHelp("The new code: lower-case words joined by '-', e.g. tra-thai-nguyen.", valueName: "code"))
  var code: String

  @Option(help: ArgumentHelp("The national pillar it belongs to.", valueName: "code"))
  var parent: String

  @Option(name: .customLong("label-vi"), help: ArgumentHelp("Its Vietnamese label.", valueName: "text"))
  var labelVi: String

  @Option(name: .customLong("label-en"), help: ArgumentHelp("Its English label.", valueName: "text"))
  var labelEn: String

  @Option(
    name: .customLong("hint"),
    help: ArgumentHelp("A word or phrase that suggests it (repeatable), e.g. \"chè Tân Cương\".", valueName: "text"))
  var hints: [String] = []

  func run() throws {
    let library = try bankOptions.open(create: false)
    let pillar = try fatalOnError {
      try library.addLocalPillar(
        LocalPillar(code: code, parent: parent, labelVi: labelVi, labelEn: labelEn, hints: hints))
    }
    print(
      say(
        .localPillarAdded(code: pillar.code, vi: pillar.vietnameseLabel, en: pillar.englishLabel, parent: parent)))
  }
}
