internal import Foundation

/// Reads written stories: Markdown with YAML front matter, plain text, HTML and DOCX.
///
/// A story is recognised by its name's extension and its first bytes, then read whole: the
/// descriptive fields the file states and its text without markup. Text files must be UTF-8 or
/// UTF-16; anything else is refused, never guessed.
public enum StoryExtractor {
  /// The largest Markdown, text or HTML story read: 20 MB.
  public static let maxTextBytes = 20_000_000
  /// The largest DOCX part (`word/document.xml`) read, uncompressed: 50 MB. A larger part is
  /// refused as a possible zip bomb.
  public static let maxDocumentPartBytes = 50_000_000
  /// The longest summary taken from the body, in characters.
  public static let maxSummaryCharacters = 500
  /// How many bytes `format(of:name:)` reads to recognise a story (HTML may start with white
  /// space or a comment before its first tag).
  public static let headSize = 1024

  /// Recognises a story from its name's extension (`.md`/`.markdown`, `.txt`, `.html`/`.htm`,
  /// `.docx`) and its first bytes (at least 64 when the file has them) and size.
  ///
  /// DOCX must start as a ZIP archive (`PK\x03\x04`); HTML with optional white space then
  /// `<!doctype html`, `<html`, `<head`, `<body`, `<meta`, `<title` or a comment; Markdown and text
  /// must decode as UTF-8 (no NUL bytes) or UTF-16 with a byte order mark. The error says why
  /// not, e.g. `not UTF-8 or UTF-16 text (save it as UTF-8): byte 0xe9 at offset 12 is not valid
  /// UTF-8 (Latin-1 or Windows-1258?)`.
  public static func format(head: [UInt8], size: Int64, name: String) throws(MetadataError) -> StoryFormat {
    let nameExtension = name.split(separator: "/").last?.split(separator: ".", omittingEmptySubsequences: false)
    guard let nameExtension, nameExtension.count > 1, let format = StoryFormat(fileExtension: nameExtension.last!)
    else { throw MetadataError("not a story (.md, .markdown, .txt, .html, .htm, .docx)") }
    guard size > 0 else { throw MetadataError("empty file (0 bytes)") }
    try checkSize(size, format: format)
    let complete = Int64(head.count) >= size
    switch format {
    case .docx:
      if head.starts(with: [0x50, 0x4b, 0x03, 0x04]) { return .docx }
      if head.starts(with: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) {
        throw MetadataError(
          "not a DOCX file (an OLE compound file: a Word 97-2003 .doc or a password-protected document)")
      }
      throw MetadataError("not a DOCX file (starts with \(head.hexPrefix()), not a ZIP archive)")
    case .html:
      let text = try StoryText.decode(head[...], complete: complete)
      guard HTMLText.looksLikeHTML(text) else {
        throw MetadataError("not an HTML file (does not start with <!doctype html> or <html>)")
      }
      return .html
    case .markdown, .text:
      _ = try StoryText.decode(head[...], complete: complete)
      return format
    }
  }

  /// Whether a Markdown or text file's first bytes open MediaBank front matter: a first line
  /// `---` (after an optional UTF-8 byte order mark) followed, within `head`, by a line naming one
  /// of the keys MediaBank reads (`title:`, `language:`, `pillars:`…). An import takes such
  /// files as stories, and skips other text files (READMEs, notes, lists).
  public static func hasFrontMatter(head: [UInt8]) -> Bool {
    var bytes = head[...]
    if bytes.starts(with: [0xef, 0xbb, 0xbf]) { bytes = bytes.dropFirst(3) }
    let text = String(decoding: bytes, as: UTF8.self)
    let lines = StoryText.lines(text[...])
    guard let first = lines.first, first.trimmingTrailingSpaces == "---" else { return false }
    let keys = StoryFrontMatter.scalarKeys.union(StoryFrontMatter.listKeys)
    for line in lines.dropFirst() {
      if ["---", "..."].contains(line.trimmingTrailingSpaces) { break }
      guard let colon = line.firstIndex(of: ":") else { continue }
      if keys.contains(String(line[..<colon].trimmingTrailingSpaces)) { return true }
    }
    return false
  }

