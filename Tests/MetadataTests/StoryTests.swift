import Foundation
import Testing

@testable import Metadata

/// Paths of the story fixtures (made by `scripts/make-story-fixtures`).
private enum Stories {
  static func good(_ name: String) -> String { Fixtures.root.appendingPathComponent("stories/\(name)").path }
  static func bad(_ name: String) -> String { Fixtures.root.appendingPathComponent("stories/bad/\(name)").path }

  /// Recognises the file by its name and first bytes, then reads it.
  static func read(_ path: String) throws -> StoryMetadata {
    try StoryExtractor.read(path, format: StoryExtractor.format(of: path))
  }
}

/// Written stories (`StoryExtractor`): every fixture, refusals, recognition, front matter, text helpers.
@Suite enum StoryTests {}

private func story(
  _ format: StoryFormat, title: String?, summary: String?, body: String, wordCount: Int, language: String? = nil,
  author: String? = nil, date: String? = nil, pillars: [String] = [], locality: String? = nil,
  translationOf: String? = nil, issues: [String] = []
) -> StoryMetadata {
  var metadata = StoryMetadata(format: format)
  metadata.title = title
  metadata.summary = summary
  metadata.body = body
  metadata.wordCount = wordCount
  metadata.language = language
  metadata.author = author
  metadata.date = date
  metadata.pillars = pillars
  metadata.locality = locality
  metadata.translationOf = translationOf
  metadata.issues = issues
  return metadata
}

extension StoryTests {
  @Suite struct FixtureFiles {
    @Test("Markdown, Vietnamese: front matter with a flow list; syntax removed from the body")
    func markdownVietnamese() throws {
      let metadata = try Stories.read(Stories.good("nui-coc.vi.md"))
      #expect(
        metadata
          == story(
            .markdown, title: "Bình minh trên hồ Núi Cốc",
            summary: "Sương sớm, thuyền câu và những đồi chè quanh hồ Núi Cốc.",
            body: """
              Hồ Núi Cốc

              Hồ Núi Cốc nằm ở huyện Đại Từ, cách thành phố Thái Nguyên khoảng 20 km.

              Truyền thuyết

              Chuyện tình chàng Cốc và nàng Công
              vẫn được kể bên hồ.

              Đi thuyền quanh hồ
              Thăm đồi chè Tân Cương

              giá vé: 50.000 đồng
              """,
            wordCount: 46, language: "vi", author: "Nguyễn Văn An", date: "2024-03-15",
            pillars: ["tourism-landscape", "culture-heritage"], locality: "Đại Từ, Thái Nguyên"))
      #expect(metadata.mediaType == "text/markdown")
    }

