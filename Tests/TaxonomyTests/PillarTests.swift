import Foundation
import Testing

@testable import Taxonomy

/// A vocabulary file built from parts, for the validation tests.
private func vocabularyJSON(
  formatVersion: Int = 1, version: String = "2026.1", issuedBy: String = "Test", pillars: [String]
) -> Data {
  Data(
    """
    {"formatVersion": \(formatVersion), "version": "\(version)", "issuedBy": "\(issuedBy)",
     "pillars": [\(pillars.joined(separator: ","))]}
    """.utf8)
}

/// One pillar object of a vocabulary file.
private func pillarJSON(
  _ code: String, vi: String? = nil, en: String? = nil, scopeEN: String = "Scope.", hints: String = "{}"
) -> String {
  let vi = vi ?? "Nhãn \(code)"
  let en = en ?? "Label \(code)"
  return """
    {"code": "\(code)", "label": {"vi": "\(vi)", "en": "\(en)"},
     "scope": {"vi": "Phạm vi.", "en": "\(scopeEN)"}, "hints": \(hints)}
    """
}

private func parse(_ pillars: [String]) throws(TaxonomyError) -> PillarVocabulary {
  try PillarVocabulary(data: vocabularyJSON(pillars: pillars), name: "test.json")
}

/// The reason a vocabulary is refused, or nil when it is accepted.
private func refusal(_ data: Data) -> String? {
  do {
    _ = try PillarVocabulary(data: data, name: "test.json")
    return nil
  } catch {
    #expect(error.subject == "test.json")
    return error.reason
  }
}

@Suite("Image-pillar vocabulary")
struct PillarTests {
  let shipped = try! PillarVocabulary.shipped()

  // MARK: The shipped vocabulary

