import MediaBank
import Messages

extension Pages {
  /// The most characters of a story's text its page shows.
  static let storyTextLimit = 200_000

  /// The large view of an asset's page: a photo in its display image (upright, through a
  /// rendition when a browser cannot show the original); a video that browsers play in a
  /// `<video>` that streams the original with range requests, else its poster and a note; a
  /// story's text, escaped, and links to its translations.
  static func largeView(_ record: AssetRecord, title: String, story: String?, language: UILanguage) -> String {
    func t(_ label: Label) -> String { escape(label.text(language)) }
    let path = "/assets/\(escape(record.id))"
    switch record.kind {
    case "photo":
      // A damaged photo without a preview has no pixels to show (one added with
      // `--no-thumbnails` has no preview, and a display image all the same).
      guard record.thumbnail != nil || record.damaged == nil else { return "" }
      return "<img class=\"large\" src=\"\(path)/display\" alt=\"\(escape(title))\">"
    case "video":
      let poster = record.thumbnail == nil ? "" : " poster=\"\(path)/preview\""
      if WebServer.playsInBrowser(record) {
        return """
          <video class="large" controls preload="metadata"\(poster) src="\(path)/original?inline=1"></video>
          """
      }
      let image =
        record.thumbnail == nil ? "" : "<img class=\"large\" src=\"\(path)/preview\" alt=\"\(escape(title))\">"
      return image + "<p class=\"note\">\(t(.cannotPlay))</p>"
    case "story":
      var html = ""
      if let original = record.translationOf {
        html += "<p>\(t(.translationOf)): <a href=\"/assets/\(escape(original))\">\(escape(short(original)))</a></p>"
      }
      if let translations = record.translations, !translations.isEmpty {
        let links = translations.map { member in
          let languages = member.languages.isEmpty ? short(member.id) : member.languages.joined(separator: ", ")
          return "<li><a href=\"/assets/\(escape(member.id))\">\(escape(languages))</a></li>"
        }
        html += "<nav class=\"translations\"><h2>\(t(.translations))</h2><ul>\(links.joined())</ul></nav>"
      }
      if let story, !story.isEmpty {
        let cut = story.count > storyTextLimit
        let text = cut ? String(story.prefix(storyTextLimit)) : story
        let language = record.languages?.first(where: \.confirmed)?.tag
        html += "<article class=\"story\"\(language.map { " lang=\"\(escape($0))\"" } ?? "")>"
        for paragraph in text.components(separatedBy: "\n\n") where !paragraph.isEmpty {
          html += "<p>" + paragraph.components(separatedBy: "\n").map(escape).joined(separator: "<br>") + "</p>"
        }
        html += "</article>"
        if cut { html += "<p class=\"note\">\(t(.textCut))</p>" }
      }
      return html
    default:
      return ""
    }
  }

  /// An id as a page shows it briefly: `sha256:` and its first 12 hex digits.
  private static func short(_ id: String) -> String {
    String(id.prefix("sha256:".count + 12))
  }
}