    @Test("Markdown, English: block list, quoted values, comments, a date-time, translation_of")
    func markdownEnglish() throws {
      let metadata = try Stories.read(Stories.good("nui-coc.en.md"))
      #expect(
        metadata
          == story(
            .markdown, title: "Dawn over Nui Coc \"Lake\"",
            summary: "Nui Coc Lake lies in Dai Tu district, about 20 km from Thai Nguyen city — a short ride.",
            body: """
              Nui Coc Lake lies in Dai Tu district, about 20 km from Thai Nguyen city — a short ride.

              Legend

              The lake keeps the story of Coc Cốc and Công. Use snake_case_names and 2 * 3 = 6.
              """,
            wordCount: 35, language: "en", author: "Nguyen Van An", date: "2024-03-16T08:30:00+07:00",
            pillars: ["tourism-landscape", "culture-heritage"], locality: "Đại Từ, Thái Nguyên",
            translationOf: "sha256:3f2a"))
    }

    @Test("Markdown without front matter: the first # heading is the title, the first paragraph the summary")
    func markdownWithoutFrontMatter() throws {
      let metadata = try Stories.read(Stories.good("cho-noi.md"))
      #expect(
        metadata
          == story(
            .markdown, title: "Chợ nổi Cái Răng",
            summary: "Chợ họp từ 5 giờ sáng trên sông Cần Thơ. Ghe bán trái cây & hàng hóa.",
            body: """
              Chợ nổi Cái Răng

              Chợ họp từ 5 giờ sáng trên sông Cần Thơ. Ghe bán trái cây & hàng hóa.

              Món nên thử

              Hủ tiếu trên ghe
              Cà phê *sáng sớm*

              Xem thêm bản đồ chợ.
              """,
            wordCount: 36))
    }

    @Test("a date that is not a date, an unknown key and a broken list are issues, not refusals")
    func badFrontMatter() throws {
      let metadata = try Stories.read(Stories.good("bad-front-matter.md"))
      #expect(
        metadata
          == story(
            .markdown, title: "Lễ hội Lim", summary: "Hội Lim diễn ra vào ngày 13 tháng Giêng.",
            body: "Hội Lim diễn ra vào ngày 13 tháng Giêng.", wordCount: 9,
            issues: [
              "front matter key 'tags' is not one MediaBank reads; ignored",
              "front matter 'pillars' is a list without its closing ]; ignored",
              "front matter date 'hôm qua' is not an ISO 8601 date (YYYY-MM-DD); ignored",
            ]))
    }

    @Test("plain text: decomposed Vietnamese with CRLF line ends is read as NFC with \\n; title from the first line")
    func plainText() throws {
      let bytes = try Data(contentsOf: URL(fileURLWithPath: Stories.good("ha-long.vi.txt")))
      #expect(bytes.count == 238, "the fixture is NFD: 'Vịnh' alone takes 8 bytes")
      let metadata = try Stories.read(Stories.good("ha-long.vi.txt"))
      #expect(
        metadata
          == story(
            .text, title: "Vịnh Hạ Long",
            summary: "Vịnh Hạ Long là di sản thiên nhiên thế giới, nổi tiếng với gần 2.000 hòn đảo đá vôi.",
            body: """
              Vịnh Hạ Long

              Vịnh Hạ Long là di sản thiên nhiên thế giới,
              nổi tiếng với gần 2.000 hòn đảo đá vôi.

              Du khách có thể đi thuyền, chèo kayak và ngắm hoàng hôn.
              """,
            wordCount: 34))
      #expect(metadata.body.unicodeScalars.contains("\u{1ecb}"), "ị is one precomposed scalar")
      #expect(metadata.mediaType == "text/plain")
    }

    @Test("UTF-8 with a byte order mark")
    func utf8WithBOM() throws {
      let metadata = try Stories.read(Stories.good("hoi-an.bom.en.txt"))
      #expect(
        metadata
          == story(
            .text, title: "Hoi An Ancient Town",
            summary: "Lanterns light the old streets of Hoi An every full moon.",
            body: "Hoi An Ancient Town\n\nLanterns light the old streets of Hoi An every full moon.", wordCount: 15))
    }

    @Test("UTF-16 LE and BE with their byte order marks, a character outside the BMP included")
    func utf16() throws {
      let expected = story(
        .text, title: "Phố cổ Hội An", summary: "Đèn lồng 🏮 thắp sáng những con phố cổ vào đêm rằm.",
        body: "Phố cổ Hội An\n\nĐèn lồng 🏮 thắp sáng những con phố cổ vào đêm rằm.", wordCount: 15)
      #expect(try Stories.read(Stories.good("hoi-an.utf16le.vi.txt")) == expected)
      #expect(try Stories.read(Stories.good("hoi-an.utf16be.vi.txt")) == expected)
    }

    @Test("HTML, Vietnamese: <title>, lang, meta description/author/date; no script, style or noscript in the body")
    func htmlVietnamese() throws {
      let metadata = try Stories.read(Stories.good("hoi-an.vi.html"))
      #expect(
        metadata
          == story(
            .html, title: "Hội An & đèn lồng", summary: "Phố cổ Hội An về đêm, đèn lồng và sông Hoài.",
            body: """
              Đêm rằm ở Hội An

              Vào đêm rằm, phố cổ tắt đèn điện và thắp đèn lồng. Người dân thả hoa đăng trên sông Hoài.

              Chùa Cầu
              Nhà cổ Tấn Ký

              Giá vé: 120.000 đồng
              Mở cửa: 8 giờ – 22 giờ

              Kỷ niệm © 2023
              """,
            wordCount: 44, language: "vi", author: "Lê Thị Hoa", date: "2023-09-28T19:00:00+07:00"))
      for hidden in ["không phải nội dung", "quảng cáo", "JavaScript", "bình luận ẩn", "font-family", "display"] {
        #expect(!metadata.body.contains(hidden))
      }
      #expect(metadata.mediaType == "text/html")
    }

    @Test("HTML, English: uppercase tags, unquoted attributes, <pre>, tables, svg, unclosed <p>, a bad meta date")
    func htmlEnglish() throws {
      let metadata = try Stories.read(Stories.good("hue.en.html"))
      #expect(
        metadata
          == story(
            .html, title: "Hue Imperial City",
            summary: "The citadel was built in 1805 by Emperor Gia Long. It sits on the Perfume River.",
            body: """
              Hue Imperial City

              The citadel was built in 1805 by Emperor Gia Long.
              It sits on the Perfume River.

                Opening hours
                  7:00 - 17:30

              Adults 200,000 VND
              Children 40,000 VND

              Tip: 5 < 6 & café &unknown; a < b
              """,
            wordCount: 36, language: "en-GB",
            issues: ["<meta name=\"date\"> '28/09/2023' is not an ISO 8601 date (YYYY-MM-DD); ignored"]))
    }

    @Test("DOCX with document properties: runs joined, tabs, breaks, tables, tracked changes, text boxes once")
    func docxVietnamese() throws {
      let metadata = try Stories.read(Stories.good("trang-an.vi.docx"))
      #expect(
        metadata
          == story(
            .docx, title: "Quần thể danh thắng Tràng An", summary: "Tràng An là di sản thế giới ở Ninh Bình.",
            body: """
              Tràng An mùa lúa chín

              Tràng An là di sản thế giới ở Ninh Bình.

              Địa chỉ:\tHoa Lư, Ninh Bình

              Đi thuyền

              Thuyền đi qua
              các hang động tối.

              trangan.vn

              Vé người lớn

              250.000 đồng

              Hộp chữ

              Xem hộp:
              """,
            wordCount: 40, language: "vi-VN", author: "Phạm Minh Đức", date: "2024-05-01T09:00:00Z"))
      #expect(!metadata.body.contains("chữ đã xóa") && !metadata.body.contains("HYPERLINK"))
      #expect(metadata.mediaType == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    }

    @Test("DOCX without document properties: the Title paragraph is the title; the main part found by _rels/.rels")
    func docxEnglish() throws {
      let metadata = try Stories.read(Stories.good("sapa.en.docx"))
      #expect(
        metadata
          == story(
            .docx, title: "Sa Pa Rice Terraces",
            summary: "In September the terraces of Mu Cang Chai and Sa Pa turn gold.",
            body: """
              Sa Pa Rice Terraces

              In September the terraces of Mu Cang Chai and Sa Pa turn gold.

              Getting there

              Take the night train from Hanoi to Lao Cai.
              """,
            wordCount: 28))
    }
  }
}

