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
    let packet = trimmed(packet)
    guard XMLText.isParseable(packet) else {
      metadata.issues.append("XMP packet is not UTF-8 or UTF-16 text; XMP ignored")
      return
    }
    let delegate = Delegate()
    let parser = XMLParser(data: Data(XMLText.withoutEmptyInstructions(packet)))
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
    let values = delegate.technical
    let exif = "http://ns.adobe.com/exif/1.0/"
    metadata.candidates.xmpOriginal = CaptureDate.parse(values[exif + "DateTimeOriginal"])
    metadata.candidates.xmpDateCreated = CaptureDate.parse(values["http://ns.adobe.com/photoshop/1.0/DateCreated"])
    metadata.candidates.xmpCreateDate = CaptureDate.parse(values["http://ns.adobe.com/xap/1.0/CreateDate"])
    metadata.candidates.xmpMake = values["http://ns.adobe.com/tiff/1.0/Make"].flatMap(Text.clean)
    metadata.candidates.xmpModel = values["http://ns.adobe.com/tiff/1.0/Model"].flatMap(Text.clean)
    if let latitude = values[exif + "GPSLatitude"].flatMap({ coordinate($0, negative: "S") }),
      let longitude = values[exif + "GPSLongitude"].flatMap({ coordinate($0, negative: "W") })
    {
      var altitude = values[exif + "GPSAltitude"].flatMap(number)
      if let value = altitude, values[exif + "GPSAltitudeRef"]?.trimmingCharacters(in: .whitespaces) == "1" {
        altitude = -value
      }
      metadata.candidates.xmpGPS = GPSCoordinate(
        latitude: abs(latitude), longitude: abs(longitude), southern: latitude < 0, western: longitude < 0,
        altitude: altitude)
    }
  }

  /// The technical properties read as plain values (dates, camera, GPS); the reader picks among
  /// them and EXIF's by order of preference.
  static let technicalProperties: Set<String> = [
    "http://ns.adobe.com/exif/1.0/DateTimeOriginal", "http://ns.adobe.com/photoshop/1.0/DateCreated",
    "http://ns.adobe.com/xap/1.0/CreateDate", "http://ns.adobe.com/tiff/1.0/Make",
    "http://ns.adobe.com/tiff/1.0/Model", "http://ns.adobe.com/exif/1.0/GPSLatitude",
    "http://ns.adobe.com/exif/1.0/GPSLongitude", "http://ns.adobe.com/exif/1.0/GPSAltitude",
    "http://ns.adobe.com/exif/1.0/GPSAltitudeRef",
  ]

  /// An XMP GPS coordinate, `DDD,MM,SSk` or `DDD,MM.mmk` (k is N, S, E or W) as the XMP
  /// specification writes it, or a signed decimal; south and west negative.
  static func coordinate(_ text: String, negative: Character) -> Double? {
    var value = text.trimmingCharacters(in: .whitespaces)
    var sign = 1.0
    if let last = value.last, "NSEWnsew".contains(last) {
      if last.uppercased() == String(negative) { sign = -1 }
      value.removeLast()
    }
    let parts = value.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) }
    guard parts.count <= 3, parts.allSatisfy({ $0 != nil }), parts.allSatisfy({ $0! >= 0 }) || parts.count == 1,
      let degrees = GPSCoordinate.degrees(parts.map { $0! })
    else { return nil }
    return sign * degrees
  }

  /// An XMP rational (`455/10`) or decimal.
  static func number(_ text: String) -> Double? {
    let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/")
    if parts.count == 2, let numerator = Double(parts[0]), let denominator = Double(parts[1]), denominator != 0 {
      return numerator / denominator
    }
    return parts.count == 1 ? Double(parts[0]) : nil
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
    /// The first value of each of `technicalProperties`, by namespace URI + name.
    var technical: [String: String] = [:]
    private var technicalProperty: String?
    private var technicalDepth = 0
    private var technicalText = ""
    private var prefixes: [String: String] = [:]
    private var property: TextField?
    private var depth = 0
    /// The depth of `rdf:RDF`: technical properties count only as direct properties of a
    /// top-level `rdf:Description` (depth + 2), not inside a structure such as
    /// `Iptc4xmpExt:LocationShown`, whose `exif:GPSLatitude` is another place.
    private var rdfDepth = -10
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
      if technicalProperty != nil { return }
      if uri == XMPReader.rdf && name == "RDF" { rdfDepth = depth }
      if property == nil, depth == rdfDepth + 2, XMPReader.technicalProperties.contains(uri + name),
        technical[uri + name] == nil
      {
        technicalProperty = uri + name
        technicalDepth = depth
        technicalText = ""
        return
      }
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
            guard parts.count == 2, let namespace = prefixes[String(parts[0])] else { continue }
            let full = namespace + parts[1]
            if XMPReader.technicalProperties.contains(full) && depth == rdfDepth + 1 {
              if technical[full] == nil { technical[full] = value }
              continue
            }
            guard let field = XMPReader.properties[full] else { continue }
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
      if technicalProperty != nil {
        technicalText += string
      } else if collecting {
        text += string
      }
    }

    func parser(
      _ parser: XMLParser, didEndElement name: String, namespaceURI: String?,
      qualifiedName: String?
    ) {
      defer { depth -= 1 }
      if let key = technicalProperty {
        if depth == technicalDepth {
          technicalProperty = nil
          if let value = Text.clean(technicalText) { technical[key] = value }
        }
        return
      }
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
