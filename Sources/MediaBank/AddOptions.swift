import Catalog
import Foundation
import Metadata
import Taxonomy

/// What the user says about the files of one `add`, beyond what the files say themselves.
/// Explicit values override embedded ones; both are kept.
public struct AddOptions: Sendable {
  /// The title, description, creator… given to every file, cleaned.
  public var texts: StatedTexts
  /// The BCP 47 language of the title and description, and of the content (a `language` tag);
  /// `und` when not given.
  public var language: String
  /// An image pillar code (`tourism-landscape`), tagged on every file.
  public var pillar: String?
  /// A locality (a code or a name, today's or former, that resolves to one unit), tagged on
  /// every file.
  public var locality: String?
  /// Who is adding (recorded in provenance); defaults to the login name.
  public var operatorName: String
  /// The story the files translate: an asset id or an unambiguous prefix of one (`add` checks
  /// that it names a story of the bank).
  public var translationOf: String?
  /// Only files of these kinds (`photo`, `video`, `story`); nil for all. An import skips the
  /// others as `not a selected kind`; `add` refuses them.
  public var kinds: Set<String>?
  /// Photos with more pixels are refused (decompression-bomb guard).
  public var maxPixels: Int
  public var makeThumbnails: Bool
  /// Take content that was deleted from the bank (`mediabank delete`) again, instead of refusing it.
  public var allowDeleted = false

  /// The default pixel limit: 200 megapixels.
  public static let defaultMaxPixels = 200_000_000

  public init(
    texts: StatedTexts = StatedTexts(), language: String? = nil, pillar: String? = nil, locality: String? = nil,
    operatorName: String? = nil, translationOf: String? = nil,
    maxPixels: Int = AddOptions.defaultMaxPixels, makeThumbnails: Bool = true
  ) {
    self.translationOf = translationOf
    self.texts = texts.cleaned
    self.language = language ?? "und"
    self.pillar = pillar
    self.locality = locality
    self.operatorName = operatorName?.cleanedText ?? Self.loginName()
    self.maxPixels = maxPixels
    self.makeThumbnails = makeThumbnails
  }

  /// Checks the language tag: BCP 47 shape (`vi`, `en`, `zh-Hans`, `tyz`, `und`).
  public static func validateLanguage(_ tag: String) -> Bool {
    Languages.isWellFormed(tag)
  }

  /// What these options give every file: the explicit texts and tags.
  var given: Given {
    var given = Given()
    for (field, value) in texts.stated {
      given.texts.append(
        GivenText(
          field: field.field.rawValue, language: field.inLanguage ? language : "und", value: value, source: "explicit"))
    }
    if language != "und" { given.tags.append(GivenTag(facet: "language", value: language, source: "explicit")) }
    if let pillar { given.tags.append(GivenTag(facet: "pillar", value: pillar, source: "explicit")) }
    if let locality { given.tags.append(GivenTag(facet: "locality", value: locality, source: "explicit")) }
    return given
  }

  /// What an import records of its options (`batches show`, `batches undo`): the values given
  /// to every file, as a JSON object; nil when none was given.
  var batchOptions: String? {
    var values: [String: String] = [:]
    for (field, value) in texts.stated { values[field.field.rawValue] = value }
    if language != "und" { values["lang"] = language }
    values["pillar"] = pillar
    values["locality"] = locality
    if let kinds { values["kind"] = kinds.sorted().joined(separator: ",") }
    guard !values.isEmpty else { return nil }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(values)).map { String(decoding: $0, as: UTF8.self) }
  }

  /// The name of the person running the program: `$USER`, else the login name.
  static func loginName() -> String {
    if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
    if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
    return "unknown"
  }
}

extension AssetRow {
  /// The catalog row of a newly read photo.
  init(_ metadata: PhotoMetadata, id: String, byteSize: Int64, addedAt: String) {
    self.init(
      id: id, kind: "photo", mediaType: metadata.format.mediaType, byteSize: byteSize,
      addedAt: addedAt, width: metadata.width, height: metadata.height,
      orientation: metadata.orientation, capturedAt: metadata.capturedAt,
      cameraMake: metadata.cameraMake, cameraModel: metadata.cameraModel,
      gpsLatitude: metadata.gps?.latitude, gpsLongitude: metadata.gps?.longitude,
      gpsAltitude: metadata.gps?.altitude, exposureTime: metadata.exposure?.exposureTime,
      fNumber: metadata.exposure?.fNumber, iso: metadata.exposure?.iso,
      focalLength: metadata.exposure?.focalLength)
    facts.capturedAtSource = metadata.capturedAtSource?.rawValue
    columns.gpsSource = metadata.gpsSource?.rawValue
    columns.cameraSource = metadata.cameraSource?.rawValue
  }

  /// The catalog row of a newly read video.
  init(_ metadata: VideoMetadata, id: String, byteSize: Int64, addedAt: String) {
    self.init(
      id: id, kind: "video", mediaType: metadata.mediaType, byteSize: byteSize, addedAt: addedAt,
      width: metadata.width, height: metadata.height, capturedAt: metadata.capturedAt,
      cameraMake: metadata.make, cameraModel: metadata.model, gpsLatitude: metadata.gps?.latitude,
      gpsLongitude: metadata.gps?.longitude, gpsAltitude: metadata.gps?.altitude)
    facts.durationSeconds = metadata.durationSeconds
    facts.container = metadata.container
    facts.videoCodec = metadata.videoCodec
    facts.frameRate = metadata.frameRate
    facts.bitRate = metadata.bitRate
    facts.audioCodec = metadata.audioCodec
    facts.audioChannels = metadata.audioChannels
    facts.audioLanguages = metadata.audioLanguages.isEmpty ? nil : metadata.audioLanguages
    // A video's capture time, position and camera come from its container's tags.
    let container = MetadataSource.container.rawValue
    if metadata.capturedAt != nil { facts.capturedAtSource = container }
    if metadata.gps != nil { columns.gpsSource = container }
    if metadata.make != nil || metadata.model != nil { columns.cameraSource = container }
  }
}

extension TextRow {
  /// The catalog row of an embedded value; `position` orders repeated values of one field,
  /// language and source.
  init(_ text: EmbeddedText, assetId: String, all: [EmbeddedText]) {
    let position = all.prefix { $0 != text }.filter {
      $0.field == text.field && $0.language == text.language && $0.source == text.source
    }.count
    self.init(
      assetId: assetId, field: text.field.rawValue, language: text.language, position: position,
      value: text.value, source: text.source.rawValue)
  }
}
