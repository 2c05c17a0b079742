import Foundation
import Testing

@testable import Metadata

/// The inputs with which `scripts/fuzz` crashed a reader (`Fixtures/fuzz/`, one file each, listed
/// in `Fixtures/README.md`), read again: each must now be read or refused, never crash.
@Suite struct FuzzRegressionTests {
  static func fixture(_ name: String) -> String { Fixtures.root.appendingPathComponent("fuzz/\(name)").path }

  @Test("an XMP packet with a byte that is not UTF-8 in an element name is ignored with an issue")
  func xmpNameNotUTF8() throws {
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixture("xmp-name-not-utf8.xmp"))))
    #expect(String(validating: bytes, as: UTF8.self) == nil)
    let (texts, issues) = PhotoExtractor.readSidecar(bytes)
    #expect(texts.isEmpty)
    #expect(issues == ["XMP sidecar is not UTF-8 or UTF-16 text; XMP ignored"])
    // The same packet with that byte made ASCII is read as before.
    var fixed = bytes
    fixed[fixed.firstIndex(of: 0xf3)!] = UInt8(ascii: "t")
    #expect(PhotoExtractor.readSidecar(fixed).texts.map(\.value) == ["Rice terraces of Mu Cang Chai"])
  }

  @Test("an XMP packet with a processing instruction without data is read, without a crash")
  func xmpEmptyInstruction() {
    let packet = Array(
      """
      <?xpack?><x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\
      <rdf:Description xmlns:tiff='http://ns.adobe.com/tiff/1.0/'><tiff:Make>Sony</tiff:Make></rdf:Description>\
      </rdf:RDF></x:xmpmeta><?xpacket end='w'?>
      """.utf8)
    var metadata = PhotoMetadata(format: .jpeg, width: 1, height: 1)
    XMPReader.read(packet, into: &metadata)
    #expect(metadata.candidates.xmpMake == "Sony")
    #expect(XMLText.withoutEmptyInstructions(Array("a<?b ?>c<?d e?>".utf8)) == Array("a      c<?d e?>".utf8))
  }

  @Test("UTF-16 XMP with a lone surrogate in a name is refused by the parser, without a crash")
  func xmpLoneSurrogate() {
    func utf16LE(_ text: String) -> [UInt8] { text.utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] } }
    var packet: [UInt8] = [0xff, 0xfe]
    packet += utf16LE("<x:xmpmeta xmlns:x='adobe:ns:meta/'><x:a")
    packet += [0x00, 0xd8]  // A high surrogate with no low one after it.
    packet += utf16LE("b/></x:xmpmeta>")
    #expect(PhotoExtractor.readSidecar(packet).issues == ["XMP sidecar is not well-formed XML; XMP ignored"])
  }

  @Test("a DOCX whose main part has a byte that is not UTF-8 in an element name is refused")
  func docxNameNotUTF8() throws {
    let path = Self.fixture("docx-name-not-utf8.docx")
    #expect(try StoryExtractor.format(of: path) == .docx)
    #expect(throws: MetadataError("corrupt DOCX (word/main.xml is not UTF-8 or UTF-16 text)")) {
      try StoryExtractor.read(path, format: .docx)
    }
  }

  @Test("a DOCX part whose deflate data does not end within its entry is refused, not inflated forever")
  func docxDeflateNeverEnds() throws {
    let path = Self.fixture("docx-deflate-never-ends.docx")
    #expect(throws: MetadataError("corrupt DOCX (word/main.xml cannot be read: corrupt compressed data)")) {
      try StoryExtractor.read(path, format: .docx)
    }
  }
}
