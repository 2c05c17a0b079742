/// The video containers MediaBank reads, recognised by their first bytes. The raw value is the
/// short name MediaBank stores (`mp4`, `mov`, `matroska`…).
public enum VideoFormat: String, Sendable, CaseIterable {
  /// ISO base media file: MPEG-4 (`isom`, `mp41`, `mp42`, `avc1`… brands).
  case mp4
  /// QuickTime movie (`qt  ` brand, or an old movie with no `ftyp` box).
  case mov
  /// iTunes video (`M4V ` brands).
  case m4v
  /// 3GPP, as phones wrote (`3gp*` brands).
  case threeGP = "3gp"
  /// 3GPP2 (`3g2*` brands).
  case threeG2 = "3g2"
  /// Matroska (`.mkv`).
  case matroska
  /// WebM, the Matroska subset for the web.
  case webm
  /// RIFF AVI.
  case avi
  /// MPEG transport stream, with 188-byte packets (`.ts`) or 192-byte ones (`.mts`, `.m2ts`).
  case mpegts
  /// MPEG program stream (`.mpg`, `.mpeg`, `.vob`).
  case mpeg
  /// Advanced Systems Format: Windows Media Video (`.wmv`, `.asf`).
  case asf
  /// Flash Video (`.flv`).
  case flv

  /// The IANA media type (or the `x-` type in common use where none is registered).
  public var mediaType: String {
    switch self {
    case .mp4: "video/mp4"
    case .mov: "video/quicktime"
    case .m4v: "video/x-m4v"
    case .threeGP: "video/3gpp"
    case .threeG2: "video/3gpp2"
    case .matroska: "video/x-matroska"
    case .webm: "video/webm"
    case .avi: "video/x-msvideo"
    case .mpegts: "video/mp2t"
    case .mpeg: "video/mpeg"
    case .asf: "video/x-ms-wmv"
    case .flv: "video/x-flv"
    }
  }

  /// The libavformat demuxer that reads it.
  var demuxer: String {
    switch self {
    case .mp4, .mov, .m4v, .threeGP, .threeG2: "mov"
    case .matroska, .webm: "matroska"
    case .avi: "avi"
    case .mpegts: "mpegts"
    case .mpeg: "mpeg"
    case .asf: "asf"
    case .flv: "flv"
    }
  }

  /// Whether the file is a sequence of ISO base media boxes (MP4, MOV, M4V, 3GP).
  var isISOBaseMedia: Bool { demuxer == "mov" }

  /// How error messages name it.
  var displayName: String {
    switch self {
    case .mp4: "MP4"
    case .mov: "QuickTime movie"
    case .m4v: "M4V"
    case .threeGP, .threeG2: "3GP"
    case .matroska: "Matroska file"
    case .webm: "WebM file"
    case .avi: "AVI"
    case .mpegts: "MPEG transport stream"
    case .mpeg: "MPEG program stream"
    case .asf: "Windows Media file"
    case .flv: "Flash video"
    }
  }
}

/// Everything MediaBank reads from a video's container and stream headers, without decoding it.
public struct VideoMetadata: Equatable, Sendable {
  public var format: VideoFormat
  /// The short container name: `mp4`, `mov`, `3gp`, `matroska`, `avi`, `mpegts`, `mpeg`, `asf`…
  public var container: String { format.rawValue }
  /// The IANA media type, e.g. `video/mp4`.
  public var mediaType: String { format.mediaType }
  /// Seconds, when the container or the streams say.
  public var durationSeconds: Double?
  /// The width as displayed: the coded width, or the coded height when `rotation` is 90 or 270.
  /// Pixels, not stretched by a non-square sample aspect ratio.
  public var width: Int
  /// The height as displayed (see `width`).
  public var height: Int
  /// The clockwise rotation a player applies to the coded frames: 0, 90, 180 or 270.
  public var rotation: Int
  /// FFmpeg's codec name: `h264`, `hevc`, `mpeg2video`, `mpeg4`, `wmv2`, `vp9`…
  public var videoCodec: String
  /// Frames per second (the average rate, else the base rate).
  public var frameRate: Double?
  /// Bits per second, all streams together.
  public var bitRate: Int?
  /// FFmpeg's codec name of the first audio stream, if any.
  public var audioCodec: String?
  /// The channel count of the first audio stream.
  public var audioChannels: Int?
  /// The languages of the audio streams, in stream order, without repeats or `und`: ISO 639-2
  /// codes become their ISO 639-1 equivalent where one exists (`vie` → `vi`, `eng` → `en`), as
  /// BCP 47 wants; other codes stay as written (`tyz`).
  public var audioLanguages: [String]
  /// ISO 8601 date-time: the local time with its offset when the file gives one (Apple's
  /// `creationdate`), else the container's creation time in UTC (`…Z`).
  public var capturedAt: String?
  /// The recording position, from an ISO 6709 location tag.
  public var gps: GPSCoordinate?
  public var make: String?
  public var model: String?
  /// Titles, descriptions, keywords… from the container's tags (source `container`).
  public var texts: [EmbeddedText]
  /// Problems met while reading tags; the video is still usable.
  public var issues: [String]

  init(format: VideoFormat, width: Int, height: Int, rotation: Int, videoCodec: String) {
    self.format = format
    self.width = width
    self.height = height
    self.rotation = rotation
    self.videoCodec = videoCodec
    self.audioLanguages = []
    self.texts = []
    self.issues = []
  }
}
