import BlobStore
import Catalog
import Metadata
import Taxonomy

/// A kind of asset MediaBank ingests (photos now; videos and stories plug in the same way).
///
/// The pipeline recognises a file by its first bytes, stores its bytes, then asks its kind to
/// describe the stored copy: the catalog facts, the texts the file carries and a preview.
protocol AssetKind: Sendable {
  /// Whether a file that starts with `head` (its first 64 bytes or fewer) is of this kind.
  /// Throws a reason when it is not, worded from the file's name (`not a JPEG file (…)`).
  static func recognize(head: [UInt8], size: Int64, name: String) throws(MetadataError)

  /// Reads the file at `path` (the stored copy) and describes it.
  static func describe(
    _ path: String, id: String, size: Int64, options: AddOptions, addedAt: String
  ) throws(MetadataError) -> AssetDescription
}

/// What a kind says about one file.
struct AssetDescription {
  var asset: AssetRow
  var texts: [EmbeddedText]
  var issues: [String]
  /// A JPEG preview, long edge 320 pixels, when one was made.
  var preview: [UInt8]?
}

/// The kinds, in the order they are tried.
let assetKinds: [any AssetKind.Type] = [PhotoKind.self]

/// The file name extensions of the kinds: a file with one of these names that no kind
/// recognises is a failure (`broken.jpg: not a JPEG file`), any other such file is skipped as
/// not media.
let mediaExtensions: Set<String> = ["jpg", "jpeg", "jpe", "jfif", "png", "heic", "heif", "hif", "avif"]

/// The kind of a file from its first bytes; throws the first kind's reason when none fits.
func recognizeKind(head: [UInt8], size: Int64, name: String) throws(MetadataError) -> any AssetKind.Type {
  var firstError: MetadataError?
  for kind in assetKinds {
    do {
      try kind.recognize(head: head, size: size, name: name)
      return kind
    } catch {
      if firstError == nil { firstError = error }
    }
  }
  throw firstError!
}

/// Photos: JPEG, PNG, HEIC/HEIF/AVIF.
enum PhotoKind: AssetKind {
  static func recognize(head: [UInt8], size: Int64, name: String) throws(MetadataError) {
    _ = try PhotoExtractor.format(head: head, size: size, name: name)
  }

  static func describe(
    _ path: String, id: String, size: Int64, options: AddOptions, addedAt: String
  ) throws(MetadataError) -> AssetDescription {
    let metadata = try PhotoExtractor.read(path, maxPixels: options.maxPixels)
    let thumbnail =
      options.makeThumbnails
      ? try Thumbnailer.thumbnail(of: path, metadata: metadata, maxPixels: options.maxPixels) : nil
    let (texts, languageIssues) = EmbeddedText.withLanguagesChecked(metadata.texts)
    return AssetDescription(
      asset: AssetRow(metadata, id: id, byteSize: size, addedAt: addedAt), texts: texts,
      issues: metadata.issues + languageIssues + (thumbnail?.issues ?? []), preview: thumbnail?.jpeg)
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
        let issue = "xml:lang '\(text.language)' is not a BCP 47 language tag; the text is kept as und"
        if !issues.contains(issue) { issues.append(issue) }
        text.language = "und"
      }
      return text
    }
    return (checked, issues)
  }
}
