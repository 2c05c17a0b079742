internal import Foundation

/// Vietnam's administrative units as in force today (34 provinces, 3,321 communes), the units of
/// the map before 1 July 2025 that archives still name, and the commune boundaries: resolves what
/// people write to today's units and GPS points to the commune and province that contain them.
///
/// The data ships with the module (`Resources/vn-admin`, see its SOURCES.md). Load it once with
/// ``shared()`` and share the value: it is immutable and `Sendable`.
public final class Gazetteer: Sendable {
  /// The 34 provinces, by code.
  public var provinces: [Province] { units.shipped.provinces }
  /// The 3,321 communes, by code.
  public var communes: [Commune] { units.shipped.communes }
  /// The 63 former provinces.
  public var formerProvinces: [FormerUnit] { nameIndex.shipped.formerProvinces.map(\.unit) }

  /// Each part of the data is read on first use: a command that only names a commune's province
  /// reads neither the former units nor the boundaries.
  private let units: Lazy<Units>
  private let nameIndex: Lazy<NameIndex>
  private let boundaryIndex: Lazy<Boundaries>
  private let provinceOutlines: Lazy<ProvinceOutlines>

  var names: NameIndex { nameIndex.shipped }
  var boundaries: Boundaries { boundaryIndex.shipped }

  /// The outline of each commune of today's province `code`: its rings (outer rings and holes
  /// alike, to be drawn with the even-odd rule) as (longitude, latitude) points in degrees, in the
  /// simplified shipped boundaries (about 50 m). Empty for a code that is not a province.
  public func outlines(ofProvince code: String) -> [(commune: String, rings: [[(longitude: Double, latitude: Double)]])]
  {
    let shipped = units.shipped
    let indices = Set(shipped.communes.indices.filter { shipped.communes[$0].provinceCode == code })
    var rings: [Int: [[(longitude: Double, latitude: Double)]]] = [:]
    for (commune, ring) in boundaries.rings(ofCommunes: indices) { rings[commune, default: []].append(ring) }
    return rings.keys.sorted().map { (shipped.communes[$0].code, rings[$0]!) }
  }

  /// The outline of each of today's provinces, by code: its rings as (longitude, latitude)
  /// points in degrees, from the shipped province boundaries (simplified to about 200 m, the
  /// islands of Hoàng Sa and Trường Sa included). Fails when the file is missing or malformed.
  public func outlinesOfProvinces() throws(TaxonomyError) -> [(
    province: String, rings: [[(longitude: Double, latitude: Double)]]
  )] {
    let rings = try provinceOutlines.get().rings
    return rings.keys.sorted().map { ($0, rings[$0]!) }
  }

  /// The default distance, in metres, within which ``locate(latitude:longitude:maxDistance:)``
  /// falls back to the nearest commune for a point outside every (simplified) boundary.
  public static let defaultFallbackDistance = 2_000.0

  /// The files of the shipped data, in `Resources/vn-admin`.
  static let files = [
    "units.bin", "legacy_provinces.csv", "legacy_districts.csv", "legacy_communes.csv",
    "legacy_commune_links.csv", "communes.boundaries", ProvinceOutlines.file,
  ]

  private static let loaded = Result { () throws(TaxonomyError) -> Gazetteer in
    let directory = try ResourceFiles.directory()
    for name in files where !ResourceFiles.exists(name, in: directory) {
      throw TaxonomyError("the shipped data file is missing", subject: name)
    }
    return Gazetteer(directory: directory)
  }

  /// The gazetteer built from the shipped data, then shared. Each part of the data is read when
  /// first needed: today's units (a few milliseconds), the names of former units (about 0.2 s),
  /// the boundaries (about 10 ms). Fails when a file is missing.
  public static func shared() throws(TaxonomyError) -> Gazetteer {
    try loaded.get()
  }

  /// Loads all the shipped data now; fails when a file is missing or malformed.
  public convenience init() throws(TaxonomyError) {
    self.init(directory: try ResourceFiles.directory())
    _ = try units.get()
    _ = try nameIndex.get()
    _ = try boundaryIndex.get()
    _ = try provinceOutlines.get()
  }

  /// A gazetteer that reads the data in `directory` when first needed.
  private init(directory: URL) {
    let units = Lazy { () throws(TaxonomyError) in try Units(directory: directory) }
    self.units = units
    nameIndex = Lazy { () throws(TaxonomyError) in
      let units = try units.get()
      return try NameIndex(
        directory: directory, provinces: units.provinces, communes: units.communes,
        provinceIndex: units.provinceIndex, communeIndex: units.communeIndex)
    }
    boundaryIndex = Lazy { () throws(TaxonomyError) in
      try Boundaries(
        data: try ResourceFiles.data("communes.boundaries", in: directory), communeIndex: try units.get().communeIndex)
    }
    provinceOutlines = Lazy { () throws(TaxonomyError) in
      try ProvinceOutlines(data: try ResourceFiles.data(ProvinceOutlines.file, in: directory))
    }
  }

