/// Why a file could not be read as media. The message names the problem, not the file: callers
/// prefix the path they were given.
public struct MetadataError: Error, CustomStringConvertible, Sendable, Equatable {
  /// What is wrong with the file, e.g. `not a JPEG file (starts with 0x6e 0x6f)`.
  public let reason: String
  /// Whether the file was refused by the pixel limit (a possible decompression bomb).
  public let exceedsPixelLimit: Bool
  /// Whether the file is an audio recording (MP3, WAV, an MP4 with audio streams only…): not
  /// in MediaBank's scope, rather than broken.
  public let isAudioOnly: Bool
  /// Whether the file is a photo whose header and metadata were read but whose pixel data is
  /// truncated or corrupt, so that no preview could be made: it is kept as a damaged asset
  /// rather than refused.
  public let isDamaged: Bool

  init(_ reason: String, exceedsPixelLimit: Bool = false, isAudioOnly: Bool = false, isDamaged: Bool = false) {
    self.reason = reason
    self.exceedsPixelLimit = exceedsPixelLimit
    self.isAudioOnly = isAudioOnly
    self.isDamaged = isDamaged
  }

  public var description: String { reason }
}
