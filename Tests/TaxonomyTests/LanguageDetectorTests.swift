import Foundation
import Testing

@testable import Taxonomy

/// Sentences written for these tests, five to eight per language, on general subjects.
private let labelled: [String: [String]] = [
  "vi": [
    "Hà Nội là thủ đô của nước Cộng hòa xã hội chủ nghĩa Việt Nam.",
    "Vịnh Hạ Long được UNESCO công nhận là di sản thiên nhiên thế giới.",
    "Đồi chè Tân Cương nổi tiếng với hương vị đậm đà và màu nước xanh trong.",
    "Người dân tộc Tày thường tổ chức lễ hội Lồng Tồng vào mùa xuân để cầu mùa màng bội thu.",
    "Sông Mê Kông chảy qua sáu quốc gia trước khi đổ ra Biển Đông.",
    "Phở là món ăn truyền thống được nhiều du khách nước ngoài yêu thích.",
    "Thành phố Hồ Chí Minh là trung tâm kinh tế lớn nhất cả nước.",
    "Hồ Núi Cốc là một điểm du lịch sinh thái hấp dẫn của tỉnh Thái Nguyên.",
  ],
  "en": [
    "The Red River delta is one of the most densely populated regions in the world.",
    "Green tea has been grown in the northern highlands for many centuries.",
    "The museum collects photographs, maps and documents about the history of the province.",
    "Farmers harvest rice twice a year on the terraced fields near the mountains.",
    "The old bridge was rebuilt after a flood destroyed it in the last century.",
    "Visitors can take a boat trip through the limestone caves of the bay.",
    "The festival brings together singers, dancers and craftsmen from many villages.",
    "A new highway now connects the capital with the northern border provinces.",
  ],
  "fr": [
    "La ville est située sur la rive droite du fleuve, au pied des montagnes.",
    "Le thé vert est cultivé dans cette région depuis plusieurs siècles.",
    "Les pêcheurs partent en mer avant le lever du soleil.",
    "Le musée présente une collection de céramiques anciennes et de photographies.",
    "Chaque année, la fête attire des milliers de visiteurs venus de tout le pays.",
    "La baie est célèbre pour ses îles calcaires et ses grottes.",
    "Les rizières en terrasses changent de couleur selon les saisons.",
    "Le pont a été reconstruit après les inondations du siècle dernier.",
  ],
  "de": [
    "Die Stadt liegt am rechten Ufer des Flusses, am Fuß der Berge.",
    "Grüner Tee wird in dieser Region seit mehreren Jahrhunderten angebaut.",
    "Die Fischer fahren vor Sonnenaufgang auf das Meer hinaus.",
    "Das Museum zeigt eine Sammlung alter Keramik und historischer Fotografien.",
    "Jedes Jahr zieht das Fest tausende Besucher aus dem ganzen Land an.",
    "Die Bucht ist für ihre Kalksteininseln und Höhlen berühmt.",
    "Die Reisterrassen wechseln im Laufe der Jahreszeiten ihre Farbe.",
    "Die Brücke wurde nach dem Hochwasser des letzten Jahrhunderts neu gebaut.",
  ],
  "es": [
    "La ciudad está situada en la orilla derecha del río, al pie de las montañas.",
    "El té verde se cultiva en esta región desde hace varios siglos.",
    "Los pescadores salen al mar antes del amanecer.",
    "El museo presenta una colección de cerámica antigua y fotografías históricas.",
    "Cada año, la fiesta atrae a miles de visitantes de todo el país.",
    "La bahía es famosa por sus islas de piedra caliza y sus cuevas.",
    "Los arrozales en terrazas cambian de color según las estaciones.",
    "El puente fue reconstruido después de las inundaciones del siglo pasado.",
  ],
  "it": [
    "La città si trova sulla riva destra del fiume, ai piedi delle montagne.",
    "Il tè verde viene coltivato in questa regione da diversi secoli.",
    "I pescatori escono in mare prima dell'alba.",
    "Il museo presenta una collezione di ceramiche antiche e fotografie storiche.",
    "Ogni anno la festa attira migliaia di visitatori da tutto il paese.",
    "La baia è famosa per le sue isole calcaree e le sue grotte.",
    "Le risaie a terrazza cambiano colore con il passare delle stagioni.",
    "Il ponte è stato ricostruito dopo l'alluvione del secolo scorso.",
  ],
  "pt": [
    "A cidade fica na margem direita do rio, ao pé das montanhas.",
    "O chá verde é cultivado nesta região há vários séculos.",
    "Os pescadores saem para o mar antes do nascer do sol.",
    "O museu apresenta uma coleção de cerâmica antiga e fotografias históricas.",
    "Todos os anos, a festa atrai milhares de visitantes de todo o país.",
    "A baía é famosa pelas suas ilhas de calcário e pelas suas grutas.",
    "Os arrozais em socalcos mudam de cor ao longo das estações.",
    "A ponte foi reconstruída depois das cheias do século passado.",
  ],
  "id": [
    "Kota ini terletak di tepi kanan sungai, di kaki pegunungan.",
    "Teh hijau sudah ditanam di daerah ini selama beberapa abad.",
    "Para nelayan pergi ke laut sebelum matahari terbit.",
    "Museum ini menyajikan koleksi keramik kuno dan foto-foto bersejarah.",
    "Setiap tahun, festival ini menarik ribuan pengunjung dari seluruh negeri.",
    "Teluk ini terkenal dengan pulau-pulau kapur dan gua-guanya.",
    "Sawah bertingkat berubah warna mengikuti pergantian musim.",
    "Jembatan itu dibangun kembali setelah banjir pada abad yang lalu.",
  ],
]