extension StoryTests {
  @Suite struct Refusals {
    @Test(
      "bad stories are refused by their first bytes, with a reason",
      arguments: [
        (
          "latin1.txt",
          "not UTF-8 or UTF-16 text (save it as UTF-8): byte 0xe8 at offset 2 is not valid UTF-8 "
            + "(Latin-1 or Windows-1258?)"
        ),
        (
          "binary.txt",
          "not UTF-8 or UTF-16 text (save it as UTF-8): byte 8 is NUL, so it is binary data or UTF-16 "
            + "without a byte order mark"
        ),
        (
          "utf16-no-bom.txt",
          "not UTF-8 or UTF-16 text (save it as UTF-8): byte 1 is NUL, so it is binary data or UTF-16 "
            + "without a byte order mark"
        ),
        ("empty.md", "empty file (0 bytes)"),
        ("not-html.html", "not an HTML file (does not start with <!doctype html> or <html>)"),
        (
          "old-word.docx",
          "not a DOCX file (an OLE compound file: a Word 97-2003 .doc or a password-protected document)"
        ),
      ])
    func refusedByHead(name: String, reason: String) {
      #expect(throws: MetadataError(reason)) { try StoryExtractor.format(of: Stories.bad(name)) }
    }

    @Test(
      "text that is not UTF-8 or UTF-16 is refused when read, too",
      arguments: [
        ("latin1.txt", StoryFormat.text, "byte 0xe8 at offset 2 is not valid UTF-8 (Latin-1 or Windows-1258?)"),
        ("binary.txt", .markdown, "byte 8 is NUL, so it is binary data or UTF-16 without a byte order mark"),
        ("utf16-no-bom.txt", .html, "byte 1 is NUL, so it is binary data or UTF-16 without a byte order mark"),
      ])
    func refusedWhenRead(name: String, format: StoryFormat, reason: String) {
      #expect(throws: MetadataError("not UTF-8 or UTF-16 text (save it as UTF-8): " + reason)) {
        try StoryExtractor.read(Stories.bad(name), format: format)
      }
    }

