internal import Foundation

/// The name and code index behind ``Gazetteer/resolve(_:)``.
struct NameIndex: Sendable {
  /// One of the 63 former provinces.
  struct FormerProvince: Sendable {
    let unit: FormerUnit
    let newProvince: String
    let merged: Bool
    let iso: String
    let type: String
  }

  /// A former district.
  struct FormerDistrict: Sendable {
    let unit: FormerUnit
    let oldProvince: String
    let newProvince: String
    let before2025: Bool
    let type: String
  }

  /// A former commune and its successors.
  struct FormerCommune: Sendable {
    let unit: FormerUnit
    let oldDistrict: String
    let oldProvince: String
    let newProvince: String
    /// New commune codes, the primary successor first.
    let successors: [String]
    let isSplit: Bool
    let before2025: Bool
    /// Official note of each link, by new commune code.
    let notes: [String: String]
    let type: String
  }

  /// What an index key leads to.
  enum Target: Hashable, Sendable {
    case province(Int)
    case formerProvince(Int)
    case commune(Int)
    case formerDistrict(Int)
    case formerCommune(Int)

    /// Lower wins: provinces, former provinces, communes, former districts, former communes.
    var tier: Int {
      switch self {
      case .province: 0
      case .formerProvince: 1
      case .commune: 2
      case .formerDistrict: 3
      case .formerCommune: 4
      }
    }
  }

  /// One index entry: a target, the folded unit type it was indexed with (nil: any), and whether
  /// the key is an alias of today's province.
  struct Entry: Hashable, Sendable {
    let target: Target
    let type: String?
    let isAlias: Bool
  }

  let formerProvinces: [FormerProvince]
  let formerDistricts: [FormerDistrict]
  let formerCommunes: [FormerCommune]
  private var byName: [String: [Entry]] = [:]
  /// Former-name keys of old communes (no spaces, from legacy_communes.csv).
  private var byCompactName: [String: [Entry]] = [:]
  private let provinceByCode: [String: Int]
  private let communeByCode: [String: Int]
  private var formerProvinceByCode: [String: Int] = [:]
  private var formerProvinceByISO: [String: Int] = [:]
  private var formerDistrictByCode: [String: Int] = [:]
  private var formerCommuneByCode: [String: Int] = [:]
  /// For each of today's communes (by code), the former provinces and districts its former
  /// communes were in: "Chợ Đồn, Bắc Kạn" is the commune Chợ Đồn, which lies in the former
  /// province Bắc Kạn.
  private var communeOrigins: [String: (provinces: Set<String>, districts: Set<String>)] = [:]
  /// The most words an indexed name has (a phrase is searched for names of at most this many).
  private var longestName = 1

  /// Hand-written aliases of today's provinces (folded), beyond the `aliases` column of
  /// legacy_provinces.csv and the English names.
  static let aliases: [String: String] = [
    "hcm": "79", "hcmc": "79", "tphcm": "79", "tp hcm": "79", "sai gon": "79", "saigon": "79",
    "ho chi minh city": "79", "thanh pho ho chi minh": "79", "hn": "01", "ha noi city": "01",
    "thu do ha noi": "01", "hue city": "46", "thua thien hue": "46", "da nang city": "48",
    "can tho city": "92", "hai phong city": "31", "brvt": "79",
  ]

  /// Unit-type words at the start of a name (folded), longest first, and the type they mean.
  static let typeWords: [(words: [Substring], type: String)] = [
    (["thanh", "pho"], "thanh pho"), (["thi", "xa"], "thi xa"), (["thi", "tran"], "thi tran"),
    (["dac", "khu"], "dac khu"), (["tp"], "thanh pho"), (["tinh"], "tinh"), (["phuong"], "phuong"),
    (["xa"], "xa"), (["quan"], "quan"), (["huyen"], "huyen"), (["tx"], "thi xa"), (["tt"], "thi tran"),
    (["p"], "phuong"), (["q"], "quan"),
  ]

  /// Splits a leading unit type off a folded name: `"tp ho chi minh"` → (`"thanh pho"`, `"ho chi minh"`).
  static func splitType(_ folded: String) -> (type: String?, name: String) {
    let words = folded.split(separator: " ")
    for (typeWords, type) in typeWords where words.count > typeWords.count {
      if words.starts(with: typeWords) { return (type, words.dropFirst(typeWords.count).joined(separator: " ")) }
    }
    return (nil, folded)
  }

