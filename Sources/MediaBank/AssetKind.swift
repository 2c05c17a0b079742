import BlobStore
import Catalog
import Metadata
import Taxonomy

/// A kind of asset MediaBank ingests: photos, videos and stories.
///
/// The pipeline recognises a file by its first bytes, stores its bytes, then asks its kind to
/// describe the stored copy: the catalog facts, the texts the file carries and a preview.
protocol AssetKind: Sendable {
  /// The kind's name in the catalog and in records: `photo`, `video` or `story`.
  static var name: String { get }

  /// The file name extensions of the kind, lowercase, without the dot.
  static var fileExtensions: Set<String> { get }

  /// Whether a file that starts with `head` (its first `headSize` bytes or fewer) is of this
  /// kind. Throws a reason when it is not, worded from the file's name (`not a JPEG file (…)`).
  static func recognize(head: [UInt8], size: Int64, name: String) throws(MetadataError)

  /// Reads the file at `path` (the stored copy, whose original was called `name`) and describes it.
  static func describe(
    _ path: String, name: String, id: String, size: Int64, options: AddOptions, addedAt: String
  ) throws(MetadataError) -> AssetDescription
}

/// What a kind says about one file.
struct AssetDescription {
  var asset: AssetRow
  var texts: [EmbeddedText]
  var issues: [String]
  /// A JPEG preview, long edge 320 pixels, when one was made.
  var preview: [UInt8]?
  /// What the file says of itself, as written: a story's front matter, `<html lang>`, core
  /// properties. The pipeline checks and resolves them into `embedded` tags.
  var stated = Stated()
  /// A story's text, for search and language detection.
  var body: String?

  struct Stated {
    var languages: [String] = []
    var pillars: [String] = []
    var locality: String?
    /// The asset id (or a prefix of it) of the story this one translates.
    var translationOf: String?
  }
}

/// How many bytes of a file its kind is recognised from.
let headSize = max(VideoExtractor.headSize, StoryExtractor.headSize)

/// The kinds, in the order they are tried.
let assetKinds: [any AssetKind.Type] = [PhotoKind.self, VideoKind.self, StoryKind.self]

/// The file name extensions of the kinds: a file with one of these names that no kind
/// recognises is a failure (`broken.jpg: not a JPEG file`), any other such file is skipped as
/// not media.
let mediaExtensions: Set<String> = assetKinds.reduce(into: []) { $0.formUnion($1.fileExtensions) }

/// The extension of a file name, lowercase and without the dot; empty when it has none.
func fileExtension(of name: String) -> String {
  let parts = name.split(separator: ".")
  return parts.count > 1 ? parts.last!.lowercased() : ""
}

/// Why no kind recognised a file.
struct Unrecognized: Error {
  var reason: String
  /// The file is an audio recording, which MediaBank does not take.
  var isAudioOnly = false
}

/// The kind of a file from its first bytes. When none fits, throws the reason of the kind the
/// name's extension claims, else an audio file's reason, else one that names what MediaBank reads.
func recognizeKind(head: [UInt8], size: Int64, name: String) throws(Unrecognized) -> any AssetKind.Type {
  var errors: [MetadataError] = []
  for kind in assetKinds {
    do {
      try kind.recognize(head: head, size: size, name: name)
      return kind
    } catch {
      errors.append(error)
    }
  }
  let nameExtension = fileExtension(of: name)
  if let claimed = assetKinds.firstIndex(where: { $0.fileExtensions.contains(nameExtension) }) {
    throw Unrecognized(reason: errors[claimed].reason, isAudioOnly: errors[claimed].isAudioOnly)
  }
  if size == 0 { throw Unrecognized(reason: "empty file (0 bytes)") }
  if let audio = errors.first(where: \.isAudioOnly) { throw Unrecognized(reason: audio.reason, isAudioOnly: true) }
  throw Unrecognized(
    reason:
      "not a photo, video or story that MediaBank reads (starts with \(head.prefix(2).map { String(format: "0x%02x", $0) }.joined(separator: " ")))"
  )
}

/// Photos: JPEG, PNG, HEIC/HEIF/AVIF.
enum PhotoKind: AssetKind {
  static let name = "photo"
  static let fileExtensions: Set<String> = ["jpg", "jpeg", "jpe", "jfif", "png", "heic", "heif", "hif", "avif"]

  static func recognize(head: [UInt8], size: Int64, name: String) throws(MetadataError) {
    _ = try PhotoExtractor.format(head: head, size: size, name: name)
  }