  /// Recognises the story format of the file at `path` from its first bytes and its name, or
  /// `name` when `path` is a copy whose name says nothing (the bank's stored copy).
  public static func format(of path: String, name: String? = nil) throws(MetadataError) -> StoryFormat {
    let file = try FileReader(path: path)
    return try format(
      head: try file.bytes(at: 0, count: headSize), size: Int64(file.size), name: name ?? path)
  }

  /// Reads the story at `path` as `format` (the file's name is not used: `path` may be a stored
  /// copy).
  ///
  /// Throws when the file is not text in UTF-8 or UTF-16, is above the size limits, or is a
  /// corrupt DOCX. Problems with optional fields (a date that is not a date, front matter that
  /// cannot be read) do not throw: they are listed in `issues`.
  public static func read(_ path: String, format: StoryFormat) throws(MetadataError) -> StoryMetadata {
    try read(path, format: format, maxTextBytes: maxTextBytes, maxPartBytes: maxDocumentPartBytes)
  }

  static func read(
    _ path: String, format: StoryFormat, maxTextBytes: Int, maxPartBytes: Int
  ) throws(MetadataError) -> StoryMetadata {
    switch format {
    case .docx: try DOCXReader.read(path, maxPartBytes: maxPartBytes)
    case .markdown: MarkdownText.read(try text(of: path, limit: maxTextBytes))
    case .text: PlainText.read(try text(of: path, limit: maxTextBytes))
    case .html: HTMLText.read(try text(of: path, limit: maxTextBytes))
    }
  }

  /// The decoded text of a Markdown, text or HTML story, as written: the body and every field
  /// are normalised to NFC when stored.
  private static func text(of path: String, limit: Int) throws(MetadataError) -> String {
    let file = try FileReader(path: path)
    guard file.size > 0 else { throw MetadataError("empty file (0 bytes)") }
    try checkSize(Int64(file.size), format: .text, limit: limit)
    return try StoryText.decode(try file.bytes(at: 0, count: file.size))
  }

  /// Counts the words of `text`.
  ///
  /// A word is a run of characters between white space that holds at least one letter or digit:
  /// `Bà Rịa–Vũng Tàu` is three words and a lone `—` none. Vietnamese counts its syllables, as
  /// written and as word processors count it (`Thái Nguyên` is two words). Each Han ideograph, hiragana or katakana character counts as one word, as
  /// word processors count Chinese and Japanese. Scripts written without spaces between words
  /// (Thai, Lao, Khmer, Myanmar) count each space-separated run as one word, an undercount.
  public static func wordCount(_ text: String) -> Int {
    var count = 0
    var inWord = false
    for scalar in text.unicodeScalars {
      if scalar.isASCII {
        let value = scalar.value
        if value == 0x20 || (0x09...0x0d).contains(value) {
          if inWord { count += 1 }
          inWord = false
        } else if (0x30...0x39).contains(value) || (0x41...0x5a).contains(value) || (0x61...0x7a).contains(value) {
          inWord = true
        }
        continue
      }
      let properties = scalar.properties
      if properties.isWhitespace {
        if inWord { count += 1 }
        inWord = false
      } else if properties.isIdeographic || (0x3040...0x30ff).contains(scalar.value)
        || (0x31f0...0x31ff).contains(scalar.value) || (0xff66...0xff9f).contains(scalar.value)
      {
        if inWord { count += 1 }
        inWord = false
        count += 1
      } else if properties.isAlphabetic || properties.numericType != nil {
        inWord = true
      }
    }
    return inWord ? count + 1 : count
  }

  private static func checkSize(_ size: Int64, format: StoryFormat, limit: Int = maxTextBytes) throws(MetadataError) {
    guard format != .docx, size > limit else { return }
    throw MetadataError(
      "story is \(megabytes(size)) of text, above the limit of \(megabytes(Int64(limit)))")
  }

  /// `20 MB`, `20.5 MB`, or `300 bytes` below a megabyte.
  static func megabytes(_ bytes: Int64) -> String {
    if bytes < 1_000_000 { return "\(bytes) bytes" }
    if bytes % 1_000_000 == 0 { return "\(bytes / 1_000_000) MB" }
    return String(format: "%.1f MB", Double(bytes) / 1_000_000)
  }
}

/// One paragraph of a story's body.
struct StoryParagraph {
  var text: String
  /// 1 to 6 for a heading (a DOCX paragraph styled Title counts as 1, the first line of a plain
  /// text too); nil for body text.
  var headingLevel: Int?
}

