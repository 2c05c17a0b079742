internal import Foundation

/// One national image pillar (trụ cột hình ảnh): the theme an asset promotes, e.g.
/// `tourism-landscape`.
public struct Pillar: Sendable, Hashable, Codable {
  /// The stable code, e.g. `"tourism-landscape"`: lower-case ASCII words joined by `-`.
  public let code: String
  /// The label by BCP 47 language tag; always has `vi` and `en`.
  public let label: [String: String]
  /// The one-line scope note by BCP 47 language tag; always has `vi` and `en`.
  public let scope: [String: String]
  /// Keyword hints by BCP 47 language tag: words and phrases whose presence in a title,
  /// description, keyword or folder name suggests this pillar. May be empty.
  public let hints: [String: [String]]
  /// The code of the pillar this one belongs to, for a sub-pillar (a bank's local pillar such as
  /// `tra-thai-nguyen` under `specialty-products`); nil for a top-level pillar. Queries and reports
  /// count a sub-pillar's assets under its parent too.
  public let parent: String?

  /// A pillar; `label` and `scope` must have `vi` and `en` (``PillarVocabulary`` checks it).
  public init(
    code: String, label: [String: String], scope: [String: String], hints: [String: [String]] = [:],
    parent: String? = nil
  ) {
    self.code = code
    self.label = label
    self.scope = scope
    self.hints = hints
    self.parent = parent
  }

  /// The Vietnamese label, e.g. `"Du lịch và cảnh quan"`.
  public var vietnameseLabel: String { label["vi"] ?? code }
  /// The English label, e.g. `"Tourism and landscape"`.
  public var englishLabel: String { label["en"] ?? code }
  /// The Vietnamese scope note.
  public var vietnameseScope: String { scope["vi"] ?? "" }
  /// The English scope note.
  public var englishScope: String { scope["en"] ?? "" }
}

/// The national image-pillar vocabulary: a versioned list of ``Pillar``s, with recognition of the
/// keywords that name a pillar and suggestions from the keyword hints found in free text.
///
/// The vocabulary ships with the module (`Resources/pillars/pillars.json`, format in
/// `Storage/pillars.md`); the ministry may issue a newer one, which ``init(data:name:)`` reads and
/// checks. Matching folds case and diacritics (``VietnameseText/fold(_:)``, so `đ` is `d`) and works
/// on whole words: the hint `"du lịch"` is found in `"Du lịch Hồ Núi Cốc"` and in `"du lich"`, never
/// inside a longer word. The folded forms are computed once, so matching is cheap enough to run on
/// every imported file.
public struct PillarVocabulary: Sendable, Encodable {
  /// The version of the vocabulary, `YEAR.REVISION`, e.g. `"2026.1"`.
  public var version: String { tables.shipped.version }
  /// Who issued this version.
  public var issuedBy: String { tables.shipped.issuedBy }
  /// The pillars, in the vocabulary's order.
  public var pillars: [Pillar] { tables.shipped.pillars }

  /// The newest vocabulary file format this program reads (`formatVersion`).
  public static let formatVersion = 1

  /// The pillars and their indexes; made on first use for the shipped vocabulary, so that a
  /// command that tags nothing does not read it.
  private let tables: Lazy<Tables>
  private var byCode: [String: Int] { tables.shipped.byCode }
  private var names: [String: Int] { tables.shipped.names }
  private var hintIndex: [String: [Hint]] { tables.shipped.hintIndex }

  /// A hint phrase, folded and split into words, with the pillars it suggests.
  private struct Hint: Sendable {
    let words: [String]
    /// The pillars listing this phrase, one entry each: the pillar's index, the hint as it writes
    /// it, and the positions (in `words`) of the words that, written capitalised in a text, make
    /// the phrase a name rather than this hint (``nameGuards(_:)``).
    let pillars: [HintOwner]
    /// Whether some pillar's hint has such positions.
    let guarded: Bool
  }

  private struct HintOwner: Sendable {
    let pillar: Int
    let text: String
    let guards: [Int]
  }

