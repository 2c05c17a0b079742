/// Reads HTML stories with a small tolerant tag scanner (real-world HTML is rarely well-formed
/// XML): `<title>`, `<html lang>`, `<meta>` description, author and date, and the body text.
///
/// The body is the text outside `<head>`, without `<script>`, `<style>`, `<template>`,
/// `<noscript>`, `<svg>`, `<math>` and form controls. White space collapses as a browser shows
/// it (kept in `<pre>`); block elements (`<p>`, `<div>`, `<h1>`…, `<li>`…) separate paragraphs,
/// `<br>` breaks a line; entities are decoded.
enum HTMLText {
  /// Whether the start of a file (decoded) looks like HTML.
  static func looksLikeHTML(_ text: String) -> Bool {
    let start = text.drop { $0.isWhitespace || $0 == "\u{feff}" }.prefix(14).lowercased()
    return ["<!doctype html", "<html", "<head", "<body", "<meta", "<title", "<!--"].contains {
      start.hasPrefix($0)
    }
  }

  static func read(_ text: String) -> StoryMetadata {
    var scanner = Scanner(Array(text.utf8))
    scanner.run()
    var metadata = StoryMetadata(format: .html)
    metadata.title = scanner.title.flatMap { Text.clean(StoryText.collapsingWhitespace($0)) }
    metadata.language = (scanner.language ?? scanner.meta["content-language"]).flatMap(Text.clean)
    metadata.summary = (scanner.meta["description"] ?? scanner.meta["og:description"]).flatMap {
      Text.clean(StoryText.collapsingWhitespace($0))
    }
    metadata.author = scanner.meta["author"].flatMap(Text.clean)
    if let published = scanner.meta["article:published_time"] {
      metadata.setDate(published, source: "<meta property=\"article:published_time\">")
    } else if let date = scanner.meta["date"] {
      metadata.setDate(date, source: "<meta name=\"date\">")
    }
    if let charset = scanner.charset?.lowercased(),
      !["utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "us-ascii", "ascii"].contains(charset),
      text.utf8.contains(where: { $0 >= 0x80 })
    {
      metadata.issues.append(
        "the page declares charset '\(charset)' but is UTF-8 or UTF-16 text; read as Unicode")
    }
    metadata.setBody(scanner.paragraphs)
    return metadata
  }

  /// Elements whose content is not parsed as HTML (raw text) and not part of the body.
  private static let rawTextElements: Set<String> = [
    "script", "style", "textarea", "xmp", "iframe", "noembed", "noframes",
  ]
  /// Elements whose content (HTML) is not part of the body.
  private static let skippedElements: Set<String> = [
    "template", "noscript", "svg", "math", "select", "button", "object",
  ]
  /// Elements that start and end a paragraph.
  private static let blockElements: Set<String> = [
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header",
    "hgroup", "hr", "html", "legend", "main", "nav", "ol", "p", "section", "summary", "table",
    "tbody", "tfoot", "thead", "ul",
  ]
  /// Elements that may appear in `<head>`: any other one starts the body.
  private static let headElements: Set<String> = [
    "base", "link", "meta", "noscript", "script", "style", "template", "title",
  ]

  private struct Scanner {
    let bytes: [UInt8]
    var position = 0
    var paragraphs: [StoryParagraph] = []
    var title: String?
    var language: String?
    var charset: String?
    /// `<meta name|property=… content=…>`, the first of each name, lowercased.
    var meta: [String: String] = [:]

    private var current: [UInt8] = []
    private var pendingSpace = false
    private var headingLevel: Int?
    private var preDepth = 0
    private var inHead = false
    private var sawHTML = false
    private var skipping: (name: String, depth: Int)?

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func run() {
      while position < bytes.count {
        let byte = bytes[position]
        if byte == UInt8(ascii: "<"), markup() { continue }
        position += 1
        guard skipping == nil, !inHead else { continue }
        if byte == UInt8(ascii: "&"), let (scalar, length) = HTMLText.entity(bytes, at: position - 1) {
          position += length - 1
          if scalar == "\u{a0}" && preDepth == 0 {
            pendingSpace = true
          } else {
            append(Array(String(scalar).utf8))
          }
        } else if byte == 0xc2, position < bytes.count, bytes[position] == 0xa0, preDepth == 0 {
          position += 1
          pendingSpace = true
        } else if preDepth == 0 && isSpace(byte) {
          pendingSpace = true
        } else {
          append(byte)
        }
      }
      flush()
    }

    private mutating func append(_ text: [UInt8]) {
      for byte in text { append(byte) }
    }

    private mutating func append(_ byte: UInt8) {
      if pendingSpace {
        if let last = current.last, last != 0x0a { current.append(0x20) }
        pendingSpace = false
      }
      current.append(byte)
    }

    private mutating func lineBreak() {
      if !current.isEmpty { current.append(0x0a) }
      pendingSpace = false
    }

    private mutating func flush() {
      if !current.isEmpty {
        paragraphs.append(StoryParagraph(text: String(decoding: current, as: UTF8.self), headingLevel: headingLevel))
      }
      current = []
      pendingSpace = false
    }

    /// Whether the bytes at `index` are `prefix` (lowercase ASCII), ignoring ASCII case.
    private func starts(with prefix: String, at index: Int) -> Bool {
      starts(with: Array(prefix.utf8), at: index)
    }

    private func starts(with prefix: [UInt8], at index: Int) -> Bool {
      guard index + prefix.count <= bytes.count else { return false }
      var offset = 0
      while offset < prefix.count {
        guard lowercased(bytes[index + offset]) == prefix[offset] else { return false }
        offset += 1
      }
      return true
    }

    /// The index of `terminator` (lowercase ASCII, matched ignoring case) at or after `index`.
    private func find(_ terminator: String, from index: Int) -> Int? {
      let terminator = Array(terminator.utf8)
      let first = terminator[0]
      var index = index
      while index < bytes.count {
        if lowercased(bytes[index]) == first, starts(with: terminator, at: index) { return index }
        index += 1
      }
      return nil
    }

    /// Reads the markup at `position` (a `<`); false when the `<` is text.
    private mutating func markup() -> Bool {
      let next = position + 1 < bytes.count ? bytes[position + 1] : 0
      if starts(with: "<!--", at: position) {
        position = find("-->", from: position + 4).map { $0 + 3 } ?? bytes.count
      } else if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") {
        position = find(">", from: position).map { $0 + 1 } ?? bytes.count
      } else if next == UInt8(ascii: "/"), position + 2 < bytes.count, isLetter(bytes[position + 2]) {
        position += 2
        let name = readName()
        position = find(">", from: position).map { $0 + 1 } ?? bytes.count
        endTag(name)
      } else if isLetter(next) {
        position += 1
        let name = readName()
        let (attributes, selfClosing) = readAttributes()
        startTag(name, attributes, selfClosing: selfClosing)
      } else {
        return false
      }
      return true
    }

    private mutating func readName() -> String {
      let start = position
      while position < bytes.count, !isSpace(bytes[position]), bytes[position] != UInt8(ascii: "/"),
        bytes[position] != UInt8(ascii: ">")
      {
        position += 1
      }
      return String(decoding: bytes[start..<position].map(lowercased), as: UTF8.self)
    }

    private mutating func readAttributes() -> ([String: String], selfClosing: Bool) {
      var attributes: [String: String] = [:]
      var selfClosing = false
      while position < bytes.count {
        let byte = bytes[position]
        if byte == UInt8(ascii: ">") {
          position += 1
          break
        }
        if isSpace(byte) || byte == UInt8(ascii: "/") {
          selfClosing = byte == UInt8(ascii: "/")
          position += 1
          continue
        }
        selfClosing = false
        let start = position
        while position < bytes.count, !isSpace(bytes[position]),
          ![UInt8(ascii: "="), UInt8(ascii: ">"), UInt8(ascii: "/")].contains(bytes[position])
            || position == start
        {
          position += 1
        }
        let name = String(decoding: bytes[start..<position].map(lowercased), as: UTF8.self)
        while position < bytes.count, isSpace(bytes[position]) { position += 1 }
        var value = ""
        if position < bytes.count, bytes[position] == UInt8(ascii: "=") {
          position += 1
          while position < bytes.count, isSpace(bytes[position]) { position += 1 }
          let quote = position < bytes.count ? bytes[position] : 0
          let valueStart: Int
          if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            valueStart = position + 1
            position = valueStart
            while position < bytes.count, bytes[position] != quote { position += 1 }
            value = HTMLText.decodingEntities(bytes[valueStart..<position])
            position = min(position + 1, bytes.count)
          } else {
            valueStart = position
            while position < bytes.count, !isSpace(bytes[position]), bytes[position] != UInt8(ascii: ">") {
              position += 1
            }
            value = HTMLText.decodingEntities(bytes[valueStart..<position])
          }
        }
        if attributes[name] == nil { attributes[name] = value }
      }
      return (attributes, selfClosing)
    }