extension StoryMetadata {
  /// Fills `body`, `wordCount`, and `title` and `summary` when the file did not state them.
  mutating func setBody(_ paragraphs: [StoryParagraph]) {
    let kept = paragraphs.compactMap { paragraph -> StoryParagraph? in
      let text = StoryText.trimmingLines(paragraph.text)
      return text.isEmpty ? nil : StoryParagraph(text: text, headingLevel: paragraph.headingLevel)
    }
    let joined = kept.map(\.text).joined(separator: "\n\n")
    body = joined.utf8.allSatisfy { $0 < 0x80 } ? joined : joined.precomposedStringWithCanonicalMapping
    wordCount = StoryExtractor.wordCount(body)
    if title == nil, let heading = kept.first(where: { $0.headingLevel == 1 }) {
      title = Text.clean(StoryText.collapsingWhitespace(heading.text))
    }
    if summary == nil, let first = kept.first(where: { $0.headingLevel == nil }) {
      let limit = StoryExtractor.maxSummaryCharacters
      summary = Self.shortened(StoryText.collapsingWhitespace(first.text, maxCharacters: limit + 1))
    }
  }

  /// `text`, cut at a word boundary with `…` when longer than the summary limit.
  static func shortened(_ text: String) -> String? {
    let limit = StoryExtractor.maxSummaryCharacters
    guard text.count > limit else { return Text.clean(text) }
    let head = text.prefix(limit)
    let wordEnds = text[head.endIndex].isWhitespace
    let cut = wordEnds ? head : head.lastIndex(where: \.isWhitespace).map { head[..<$0] } ?? head
    return Text.clean(String(cut)).map { $0 + "…" }
  }

  /// Reads the front matter at the start of `text` (Markdown or plain text), if any, and returns
  /// the text after it.
  mutating func readFrontMatter(_ text: String) -> Substring {
    let (lines, rest, issues) = StoryFrontMatter.split(text)
    self.issues += issues
    guard let lines else { return rest }
    let front = StoryFrontMatter(lines)
    self.issues += front.issues
    title = front.scalar("title")
    summary = front.scalar("summary")
    language = front.scalar("language")
    author = front.scalar("author")
    locality = front.scalar("locality")
    translationOf = front.scalar("translation_of")
    pillars = front.list("pillars")
    setDate(front.scalar("date"), source: "front matter date")
    return rest
  }

  /// Sets `date` when `value` is an ISO 8601 date, else records an issue naming `source`.
  mutating func setDate(_ value: String?, source: String) {
    guard let value = value.flatMap(Text.clean) else { return }
    if StoryText.isISODate(value) {
      date = value
    } else {
      issues.append("\(source) '\(value)' is not an ISO 8601 date (YYYY-MM-DD); ignored")
    }
  }
}

/// Plain text: the first non-empty line is the title (unless it is too long to be one);
/// paragraphs are separated by blank lines.
enum PlainText {
  /// The longest first line taken as a title, in characters.
  static let maxTitleCharacters = 200

  static func read(_ text: String) -> StoryMetadata {
    var metadata = StoryMetadata(format: .text)
    let rest = metadata.readFrontMatter(text)
    var paragraphs: [StoryParagraph] = []
    var lines: [Substring] = []
    // A title from the front matter; else the first line.
    var lookingForTitle = metadata.title == nil
    for line in StoryText.lines(rest) {
      if StoryText.isBlank(line) {
        if !lines.isEmpty { paragraphs.append(StoryParagraph(text: lines.joined(separator: "\n"))) }
        lines = []
      } else if lookingForTitle {
        lookingForTitle = false
        let title = StoryText.collapsingWhitespace(line, maxCharacters: maxTitleCharacters + 1)
        if title.count <= maxTitleCharacters {
          paragraphs.append(StoryParagraph(text: String(line), headingLevel: 1))
        } else {
          metadata.issues.append(
            "the first line has more than \(maxTitleCharacters) characters, too long for a title; no title")
          lines.append(line)
        }
      } else {
        lines.append(line)
      }
    }
    if !lines.isEmpty { paragraphs.append(StoryParagraph(text: lines.joined(separator: "\n"))) }
    metadata.setBody(paragraphs)
    return metadata
  }
}