  /// Whether a unit type stated in a query fits a target whose own type is not known.
  static func fits(_ type: String, _ target: Target) -> Bool {
    switch target {
    case .province, .formerProvince: type == "tinh" || type == "thanh pho"
    case .commune, .formerCommune: ["phuong", "xa", "dac khu", "thi tran"].contains(type)
    case .formerDistrict: ["quan", "huyen", "thi xa", "thanh pho"].contains(type)
    }
  }

  /// The folded type key of a unit type as written in the data ("thành phố trực thuộc trung ương" → "thanh pho").
  static func typeKey(_ type: String) -> String {
    let folded = VietnameseText.fold(type)
    return folded.hasPrefix("thanh pho") ? "thanh pho" : folded
  }

  init(
    directory: URL, provinces: [Province], communes: [Commune], provinceIndex: [String: Int],
    communeIndex: [String: Int]
  ) throws(TaxonomyError) {
    // Former provinces.
    var formerProvinces: [FormerProvince] = []
    var provinceAliases: [(String, Int, Bool)] = []  // (alias, former index, same as today)
    try ResourceFiles.table("legacy_provinces.csv", in: directory).each("legacy_provinces.csv") {
      (row) throws(TaxonomyError) in
      let newCode = try row.code("new_province_code", digits: 2)
      guard provinceIndex[newCode] != nil else {
        throw TaxonomyError("line \(row.line): unknown new province \(newCode)", subject: "legacy_provinces.csv")
      }
      let unit = FormerUnit(
        level: .province, code: try row.code("old_code", digits: 2), name: try row["old_name_vi"], districtName: nil,
        provinceName: nil)
      let sameCode = try row["new_code_equals_old_code"] == "Y"
      let sameName = try row["new_name_equals_old_name"] == "Y"
      let sameAsToday = sameCode && sameName
      for alias in try row.list("aliases") { provinceAliases.append((alias, formerProvinces.count, sameAsToday)) }
      provinceAliases.append((try row["old_short_name_vi"], formerProvinces.count, false))
      formerProvinces.append(
        FormerProvince(
          unit: unit, newProvince: newCode, merged: try row["change"] == "merged", iso: try row["iso_3166_2_legacy"],
          type: Self.typeKey(try row["old_type_vi"])))
    }

    // Former districts.
    let provinceNames = Dictionary(
      formerProvinces.map { ($0.unit.code, $0.unit.name) }, uniquingKeysWith: { a, _ in a })
    var formerDistricts: [FormerDistrict] = []
    try ResourceFiles.table("legacy_districts.csv", in: directory).each("legacy_districts.csv") {
      (row) throws(TaxonomyError) in
      let oldProvince = try row.code("old_province_code", digits: 2)
      let oldProvinceName = try row["old_province_name_vi"]
      let newProvince = try row.code("new_province_code", digits: 2)
      guard provinceIndex[newProvince] != nil else {
        throw TaxonomyError("line \(row.line): unknown new province \(newProvince)", subject: "legacy_districts.csv")
      }
      formerDistricts.append(
        FormerDistrict(
          unit: FormerUnit(
            level: .district, code: try row.code("old_district_code", digits: 3), name: try row["old_district_name_vi"],
            districtName: nil, provinceName: provinceNames[oldProvince] ?? oldProvinceName),
          oldProvince: oldProvince, newProvince: newProvince,
          before2025: try row["record_status"] != "official_2025_conversion_table",
          type: Self.typeKey(try row["old_type_vi"])))
    }

    // Official notes of the old → new commune links.
    var linkNotes: [String: [String: String]] = [:]
    try ResourceFiles.table("legacy_commune_links.csv", in: directory).each("legacy_commune_links.csv") {
      (row) throws(TaxonomyError) in
      let note = try row["official_note"]
      if !note.isEmpty { linkNotes[try row["old_code"], default: [:]][try row["new_code"]] = note }
    }

    // Former communes.
    var formerCommunes: [FormerCommune] = []
    var compactKeys: [(String, Int)] = []
    try ResourceFiles.table("legacy_communes.csv", in: directory).each("legacy_communes.csv") {
      (row) throws(TaxonomyError) in
      let code = try row.code("old_code", digits: 5)
      let newProvince = try row.code("new_province_code", digits: 2)
      guard provinceIndex[newProvince] != nil else {
        throw TaxonomyError("line \(row.line): unknown new province \(newProvince)", subject: "legacy_communes.csv")
      }
      var successors = try row.list("new_commune_codes")
      for successor in successors where communeIndex[successor] == nil {
        throw TaxonomyError("line \(row.line): unknown new commune \(successor)", subject: "legacy_communes.csv")
      }
      let primary = try row["primary_new_code"]
      if let index = successors.firstIndex(of: primary), index > 0 {
        successors.remove(at: index)
        successors.insert(primary, at: 0)
      }
      let oldProvince = try row.code("old_province_code", digits: 2)
      let oldProvinceName = try row["old_province_name_vi"]
      let isSplit = try row["is_split"] == "Y"
      for key in try row.list("former_names_ascii_keys") { compactKeys.append((key, formerCommunes.count)) }
      formerCommunes.append(
        FormerCommune(
          unit: FormerUnit(
            level: .commune, code: code, name: try row["old_name_vi"], districtName: try row["old_district_name_vi"],
            provinceName: provinceNames[oldProvince] ?? oldProvinceName),
          oldDistrict: try row["old_district_code"], oldProvince: oldProvince, newProvince: newProvince,
          successors: successors, isSplit: isSplit && successors.count > 1,
          before2025: try row["record_status"] != "official_2025_conversion_table", notes: linkNotes[code] ?? [:],
          type: Self.typeKey(try row["old_type_vi"])))
    }

    self.provinceByCode = provinceIndex
    self.communeByCode = communeIndex
    self.formerProvinces = formerProvinces
    self.formerDistricts = formerDistricts
    self.formerCommunes = formerCommunes

    // The index.
    /// Indexes `name`. A name as written in the data ("Quận Ba Đình") loses its own unit type
    /// (`type`); an alias may carry any type word ("TP HCM"); a short name from the data is kept
    /// whole ("Quan Sơn" is not a quận).
    func add(_ name: String, _ target: Target, type: String?, alias: Bool = false, short: Bool = false) {
      var name = name
      if let parenthesis = name.firstIndex(of: "(") { name = String(name[..<parenthesis]) }  // "(tên đến …)"
      var key = VietnameseText.fold(name)
      var type = type
      if !short {
        let (stated, rest) = Self.splitType(key)
        if let stated, alias || stated == type {
          key = rest
          type = stated
        }
      }
      guard !key.isEmpty else { return }
      let entry = Entry(target: target, type: type, isAlias: alias)
      if !byName[key, default: []].contains(entry) { byName[key, default: []].append(entry) }
    }
    for (index, province) in provinces.enumerated() {
      let type = Self.typeKey(province.type)
      add(province.shortName, .province(index), type: type, short: true)
      add(province.englishName, .province(index), type: nil, alias: true, short: true)
    }
    for (alias, code) in Self.aliases {
      if let index = provinceIndex[code] { add(alias, .province(index), type: nil, alias: true) }
    }
    for (alias, former, sameAsToday) in provinceAliases {
      if sameAsToday, let index = provinceIndex[formerProvinces[former].newProvince] {
        add(alias, .province(index), type: nil, alias: true)
      } else {
        add(alias, .formerProvince(former), type: sameAsToday ? nil : formerProvinces[former].type)
      }
    }
    for (index, former) in formerProvinces.enumerated() {
      add(former.unit.name, .formerProvince(index), type: former.type)
      formerProvinceByCode[former.unit.code] = index
      formerProvinceByISO[VietnameseText.fold(former.iso)] = index
    }
    for (index, commune) in communes.enumerated() {
      add(commune.shortName, .commune(index), type: Self.typeKey(commune.kind.vietnamese), short: true)
    }
    for (index, former) in formerDistricts.enumerated() {
      add(former.unit.name, .formerDistrict(index), type: former.type)
      formerDistrictByCode[former.unit.code] = index
    }
    for (index, former) in formerCommunes.enumerated() {
      add(former.unit.name, .formerCommune(index), type: former.type)
      formerCommuneByCode[former.unit.code] = index
      for successor in former.successors {
        communeOrigins[successor, default: ([], [])].provinces.insert(former.oldProvince)
        communeOrigins[successor, default: ([], [])].districts.insert(former.oldDistrict)
      }
    }
    longestName = min(8, byName.keys.map { $0.utf8.count(where: { $0 == 0x20 }) + 1 }.max() ?? 1)
    for (key, index) in compactKeys {
      let entry = Entry(target: .formerCommune(index), type: nil, isAlias: false)
      let folded = VietnameseText.fold(key).replacingOccurrences(of: " ", with: "")
      if !byCompactName[folded, default: []].contains(entry) { byCompactName[folded, default: []].append(entry) }
    }
  }

