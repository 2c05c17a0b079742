internal import Foundation

/// Interprets a video's container tags as FFmpeg exposes them: the capture time, the ISO 6709
/// location, the camera, descriptive texts and audio languages.
struct VideoTags {
  /// The container's (format-level) tags, in order.
  var container: [(key: String, value: String)]
  /// The chosen video stream's tags (a fallback for the creation time).
  var videoStream: [(key: String, value: String)]
  private var audioLanguages: [String] = []
  private var issues: [String] = []

  init(container: [(key: String, value: String)], videoStream: [(key: String, value: String)]) {
    self.container = container
    self.videoStream = videoStream
  }

  /// Records the `language` tag of audio stream number `stream` (1-based, among audio streams).
  mutating func addAudioLanguage(_ code: String, stream: Int) {
    let trimmed = code.trimmingCharacters(in: .whitespaces)
    guard !Self.undetermined.contains(trimmed.lowercased()) else { return }
    guard let language = Self.bcp47(trimmed) else {
      issues.append("audio stream \(stream) has the language `\(trimmed)`, which is not a language code; ignored")
      return
    }
    if !audioLanguages.contains(language) { audioLanguages.append(language) }
  }

  /// Writes what the tags say into `metadata`.
  func fill(_ metadata: inout VideoMetadata) {
    var issues = self.issues
    metadata.audioLanguages = audioLanguages
    metadata.capturedAt = capturedAt(&issues)
    metadata.gps = position(&issues)
    metadata.make = first(["com.apple.quicktime.make", "make", "com.android.manufacturer"])
    metadata.model = first(["com.apple.quicktime.model", "model", "com.android.model"])
    metadata.texts = texts()
    metadata.issues = issues
  }

  // MARK: Capture time

  /// Apple's local `creationdate` (with its offset) first, then the container's creation time
  /// (UTC), then the video stream's.
  private func capturedAt(_ issues: inout [String]) -> String? {
    let candidates =
      container.filter { $0.key.lowercased() == "com.apple.quicktime.creationdate" }
      + container.filter { $0.key.lowercased() == "creation_time" }
      + videoStream.filter { $0.key.lowercased() == "creation_time" }
    for (key, value) in candidates {
      if let date = Self.isoDateTime(value) { return date }
      issues.append("the `\(key)` tag `\(value)` is not an ISO 8601 date-time; ignored")
    }
    return nil
  }

