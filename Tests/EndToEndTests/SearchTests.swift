import Foundation
import Testing

/// `mediabank search`: Vietnamese-aware full-text search over titles, descriptions and keywords.
@Suite struct SearchTests {
  let scratch: ScratchDirectory
  let bank: String
  let cli = CLI()

  init() throws {
    scratch = try ScratchDirectory()
    bank = scratch.appending("bank")
    let archive = scratch.appending("archive")
    try CLI.makeArchive(at: archive)
    #expect(try cli("import", archive, "--bank", bank).status == 1)
  }

  /// The original names and snippets of what `search` finds, best first.
  func found(_ arguments: String...) throws -> [(name: String, snippet: String?)] {
    let output = try cli.run(["search", "--json", "--bank", bank] + arguments)
    let hits = try #require(try output.json() as? [[String: Any]])
    #expect(output.status == (hits.isEmpty ? 1 : 0), "\(output.stderr)")
    return hits.map { hit in
      let record = hit["record"] as? [String: Any] ?? [:]
      return ((record["originalNames"] as? [String])?.first ?? "?", hit["snippet"] as? String)
    }
  }

  @Test("case, diacritics and đ are ignored; every word must occur; the matching words are in bold")
  func folding() throws {
    let lake = try found("ho", "nui", "coc")
    #expect(Set(lake.map(\.name)) == ["nui-coc.jpg", "IMG_0001.JPG", "scan.png"])
    #expect(lake.first { $0.name == "nui-coc.jpg" }?.snippet == "**Hồ** **Núi** **Cốc** lúc bình minh")
    #expect(try found("HỒ NÚI CỐC").map(\.name) == lake.map(\.name))
    // đ folds to d both ways: "Đà Nẵng" is found by "da nang" and by "Đà".
    #expect(try found("da nang").map(\.name) == ["cau-rong.heic"])
    #expect(try found("Đà").map(\.name) == ["cau-rong.heic"])
    // Punctuation stays outside the bold.
    #expect(try found("rong").first?.snippet == "Cầu **Rồng**, Đà Nẵng")
    // Every word: one that occurs nowhere empties the result.
    #expect(try found("ho", "nui", "coc", "xyzzy").isEmpty)
    // English and keywords too.
    let market = try found("floating", "market")
    #expect(market.count == 1 && ["cho-noi.jpg", "bản sao chợ nổi.jpg"].contains(market[0].name))
    #expect(market.first?.snippet == "Cai Rang **floating** **market**")
  }

  @Test("the filters of list apply; --limit bounds the results; FTS5 syntax is taken as words")
  func filtersAndLimits() throws {
    #expect(try found("nui", "coc", "--locality", "19").map(\.name) == ["nui-coc.jpg"])
    #expect(try found("nui", "coc", "--captured-from", "2024").map(\.name) == ["nui-coc.jpg"])
    #expect(try found("ho", "nui", "coc", "--limit", "1").count == 1)
    #expect(try found("nui AND coc OR \"x").isEmpty)
    #expect(try found("nui*").map(\.name) == (try found("nui").map(\.name)))
    let usage = try cli("search", "--bank", bank, "--", "?!")
    #expect(usage.status == 64 && usage.stderr.contains("give words to find"))
    let text = try cli("search", "cái", "răng", "--bank", bank)
    // The passage that has the words as they were written wins over its English twin.
    #expect(text.status == 0 && text.stdout.contains("    Chợ nổi **Cái** **Răng**\n"), "\(text.stdout)")
  }

  @Test("an edited sidecar is searched by its new words, not its old ones")
  func reindexed() throws {
    let sidecar = try #require(
      scratch.files(under: "archive").first { $0.hasSuffix(".xmp") && !$0.contains("scan") })
    let path = scratch.appending("archive/" + sidecar)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    try FileManager.default.removeItem(atPath: path)
    try text.replacingOccurrences(of: "Bình minh trên hồ Núi Cốc (sidecar)", with: "Hoàng hôn ở Tân Cương")
      .write(toFile: path, atomically: false, encoding: .utf8)
    // The archive's two broken files failed the same way before: not news, so exit status 0.
    #expect(try cli("import", scratch.appending("archive"), "--bank", bank).status == 0)
    #expect(try found("hoang", "hon", "tan", "cuong").map(\.name) == ["IMG_0001.JPG"])
    #expect(!(try found("binh", "minh", "sidecar")).map(\.name).contains("IMG_0001.JPG"))
  }
}
