/// What an asset's content says about itself: its kind, size, pixels, capture time, streams
/// and words. Declared once: the catalog row (``AssetRow``) and the record that `show --json`
/// prints and sync bundles carry (`AssetRecord`) both hold these values under these names (the
/// catalog's `asset` columns are the names in snake case). A new fact is a property here, a
/// column in a migration and a key in `Storage/schemas/asset-record.schema.json`.
public struct MediaFacts: Codable, Equatable, Sendable {
  /// The SHA-256 of the content, `sha256:` and 64 lowercase hex digits.
  public var id: String
  /// `photo`, `video` or `story`.
  public var kind: String
  public var mediaType: String
  public var byteSize: Int64
  public var width: Int?
  public var height: Int?
  /// The EXIF orientation, 1–8.
  public var orientation: Int?
  /// A photo's or video's capture time; a story's date.
  public var capturedAt: String?
  /// Where `capturedAt` came from: `exif`, `xmp`, `iptc`, `picture-info` (a JPEG APP12 block),
  /// `container` (a video), `document` (a story); a record says `explicit` when a person set
  /// it. Nil when unknown (recorded before catalog migration `v11-metadata-fidelity`) or when
  /// there is no capture time.
  public var capturedAtSource: String?
  /// A video's length in seconds.
  public var durationSeconds: Double?
  /// A video's container, as MediaBank names it: `mp4`, `mov`, `3gp`, `matroska`, `webm`,
  /// `avi`, `mpegts`, `mpeg`, `asf`, `flv`…
  public var container: String?
  /// A video's codec, as FFmpeg names it: `h264`, `hevc`, `mpeg2video`…
  public var videoCodec: String?
  /// A video's frames per second.
  public var frameRate: Double?
  /// A video's bits per second, all streams together.
  public var bitRate: Int?
  /// The codec of a video's first audio stream (`aac`, `mp3`, `ac3`…).
  public var audioCodec: String?
  /// The channel count of a video's first audio stream.
  public var audioChannels: Int?
  /// The languages of a video's audio streams (BCP 47), in stream order.
  public var audioLanguages: [String]?
  /// The number of words of a story's text.
  public var wordCount: Int?
  /// Why a photo's pixel data could not be decoded whole (`truncated JPEG (…)`, `corrupt PNG
  /// data (…)`): the asset keeps the metadata that could be read, and a partial preview when
  /// the decoder made one.
  public var damaged: String?

  /// Facts with every optional one absent.
  public init(id: String, kind: String, mediaType: String, byteSize: Int64) {
    self.id = id
    self.kind = kind
    self.mediaType = mediaType
    self.byteSize = byteSize
  }
}
