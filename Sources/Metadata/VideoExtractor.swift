/// Reads videos with FFmpeg's libraries: recognises the container by content, reads the streams'
/// technical fields and the container's tags, and makes a poster frame. FFmpeg reads the file
/// from disk as it needs it, so memory does not grow with the size of the video.
public enum VideoExtractor {
  /// How many bytes `format(head:size:name:)` wants to see (fewer when the file is shorter).
  public static let headSize = 1024
  /// The largest frame side MediaBank accepts, in pixels.
  public static let maxSide = 16384

  /// Recognises the video container from the first bytes of the file at `path`.
  public static func format(of path: String) throws(MetadataError) -> VideoFormat {
    let file = try FileReader(path: path)
    return try format(head: try file.bytes(at: 0, count: headSize), size: Int64(file.size), name: path)
  }

  /// Recognises a video container by the first bytes of a file (`headSize` when the file has
  /// them): `ftyp` brands, the EBML header, RIFF AVI, MPEG-TS sync bytes every 188 or 192 bytes,
  /// the MPEG-PS pack header, the ASF header GUID, the FLV signature.
  ///
  /// The error says what the file is not (by its extension) and, when it can tell, what it is
  /// instead, e.g. `not an MP4 video (the file is plain text)`, or
  /// `an audio file (MP3): audio-only files are not accepted`. `name` is used only to word it.
  public static func format(head: [UInt8], size: Int64, name: String) throws(MetadataError) -> VideoFormat {
    guard size > 0 else { throw MetadataError("empty file (0 bytes)") }
    if head.count >= 12, head[4..<8].elementsEqual("ftyp".utf8) {
      return try isoBaseMediaFormat(head, name: name)
    }
    if head.count >= 8, let type = String(validating: head[4..<8], as: UTF8.self),
      ["moov", "mdat", "wide", "free", "skip", "pnot"].contains(type), head.bigEndian32(at: 0) >= 8
    {
      return .mov  // A QuickTime movie from before the ftyp box.
    }
    if head.starts(with: [0x1a, 0x45, 0xdf, 0xa3]) {
      // The EBML header names its DocType near the start: "matroska" or "webm".
      return head.prefix(64).firstRange(of: Array("webm".utf8)) != nil ? .webm : .matroska
    }
    if head.count >= 12, head.starts(with: Array("RIFF".utf8)) {
      switch String(decoding: head[8..<12], as: UTF8.self) {
      case "AVI ", "AVIX": return .avi
      case "WAVE": throw audioOnly("WAV")
      case "WEBP": throw notVideo(name, "the file is a WebP image")
      default: break
      }
    }
    if isTransportStream(head) { return .mpegts }
    if head.starts(with: [0x00, 0x00, 0x01, 0xba]) { return .mpeg }
    if head.starts(with: asfHeader) { return .asf }
    if head.count >= 5, head.starts(with: Array("FLV".utf8)), head[3] == 1 {
      guard head[4] & 0x01 != 0 || head[4] & 0x04 == 0 else { throw audioOnly("FLV with audio only") }
      return .flv
    }
    if let audio = audioFormat(head) { throw audioOnly(audio) }
    throw notVideo(name, describe(head))
  }

  /// Reads the container and stream headers of the video at `path`.
  ///
  /// Throws when the file is not a video MediaBank can read: not a video container, no real video
  /// stream (audio only, or only a cover picture), a frame size of 0 or above `maxSide`, or a
  /// truncated or corrupt file. Problems with optional tags (a date or a location that does not
  /// parse) do not throw: they are listed in `issues`.
  public static func read(_ path: String) throws(MetadataError) -> VideoMetadata {
    let file = try FileReader(path: path)
    let format = try format(
      head: try file.bytes(at: 0, count: headSize), size: Int64(file.size), name: path)
    let issues = format.isISOBaseMedia ? try checkBoxes(file, format: format) : []
    let input = try VideoInput(path: path, format: format)
    var metadata = try input.metadata()
    metadata.issues = issues + metadata.issues
    return metadata
  }

  /// A JPEG poster frame of the video at `path`, whose metadata was read by `read`: a
  /// representative frame, scaled to fit `longEdge` (never enlarged), stretched by the sample
  /// aspect ratio and turned by `metadata.rotation`, as a player shows it.
  ///
  /// For clips longer than 2 s it seeks to the keyframe at or before 10% of the duration (at most
  /// 10 s) and takes its frame; when that is near-black (a fade-in, a black leader), the frame at
  /// 10% itself, then the first of a few frames a second apart that is not near-black; when all
  /// are dark it takes the brightest.
  public static func posterFrame(
    _ path: String, metadata: VideoMetadata, longEdge: Int = Thumbnailer.defaultLongEdge
  ) throws(MetadataError) -> Thumbnail {
    let input = try VideoInput(path: path, format: metadata.format)
    return try VideoPoster.make(input, rotation: metadata.rotation, longEdge: longEdge)
  }

