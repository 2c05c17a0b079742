public import Taxonomy

/// Today's provinces and communes, old names and GPS look-up, as the command line uses them: a thin
/// layer over `Taxonomy.Gazetteer` that loads the shipped data once and reports failures as
/// ``MediaBankError``.
public enum Localities {
  /// What a locality text resolves to (`.resolved`, `.ambiguous`, `.notFound`).
  public typealias Resolution = Taxonomy.Resolution
  /// One unit of today's map reached from a text, with how it got there.
  public typealias Match = Taxonomy.LocalityMatch
  /// The commune and province of a GPS point.
  public typealias Location = Taxonomy.Location

  /// The fallback distance of ``locate(latitude:longitude:)``, in metres.
  public static let fallbackDistance = Gazetteer.defaultFallbackDistance

  /// Resolves a code or a name (today's, an alias or an old one; `"commune, province"` narrows)
  /// to today's units. See `Gazetteer.resolve(_:)`.
  public static func resolve(_ text: String) throws(MediaBankError) -> Resolution {
    try gazetteer().resolve(text)
  }

  /// The code of today's province that `text` names: its 2-digit code, or its name (today's or a
  /// former province's wholly taken in). Throws for anything else, a commune included.
  public static func province(_ text: String) throws(MediaBankError) -> String {
    let gazetteer = try gazetteer()
    if gazetteer.province(code: text) != nil { return text }
    if case .resolved(let match) = gazetteer.resolve(text), match.commune == nil { return match.province.code }
    throw MediaBankError(
      .invalidInput, "'\(text)' is not one of today's 34 provinces: give its 2-digit code (19) or its name")
  }

  /// The commune and province containing a GPS point, or the nearest within
  /// ``fallbackDistance``; nil when the point is not in Vietnam.
  public static func locate(latitude: Double, longitude: Double) throws(MediaBankError) -> Location? {
    try gazetteer().locate(latitude: latitude, longitude: longitude)
  }

  /// A unit of today's map offered for what a person is typing (`GET /api/v1/localities`).
  public struct Completion: Codable, Equatable, Sendable {
    /// The code a filter or a tag takes: the commune's, else the province's.
    public var code: String
    /// Its name as people read it: `Tỉnh Thái Nguyên`, or `Xã Ba Bể, Tỉnh Thái Nguyên`.
    public var name: String
    /// `province` or `commune`.
    public var level: String
    /// The name of the former unit that led here (`Tỉnh Bắc Kạn`), when one did.
    public var former: String?
  }

