/// The YAML front matter of a Markdown story: a small, strict reader of the flat keys MediaBank
/// knows, not a YAML library.
///
/// Every value is kept as the text written: no YAML type guessing, so `language: no` is the
/// language `no` and `date: 2024-03-15` the string `2024-03-15`. Supported: `key: value` with
/// plain, `'single'` or `"double"` quoted values (plain and quoted values may continue on
/// indented lines), `|` and `>` block scalars, `~`/`null` for no value, `#` comments, and lists
/// as `[a, 'b', "c"]` or as `- a` lines. Anything else (nested mappings, anchors, tags, unknown
/// or repeated keys) is reported as an issue and skipped; front matter never makes a story
/// unreadable.
struct StoryFrontMatter {
  enum Value: Equatable {
    case scalar(String)
    case list([String])
  }

  /// The keys read, with the kind of value each takes.
  static let scalarKeys: Set<String> = [
    "title", "language", "locality", "author", "date", "summary", "translation_of",
  ]
  static let listKeys: Set<String> = ["pillars"]

  private(set) var values: [String: Value] = [:]
  private(set) var issues: [String] = []

  /// Splits a Markdown text into its front matter lines (between a first line `---` and the next
  /// line `---` or `...`) and the rest. No front matter when the text does not start with `---`,
  /// or when the block is never closed (with an issue).
  static func split(_ text: String) -> (frontMatter: [Substring]?, rest: Substring, issues: [String]) {
    let lines = StoryText.lines(text[...])
    guard let first = lines.first, first.trimmingTrailingSpaces == "---" else { return (nil, text[...], []) }
    guard let end = lines.dropFirst().firstIndex(where: { ["---", "..."].contains($0.trimmingTrailingSpaces) })
    else {
      return (nil, text[...], ["the front matter that starts with --- is never closed; read as text"])
    }
    let rest = end + 1 < lines.count ? text[lines[end + 1].startIndex...] : ""
    return (Array(lines[1..<end]), rest, [])
  }

  /// Reads front matter lines (without the `---` delimiters).
  init(_ lines: [Substring]) {
    var index = 0
    while index < lines.count {
      let line = lines[index]
      let number = index + 2  // in the file, after the opening ---
      index += 1
      let content = line.trimmingLeadingSpaces
      if content.isEmpty || content.hasPrefix("#") { continue }
      guard !line.first!.isWhitespace, !line.hasPrefix("-") else {
        issues.append("front matter line \(number) belongs to no key; ignored")
        continue
      }
      guard let (key, rest) = Self.keyAndValue(line) else {
        issues.append("front matter line \(number) is not 'key: value'; ignored")
        continue
      }
      // The lines that continue this key: indented ones, and `- item` lines under a key
      // without a value on its line.
      let takesItems = rest.isEmpty || rest.hasPrefix("#")
      // The block ends at its last line that is not blank (found in one pass: linear).
      var end = index
      var blockEnd = index
      while end < lines.count {
        let next = lines[end]
        if next.trimmingLeadingSpaces.isEmpty || next.first!.isWhitespace
          || (takesItems && (next.hasPrefix("- ") || next == "-"))
        {
          end += 1
          if !next.trimmingLeadingSpaces.isEmpty { blockEnd = end }
        } else {
          break
        }
      }
      let block = Array(lines[index..<blockEnd])
      index = blockEnd
      let value: Value?
      do throws(ParseError) {
        value = try Self.value(rest, block: block)
      } catch {
        issues.append("front matter '\(key)' \(error.reason); ignored")
        continue
      }
      store(key, value)
    }
  }

  /// The value of a scalar key, nil when absent or empty.
  func scalar(_ key: String) -> String? {
    if case .scalar(let value) = values[key] { return Text.clean(value) }
    return nil
  }

  /// The items of a list key (a single value counts as a list of one).
  func list(_ key: String) -> [String] {
    switch values[key] {
    case .list(let items): items.compactMap(Text.clean)
    case .scalar(let value): Text.clean(value).map { [$0] } ?? []
    case nil: []
    }
  }