  /// A pillar suggested by the keyword hints found in some texts.
  public struct Suggestion: Sendable, Hashable, Codable {
    /// The suggested pillar's code.
    public let code: String
    /// The first hint of that pillar found, as the vocabulary writes it (e.g. `"du lịch"`).
    public let hint: String
    /// The text that hint was found in, as given.
    public let text: String
    /// How many times the pillar's hints were found, over all the texts.
    public let hits: Int
  }

  private static let loaded = Result { () throws(TaxonomyError) -> PillarVocabulary in
    let name = "pillars.json"
    guard let directory = Bundle.module.url(forResource: "pillars", withExtension: nil),
      ResourceFiles.exists(name, in: directory)
    else {
      throw TaxonomyError("the pillar vocabulary is missing from the installation", subject: name)
    }
    return PillarVocabulary(
      tables: Lazy { () throws(TaxonomyError) in
        try Tables(data: try ResourceFiles.data(name, in: directory), name: name)
      })
  }

  /// The vocabulary shipped with this program, then shared; its file is read on first use of its
  /// pillars.
  public static func shipped() throws(TaxonomyError) -> PillarVocabulary {
    try loaded.get()
  }

  /// Reads and checks a vocabulary file (JSON, see `Storage/pillars.md`); `name` names it in
  /// errors.
  ///
  /// Fails, saying why, when the data is not such a JSON object, its `formatVersion` is newer than
  /// ``formatVersion``, `version` is not `YEAR.REVISION`, `issuedBy` is empty, or the pillars break
  /// a rule of ``init(version:issuedBy:pillars:name:)``.
  public init(data: some Collection<UInt8>, name: String = "pillars.json") throws(TaxonomyError) {
    tables = Lazy(made: try Tables(data: data, name: name))
  }

  /// A vocabulary of `pillars`, checked; `name` names it in errors.
  ///
  /// Fails, saying why, when `version` is not `YEAR.REVISION`, `issuedBy` is empty, there are no
  /// pillars, a code is not lower-case words joined by `-` or appears twice, a pillar lacks its `vi`
  /// or `en` label or scope note (or a scope note spans several lines), a language tag is not BCP 47,
  /// a hint has no letters or digits or holds one of the ``separators``, a `parent` is not the code
  /// of a top-level pillar of the vocabulary, or one name (code or label, folded) would stand for
  /// two pillars. Texts are trimmed and made NFC.
  public init(version: String, issuedBy: String, pillars entries: [Pillar], name: String) throws(TaxonomyError) {
    tables = Lazy(made: try Tables(version: version, issuedBy: issuedBy, pillars: entries, name: name))
  }

  private init(tables: Lazy<Tables>) {
    self.tables = tables
  }

  /// A vocabulary's pillars and the indexes made from them, checked.
  private struct Tables: Sendable {
    let version: String
    let issuedBy: String
    let pillars: [Pillar]
    let byCode: [String: Int]
    /// Folded code or label (also without the connectors "và" / "and") → pillar index.
    let names: [String: Int]
    /// First folded word of a hint → the hints starting with it, longest first.
    let hintIndex: [String: [Hint]]

    init(data: some Collection<UInt8>, name: String) throws(TaxonomyError) {
      func fail(_ reason: String) -> TaxonomyError { TaxonomyError(reason, subject: name) }
      let file: File
      do {
        file = try JSONDecoder().decode(File.self, from: Data(data))
      } catch {
        throw fail("not a pillar vocabulary (\(PillarVocabulary.describe(error)))")
      }
      guard file.formatVersion >= 1 else { throw fail("formatVersion \(file.formatVersion) is not valid") }
      guard file.formatVersion <= PillarVocabulary.formatVersion else {
        throw fail(
          "pillar vocabulary format \(file.formatVersion) is newer than this mediabank understands "
            + "(\(PillarVocabulary.formatVersion)); upgrade mediabank")
      }
      try self.init(
        version: file.version, issuedBy: file.issuedBy,
        pillars: file.pillars.map {
          Pillar(code: $0.code, label: $0.label, scope: $0.scope, hints: $0.hints ?? [:], parent: $0.parent)
        }, name: name)
    }