  /// Refuses a frame size of 0 or above `maxSide`.
  static func checkFrameSize(width: Int, height: Int) throws(MetadataError) {
    guard width > 0, height > 0 else {
      throw MetadataError(
        "the video stream has no frame size (\(width) x \(height)): the file is corrupt or truncated")
    }
    guard width <= maxSide, height <= maxSide else {
      throw MetadataError(
        "the video frame is \(width) x \(height) pixels, above the limit of \(maxSide) pixels per side")
    }
  }

  // MARK: Recognising the container

  private static let asfHeader: [UInt8] = [
    0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11, 0xa6, 0xd9, 0x00, 0xaa, 0x00, 0x62, 0xce, 0x6c,
  ]

  /// MP4, MOV, M4V, 3GP by the `ftyp` major brand; HEIF images and M4A audio are refused.
  private static func isoBaseMediaFormat(_ head: [UInt8], name: String) throws(MetadataError) -> VideoFormat {
    let major = String(decoding: head[8..<12], as: UTF8.self)
    switch major {
    case "qt  ": return .mov
    case "M4V ", "M4VH", "M4VP": return .m4v
    case "M4A ", "M4B ", "M4P ", "F4A ", "F4B ": throw audioOnly(major.trimmingSpaces())
    case "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "avif", "avis":
      throw notVideo(name, "the file is a HEIF image")
    case "crx ": throw notVideo(name, "the file is a Canon raw image")
    default: break
    }
    if major.hasPrefix("3g2") || major == "KDDI" || major == "kddi" { return .threeG2 }
    if major.hasPrefix("3g") { return .threeGP }
    return .mp4
  }

  /// Sync byte 0x47 at the start of every packet in the head: 188-byte packets, or 192-byte ones
  /// with a 4-byte timestamp first (BDAV, `.m2ts`). At least two packets must be seen.
  private static func isTransportStream(_ head: [UInt8]) -> Bool {
    for (packet, first) in [(188, 0), (192, 4)] {
      let starts = Array(stride(from: first, to: head.count, by: packet))
      if starts.count >= 2, starts.allSatisfy({ head[$0] == 0x47 }) { return true }
    }
    return false
  }

  /// The name of an audio format recognised by its first bytes.
  private static func audioFormat(_ head: [UInt8]) -> String? {
    if head.starts(with: Array("ID3".utf8)) { return "MP3" }
    if head.starts(with: Array("fLaC".utf8)) { return "FLAC" }
    if head.starts(with: Array("#!AMR".utf8)) { return "AMR" }
    if head.starts(with: Array("OggS".utf8)) {
      // Ogg holds Theora video too, but MediaBank does not read Ogg; name only the audio case.
      let prefix = head.prefix(64)
      if prefix.firstRange(of: Array("OpusHead".utf8)) != nil { return "Opus" }
      if prefix.firstRange(of: Array("vorbis".utf8)) != nil { return "Ogg Vorbis" }
      return nil
    }
    guard head.count >= 2, head[0] == 0xff, head[1] & 0xe0 == 0xe0 else { return nil }
    // An MPEG audio frame sync; layer bits 00 are ADTS AAC, 01 layer III.
    switch head[1] & 0x06 {
    case 0: return "AAC"
    case 2: return "MP3"
    default: return "MPEG audio"
    }
  }

  /// What the head looks like, for the refusal: a known image or document, text, or its bytes.
  private static func describe(_ head: [UInt8]) -> String {
    let known: [([UInt8], String)] = [
      ([0xff, 0xd8, 0xff], "the file is a JPEG image"),
      ([0x89, 0x50, 0x4e, 0x47], "the file is a PNG image"),
      (Array("GIF8".utf8), "the file is a GIF image"),
      (Array("%PDF".utf8), "the file is a PDF document"),
      ([0x50, 0x4b, 0x03, 0x04], "the file is a ZIP archive"),
      ([0x49, 0x49, 0x2a, 0x00], "the file is a TIFF image"),
      ([0x4d, 0x4d, 0x00, 0x2a], "the file is a TIFF image"),
      (Array("OggS".utf8), "the file is an Ogg file; Ogg is not a supported video container"),
    ]
    for (magic, description) in known where head.starts(with: magic) { return description }
    if looksLikeText(head) { return "the file is plain text" }
    return "starts with \(head.hexPrefix(4))"
  }

