public import Catalog
import Taxonomy

/// An asset as `show --json` and `list --json` print it. The key names are shared with the sync
/// bundle records; absent values are omitted, never invented. Its ``MediaFacts`` are the catalog
/// row's; both parts read as the record's own properties (`record.kind`, `record.title`).
@dynamicMemberLookup
public struct AssetRecord: Codable, Equatable, Sendable {
  public struct Camera: Codable, Equatable, Sendable {
    public var make: String?
    public var model: String?
    /// Where they were read: `exif`, `xmp` or `container` (a video's tags).
    public var source: String?
  }

  public struct GPS: Codable, Equatable, Sendable {
    public var latitude: Double
    public var longitude: Double
    public var altitude: Double?
    /// Where the position was read: `exif`, `xmp` or `container` (a video's tags).
    public var source: String?
  }

  public struct Exposure: Codable, Equatable, Sendable {
    public var exposureTime: String?
    public var fNumber: Double?
    public var iso: Int?
    public var focalLength: Double?
  }

  public struct Rights: Codable, Equatable, Sendable {
    public var copyright: String?
    public var license: String?
    public var usageTerms: String?
  }

  public struct Location: Codable, Equatable, Sendable {
    public var city: String?
    public var state: String?
    public var sublocation: String?
  }

  public struct Provenance: Codable, Equatable, Sendable {
    public var addedAt: String
    public var path: String
    public var `operator`: String
    /// The import batch, when the file arrived by `import`.
    public var batch: Int64?
    /// The folders between the import root and the file.
    public var folder: String?
  }

  /// What the asset's folders suggest, for tagging and review; never taken as fact.
  public struct Hints: Codable, Equatable, Sendable {
    /// The folder paths the asset was imported from (`Du lịch/Hồ Núi Cốc/2023`).
    public var folders: [String]?
    /// A year named by a folder (1900–2099), when the file gives no capture date.
    public var capturedYear: Int?
  }

  /// A value from the file that an explicit value (or a more trusted embedded source) hides.
  public struct Overridden: Codable, Equatable, Sendable {
    public var field: String
    public var language: String
    public var value: String
    public var source: String
  }

  /// An image pillar tag.
  public struct Pillar: Codable, Equatable, Sendable {
    public var code: String
    public var source: String
    /// False for a suggestion (from folder names or text) until someone confirms it.
    public var confirmed: Bool
    /// For a bank's local sub-pillar, the national pillar it rolls up to.
    public var parent: String?
  }

  /// A language tag.
  public struct Language: Codable, Equatable, Sendable {
    /// A BCP 47 tag.
    public var tag: String
    public var source: String
    public var confirmed: Bool
  }

  /// Where the asset is, from its most trusted locality tag: explicit > csv > sidecar >
  /// embedded > gps > path > bank-default.
  public struct Locality: Codable, Equatable, Sendable {
    /// Today's 2-digit province code.
    public var province: String
    /// Today's 5-digit commune code, when known.
    public var commune: String?
    public var source: String
    public var confirmed: Bool
    /// What was stated, when it was resolved from a name (`Bắc Kạn → 19 Tỉnh Thái Nguyên …`). When
    /// the stated place is a province and the GPS position lies in it, the GPS's commune is the
    /// locality (`source` `gps`) and this keeps what was stated.
    public var stated: String?
    /// A disagreement between the stated place and the GPS position.
    public var conflict: String?
  }

  /// Another story of the asset's translation group.
  public struct Translation: Codable, Equatable, Sendable {
    public var id: String
    /// Its language tags.
    public var languages: [String]
  }

  /// What people, files and banks say about the asset, and where it has been.
  public struct Details: Codable, Equatable, Sendable {
    /// The story this story translates.
    public var translationOf: String?
    /// The other stories of its translation group, with their languages. Shown by `show` and
    /// `list`; not carried in sync bundles: the groups follow from the records' `translationOf`.
    public var translations: [Translation]?
    public var camera: Camera?
    public var gps: GPS?
    public var exposure: Exposure?
    public var title: [String: String]?
    public var description: [String: String]?
    public var keywords: [String]?
    public var creator: String?
    public var credit: String?
    public var rights: Rights?
    public var location: Location?
    public var pillars: [Pillar]?
    public var languages: [Language]?
    public var locality: Locality?
    public var hints: Hints?
    public var originalNames: [String]
    public var provenance: [Provenance]
    public var thumbnail: String?
    public var addedAt: String
    /// Where each shown descriptive value came from: `title.vi` → `explicit`, `creator` → `xmp`.
    public var sources: [String: String]?
    public var overridden: [Overridden]?
    /// Problems met while reading the file's metadata.
    public var metadataIssues: [String]?
    /// Set when the bank withdrew the asset from what it shares (`mediabank retract`).
    public var retraction: Retraction?
    /// On the national bank: the province whose record this is, as it sent it.
    public var sourceBank: String?
    /// On the national bank: when that record was received.
    public var receivedAt: String?

    init(addedAt: String) {
      self.addedAt = addedAt
      originalNames = []
      provenance = []
    }
  }

