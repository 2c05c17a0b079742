public import Foundation

/// One row of `asset`: the facts about one stored piece of content (``MediaFacts``, read as if
/// they were this row's own properties: `row.kind`) and the columns only the catalog keeps.
@dynamicMemberLookup
public struct AssetRow: Codable, Equatable, Sendable {
  /// The columns the record shows in another shape (camera, GPS and exposure are groups there)
  /// or not at all.
  public struct Columns: Codable, Equatable, Sendable {
    public var cameraMake: String?
    public var cameraModel: String?
    /// Where the camera's make and model came from: `exif`, `xmp`, `container`.
    public var cameraSource: String?
    public var gpsLatitude: Double?
    public var gpsLongitude: Double?
    public var gpsAltitude: Double?
    /// Where the GPS position came from: `exif`, `xmp`, `container`.
    public var gpsSource: String?
    public var exposureTime: String?
    public var fNumber: Double?
    public var iso: Int?
    public var focalLength: Double?
    /// The object id of the preview.
    public var thumbnailId: String?
    public var addedAt: String
    /// Grows with every change to the asset's texts, tags, provenance or retraction (catalog
    /// triggers keep it); a new asset starts at 1.
    public var revision: Int = 1
    /// The capture time a person set (`mediabank edit --captured-at`); `capturedAt` stays what
    /// the file says.
    public var capturedAtExplicit: String?
  }

  public var facts: MediaFacts
  public var columns: Columns

  public subscript<Value>(dynamicMember path: WritableKeyPath<MediaFacts, Value>) -> Value {
    get { facts[keyPath: path] }
    set { facts[keyPath: path] = newValue }
  }

  public subscript<Value>(dynamicMember path: WritableKeyPath<Columns, Value>) -> Value {
    get { columns[keyPath: path] }
    set { columns[keyPath: path] = newValue }
  }

  /// Both parts are columns of the one row.
  public init(from decoder: any Decoder) throws {
    facts = try MediaFacts(from: decoder)
    columns = try Columns(from: decoder)
  }

  public func encode(to encoder: any Encoder) throws {
    try facts.encode(to: encoder)
    try columns.encode(to: encoder)
  }

  /// Creates a row; every optional fact defaults to absent.
  public init(
    id: String, kind: String, mediaType: String, byteSize: Int64, addedAt: String,
    width: Int? = nil, height: Int? = nil, orientation: Int? = nil, capturedAt: String? = nil,
    cameraMake: String? = nil, cameraModel: String? = nil, gpsLatitude: Double? = nil,
    gpsLongitude: Double? = nil, gpsAltitude: Double? = nil, exposureTime: String? = nil,
    fNumber: Double? = nil, iso: Int? = nil, focalLength: Double? = nil,
    thumbnailId: String? = nil
  ) {
    facts = MediaFacts(id: id, kind: kind, mediaType: mediaType, byteSize: byteSize)
    facts.width = width
    facts.height = height
    facts.orientation = orientation
    facts.capturedAt = capturedAt
    columns = Columns(
      cameraMake: cameraMake, cameraModel: cameraModel, gpsLatitude: gpsLatitude, gpsLongitude: gpsLongitude,
      gpsAltitude: gpsAltitude, exposureTime: exposureTime, fNumber: fNumber, iso: iso, focalLength: focalLength,
      thumbnailId: thumbnailId, addedAt: addedAt)
  }
}

/// One descriptive value of an asset (a title in one language, one keyword, the creator…) and
/// where it came from.
public struct TextRow: Codable, Equatable, Sendable {
  public var assetId: String
  /// `title`, `description`, `keyword`, `creator`, `copyright`, `license`, `usageTerms`,
  /// `credit`, `city`, `state` or `location`.
  public var field: String
  /// A BCP 47 tag, `und` when unknown.
  public var language: String
  /// Order among values of the same field, language and source (keywords, several creators).
  public var position: Int
  public var value: String
  /// `explicit` (given by the user), `csv` (a folder's `metadata.csv`), `sidecar` (an XMP
  /// sidecar file), `xmp`, `iptc`, `exif` or `png` (read from the file).
  public var source: String