  /// Today's provinces and communes.
  struct Units: Sendable, Equatable {
    let provinces: [Province]
    let communes: [Commune]
    let provinceIndex: [String: Int]
    let communeIndex: [String: Int]

    /// Reads `units.bin`, which `scripts/make-gazetteer` makes from `provinces.csv` and
    /// `communes.csv` (a test checks that it says what they say): decoding it costs a fraction of
    /// parsing them, and `list` or `show` of an asset with a locality needs its commune's names.
    init(directory: URL) throws(TaxonomyError) {
      try self.init(compact: try ResourceFiles.data("units.bin", in: directory))
    }

    /// Reads `provinces.csv` and `communes.csv`, the sources of `units.bin`.
    init(csvIn directory: URL) throws(TaxonomyError) {
      let provinceTable = try ResourceFiles.table("provinces.csv", in: directory)
      var provinces: [Province] = []
      try provinceTable.each("provinces.csv") { (row) throws(TaxonomyError) in
        provinces.append(
          Province(
            code: try row.code("code", digits: 2), name: try row["name_vi"], shortName: try row["short_name_vi"],
            type: try row["type_vi"], englishName: try row["name_en"],
            communeCounts: CommuneCounts(
              wards: try row.int("n_phuong"), communes: try row.int("n_xa"), specialZones: try row.int("n_dac_khu")),
            formerProvinceCodes: try row.list("legacy_province_codes"),
            latitude: try row.double("lat"), longitude: try row.double("lon")))
      }

      let communeTable = try ResourceFiles.table("communes.csv", in: directory)
      var communes: [Commune] = []
      try communeTable.each("communes.csv") { (row) throws(TaxonomyError) in
        let type = try row["type_vi"]
        guard let kind = [Commune.Kind.ward, .commune, .specialZone].first(where: { $0.vietnamese == type }) else {
          throw TaxonomyError("unknown commune type '\(type)'", subject: "communes.csv")
        }
        communes.append(
          Commune(
            code: try row.code("code", digits: 5), name: try row["name_vi"], shortName: try row["short_name_vi"],
            kind: kind, englishName: try row["name_en"], provinceCode: try row.code("province_code", digits: 2),
            latitude: try row.double("lat"), longitude: try row.double("lon")))
      }
      try self.init(provinces: provinces, communes: communes, subject: "provinces.csv/communes.csv")
    }