  // MARK: Resolving

  func resolve(_ text: String, gazetteer: Gazetteer) -> Resolution {
    let parts = text.split(separator: ",").map { VietnameseText.fold(String($0)) }.filter { !$0.isEmpty }
    guard let head = parts.first else { return .notFound }
    var entries = lookup(head)
    for context in parts.dropFirst() {
      guard let scope = scope(of: context, gazetteer: gazetteer) else { return .notFound }
      entries = narrow(entries, to: scope, gazetteer: gazetteer)
    }
    guard let tier = entries.map(\.target.tier).min() else { return .notFound }
    let isCode = head.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    entries = entries.filter { $0.target.tier == tier }
    if entries.count > 1, let written = text.split(separator: ",").first,
      written.unicodeScalars.contains(where: { $0.value > 0x7F })
    {
      // Written with diacritics: "Tân Thành" means Tân Thành, not also Tân Thanh and Tân Thạnh.
      let wanted = Self.nameWithMarks(String(written))
      let exact = entries.filter { nameWithMarks(of: $0.target, gazetteer: gazetteer) == wanted }
      if !exact.isEmpty { entries = exact }
    }
    var matches: [LocalityMatch] = []
    for entry in entries where entry.target.tier == tier {
      for match in self.matches(entry, code: isCode, gazetteer: gazetteer)
      where !matches.contains(where: { $0.province.code == match.province.code && $0.commune == match.commune }) {
        matches.append(match)
      }
    }
    if matches.count == 1 { return .resolved(matches[0]) }
    return matches.isEmpty ? .notFound : .ambiguous(matches)
  }

