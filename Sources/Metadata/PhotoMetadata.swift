/// The photo formats MediaBank reads, recognised by their first bytes.
public enum PhotoFormat: String, Sendable, CaseIterable {
  case jpeg, png, heic, heif, avif

  /// The IANA media type.
  public var mediaType: String {
    switch self {
    case .jpeg: "image/jpeg"
    case .png: "image/png"
    case .heic: "image/heic"
    case .heif: "image/heif"
    case .avif: "image/avif"
    }
  }
}

/// Where a value was read: a block inside the file, or an XMP sidecar file beside it.
public enum MetadataSource: String, Sendable, CaseIterable {
  case sidecar, xmp, iptc, exif, png
  /// A video container's tags (`title`, `comment`, `com.apple.quicktime.title`, `TITLE-eng`…).
  case container
  /// A story's own fields: Markdown front matter, HTML `<title>` and `<meta>`, DOCX core
  /// properties.
  case document
  /// The JPEG `APP12` "Picture Info" block of older Olympus, Agfa and Polaroid cameras
  /// (`TimeDate=`).
  case pictureInfo = "picture-info"
}

/// The descriptive fields MediaBank keeps, with their catalog names.
public enum TextField: String, Sendable, CaseIterable {
  case title, description, keyword, creator, copyright, license, usageTerms, credit, city, state,
    location
}

/// One descriptive value found in a file: a title in one language, one keyword, a creator…
public struct EmbeddedText: Equatable, Sendable {
  public var field: TextField
  /// A BCP 47 tag, or `und` when the file does not say.
  public var language: String
  /// NFC-normalised text, never empty.
  public var value: String
  public var source: MetadataSource

  public init(_ field: TextField, _ value: String, language: String = "und", source: MetadataSource) {
    self.field = field
    self.value = value
    self.language = language
    self.source = source
  }
}

/// A position in decimal degrees (south and west negative) and metres above sea level.
public struct GPSCoordinate: Equatable, Sendable {
  public var latitude: Double
  public var longitude: Double
  public var altitude: Double?
}

/// Exposure basics from EXIF.
public struct Exposure: Equatable, Sendable {
  /// As photographers write it: `1/250`, `2`, `0.5`.
  public var exposureTime: String?
  public var fNumber: Double?
  public var iso: Int?
  /// Millimetres.
  public var focalLength: Double?

  var isEmpty: Bool { exposureTime == nil && fNumber == nil && iso == nil && focalLength == nil }
}

/// Everything MediaBank reads from a photo without decoding its pixels.
public struct PhotoMetadata: Equatable, Sendable {
  public var format: PhotoFormat
  /// The size as stored in the file, before orientation.
  public var storedWidth: Int
  public var storedHeight: Int
  /// The EXIF orientation (1–8) when the file gives a valid one.
  public var orientation: Int?
  /// Whether the decoder already applies the rotation (HEIF), so `orientation` must not be
  /// applied again.
  public var decoderAppliesOrientation: Bool
  /// ISO 8601 local date-time, with its fraction of a second and its offset when the file gives
  /// them (`2016-06-27T15:29:42.041-04:00`); a date alone when the file gives no time.
  public var capturedAt: String?
  /// Where `capturedAt` was read: `exif`, `xmp`, `iptc` or `pictureInfo`.
  public var capturedAtSource: MetadataSource?
  public var cameraMake: String?
  public var cameraModel: String?
  /// Where the camera's make (else its model) was read: `exif` or `xmp`.
  public var cameraSource: MetadataSource?
  public var gps: GPSCoordinate?
  /// Where `gps` was read: `exif` or `xmp`.
  public var gpsSource: MetadataSource?
  public var exposure: Exposure?
  public var texts: [EmbeddedText]
  /// Problems met while reading; the photo is still usable.
  public var issues: [String]
  /// The values each block offered, before `resolveCandidates()` chooses among them.
  var candidates = Candidates()

  /// The width as displayed, after orientation.
  public var width: Int { swapsAxes ? storedHeight : storedWidth }
  /// The height as displayed, after orientation.
  public var height: Int { swapsAxes ? storedWidth : storedHeight }

  private var swapsAxes: Bool {
    !decoderAppliesOrientation && (orientation ?? 1) >= 5
  }

  /// Chooses the capture date, camera and position among the blocks' values, in exiftool's (and
  /// the Metadata Working Group's) order of preference, and records where each came from.
  ///
  /// Date: EXIF `DateTimeOriginal`, IPTC `DateCreated` + `TimeCreated`, XMP
  /// `photoshop:DateCreated`, XMP `exif:DateTimeOriginal`, EXIF `DateTimeDigitized`, XMP
  /// `xmp:CreateDate`, APP12 `TimeDate`. Camera and GPS: EXIF, then XMP (`tiff:Make`,
  /// `exif:GPSLatitude`…).
  mutating func resolveCandidates() {
    let found = candidates
    candidates = Candidates()
    let dates: [(String?, MetadataSource)] = [
      (found.exifOriginal, .exif), (found.iptcCreated, .iptc), (found.xmpDateCreated, .xmp),
      (found.xmpOriginal, .xmp), (found.exifDigitized, .exif), (found.xmpCreateDate, .xmp),
      (found.pictureInfo, .pictureInfo),
    ]
    if let (date, source) = dates.first(where: { $0.0 != nil }) {
      capturedAt = date
      capturedAtSource = source
    }
    cameraMake = found.exifMake ?? found.xmpMake
    cameraModel = found.exifModel ?? found.xmpModel
    if found.exifMake != nil || (found.xmpMake == nil && found.exifModel != nil) {
      cameraSource = .exif
    } else if cameraMake != nil || cameraModel != nil {
      cameraSource = .xmp
    }
    if let position = found.exifGPS {
      gps = position
      gpsSource = .exif
    } else if let position = found.xmpGPS {
      gps = position
      gpsSource = .xmp
    }
  }

  /// The capture dates, cameras and positions each block of a file offers.
  struct Candidates: Equatable, Sendable {
    var exifOriginal: String?
    var exifDigitized: String?
    var exifMake: String?
    var exifModel: String?
    var exifGPS: GPSCoordinate?
    var iptcCreated: String?
    var xmpOriginal: String?
    var xmpDateCreated: String?
    var xmpCreateDate: String?
    var xmpMake: String?
    var xmpModel: String?
    var xmpGPS: GPSCoordinate?
    var pictureInfo: String?
  }

  init(format: PhotoFormat, width: Int, height: Int) {
    self.format = format
    self.storedWidth = width
    self.storedHeight = height
    self.decoderAppliesOrientation = false
    self.texts = []
    self.issues = []
  }
}