/// Vietnamese typed without diacritics, as people often do.
private let vietnameseWithoutDiacritics = [
  "Ha Noi la thu do cua nuoc Cong hoa xa hoi chu nghia Viet Nam.",
  "Vinh Ha Long duoc cong nhan la di san thien nhien the gioi.",
  "Nguoi dan toc Tay thuong to chuc le hoi Long Tong vao mua xuan.",
  "Pho la mon an truyen thong duoc nhieu du khach nuoc ngoai yeu thich.",
  "Ho Nui Coc la mot diem du lich sinh thai hap dan cua tinh Thai Nguyen.",
  "Cho phien Bac Ha hop vao sang chu nhat hang tuan.",
]

private let vietnameseParagraph = """
  Thái Nguyên là một tỉnh thuộc vùng trung du và miền núi phía Bắc. Tỉnh nổi tiếng với chè Tân Cương, \
  một loại chè xanh có hương thơm và vị ngọt hậu. Hồ Núi Cốc là hồ nhân tạo lớn, gắn với truyền thuyết \
  về chàng Cốc và nàng Công. Hằng năm, nhiều lễ hội truyền thống được tổ chức, thu hút du khách từ khắp \
  nơi đến tham quan và trải nghiệm văn hóa của các dân tộc Kinh, Tày, Nùng và Dao.
  """

@Suite("LanguageDetector")
struct LanguageDetectorTests {
  let detector = try! LanguageDetector.shared()

  private func tag(_ text: String) -> String? { detector.detect(text)?.tag }

  // MARK: The shipped profiles

  @Test("the shipped profiles load, and every one of them is a class of the model")
  func shippedProfiles() throws {
    let directory = try #require(Bundle.module.url(forResource: "languages", withExtension: nil))
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter { $0.hasSuffix(".profile") }.sorted()
    #expect(files == ["de", "en", "es", "fr", "id", "it", "pt", "vi"].map { "\($0).profile" })
    #expect(detector.profileTags == files.map { String($0.dropLast(".profile".count)) })
    #expect(detector.classNames == detector.profileTags + [LanguageDetector.foldedVietnamese])
    #expect(detector.classTags == detector.profileTags + ["vi"])
    #expect(detector.longestNGram == 4)
    let languages = try Languages.shared()
    for tag in detector.profileTags {
      #expect(languages.language(tag) != nil, "\(tag)")
    }
    let licence = try String(contentsOf: directory.appendingPathComponent("LICENSE-lingua.txt"), encoding: .utf8)
    #expect(licence.contains("Apache License"))
  }