  /// The units of today's map that `text` may be the start of, for completing a name as it is
  /// typed, at most `limit`: first what it resolves to (``resolve(_:)``: a code, an alias, any
  /// former unit), then the provinces, former provinces and communes whose names start with it,
  /// then those with a word that starts with it. Case and diacritics are ignored (`ba be` offers
  /// `Xã Ba Bể`); a former province is offered as the province that took it in.
  public static func complete(_ text: String, limit: Int = 10) throws(MediaBankError) -> [Completion] {
    let folded = VietnameseText.fold(text)
    guard !folded.isEmpty, limit > 0 else { return [] }
    let units = try gazetteer()
    var ranked: [(rank: Int, completion: Completion)] = units.resolve(text).candidates.map {
      (0, completion($0))
    }
    for name in try names() {
      // 1…3: the name starts with the text; 4…6: a later word of it does.
      let rank =
        name.keys.contains { $0.hasPrefix(folded) }
        ? name.rank : name.keys.contains { $0.contains(" " + folded) } ? name.rank + 3 : nil
      guard let rank else { continue }
      if let province = name.province {
        guard let today = units.province(code: province) else { continue }
        ranked.append((rank, Completion(code: today.code, name: today.name, level: "province", former: name.former)))
      } else if let commune = units.commune(code: name.code),
        let province = units.province(code: commune.provinceCode)
      {
        ranked.append(
          (rank, Completion(code: commune.code, name: "\(commune.name), \(province.name)", level: "commune")))
      }
    }
    var seen: Set<String> = []
    var completions: [Completion] = []
    for (_, completion) in ranked.enumerated().sorted(by: {
      ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset)
    })
    .map(\.element)
    where completions.count < limit && seen.insert(completion.code).inserted {
      completions.append(completion)
    }
    return completions
  }

  /// The completion of a resolved match.
  private static func completion(_ match: Match) -> Completion {
    guard let commune = match.commune else {
      return Completion(
        code: match.province.code, name: match.province.name, level: "province", former: match.former?.name)
    }
    return Completion(
      code: commune.code, name: "\(commune.name), \(match.province.name)", level: "commune", former: match.former?.name)
  }

  /// A name ``complete(_:limit:)`` looks in, folded: a province's (rank 1), a former province's
  /// (rank 2, with the province that took it in), a commune's (rank 3).
  private struct Name: Sendable {
    var keys: [String]
    var rank: Int
    /// The commune's code (rank 3).
    var code: String = ""
    /// Today's province, for ranks 1 and 2.
    var province: String?
    var former: String?
  }

  /// Every name to complete from, folded once and kept.
  private static func names() throws(MediaBankError) -> [Name] {
    try foldedNames.get()
  }

  private static let foldedNames = Result { () throws(MediaBankError) -> [Name] in
    let units = try gazetteer()
    var names = units.provinces.map {
      Name(keys: [$0.shortName, $0.name, $0.englishName].map(VietnameseText.fold), rank: 1, province: $0.code)
    }
    let todayNames = Set(units.provinces.map(\.name))
    for former in units.formerProvinces where !todayNames.contains(former.name) {
      guard let today = units.resolve(former.name).match else { continue }
      names.append(
        Name(
          keys: [former.name, withoutType(former.name)].map(VietnameseText.fold), rank: 2,
          province: today.province.code, former: former.name))
    }
    names += units.communes.map {
      Name(keys: [$0.shortName, $0.name].map(VietnameseText.fold), rank: 3, code: $0.code)
    }
    return names
  }

  /// Why `text` cannot be used as a locality (it names no unit, or several), or nil when it
  /// resolves to exactly one of today's units.
  public static func problem(with text: String) -> String? {
    do {
      _ = try unit(text)
      return nil
    } catch {
      return error.reason
    }
  }

  /// The one unit of today's map that `text` names; throws why not (unknown, or ambiguous with
  /// its candidates).
  static func unit(_ text: String) throws(MediaBankError) -> Match {
    switch try resolve(text) {
    case .resolved(let match): return match
    case .notFound: throw MediaBankError(.notFound, "'\(text)' is not a province or commune, today's or former")
    case .ambiguous(let candidates):
      let shown = candidates.prefix(5).map(\.description).joined(separator: "; ")
      throw MediaBankError(
        .ambiguous,
        "'\(text)' is ambiguous (\(candidates.count) candidates: \(shown)\(candidates.count > 5 ? "; …" : ""));"
          + " give a code or add the province (\"commune, province\")")
    }
  }

  /// A commune's outline in the shipped boundaries: its rings (outer rings and holes, drawn with
  /// the even-odd rule) as (longitude, latitude) points in degrees.
  public struct Outline: Sendable {
    public var code: String
    public var name: String
    public var rings: [[(longitude: Double, latitude: Double)]]
  }

  /// The outlines of the communes of today's province `code` (empty for another code), for a map.
  public static func outlines(ofProvince code: String) throws(MediaBankError) -> [Outline] {
    let gazetteer = try gazetteer()
    return gazetteer.outlines(ofProvince: code).map {
      Outline(code: $0.commune, name: gazetteer.commune(code: $0.commune)?.name ?? $0.commune, rings: $0.rings)
    }
  }

  /// The outlines of today's 34 provinces (the islands of Hoàng Sa and Trường Sa included), each
  /// with its province code and name, for the national map.
  public static func outlinesOfProvinces() throws(MediaBankError) -> [Outline] {
    let gazetteer = try gazetteer()
    do {
      return try gazetteer.outlinesOfProvinces().map {
        Outline(code: $0.province, name: gazetteer.province(code: $0.province)?.name ?? $0.province, rings: $0.rings)
      }
    } catch {
      throw MediaBankError("cannot load the province boundaries: \(error)", wrapping: error, code: .internal)
    }
  }

  /// The codes with today's names: `19 Tỉnh Thái Nguyên`, or `01906 Xã Ba Bể, 19 Tỉnh Thái Nguyên`
  /// with a commune. A code the shipped data does not know is shown alone.
  public static func name(province: String, commune: String?) -> String {
    let gazetteer = try? gazetteer()
    let provinceName = gazetteer?.province(code: province).map { "\(province) \($0.name)" } ?? province
    guard let commune else { return provinceName }
    let communeName = gazetteer?.commune(code: commune).map { "\(commune) \($0.name)" } ?? commune
    return "\(communeName), \(provinceName)"
  }

  /// The units whose names are closest to `text`, a name that resolves to none: today's
  /// provinces, the former provinces (with the province that took each in) and today's communes,
  /// at most three, each with its code and names.
  static func closest(to text: String) throws(MediaBankError) -> [String] {
    let gazetteer = try gazetteer()
    var candidates: [Closest.Candidate] = gazetteer.provinces.map {
      Closest.Candidate(shown: "\($0.code) \($0.name)", keys: [$0.shortName, $0.name, $0.englishName])
    }
    let todayNames = Set(gazetteer.provinces.map(\.name))
    for former in gazetteer.formerProvinces where !todayNames.contains(former.name) {
      guard let today = gazetteer.resolve(former.name).match else { continue }
      candidates.append(
        Closest.Candidate(
          shown: "\(former.name) (former province, now \(today.unit))",
          keys: [former.name, Self.withoutType(former.name)]))
    }
    for commune in gazetteer.communes {
      guard let province = gazetteer.province(code: commune.provinceCode) else { continue }
      candidates.append(
        Closest.Candidate(
          shown: "\(commune.code) \(commune.name), \(province.code) \(province.name)",
          keys: [commune.shortName, commune.name]))
    }
    return Closest.values(to: text, among: candidates)
  }

  /// `Tỉnh Bắc Kạn` → `Bắc Kạn`.
  private static func withoutType(_ name: String) -> String {
    for type in ["Tỉnh ", "Thành phố "] where name.hasPrefix(type) { return String(name.dropFirst(type.count)) }
    return name
  }

  /// What was stated, for a tag's note, when `text` is a name rather than the code it resolved to.
  static func statedNote(_ text: String, _ match: Match) -> String? {
    text == match.code ? nil : "\(text) → \(match.description)"
  }

  private static func gazetteer() throws(MediaBankError) -> Gazetteer {
    do {
      return try Gazetteer.shared()
    } catch {
      throw MediaBankError("cannot load the locality data: \(error)", wrapping: error, code: .internal)
    }
  }
}