  static func describe(
    _ path: String, name: String, id: String, size: Int64, options: AddOptions, addedAt: String
  ) throws(MetadataError) -> AssetDescription {
    let metadata = try PhotoExtractor.read(path, maxPixels: options.maxPixels)
    var asset = AssetRow(metadata, id: id, byteSize: size, addedAt: addedAt)
    var thumbnail: Thumbnail?
    if options.makeThumbnails {
      // Pixel data cut short or corrupt: the photo is kept, damaged, with the metadata read and
      // the partial preview the decoder made, if any.
      do {
        thumbnail = try Thumbnailer.thumbnail(of: path, metadata: metadata, maxPixels: options.maxPixels)
        asset.damaged = thumbnail?.damaged
      } catch {
        guard error.isDamaged else { throw error }
        asset.damaged = error.reason
      }
    }
    // A JPEG frame of 0 lines (its height left to a DNL marker): the height is unknown.
    if asset.height == 0 { asset.height = nil }
    if asset.width == 0 { asset.width = nil }
    let (texts, languageIssues) = EmbeddedText.withLanguagesChecked(metadata.texts)
    return AssetDescription(
      asset: asset, texts: texts, issues: metadata.issues + languageIssues + (thumbnail?.issues ?? []),
      preview: thumbnail?.jpeg)
  }
}

/// Videos: MP4, MOV, M4V, 3GP, MKV, WebM, AVI, MPEG-TS, MPG, WMV, FLV, read with FFmpeg's
/// libraries; the preview is a poster frame.
enum VideoKind: AssetKind {
  static let name = "video"
  static let fileExtensions: Set<String> = [
    "mp4", "m4v", "mov", "qt", "3gp", "3gpp", "3g2", "mkv", "webm", "avi", "ts", "mts", "m2ts", "m2t", "mpg",
    "mpeg", "vob", "m2p", "wmv", "asf", "flv",
  ]

  static func recognize(head: [UInt8], size: Int64, name: String) throws(MetadataError) {
    _ = try VideoExtractor.format(head: head, size: size, name: name)
  }

  static func describe(
    _ path: String, name: String, id: String, size: Int64, options: AddOptions, addedAt: String
  ) throws(MetadataError) -> AssetDescription {
    let metadata = try VideoExtractor.read(path)
    var issues = metadata.issues
    var poster: Thumbnail?
    if options.makeThumbnails {
      // A video whose frames cannot be decoded is still catalogued, with the reason.
      do {
        poster = try VideoExtractor.posterFrame(path, metadata: metadata)
      } catch {
        issues.append("no poster frame: \(error.reason)")
      }
    }
    let (texts, languageIssues) = EmbeddedText.withLanguagesChecked(metadata.texts)
    return AssetDescription(
      asset: AssetRow(metadata, id: id, byteSize: size, addedAt: addedAt), texts: texts,
      issues: issues + languageIssues + (poster?.issues ?? []), preview: poster?.jpeg)
  }
}

/// Stories: Markdown with front matter, plain text, HTML and DOCX, recognised by their name's
/// extension and their first bytes. A story has no preview.
enum StoryKind: AssetKind {
  static let name = "story"
  static let fileExtensions: Set<String> = Set(StoryFormat.allCases.flatMap(\.fileExtensions))

  static func recognize(head: [UInt8], size: Int64, name: String) throws(MetadataError) {
    _ = try StoryExtractor.format(head: head, size: size, name: name)
  }

  static func describe(
    _ path: String, name: String, id: String, size: Int64, options: AddOptions, addedAt: String
  ) throws(MetadataError) -> AssetDescription {
    let format = try StoryExtractor.format(of: path, name: name)
    let story = try StoryExtractor.read(path, format: format)
    var texts: [EmbeddedText] = []
    var issues = story.issues
    let language = story.language.flatMap(Languages.canonical)
    if let stated = story.language, language == nil {
      issues.append("the story's language '\(stated)' is not a BCP 47 language tag (vi, en, zh-Hant…); it is ignored")
    }
    if let title = story.title {
      texts.append(EmbeddedText(.title, title, language: language ?? "und", source: .document))
    }
    if let summary = story.summary {
      texts.append(EmbeddedText(.description, summary, language: language ?? "und", source: .document))
    }
    if let author = story.author { texts.append(EmbeddedText(.creator, author, source: .document)) }
    var asset = AssetRow(id: id, kind: Self.name, mediaType: format.mediaType, byteSize: size, addedAt: addedAt)
    asset.capturedAt = story.date
    if story.date != nil { asset.capturedAtSource = MetadataSource.document.rawValue }
    asset.wordCount = story.wordCount
    return AssetDescription(
      asset: asset, texts: texts, issues: issues, preview: nil,
      stated: .init(
        languages: language.map { [$0] } ?? [], pillars: story.pillars, locality: story.locality,
        translationOf: story.translationOf),
      body: story.body)
  }
}

extension EmbeddedText {
  /// `texts` with each language as BCP 47 writes it (`en-us` → `en-US`); a language a file
  /// gives that is not a BCP 47 tag (`Vietnamese`, `en_US`) becomes `und`, with an issue.
  static func withLanguagesChecked(_ texts: [EmbeddedText]) -> (texts: [EmbeddedText], issues: [String]) {
    var issues: [String] = []
    let checked = texts.map { text in
      var text = text
      if let canonical = Languages.canonical(text.language) {
        text.language = canonical
      } else {
        let tag = text.source == .container ? "the container tag's language" : "xml:lang"
        let issue = "\(tag) '\(text.language)' is not a BCP 47 language tag; the text is kept as und"
        if !issues.contains(issue) { issues.append(issue) }
        text.language = "und"
      }
      return text
    }
    return (checked, issues)
  }
}
