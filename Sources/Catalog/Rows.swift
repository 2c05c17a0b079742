/// One row of `asset`: the technical facts about one stored piece of content.
public struct AssetRow: Codable, Equatable, Sendable {
  public var id: String
  public var kind: String
  public var mediaType: String
  public var byteSize: Int64
  public var width: Int?
  public var height: Int?
  public var orientation: Int?
  public var capturedAt: String?
  public var cameraMake: String?
  public var cameraModel: String?
  public var gpsLatitude: Double?
  public var gpsLongitude: Double?
  public var gpsAltitude: Double?
  public var exposureTime: String?
  public var fNumber: Double?
  public var iso: Int?
  public var focalLength: Double?
  public var thumbnailId: String?
  public var addedAt: String

  /// Creates a row; every optional fact defaults to absent.
  public init(
    id: String, kind: String, mediaType: String, byteSize: Int64, addedAt: String,
    width: Int? = nil, height: Int? = nil, orientation: Int? = nil, capturedAt: String? = nil,
    cameraMake: String? = nil, cameraModel: String? = nil, gpsLatitude: Double? = nil,
    gpsLongitude: Double? = nil, gpsAltitude: Double? = nil, exposureTime: String? = nil,
    fNumber: Double? = nil, iso: Int? = nil, focalLength: Double? = nil,
    thumbnailId: String? = nil
  ) {
    self.id = id
    self.kind = kind
    self.mediaType = mediaType
    self.byteSize = byteSize
    self.addedAt = addedAt
    self.width = width
    self.height = height
    self.orientation = orientation
    self.capturedAt = capturedAt
    self.cameraMake = cameraMake
    self.cameraModel = cameraModel
    self.gpsLatitude = gpsLatitude
    self.gpsLongitude = gpsLongitude
    self.gpsAltitude = gpsAltitude
    self.exposureTime = exposureTime
    self.fNumber = fNumber
    self.iso = iso
    self.focalLength = focalLength
    self.thumbnailId = thumbnailId
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
  /// `explicit` (given by the user), `xmp`, `iptc`, `exif` or `png`.
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

  public init(
    assetId: String, addedAt: String, originalPath: String, originalName: String,
    operator: String
  ) {
    self.assetId = assetId
    self.addedAt = addedAt
    self.originalPath = originalPath
    self.originalName = originalName
    self.operator = `operator`
  }
}

/// A pillar, language or locality tag with its source.
public struct TagRow: Codable, Equatable, Sendable {
  public var assetId: String
  /// `pillar`, `language` or `locality`.
  public var facet: String
  public var value: String
  /// `explicit`, `sidecar`, `xmp`, `iptc`, `folder`, `gps` or `text`.
  public var source: String
  public var addedAt: String
}

/// Everything the catalog holds about one asset.
public struct CatalogEntry: Equatable, Sendable {
  public var asset: AssetRow
  public var texts: [TextRow]
  public var provenance: [ProvenanceRow]
  public var tags: [TagRow]
  /// Problems met while reading the file's metadata (the asset was stored anyway).
  public var issues: [String]
}