  public init(
    assetId: String, field: String, language: String, position: Int, value: String,
    source: String
  ) {
    self.assetId = assetId
    self.field = field
    self.language = language
    self.position = position
    self.value = value
    self.source = source
  }
}

/// One arrival of an asset's bytes in the bank: when, from which file, by whom.
public struct ProvenanceRow: Codable, Equatable, Sendable {
  public var id: Int64?
  public var assetId: String
  public var addedAt: String
  public var originalPath: String
  public var originalName: String
  public var `operator`: String
  /// The import batch this arrival belongs to; nil for `add`.
  public var batchId: Int64?
  /// The folders between the import root and the file (`Du lịch/Hồ Núi Cốc/2023`), a hint for
  /// tagging and for the capture year; nil for `add` and for files at the root.
  public var folder: String?

  public init(
    assetId: String, addedAt: String, originalPath: String, originalName: String,
    operator: String, batchId: Int64? = nil, folder: String? = nil
  ) {
    self.assetId = assetId
    self.addedAt = addedAt
    self.originalPath = originalPath
    self.originalName = originalName
    self.operator = `operator`
    self.batchId = batchId
    self.folder = folder
  }
}

/// One arrival of a file's content, as `Catalog.record(_:batch:)` stores it.
public struct Arrival: Sendable {
  /// The asset's row; needed only when the asset is new (it is ignored otherwise).
  public var asset: AssetRow?
  /// Values read from the file's bytes (`xmp`, `iptc`, `exif`, `png`): stored with a new asset.
  public var fileTexts: [TextRow]
  /// Values given with this arrival (`explicit`, `csv`, `sidecar`): they replace earlier values
  /// of the same field, language and source.
  public var givenTexts: [TextRow]
  /// Problems met while reading the file (stored with a new asset).
  public var issues: [String]
  public var tags: [TagRow]
  public var provenance: ProvenanceRow
  /// The file-cache entry of an import, so that the unchanged file is not read again.
  public var cache: CacheRow?
  /// Sources whose earlier values this arrival replaces entirely (an import's `csv` and
  /// `sidecar`: a value removed from the sidecar is removed from the catalog).
  public var replacesSources: Set<String>
  /// Bytes of the file read, for the batch's counts.
  public var byteSize: Int64
  /// A story's text, stored with a new asset (searched, never shown whole).
  public var body: String?
  /// The story this arrival's story translates: it replaces an earlier link. A new story's
  /// `document` link may name a story by an id prefix; it is linked as soon as exactly one story
  /// of the bank has an id that starts so (in this transaction, or in a later one).
  public var translation: TranslationRow?

  public init(
    asset: AssetRow?, fileTexts: [TextRow] = [], givenTexts: [TextRow] = [], issues: [String] = [],
    tags: [TagRow] = [], provenance: ProvenanceRow, cache: CacheRow? = nil, replacesSources: Set<String> = [],
    byteSize: Int64 = 0, body: String? = nil, translation: TranslationRow? = nil
  ) {
    self.body = body
    self.translation = translation
    self.replacesSources = replacesSources
    self.byteSize = byteSize
    self.asset = asset
    self.fileTexts = fileTexts
    self.givenTexts = givenTexts
    self.issues = issues
    self.tags = tags
    self.provenance = provenance
    self.cache = cache
  }
}

/// What an import remembers of a file it stored, like git's index: when the path, size,
/// modification time and inode still match, the file is not read again.
public struct CacheRow: Codable, Equatable, Sendable {
  /// The absolute path, as the raw bytes the file system gave (not always UTF-8).
  public var path: Data
  public var size: Int64
  /// Modification time in nanoseconds since 1970.
  public var mtimeNs: Int64
  public var inode: Int64
  /// A digest of what was given with the file (sidecar, `metadata.csv` row, command-line
  /// values): when that changes, the file is imported again even if its bytes did not.
  public var givenDigest: String
  public var assetId: String
  public var batchId: Int64?

