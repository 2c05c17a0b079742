internal import Foundation

/// Tells the language of the words of a title, a description or keywords, for assets whose
/// language nobody stated.
///
/// The text is read as NFC; digits, punctuation, URLs, e-mail addresses and file-name-like tokens
/// (`IMG_0001`, `DSC01234.JPG`) are left out. Then the script of the remaining letters decides
/// when it belongs to one language of the list: Hangul → `ko`; kana, with or without Han → `ja`;
/// Han alone → `zh`; Thai → `th`; Lao → `lo`; Khmer → `km`; Cyrillic → `ru`; Myanmar → `my`;
/// Devanagari → `hi`; Arabic → `ar`. When scripts are mixed, the script of most letters decides (a
/// Vietnamese caption with one Chinese word is Vietnamese). Latin-script text is classified by a
/// naive-Bayes model over the 1- to 4-letter sequences (n-grams) inside its words, with one
/// profile of n-gram counts per language (`vi`, `en`, `fr`, `de`, `es`, `it`, `pt`, `id`) and one
/// more class, Vietnamese without diacritics, made by folding the Vietnamese profile
/// (``VietnameseText/fold(_:)``: no tone marks, `đ` → `d`); that class also answers `vi`.
///
/// There is no answer, rather than a guess, when the text has too few words (fewer than 2 words
/// or 5 letters of Latin script, 2 Han, kana or Hangul characters, 3 letters of another script),
/// when its script is not one of the list's (Greek, Hebrew…), or when the best language is not
/// clearly ahead of the others. A photo without words has no language. Ethnic-minority languages
/// have no profile: those written in the Vietnamese alphabet (Tày, Mường…) mostly come out `vi`.
/// Malay comes out `id`. The format of the profiles and the method are in
/// `Storage/language-detection.md`.
public struct LanguageDetector: Sendable {
  /// How a language was told.
  public enum Method: String, Sendable, Hashable, Codable {
    /// From the script of the letters alone (Hangul, kana, Han, Thai, Lao, Khmer, Cyrillic…).
    case script
    /// From the n-gram profiles of the Latin-script languages.
    case profile
  }

  /// The language told for a text.
  public struct Detection: Sendable, Hashable {
    /// The BCP 47 tag of the language, e.g. `"vi"`, `"en"` or `"ja"`.
    public let tag: String
    /// How sure the detector is, from 0 to 1: for ``Method/profile``, the probability of the
    /// language given the n-grams (tempered, see `Storage/language-detection.md`); for
    /// ``Method/script``, the share of the letters written in the deciding script.
    public let confidence: Double
    /// How the language was told.
    public let method: Method

    /// A detection with these values.
    public init(tag: String, confidence: Double, method: Method) {
      self.tag = tag
      self.confidence = confidence
      self.method = method
    }
  }

  /// The newest profile file format this program reads.
  public static let formatVersion = 1

  /// The fewest Latin-script words, and letters, on which the profiles are asked.
  static let minimumLatinWords = 2
  static let minimumLatinLetters = 5
  /// How many letters a Han, kana or Hangul character weighs when scripts are mixed: it writes a
  /// syllable, which takes two or three Latin letters.
  static let syllableWeight = 2
  /// The fewest letters for the script to decide: Han, kana and Hangul characters, other scripts.
  static let minimumSyllabicCharacters = 2
  static let minimumAlphabeticLetters = 3
  /// Below this probability of the best language, the detector does not answer.
  static let minimumConfidence = 0.7
  /// The probability given to an n-gram a profile does not list while another profile does.
  static let unlistedProbability = 1e-7
  /// The name of the class made by folding the Vietnamese profile.
  static let foldedVietnamese = "vi (no diacritics)"