    @Test(
      "broken DOCX files are refused with a reason",
      arguments: [
        ("corrupt.docx", "corrupt DOCX (not a readable ZIP archive: no end of central directory record)"),
        ("bad-crc.docx", "corrupt DOCX (word/document.xml cannot be read: CRC-32 checksum mismatch)"),
        ("spreadsheet.docx", "not a DOCX file (its main part xl/workbook.xml is not a Word document)"),
        ("doctype.docx", "corrupt DOCX (word/document.xml declares a DTD, which Office Open XML forbids)"),
        ("bomb.docx", "word/document.xml is 60 MB uncompressed, above the limit of 50 MB (possible zip bomb)"),
      ])
    func brokenDOCX(name: String, reason: String) throws {
      #expect(try StoryExtractor.format(of: Stories.bad(name)) == .docx, "the head is a ZIP's")
      #expect(throws: MetadataError(reason)) { try StoryExtractor.read(Stories.bad(name), format: .docx) }
    }

    @Test("a part that inflates beyond the limit is refused even when its header claims less")
    func lyingSize() throws {
      let path = Stories.bad("lying-size.docx")
      #expect(
        throws: MetadataError(
          "word/document.xml inflates to more than the limit of 500 bytes, though its header says 100 bytes "
            + "(possible zip bomb)")
      ) {
        try StoryExtractor.read(path, format: .docx, maxTextBytes: StoryExtractor.maxTextBytes, maxPartBytes: 500)
      }
      #expect(
        try StoryExtractor.read(path, format: .docx).title == "Sa Pa Rice Terraces",
        "within the real limit, the wrong size in the headers is harmless")
    }

    @Test("a text story above the size limit is refused")
    func sizeLimit() throws {
      let path = Stories.good("cho-noi.md")
      #expect(throws: MetadataError("story is 327 bytes of text, above the limit of 300 bytes")) {
        try StoryExtractor.read(path, format: .markdown, maxTextBytes: 300, maxPartBytes: 300)
      }
      #expect(throws: MetadataError("story is 25 MB of text, above the limit of 20 MB")) {
        try StoryExtractor.format(head: Array("# Big".utf8), size: 25_000_000, name: "big.md")
      }
    }

    @Test("a directory is not a story")
    func directory() {
      #expect(throws: MetadataError("not a regular file")) {
        try StoryExtractor.read(Fixtures.root.appendingPathComponent("stories").path, format: .text)
      }
    }
  }
}