    private mutating func startTag(_ name: String, _ attributes: [String: String], selfClosing: Bool) {
      if HTMLText.rawTextElements.contains(name) || name == "title" {
        let end = find("</" + name, from: position) ?? bytes.count
        if name == "title", title == nil, skipping == nil {
          title = HTMLText.decodingEntities(bytes[position..<end])
        }
        position = find(">", from: end).map { $0 + 1 } ?? bytes.count
        return
      }
      if let skip = skipping {
        if name == skip.name && !selfClosing { skipping?.depth += 1 }
        return
      }
      if HTMLText.skippedElements.contains(name) && !selfClosing {
        skipping = (name, 1)
        return
      }
      if inHead && !HTMLText.headElements.contains(name) { inHead = false }
      switch name {
      case "html":
        if !sawHTML { language = attributes["lang"] ?? attributes["xml:lang"] }
        sawHTML = true
      case "head": inHead = true
      case "meta": readMeta(attributes)
      case "br": lineBreak()
      case "li", "tr": lineBreak()
      case "td", "th": pendingSpace = true
      case "pre":
        flush()
        preDepth += 1
      case "h1", "h2", "h3", "h4", "h5", "h6":
        flush()
        headingLevel = Int(name.dropFirst())
      default:
        if HTMLText.blockElements.contains(name) { flush() }
      }
    }

