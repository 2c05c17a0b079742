internal import CMediaShim
internal import Foundation
internal import FoundationXML
internal import ZIPFoundation

/// Reads DOCX stories (Office Open XML WordprocessingML, transitional or strict).
///
/// The parts are found from the package relationships (`_rels/.rels`), falling back to
/// `word/document.xml` and `docProps/core.xml`. The body is the text of `w:t` runs, one paragraph
/// per `w:p` (tables and text boxes included; deleted text, field codes and the duplicate
/// fallback of text boxes left out), `w:tab` as a tab and `w:br` as a line break. Paragraphs
/// styled `Title` or `Heading1`…`Heading6` are headings. `docProps/core.xml` gives `dc:title`,
/// `dc:creator`, `dc:language`, `dc:description` and `dcterms:created`.
enum DOCXReader {
  /// The largest package part other than the document read (core properties, relationships).
  static let maxSmallPartBytes = 1_000_000

  static func read(_ path: String, maxPartBytes: Int) throws(MetadataError) -> StoryMetadata {
    let file = try FileReader(path: path)
    guard file.size > 0 else { throw MetadataError("empty file (0 bytes)") }
    let archive: Archive
    do {
      archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
    } catch {
      throw MetadataError("corrupt DOCX (not a readable ZIP archive: \(zipReason(error)))")
    }
    var metadata = StoryMetadata(format: .docx)
    var documentPath = "word/document.xml"
    var corePath = "docProps/core.xml"
    do throws(MetadataError) {
      if let data = try part("_rels/.rels", in: archive, file: file, limit: maxSmallPartBytes) {
        let relationships = try parse(data, part: "_rels/.rels", with: RelationshipsParser())
        documentPath = relationships.officeDocument ?? documentPath
        corePath = relationships.coreProperties ?? corePath
      }
    } catch {
      metadata.issues.append("\(error.reason); looked for the usual part names")
    }
    guard let document = try part(documentPath, in: archive, file: file, limit: maxPartBytes) else {
      throw MetadataError("not a DOCX file (the ZIP archive has no \(documentPath))")
    }
    let parsed = try parse(document, part: documentPath, with: DocumentParser())
    guard parsed.isWordDocument else {
      throw MetadataError("not a DOCX file (its main part \(documentPath) is not a Word document)")
    }
    do throws(MetadataError) {
      if let data = try part(corePath, in: archive, file: file, limit: maxSmallPartBytes) {
        let core = try parse(data, part: corePath, with: CoreParser()).values
        metadata.title = core["title"].flatMap(Text.clean)
        metadata.author = core["creator"].flatMap(Text.clean)
        metadata.language = core["language"].flatMap(Text.clean)
        metadata.summary = core["description"].flatMap { Text.clean(StoryText.collapsingWhitespace($0)) }
        metadata.setDate(core["created"], source: "dcterms:created")
      }
    } catch {
      metadata.issues.append("\(error.reason); document properties ignored")
    }
    metadata.setBody(parsed.paragraphs)
    return metadata
  }

  /// The bytes of the part at `path` (nil when absent), refused above `limit` bytes uncompressed
  /// whatever its header says (a zip bomb can lie about its size).
  private static func part(
    _ path: String, in archive: Archive, file: FileReader, limit: Int
  ) throws(MetadataError) -> Data? {
    guard let entry = archive[path] else { return nil }
    guard entry.type == .file else { throw MetadataError("corrupt DOCX (\(path) is not a file)") }
    let declared = StoryExtractor.megabytes(Int64(clamping: entry.uncompressedSize))
    let limitText = StoryExtractor.megabytes(Int64(limit))
    guard entry.uncompressedSize <= UInt64(limit) else {
      throw MetadataError("\(path) is \(declared) uncompressed, above the limit of \(limitText) (possible zip bomb)")
    }
    if entry.isCompressed { try checkDeflate(entry, path: path, file: file, limit: limit) }
    var data = Data()
    data.reserveCapacity(Int(entry.uncompressedSize))
    do {
      // extract(_:consumer:) computes the CRC-32 but leaves the comparison to the caller.
      let checksum = try archive.extract(entry) { chunk in
        guard data.count + chunk.count <= limit else { throw PartTooLarge() }
        data.append(chunk)
      }
      guard checksum == entry.checksum else { throw Archive.ArchiveError.invalidCRC32 }
    } catch is PartTooLarge {
      throw MetadataError(
        "\(path) inflates to more than the limit of \(limitText), though its header says \(declared) "
          + "(possible zip bomb)")
    } catch {
      throw MetadataError("corrupt DOCX (\(path) cannot be read: \(zipReason(error)))")
    }
    return data
  }