  /// UTF-8 with no control characters other than tab, line feed, form feed and carriage return.
  private static func looksLikeText(_ head: [UInt8]) -> Bool {
    var bytes = head.prefix(512)
    // A multi-byte character cut by the end of the head is still text.
    while let last = bytes.last, last & 0xc0 == 0x80 || last >= 0xc0 { bytes.removeLast() }
    guard !bytes.isEmpty, String(validating: bytes, as: UTF8.self) != nil else { return false }
    return bytes.allSatisfy { $0 >= 0x20 || [0x09, 0x0a, 0x0c, 0x0d].contains($0) }
  }

  private static func notVideo(_ name: String, _ what: String) -> MetadataError {
    let claimed: String
    switch name.split(separator: "/").last?.split(separator: ".").last.map({ $0.lowercased() }) {
    case "mp4", "m4v": claimed = "not an MP4 video"
    case "mov", "qt": claimed = "not a QuickTime movie"
    case "3gp", "3g2", "3gpp": claimed = "not a 3GP video"
    case "mkv", "webm": claimed = "not a Matroska video"
    case "avi": claimed = "not an AVI video"
    case "ts", "mts", "m2ts", "m2t": claimed = "not an MPEG transport stream"
    case "mpg", "mpeg", "vob", "m2p": claimed = "not an MPEG video"
    case "wmv", "asf": claimed = "not a Windows Media video"
    case "flv": claimed = "not a Flash video"
    default: claimed = "not a supported video (MP4, MOV, 3GP, MKV, WebM, AVI, MPEG-TS, MPG, WMV, FLV)"
    }
    return MetadataError("\(claimed) (\(what))")
  }

  static func audioOnly(_ what: String) -> MetadataError {
    MetadataError("an audio file (\(what)): audio-only files are not accepted", isAudioOnly: true)
  }

  // MARK: ISO base media boxes

  /// Walks the top-level boxes of an MP4/MOV: a box that runs past the end of the file, or no
  /// `moov` box (the index of the samples), means the recording or the copy was cut short. Bytes
  /// after the last box that are not a box are only an issue.
  private static func checkBoxes(_ file: FileReader, format: VideoFormat) throws(MetadataError) -> [String] {
    var offset = 0
    var sawMovie = false
    var count = 0
    while offset < file.size, count < 10_000 {
      count += 1
      let header = try file.bytes(at: offset, count: 16)
      let printable = header.count >= 8 && header[4..<8].allSatisfy { (0x20...0x7e).contains($0) }
      if sawMovie && !printable {
        return ["\(file.size - offset) bytes after the last box of the \(format.displayName) are not a box; ignored"]
      }
      guard header.count >= 8 else {
        throw MetadataError(
          "truncated \(format.displayName): a box header at byte \(offset) is cut off by the end of the file")
      }
      let type = String(decoding: header[4..<8].map { (0x20...0x7e).contains($0) ? $0 : 0x3f }, as: UTF8.self)
      var length = header.bigEndian32(at: 0)
      if length == 1 {
        guard header.count == 16 else {
          throw MetadataError("truncated \(format.displayName): the `\(type)` box header is cut off")
        }
        length = Int(header.bigEndian32(at: 8)) << 32 | header.bigEndian32(at: 12)
      } else if length == 0 {
        length = file.size - offset  // "to the end of the file"
      }
      if type == "moov" { sawMovie = true }
      guard length >= 8 else {
        throw MetadataError(
          "corrupt \(format.displayName): the `\(type)` box at byte \(offset) has an impossible size (\(length))")
      }
      guard length <= file.size - offset else {
        throw MetadataError(
          "truncated \(format.displayName): the `\(type)` box at byte \(offset) needs \(length) bytes but the "
            + "file ends after \(file.size - offset); the file was cut short")
      }
      offset += length
    }
    guard sawMovie || count >= 10_000 else {
      throw MetadataError(
        "truncated or unfinished \(format.displayName): it has no `moov` box (the index of the video and "
          + "audio data), as when a recording is interrupted or a copy is cut short")
    }
    return []
  }
}

extension String {
  fileprivate func trimmingSpaces() -> String {
    String(self.reversed().drop { $0 == " " }.reversed())
  }
}
