import Metadata
import Taxonomy

/// Finds the language tags of an arrival. A title or description whose language the file, the
/// sidecar or `metadata.csv` states (`xml:lang`, `title_vi`) tags that language, with that source
/// (`embedded` for the file's own XMP/IPTC); when nobody stated the asset's language (no explicit
/// or CSV `language`, no language the file states of itself), the language detected in a
/// story's text, or else those detected in titles, descriptions and keywords of unknown language,
/// are `text` suggestions. A photo without words gets no language tag.
struct LanguageTagger {
  let detector: LanguageDetector

  /// The fields whose words say what language an asset is in.
  static let fields: Set<String> = ["title", "description", "keyword"]

  /// How much of a story's text is read to tell its language.
  static let bodySample = 4000

  /// The language tags found for one arrival; `stated` are the file's own tags (a story's front
  /// matter), `body` a story's text; `fileTexts` is nil for content already in the bank.
  func tags(given: Given, fileTexts: [EmbeddedText]?, stated: [GivenTag] = [], body: String? = nil) -> [GivenTag] {
    // A language given (`--lang`, the CSV's `language`) wins over the one a story states.
    let languageGiven = given.tags.contains { $0.facet == "language" && ["explicit", "csv"].contains($0.source) }
    let statedLanguages = stated.filter { $0.facet == "language" }
    var tags = languageGiven ? [] : statedLanguages
    func add(_ language: String, _ source: String, note: String? = nil) {
      guard !tags.contains(where: { $0.value == language }) else { return }
      tags.append(GivenTag(facet: "language", value: language, source: source, note: note))
    }
    let texts =
      given.texts.filter { Self.fields.contains($0.field) }.map { ($0.field, $0.language, $0.value, $0.source) }
      + (fileTexts ?? []).filter { Self.fields.contains($0.field.rawValue) }.map {
        ($0.field.rawValue, $0.language, $0.value, $0.source == .document ? "document" : "embedded")
      }
    // Languages stated with the texts (a story's texts have the story's language, in `stated`).
    for (field, language, _, source) in texts
    where field != "keyword" && Self.isStated(language) && source != "document" {
      add(language, source)
    }
    // Detection, unless the asset's language was given or stated.
    guard !languageGiven, statedLanguages.isEmpty else { return tags }
    if let body, !body.isEmpty {
      // A story: its text says its language better than its title does.
      if let detection = detector.detect(String(body.prefix(Self.bodySample))) {
        add(detection.tag, "text", note: "detected in the story's text")
      }
      return tags
    }
    let unknown = texts.filter { !Self.isStated($0.1) }
    let keywords = unknown.filter { $0.0 == "keyword" }.map(\.2).joined(separator: ", ")
    let samples = unknown.filter { $0.0 != "keyword" }.map(\.2) + (keywords.isEmpty ? [] : [keywords])
    for sample in samples {
      guard let detection = detector.detect(sample), !tags.contains(where: { $0.value == detection.tag }) else {
        continue
      }
      let quoted = sample.count > 60 ? String(sample.prefix(57)) + "…" : sample
      add(detection.tag, "text", note: "detected in “\(quoted)”")
    }
    return tags
  }

  /// Whether `language` names a language (not `und`, `x-default` or another non-language).
  static func isStated(_ language: String) -> Bool {
    let lower = language.lowercased()
    return !["und", "x-default", "zxx", "mul", ""].contains(lower)
  }
}
