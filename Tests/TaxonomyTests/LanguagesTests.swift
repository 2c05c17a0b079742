import Testing

@testable import Taxonomy

@Suite("Languages")
struct LanguagesTests {
  let languages = try! Languages.shared()

  @Test func knownByName() throws {
    #expect(languages.all.count == 80)
    let tay = try #require(languages.name(of: "tyz"))
    #expect(tay.vietnamese == "Tiếng Tày")
    #expect(tay.english == "Tày")
    #expect(languages.name(of: "vi")?.english == "Vietnamese")
    #expect(languages.name(of: "ZH-hans")?.vietnamese == "Tiếng Trung (giản thể)")
    #expect(languages.name(of: "sw") == nil)  // well formed, not in the list
    #expect(languages.all.allSatisfy { Languages.isWellFormed($0.tag) })
  }

  @Test(arguments: [
    "vi", "en", "zh-Hans", "zh-Hant-TW", "tyz", "en-US", "es-419", "sr-Latn-RS", "de-CH-1901", "qaa", "x-private",
    "en-a-bbb-x-a-ccc", "i-klingon", "zh-min-nan", "sl-rozaj-biske", "zh-yue-HK", "vi-VN",
  ])
  func wellFormed(tag: String) {
    #expect(Languages.isWellFormed(tag))
  }

  @Test(arguments: [
    "", "vietnamese-language", "vi_VN", "en--US", "e", "123", "en-US-", "x", "de-419-DE", "a-DE", "en-a",
    "ar-a-aaa-a-bbb",
    "de-CH-1901-1901", "Tiếng Việt",
  ])
  func notWellFormed(tag: String) {
    #expect(!Languages.isWellFormed(tag))
  }

  @Test func canonicalCase() {
    #expect(Languages.canonical("ZH-hans-cn") == "zh-Hans-CN")
    #expect(Languages.canonical("EN-us") == "en-US")
    #expect(Languages.canonical("bad tag") == nil)
  }
}
