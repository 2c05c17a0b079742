import Foundation
import Metadata
import Taxonomy

/// Finds the image-pillar tags of an arrival: keywords that name a pillar (by code or label) are
/// stated tags of their source; keyword hints found in the titles, descriptions and keywords
/// are `text` suggestions, and hints in the folder names `path` suggestions. Explicit and CSV
/// pillars are given, not found here.
struct PillarTagger {
  let vocabulary: PillarVocabulary

  /// The pillar tags found for one arrival; `stated` are the file's own resolved tags (a story's
  /// front matter); `fileTexts` is nil for content already in the bank.
  func tags(given: Given, fileTexts: [EmbeddedText]?, stated: [GivenTag] = [], folder: String?) -> [GivenTag] {
    var tags = stated.filter { $0.facet == "pillar" }
    // Pillars given explicitly or in metadata.csv are not suggested again.
    var stated = Set((given.tags + tags).filter { $0.facet == "pillar" }.map(\.value))
    func add(_ code: String, _ source: String, note: String?) {
      guard !tags.contains(where: { $0.value == code && $0.source == source }) else { return }
      tags.append(GivenTag(facet: "pillar", value: code, source: source, note: note))
    }
    // Keywords that name a pillar: the file's (embedded) and the sidecar's.
    let keywords =
      (fileTexts ?? []).filter { $0.field == .keyword }.map { ($0.value, "embedded") }
      + given.texts.filter { $0.field == "keyword" && $0.source == "sidecar" }.map { ($0.value, "sidecar") }
    for (keyword, source) in keywords {
      if let pillar = vocabulary.match(keyword) {
        add(pillar.code, source, note: keyword)
        stated.insert(pillar.code)
      }
    }
    // Hints in the words of the file: suggestions, unless the pillar is already stated.
    let words =
      (fileTexts ?? []).filter { [.title, .description, .keyword].contains($0.field) }.map(\.value)
      + given.texts.filter { ["title", "description", "keyword"].contains($0.field) }.map(\.value)
    for suggestion in vocabulary.suggestions(in: words) where !stated.contains(suggestion.code) {
      add(
        suggestion.code, "text",
        note: "“\(suggestion.hint)” in “\(Self.excerpt(suggestion.text, around: suggestion.hint))”")
    }
    if let folder {
      let components = folder.split(separator: "/").map(String.init)
      for suggestion in vocabulary.suggestions(in: components) where !stated.contains(suggestion.code) {
        add(suggestion.code, "path", note: "“\(suggestion.hint)” in the folder “\(suggestion.text)”")
      }
    }
    return tags
  }

  /// `text` as a note quotes it: whole when it is short, else about `limit` characters around the
  /// first place where `hint` is written (ignoring case and marks), or else its start, with `…`
  /// where it was cut.
  static func excerpt(_ text: String, around hint: String, limit: Int = 60) -> String {
    guard text.count > limit else { return text }
    var start = text.startIndex
    if let found = text.range(of: hint, options: [.caseInsensitive, .diacriticInsensitive]) {
      let context = max(0, (limit - text.distance(from: found.lowerBound, to: found.upperBound)) / 2)
      start = text.index(found.lowerBound, offsetBy: -context, limitedBy: text.startIndex) ?? text.startIndex
    }
    let end = text.index(start, offsetBy: limit, limitedBy: text.endIndex) ?? text.endIndex
    if end == text.endIndex { start = text.index(end, offsetBy: -limit) }
    let cut = text[start..<end].trimmingCharacters(in: .whitespaces)
    return (start > text.startIndex ? "…" : "") + cut + (end < text.endIndex ? "…" : "")
  }
}