    init(version: String, issuedBy: String, pillars entries: [Pillar], name: String) throws(TaxonomyError) {
      func fail(_ reason: String) -> TaxonomyError { TaxonomyError(reason, subject: name) }
      guard PillarVocabulary.versionKey(version) != nil else {
        throw fail("version '\(version)' is not of the form YEAR.REVISION (e.g. 2026.1)")
      }
      let issuedBy = issuedBy.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !issuedBy.isEmpty else { throw fail("issuedBy is empty") }
      guard !entries.isEmpty else { throw fail("the vocabulary has no pillars") }
      let topLevel = Set(entries.filter { $0.parent == nil }.map(\.code))

      var pillars: [Pillar] = []
      var byCode: [String: Int] = [:]
      var names: [String: Int] = [:]
      var hints: [String: (words: [String], pillars: [HintOwner])] = [:]
      var hintOrder: [String] = []
      for entry in entries {
        let code = entry.code
        let index = pillars.count
        guard PillarVocabulary.isWellFormedCode(code) else {
          throw fail("'\(code)' is not a pillar code (lower-case letters and digits, words joined by '-')")
        }
        guard byCode.updateValue(index, forKey: code) == nil else { throw fail("duplicate code '\(code)'") }
        if let parent = entry.parent, !topLevel.contains(parent) {
          throw fail("\(code): parent '\(parent)' is not a top-level pillar of this vocabulary")
        }
        let label = try PillarVocabulary.texts(entry.label, of: code, field: "label", file: name)
        let scope = try PillarVocabulary.texts(entry.scope, of: code, field: "scope", file: name)
        if scope.values.contains(where: { $0.contains(where: \.isNewline) }) {
          throw fail("\(code): the scope note must be one line")
        }
        var pillarHints: [String: [String]] = [:]
        for (language, list) in entry.hints {
          guard Languages.isWellFormed(language) else {
            throw fail("\(code): hints language '\(language)' is not a BCP 47 tag")
          }
          pillarHints[language] = try list.map { (hint) throws(TaxonomyError) -> String in
            let trimmed = hint.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
            guard !VietnameseText.fold(trimmed).isEmpty else {
              throw fail("\(code): hint '\(hint)' has no letters or digits")
            }
            if let separator = trimmed.unicodeScalars.first(where: PillarVocabulary.separators.contains) {
              throw fail("\(code): hint '\(hint)' contains '\(separator)', across which hints are not found")
            }
            return trimmed
          }
        }
        pillars.append(Pillar(code: code, label: label, scope: scope, hints: pillarHints, parent: entry.parent))

        // Names: the code and every label, folded, with and without connectors.
        var keys: Set<String> = []
        for text in [code] + label.values {
          let folded = VietnameseText.fold(text)
          keys.insert(folded)
          keys.insert(PillarVocabulary.withoutConnectors(folded))
        }
        for key in keys where !key.isEmpty {
          if let other = names.updateValue(index, forKey: key), other != index {
            throw fail("'\(key)' would name both \(pillars[other].code) and \(code)")
          }
        }
        // Hints: Vietnamese first, then English, then the others; one entry per folded phrase.
        for language in pillarHints.keys.sorted(by: PillarVocabulary.languageOrder) {
          for hint in pillarHints[language]! {
            let folded = VietnameseText.fold(hint)
            if hints[folded] == nil {
              hints[folded] = (folded.split(separator: " ").map(String.init), [])
              hintOrder.append(folded)
            }
            if !hints[folded]!.pillars.contains(where: { $0.pillar == index }) {
              hints[folded]!.pillars.append(
                HintOwner(pillar: index, text: hint, guards: PillarVocabulary.nameGuards(hint)))
            }
          }
        }
      }

      var hintIndex: [String: [Hint]] = [:]
      for key in hintOrder {
        let hint = hints[key]!
        hintIndex[hint.words[0], default: []].append(
          Hint(words: hint.words, pillars: hint.pillars, guarded: hint.pillars.contains { !$0.guards.isEmpty }))
      }
      for key in hintIndex.keys { hintIndex[key]!.sort { $0.words.count > $1.words.count } }

      self.version = version
      self.issuedBy = issuedBy
      self.pillars = pillars
      self.byCode = byCode
      self.names = names
      self.hintIndex = hintIndex
    }
  }

