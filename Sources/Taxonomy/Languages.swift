/// A language MediaBank knows by name (languages.csv: Vietnamese, foreign and ethnic-minority
/// languages a Vietnamese bank meets, with verified codes).
public struct Language: Sendable, Hashable, Codable {
  /// The BCP 47 tag, e.g. `"tyz"` or `"zh-Hans"`.
  public let tag: String
  /// The Vietnamese name, e.g. `"Tiếng Tày"`.
  public let vietnameseName: String
  /// The English name (ISO 639), e.g. `"Tày"`.
  public let englishName: String
  /// `national`, `foreign`, `foreign_extended` or `ethnic_minority`.
  public let category: String
  /// The ISO 639-3 code, e.g. `"tyz"`.
  public let iso639_3: String
}

/// The languages known by name, and BCP 47 tag checking.
public struct Languages: Sendable {
  /// Every known language, in the order of languages.csv (Vietnamese first).
  public let all: [Language]
  private let byTag: [String: Int]

  private static let loaded = Result { () throws(TaxonomyError) -> Languages in try Languages() }

  /// The shipped list, loaded on first use and then shared.
  public static func shared() throws(TaxonomyError) -> Languages {
    try loaded.get()
  }

  /// Loads the shipped languages.csv.
  public init() throws(TaxonomyError) {
    let table = try ResourceFiles.table("languages.csv", in: try ResourceFiles.directory())
    var all: [Language] = []
    try table.each("languages.csv") { (row) throws(TaxonomyError) in
      let tag = try row["bcp47"]
      guard Self.isWellFormed(tag) else {
        throw TaxonomyError("line \(row.line): '\(tag)' is not a well-formed BCP 47 tag", subject: "languages.csv")
      }
      all.append(
        Language(
          tag: tag, vietnameseName: try row["name_vi"], englishName: try row["name_en_iso"],
          category: try row["category"], iso639_3: try row["iso639_3"]))
    }
    self.all = all
    self.byTag = Dictionary(all.enumerated().map { ($1.tag.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
  }

  /// The known language with this tag (compared case-insensitively), if any.
  public func language(_ tag: String) -> Language? {
    byTag[tag.lowercased()].map { all[$0] }
  }

  /// The names of the language with this tag in Vietnamese and English, e.g. `("Tiếng Tày", "Tày")`
  /// for `"tyz"`; nil when the tag is not in the list (it may still be a well-formed tag).
  public func name(of tag: String) -> (vietnamese: String, english: String)? {
    language(tag).map { ($0.vietnameseName, $0.englishName) }
  }

  /// Whether `tag` is a well-formed BCP 47 language tag (RFC 5646 §2.1 syntax, including private
  /// use `x-…` and the grandfathered tags). Well-formed is not the same as registered: `"vi"`,
  /// `"zh-Hans-CN"` and `"qaa"` are well formed; `"vietnamese"`, `"vi_VN"` and `"en--US"` are not.
  public static func isWellFormed(_ tag: String) -> Bool {
    canonical(tag) != nil
  }

  /// The tag with BCP 47's conventional case (language lower case, script title case, region upper
  /// case: `"ZH-hans-cn"` → `"zh-Hans-CN"`), or nil when it is not well formed.
  public static func canonical(_ tag: String) -> String? {
    let lower = tag.lowercased()
    if grandfathered.contains(lower) { return lower }
    let subtags = lower.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
    guard !subtags.isEmpty, subtags.allSatisfy({ !$0.isEmpty && $0.count <= 8 && $0.allSatisfy(isASCIIAlphanumeric) })
    else { return nil }
    var output: [String] = []
    var index = 0
    func peek() -> String? { index < subtags.count ? subtags[index] : nil }

    // privateuse = "x" 1*("-" (1*8alphanum))
    if subtags[0] == "x" {
      return subtags.count > 1 ? subtags.joined(separator: "-") : nil
    }
    // language = 2*3ALPHA ["-" extlang] / 4ALPHA / 5*8ALPHA
    let language = subtags[0]
    guard language.allSatisfy(isASCIILetter), language.count >= 2 else { return nil }
    output.append(language)
    index = 1
    if language.count <= 3 {
      var extlangs = 0
      while let next = peek(), next.count == 3, next.allSatisfy(isASCIILetter), extlangs < 3 {
        output.append(next)
        index += 1
        extlangs += 1
      }
    }
    // script = 4ALPHA
    if let next = peek(), next.count == 4, next.allSatisfy(isASCIILetter) {
      output.append(next.prefix(1).uppercased() + next.dropFirst())
      index += 1
    }
    // region = 2ALPHA / 3DIGIT
    if let next = peek(),
      (next.count == 2 && next.allSatisfy(isASCIILetter))
        || (next.count == 3 && next.allSatisfy(\.isASCII) && next.allSatisfy(\.isNumber))
    {
      output.append(next.uppercased())
      index += 1
    }
    // variant = 5*8alphanum / (DIGIT 3alphanum)
    var variants: Set<String> = []
    while let next = peek(), next.count >= 5 || (next.count == 4 && next.first!.isNumber) {
      guard variants.insert(next).inserted else { return nil }
      output.append(next)
      index += 1
    }
    // extension = singleton 1*("-" (2*8alphanum)); privateuse last
    var singletons: Set<String> = []
    while let next = peek(), next.count == 1 {
      index += 1
      if next == "x" {
        guard index < subtags.count else { return nil }
        output.append(contentsOf: ["x"] + subtags[index...])
        return output.joined(separator: "-")
      }
      guard singletons.insert(next).inserted else { return nil }
      output.append(next)
      var count = 0
      while let part = peek(), part.count >= 2 {
        output.append(part)
        index += 1
        count += 1
      }
      guard count > 0 else { return nil }
    }
    return index == subtags.count ? output.joined(separator: "-") : nil
  }

  private static func isASCIILetter(_ character: Character) -> Bool {
    character.isASCII && character.isLetter
  }

  private static func isASCIIAlphanumeric(_ character: Character) -> Bool {
    character.isASCII && (character.isLetter || character.isNumber)
  }

  /// RFC 5646 grandfathered tags (irregular and regular), lower case.
  private static let grandfathered: Set<String> = [
    "en-gb-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux", "i-mingo", "i-navajo",
    "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-be-fr", "sgn-be-nl", "sgn-ch-de", "art-lojban", "cel-gaulish",
    "no-bok", "no-nyn", "zh-guoyu", "zh-hakka", "zh-min", "zh-min-nan", "zh-xiang",
  ]
}