  private mutating func store(_ key: String, _ value: Value?) {
    guard Self.scalarKeys.contains(key) || Self.listKeys.contains(key) else {
      issues.append("front matter key '\(key)' is not one MediaBank reads; ignored")
      return
    }
    guard values[key] == nil else {
      issues.append("front matter key '\(key)' appears more than once; the first is kept")
      return
    }
    guard let value else { return }
    if case .list = value, Self.scalarKeys.contains(key) {
      issues.append("front matter '\(key)' is a list, not a single value; ignored")
      return
    }
    values[key] = value
  }

  private struct ParseError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
  }

  /// `key` and the rest of the line after `key:`.
  private static func keyAndValue(_ line: Substring) -> (String, Substring)? {
    guard let colon = line.firstIndex(of: ":") else { return nil }
    let key = line[..<colon].trimmingTrailingSpaces
    let rest = line[line.index(after: colon)...]
    guard let first = key.first, first.isLetter || first == "_",
      key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }),
      rest.isEmpty || rest.first!.isWhitespace
    else { return nil }
    return (String(key), rest.trimmingLeadingSpaces)
  }

  private static func value(_ rest: Substring, block: [Substring]) throws(ParseError) -> Value? {
    let contentLines = block.filter { !$0.trimmingLeadingSpaces.isEmpty }
    if rest.isEmpty || rest.hasPrefix("#") {
      if contentLines.isEmpty { return nil }
      if contentLines.allSatisfy({ $0.trimmingLeadingSpaces.hasPrefix("-") }) {
        return .list(try blockList(contentLines))
      }
      return try scalarValue(contentLines.map(\.trimmingLeadingSpaces).joined(separator: " ")).map(Value.scalar)
    }
    if rest.hasPrefix("|") || rest.hasPrefix(">") {
      return .scalar(try blockScalar(header: rest, block))
    }
    let joined = ([rest] + contentLines.map(\.trimmingLeadingSpaces)).joined(separator: " ")
    if joined.hasPrefix("[") { return .list(try flowList(joined)) }
    return try scalarValue(joined).map(Value.scalar)
  }

  /// A plain or quoted scalar, with an optional trailing comment; nil for `~` and `null`.
  private static func scalarValue(_ text: String) throws(ParseError) -> String? {
    var scanner = Scanner(text)
    let value = try scanner.scalar(endingAt: [])
    scanner.skipSpaces()
    guard scanner.atEnd || scanner.peek == "#" else {
      throw ParseError("has text after its closing quote")
    }
    return value
  }

  private static func flowList(_ text: String) throws(ParseError) -> [String] {
    var scanner = Scanner(text)
    scanner.advance()  // [
    var items: [String] = []
    while true {
      scanner.skipSpaces()
      if scanner.peek == "]" {
        scanner.advance()
        break
      }
      if scanner.atEnd { throw ParseError("is a list without its closing ]") }
      if scanner.peek == "[" || scanner.peek == "{" { throw ParseError("is a nested list or mapping") }
      if scanner.peek == "," {
        scanner.advance()
        continue
      }
      if let item = try scanner.scalar(endingAt: [",", "]"]) { items.append(item) }
      scanner.skipSpaces()
      if scanner.atEnd { throw ParseError("is a list without its closing ]") }
      if scanner.peek == "," {
        scanner.advance()
      } else if scanner.peek != "]" {
        throw ParseError("is a list whose items are not separated by commas")
      }
    }
    scanner.skipSpaces()
    guard scanner.atEnd || scanner.peek == "#" else { throw ParseError("has text after its closing ]") }
    return items
  }

  private static func blockList(_ lines: [Substring]) throws(ParseError) -> [String] {
    var items: [String] = []
    for line in lines {
      let item = line.trimmingLeadingSpaces.dropFirst().trimmingLeadingSpaces
      guard !item.hasPrefix("- "), !item.hasPrefix("["), !item.hasPrefix("{") else {
        throw ParseError("is a nested list or mapping")
      }
      if let value = try scalarValue(String(item)) { items.append(value) }
    }
    return items
  }

  /// A `|` (literal: lines kept) or `>` (folded: lines joined with spaces) block scalar.
  private static func blockScalar(header: Substring, _ block: [Substring]) throws(ParseError) -> String {
    let indicator = header.prefix { !$0.isWhitespace }
    guard indicator.count == 1 || (indicator.count == 2 && "+-".contains(indicator.last!)) else {
      throw ParseError("has a block scalar header MediaBank does not read ('\(indicator)')")
    }
    guard let firstLine = block.first(where: { !$0.trimmingLeadingSpaces.isEmpty }) else { return "" }
    let indent = firstLine.prefix(while: \.isWhitespace).count
    let lines = block.map { $0.trimmingLeadingSpaces.isEmpty ? "" : $0.dropFirst(indent) }
    guard indicator.first == ">" else { return lines.joined(separator: "\n") }
    var folded = ""
    for line in lines {
      if line.isEmpty {
        folded += "\n"
      } else {
        if let last = folded.last, last != "\n" { folded += " " }
        folded += line
      }
    }
    return folded
  }

  /// Reads scalars in a line of front matter.
  private struct Scanner {
    let characters: [Character]
    var position = 0

    init(_ text: String) { characters = Array(text) }

    var atEnd: Bool { position >= characters.count }
    var peek: Character? { atEnd ? nil : characters[position] }
    mutating func advance() { position += 1 }
    mutating func skipSpaces() { while let c = peek, c.isWhitespace { advance() } }

    /// A quoted scalar, or a plain one up to a ` #` comment or one of `terminators`.
    mutating func scalar(endingAt terminators: Set<Character>) throws(ParseError) -> String? {
      skipSpaces()
      switch peek {
      case "\"": return try doubleQuoted()
      case "'": return try singleQuoted()
      case "&", "*", "!", "{", "|", ">", "%", "@", "`":
        throw ParseError("starts with '\(peek!)', YAML syntax MediaBank does not read (quote the value)")
      default: break
      }
      var value = ""
      while let c = peek, !terminators.contains(c) {
        if c == "#", value.last?.isWhitespace ?? true { break }
        value.append(c)
        advance()
      }
      let trimmed = value.trimmingTrailingSpaces
      return trimmed == "~" || trimmed == "null" || trimmed == "Null" || trimmed == "NULL" ? nil : String(trimmed)
    }

    private mutating func singleQuoted() throws(ParseError) -> String {
      advance()
      var value = ""
      while let c = peek {
        advance()
        if c == "'" {
          guard peek == "'" else { return value }
          advance()
        }
        value.append(c)
      }
      throw ParseError("has no closing quote")
    }

    private mutating func doubleQuoted() throws(ParseError) -> String {
      advance()
      var value = ""
      while let c = peek {
        advance()
        if c == "\"" { return value }
        guard c == "\\" else {
          value.append(c)
          continue
        }
        guard let escaped = peek else { break }
        advance()
        switch escaped {
        case "n": value.append("\n")
        case "t": value.append("\t")
        case "\\", "\"", "/", " ": value.append(escaped)
        case "0": value.append("\0")
        case "u", "U", "x":
          let count = escaped == "x" ? 2 : escaped == "u" ? 4 : 8
          let digits = String(characters[position..<min(position + count, characters.count)])
          guard digits.count == count, let code = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(code) else {
            throw ParseError("has an invalid \\\(escaped) escape")
          }
          value.unicodeScalars.append(scalar)
          position += count
        default: throw ParseError("has an escape YAML does not define (\\\(escaped))")
        }
      }
      throw ParseError("has no closing quote")
    }
  }
}

extension StringProtocol {
  /// Without leading spaces and tabs.
  var trimmingLeadingSpaces: SubSequence { drop { $0 == " " || $0 == "\t" } }

  /// Without trailing white space.
  var trimmingTrailingSpaces: SubSequence {
    var end = endIndex
    while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
    return self[..<end]
  }
}
