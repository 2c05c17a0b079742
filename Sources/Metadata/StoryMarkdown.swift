/// Reads Markdown stories: the YAML front matter, then the text without Markdown syntax.
///
/// Headings lose their `#` (or `===`/`---` underline), list items their markers, block quotes
/// their `>`; emphasis and strike-through markers, HTML tags and comments, images and reference
/// definitions are removed; links keep their text; code spans and fenced code keep their text
/// as written; backslash escapes and character references are decoded.
enum MarkdownText {
  static func read(_ text: String) -> StoryMetadata {
    var metadata = StoryMetadata(format: .markdown)
    let rest = metadata.readFrontMatter(text)
    metadata.setBody(paragraphs(rest))
    return metadata
  }

  static func paragraphs(_ text: Substring) -> [StoryParagraph] {
    var paragraphs: [StoryParagraph] = []
    var lines: [Substring] = []
    var fence: (marker: Character, length: Int, indent: Int)?
    var code: [Substring] = []

    func flush() {
      if !lines.isEmpty { paragraphs.append(StoryParagraph(text: inline(lines.joined(separator: "\n")))) }
      lines = []
    }

    for raw in StoryText.lines(text) {
      if let open = fence {
        let content = raw.trimmingLeadingSpaces
        if raw.count - content.count < 4, content.hasPrefix(String(repeating: open.marker, count: open.length)),
          content.allSatisfy({ $0 == open.marker || $0.isWhitespace })
        {
          paragraphs.append(StoryParagraph(text: code.joined(separator: "\n")))
          code = []
          fence = nil
        } else {
          code.append(raw.dropFirst(min(open.indent, raw.prefix(while: { $0 == " " }).count)))
        }
        continue
      }
      var line = raw
      while line.prefix(while: { $0 == " " }).count < 4, line.trimmingLeadingSpaces.hasPrefix(">") {
        line = line.trimmingLeadingSpaces.dropFirst()
        if line.first == " " { line = line.dropFirst() }
      }
      let indent = line.prefix(while: { $0 == " " || $0 == "\t" }).count
      let content = line.trimmingLeadingSpaces
      if content.isEmpty {
        flush()
        continue
      }
      if indent < 4 {
        if let marker = content.first, marker == "`" || marker == "~" {
          let length = content.prefix(while: { $0 == marker }).count
          if length >= 3, marker == "~" || !content.dropFirst(length).contains("`") {
            flush()
            fence = (marker, length, indent)
            continue
          }
        }
        if let (level, heading) = atxHeading(content) {
          flush()
          paragraphs.append(StoryParagraph(text: inline(heading), headingLevel: level))
          continue
        }
        if !lines.isEmpty, let level = setextLevel(content) {
          paragraphs.append(StoryParagraph(text: inline(lines.joined(separator: "\n")), headingLevel: level))
          lines = []
          continue
        }
        if isThematicBreak(content) {
          flush()
          continue
        }
        if lines.isEmpty, isReferenceDefinition(content) { continue }
        lines.append(listItemText(content) ?? content)
      } else {
        lines.append(content)
      }
    }
    if fence != nil { paragraphs.append(StoryParagraph(text: code.joined(separator: "\n"))) }
    flush()
    return paragraphs
  }

  /// `# Title #` → (1, `Title`).
  private static func atxHeading(_ line: Substring) -> (Int, String)? {
    let level = line.prefix(while: { $0 == "#" }).count
    guard (1...6).contains(level) else { return nil }
    let rest = line.dropFirst(level)
    guard rest.isEmpty || rest.first!.isWhitespace else { return nil }
    var text = rest.trimmingLeadingSpaces.trimmingTrailingSpaces
    let closing = text.reversed().prefix(while: { $0 == "#" }).count
    if closing > 0 {
      let before = text.dropLast(closing)
      if before.isEmpty || before.last!.isWhitespace { text = before.trimmingTrailingSpaces }
    }
    return (level, String(text))
  }

  /// A setext underline: `===` (level 1) or `---` (level 2).
  private static func setextLevel(_ line: Substring) -> Int? {
    let text = line.trimmingTrailingSpaces
    if text.allSatisfy({ $0 == "=" }) { return 1 }
    if text.count >= 2 && text.allSatisfy({ $0 == "-" }) { return 2 }
    return nil
  }

  /// `***`, `---`, `___`, spaces allowed between.
  private static func isThematicBreak(_ line: Substring) -> Bool {
    guard let marker = line.first, "*-_".contains(marker) else { return false }
    let marks = line.filter { !$0.isWhitespace }
    return marks.count >= 3 && marks.allSatisfy { $0 == marker }
  }