  private static let loaded = Result { () throws(TaxonomyError) -> LanguageDetector in
    guard let directory = Bundle.module.url(forResource: "languages", withExtension: nil) else {
      throw TaxonomyError("the language profiles are missing from the installation", subject: "languages")
    }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        .filter { $0.hasSuffix(".profile") }.sorted()
    } catch {
      throw TaxonomyError("cannot list the language profiles (\(error.localizedDescription))", subject: "languages")
    }
    guard !names.isEmpty else { throw TaxonomyError("there are no language profiles", subject: "languages") }
    // Read on the first text to tell: a command that tells no language reads no profile.
    return LanguageDetector(
      model: Lazy { () throws(TaxonomyError) in
        var profiles: [(name: String, data: Data)] = []
        for name in names {
          profiles.append((name, try ResourceFiles.data(name, in: directory)))
        }
        return try Model(profiles: profiles)
      })
  }

  /// The detector with the shipped profiles, then shared. The profiles (about 1 MB) are read when
  /// the first text is told; fails when there are none.
  public static func shared() throws(TaxonomyError) -> LanguageDetector {
    try loaded.get()
  }

  /// The n-gram model, made on first use for the shipped profiles.
  private let model: Lazy<Model>

  /// The classes of the n-gram model: their tags and names (tag, or tag and variant).
  var classTags: [String] { model.shipped.classTags }
  var classNames: [String] { model.shipped.classNames }
  /// The languages of the profiles the detector was made from, in their order.
  var profileTags: [String] { model.shipped.profileTags }
  /// The longest n-gram of the profiles.
  var longestNGram: Int { model.shipped.longestNGram }

  /// Makes a detector from profile files (format in `Storage/language-detection.md`), each named in
  /// errors by its `name`. A profile of `vi` also gives the class of Vietnamese without diacritics.
  init(profiles files: [(name: String, data: Data)]) throws(TaxonomyError) {
    model = Lazy(made: try Model(profiles: files))
  }

  private init(model: Lazy<Model>) {
    self.model = model
  }

  /// The naive-Bayes model of the profiles.
  private struct Model: Sendable {
    /// The classes of the n-gram model: their tags and names (tag, or tag and variant).
    let classTags: [String]
    let classNames: [String]
    /// The languages of the profiles the detector was made from, in their order.
    let profileTags: [String]
    /// n-gram key → row of `weights`.
    private let rows: [UInt64: Int32]
    /// Row-major: for each n-gram, the natural logarithm of its probability in each class.
    private let weights: [Float]
    /// The longest n-gram of the profiles. The summed evidence of a text is divided by it before it
    /// becomes a probability: the n-grams overlap, so they are far from independent.
    let longestNGram: Int

    init(profiles files: [(name: String, data: Data)]) throws(TaxonomyError) {
      guard !files.isEmpty else { throw TaxonomyError("there are no language profiles", subject: "languages") }
      var profiles: [Profile] = []
      for file in files {
        let profile = try Profile(file.data, name: file.name)
        if let other = profiles.first(where: { $0.tag == profile.tag }) {
          throw TaxonomyError("language '\(profile.tag)' also has a profile in \(other.name)", subject: file.name)
        }
        profiles.append(profile)
      }
      profileTags = profiles.map(\.tag)
      var classes = profiles.map { ($0.tag, $0.tag, $0) }
      if let vietnamese = profiles.first(where: { $0.tag == "vi" }) {
        classes.append(("vi", LanguageDetector.foldedVietnamese, vietnamese.folded()))
      }
      classTags = classes.map(\.0)
      classNames = classes.map(\.1)
      longestNGram = profiles.map(\.totals.count).max() ?? 1

      let width = classes.count
      let unlisted = Float(log(LanguageDetector.unlistedProbability))
      var rows: [UInt64: Int32] = [:]
      rows.reserveCapacity(classes.reduce(0) { $0 + $1.2.entries.count })
      var weights: [Float] = []
      for (column, (_, _, profile)) in classes.enumerated() {
        let logTotals = profile.totals.map { log(Double($0)) }
        for entry in profile.entries {
          let row: Int
          if let existing = rows[entry.key] {
            row = Int(existing)
            guard weights[row * width + column] == unlisted else {
              throw TaxonomyError(
                "line \(entry.line): '\(LanguageDetector.text(of: entry.key))' is listed twice", subject: profile.name)
            }
          } else {
            row = rows.count
            rows[entry.key] = Int32(row)
            weights.append(contentsOf: repeatElement(unlisted, count: width))
          }
          weights[row * width + column] = Float(
            log(Double(entry.count)) - logTotals[LanguageDetector.length(of: entry.key) - 1])
        }
      }
      self.rows = rows
      self.weights = weights
    }

    /// For each class, the sum of the log-probabilities of the n-grams of `words` that some profile
    /// lists (the others would add the same to every class).
    func classScores(_ words: [[UInt16]]) -> [Double] {
      let width = classTags.count
      var scores = [Double](repeating: 0, count: width)
      weights.withUnsafeBufferPointer { weights in
        for word in words {
          for start in word.indices {
            var key: UInt64 = 0
            for end in start..<min(start + longestNGram, word.count) {
              guard word[end] != 0 else { break }
              key = key << 16 | UInt64(word[end])
              guard let row = rows[key] else { continue }
              let base = Int(row) * width
              for column in 0..<width { scores[column] += Double(weights[base + column]) }
            }
          }
        }
      }
      return scores
    }
  }

  /// The language of `text`, or nil when there are not enough words to tell (or no letters at
  /// all, e.g. `"IMG_0001"`, `"2024"`, `"DSC 1234"`) or when the best guess is not clearly ahead.
  public func detect(_ text: String) -> Detection? {
    let reading = Reading(text.precomposedStringWithCanonicalMapping)
    guard let (script, letters, share) = reading.majority() else { return nil }
    switch script {
    case .latin:
      let words = reading.words
      guard words.count >= Self.minimumLatinWords, letters >= Self.minimumLatinLetters,
        let best = ranking(words: words).first, best.probability >= Self.minimumConfidence
      else { return nil }
      return Detection(tag: best.tag, confidence: best.probability, method: .profile)
    case .other:
      return nil
    case .han, .kana, .hangul:
      guard letters >= Self.minimumSyllabicCharacters else { return nil }
      let tag = script == .hangul ? "ko" : reading.counts[Script.kana.rawValue] > 0 ? "ja" : "zh"
      return Detection(tag: tag, confidence: share, method: .script)
    default:
      guard letters >= Self.minimumAlphabeticLetters, let tag = script.tag else { return nil }
      return Detection(tag: tag, confidence: share, method: .script)
    }
  }

  /// The languages of the n-gram model for the Latin-script words of `text`, most probable
  /// first, with their (tempered) probabilities; empty when the text has no Latin-script letters.
  /// `detect` answers with the first when the text is long enough and it is clearly ahead.
  func ranking(_ text: String) -> [(tag: String, probability: Double)] {
    ranking(words: Reading(text.precomposedStringWithCanonicalMapping).words)
  }

  /// The classes of the n-gram model, best first, with the summed log-probabilities of the
  /// n-grams of `text` that some profile lists.
  func scores(_ text: String) -> [(name: String, score: Double)] {
    let model = model.shipped
    let scores = model.classScores(Reading(text.precomposedStringWithCanonicalMapping).words)
    return zip(model.classNames, scores).sorted { $0.1 > $1.1 }.map { ($0, $1) }
  }

  private func ranking(words: [[UInt16]]) -> [(tag: String, probability: Double)] {
    guard !words.isEmpty else { return [] }
    let model = model.shipped
    let scores = model.classScores(words)
    let best = scores.max() ?? 0
    var byTag: [String: Double] = [:]
    for (tag, score) in zip(model.classTags, scores) {
      byTag[tag, default: 0] += exp((score - best) / Double(model.longestNGram))
    }
    let total = byTag.values.reduce(0, +)
    return byTag.map { ($0, $1 / total) }.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
  }

  /// The number of letters of an n-gram key (16 bits a letter, the first letter highest).
  static func length(of key: UInt64) -> Int {
    (64 - key.leadingZeroBitCount + 15) / 16
  }

  /// The letters of an n-gram key.
  static func text(of key: UInt64) -> String {
    let letters = stride(from: 16 * (length(of: key) - 1), through: 0, by: -16).compactMap {
      Unicode.Scalar(UInt32(key >> UInt64($0) & 0xFFFF))
    }
    return String(String.UnicodeScalarView(letters))
  }

  // MARK: Scripts

  /// The scripts the detector counts letters of.
  enum Script: Int, CaseIterable {
    case latin, cyrillic, hangul, kana, han, thai, lao, khmer, myanmar, devanagari, arabic, other

    /// The language a script tells by itself (nil for Latin, Han, kana and unknown scripts).
    var tag: String? {
      switch self {
      case .cyrillic: "ru"
      case .hangul: "ko"
      case .thai: "th"
      case .lao: "lo"
      case .khmer: "km"
      case .myanmar: "my"
      case .devanagari: "hi"
      case .arabic: "ar"
      case .latin, .kana, .han, .other: nil
      }
    }

    /// The script of `scalar` when it is a letter (Unicode alphabetic), else nil.
    static func of(_ scalar: Unicode.Scalar) -> Script? {
      let value = scalar.value
      if value < 0x80 {
        return (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) ? .latin : nil
      }
      guard scalar.properties.isAlphabetic else { return nil }
      switch value {
      case 0xAA, 0xBA, 0xC0...0x2AF, 0x1D00...0x1DBF, 0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF,
        0xAB30...0xAB6F, 0xFF21...0xFF3A, 0xFF41...0xFF5A:
        return .latin
      case 0x400...0x52F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F: return .cyrillic
      case 0x1100...0x11FF, 0x3130...0x318F, 0xA960...0xA97F, 0xAC00...0xD7FF, 0xFFA0...0xFFDC: return .hangul
      case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F, 0x1B000...0x1B16F: return .kana
      case 0x2E80...0x2FDF, 0x3005...0x3007, 0x3021...0x3029, 0x3038...0x303B, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xF900...0xFAFF, 0x20000...0x3FFFF:
        return .han
      case 0xE00...0xE7F: return .thai
      case 0xE80...0xEFF: return .lao
      case 0x1780...0x17FF, 0x19E0...0x19FF: return .khmer
      case 0x1000...0x109F, 0xA9E0...0xA9FF, 0xAA60...0xAA7F: return .myanmar
      case 0x900...0x97F, 0xA8E0...0xA8FF: return .devanagari
      case 0x600...0x6FF, 0x750...0x77F, 0x870...0x8FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF: return .arabic
      default: return .other
      }
    }
  }

  /// What the detector reads of a text (NFC): letters by script, and the Latin-script words, lower
  /// case, as UTF-16 code units (0 for a letter beyond the Basic Multilingual Plane, which no n-gram
  /// matches).
  struct Reading {
    var counts = [Int](repeating: 0, count: Script.allCases.count)
    /// The Latin-script words; without the words in capitals (`UBND`, `UNESCO`) when some words
    /// are not: those are mostly acronyms, whose letters say little of the language.
    var words: [[UInt16]] {
      allWords.contains { !$0.capitals } ? allWords.filter { !$0.capitals }.map(\.letters) : allWords.map(\.letters)
    }
    private var allWords: [(letters: [UInt16], capitals: Bool)] = []

    init(_ text: String) {
      var token: [Unicode.Scalar] = []
      for scalar in text.unicodeScalars {
        if Self.isSpace(scalar) {
          read(token)
          token.removeAll(keepingCapacity: true)
        } else {
          token.append(scalar)
        }
      }
      read(token)
    }

    /// The script of most letters, its number of letters and its share of all the letters, or nil
    /// when there are no letters or two scripts tie. Han and kana count together (as kana when
    /// there is any, else as Han), and a Han, kana or Hangul character counts as
    /// ``LanguageDetector/syllableWeight`` letters.
    func majority() -> (script: Script, letters: Int, share: Double)? {
      var counts = self.counts
      counts[Script.kana.rawValue] += counts[Script.han.rawValue]
      counts[Script.han.rawValue] = 0
      let weighted = counts.enumerated().map { script, count in
        script == Script.kana.rawValue || script == Script.hangul.rawValue ? count * syllableWeight : count
      }
      guard let most = weighted.max(), most > 0, weighted.filter({ $0 == most }).count == 1,
        let index = weighted.firstIndex(of: most), var script = Script(rawValue: index)
      else { return nil }
      if script == .kana, self.counts[Script.kana.rawValue] == 0 { script = .han }
      return (script, counts[index], Double(most) / Double(weighted.reduce(0, +)))
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
      scalar.value < 0x80 ? scalar == " " || (0x09...0x0D).contains(scalar.value) : scalar.properties.isWhitespace
    }

    /// Counts the letters of a token (a run of non-space characters) and keeps its Latin words,
    /// unless it is a URL, an e-mail address or a file name.
    private mutating func read(_ token: [Unicode.Scalar]) {
      guard !token.isEmpty, !Self.isIgnored(token) else { return }
      var word: [UInt16] = []
      var capitals = 0
      func end() {
        if !word.isEmpty { allWords.append((word, capitals >= 2 && capitals == word.count)) }
        word.removeAll(keepingCapacity: true)
        capitals = 0
      }
      for scalar in token {
        guard let script = Script.of(scalar) else {
          if scalar.properties.canonicalCombiningClass != .notReordered { continue }  // a stray mark
          end()
          continue
        }
        counts[script.rawValue] += 1
        if script == .latin {
          let lower = Self.lowercased(scalar)
          if lower.first != UInt16(truncatingIfNeeded: scalar.value) { capitals += 1 }
          word.append(contentsOf: lower)
        } else {
          end()
        }
      }
      end()
    }

    private static func lowercased(_ scalar: Unicode.Scalar) -> [UInt16] {
      let value = scalar.value
      if value < 0x80 { return [UInt16(value < 0x61 ? value + 0x20 : value)] }
      let lower = scalar.properties.changesWhenLowercased ? scalar.properties.lowercaseMapping.unicodeScalars : nil
      return (lower.map(Array.init) ?? [scalar]).map { $0.value <= 0xFFFF ? UInt16($0.value) : 0 }
    }

    /// Whether a token is a URL, an e-mail address or a file-name-like token: it holds `://`, `@`
    /// or `_`, starts with `www.`, mixes digits with Latin letters (`DSC01234`, `P1010123`), or ends
    /// with the extension of a media or document file (`hồ.jpg`).
    static func isIgnored(_ token: [Unicode.Scalar]) -> Bool {
      var digits = false
      var latin = false
      for (index, scalar) in token.enumerated() {
        switch scalar {
        case "_", "@": return true
        case ":" where index + 2 < token.count && token[index + 1] == "/" && token[index + 2] == "/": return true
        case "0"..."9": digits = true
        default: if !latin, Script.of(scalar) == .latin { latin = true }
        }
      }
      if digits && latin { return true }
      let text = String(String.UnicodeScalarView(token)).lowercased()
      if text.hasPrefix("www.") { return true }
      let trimmed = text.reversed().drop { !$0.isLetter && !$0.isNumber }.reversed()
      guard let dot = trimmed.lastIndex(of: "."), dot != trimmed.startIndex else { return false }
      return fileExtensions.contains(String(trimmed[trimmed.index(after: dot)...]))
    }

    private static let fileExtensions: Set<String> = [
      "jpg", "jpeg", "jpe", "png", "gif", "tif", "tiff", "bmp", "webp", "heic", "heif", "avif", "dng", "raw", "cr2",
      "cr3", "nef", "arw", "orf", "rw2", "raf", "psd", "svg", "mp4", "mov", "avi", "mkv", "mts", "m4v", "wmv", "mp3",
      "wav", "m4a", "aac", "flac", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "zip",
    ]
  }

  // MARK: Profiles

  /// One profile file: a language and its n-gram counts.
  struct Profile {
    /// The name of the file, for errors.
    let name: String
    let tag: String
    /// The number of n-grams of each length (1, 2…) in the training text, before trimming.
    let totals: [UInt64]
    /// The n-grams and their counts, in the order of the file.
    let entries: [Entry]

    struct Entry {
      /// The n-gram's letters, 16 bits each, the first highest.
      let key: UInt64
      let count: UInt64
      /// The line of the file (0 for a made n-gram).
      let line: Int
    }

    /// Reads and checks a profile file (format 1, see `Storage/language-detection.md`). That an
    /// n-gram is listed once is checked when the detector is made.
    init(_ data: Data, name: String) throws(TaxonomyError) {
      func fail(_ line: Int, _ reason: String) -> TaxonomyError {
        TaxonomyError(line > 0 ? "line \(line): \(reason)" : reason, subject: name)
      }
      let bytes = [UInt8](data)
      var start = 0
      func header(_ number: Int, _ key: String) throws(TaxonomyError) -> [Substring] {
        let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
        let bytesOfLine = bytes[start..<(end > start && bytes[end - 1] == 0x0D ? end - 1 : end)]
        guard start < bytes.count, let line = String(validating: bytesOfLine, as: UTF8.self) else {
          throw fail(number, "expected '\(key) …'")
        }
        start = end + 1
        let fields = line.split(separator: " ")
        guard fields.first.map(String.init) == key, fields.count >= 2 else {
          throw fail(number, "expected '\(key) …', found '\(line)'")
        }
        return Array(fields.dropFirst())
      }

      let version = try header(1, "mediabank-language-profile")
      guard version.count == 1, let format = Int(version[0]), format >= 1 else {
        throw fail(1, "not a language profile version")
      }
      guard format <= LanguageDetector.formatVersion else {
        throw fail(
          0,
          "language profile format \(format) is newer than this mediabank understands "
            + "(\(LanguageDetector.formatVersion)); upgrade mediabank")
      }
      let language = try header(2, "language")
      guard language.count == 1, let tag = Languages.canonical(String(language[0])) else {
        throw fail(2, "'\(language.joined(separator: " "))' is not a BCP 47 language tag")
      }
      let totalFields = try header(3, "totals")
      let totals = totalFields.compactMap { UInt64($0) }.filter { $0 > 0 }
      guard totals.count == totalFields.count, totals.count <= 4 else {
        throw fail(3, "totals must be 1 to 4 positive whole numbers, for n-grams of 1, 2… letters")
      }

      let body = bytes.withUnsafeBufferPointer { Self.entries(in: $0, from: start, line: 4, totals: totals) }
      switch body {
      case .success(let entries):
        guard !entries.isEmpty else { throw fail(0, "the profile lists no n-grams") }
        self.init(name: name, tag: tag, totals: totals, entries: entries)
      case .failure(let failure):
        throw fail(failure.line, failure.reason)
      }
    }

    /// What is wrong on a line of a profile.
    private struct LineFailure: Error {
      let line: Int
      let reason: String
    }

    /// The n-gram lines of a profile, from `start` (the beginning of line `line`) to the end. A
    /// single pass over the bytes, as it reads about 100,000 lines when the detector loads.
    private static func entries(
      in bytes: UnsafeBufferPointer<UInt8>, from start: Int, line: Int, totals: [UInt64]
    ) -> Result<[Entry], LineFailure> {
      let malformed = "expected an n-gram of lower-case letters, a space and a positive count"
      var entries: [Entry] = []
      entries.reserveCapacity(bytes.count / 8)
      var next = start
      var line = line - 1
      while next < bytes.count {
        var index = next
        var end = index
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        next = end + 1
        line += 1
        if end > index && bytes[end - 1] == 0x0D { end -= 1 }
        guard end > index, bytes[index] != UInt8(ascii: "#") else { continue }
        // The n-gram: UTF-8 of 1 to 4 letters of the Basic Multilingual Plane.
        var key: UInt64 = 0
        var length = 0
        while index < end && bytes[index] != UInt8(ascii: " ") {
          guard length < 4, let (letter, size) = letter(in: bytes, at: index, before: end) else {
            return .failure(LineFailure(line: line, reason: malformed))
          }
          key = key << 16 | UInt64(letter)
          length += 1
          index += size
        }
        // The count: decimal digits.
        index += 1
        var count: UInt64 = 0
        guard length > 0, index < end, end - index <= 19 else {
          return .failure(LineFailure(line: line, reason: malformed))
        }
        while index < end {
          let digit = bytes[index] &- 0x30
          guard digit < 10 else { return .failure(LineFailure(line: line, reason: malformed)) }
          count = count * 10 + UInt64(digit)
          index += 1
        }
        guard count > 0 else { return .failure(LineFailure(line: line, reason: malformed)) }
        guard length <= totals.count else {
          let reason = "an n-gram of \(length) letters, but totals are given up to \(totals.count)"
          return .failure(LineFailure(line: line, reason: reason))
        }
        guard count <= totals[length - 1] else {
          let reason = "the count \(count) is more than the total of its length, \(totals[length - 1])"
          return .failure(LineFailure(line: line, reason: reason))
        }
        entries.append(Entry(key: key, count: count, line: line))
      }
      return .success(entries)
    }

    /// The letter whose UTF-8 starts at `index`, and its number of bytes, when it is a lower-case
    /// letter of the Basic Multilingual Plane that is not a combining mark (NFC); else nil.
    private static func letter(
      in bytes: UnsafeBufferPointer<UInt8>, at index: Int, before end: Int
    ) -> (UInt16, Int)? {
      let first = bytes[index]
      if first < 0x80 { return first >= 0x61 && first <= 0x7A ? (UInt16(first), 1) : nil }
      let value: UInt32
      let size: Int
      if first >= 0xC2 && first <= 0xDF, index + 1 < end, bytes[index + 1] & 0xC0 == 0x80 {
        value = UInt32(first & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
        size = 2
      } else if first >= 0xE0 && first <= 0xEF, index + 2 < end, bytes[index + 1] & 0xC0 == 0x80,
        bytes[index + 2] & 0xC0 == 0x80
      {
        value = UInt32(first & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
        size = 3
        guard value >= 0x800 else { return nil }  // an overlong encoding
      } else {
        return nil
      }
      guard let scalar = Unicode.Scalar(value) else { return nil }  // a surrogate
      let properties = scalar.properties
      guard properties.isAlphabetic, !properties.changesWhenLowercased,
        properties.canonicalCombiningClass == .notReordered
      else { return nil }
      return (UInt16(value), size)
    }

    private init(name: String, tag: String, totals: [UInt64], entries: [Entry]) {
      self.name = name
      self.tag = tag
      self.totals = totals
      self.entries = entries
    }

    /// This profile with every n-gram folded (``VietnameseText/fold(_:)``: no diacritics, `đ` →
    /// `d`) and the counts of the n-grams that fold alike added up. The totals stay.
    func folded() -> Profile {
      var letters: [UInt64: UInt64] = [:]
      func fold(_ letter: UInt64) -> UInt64 {
        if let folded = letters[letter] { return folded }
        let text = Unicode.Scalar(UInt32(letter)).map { VietnameseText.fold(String($0)) } ?? ""
        let scalars = Array(text.unicodeScalars)
        let folded = scalars.count == 1 && scalars[0].value <= 0xFFFF ? UInt64(scalars[0].value) : letter
        letters[letter] = folded
        return folded
      }
      var counts: [UInt64: UInt64] = [:]
      var order: [UInt64] = []
      for entry in entries {
        var folded: UInt64 = 0
        for shift in stride(from: 16 * (LanguageDetector.length(of: entry.key) - 1), through: 0, by: -16) {
          folded = folded << 16 | fold(entry.key >> UInt64(shift) & 0xFFFF)
        }
        if counts[folded] == nil { order.append(folded) }
        counts[folded, default: 0] += entry.count
      }
      let entries = order.map { Entry(key: $0, count: counts[$0]!, line: 0) }
      return Profile(name: name, tag: tag, totals: totals, entries: entries)
    }
  }
}