  /// `YYYY-MM-DDTHH:MM[:SS][.fraction][Z|±HH[:MM]]` (a space for the `T` is accepted) as
  /// `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]`: an all-zero fraction is dropped (FFmpeg adds
  /// `.000000` to whole seconds), the offset gets its colon.
  static func isoDateTime(_ text: String) -> String? {
    let s = Array(text.trimmingCharacters(in: .whitespaces).utf8)
    func number(_ range: Range<Int>) -> Int? {
      guard range.upperBound <= s.count, range.allSatisfy({ s[$0] >= 0x30 && s[$0] <= 0x39 }) else { return nil }
      return range.reduce(0) { $0 * 10 + Int(s[$1] - 0x30) }
    }
    func at(_ index: Int, _ character: Character) -> Bool { index < s.count && s[index] == character.asciiValue }
    guard let year = number(0..<4), at(4, "-"), let month = number(5..<7), at(7, "-"), let day = number(8..<10),
      at(10, "T") || at(10, " "), let hour = number(11..<13), at(13, ":"), let minute = number(14..<16),
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60
    else { return nil }
    var index = 16
    var second = 0
    if at(index, ":") {
      guard let value = number(17..<19), value <= 60 else { return nil }
      second = value
      index = 19
    }
    var fraction = ""
    if at(index, ".") || at(index, ",") {
      index += 1
      let start = index
      while index < s.count, s[index] >= 0x30, s[index] <= 0x39 { index += 1 }
      guard index > start else { return nil }
      let digits = String(decoding: s[start..<index], as: UTF8.self)
      let significant = String(digits.reversed().drop { $0 == "0" }.reversed())
      if !significant.isEmpty { fraction = "." + significant }
    }
    var offset = ""
    if at(index, "Z") || at(index, "z") {
      offset = "Z"
      index += 1
    } else if at(index, "+") || at(index, "-") {
      let sign = at(index, "+") ? "+" : "-"
      guard let hours = number((index + 1)..<(index + 3)), hours <= 14 else { return nil }
      index += 3
      var minutes = 0
      if at(index, ":") { index += 1 }
      if let value = number(index..<(index + 2)) {
        guard value < 60 else { return nil }
        minutes = value
        index += 2
      }
      offset = sign + String(format: "%02d:%02d", hours, minutes)
    }
    guard index == s.count, year > 0 else { return nil }
    return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second)
      + fraction + offset
  }

  // MARK: Location

  /// The first location tag that parses: Apple's ISO 6709 key, then `location` (QuickTime `©xyz`,
  /// 3GPP `loci`, Matroska `LOCATION`), then its language variants (`location-eng`).
  private func position(_ issues: inout [String]) -> GPSCoordinate? {
    let candidates =
      container.filter { $0.key.lowercased() == "com.apple.quicktime.location.iso6709" }
      + container.filter { $0.key.lowercased() == "location" }
      + container.filter { $0.key.lowercased().hasPrefix("location-") }
    var reported: Set<String> = []
    for (key, value) in candidates {
      if let position = Self.iso6709(value) { return position }
      if reported.insert(value).inserted {
        issues.append("the `\(key)` tag `\(value)` is not an ISO 6709 position; ignored")
      }
    }
    return nil
  }

  /// Parses an ISO 6709 point: latitude and longitude as degrees (`±DD.D±DDD.D`), degrees and
  /// minutes (`±DDMM.M±DDDMM.M`) or degrees, minutes and seconds (`±DDMMSS.S±DDDMMSS.S`), then an
  /// optional altitude in metres (`±AAA.A`), an optional `CRS…` and a closing `/`.
  static func iso6709(_ text: String) -> GPSCoordinate? {
    var rest = Substring(text.trimmingCharacters(in: .whitespaces))
    var parts: [(sign: Double, integer: Substring, fraction: Substring)] = []
    while parts.count < 3, let sign = rest.first, sign == "+" || sign == "-" {
      rest = rest.dropFirst()
      let integer = rest.prefix { $0.isASCII && $0.isNumber }
      rest = rest.dropFirst(integer.count)
      var fraction: Substring = ""
      if rest.first == "." {
        rest = rest.dropFirst()
        fraction = rest.prefix { $0.isASCII && $0.isNumber }
        rest = rest.dropFirst(fraction.count)
      }
      guard !integer.isEmpty else { return nil }
      parts.append((sign == "-" ? -1 : 1, integer, fraction))
    }
    guard parts.count >= 2, rest.isEmpty || rest == "/" || rest.hasPrefix("CRS"),
      let latitude = angle(parts[0], degreeDigits: 2), abs(latitude) <= 90,
      let longitude = angle(parts[1], degreeDigits: 3), abs(longitude) <= 180
    else { return nil }
    let altitude = parts.count > 2 ? decimal(parts[2].integer, parts[2].fraction).map { parts[2].sign * $0 } : nil
    return GPSCoordinate(latitude: latitude, longitude: longitude, altitude: altitude)
  }

  private static func angle(
    _ part: (sign: Double, integer: Substring, fraction: Substring), degreeDigits: Int
  ) -> Double? {
    guard let value = decimal(part.integer, part.fraction) else { return nil }
    let degrees: Double
    switch part.integer.count - degreeDigits {
    case 0:
      degrees = value
    case 2:
      let whole = (value / 100).rounded(.down)
      let minutes = value - whole * 100
      guard minutes < 60 else { return nil }
      degrees = whole + minutes / 60
    case 4:
      let whole = (value / 10_000).rounded(.down)
      let minutes = ((value - whole * 10_000) / 100).rounded(.down)
      let seconds = value - whole * 10_000 - minutes * 100
      guard minutes < 60, seconds < 60 else { return nil }
      degrees = whole + minutes / 60 + seconds / 3600
    default:
      return nil
    }
    return part.sign * degrees
  }

  private static func decimal(_ integer: Substring, _ fraction: Substring) -> Double? {
    Double(fraction.isEmpty ? String(integer) : integer + "." + fraction)
  }

  // MARK: Texts

  /// Tag (lower-cased, without a language suffix) → field.
  static let textFields: [String: TextField] = [
    "title": .title, "com.apple.quicktime.title": .title,
    "description": .description, "comment": .description, "synopsis": .description,
    "com.apple.quicktime.description": .description, "com.apple.quicktime.comment": .description,
    "keywords": .keyword, "com.apple.quicktime.keywords": .keyword,
    "artist": .creator, "author": .creator, "com.apple.quicktime.artist": .creator,
    "com.apple.quicktime.author": .creator,
    "copyright": .copyright, "com.apple.quicktime.copyright": .copyright,
    "com.apple.quicktime.location.name": .location,
  ]

  /// The container's descriptive tags. A tag with a language suffix (`title-vie`, as FFmpeg names
  /// QuickTime and Matroska tags in a language) gives that language; the same value without one
  /// is then not repeated. Keywords are split at commas and semicolons.
  private func texts() -> [EmbeddedText] {
    var result: [EmbeddedText] = []
    for (key, value) in container {
      var base = key.lowercased()
      var language = "und"
      if Self.textFields[base] == nil, let dash = base.lastIndex(of: "-"),
        Self.textFields[String(base[..<dash])] != nil
      {
        language = Self.bcp47(String(key[key.index(after: dash)...])) ?? "und"
        base = String(base[..<dash])
      }
      guard let field = Self.textFields[base] else { continue }
      let values =
        field == .keyword
        ? value.split(whereSeparator: { $0 == "," || $0 == ";" }).compactMap { Text.clean(String($0)) }
        : [Text.clean(value)].compactMap { $0 }
      for value in values {
        let text = EmbeddedText(field, value, language: language, source: .container)
        if let index = result.firstIndex(where: { $0.field == field && $0.value == value }) {
          if result[index].language == "und" && language != "und" { result[index] = text }
          continue
        }
        result.append(text)
      }
    }
    return result
  }

  private func first(_ keys: [String]) -> String? {
    for key in keys {
      if let entry = container.first(where: { $0.key.lowercased() == key }), let value = Text.clean(entry.value) {
        return value
      }
    }
    return nil
  }

  // MARK: Languages

  /// Codes that say "no language".
  static let undetermined: Set<String> = ["", "und", "zxx", "mis"]

  /// A BCP 47 tag for a container's language code: ISO 639-2 (bibliographic or terminology)
  /// codes with an ISO 639-1 equivalent become it (`vie` → `vi`, `fre` → `fr`); other ISO 639
  /// codes and BCP 47 tags stay as written, the primary subtag lower-cased. Nil for anything else.
  static func bcp47(_ code: String) -> String? {
    let subtags = code.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
    guard let primary = subtags.first?.lowercased(), (2...3).contains(primary.count),
      primary.allSatisfy({ $0.isASCII && $0.isLetter }), !undetermined.contains(primary),
      subtags.dropFirst().allSatisfy({
        (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
      })
    else { return nil }
    let language = primary.count == 3 ? (iso639Alpha2[primary] ?? primary) : primary
    return ([language] + subtags.dropFirst().map(String.init)).joined(separator: "-")
  }

  /// ISO 639-2 codes (terminology and bibliographic) that have an ISO 639-1 code, from the
  /// iso-codes project's `iso_639-2.json`: each entry is the 3-letter code then the 2-letter one.
  static let iso639Alpha2: [String: String] = {
    let table = """
      aaraa abkab afraf akaak albsq amham araar argan armhy asmas avaav aveae aymay azeaz bakba bambm baqeu \
      belbe benbn bihbh bisbi bodbo bosbs brebr bulbg burmy catca cescs chach chece chizh chucu chvcv corkw \
      cosco crecr cymcy czecs danda deude divdv dutnl dzodz ellel engen epoeo estet euseu eweee faofo fasfa \
      fijfj finfi frafr frefr fryfy fulff geoka gerde glagd glega glggl glvgv greel grngn gujgu hatht hauha \
      hebhe herhz hinhi hmoho hrvhr hunhu hyehy iboig iceis idoio iiiii ikuiu ileie inaia indid ipkik islis \
      itait javjv jpnja kalkl kankn kasks katka kaukr kazkk khmkm kikki kinrw kirky komkv konkg korko kuakj \
      kurku laolo latla lavlv limli linln litlt ltzlb lublu luglg macmk mahmh malml maomi marmr mayms mkdmk \
      mlgmg mltmt monmn mrimi msams myamy nauna navnv nblnr ndend ndong nepne nldnl nnonn nobnb norno nyany \
      ocioc ojioj orior ormom ossos panpa perfa plipi polpl porpt pusps quequ rohrm ronro rumro runrn rusru \
      sagsg sansa sinsi slksk slosk slvsl smese smosm snasn sndsd somso sotst spaes sqisq srdsc srpsr sswss \
      sunsu swasw swesv tahty tamta tattt telte tgktg tgltl thath tibbo tirti tonto tsntn tsots tuktk turtr \
      twitw uigug ukruk urdur uzbuz venve vievi volvo welcy wlnwa wolwo xhoxh yidyi yoryo zhaza zhozh zulzu
      """
    return Dictionary(
      uniqueKeysWithValues: table.split(separator: " ").map { (String($0.prefix(3)), String($0.suffix(2))) })
  }()
}