  private struct PartTooLarge: Error {}

  /// Refuses a deflated part whose data does not end within its compressed size (or the file):
  /// ZIPFoundation 0.9.20 inflates such a part forever on Linux, at end of file (its pull
  /// request 389; found by `scripts/fuzz docx`). Its data offset is read from the central
  /// directory and the local header, which ZIPFoundation does not make public.
  private static func checkDeflate(
    _ entry: Entry, path: String, file: FileReader, limit: Int
  ) throws(MetadataError) {
    let corrupt = MetadataError("corrupt DOCX (\(path) cannot be read: corrupt compressed data)")
    guard let offset = try dataOffset(of: path, in: file), offset <= file.size,
      entry.compressedSize <= UInt64(file.size - offset)
    else { throw corrupt }
    let status = try file.withMappedBytes { bytes in
      let data = bytes.baseAddress.map { ($0 + offset).assumingMemoryBound(to: UInt8.self) }
      return mb_check_raw_deflate(data, Int(entry.compressedSize), UInt64(limit))
    }
    // Too large: ZIPFoundation's reading stops at the limit, with the zip bomb's message.
    guard status == MB_OK || status == MB_TOO_LARGE else { throw corrupt }
  }

  /// Where the data of the first entry named `path` starts in the ZIP file; nil when the end of
  /// central directory record, the entry's record or its local header cannot be read (or is ZIP64).
  private static func dataOffset(of path: String, in file: FileReader) throws(MetadataError) -> Int? {
    func little(_ bytes: [UInt8], _ at: Int, _ count: Int) -> Int {
      (0..<count).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
    }
    let tailStart = max(0, file.size - 22 - 0xffff)
    let tail = try file.bytes(at: tailStart, count: file.size - tailStart)
    guard tail.count >= 22,
      let end = stride(from: tail.count - 22, through: 0, by: -1).first(where: { little(tail, $0, 4) == 0x0605_4b50 })
    else { return nil }
    let (directorySize, directoryOffset) = (little(tail, end + 12, 4), little(tail, end + 16, 4))
    guard directoryOffset != 0xffff_ffff, directoryOffset + directorySize <= file.size else { return nil }
    let directory = try file.bytes(at: directoryOffset, count: directorySize)
    let name = Array(path.utf8)
    var at = 0
    while at + 46 <= directory.count, little(directory, at, 4) == 0x0201_4b50 {
      let nameLength = little(directory, at + 28, 2)
      let next = at + 46 + nameLength + little(directory, at + 30, 2) + little(directory, at + 32, 2)
      guard at + 46 + nameLength <= directory.count else { return nil }
      if directory[(at + 46)..<(at + 46 + nameLength)].elementsEqual(name) {
        let local = little(directory, at + 42, 4)
        guard local != 0xffff_ffff else { return nil }
        let header = try file.bytes(at: local, count: 30)
        guard header.count == 30, little(header, 0, 4) == 0x0403_4b50 else { return nil }
        return local + 30 + little(header, 26, 2) + little(header, 28, 2)
      }
      at = next
    }
    return nil
  }

  /// Parses a part with `delegate`. OOXML parts may not declare a DTD, so one is refused before
  /// parsing (no entity expansion).
  private static func parse<Delegate: XMLParserDelegate>(
    _ data: Data, part: String, with delegate: Delegate
  ) throws(MetadataError) -> Delegate {
    if data.range(of: Data("<!DOCTYPE".utf8)) != nil {
      throw MetadataError("corrupt DOCX (\(part) declares a DTD, which Office Open XML forbids)")
    }
    guard XMLText.isParseable(data) else {
      throw MetadataError("corrupt DOCX (\(part) is not UTF-8 or UTF-16 text)")
    }
    let parser = XMLParser(data: Data(XMLText.withoutEmptyInstructions(Array(data))))
    parser.shouldProcessNamespaces = true
    parser.shouldResolveExternalEntities = false
    parser.delegate = delegate
    // FoundationXML on Linux may return true from parse() after an error: check both.
    if !parser.parse() || parser.parserError != nil {
      throw MetadataError("corrupt DOCX (\(part) is not well-formed XML, line \(parser.lineNumber))")
    }
    return delegate
  }