  /// This vocabulary with `subPillars` added after its own pillars (a bank's local pillars),
  /// checked like the vocabulary's own: each must have a `parent` that is a top-level pillar here,
  /// and a code and labels no pillar here has.
  public func adding(_ subPillars: [Pillar], name: String) throws(TaxonomyError) -> PillarVocabulary {
    if let orphan = subPillars.first(where: { $0.parent == nil }) {
      throw TaxonomyError("\(orphan.code) has no parent pillar", subject: name)
    }
    // Nothing to add (a bank without local pillars): this vocabulary is checked already, and
    // checking it again (every label and hint made NFC and folded) costs milliseconds.
    if subPillars.isEmpty { return self }
    return try PillarVocabulary(version: version, issuedBy: issuedBy, pillars: pillars + subPillars, name: name)
  }

  /// The pillars directly under the top-level pillar `code`, in the vocabulary's order.
  public func subPillars(of code: String) -> [Pillar] {
    pillars.filter { $0.parent == code }
  }

  /// The top-level pillars, in the vocabulary's order.
  public var topLevel: [Pillar] { pillars.filter { $0.parent == nil } }

  /// The pillar with this code (compared case-insensitively), if any.
  public func pillar(_ code: String) -> Pillar? {
    (byCode[code] ?? byCode[code.lowercased()]).map { pillars[$0] }
  }

  /// The pillar that `text` names: its code or one of its labels, in any case, with or without
  /// diacritics, with `-`, `_` or spaces between words and with or without "và" / "and" /
  /// "&". `"Du lịch và cảnh quan"`, `"du lich canh quan"`, `"Tourism & Landscape"` and
  /// `"tourism-landscape"` all name `tourism-landscape`. Nil when the text is something else (use
  /// ``suggestions(in:)`` for free text).
  public func match(_ text: String) -> Pillar? {
    let folded = VietnameseText.fold(text)
    guard !folded.isEmpty else { return nil }
    return (names[folded] ?? names[Self.withoutConnectors(folded)]).map { pillars[$0] }
  }

  /// The pillars whose keyword hints occur in `texts` (titles, descriptions, keywords, folder
  /// names), most hits first.
  ///
  /// Texts and hints are folded (case, diacritics, `đ` → `d`, punctuation as spaces) and a hint
  /// must occur as whole words: `"di sản"` is found in `"Di sản Thế giới"` and `"di san"`, not in
  /// `"disan"`, and never across separating punctuation (``separators``: `"Chùa Hang, Đồng Hỷ"`
  /// does not hold `"hang động"`; hyphens and dashes join, as in `"kinh tế - xã hội"`). At each
  /// place the longest hint wins (`"du lịch sinh thái"` rather than `"du lịch"`) and its words are
  /// not matched again. Every occurrence counts as a hit; a phrase that several pillars list counts
  /// for each. Ties keep the order in which the pillars were first found.
  ///
  /// A hint is not found where the text writes a person's name after a kinship pronoun
  /// (``kinshipWords``): the hint `"anh hùng"` (hero) is found in `"Anh hùng dân tộc"` but not in
  /// `"Chân dung anh Hùng"` (a portrait of brother Hùng), because the text capitalises `Hùng`
  /// where the hint does not. The pronoun's own case does not matter (a sentence starts with a
  /// capital), and a text without a lower-case letter (ALL CAPS) says nothing by its case, so
  /// there the hint is found. A hint that writes the name capitalised (`"Bác Hồ"`) means the name.
  public func suggestions(in texts: [String]) -> [Suggestion] {
    let hintIndex = hintIndex
    var found: [Int: (hint: String, text: String, hits: Int, order: Int)] = [:]
    var order = 0
    for text in texts {
      var marks: VietnameseText.CaseMarks? = VietnameseText.CaseMarks()
      // Whether the text writes in upper and lower case (nil: not looked at yet).
      var textHasCase: Bool?
      for segment in text.unicodeScalars.split(whereSeparator: Self.separators.contains) {
        marks!.capitalised.removeAll(keepingCapacity: true)
        let words = VietnameseText.fold(String(segment), marks: &marks).split(separator: " ")
        let capitalised = marks!.capitalised
        /// Whether the word at `index` is written as a name (a capital in a text that has case).
        func writtenAsName(_ index: Int) -> Bool {
          guard capitalised[index] else { return false }
          if textHasCase == nil { textHasCase = text.unicodeScalars.contains { $0.properties.isLowercase } }
          return textHasCase!
        }
        var position = 0
        while position < words.count {
          var match: (hint: Hint, pillars: [HintOwner])?
          for hint in hintIndex[String(words[position])] ?? []
          where position + hint.words.count <= words.count
            && zip(hint.words.dropFirst(), words[(position + 1)...]).allSatisfy({ $0 == $1 })
          {
            let pillars =
              hint.guarded
              ? hint.pillars.filter { $0.guards.allSatisfy { !writtenAsName(position + $0) } } : hint.pillars
            if !pillars.isEmpty {
              match = (hint, pillars)
              break
            }
          }
          guard let match else {
            position += 1
            continue
          }
          for owner in match.pillars {
            if found[owner.pillar] != nil {
              found[owner.pillar]!.hits += 1
            } else {
              found[owner.pillar] = (owner.text, text, 1, order)
              order += 1
            }
          }
          position += match.hint.words.count
        }
      }
    }
    return found.sorted { a, b in
      a.value.hits != b.value.hits ? a.value.hits > b.value.hits : a.value.order < b.value.order
    }
    .map { Suggestion(code: pillars[$0.key].code, hint: $0.value.hint, text: $0.value.text, hits: $0.value.hits) }
  }