  /// `[label]: destination`.
  private static func isReferenceDefinition(_ line: Substring) -> Bool {
    guard line.hasPrefix("["), !line.hasPrefix("[^"), let close = line.firstIndex(of: "]") else { return false }
    let after = line[line.index(after: close)...]
    return after.hasPrefix(":") && !after.dropFirst().trimmingLeadingSpaces.isEmpty
  }

  /// The text of a list item line (`- x`, `* x`, `+ x`, `1. x`, `1) x`, task boxes removed).
  private static func listItemText(_ line: Substring) -> Substring? {
    var rest: Substring
    if let first = line.first, "-*+".contains(first) {
      rest = line.dropFirst()
    } else {
      let digits = line.prefix(while: \.isASCIIDigit)
      guard (1...9).contains(digits.count) else { return nil }
      rest = line.dropFirst(digits.count)
      guard let delimiter = rest.first, delimiter == "." || delimiter == ")" else { return nil }
      rest = rest.dropFirst()
    }
    guard rest.isEmpty || rest.first!.isWhitespace else { return nil }
    rest = rest.trimmingLeadingSpaces
    for box in ["[ ] ", "[x] ", "[X] "] where rest.hasPrefix(box) { rest = rest.dropFirst(box.count) }
    return rest
  }

  /// Inline Markdown to plain text.
  static func inline(_ text: String) -> String {
    String(decoding: inline(Array(text.utf8)), as: UTF8.self)
  }