  @Test("every profile wins for text in its language, and so does the class without diacritics")
  func everyClassIsUsed() throws {
    var winners: Set<String> = []
    for texts in labelled.values {
      for text in texts { winners.insert(try #require(detector.scores(text).first).name) }
    }
    for text in vietnameseWithoutDiacritics {
      winners.insert(try #require(detector.scores(text).first).name)
    }
    #expect(winners == Set(detector.classNames))
    #expect(detector.scores("Ho Nui Coc mua thu dep").first?.name == LanguageDetector.foldedVietnamese)
    #expect(detector.scores("Hồ Núi Cốc mùa thu đẹp").first?.name == "vi")
  }

  // MARK: Latin script

  @Test("a labelled table of sentences: nearly all are told right, none is wrong with high confidence")
  func labelledTable() {
    var right = 0
    var total = 0
    for (language, texts) in labelled.sorted(by: { $0.key < $1.key }) {
      var rightHere = 0
      for text in texts {
        let detection = detector.detect(text)
        if detection?.tag == language {
          rightHere += 1
          #expect(detection?.method == .profile)
          #expect((0.7...1).contains(detection?.confidence ?? 0), "\(text)")
        } else {
          #expect(detection == nil || detection!.confidence < 0.9, "\(text): \(String(describing: detection))")
        }
      }
      #expect(rightHere * 5 >= texts.count * 4, "\(language): \(rightHere) of \(texts.count)")
      right += rightHere
      total += texts.count
    }
    #expect(total == 64)
    #expect(right * 100 >= total * 95, "\(right) of \(total)")
  }

  @Test(arguments: [
    ("Hồ Núi Cốc mùa thu", "vi"), ("Lễ hội Lồng Tồng", "vi"), ("Sunset over the lake", "en"),
    ("Le marché de nuit", "fr"), ("Ho Nui Coc mua thu dep", "vi"), ("Chợ phiên Bắc Hà", "vi"),
    ("Ruộng bậc thang Mù Cang Chải", "vi"), ("Đồi chè Tân Cương", "vi"), ("Doi che Tan Cuong", "vi"),
    ("UBND tỉnh Thái Nguyên", "vi"), ("Tea hills at dawn", "en"), ("Der alte Markt", "de"),
    ("Il mercato galleggiante", "it"),
  ])
  func shortTitles(text: String, language: String) {
    #expect(tag(text) == language)
  }

  @Test func vietnameseSentencesAndParagraph() {
    for text in labelled["vi"]! + [vietnameseParagraph] {
      #expect(tag(text) == "vi", "\(text)")
    }
    let paragraph = detector.detect(vietnameseParagraph)
    #expect(paragraph?.confidence ?? 0 > 0.99)
  }

  @Test func vietnameseWithoutDiacriticsIsVietnamese() {
    for text in vietnameseWithoutDiacritics {
      #expect(tag(text) == "vi", "\(text)")
    }
    // The paragraph, folded as a person typing without diacritics would write it.
    let folded = VietnameseText.fold(vietnameseParagraph)
    #expect(!folded.contains("đ") && folded.contains("thai nguyen"))
    let detection = detector.detect(folded)
    #expect(detection?.tag == "vi")
    #expect(detection?.confidence ?? 0 > 0.99)
  }

  @Test("NFD input is read as NFC")
  func decomposedInput() {
    for text in labelled["vi"]! + labelled["fr"]! + ["Lễ hội Lồng Tồng", "Đồi chè Tân Cương"] {
      let decomposed = text.decomposedStringWithCanonicalMapping
      #expect(Array(decomposed.unicodeScalars) != Array(text.unicodeScalars))
      #expect(detector.detect(decomposed) == detector.detect(text), "\(text)")
      #expect(detector.detect(decomposed) != nil)
    }
  }

  // MARK: Scripts

  @Test(arguments: [
    ("서울은 대한민국의 수도이며 가장 큰 도시이다.", "ko"),
    ("富士山は日本で最も高い山で、多くの登山者が訪れます。", "ja"),
    ("カメラとレンズ", "ja"),
    ("长城是中国古代修建的军事防御工程。", "zh"),
    ("臺北是臺灣最大的城市之一。", "zh"),
    ("กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย", "th"),
    ("ວຽງຈັນເປັນນະຄອນຫຼວງຂອງປະເທດລາວ", "lo"),
    ("ភ្នំពេញគឺជារាជធានីនៃប្រទេសកម្ពុជា", "km"),
    ("Москва является столицей Российской Федерации.", "ru"),
    ("ရန်ကုန်သည် မြန်မာနိုင်ငံ၏ အကြီးဆုံးမြို့ ဖြစ်သည်။", "my"),
    ("नई दिल्ली भारत की राजधानी है।", "hi"),
    ("القاهرة هي عاصمة جمهورية مصر العربية.", "ar"),
  ])
  func byScript(text: String, language: String) {
    let detection = detector.detect(text)
    #expect(detection?.tag == language)
    #expect(detection?.method == .script)
    #expect(detection?.confidence == 1)
  }

  @Test("mixed scripts: the script of most letters decides")
  func mixedScripts() {
    // A Vietnamese caption with one Chinese word is Vietnamese.
    let vietnamese = detector.detect("Chùa Bà Thiên Hậu 天后宫 ở Bình Dương")
    #expect(vietnamese?.tag == "vi")
    #expect(vietnamese?.method == .profile)
    // A Chinese sentence with a Latin name is Chinese, with the share of its letters.
    let chinese = detector.detect("故宫博物院位于北京市中心 Palace Museum")
    #expect(chinese?.tag == "zh")
    #expect(chinese?.method == .script)
    #expect((0.5..<1).contains(chinese?.confidence ?? 0))
    // Japanese: Han with some kana.
    #expect(tag("東京国立博物館の展示") == "ja")
    // Korean with a Latin acronym.
    #expect(tag("UNESCO 세계유산으로 지정된 한국의 사찰") == "ko")
    // A Russian sentence quoting a Vietnamese place name.
    #expect(tag("Залив Халонг находится на севере Вьетнама (Vịnh Hạ Long)") == "ru")
  }

  // MARK: No answer

  @Test(arguments: [
    "", "   ", "IMG_0001", "2024", "DSC 1234", "DSC01234.JPG", "IMG_0001.HEIC 2024-05-01", "P1010123", "!!! ???",
    "Huế", "Photography", "lake", "https://example.com/ho-nui-coc", "anh.nguyen@example.com", "中",
    "Ελληνικά γράμματα εδώ", "a b",
  ])
  func noAnswer(text: String) {
    #expect(detector.detect(text) == nil)
  }

  @Test("URLs, e-mail addresses and file names are left out, the words around them are read")
  func ignoredTokens() {
    #expect(tag("IMG_0001.JPG Hồ Núi Cốc mùa thu") == "vi")
    #expect(tag("DSC01234 Sunset over the lake, www.example.com") == "en")
    #expect(tag("Le marché de nuit — photo.jpeg, contact@example.fr") == "fr")
    let ignored = ["IMG_0001", "DSC01234.JPG", "hồ.jpg", "http://a.b/c", "www.example.com", "a@b.vn", "H5N1"]
    for token in ignored {
      #expect(LanguageDetector.Reading.isIgnored(Array(token.unicodeScalars)), "\(token)")
    }
    for token in ["Hà", "Nội,", "e.g.", "v.v.", "(2024)", "Nhà-Rông", "l'alba"] {
      #expect(!LanguageDetector.Reading.isIgnored(Array(token.unicodeScalars)), "\(token)")
    }
  }

  // MARK: Profile files

  @Test("profile files that break the format are refused, saying why")
  func malformedProfiles() {
    func error(_ text: String) -> String? {
      do {
        _ = try LanguageDetector(profiles: [("test.profile", Data(text.utf8))])
        return nil
      } catch {
        return error.description
      }
    }
    let header = "mediabank-language-profile 1\nlanguage en\ntotals 100 80\n"
    #expect(error(header + "t 10\nth 5\n") == nil)
    #expect(error(header + "t 10\r\nth 5\r\n") == nil)
    #expect(
      error("mediabank-language-profile 2\nlanguage en\ntotals 100\nt 1\n")
        == "test.profile: language profile format 2 is newer than this mediabank understands (1); upgrade mediabank")
    #expect(
      error("language en\n") == "test.profile: line 1: expected 'mediabank-language-profile …', found 'language en'")
    #expect(error("mediabank-language-profile 1\nlanguage en_US\ntotals 1\n")?.contains("not a BCP 47") == true)
    #expect(error("mediabank-language-profile 1\nlanguage en\ntotals 0\n")?.contains("positive") == true)
    #expect(error(header)?.contains("lists no n-grams") == true)
    #expect(error(header + "T 10\n")?.contains("line 4: expected an n-gram of lower-case letters") == true)
    #expect(error(header + "t 0\n")?.contains("line 4") == true)
    #expect(error(header + "t1 3\n")?.contains("line 4") == true)
    #expect(error(header + "the 3\n")?.contains("3 letters, but totals are given up to 2") == true)
    #expect(error(header + "t 101\n")?.contains("more than the total of its length, 100") == true)
    #expect(error(header + "t 10\nt 9\n")?.contains("line 5: 't' is listed twice") == true)
    #expect(error(header + "e\u{301} 3\n")?.contains("line 4") == true)  // NFD: a combining mark
    #expect(error(header + "é 3\n") == nil)
    #expect(
      throws: TaxonomyError.self,
      performing: {
        let file = (name: "a.profile", data: Data((header + "t 1\n").utf8))
        _ = try LanguageDetector(profiles: [file, (name: "b.profile", data: file.data)])
      })
  }