  public var facts: MediaFacts
  public var details: Details

  public subscript<Value>(dynamicMember path: WritableKeyPath<MediaFacts, Value>) -> Value {
    get { facts[keyPath: path] }
    set { facts[keyPath: path] = newValue }
  }

  public subscript<Value>(dynamicMember path: WritableKeyPath<Details, Value>) -> Value {
    get { details[keyPath: path] }
    set { details[keyPath: path] = newValue }
  }

  /// Both parts are keys of the one JSON object.
  public init(from decoder: any Decoder) throws {
    facts = try MediaFacts(from: decoder)
    details = try Details(from: decoder)
  }

  public func encode(to encoder: any Encoder) throws {
    try facts.encode(to: encoder)
    try details.encode(to: encoder)
  }

  /// Why and when an asset was withdrawn.
  public struct Retraction: Codable, Equatable, Sendable {
    public var reason: String
    public var retractedAt: String
  }

  /// The text of the best language of a language map (a title, a description): Vietnamese,
  /// undetermined, English, else the first by tag.
  public static func bestText(_ map: [String: String]?) -> String? {
    guard let map else { return nil }
    return map["vi"] ?? map["und"] ?? map["en"] ?? map.min(by: { $0.key < $1.key })?.value
  }

  /// The year a folder path names, the deepest folder first: a word of four digits from 1900 to
  /// 2099 in a folder's name (`2019`, `2019 - Lễ hội Lồng Tồng`, `Tết 2020`, `2019.06.27`).
  static func year(inFolder folder: String) -> Int? {
    for component in folder.split(separator: "/").reversed() {
      let words = component.split(whereSeparator: { !$0.isASCII || !$0.isNumber })
      if let year = words.lazy.filter({ $0.count == 4 }).compactMap({ Int($0) }).first(where: {
        (1900...2099).contains($0)
      }) {
        return year
      }
    }
    return nil
  }

  /// The order in which locality sources are trusted, most trusted first.
  static let localityPrecedence = ["explicit", "csv", "sidecar", "embedded", "gps", "path", "bank-default"]

  /// The asset's locality among its locality `tags`: the tag of the most trusted source.
  static func locality(_ tags: [TagRow]) -> Locality? {
    let ranked = tags.sorted {
      (localityPrecedence.firstIndex(of: $0.source) ?? 99, -$0.value.count)
        < (localityPrecedence.firstIndex(of: $1.source) ?? 99, -$1.value.count)
    }
    guard var best = ranked.first else { return nil }
    // A commune's province from the gazetteer (codes in tags come from it); never an empty code.
    func provinceOf(_ code: String) -> String? {
      code.count == 2 ? code : (try? Gazetteer.shared())?.commune(code: code)?.provinceCode
    }
    guard let province = provinceOf(best.value) else { return nil }
    // A stated province that the GPS position agrees with: the GPS's commune is more precise.
    var stated = best.source == "path" || best.source == "gps" ? nil : best.note
    if best.value.count == 2, best.source != "path", best.source != "bank-default",
      let gps = tags.first(where: { $0.source == "gps" && $0.value.count == 5 }), provinceOf(gps.value) == province
    {
      stated = stated ?? best.value
      best = gps
    }
    let conflict = tags.first { $0.source == "gps" && $0.note != nil && best.source != "gps" }?.note
    return Locality(
      province: province, commune: best.value.count == 5 ? best.value : nil, source: best.source,
      confirmed: best.confirmed, stated: stated, conflict: conflict)
  }

  /// The order in which sources are trusted, most trusted first.
  static let precedence = TextRow.precedence

