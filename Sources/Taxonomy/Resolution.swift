/// What a locality name or code resolves to: one unit of today's map, several candidates, or nothing.
public enum Resolution: Sendable, Hashable {
  /// Exactly one unit of today's map (possibly reached through an old name).
  case resolved(LocalityMatch)
  /// Several units fit and none is chosen for the caller: a commune name shared by several
  /// provinces, or an old commune split across several new ones (the primary successor is marked
  /// and listed first).
  case ambiguous([LocalityMatch])
  /// Nothing fits.
  case notFound

  /// Every candidate: one when resolved, several when ambiguous, none when not found.
  public var candidates: [LocalityMatch] {
    switch self {
    case .resolved(let match): [match]
    case .ambiguous(let matches): matches
    case .notFound: []
    }
  }

  /// The match when the text resolved to exactly one unit.
  public var match: LocalityMatch? {
    if case .resolved(let match) = self { match } else { nil }
  }
}

extension Resolution: Codable {
  private enum CodingKeys: String, CodingKey { case status, match, candidates }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .resolved(let match):
      try container.encode("resolved", forKey: .status)
      try container.encode(match, forKey: .match)
    case .ambiguous(let matches):
      try container.encode("ambiguous", forKey: .status)
      try container.encode(matches, forKey: .candidates)
    case .notFound:
      try container.encode("not-found", forKey: .status)
    }
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    switch try container.decode(String.self, forKey: .status) {
    case "resolved": self = .resolved(try container.decode(LocalityMatch.self, forKey: .match))
    case "ambiguous": self = .ambiguous(try container.decode([LocalityMatch].self, forKey: .candidates))
    case "not-found": self = .notFound
    case let other:
      throw DecodingError.dataCorruptedError(
        forKey: .status, in: container, debugDescription: "unknown resolution status '\(other)'")
    }
  }
}

/// One unit of today's map that a text resolved to, with how it got there.
public struct LocalityMatch: Sendable, Hashable, Codable, CustomStringConvertible {
  /// How the text led to the unit.
  public enum Route: String, Sendable, Hashable, Codable {
    /// An official code of today's province or commune.
    case code
    /// The name of today's province or commune.
    case name
    /// A common alias or English name of today's province ("TP HCM", "Sài Gòn", "Hanoi").
    case alias
    /// The name, code or alias of one of the 63 former provinces.
    case formerProvince = "former-province"
    /// The name or code of a former district.
    case formerDistrict = "former-district"
    /// The name or code of a former commune.
    case formerCommune = "former-commune"
  }

  /// The province today.
  public let province: Province
  /// The commune today, when the text named a commune-level unit with a known successor.
  public let commune: Commune?
  /// How the text led here.
  public let route: Route
  /// The former unit the text named, for the `former-*` routes.
  public let former: FormerUnit?
  /// For an old commune split across several new ones: whether this is its primary successor
  /// (the one that received the largest share); nil when there was no split.
  public let isPrimary: Bool?
  /// The official note of the 2025 conversion table for this link ("Nhập toàn bộ", "Nhập một phần", …).
  public let officialNote: String?
  /// A short explanation, e.g. `"former province, merged 2025"`.
  public let explanation: String

  /// The code of the most precise unit: the commune's when there is one, else the province's.
  public var code: String { commune?.code ?? province.code }

  /// The unit today, e.g. `"19 Tỉnh Thái Nguyên"` or `"00070 Phường Hoàn Kiếm, 01 Thành phố Hà Nội"`.
  public var unit: String {
    let province = "\(province.code) \(province.name)"
    return commune.map { "\($0.code) \($0.name), \(province)" } ?? province
  }

  /// The unit and how it was reached, e.g. `"19 Tỉnh Thái Nguyên (former province, merged 2025)"`.
  public var description: String {
    var how = explanation
    if let former, former.level != .province {
      how += ": \(former.code) \(former.name)"
      if let district = former.districtName { how += ", \(district)" }
      if let province = former.provinceName { how += ", \(province)" }
    }
    if isPrimary == true { how += "; primary successor" }
    return "\(unit) (\(how))"
  }
}