  // MARK: Storage/language-detection.md

  static let storage = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Storage")

  /// The body of the fenced block `example=NAME` of Storage/language-detection.md.
  static func example(_ name: String) throws -> String {
    let text = try String(contentsOf: storage.appendingPathComponent("language-detection.md"), encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let openings = lines.indices.filter {
      lines[$0].hasPrefix("```") && lines[$0].split(separator: " ").contains { $0 == "example=\(name)" }
    }
    try #require(openings.count == 1, "language-detection.md has \(openings.count) blocks example=\(name)")
    return lines[(openings[0] + 1)...].prefix { !$0.hasPrefix("```") }.joined(separator: "\n")
  }

  @Test("Storage/language-detection.md: the worked example computes as the document says")
  func workedExample() throws {
    let toy = try LanguageDetector(profiles: [
      ("en.profile", Data((try Self.example("language-profile-en") + "\n").utf8)),
      ("vi.profile", Data((try Self.example("language-profile-vi") + "\n").utf8)),
    ])
    #expect(toy.classNames == ["en", "vi", LanguageDetector.foldedVietnamese])
    #expect(toy.longestNGram == 2)
    // Lines: the text, a class and its score, best first; then the text, a tag and its probability.
    var expected: [String] = []
    var texts: [String] = []
    for line in try Self.example("language-scores").split(separator: "\n") {
      let parts = line.split(separator: "  ", omittingEmptySubsequences: true)
        .map { $0.trimmingCharacters(in: .whitespaces) }
      try #require(parts.count == 4, "\(line)")
      expected.append(parts.joined(separator: " | "))
      if texts.last != parts[0] { texts.append(parts[0]) }
    }
    #expect(texts == ["thu", "thư"])
    var actual: [String] = []
    for text in texts {
      for (name, score) in toy.scores(text) {
        actual.append("\(text) | \(name) | score | \(String(format: "%.2f", score))")
      }
      for (tag, probability) in toy.ranking(text) {
        actual.append("\(text) | \(tag) | probability | \(String(format: "%.3f", probability))")
      }
    }
    #expect(actual == expected)
  }

  @Test("Storage/language-detection.md: the shipped detector answers as the document says")
  func documentedDetections() throws {
    let table = try Self.example("language-detections").split(separator: "\n")
    #expect(table.count >= 10)
    for line in table {
      let parts = line.split(separator: "  ", omittingEmptySubsequences: true)
        .map { $0.trimmingCharacters(in: .whitespaces) }
      try #require(parts.count == 2, "\(line)")
      let detection = detector.detect(parts[0])
      #expect((detection.map { "\($0.tag) by \($0.method.rawValue)" } ?? "nothing") == parts[1], "\(parts[0])")
    }
  }
}
