import MediaBank
import Testing

/// The one escaper of text shown in a page or written in a document.
@Suite struct EscapeTests {
  @Test("markup characters become entities, controls and non-characters are dropped, the rest is kept")
  func escaped() {
    #expect(ReportDocument.escaped("Lễ hội Lồng Tồng 2024") == "Lễ hội Lồng Tồng 2024")
    #expect(
      ReportDocument.escaped("<img src='x' onerror=\"a\">&amp;")
        == "&lt;img src=&apos;x&apos; onerror=&quot;a&quot;&gt;&amp;amp;")
    #expect(ReportDocument.escaped("a\u{0}b\u{1B}c\td\ne\r") == "abc\td\ne\r")
    #expect(ReportDocument.escaped("x\u{FFFE}y\u{FFFF}z\u{F8FF}") == "xyz\u{F8FF}")
    #expect(ReportDocument.escaped("漢字 🇻🇳 <") == "漢字 🇻🇳 &lt;")
    #expect(ReportDocument.escaped("") == "")
  }
}
