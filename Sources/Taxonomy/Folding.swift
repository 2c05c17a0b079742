internal import Foundation

/// Vietnamese-aware text folding, used wherever MediaBank matches names typed by people.
public enum VietnameseText {
  /// Folds `text` for matching: Unicode canonical equivalence (NFC or NFD input alike), lower case,
  /// diacritics removed, `đ` → `d`, and every run of spaces and punctuation turned into one space,
  /// without leading or trailing spaces.
  ///
  /// `"Thành phố  Hồ Chí Minh"`, `"THANH PHO HO CHI MINH"` and `"thanh-pho ho.chi.minh"` all fold to
  /// `"thanh pho ho chi minh"`; `"Đắk Lắk"` folds to `"dak lak"`.
  public static func fold(_ text: String) -> String {
    var marks: CaseMarks? = nil
    return fold(text, marks: &marks)
  }

  /// How a text writes its words, which folding forgets: what tells the given name in
  /// `"anh Hùng"` (brother Hùng) from `"anh hùng"` (hero).
  struct CaseMarks {
    /// For each word of the folded text, whether the text writes its first letter in upper case.
    var capitalised: [Bool] = []
    /// Whether the text has a lower-case letter anywhere (an ALL-CAPS text has none).
    var hasLowercase = false
  }

  /// ``fold(_:)``, also noting in `marks` (when not nil) how the text writes its words.
  static func fold(_ text: String, marks: inout CaseMarks?) -> String {
    var scalars = String.UnicodeScalarView()
    var pendingSpace = false
    func append(_ scalar: Unicode.Scalar, from original: Unicode.Scalar) {
      if marks != nil, pendingSpace || scalars.isEmpty {
        marks!.capitalised.append(original.properties.isUppercase)
      }
      if pendingSpace, !scalars.isEmpty { scalars.append(" ") }
      pendingSpace = false
      scalars.append(scalar)
    }
    for scalar in text.unicodeScalars {
      let value = scalar.value
      switch value {
      case 0x30...0x39:
        append(scalar, from: scalar)
      case 0x61...0x7A:
        if marks != nil { marks!.hasLowercase = true }
        append(scalar, from: scalar)
      case 0x41...0x5A:
        append(Unicode.Scalar(UInt8(value + 0x20)), from: scalar)
      case 0..<0x80:
        pendingSpace = true
      case latinBase..<latinBase + UInt32(latin.count):
        // Precomposed Latin letters (Vietnamese and others): their base letter, from the table.
        let base = latin[Int(value - latinBase)]
        if base != 0 {
          if marks != nil, scalar.properties.isLowercase { marks!.hasLowercase = true }
          append(Unicode.Scalar(base), from: scalar)
        } else {
          fold(other: scalar)
        }
      default:
        fold(other: scalar)
      }
    }
    return String(scalars)

    func fold(other scalar: Unicode.Scalar) {
      let properties = scalar.properties
      if properties.canonicalCombiningClass != .notReordered || properties.generalCategory == .nonspacingMark {
        return  // a combining diacritic (NFD input)
      }
      if properties.isAlphabetic || properties.numericType != nil {
        if marks != nil, properties.isLowercase { marks!.hasLowercase = true }
        let decomposed = String(scalar).decomposedStringWithCanonicalMapping.lowercased().unicodeScalars
        for part in decomposed where part.properties.canonicalCombiningClass == .notReordered {
          append(part, from: scalar)
        }
      } else {
        pendingSpace = true
      }
    }
  }

  /// The first scalar of the `latin` table.
  private static let latinBase: UInt32 = 0xC0
  /// For U+00C0…U+1EFF: the lower-case ASCII base letter of a precomposed Latin letter, or 0 when the
  /// scalar is something else (handled by the general path). Built once from Unicode decompositions.
  private static let latin: [UInt8] = (latinBase...0x1EFF).map { value in
    if value == 0x110 || value == 0x111 { return UInt8(ascii: "d") }  // Đ đ have no decomposition
    guard let scalar = Unicode.Scalar(value), scalar.properties.isAlphabetic else { return 0 }
    let base = String(scalar).decomposedStringWithCanonicalMapping.lowercased().unicodeScalars
    guard let first = base.first, first.isASCII, first.properties.isAlphabetic,
      base.dropFirst().allSatisfy({ $0.properties.canonicalCombiningClass != .notReordered })
    else { return 0 }
    return UInt8(first.value)
  }

  /// Like ``fold(_:)`` but keeping the diacritics (NFC) and `đ`, with the old tone placement of
  /// `oa`, `oe`, `uy` made modern (`"Hoà"` → `"hòa"`): tells `"Tân Thành"` from `"Tân Thạnh"`.
  static func foldKeepingMarks(_ text: String) -> String {
    var words: [String] = []
    var word = ""
    for character in text.precomposedStringWithCanonicalMapping.lowercased() {
      if character.isLetter || character.isNumber {
        word.append(character)
      } else if !word.isEmpty {
        words.append(word)
        word = ""
      }
    }
    if !word.isEmpty { words.append(word) }
    return words.map(modernTone).joined(separator: " ")
  }

  /// Old-style syllable endings and their modern spelling.
  private static let oldTones: [(String, String)] = [
    ("oà", "òa"), ("oá", "óa"), ("oả", "ỏa"), ("oã", "õa"), ("oạ", "ọa"), ("oè", "òe"), ("oé", "óe"),
    ("oẻ", "ỏe"), ("oẽ", "õe"), ("oẹ", "ọe"), ("uỳ", "ùy"), ("uý", "úy"), ("uỷ", "ủy"), ("uỹ", "ũy"), ("uỵ", "ụy"),
  ]

  private static func modernTone(_ word: String) -> String {
    for (old, modern) in oldTones where word.hasSuffix(old) {
      // Only at the end of the syllable: "hoà" → "hòa", but "quý" stays.
      let stem = word.dropLast(2)
      if stem.last == "q" || (stem.last == "g" && old.hasPrefix("i")) { return word }
      return stem + modern
    }
    return word
  }
}
