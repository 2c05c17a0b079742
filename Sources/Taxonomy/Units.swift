/// A province-level unit in force today (34 since 1 July 2025): a province (tỉnh) or a
/// centrally-run city (thành phố trực thuộc trung ương).
public struct Province: Sendable, Hashable, Codable {
  /// The official 2-digit code, e.g. `"19"`.
  public let code: String
  /// The full Vietnamese name, e.g. `"Tỉnh Thái Nguyên"`.
  public let name: String
  /// The name without the unit type, e.g. `"Thái Nguyên"`.
  public let shortName: String
  /// The unit type in Vietnamese: `"tỉnh"` or `"thành phố trực thuộc trung ương"`.
  public let type: String
  /// The English name, e.g. `"Thai Nguyen"`.
  public let englishName: String
  /// How many communes of each kind the province has today.
  public let communeCounts: CommuneCounts
  /// Codes of the former (pre-2025) provinces it was made from.
  public let formerProvinceCodes: [String]
  /// A representative point inside the province.
  public let latitude: Double
  /// A representative point inside the province.
  public let longitude: Double
}

/// Commune counts of a province by kind.
public struct CommuneCounts: Sendable, Hashable, Codable {
  /// Wards (phường).
  public let wards: Int
  /// Communes (xã).
  public let communes: Int
  /// Special zones (đặc khu).
  public let specialZones: Int

  /// All communes of every kind.
  public var total: Int { wards + communes + specialZones }
}

/// A commune-level unit in force today (3,321 since 1 July 2025).
public struct Commune: Sendable, Hashable, Codable {
  /// The kind of a commune-level unit.
  public enum Kind: String, Sendable, Hashable, Codable {
    /// Phường, an urban ward.
    case ward
    /// Xã, a rural commune.
    case commune
    /// Đặc khu, a special zone (islands such as Hoàng Sa, Trường Sa, Phú Quốc).
    case specialZone = "special-zone"

    /// The Vietnamese unit type: `phường`, `xã` or `đặc khu`.
    public var vietnamese: String {
      switch self {
      case .ward: "phường"
      case .commune: "xã"
      case .specialZone: "đặc khu"
      }
    }
  }

  /// The official 5-digit code, e.g. `"00070"`.
  public let code: String
  /// The full Vietnamese name, e.g. `"Phường Hoàn Kiếm"`.
  public let name: String
  /// The name without the unit type, e.g. `"Hoàn Kiếm"`.
  public let shortName: String
  /// Ward, commune or special zone.
  public let kind: Kind
  /// The English name, e.g. `"Hoan Kiem"`.
  public let englishName: String
  /// The code of the province it belongs to.
  public let provinceCode: String
  /// A representative point inside the commune.
  public let latitude: Double
  /// A representative point inside the commune.
  public let longitude: Double
}

/// A unit of the administrative map in force before 1 July 2025, as named by old archives.
public struct FormerUnit: Sendable, Hashable, Codable {
  /// The level of a former unit.
  public enum Level: String, Sendable, Hashable, Codable {
    /// One of the 63 former provinces.
    case province
    /// A former district (quận, huyện, thị xã, thành phố thuộc tỉnh).
    case district
    /// A former commune (phường, xã, thị trấn).
    case commune
  }

  /// Province, district or commune.
  public let level: Level
  /// The old code (2, 3 or 5 digits).
  public let code: String
  /// The full old name, e.g. `"Tỉnh Bắc Kạn"`.
  public let name: String
  /// The name of the former district it was in (communes only).
  public let districtName: String?
  /// The name of the former province it was in (districts and communes).
  public let provinceName: String?
}