  /// A ZIPFoundation error in words.
  private static func zipReason(_ error: any Error) -> String {
    if let error = error as? Archive.ArchiveError {
      switch error {
      case .missingEndOfCentralDirectoryRecord: return "no end of central directory record"
      case .unreadableArchive: return "unreadable archive"
      case .invalidCRC32: return "CRC-32 checksum mismatch"
      case .invalidCompressionMethod: return "unsupported compression method"
      default: return "\(error)"
      }
    }
    switch "\(error)" {
    case "corruptedData", "invalidStream": return "corrupt compressed data"
    case let other: return other
    }
  }

  static let wordNamespaces: Set<String> = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
  ]
  static let markupCompatibility = "http://schemas.openxmlformats.org/markup-compatibility/2006"

  /// `_rels/.rels`: the targets of the main document and core properties relationships.
  private final class RelationshipsParser: NSObject, XMLParserDelegate {
    var officeDocument: String?
    var coreProperties: String?

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
      qualifiedName: String?, attributes: [String: String] = [:]
    ) {
      guard name == "Relationship", attributes["TargetMode"] != "External", let type = attributes["Type"],
        var target = attributes["Target"]
      else { return }
      while target.hasPrefix("/") || target.hasPrefix("./") { target.removeFirst(target.hasPrefix("/") ? 1 : 2) }
      if type.hasSuffix("/officeDocument") && officeDocument == nil { officeDocument = target }
      if type.hasSuffix("/metadata/core-properties") && coreProperties == nil { coreProperties = target }
    }
  }

  /// `word/document.xml`: paragraphs of run text.
  private final class DocumentParser: NSObject, XMLParserDelegate {
    var paragraphs: [StoryParagraph] = []
    /// Whether the root element is a WordprocessingML `w:document`.
    var isWordDocument = false
    /// Paragraphs being read: a text box's paragraphs sit inside another paragraph.
    private var open: [(text: String, style: String?)] = []
    private var inText = false
    private var fallbackDepth = 0

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
      qualifiedName: String?, attributes: [String: String] = [:]
    ) {
      if namespaceURI == DOCXReader.markupCompatibility && name == "Fallback" { fallbackDepth += 1 }
      guard fallbackDepth == 0, DOCXReader.wordNamespaces.contains(namespaceURI ?? "") else { return }
      switch name {
      case "document": isWordDocument = true
      case "p": open.append(("", nil))
      case "pStyle":
        if !open.isEmpty {
          open[open.count - 1].style = attributes.first { $0.key == "val" || $0.key.hasSuffix(":val") }?.value
        }
      case "t": inText = true
      case "tab": add("\t")
      case "br", "cr": add("\n")
      case "noBreakHyphen": add("-")
      default: break
      }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if inText && fallbackDepth == 0 { add(string) }
    }

    func parser(
      _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
    ) {
      if namespaceURI == DOCXReader.markupCompatibility && name == "Fallback" { fallbackDepth -= 1 }
      guard fallbackDepth == 0, DOCXReader.wordNamespaces.contains(namespaceURI ?? "") else { return }
      if name == "t" {
        inText = false
      } else if name == "p", let paragraph = open.popLast() {
        paragraphs.append(StoryParagraph(text: paragraph.text, headingLevel: headingLevel(paragraph.style)))
      }
    }

    private func add(_ text: String) {
      if !open.isEmpty { open[open.count - 1].text += text }
    }

    private func headingLevel(_ style: String?) -> Int? {
      guard let style = style?.lowercased() else { return nil }
      if style == "title" { return 1 }
      guard style.hasPrefix("heading"), let level = Int(style.dropFirst(7)), (1...6).contains(level) else {
        return nil
      }
      return level
    }
  }

  /// `docProps/core.xml`: the Dublin Core values MediaBank keeps, by local name.
  private final class CoreParser: NSObject, XMLParserDelegate {
    static let fields: [String: String] = [
      "http://purl.org/dc/elements/1.1/title": "title",
      "http://purl.org/dc/elements/1.1/creator": "creator",
      "http://purl.org/dc/elements/1.1/language": "language",
      "http://purl.org/dc/elements/1.1/description": "description",
      "http://purl.org/dc/terms/created": "created",
    ]
    var values: [String: String] = [:]
    private var field: String?
    private var text = ""

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
      qualifiedName: String?, attributes: [String: String] = [:]
    ) {
      field = Self.fields[(namespaceURI ?? "") + name]
      text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if field != nil { text += string }
    }

    func parser(
      _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
    ) {
      if let field, values[field] == nil { values[field] = text }
      field = nil
    }
  }
}