    /// The units sorted by code and indexed; fails on a duplicate code or a commune of an unknown
    /// province (`subject` names the data in errors).
    init(provinces: [Province], communes: [Commune], subject: String) throws(TaxonomyError) {
      let provinces = provinces.sorted { $0.code < $1.code }
      let communes = communes.sorted { $0.code < $1.code }
      let provinceIndex = Dictionary(provinces.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
      let communeIndex = Dictionary(communes.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
      guard provinceIndex.count == provinces.count, communeIndex.count == communes.count else {
        throw TaxonomyError("duplicate codes", subject: subject)
      }
      for commune in communes where provinceIndex[commune.provinceCode] == nil {
        throw TaxonomyError("commune \(commune.code) in unknown province \(commune.provinceCode)", subject: subject)
      }
      self.provinces = provinces
      self.communes = communes
      self.provinceIndex = provinceIndex
      self.communeIndex = communeIndex
    }
  }

  /// The province with this 2-digit code today, if any.
  public func province(code: String) -> Province? {
    let units = units.shipped
    return units.provinceIndex[code].map { units.provinces[$0] }
  }

  /// The commune with this 5-digit code today, if any.
  public func commune(code: String) -> Commune? {
    let units = units.shipped
    return units.communeIndex[code].map { units.communes[$0] }
  }

  /// The communes of the province with this code, by code.
  public func communes(inProvince code: String) -> [Commune] {
    communes.filter { $0.provinceCode == code }
  }

  /// Resolves what a person wrote to today's units.
  ///
  /// Accepts official codes (2-digit province, 5-digit commune, 3-digit former district, old
  /// province and commune codes, `VN-xx` ISO 3166-2 codes of the former provinces), full or short
  /// names with or without the unit type ("tỉnh", "TP.", "thành phố", "phường", "xã", "đặc khu",
  /// "quận", "huyện", "thị xã", "thị trấn"), with or without diacritics, in any case, common aliases
  /// ("TP HCM", "HCMC", "Sài Gòn", "Huế", "Thừa Thiên Huế", English names), and old names of the
  /// 63 former provinces, former districts and former communes. `"commune, province"` (more
  /// comma-separated parts narrow further: `"Tân Thành, Ba Bể, Bắc Kạn"`) picks among units of
  /// the same name. A part that names a former province or district keeps the units inside it:
  /// its former units, and today's communes made of its former communes (`"Chợ Đồn, Bắc Kạn"` is
  /// the commune Chợ Đồn, not the former district's province).
  ///
  /// When several levels know the name, today's provinces win over former provinces, which win
  /// over today's communes, then former districts, then former communes: `"Bắc Kạn"` is the former
  /// province, `"Phường Bắc Kạn"` the ward. Several units at the winning level, or an old commune
  /// split across new ones, give ``Resolution/ambiguous(_:)``; nothing is ever guessed.
  public func resolve(_ text: String) -> Resolution {
    if let unit = NameIndex.currentUnit(code: text, gazetteer: self) { return .resolved(unit) }
    return names.resolve(text, gazetteer: self)
  }

  /// The unit the folder names of a path name together, as an archivist reads them: the place
  /// names inside each folder name (`2019 - Lễ hội Lồng Tồng Bắc Kạn`, `Cho Don - Bac Kan cu`),
  /// each read in the context of the others (`Chợ Đồn` inside the former province `Bắc Kạn` is
  /// the commune Chợ Đồn), the most precise unit winning, the deepest folder first among equals. A
  /// name that stays ambiguous resolves to its candidate in `preferredProvince` when exactly one is
  /// there. `folders` are the folder names from the top down; the result names the folders used.
  public func locality(inFolders folders: [String], preferredProvince: String? = nil) -> (
    match: LocalityMatch, folders: [String]
  )? {
    var named: [(name: String, folder: Int)] = []
    for (index, folder) in folders.enumerated().reversed() where folder.contains(where: \.isLetter) {
      named += names.names(in: folder).map { ($0, index) }
    }
    var best: (match: LocalityMatch, folders: [Int])?
    func consider(_ match: LocalityMatch, _ used: [Int]) {
      guard let current = best else {
        best = (match, used)
        return
      }
      if current.match.commune == nil && match.commune != nil { best = (match, used) }
    }
    for (name, folder) in named {
      var resolved = false
      for (context, contextFolder) in named where context != name {
        if let match = resolve(name + ", " + context).match {
          consider(match, [folder, contextFolder])
          resolved = true
        }
      }
      if resolved { continue }
      switch resolve(name) {
      case .resolved(let match): consider(match, [folder])
      case .ambiguous(let matches):
        let local = matches.filter { $0.province.code == preferredProvince }
        if local.count == 1 { consider(local[0], [folder]) }
      case .notFound: break
      }
    }
    guard let best else { return nil }
    return (best.match, Set(best.folders).sorted().map { folders[$0] })
  }

  /// The commune and province whose boundary contains the point (WGS 84 degrees).
  ///
  /// A point outside every boundary (the boundaries are simplified to about 50 m, so points on a
  /// border, on a beach or just offshore may fall outside) gets the nearest commune whose boundary
  /// is within `maxDistance` metres; farther out the answer is nil. Islands, including the Hoàng
  /// Sa and Trường Sa special zones, are part of the boundaries.
  public func locate(
    latitude: Double, longitude: Double, maxDistance: Double = Gazetteer.defaultFallbackDistance
  ) -> Location? {
    guard let found = boundaries.locate(latitude: latitude, longitude: longitude, maxDistance: maxDistance) else {
      return nil
    }
    let units = units.shipped
    let commune = units.communes[found.commune]
    return Location(
      commune: commune, province: units.provinces[units.provinceIndex[commune.provinceCode]!],
      distance: found.distance)
  }
}

/// Where a GPS point lies: its commune and province today.
public struct Location: Sendable, Hashable, Codable {
  /// The commune containing the point (or the nearest one, see ``distance``).
  public let commune: Commune
  /// The commune's province.
  public let province: Province
  /// 0 when the point is inside the commune's boundary; else the distance in metres from the point
  /// to that boundary (the nearest-unit fallback).
  public let distance: Double

  /// Whether the point lies inside the commune's boundary (not reached by the fallback).
  public var isInside: Bool { distance == 0 }
}

extension CSVTable {
  /// A row with typed access to its fields by column name.
  struct Row {
    let table: CSVTable
    let fields: [String]
    let file: String
    let line: Int

    subscript(_ column: String) -> String {
      get throws(TaxonomyError) { fields[try table.column(column, in: file)] }
    }

    func code(_ column: String, digits: Int) throws(TaxonomyError) -> String {
      let value = try self[column]
      guard value.utf8.count == digits, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
        throw TaxonomyError("line \(line): \(column) '\(value)' is not a \(digits)-digit code", subject: file)
      }
      return value
    }

    func int(_ column: String) throws(TaxonomyError) -> Int {
      guard let value = Int(try self[column]) else {
        throw TaxonomyError("line \(line): \(column) is not an integer", subject: file)
      }
      return value
    }

    func double(_ column: String) throws(TaxonomyError) -> Double {
      guard let value = Double(try self[column]) else {
        throw TaxonomyError("line \(line): \(column) is not a number", subject: file)
      }
      return value
    }

    /// A `;`-separated list; empty when the field is empty.
    func list(_ column: String) throws(TaxonomyError) -> [String] {
      try self[column].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
  }

  /// Calls `body` with each data row.
  func each(_ file: String, _ body: (Row) throws(TaxonomyError) -> Void) throws(TaxonomyError) {
    for (index, fields) in rows.enumerated() {
      try body(Row(table: self, fields: fields, file: file, line: index + 2))
    }
  }
}