extension StoryTests {
  @Suite struct Formats {
    @Test("the format comes from the extension, checked against the content")
    func recognised() throws {
      let head = Array("<!DOCTYPE html><html lang=vi>".utf8)
      #expect(try StoryExtractor.format(head: head, size: 100, name: "a/b/Trang.HTM") == .html)
      #expect(try StoryExtractor.format(head: [0xef, 0xbb, 0xbf] + head, size: 100, name: "x.html") == .html)
      #expect(try StoryExtractor.format(head: Array("\n  <html>".utf8), size: 100, name: "x.html") == .html)
      #expect(try StoryExtractor.format(head: Array("# Tiêu đề".utf8), size: 20, name: "x.markdown") == .markdown)
      #expect(try StoryExtractor.format(head: Array("PK\u{3}\u{4}".utf8), size: 2000, name: "x.docx") == .docx)
      #expect(StoryFormat(fileExtension: "MD") == .markdown && StoryFormat(fileExtension: "jpg") == nil)
    }

    @Test("a character cut by the end of the head is not a reason to refuse; a bad byte before it is")
    func cutHead() throws {
      let text = Array(String(repeating: "Hạ Long ", count: 10).utf8)
      let head = Array(text.prefix(63))
      #expect(String(validating: head, as: UTF8.self) == nil, "the head ends inside 'ạ'")
      #expect(try StoryExtractor.format(head: head, size: Int64(text.count), name: "ha-long.txt") == .text)
      #expect(throws: MetadataError.self) {
        try StoryExtractor.format(head: head, size: Int64(head.count), name: "ha-long.txt")
      }
      let utf16: [UInt8] = [0xff, 0xfe] + Array(Array(repeating: [0x61, 0x00], count: 30).joined()) + [0x3d, 0xd8]
      #expect(try StoryExtractor.format(head: utf16 + [0xee], size: 100, name: "x.txt") == .text)
    }

    @Test("wrong names and wrong content")
    func refused() {
      #expect(throws: MetadataError("not a story (.md, .markdown, .txt, .html, .htm, .docx)")) {
        try StoryExtractor.format(head: Array("hello".utf8), size: 5, name: "notes.rtf")
      }
      #expect(throws: MetadataError("not a story (.md, .markdown, .txt, .html, .htm, .docx)")) {
        try StoryExtractor.format(head: Array("hello".utf8), size: 5, name: "README")
      }
      #expect(throws: MetadataError("not a DOCX file (starts with 0x3c 0x3f, not a ZIP archive)")) {
        try StoryExtractor.format(head: Array("<?xml version".utf8), size: 100, name: "x.docx")
      }
      #expect(throws: MetadataError("not UTF-8 or UTF-16 text (save it as UTF-8): it is UTF-32")) {
        try StoryExtractor.format(head: [0xff, 0xfe, 0, 0, 0x41, 0, 0, 0], size: 8, name: "x.txt")
      }
      #expect(
        throws: MetadataError(
          "not UTF-8 or UTF-16 text (save it as UTF-8): UTF-16 text with an odd number of bytes (5)")
      ) {
        try StoryExtractor.format(head: [0xfe, 0xff, 0, 0x41, 0x42], size: 5, name: "x.txt")
      }
      #expect(
        throws: MetadataError("not UTF-8 or UTF-16 text (save it as UTF-8): invalid UTF-16 (an unpaired surrogate)")
      ) {
        try StoryExtractor.format(head: [0xfe, 0xff, 0xdc, 0x00, 0, 0x41], size: 6, name: "x.txt")
      }
    }
  }
}

extension StoryTests {
  @Suite struct FrontMatter {
    private func parse(_ text: String) -> StoryFrontMatter {
      StoryFrontMatter(text.split(separator: "\n", omittingEmptySubsequences: false))
    }