  @Test func shippedHasTheTwelvePillars() {
    #expect(
      shipped.pillars.map(\.code) == [
        "culture-heritage", "history-tradition", "people-communities", "tourism-landscape", "specialty-products",
        "investment-trade", "innovation-technology", "green-sustainable", "education-science",
        "international-cooperation", "events-sports", "development-achievements",
      ])
    #expect(shipped.version == "2026.1")
    #expect(!shipped.issuedBy.isEmpty)
  }

  @Test func shippedPillarsAreComplete() {
    for pillar in shipped.pillars {
      #expect(PillarVocabulary.isWellFormedCode(pillar.code), "\(pillar.code)")
      #expect(pillar.code.wholeMatch(of: /[a-z][a-z0-9]*(-[a-z0-9]+)*/) != nil, "\(pillar.code)")
      for text in [pillar.vietnameseLabel, pillar.englishLabel, pillar.vietnameseScope, pillar.englishScope] {
        #expect(!text.isEmpty && !text.contains("\n"), "\(pillar.code)")
      }
      #expect((pillar.hints["vi"]?.count ?? 0) >= 5, "\(pillar.code)")
      #expect((pillar.hints["en"]?.count ?? 0) >= 5, "\(pillar.code)")
      #expect(shipped.pillar(pillar.code) == pillar)
      // Every pillar's own labels name it.
      #expect(shipped.match(pillar.vietnameseLabel) == pillar)
      #expect(shipped.match(pillar.englishLabel) == pillar)
    }
  }

  /// The starting hints of issue 4 are all there, under the right pillar.
  @Test(arguments: [
    ("culture-heritage", ["văn hóa", "di sản"]),
    ("history-tradition", ["lịch sử", "truyền thống cách mạng", "di tích"]),
    ("people-communities", ["con người", "cộng đồng các dân tộc"]),
    ("tourism-landscape", ["du lịch", "danh lam thắng cảnh", "bãi biển", "hang động", "beach", "landscape"]),
    ("specialty-products", ["sản phẩm đặc trưng", "OCOP", "thương hiệu"]),
    ("investment-trade", ["môi trường đầu tư", "thương mại", "xúc tiến"]),
    ("innovation-technology", ["đổi mới sáng tạo", "chuyển đổi số", "công nghệ cao"]),
    ("green-sustainable", ["phát triển xanh", "bền vững", "nông nghiệp xanh"]),
    ("education-science", ["giáo dục", "đào tạo", "khoa học"]),
    ("international-cooperation", ["hội nhập", "hợp tác quốc tế", "đối ngoại", "kiều bào"]),
    ("events-sports", ["sự kiện", "lễ hội", "thể thao", "festival"]),
    ("development-achievements", ["thành tựu phát triển", "kinh tế - xã hội"]),
  ])
  func issueHints(code: String, hints: [String]) throws {
    for hint in hints {
      let suggestion = try #require(shipped.suggestions(in: [hint]).first, "\(hint)")
      #expect(suggestion.code == code, "\(hint)")
      #expect(suggestion.hint == hint)
    }
  }

  /// No shipped hint contains a character the folding would lose (it must find itself), and none is
  /// listed under two pillars.
  @Test func shippedHintsAreDistinct() {
    var owners: [String: String] = [:]
    for pillar in shipped.pillars {
      for hint in pillar.hints.values.joined() {
        let folded = VietnameseText.fold(hint)
        if let owner = owners.updateValue(pillar.code, forKey: folded) {
          #expect(owner == pillar.code, "'\(hint)' in \(owner) and \(pillar.code)")
        }
      }
    }
  }

  // MARK: Names

  @Test(arguments: [
    ("Du lịch và cảnh quan", "tourism-landscape"), ("du lich va canh quan", "tourism-landscape"),
    ("DU LỊCH VÀ CẢNH QUAN", "tourism-landscape"), ("Du lịch - cảnh quan", "tourism-landscape"),
    ("Tourism and Landscape", "tourism-landscape"), ("tourism & landscape", "tourism-landscape"),
    ("tourism-landscape", "tourism-landscape"), ("Tourism_Landscape", "tourism-landscape"),
    (" tourism landscape ", "tourism-landscape"),
    ("Đổi mới sáng tạo và công nghệ", "innovation-technology"),
    ("doi moi sang tao va cong nghe", "innovation-technology"),
    ("Sản phẩm đặc trưng", "specialty-products"), ("san pham dac trung", "specialty-products"),
    ("Sự kiện, lễ hội và thể thao", "events-sports"), ("Thành tựu phát triển", "development-achievements"),
    // NFD input (decomposed diacritics) is the same text.
    ("Văn hóa và di sản".decomposedStringWithCanonicalMapping, "culture-heritage"),
  ])
  func labelsAndCodesName(text: String, code: String) {
    #expect(shipped.match(text)?.code == code, "\(text)")
  }

  @Test(arguments: ["", "   ", "du lịch", "tourism", "culture-heritage-x", "Du lịch Hồ Núi Cốc", "và", "and"])
  func otherTextsNameNothing(text: String) {
    #expect(shipped.match(text) == nil, "\(text)")
  }

  @Test func codesAreLookedUp() {
    #expect(shipped.pillar("events-sports")?.englishLabel == "Events, festivals and sports")
    #expect(shipped.pillar("EVENTS-SPORTS")?.code == "events-sports")
    #expect(shipped.pillar("events") == nil)
  }

  // MARK: Hints

  @Test(arguments: [
    ("Du lịch Hồ Núi Cốc", "tourism-landscape", "du lịch"),
    ("du lich ho nui coc", "tourism-landscape", "du lịch"),
    ("DU_LICH/2024", "tourism-landscape", "du lịch"),
    ("Bãi biển Sầm Sơn", "tourism-landscape", "bãi biển"),
    ("Sunset on the beach", "tourism-landscape", "beach"),
    ("Di sản thế giới Vịnh Hạ Long", "culture-heritage", "di sản thế giới"),
    ("di-san Hue", "culture-heritage", "di sản"),
    // đ → d
    ("Đổi mới sáng tạo 2025", "innovation-technology", "đổi mới sáng tạo"),
    ("doi moi sang tao", "innovation-technology", "đổi mới sáng tạo"),
    ("Đặc sản Thái Nguyên", "specialty-products", "đặc sản"),
    ("dac san", "specialty-products", "đặc sản"),
    ("Đào tạo nghề", "education-science", "đào tạo"),
    ("Lễ hội Lồng Tồng", "events-sports", "lễ hội"),
    ("Sản phẩm OCOP 4 sao", "specialty-products", "OCOP"),
    ("Kinh tế - xã hội 2025", "development-achievements", "kinh tế - xã hội"),
  ])
  func hintsFoundAsWholeWords(text: String, code: String, hint: String) throws {
    let suggestion = try #require(shipped.suggestions(in: [text]).first, "\(text)")
    #expect(suggestion.code == code, "\(text)")
    #expect(suggestion.hint == hint, "\(text)")
    #expect(suggestion.text == text)
    #expect(suggestion.hits == 1)
  }

  @Test(arguments: [
    "disan", "Disan van", "dulich", "Du", "lịch", "ditich", "Bãi", "beaches2024", "festivalgoers", "artwork",
    "abeach", "IMG_0001", "", "2024-06-01",
  ])
  func noHintInsideAWord(text: String) {
    #expect(shipped.suggestions(in: [text]).isEmpty, "\(text)")
  }

  @Test(arguments: ["Chùa Hang, Đồng Hỷ", "du; lịch", "Du/Lịch", "bãi. Biển", "Du\nlịch", "hang (động)"])
  func noHintAcrossSeparators(text: String) {
    #expect(shipped.suggestions(in: [text]).isEmpty, "\(text)")
  }

  @Test func dashesAndUnderscoresJoin() {
    #expect(shipped.suggestions(in: ["Kinh tế – xã hội"]).first?.hint == "kinh tế - xã hội")
    #expect(shipped.suggestions(in: ["Du_lich"]).first?.hint == "du lịch")
    #expect(shipped.suggestions(in: ["hang-dong"]).first?.hint == "hang động")
  }

  @Test func longestHintWins() throws {
    // "du lịch sinh thái" is one hit, not "du lịch" plus something else.
    let suggestions = shipped.suggestions(in: ["Khu du lịch sinh thái"])
    #expect(suggestions.count == 1)
    #expect(suggestions.first?.hint == "du lịch sinh thái")
    #expect(suggestions.first?.hits == 1)
    // "môi trường đầu tư" is investment, and "hợp tác xã" (a co-operative) is no international
    // cooperation.
    #expect(shipped.suggestions(in: ["Cải thiện môi trường đầu tư"]).map(\.code) == ["investment-trade"])
    #expect(shipped.suggestions(in: ["Hợp tác xã chè"]).isEmpty)
  }

  @Test func rankedByHits() {
    let suggestions = shipped.suggestions(in: [
      "Lễ hội du lịch biển Sầm Sơn",  // events (lễ hội), tourism (du lịch)
      "Festival, bãi biển và thể thao",  // events (festival, thể thao), tourism (bãi biển)
      "Du lịch/Hang động",  // tourism (du lịch, hang động)
    ])
    #expect(suggestions.map(\.code) == ["tourism-landscape", "events-sports"])
    #expect(suggestions.map(\.hits) == [4, 3])
    // The first hint found, and the text it was found in.
    #expect(suggestions[0].hint == "du lịch")
    #expect(suggestions[0].text == "Lễ hội du lịch biển Sầm Sơn")
    #expect(suggestions[1].hint == "lễ hội")
  }

  @Test func tiesKeepTheOrderFound() {
    #expect(shipped.suggestions(in: ["thể thao, giáo dục"]).map(\.code) == ["events-sports", "education-science"])
    #expect(shipped.suggestions(in: ["giáo dục, thể thao"]).map(\.code) == ["education-science", "events-sports"])
  }

  @Test func aPhraseOfSeveralPillarsCountsForEach() throws {
    let vocabulary = try parse([
      pillarJSON("a", hints: #"{"vi": ["lễ hội"]}"#), pillarJSON("b", hints: #"{"en": ["le hoi", "sport"]}"#),
    ])
    let suggestions = vocabulary.suggestions(in: ["Le hoi, sport"])
    #expect(suggestions.map(\.code) == ["b", "a"])
    #expect(suggestions.map(\.hits) == [2, 1])
    #expect(suggestions.map(\.hint) == ["le hoi", "lễ hội"])
  }

  // MARK: Names after a kinship pronoun

  /// `anh hùng` (hero) is a history hint; `anh Hùng` is brother Hùng.
  @Test(arguments: [
    "anh hùng", "Anh hùng dân tộc", "Lễ tuyên dương anh hùng lực lượng vũ trang", "ANH HÙNG DÂN TỘC",
    "anh hung dan toc", "Anh hung", "Anh_hùng", "Mẹ Việt Nam anh hùng",
  ])
  func heroIsFound(text: String) throws {
    let suggestion = try #require(shipped.suggestions(in: [text]).first, "\(text)")
    #expect(suggestion.code == "history-tradition", "\(text)")
    #expect(suggestion.hint == "anh hùng", "\(text)")
  }

  @Test(arguments: [
    "anh Hùng", "Chân dung anh Hùng", "Anh Hùng ở Đại Từ", "Anh Hung", "anh HÙNG bên ruộng lúa", "Anh-Hùng",
    // Title Case reads as a name: Vietnamese capitalises every syllable of a name, and nothing else.
    "Anh Hùng Dân Tộc",
  ])
  func brotherHungIsNoHero(text: String) {
    #expect(!shipped.suggestions(in: [text]).contains { $0.code == "history-tradition" }, "\(text)")
  }

  @Test func theRuleIsPerOccurrenceAndPerText() {
    // The name does not hide the hint elsewhere in the same text, nor in another text.
    let suggestions = shipped.suggestions(in: ["Anh Hùng kể chuyện anh hùng Núp", "anh Hùng"])
    #expect(suggestions.map(\.code) == ["history-tradition"] && suggestions.first?.hits == 1)
    // An ALL-CAPS word in a text that has lower case is a name (captions write names so).
    #expect(shipped.suggestions(in: ["Phỏng vấn anh HÙNG"]).isEmpty)
    // Only the word after the pronoun counts: the pronoun may start a sentence.
    #expect(shipped.suggestions(in: ["Con người Đại Từ"]).map(\.code) == ["people-communities"])
    #expect(shipped.suggestions(in: ["Con Người Đại Từ"]).isEmpty)
  }

  @Test func aHintThatWritesTheNameMeansTheName() throws {
    // "Bác Hồ" (Uncle Ho) is a name in the hint itself: found however the text writes it.
    for text in ["Thăm nhà Bác Hồ", "bác Hồ", "bac ho", "BÁC HỒ"] {
      #expect(shipped.suggestions(in: [text]).first?.hint == "Bác Hồ", "\(text)")
    }
    #expect(PillarVocabulary.nameGuards("Bác Hồ") == [])
    #expect(PillarVocabulary.nameGuards("anh hùng") == [1])
    #expect(PillarVocabulary.nameGuards("ngày anh hùng liệt sĩ") == [2])
    #expect(PillarVocabulary.nameGuards("du lịch") == [])
    #expect(PillarVocabulary.nameGuards("cô") == [])
  }

  @Test func aNameOnlyHidesThePillarsWhoseHintItIs() throws {
    // The same phrase, a hint of one pillar in lower case and of another capitalised (a local
    // pillar of a person): in "anh Hùng" only the second is found.
    let vocabulary = try parse([
      pillarJSON("hero", hints: #"{"vi": ["anh hùng"]}"#),
      pillarJSON("local", hints: #"{"und": ["Anh Hùng"]}"#),
    ])
    #expect(vocabulary.suggestions(in: ["Chân dung anh Hùng"]).map(\.code) == ["local"])
    #expect(vocabulary.suggestions(in: ["Mẹ Việt Nam anh hùng"]).map(\.code) == ["hero", "local"])
    // A longer hint that the name stops gives way to a shorter one that it does not.
    let longer = try parse([
      pillarJSON("a", hints: #"{"vi": ["chân dung anh hùng"]}"#), pillarJSON("b", hints: #"{"vi": ["chân dung"]}"#),
    ])
    #expect(longer.suggestions(in: ["Chân dung anh Hùng"]).map(\.code) == ["b"])
    #expect(longer.suggestions(in: ["Chân dung anh hùng"]).map(\.code) == ["a"])
  }

  @Test func foldingNotesHowWordsAreWritten() {
    var marks: VietnameseText.CaseMarks? = VietnameseText.CaseMarks()
    #expect(VietnameseText.fold("Chân dung anh Hùng, Đắk Lắk", marks: &marks) == "chan dung anh hung dak lak")
    #expect(marks?.capitalised == [true, false, false, true, true, true] && marks?.hasLowercase == true)
    marks = VietnameseText.CaseMarks()
    _ = VietnameseText.fold("ANH HÙNG".decomposedStringWithCanonicalMapping, marks: &marks)
    #expect(marks?.capitalised == [true, true] && marks?.hasLowercase == false)
  }

  // MARK: Validation

  @Test func aGoodVocabularyIsAccepted() throws {
    let vocabulary = try parse([pillarJSON("a"), pillarJSON("b2-c3", hints: #"{"vi": ["x"], "zh-Hans": ["旅游"]}"#)])
    #expect(vocabulary.pillars.map(\.code) == ["a", "b2-c3"])
    #expect(vocabulary.suggestions(in: ["旅游"]).map(\.code) == ["b2-c3"])
  }

  @Test func duplicateCode() {
    let reason = refusal(
      vocabularyJSON(pillars: [pillarJSON("a"), pillarJSON("b"), pillarJSON("a", vi: "Khác", en: "Other")]))
    #expect(reason == "duplicate code 'a'")
  }

  @Test(arguments: ["Tourism", "tourism_landscape", "tourism--landscape", "-a", "a-", "1a", "", "du-lịch", "a b"])
  func badCode(code: String) {
    #expect(!PillarVocabulary.isWellFormedCode(code))
    let reason = refusal(vocabularyJSON(pillars: [pillarJSON(code)]))
    #expect(reason?.contains("is not a pillar code") == true, "\(code): \(reason ?? "accepted")")
  }

  @Test(arguments: ["a", "a1", "a-1", "tourism-landscape", "x9-y8-z7"])
  func goodCode(code: String) {
    #expect(PillarVocabulary.isWellFormedCode(code))
  }

  @Test func missingLabels() {
    #expect(refusal(vocabularyJSON(pillars: [pillarJSON("a", en: " ")])) == "a: missing en label")
    let noVietnamese = #"{"code": "a", "label": {"en": "A"}, "scope": {"vi": "P", "en": "S"}}"#
    #expect(refusal(vocabularyJSON(pillars: [noVietnamese])) == "a: missing vi label")
    let noScope = #"{"code": "a", "label": {"vi": "A", "en": "A"}}"#
    #expect(refusal(vocabularyJSON(pillars: [noScope])) == "not a pillar vocabulary (missing 'scope' in pillars[0])")
    #expect(
      refusal(vocabularyJSON(pillars: [pillarJSON("a", scopeEN: #"two\nlines"#)]))
        == "a: the scope note must be one line")
  }

  @Test(arguments: ["2026", "2026.", "26.1", "2026.1.1", "v2026.1", "2026.x", "", "２０２６.1"])
  func badVersion(version: String) {
    #expect(
      refusal(vocabularyJSON(version: version, pillars: [pillarJSON("a")]))
        == "version '\(version)' is not of the form YEAR.REVISION (e.g. 2026.1)")
  }

  @Test func otherRefusals() {
    #expect(
      refusal(vocabularyJSON(formatVersion: 2, pillars: [pillarJSON("a")]))
        == "pillar vocabulary format 2 is newer than this mediabank understands (1); upgrade mediabank")
    #expect(refusal(vocabularyJSON(issuedBy: " ", pillars: [pillarJSON("a")])) == "issuedBy is empty")
    #expect(refusal(vocabularyJSON(pillars: [])) == "the vocabulary has no pillars")
    #expect(refusal(Data("[1, 2]".utf8))?.hasPrefix("not a pillar vocabulary") == true)
    #expect(refusal(Data("{".utf8)) == "not a pillar vocabulary (not valid JSON)")
    #expect(
      refusal(Data(#"{"version": "2026.1"}"#.utf8))
        == "not a pillar vocabulary (missing 'formatVersion' in the top level)")
    #expect(
      refusal(vocabularyJSON(pillars: [pillarJSON("a", hints: #"{"vi": ["--"]}"#)]))
        == "a: hint '--' has no letters or digits")
    #expect(
      refusal(vocabularyJSON(pillars: [pillarJSON("a", hints: #"{"vi": ["du lịch, biển"]}"#)]))
        == "a: hint 'du lịch, biển' contains ',', across which hints are not found")
    #expect(
      refusal(vocabularyJSON(pillars: [pillarJSON("a", hints: #"{"vi_VN": ["x"]}"#)]))
        == "a: hints language 'vi_VN' is not a BCP 47 tag")
    // One name for two pillars: a label folding to another pillar's label, or to its code.
    #expect(
      refusal(vocabularyJSON(pillars: [pillarJSON("a", vi: "Du lịch"), pillarJSON("b", vi: "du lich")]))
        == "'du lich' would name both a and b")
    #expect(
      refusal(vocabularyJSON(pillars: [pillarJSON("a-b"), pillarJSON("c", en: "A and B")]))
        == "'a b' would name both a-b and c")
  }

  // MARK: Sub-pillars

  @Test func subPillarsNameTheirParentAndAreMatchedLikeOthers() throws {
    let sub =
      #"{"code": "c", "parent": "a", "label": {"vi": "Trà Tân Cương", "en": "Tan Cuong tea"}, "#
      + #""scope": {"vi": "P.", "en": "S."}, "hints": {"und": ["chè xanh"]}}"#
    let vocabulary = try parse([pillarJSON("a"), sub, pillarJSON("b")])
    #expect(vocabulary.topLevel.map(\.code) == ["a", "b"])
    #expect(vocabulary.subPillars(of: "a").map(\.code) == ["c"])
    #expect(vocabulary.pillar("c")?.parent == "a")
    #expect(vocabulary.match("tra tan cuong")?.code == "c")
    #expect(vocabulary.suggestions(in: ["Đồi chè xanh"]).map(\.code) == ["c"])
    // Written back with its parent; a top-level pillar has none.
    let object = try #require(
      try JSONSerialization.jsonObject(with: JSONEncoder().encode(vocabulary)) as? [String: Any])
    let pillars = try #require(object["pillars"] as? [[String: Any]])
    #expect(pillars.map { $0["parent"] as? String } == [nil, "a", nil])
  }

  @Test func aParentMustBeATopLevelPillarOfTheVocabulary() {
    func sub(_ code: String, parent: String) -> String {
      #"{"code": "\#(code)", "parent": "\#(parent)", "label": {"vi": "V \#(code)", "en": "E \#(code)"}, "#
        + #""scope": {"vi": "P.", "en": "S."}}"#
    }
    #expect(
      refusal(vocabularyJSON(pillars: [pillarJSON("a"), sub("c", parent: "x")]))
        == "c: parent 'x' is not a top-level pillar of this vocabulary")
    #expect(
      refusal(vocabularyJSON(pillars: [pillarJSON("a"), sub("c", parent: "a"), sub("d", parent: "c")]))
        == "d: parent 'c' is not a top-level pillar of this vocabulary")
  }

  @Test func addingSubPillarsChecksThemLikeTheVocabularysOwn() throws {
    let base = try parse([pillarJSON("a"), pillarJSON("b")])
    let local = Pillar(
      code: "a-local", label: ["vi": "Riêng", "en": "Local"], scope: ["vi": "P", "en": "S"], parent: "a")
    let extended = try base.adding([local], name: "bank")
    #expect(extended.version == base.version && extended.pillars.map(\.code) == ["a", "b", "a-local"])
    #expect(extended.match("Riêng")?.code == "a-local")
    func reason(_ pillar: Pillar) -> String? {
      do {
        _ = try base.adding([pillar], name: "bank")
        return nil
      } catch {
        return error.reason
      }
    }
    let labels = ["vi": "Riêng", "en": "Local"]
    #expect(reason(Pillar(code: "b", label: labels, scope: labels, parent: "a")) == "duplicate code 'b'")
    #expect(reason(Pillar(code: "c", label: labels, scope: labels)) == "c has no parent pillar")
    #expect(
      reason(Pillar(code: "c", label: labels, scope: labels, parent: "z"))
        == "c: parent 'z' is not a top-level pillar of this vocabulary")
    #expect(
      reason(Pillar(code: "c", label: ["vi": "Nhãn a", "en": "X"], scope: labels, parent: "a"))
        == "'nhan a' would name both a and c")
  }

  // MARK: Versions

  @Test func retiredCodes() throws {
    let old = try parse([pillarJSON("a"), pillarJSON("b"), pillarJSON("c")])
    let new = try PillarVocabulary(
      data: vocabularyJSON(version: "2027.1", pillars: [pillarJSON("c"), pillarJSON("a"), pillarJSON("d")]))
    #expect(new.retired(from: old) == ["b"])
    #expect(old.retired(from: new) == ["d"])
    #expect(new.retired(from: new).isEmpty)
    #expect(shipped.retired(from: shipped).isEmpty)
    #expect(new.isNewer(than: old))
    #expect(!old.isNewer(than: new))
    #expect(!old.isNewer(than: old))
  }

  @Test func versionsCompareAsNumbers() throws {
    let nine = try PillarVocabulary(data: vocabularyJSON(version: "2026.9", pillars: [pillarJSON("a")]))
    let ten = try PillarVocabulary(data: vocabularyJSON(version: "2026.10", pillars: [pillarJSON("a")]))
    #expect(ten.isNewer(than: nine))
    #expect(!nine.isNewer(than: ten))
  }

  @Test func writesItsFileFormat() throws {
    let data = try JSONEncoder().encode(shipped)
    let again = try PillarVocabulary(data: data, name: "again.json")
    #expect(again.version == shipped.version)
    #expect(again.issuedBy == shipped.issuedBy)
    #expect(again.pillars == shipped.pillars)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(Set(object.keys) == ["formatVersion", "version", "issuedBy", "pillars"])
    #expect(object["formatVersion"] as? Int == 1)
  }

  // MARK: Storage/pillars.md

  static let storage = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Storage")

  /// The body of the fenced block `example=NAME` of Storage/pillars.md.
  static func example(_ name: String) throws -> String {
    let text = try String(contentsOf: storage.appendingPathComponent("pillars.md"), encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let openings = lines.indices.filter {
      lines[$0].hasPrefix("```") && lines[$0].split(separator: " ").contains { $0 == "example=\(name)" }
    }
    try #require(openings.count == 1, "pillars.md has \(openings.count) blocks example=\(name)")
    return lines[(openings[0] + 1)...].prefix { !$0.hasPrefix("```") }.joined(separator: "\n")
  }

  @Test("Storage/pillars.md: the worked example parses, and matches as the document says")
  func workedExample() throws {
    let vocabulary = try PillarVocabulary(data: Data(try Self.example("pillar-vocabulary").utf8))
    #expect(vocabulary.version == "2026.1")
    #expect(vocabulary.pillars.map(\.code) == ["tourism-landscape", "events-sports"])
    #expect(
      vocabulary.pillar("tourism-landscape")?.hints == [
        "vi": ["du lịch", "bãi biển", "hang động"], "en": ["tourism", "beach"],
      ])

    let table = try Self.example("pillar-matches").split(separator: "\n")
    #expect(table.count == 9)
    for line in table {
      let parts = line.split(separator: "  ", omittingEmptySubsequences: true)
        .map { $0.trimmingCharacters(in: .whitespaces) }
      try #require(parts.count == 2, "\(line)")
      let (text, answer) = (parts[0], parts[1])
      let actual: String
      if let pillar = vocabulary.match(text) {
        actual = "names \(pillar.code)"
      } else {
        let suggestions = vocabulary.suggestions(in: [text])
        actual =
          suggestions.isEmpty
          ? "suggests nothing" : "suggests " + suggestions.map { "\($0.code) \($0.hits)" }.joined(separator: ", ")
      }
      #expect(actual == answer, "\(text)")
    }
  }

  // MARK: Speed

  @Test func fastEnoughForEveryFile() {
    let texts = [
      "Lễ hội Lồng Tồng xã Tân Cương, huyện Đại Từ, tỉnh Thái Nguyên năm 2024",
      "Toàn cảnh đồi chè Tân Cương nhìn từ trên cao, mùa thu hoạch",
      "2024/Du lịch/Hồ Núi Cốc", "IMG_2024_0001.JPG", "tea, landscape, tourism, Thai Nguyen",
    ]
    let clock = ContinuousClock()
    let rounds = 2_000
    var total = 0
    let elapsed = clock.measure {
      for _ in 0..<rounds { total += shipped.suggestions(in: texts).count }
    }
    #expect(total > 0)
    // Debug builds on a shared machine: well under a millisecond per file is plenty.
    #expect(elapsed < .seconds(2), "\(rounds) files took \(elapsed)")
  }
}