  public init(
    path: Data, size: Int64, mtimeNs: Int64, inode: Int64, givenDigest: String, assetId: String, batchId: Int64?
  ) {
    self.givenDigest = givenDigest
    self.path = path
    self.size = size
    self.mtimeNs = mtimeNs
    self.inode = inode
    self.assetId = assetId
    self.batchId = batchId
  }
}

/// A pillar, language or locality tag with its source.
public struct TagRow: Codable, Equatable, Sendable {
  public var assetId: String
  /// `pillar`, `language` or `locality`.
  public var facet: String
  public var value: String
  /// `explicit`, `csv`, `sidecar`, `embedded` (XMP or IPTC in the file), `gps`, `path` (folder
  /// names), `text` (inferred from titles and keywords) or `bank-default`.
  public var source: String
  /// False for a suggestion (`path`, `text`, `bank-default`) until someone confirms it.
  public var confirmed: Bool
  /// What was stated, when the tag was resolved from a name (`Bắc Kạn`), or a conflict.
  public var note: String?
  public var addedAt: String
  /// The import batch that set it, so that undoing that import takes it back.
  public var batchId: Int64?

  /// The sources whose tags an import batch owns (`batch_id`): what it gave and what its folders
  /// suggested. `batches undo` takes them back.
  public static let batchSources: Set<String> = ["explicit", "csv", "sidecar", "path"]

  /// The sources whose tags are suggestions until confirmed.
  public static let suggestionSources: Set<String> = ["path", "text", "bank-default"]

  public init(
    assetId: String, facet: String, value: String, source: String, note: String? = nil, addedAt: String,
    batchId: Int64? = nil
  ) {
    self.batchId = batchId
    self.assetId = assetId
    self.facet = facet
    self.value = value
    self.source = source
    self.confirmed = !Self.suggestionSources.contains(source)
    self.note = note
    self.addedAt = addedAt
  }
}

/// Everything the catalog holds about one asset.
public struct CatalogEntry: Equatable, Sendable {
  public var asset: AssetRow
  public var texts: [TextRow]
  public var provenance: [ProvenanceRow]
  public var tags: [TagRow]
  /// Problems met while reading the file's metadata (the asset was stored anyway).
  public var issues: [String]
  /// Why and when the bank withdrew the asset from what it shares, if it did.
  public var retraction: (reason: String, at: String)?
  /// The story this one translates, when it is linked to one.
  public var translationOf: String?
  /// The other stories of its translation group (linked through `translation_of`, either way and
  /// through other members), in the order they were added, each with its language tags.
  public var translations: [TranslationMember] = []

  public static func == (a: CatalogEntry, b: CatalogEntry) -> Bool {
    a.asset == b.asset && a.texts == b.texts && a.provenance == b.provenance && a.tags == b.tags
      && a.issues == b.issues && a.retraction?.reason == b.retraction?.reason && a.retraction?.at == b.retraction?.at
      && a.translationOf == b.translationOf && a.translations == b.translations
  }
}

/// A link from a story to the story it translates.
public struct TranslationRow: Codable, Equatable, Sendable {
  public var assetId: String
  /// The story it translates; nil while a `document` link names no single story of the bank.
  public var originalId: String?
  /// What a `document` link names: `sha256:` and at least 4 lowercase hex digits (an id or a
  /// prefix). The catalog links it when exactly one story has an id that starts so.
  public var reference: String?
  /// `explicit` (`--translation-of`) or `document` (the story's own `translation_of`).
  public var source: String
  public var addedAt: String

  /// A link to a known story.
  public init(assetId: String, originalId: String, source: String, addedAt: String) {
    self.assetId = assetId
    self.originalId = originalId
    self.source = source
    self.addedAt = addedAt
  }

  /// A `document` link to the story whose id starts with `reference`, linked by the catalog when
  /// exactly one story of the bank has such an id, now or when it arrives.
  public init(assetId: String, reference: String, addedAt: String) {
    self.assetId = assetId
    self.reference = reference
    self.source = "document"
    self.addedAt = addedAt
  }
}

/// Another story of an asset's translation group.
public struct TranslationMember: Equatable, Sendable {
  public var id: String
  /// Its language tags (any source), sorted.
  public var languages: [String]
}
