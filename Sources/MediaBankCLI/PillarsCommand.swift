import ArgumentParser
import MediaBank

struct PillarsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pillars",
    abstract: "Show the national image pillars and check which pillar a text names or suggests.",
    discussion: """
      Image pillars (trụ cột hình ảnh) are the themes an asset promotes, from a national vocabulary \
      with stable codes (e.g. tourism-landscape) and a version. Tag with the code; keywords, \
      metadata.csv columns and folder names may also give a label, in Vietnamese or English, with or \
      without diacritics. No bank is needed.
      """,
    subcommands: [ListPillarsCommand.self, MatchPillarsCommand.self],
    defaultSubcommand: ListPillarsCommand.self)
}

struct ListPillarsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List the pillars: code, Vietnamese and English labels, scope note.",
    discussion: "The header gives the vocabulary's version and who issued it.")

  @Flag(help: "Print the whole vocabulary as JSON, in its file format (with the keyword hints).")
  var json = false

  func run() throws {
    let vocabulary = try fatalOnError { try Pillars.shipped() }
    if json {
      try printJSON(vocabulary)
      return
    }
    print("Image pillars: vocabulary \(vocabulary.version), \(vocabulary.pillars.count) pillars")
    print("Issued by: \(vocabulary.issuedBy)")
    let width = vocabulary.pillars.map(\.code.count).max() ?? 0
    let indent = String(repeating: " ", count: width + 2)
    for pillar in vocabulary.pillars {
      print("")
      print(pillar.code.padding(toLength: width + 2, withPad: " ", startingAt: 0), terminator: "")
      print("\(pillar.vietnameseLabel) (\(pillar.englishLabel))")
      print(indent + pillar.vietnameseScope)
      print(indent + pillar.englishScope)
    }
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

  @Argument(
    help: ArgumentHelp("Keywords, titles or folder names, e.g. \"Du lịch Hồ Núi Cốc\".", valueName: "text"))
  var texts: [String]

  @Flag(help: "Print, for each text, the pillar it names (code and labels, or null) and the suggestions as JSON.")
  var json = false

  struct Answer: Encodable {
    let text: String
    let pillar: Named?
    let suggestions: [Pillars.Suggestion]

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
    let vocabulary = try fatalOnError { try Pillars.shipped() }
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
          print("\(answer.text): no pillar")
        } else {
          print("\(answer.text): suggests")
          for suggestion in answer.suggestions {
            let label = vocabulary.pillar(suggestion.code).map { " \($0.vietnameseLabel)" } ?? ""
            let hits = suggestion.hits == 1 ? "1 hit" : "\(suggestion.hits) hits"
            print("  \(suggestion.code)\(label): \(hits), first \"\(suggestion.hint)\"")
          }
        }
      }
    }
    if answers.contains(where: { $0.pillar == nil && $0.suggestions.isEmpty }) { throw Status.partialFailure }
  }
}