    @Test("lists in both forms, quoted or not, with comments")
    func lists() {
      let flow = parse("pillars: [ culture-heritage , 'events-sports', \"a, b\" ] # comment")
      #expect(flow.list("pillars") == ["culture-heritage", "events-sports", "a, b"])
      let block = parse("pillars:\n  - culture-heritage\n  - \"events-sports\"  # x\n\n  - 'it''s'\ntitle: T")
      #expect(block.list("pillars") == ["culture-heritage", "events-sports", "it's"] && block.scalar("title") == "T")
      let compact = parse("pillars:\n- culture-heritage\n- events-sports")
      #expect(compact.list("pillars") == ["culture-heritage", "events-sports"] && compact.issues.isEmpty)
      #expect(parse("pillars: culture-heritage").list("pillars") == ["culture-heritage"])
      #expect(parse("pillars: []").list("pillars") == [])
    }

    @Test("values are strings as written: no YAML type guessing")
    func noTypeGuessing() {
      let front = parse("language: no\ndate: 2024-03-15\ntitle: 1975\nauthor: ~\nsummary: null\nlocality: yes")
      #expect(front.scalar("language") == "no" && front.scalar("date") == "2024-03-15")
      #expect(front.scalar("title") == "1975" && front.scalar("locality") == "yes")
      #expect(front.scalar("author") == nil && front.scalar("summary") == nil && front.issues.isEmpty)
    }

    @Test("quoting, escapes, continuation lines and block scalars")
    func scalars() {
      #expect(parse(#"title: "Hồ \"Núi Cốc\"\t\u1EA1""#).scalar("title") == "Hồ \"Núi Cốc\"\tạ")
      #expect(parse("title: 'Núi: Cốc # not a comment'").scalar("title") == "Núi: Cốc # not a comment")
      #expect(parse("title: Núi Cốc # a comment").scalar("title") == "Núi Cốc")
      #expect(parse("title: Núi#Cốc").scalar("title") == "Núi#Cốc")
      #expect(parse("summary: một dòng\n  tiếp theo").scalar("summary") == "một dòng tiếp theo")
      #expect(
        parse("summary: >\n  dòng một\n  dòng hai\n\n  đoạn hai\n").scalar("summary") == "dòng một dòng hai\nđoạn hai")
      #expect(parse("summary: |-\n  dòng một\n  dòng hai").scalar("summary") == "dòng một\ndòng hai")
      #expect(parse("translation_of: sha256:3f2a").scalar("translation_of") == "sha256:3f2a")
    }

    @Test("what it does not read becomes an issue")
    func issues() {
      let front = parse(
        """
        title: first
        title: second
        author: [a, b]
        locality: {province: Hà Nội}
        summary: "unclosed
        date: *anchor
        language:vi
          stray
        - item
        """)
      #expect(front.scalar("title") == "first")
      #expect(
        front.issues == [
          "front matter key 'title' appears more than once; the first is kept",
          "front matter 'author' is a list, not a single value; ignored",
          "front matter 'locality' starts with '{', YAML syntax MediaBank does not read (quote the value); ignored",
          "front matter 'summary' has no closing quote; ignored",
          "front matter 'date' starts with '*', YAML syntax MediaBank does not read (quote the value); ignored",
          "front matter line 8 is not 'key: value'; ignored",
          "front matter line 9 belongs to no key; ignored",
          "front matter line 10 belongs to no key; ignored",
        ])
    }

    @Test("front matter that is never closed is text")
    func unclosed() {
      let metadata = MarkdownText.read("---\ntitle: x\n\nBody text.")
      #expect(metadata.title == nil && metadata.body == "title: x\n\nBody text.", "--- is a thematic break")
      #expect(metadata.issues == ["the front matter that starts with --- is never closed; read as text"])
    }
  }
}