  /// The codes of `old` that this vocabulary no longer has, in `old`'s order: the pillars a newer
  /// version retired. Assets keep their tags with a retired code; reports show them as retired.
  public func retired(from old: PillarVocabulary) -> [String] {
    old.pillars.map(\.code).filter { byCode[$0] == nil }
  }

  /// Whether this vocabulary's version is later than `other`'s (`2026.10` is later than `2026.9`).
  public func isNewer(than other: PillarVocabulary) -> Bool {
    guard let mine = Self.versionKey(version), let theirs = Self.versionKey(other.version) else { return false }
    return mine > theirs
  }

  /// Whether `code` has the shape of a pillar code: lower-case ASCII letters and digits, starting
  /// with a letter, in words joined by single `-` (`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`).
  public static func isWellFormedCode(_ code: String) -> Bool {
    let bytes = Array(code.utf8)
    guard let first = bytes.first, (0x61...0x7A).contains(first), bytes.last != UInt8(ascii: "-") else {
      return false
    }
    var previous = first
    for byte in bytes.dropFirst() {
      let isWordByte = (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
      guard isWordByte || (byte == UInt8(ascii: "-") && previous != UInt8(ascii: "-")) else { return false }
      previous = byte
    }
    return true
  }

  /// Writes the vocabulary in its file format (`Storage/pillars.md`).
  public func encode(to encoder: any Encoder) throws {
    try File(
      formatVersion: Self.formatVersion, version: version, issuedBy: issuedBy,
      pillars: pillars.map {
        File.Entry(code: $0.code, label: $0.label, scope: $0.scope, hints: $0.hints, parent: $0.parent)
      }
    ).encode(to: encoder)
  }

  // MARK: Helpers

  /// The vocabulary file as JSON has it.
  private struct File: Codable {
    var formatVersion: Int
    var version: String
    var issuedBy: String
    var pillars: [Entry]

    struct Entry: Codable {
      var code: String
      var label: [String: String]
      var scope: [String: String]
      var hints: [String: [String]]?
      var parent: String?
    }
  }

  /// `texts` trimmed and NFC, checked to have non-empty `vi` and `en` and well-formed tags.
  private static func texts(
    _ texts: [String: String], of code: String, field: String, file: String
  ) throws(TaxonomyError) -> [String: String] {
    var result: [String: String] = [:]
    for (language, text) in texts {
      guard Languages.isWellFormed(language) else {
        throw TaxonomyError("\(code): \(field) language '\(language)' is not a BCP 47 tag", subject: file)
      }
      let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
      if !trimmed.isEmpty { result[language] = trimmed }
    }
    for language in ["vi", "en"] where result[language] == nil {
      throw TaxonomyError("\(code): missing \(language) \(field)", subject: file)
    }
    return result
  }

  /// The characters that end a phrase: a hint is never found across them (`"Chùa Hang, Đồng Hỷ"`
  /// does not hold `"hang động"`). Spaces, hyphens and dashes join words; these separate them.
  static let separators: Set<Unicode.Scalar> = Set(",;:.!?/\\|()[]{}\n\r\t\"“”«»…、，。；：".unicodeScalars)

  /// Vietnamese kinship pronouns, which also stand before a person's given name (`anh Hùng`,
  /// brother Hùng; `bà Lan`, Mrs Lan), as written (lower case, with their marks).
  public static let kinshipWords: Set<String> = [
    "anh", "chị", "em", "ông", "bà", "cô", "chú", "bác", "cháu", "con", "cậu", "mợ", "dì", "dượng", "thím", "cụ",
    "bố", "mẹ", "cha", "má", "ba", "thầy", "bé", "chàng", "nàng",
  ]

  /// The positions of the words of `hint` that follow a kinship pronoun (``kinshipWords``) and
  /// that the hint writes in lower case: a text that writes such a word capitalised names a person
  /// (`"anh Hùng"`), so the hint (`"anh hùng"`, hero) is not found there.
  static func nameGuards(_ hint: String) -> [Int] {
    var marks: VietnameseText.CaseMarks? = VietnameseText.CaseMarks()
    let words = VietnameseText.fold(hint, marks: &marks).split(separator: " ")
    let written = VietnameseText.foldKeepingMarks(hint).split(separator: " ")
    // The two splittings agree on every hint a vocabulary accepts; if one did not, no guard.
    guard words.count == written.count, let capitalised = marks?.capitalised, capitalised.count == words.count else {
      return []
    }
    return (1..<max(words.count, 1)).filter { kinshipWords.contains(String(written[$0 - 1])) && !capitalised[$0] }
  }

  /// `folded` without the words "va" and "and" (unless nothing else is left).
  private static func withoutConnectors(_ folded: String) -> String {
    let words = folded.split(separator: " ").filter { $0 != "va" && $0 != "and" }
    return words.isEmpty ? folded : words.joined(separator: " ")
  }

  /// `vi`, then `en`, then the other tags alphabetically.
  private static func languageOrder(_ a: String, _ b: String) -> Bool {
    let rank = { (tag: String) in tag == "vi" ? 0 : tag == "en" ? 1 : 2 }
    return rank(a) != rank(b) ? rank(a) < rank(b) : a < b
  }

  /// `YEAR.REVISION` as a comparable pair, or nil when `version` has another shape.
  private static func versionKey(_ version: String) -> (year: Int, revision: Int)? {
    let parts = version.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[0].utf8.count == 4,
      parts.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 9 && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
      let year = Int(parts[0]), let revision = Int(parts[1])
    else { return nil }
    return (year, revision)
  }

  /// A JSON decoding error in words: what is missing or wrong, and where.
  private static func describe(_ error: any Error) -> String {
    func path(_ codingPath: [any CodingKey]) -> String {
      guard !codingPath.isEmpty else { return "the top level" }
      var text = ""
      for key in codingPath {
        if let index = key.intValue {
          text += "[\(index)]"
        } else {
          text += (text.isEmpty ? "" : ".") + key.stringValue
        }
      }
      return text
    }
    switch error as? DecodingError {
    case .keyNotFound(let key, let context):
      return "missing '\(key.stringValue)' in \(path(context.codingPath))"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "wrong type at \(path(context.codingPath))"
    case .dataCorrupted(let context):
      return context.codingPath.isEmpty ? "not valid JSON" : "invalid value at \(path(context.codingPath))"
    default:
      return "\(error)"
    }
  }
}