    private mutating func endTag(_ name: String) {
      if let skip = skipping {
        if name == skip.name {
          skipping?.depth -= 1
          if skip.depth == 1 { skipping = nil }
        }
        return
      }
      switch name {
      case "head": inHead = false
      case "pre":
        flush()
        preDepth = max(0, preDepth - 1)
      case "h1", "h2", "h3", "h4", "h5", "h6":
        flush()
        headingLevel = nil
      default:
        if HTMLText.blockElements.contains(name) { flush() }
      }
    }

    private mutating func readMeta(_ attributes: [String: String]) {
      if let value = attributes["charset"] { charset = charset ?? value }
      let content = attributes["content"] ?? ""
      switch attributes["http-equiv"]?.lowercased() {
      case "content-type":
        if let range = content.lowercased().range(of: "charset=") {
          charset = charset ?? String(content[range.upperBound...]).trimmingTrailingSpaces.description
        }
      case "content-language":
        if meta["content-language"] == nil { meta["content-language"] = content }
      default: break
      }
      guard let key = (attributes["name"] ?? attributes["property"])?.lowercased() else { return }
      if meta[key] == nil { meta[key] = content }
    }

    private func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte) }
    private func isSpace(_ byte: UInt8) -> Bool {
      byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0c || byte == 0x0d
    }
    private func lowercased(_ byte: UInt8) -> UInt8 { (0x41...0x5a).contains(byte) ? byte + 0x20 : byte }
  }

  /// `bytes` with character references decoded.
  static func decodingEntities(_ bytes: ArraySlice<UInt8>) -> String {
    guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
    let array = Array(bytes)
    var result: [UInt8] = []
    var index = 0
    while index < array.count {
      if array[index] == UInt8(ascii: "&"), let (scalar, length) = entity(array, at: index) {
        result += Array(String(scalar).utf8)
        index += length
      } else {
        result.append(array[index])
        index += 1
      }
    }
    return String(decoding: result, as: UTF8.self)
  }

  /// The character reference at `index` (an `&`): `&#233;`, `&#xE9;` or a named one with its `;`.
  /// Numeric references to nothing valid give U+FFFD, as browsers do; unknown names are text.
  static func entity(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, length: Int)? {
    var position = index + 1
    guard position < bytes.count else { return nil }
    if bytes[position] == UInt8(ascii: "#") {
      position += 1
      let hex = position < bytes.count && (bytes[position] | 0x20) == UInt8(ascii: "x")
      if hex { position += 1 }
      let start = position
      var value: UInt32 = 0
      while position < bytes.count, position - start < 8,
        let digit = hexDigit(bytes[position]), hex || digit < 10
      {
        value = value * (hex ? 16 : 10) + digit
        position += 1
      }
      guard position > start else { return nil }
      if position < bytes.count, bytes[position] == UInt8(ascii: ";") { position += 1 }
      let scalar = value == 0 ? nil : Unicode.Scalar(value)
      return (scalar ?? "\u{fffd}", position - index)
    }
    let start = position
    while position < bytes.count, position - start < 32,
      (0x30...0x39).contains(bytes[position]) || (0x41...0x5a).contains(bytes[position])
        || (0x61...0x7a).contains(bytes[position])
    {
      position += 1
    }
    guard position < bytes.count, bytes[position] == UInt8(ascii: ";"), position > start,
      let scalar = namedEntities[String(decoding: bytes[start..<position], as: UTF8.self)]
    else { return nil }
    return (scalar, position + 1 - index)
  }

  private static func hexDigit(_ byte: UInt8) -> UInt32? {
    switch byte {
    case 0x30...0x39: UInt32(byte - 0x30)
    case 0x41...0x46: UInt32(byte - 0x41 + 10)
    case 0x61...0x66: UInt32(byte - 0x61 + 10)
    default: nil
    }
  }

  /// The named references of HTML 4 (Latin-1 and common punctuation), plus the HTML5 names of
  /// the Vietnamese letters ă, đ, ĩ and ũ.
  static let namedEntities: [String: Unicode.Scalar] = {
    var table: [String: Unicode.Scalar] = [
      "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'",
      "ndash": "\u{2013}", "mdash": "\u{2014}", "lsquo": "\u{2018}", "rsquo": "\u{2019}",
      "sbquo": "\u{201a}", "ldquo": "\u{201c}", "rdquo": "\u{201d}", "bdquo": "\u{201e}",
      "hellip": "\u{2026}", "bull": "\u{2022}", "trade": "\u{2122}", "euro": "\u{20ac}",
      "ensp": "\u{2002}", "emsp": "\u{2003}", "thinsp": "\u{2009}", "zwnj": "\u{200c}",
      "zwj": "\u{200d}", "lrm": "\u{200e}", "rlm": "\u{200f}", "dagger": "\u{2020}",
      "Dagger": "\u{2021}", "permil": "\u{2030}", "lsaquo": "\u{2039}", "rsaquo": "\u{203a}",
      "OElig": "\u{152}", "oelig": "\u{153}", "Scaron": "\u{160}", "scaron": "\u{161}",
      "Yuml": "\u{178}", "fnof": "\u{192}", "circ": "\u{2c6}", "tilde": "\u{2dc}",
      "prime": "\u{2032}", "Prime": "\u{2033}", "larr": "\u{2190}", "rarr": "\u{2192}",
      "uarr": "\u{2191}", "darr": "\u{2193}", "harr": "\u{2194}", "minus": "\u{2212}",
      "le": "\u{2264}", "ge": "\u{2265}", "ne": "\u{2260}", "infin": "\u{221e}",
      "Abreve": "\u{102}", "abreve": "\u{103}", "Dstrok": "\u{110}", "dstrok": "\u{111}",
      "Itilde": "\u{128}", "itilde": "\u{129}", "Utilde": "\u{168}", "utilde": "\u{169}",
    ]
    let latin1 = """
      nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn \
      sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave \
      Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml \
      ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN \
      szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave \
      iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc \
      uuml yacute thorn yuml
      """
    for (offset, name) in latin1.split(separator: " ").enumerated() {
      table[String(name)] = Unicode.Scalar(UInt32(0xa0 + offset))
    }
    return table
  }()
}
