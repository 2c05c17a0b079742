import Foundation
import FoundationXML

/// Reads the XMP properties MediaBank keeps from an XMP packet (RDF/XML).
///
/// Properties are recognised by namespace URI, not prefix, in both element form
/// (`<dc:title><rdf:Alt><rdf:li xml:lang="vi">…`) and attribute form
/// (`<rdf:Description photoshop:City="…">`). Language alternatives keep their `xml:lang`;
/// `x-default` becomes `und` unless another alternative carries the same text.
enum XMPReader {
  static func read(_ packet: [UInt8], into metadata: inout PhotoMetadata) {
    let delegate = Delegate()
    let parser = XMLParser(data: Data(trimmed(packet)))
    parser.shouldProcessNamespaces = true
    parser.shouldReportNamespacePrefixes = true
    parser.shouldResolveExternalEntities = false
    parser.delegate = delegate
    // FoundationXML on Linux may return true from parse() after an error: check both.
    if !parser.parse() || parser.parserError != nil {
      metadata.issues.append(
        delegate.values.isEmpty
          ? "XMP packet is not well-formed XML; XMP ignored"
          : "XMP packet is not well-formed XML; kept the values read before the error")
    }
    metadata.texts += resolveDefaults(delegate.values)
  }

  /// XMP packets are often padded with whitespace or NULs after `<?xpacket end?>`.
  private static func trimmed(_ packet: [UInt8]) -> [UInt8] {
    var end = packet.count
    while end > 0, packet[end - 1] == 0 || packet[end - 1] == 0x20 || packet[end - 1] == 0x0a {
      end -= 1
    }
    return Array(packet[0..<end])
  }

  private static func resolveDefaults(_ values: [EmbeddedText]) -> [EmbeddedText] {
    values.compactMap { value in
      guard value.language == "x-default" else { return value }
      let duplicate = values.contains {
        $0.field == value.field && $0.language != "x-default" && $0.value == value.value
      }
      if duplicate { return nil }
      var copy = value
      copy.language = "und"
      return copy
    }
  }

  static let properties: [String: TextField] = [
    "http://purl.org/dc/elements/1.1/title": .title,
    "http://purl.org/dc/elements/1.1/description": .description,
    "http://purl.org/dc/elements/1.1/subject": .keyword,
    "http://purl.org/dc/elements/1.1/creator": .creator,
    "http://purl.org/dc/elements/1.1/rights": .copyright,
    "http://ns.adobe.com/xap/1.0/rights/UsageTerms": .usageTerms,
    "http://ns.adobe.com/xap/1.0/rights/WebStatement": .license,
    "http://creativecommons.org/ns#license": .license,
    "http://ns.adobe.com/photoshop/1.0/City": .city,
    "http://ns.adobe.com/photoshop/1.0/State": .state,
    "http://ns.adobe.com/photoshop/1.0/Credit": .credit,
    "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/Location": .location,
  ]

  private static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

  private final class Delegate: NSObject, XMLParserDelegate {
    var values: [EmbeddedText] = []
    private var prefixes: [String: String] = [:]
    private var property: TextField?
    private var depth = 0
    private var propertyDepth = 0
    private var language = "x-default"
    private var text = ""
    private var collecting = false

    func parser(_ parser: XMLParser, didStartMappingPrefix prefix: String, toURI uri: String) {
      prefixes[prefix] = uri
    }

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
      qualifiedName: String?, attributes: [String: String] = [:]
    ) {
      depth += 1
      let uri = namespaceURI ?? ""
      if property == nil {
        if let field = XMPReader.properties[uri + name] {
          property = field
          propertyDepth = depth
          language = attributes["xml:lang"] ?? "x-default"
          text = ""
          collecting = true
          if let resource = attributes["rdf:resource"] { add(resource) }
        } else if uri == XMPReader.rdf && name == "Description" {
          for (key, value) in attributes {
            let parts = key.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let namespace = prefixes[String(parts[0])],
              let field = XMPReader.properties[namespace + parts[1]]
            else { continue }
            language = "x-default"
            property = field
            add(value)
            property = nil
          }
        }
      } else if uri == XMPReader.rdf && name == "li" {
        language = attributes["xml:lang"] ?? "x-default"
        text = ""
        collecting = true
      } else if uri == XMPReader.rdf && (name == "Alt" || name == "Bag" || name == "Seq") {
        collecting = false
      }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if collecting { text += string }
    }

    func parser(
      _ parser: XMLParser, didEndElement name: String, namespaceURI: String?,
      qualifiedName: String?
    ) {
      defer { depth -= 1 }
      guard property != nil else { return }
      if namespaceURI == XMPReader.rdf && name == "li" {
        add(text)
        collecting = false
      } else if depth == propertyDepth {
        if collecting { add(text) }
        property = nil
        collecting = false
      }
    }

    private func add(_ raw: String) {
      guard let field = property, let value = Text.clean(raw) else { return }
      let tag = field == .keyword || field == .creator ? "und" : language
      values.append(EmbeddedText(field, value, language: tag, source: .xmp))
    }
  }
}