  /// The record of a catalog entry; `parents` maps the codes of the bank's local sub-pillars to
  /// their national pillars.
  init(_ entry: CatalogEntry, parents: [String: String] = [:]) {
    let asset = entry.asset
    facts = asset.facts
    if asset.capturedAt == nil { facts.capturedAtSource = nil }
    details = Details(addedAt: asset.addedAt)
    details.translationOf = entry.translationOf
    if !entry.translations.isEmpty {
      details.translations = entry.translations.map { Translation(id: $0.id, languages: $0.languages) }
    }
    if asset.cameraMake != nil || asset.cameraModel != nil {
      details.camera = Camera(make: asset.cameraMake, model: asset.cameraModel, source: asset.cameraSource)
    }
    if let latitude = asset.gpsLatitude, let longitude = asset.gpsLongitude {
      details.gps = GPS(latitude: latitude, longitude: longitude, altitude: asset.gpsAltitude, source: asset.gpsSource)
    }
    let exposure = Exposure(
      exposureTime: asset.exposureTime, fNumber: asset.fNumber, iso: asset.iso,
      focalLength: asset.focalLength)
    if exposure != Exposure(exposureTime: nil, fNumber: nil, iso: nil, focalLength: nil) { details.exposure = exposure }
    details.thumbnail = asset.thumbnailId
    details.provenance = entry.provenance.map {
      Provenance(
        addedAt: $0.addedAt, path: $0.originalPath, operator: $0.operator, batch: $0.batchId, folder: $0.folder)
    }
    var folders: [String] = []
    for row in entry.provenance { if let folder = row.folder, !folders.contains(folder) { folders.append(folder) } }
    let year =
      asset.capturedAt == nil && asset.capturedAtExplicit == nil
      ? folders.lazy.compactMap(Self.year(inFolder:)).first : nil
    if !folders.isEmpty || year != nil {
      details.hints = Hints(folders: folders.isEmpty ? nil : folders, capturedYear: year)
    }
    var names: [String] = []
    for row in entry.provenance where !names.contains(row.originalName) {
      names.append(row.originalName)
    }
    details.originalNames = names
    let pillarTags = entry.tags.filter { $0.facet == "pillar" }
    if !pillarTags.isEmpty {
      details.pillars = pillarTags.map {
        Pillar(code: $0.value, source: $0.source, confirmed: $0.confirmed, parent: parents[$0.value])
      }
    }
    let languageTags = entry.tags.filter { $0.facet == "language" }
    if !languageTags.isEmpty {
      details.languages = languageTags.map { Language(tag: $0.value, source: $0.source, confirmed: $0.confirmed) }
    }
    details.locality = Self.locality(entry.tags.filter { $0.facet == "locality" })
    if !entry.issues.isEmpty { details.metadataIssues = entry.issues.sorted() }
    details.retraction = entry.retraction.map { Retraction(reason: $0.reason, retractedAt: $0.at) }

    var resolver = TextResolver(entry.texts)
    details.title = resolver.languageMap("title")
    details.description = resolver.languageMap("description")
    details.keywords = resolver.union("keyword")
    details.creator = resolver.single("creator", joining: "; ")
    details.credit = resolver.single("credit")
    let rights = Rights(
      copyright: resolver.single("copyright"), license: resolver.single("license"),
      usageTerms: resolver.single("usageTerms"))
    if rights != Rights(copyright: nil, license: nil, usageTerms: nil) { details.rights = rights }
    let location = Location(
      city: resolver.single("city"), state: resolver.single("state"),
      sublocation: resolver.single("location"))
    if location != Location(city: nil, state: nil, sublocation: nil) { details.location = location }
    var sources = resolver.sources
    var overridden = resolver.overridden
    if let explicit = asset.capturedAtExplicit {
      facts.capturedAt = explicit
      facts.capturedAtSource = "explicit"
      sources["capturedAt"] = "explicit"
      if let file = asset.capturedAt, file != explicit {
        overridden.append(Overridden(field: "capturedAt", language: "und", value: file, source: "file"))
      }
    }
    details.sources = sources.isEmpty ? nil : sources
    details.overridden = overridden.isEmpty ? nil : overridden
  }
}

/// Chooses, for each field, the values of the most trusted source, and remembers the rest.
private struct TextResolver {
  private let texts: [TextRow]
  private(set) var sources: [String: String] = [:]
  private(set) var overridden: [AssetRecord.Overridden] = []

  init(_ texts: [TextRow]) {
    self.texts = texts.sorted {
      (Self.rank($0.source), $0.position) < (Self.rank($1.source), $1.position)
    }
  }

  /// One text per language, from the most trusted source for that language. An `und` text equal
  /// to a text in a known language is dropped as a duplicate.
  mutating func languageMap(_ field: String) -> [String: String]? {
    let rows = texts.filter { $0.field == field }
    var result: [String: String] = [:]
    for row in rows {
      if let chosen = result[row.language] {
        if chosen != row.value { hide(row) }
        continue
      }
      result[row.language] = row.value
      sources["\(field).\(row.language)"] = row.source
    }
    if let unknown = result["und"], result.contains(where: { $0.key != "und" && $0.value == unknown }) {
      result["und"] = nil
      sources["\(field).und"] = nil
    }
    return result.isEmpty ? nil : result
  }

  /// The values of the most trusted source (several joined by `separator`), preferring `und`.
  mutating func single(_ field: String, joining separator: String? = nil) -> String? {
    let rows = texts.filter { $0.field == field }
    guard let best = rows.first else { return nil }
    let chosen = rows.filter { $0.source == best.source }
    let value: String
    if let separator {
      value = chosen.map(\.value).joined(separator: separator)
    } else {
      value = (chosen.first { $0.language == "und" } ?? best).value
    }
    sources[field] = best.source
    for row in rows where row.source != best.source && !value.contains(row.value) { hide(row) }
    return value
  }

  /// Every distinct value, most trusted source first.
  mutating func union(_ field: String) -> [String]? {
    var result: [String] = []
    for row in texts where row.field == field && !result.contains(row.value) {
      result.append(row.value)
    }
    return result.isEmpty ? nil : result
  }

  private mutating func hide(_ row: TextRow) {
    overridden.append(
      AssetRecord.Overridden(
        field: row.field, language: row.language, value: row.value, source: row.source))
  }

  private static func rank(_ source: String) -> Int {
    AssetRecord.precedence.firstIndex(of: source) ?? AssetRecord.precedence.count
  }
}