  /// The place names a phrase holds, folded, in the order they appear: from left to right, the
  /// longest run of whole words (at most `longestName`) that is an indexed name, then on after
  /// it. A run of one word counts only when it is the whole phrase (a one-word name inside a
  /// phrase is too often an ordinary word); words of digits are never names. Linear in the
  /// phrase's words.
  func names(in phrase: String) -> [String] {
    let words = VietnameseText.fold(phrase).split(separator: " ")
    if words.count == 1 { return byName[String(words[0])] == nil ? [] : [String(words[0])] }
    var found: [String] = []
    var start = 0
    while start < words.count {
      var matched = 0
      if !words[start].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
        for length in stride(from: min(longestName, words.count - start), through: 2, by: -1) {
          let candidate = words[start..<start + length]
          guard !candidate.contains(where: { $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }) else { continue }
          let key = candidate.joined(separator: " ")
          if byName[key] != nil {
            found.append(key)
            matched = length
            break
          }
        }
      }
      start += max(matched, 1)
    }
    return found
  }

  /// A name with its diacritics (``VietnameseText/foldKeepingMarks(_:)``), without a leading unit type.
  static func nameWithMarks(_ name: String) -> String {
    let marked = VietnameseText.foldKeepingMarks(name)
    let words = marked.split(separator: " ")
    let typeWords = words.count - splitType(VietnameseText.fold(name)).name.split(separator: " ").count
    return words.dropFirst(max(typeWords, 0)).joined(separator: " ")
  }

  /// The name of a target with its diacritics, without its unit type.
  private func nameWithMarks(of target: Target, gazetteer: Gazetteer) -> String {
    switch target {
    case .province(let index): VietnameseText.foldKeepingMarks(gazetteer.provinces[index].shortName)
    case .commune(let index): VietnameseText.foldKeepingMarks(gazetteer.communes[index].shortName)
    case .formerProvince(let index): Self.nameWithMarks(formerProvinces[index].unit.name)
    case .formerDistrict(let index): Self.nameWithMarks(formerDistricts[index].unit.name)
    case .formerCommune(let index): Self.nameWithMarks(formerCommunes[index].unit.name)
    }
  }

  /// A commune's kind as a match explains it.
  static func kindName(_ kind: Commune.Kind) -> String {
    switch kind {
    case .ward: "ward"
    case .commune: "commune"
    case .specialZone: "special zone"
    }
  }

  /// What ``resolve(_:gazetteer:)`` answers for the code of one of today's provinces (2 digits)
  /// or communes (5 digits), read from the gazetteer's tables alone; nil for any other text. A
  /// command given a code need not build this index (a tenth of a second).
  static func currentUnit(code: String, gazetteer: Gazetteer) -> LocalityMatch? {
    guard code.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    switch code.utf8.count {
    case 2:
      return gazetteer.province(code: code).map {
        LocalityMatch(
          province: $0, commune: nil, route: .code, former: nil, isPrimary: nil, officialNote: nil,
          explanation: "province code")
      }
    case 5:
      guard let commune = gazetteer.commune(code: code), let province = gazetteer.province(code: commune.provinceCode)
      else { return nil }
      return LocalityMatch(
        province: province, commune: commune, route: .code, former: nil, isPrimary: nil, officialNote: nil,
        explanation: "\(kindName(commune.kind)) code")
    default:
      return nil
    }
  }

  /// Entries for a folded name or code, every level.
  private func lookup(_ folded: String) -> [Entry] {
    if folded.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
      let codeEntries = lookup(code: folded)
      if !codeEntries.isEmpty { return codeEntries }
    }
    if folded.hasPrefix("vn "), let index = formerProvinceByISO[folded] {
      return [Entry(target: .formerProvince(index), type: nil, isAlias: false)]
    }
    let (type, name) = Self.splitType(folded)
    var found: [Entry] = []
    if let type {
      found = (byName[name] ?? []).filter { $0.type == type || ($0.type == nil && Self.fits(type, $0.target)) }
      // A unit whose own name starts with a type word.
      found += (byName[folded] ?? []).filter { !found.contains($0) }
      // The type was wrong (a xã that became a phường, "Tỉnh Hà Nội"): ignore it.
      if found.isEmpty { found = byName[name] ?? [] }
    } else {
      found = byName[folded] ?? []
    }
    if found.isEmpty { found = byCompactName[folded.replacingOccurrences(of: " ", with: "")] ?? [] }
    return found
  }

  private func lookup(code: String) -> [Entry] {
    switch code.utf8.count {
    case 2:
      if let index = provinceByCode[code] { return [Entry(target: .province(index), type: nil, isAlias: false)] }
      if let index = formerProvinceByCode[code] {
        return [Entry(target: .formerProvince(index), type: nil, isAlias: false)]
      }
    case 3:
      if let index = formerDistrictByCode[code] {
        return [Entry(target: .formerDistrict(index), type: nil, isAlias: false)]
      }
    case 5:
      if let index = communeByCode[code] { return [Entry(target: .commune(index), type: nil, isAlias: false)] }
      if let index = formerCommuneByCode[code] {
        return [Entry(target: .formerCommune(index), type: nil, isAlias: false)]
      }
    default: break
    }
    return []
  }

  /// What a context part ("…, Hà Nội") stands for: today's provinces, and the former provinces or
  /// districts it names; nil when it names nothing at province or district level.
  private struct Scope {
    var provinces: Set<String> = []
    var formerProvinces: Set<String> = []
    var formerDistricts: Set<String> = []
  }

  private func scope(of folded: String, gazetteer: Gazetteer) -> Scope? {
    let entries = lookup(folded).filter {
      switch $0.target {
      case .province, .formerProvince, .formerDistrict: true
      case .commune, .formerCommune: false
      }
    }
    guard let tier = entries.map(\.target.tier).min() else { return nil }
    var scope = Scope()
    for entry in entries where entry.target.tier == tier {
      scope.provinces.insert(province(of: entry.target, gazetteer: gazetteer))
      switch entry.target {
      case .formerProvince(let index): scope.formerProvinces.insert(formerProvinces[index].unit.code)
      case .formerDistrict(let index): scope.formerDistricts.insert(formerDistricts[index].unit.code)
      case .province, .commune, .formerCommune: break
      }
    }
    return scope
  }

  /// Keeps the entries inside `scope`; where the scope names former units and some entries are
  /// inside them (former units, or today's communes made of their former communes), keeps only
  /// those.
  private func narrow(_ entries: [Entry], to scope: Scope, gazetteer: Gazetteer) -> [Entry] {
    let inside = entries.filter { scope.provinces.contains(province(of: $0.target, gazetteer: gazetteer)) }
    guard !scope.formerProvinces.isEmpty || !scope.formerDistricts.isEmpty else { return inside }
    let precise = inside.filter {
      switch $0.target {
      case .formerDistrict(let index):
        scope.formerProvinces.contains(formerDistricts[index].oldProvince)
      case .formerCommune(let index):
        scope.formerProvinces.contains(formerCommunes[index].oldProvince)
          || scope.formerDistricts.contains(formerCommunes[index].oldDistrict)
      case .commune(let index):
        communeOrigins[gazetteer.communes[index].code].map {
          !$0.provinces.isDisjoint(with: scope.formerProvinces) || !$0.districts.isDisjoint(with: scope.formerDistricts)
        } ?? false
      case .province, .formerProvince:
        false
      }
    }
    return precise.isEmpty ? inside : precise
  }

  /// Today's province code of an entry's target.
  private func province(of target: Target, gazetteer: Gazetteer) -> String {
    switch target {
    case .province(let index): gazetteer.provinces[index].code
    case .formerProvince(let index): formerProvinces[index].newProvince
    case .commune(let index): gazetteer.communes[index].provinceCode
    case .formerDistrict(let index): formerDistricts[index].newProvince
    case .formerCommune(let index): formerCommunes[index].newProvince
    }
  }

  /// The units of today's map an entry leads to, with how.
  private func matches(_ entry: Entry, code: Bool, gazetteer: Gazetteer) -> [LocalityMatch] {
    func make(
      _ provinceCode: String, _ commune: Commune?, _ route: LocalityMatch.Route, _ explanation: String,
      former: FormerUnit? = nil, primary: Bool? = nil, note: String? = nil
    ) -> LocalityMatch {
      LocalityMatch(
        province: gazetteer.province(code: provinceCode)!, commune: commune, route: route, former: former,
        isPrimary: primary, officialNote: note, explanation: explanation)
    }
    switch entry.target {
    case .province(let index):
      let route: LocalityMatch.Route = code ? .code : entry.isAlias ? .alias : .name
      let explanation = code ? "province code" : entry.isAlias ? "alias" : "province"
      return [make(gazetteer.provinces[index].code, nil, route, explanation)]
    case .commune(let index):
      let commune = gazetteer.communes[index]
      let kind = Self.kindName(commune.kind)
      return [make(commune.provinceCode, commune, code ? .code : .name, code ? "\(kind) code" : kind)]
    case .formerProvince(let index):
      let former = formerProvinces[index]
      let explanation = former.merged ? "former province, merged 2025" : "former province, unchanged 2025"
      return [make(former.newProvince, nil, .formerProvince, explanation, former: former.unit)]
    case .formerDistrict(let index):
      let former = formerDistricts[index]
      let explanation = former.before2025 ? "former district, abolished before 2025" : "former district, abolished 2025"
      return [make(former.newProvince, nil, .formerDistrict, explanation, former: former.unit)]
    case .formerCommune(let index):
      let former = formerCommunes[index]
      guard !former.successors.isEmpty else {
        return [
          make(
            former.newProvince, nil, .formerCommune, "former commune, abolished before 2025, successor unknown",
            former: former.unit)
        ]
      }
      return former.successors.enumerated().map { position, code in
        let note = former.notes[code]
        let explanation: String
        if former.before2025 {
          explanation = "former commune, abolished before 2025, approximate successor"
        } else if former.isSplit {
          explanation = "former commune, split 2025"
        } else {
          switch note {
          case "Giữ nguyên": explanation = "former commune, unchanged 2025"
          case "Đổi tên": explanation = "former commune, renamed 2025"
          case "Đổi loại hình": explanation = "former commune, type changed 2025"
          default: explanation = "former commune, merged 2025"
          }
        }
        return make(
          former.newProvince, gazetteer.commune(code: code), .formerCommune, explanation, former: former.unit,
          primary: former.isSplit ? position == 0 : nil, note: note)
      }
    }
  }
}