  private static func inline(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var index = 0
    // Lengths of backtick runs known to have no closing run further on, and whether a comment
    // was found unclosed: each search to the end of the paragraph is done once, not per marker.
    var unclosedBackticks = Set<Int>()
    var unclosedComment = false
    var pairs: BracketPairs?
    var nextGreater = -1
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\\"):
        let next = index + 1 < bytes.count ? bytes[index + 1] : 0
        if isASCIIPunctuation(next) {
          out.append(next)
          index += 2
          continue
        }
        if next == 0x0a {
          index += 1
          continue
        }
      case UInt8(ascii: "`"):
        let run = bytes[index...].prefix { $0 == byte }.count
        let close = unclosedBackticks.contains(run) ? nil : closingBackticks(bytes, from: index + run, length: run)
        if close == nil { unclosedBackticks.insert(run) }
        if let close {
          var content = bytes[(index + run)..<close]
          if content.count >= 2, content.first == 0x20, content.last == 0x20, content.contains(where: { $0 != 0x20 }) {
            content = content.dropFirst().dropLast()
          }
          out += content
          index = close + run
        } else {
          out += bytes[index..<(index + run)]
          index += run
        }
        continue
      case UInt8(ascii: "!"):
        if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "[") {
          if pairs == nil { pairs = BracketPairs(bytes) }
          if let link = link(bytes, at: index + 1, pairs!) {
            index = link.end
            continue
          }
        }
      case UInt8(ascii: "["):
        if pairs == nil { pairs = BracketPairs(bytes) }
        if let link = link(bytes, at: index, pairs!) {
          out += inline(Array(bytes[link.text]))
          index = link.end
          continue
        }
      case UInt8(ascii: "<"):
        if nextGreater < index { nextGreater = bytes[index...].firstIndex(of: UInt8(ascii: ">")) ?? bytes.count }
        if let (replacement, end) = angleBracket(
          bytes, at: index, nextGreater: nextGreater, unclosedComment: &unclosedComment)
        {
          out += replacement
          index = end
          continue
        }
      case UInt8(ascii: "&"):
        if let (scalar, length) = HTMLText.entity(bytes, at: index) {
          out += Array(String(scalar).utf8)
          index += length
          continue
        }
      case UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "~"):
        let run = bytes[index...].prefix { $0 == byte }.count
        if !isEmphasisMarker(bytes, at: index, length: run) { out += bytes[index..<(index + run)] }
        index += run
        continue
      default: break
      }
      out.append(byte)
      index += 1
    }
    return out
  }

  private enum Flank { case space, punctuation, word }

  private static func flank(_ byte: UInt8?) -> Flank {
    guard let byte, byte != 0x20, byte != 0x09, byte != 0x0a else { return .space }
    return isASCIIPunctuation(byte) ? .punctuation : .word
  }

  /// Whether a run of `*`, `_` or `~~` opens or closes emphasis (CommonMark's flanking rules;
  /// `_` and `*` inside a word, and a single `~`, are text).
  private static func isEmphasisMarker(_ bytes: [UInt8], at index: Int, length: Int) -> Bool {
    let marker = bytes[index]
    if marker == UInt8(ascii: "~") && length < 2 { return false }
    let before = flank(index > 0 ? bytes[index - 1] : nil)
    let after = flank(index + length < bytes.count ? bytes[index + length] : nil)
    let left = after != .space && (after != .punctuation || before != .word)
    let right = before != .space && (before != .punctuation || after != .word)
    if before == .word && after == .word { return false }
    if marker == UInt8(ascii: "_") {
      return (left && (!right || before == .punctuation)) || (right && (!left || after == .punctuation))
    }
    return left || right
  }

  private static func closingBackticks(_ bytes: [UInt8], from start: Int, length: Int) -> Int? {
    var index = start
    while index < bytes.count {
      guard bytes[index] == UInt8(ascii: "`") else {
        index += 1
        continue
      }
      let run = bytes[index...].prefix { $0 == UInt8(ascii: "`") }.count
      if run == length { return index }
      index += run
    }
    return nil
  }

  /// `[text](destination)`, `[text][label]` or `[text][]` at `index` (a `[`): the text's range and
  /// where the link ends.
  private static func link(_ bytes: [UInt8], at index: Int, _ pairs: BracketPairs) -> (text: Range<Int>, end: Int)? {
    guard let close = pairs.closing(index), close + 1 < bytes.count,
      bytes[close + 1] == UInt8(ascii: "(") || bytes[close + 1] == UInt8(ascii: "["),
      let end = pairs.closing(close + 1)
    else { return nil }
    return ((index + 1)..<close, end + 1)
  }

  /// The closing bracket of each opening `[` and `(`, found in one pass (escaped brackets are
  /// text; only the innermost 4,096 unclosed brackets are remembered).
  private struct BracketPairs {
    private var closings: [Int: Int] = [:]

    init(_ bytes: [UInt8]) {
      var square: [Int] = []
      var round: [Int] = []
      var index = 0
      while index < bytes.count {
        switch bytes[index] {
        case UInt8(ascii: "\\"): index += 1
        case UInt8(ascii: "["): Self.push(index, on: &square)
        case UInt8(ascii: "("): Self.push(index, on: &round)
        case UInt8(ascii: "]"): if let open = square.popLast() { closings[open] = index }
        case UInt8(ascii: ")"): if let open = round.popLast() { closings[open] = index }
        default: break
        }
        index += 1
      }
    }

    private static func push(_ index: Int, on stack: inout [Int]) {
      if stack.count >= 8192 { stack.removeFirst(4096) }
      stack.append(index)
    }

    func closing(_ index: Int) -> Int? { closings[index] }
  }

  /// An autolink (`<https://…>` → the address), an HTML comment or tag (removed; `<br>` → a line
  /// break) at `index` (a `<`).
  /// `nextGreater` is the index of the first `>` after `index` (or the end).
  private static func angleBracket(
    _ bytes: [UInt8], at index: Int, nextGreater close: Int, unclosedComment: inout Bool
  ) -> ([UInt8], end: Int)? {
    let rest = bytes[(index + 1)...]
    if rest.starts(with: "!--".utf8) {
      guard !unclosedComment, let end = find(bytes, "-->", from: index + 4) else {
        unclosedComment = true
        return nil
      }
      return ([], end + 3)
    }
    guard close < bytes.count, close - index <= 1024 else { return nil }
    let inside = bytes[(index + 1)..<close]
    guard let first = inside.first else { return nil }
    if !inside.contains(where: { $0 == 0x20 || $0 == 0x0a }),
      inside.contains(UInt8(ascii: ":")) || inside.contains(UInt8(ascii: "@")), isASCIILetter(first)
    {
      return (Array(inside), close + 1)
    }
    let name = (first == UInt8(ascii: "/") ? inside.dropFirst() : inside[...]).prefix(while: isASCIILetter)
    guard !name.isEmpty else { return nil }
    let lowercased = String(decoding: name, as: UTF8.self).lowercased()
    return (lowercased == "br" ? [0x0a] : [], close + 1)
  }

  private static func find(_ bytes: [UInt8], _ needle: String, from start: Int) -> Int? {
    let needle = Array(needle.utf8)
    guard bytes.count >= needle.count else { return nil }
    var index = start
    while index + needle.count <= bytes.count {
      if bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
      index += 1
    }
    return nil
  }

  private static func isASCIIPunctuation(_ byte: UInt8) -> Bool {
    (0x21...0x2f).contains(byte) || (0x3a...0x40).contains(byte) || (0x5b...0x60).contains(byte)
      || (0x7b...0x7e).contains(byte)
  }

  private static func isASCIILetter(_ byte: UInt8) -> Bool {
    (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte)
  }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
