/// The written-story formats MediaBank reads.
public enum StoryFormat: String, Sendable, CaseIterable {
  case markdown, text, html, docx

  /// The IANA media type.
  public var mediaType: String {
    switch self {
    case .markdown: "text/markdown"
    case .text: "text/plain"
    case .html: "text/html"
    case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    }
  }

  /// The file name extensions of the format, lowercase and without the dot.
  public var fileExtensions: [String] {
    switch self {
    case .markdown: ["md", "markdown"]
    case .text: ["txt"]
    case .html: ["html", "htm"]
    case .docx: ["docx"]
    }
  }

  /// The format a file name's extension claims (case-insensitive), if any.
  public init?(fileExtension: some StringProtocol) {
    let lowercased = fileExtension.lowercased()
    guard let format = Self.allCases.first(where: { $0.fileExtensions.contains(lowercased) }) else {
      return nil
    }
    self = format
  }
}

/// Everything MediaBank reads from a written story: its descriptive fields and its text.
///
/// Every string is NFC. Values are as the file states them: `language` is not checked against
/// BCP 47 and `locality` is not resolved here.
public struct StoryMetadata: Equatable, Sendable {
  public var format: StoryFormat
  /// The title: front matter `title`, HTML `<title>`, DOCX `dc:title`; otherwise the first
  /// level-1 heading (Markdown `# …`, HTML `<h1>`, a DOCX paragraph styled Title or Heading 1),
  /// or the first non-empty line of a plain text.
  public var title: String?
  /// Front matter `summary`, HTML `<meta name="description">` or DOCX `dc:description`;
  /// otherwise the first paragraph of the body that is not a heading, whitespace collapsed to
  /// single spaces and cut at a word boundary after ``StoryExtractor/maxSummaryCharacters``
  /// characters (with `…`).
  public var summary: String?
  /// The text without markup: paragraphs separated by a blank line (`\n\n`), line breaks inside a
  /// paragraph kept as `\n`. Headings are paragraphs of their own and stay in the body.
  public var body: String
  /// The number of words in `body`; see ``StoryExtractor/wordCount(_:)`` for what a word is.
  public var wordCount: Int
  /// The language the file states (front matter `language`, `<html lang>`, `dc:language`), as
  /// given. Not detected from the text.
  public var language: String?
  /// Front matter `author`, HTML `<meta name="author">`, DOCX `dc:creator`.
  public var author: String?
  /// An ISO 8601 date (`YYYY-MM-DD`) or date-time (`YYYY-MM-DDThh:mm[:ss[.f]][Z|±hh:mm]`) as the
  /// file gives it: front matter `date`, HTML `<meta property="article:published_time">` or
  /// `<meta name="date">`, DOCX `dcterms:created`. A value that is not a valid date is left out,
  /// with an issue.
  public var date: String?
  /// Front matter `pillars`, as written.
  public var pillars: [String]
  /// Front matter `locality`, as written.
  public var locality: String?
  /// Front matter `translation_of`: the asset id (or id prefix) of the story this one
  /// translates, as written.
  public var translationOf: String?
  /// Problems met while reading; the story is still usable.
  public var issues: [String]

  /// The IANA media type of `format`.
  public var mediaType: String { format.mediaType }

  init(format: StoryFormat) {
    self.format = format
    self.body = ""
    self.wordCount = 0
    self.pillars = []
    self.issues = []
  }
}