extension StoryTests {
  @Suite struct TextHelpers {
    @Test("ISO 8601 dates and date-times are valid, other dates are not")
    func dates() {
      for valid in [
        "2024-03-15", "2024-02-29", "2000-02-29", "2024-03-15T08:30", "2024-03-15T08:30:00",
        "2024-03-15T08:30:00.250Z", "2024-03-15T23:59:60+07:00", "2024-03-15T08:30-03:30",
      ] {
        #expect(StoryText.isISODate(valid), "\(valid)")
      }
      for invalid in [
        "", "15/03/2024", "2024-3-15", "2023-02-29", "1900-02-29", "2024-13-01", "2024-04-31", "2024-03-15T24:00",
        "2024-03-15 08:30", "2024-03-15T08:30:00.Z", "2024-03-15T08:30+0700", "2024-03-15Z", "hôm qua", "2024",
      ] {
        #expect(!StoryText.isISODate(invalid), "\(invalid)")
      }
    }

    @Test("word counts: runs with a letter or digit; CJK characters one each")
    func wordCounts() {
      #expect(StoryExtractor.wordCount("") == 0)
      #expect(StoryExtractor.wordCount("Thái Nguyên") == 2)
      #expect(StoryExtractor.wordCount("Bà Rịa–Vũng Tàu — 2024 !!") == 4)
      #expect(StoryExtractor.wordCount("e-mail don't 3,5\tkm\n\nend") == 5)
      #expect(StoryExtractor.wordCount("河内是越南的首都 Hà Nội") == 10)
      #expect(StoryExtractor.wordCount("ハノイ です") == 5)
      #expect(StoryExtractor.wordCount("สวัสดีครับ ฮานอย") == 2)
    }

    @Test("a long first paragraph is cut at a word for the summary")
    func longSummary() {
      let sentence = "Ruộng bậc thang Mù Cang Chải mùa lúa chín. "
      let metadata = PlainText.read("Tiêu đề\n\n" + String(repeating: sentence, count: 30))
      let summary = metadata.summary ?? ""
      #expect(summary.hasSuffix("…") && summary.count <= StoryExtractor.maxSummaryCharacters + 1)
      #expect(String(repeating: sentence, count: 30).hasPrefix(summary.dropLast()))
      #expect(summary.dropLast().last?.isWhitespace == false)
    }

    @Test("a first line too long for a title is body text")
    func longFirstLine() {
      let line = String(repeating: "chữ ", count: 60)
      let metadata = PlainText.read(line + "\n\nĐoạn hai.")
      #expect(metadata.title == nil)
      #expect(metadata.summary == line.trimmingCharacters(in: .whitespaces))
      #expect(metadata.issues == ["the first line has more than 200 characters, too long for a title; no title"])
    }

    @Test("Markdown inline syntax")
    func markdownInline() {
      #expect(MarkdownText.inline("**đậm** và *nghiêng*, __đậm__ và _nghiêng_") == "đậm và nghiêng, đậm và nghiêng")
      #expect(MarkdownText.inline("snake_case and 2*3 and a * b") == "snake_case and 2*3 and a * b")
      #expect(
        MarkdownText.inline("[Hà [Nội]](https://x.vn/(a)) ![ảnh](a.jpg) <https://hanoi.vn>")
          == "Hà [Nội]  https://hanoi.vn")
      #expect(MarkdownText.inline("`a **b**` ``c ` d`` \\*e\\* &lt;f&gt; &#7841;") == "a **b** c ` d *e* <f> ạ")
      #expect(MarkdownText.inline("dòng<br>mới <span class=\"x\">chữ</span> [^1] [sic]") == "dòng\nmới chữ [^1] [sic]")
    }

    @Test("a HTML charset that is not Unicode is noted; the Unicode bytes are read as they are")
    func htmlCharset() {
      let metadata = HTMLText.read(
        "<html><head><meta http-equiv=Content-Type content=\"text/html; charset=windows-1258\"></head><p>Hà Nội</p>")
      #expect(metadata.body == "Hà Nội")
      #expect(
        metadata.issues == ["the page declares charset 'windows-1258' but is UTF-8 or UTF-16 text; read as Unicode"])
    }
  }
}
