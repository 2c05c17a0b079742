import CFFmpeg
import CMediaShim

/// An open libavformat input: the container is parsed and the streams probed, but the file is
/// read from disk only as needed, never loaded whole.
final class VideoInput {
  let format: VideoFormat
  let context: UnsafeMutablePointer<AVFormatContext>

  /// FFmpeg prints warnings and errors to stderr unless told not to; MediaBank reports its own.
  private static let silenced: Void = mb_av_log_set_level(AV_LOG_QUIET)

  /// Opens `path` with the demuxer of `format` only (no guessing from the name or the content), and
  /// the `file` protocol only, so a crafted file cannot make FFmpeg open other files or URLs.
  init(path: String, format: VideoFormat) throws(MetadataError) {
    try SharedLibraries.loadFFmpeg()
    _ = Self.silenced
    self.format = format
    var options: OpaquePointer?
    mb_av_dict_set(&options, "protocol_whitelist", "file", 0)
    defer { mb_av_dict_free(&options) }
    var context: UnsafeMutablePointer<AVFormatContext>?
    // "file:" keeps a name with a colon ("a:b.mp4") from being taken for a protocol.
    let status = mb_avformat_open_input(&context, "file:" + path, mb_av_find_input_format(format.demuxer), &options)
    guard status >= 0, let context else {
      throw Self.error(status, "cannot read the \(format.displayName)")
    }
    self.context = context
    let found = mb_avformat_find_stream_info(context, nil)
    guard found >= 0 else {
      var closing: UnsafeMutablePointer<AVFormatContext>? = context
      mb_avformat_close_input(&closing)
      throw Self.error(found, "cannot read the streams of the \(format.displayName)")
    }
  }

  deinit {
    var closing: UnsafeMutablePointer<AVFormatContext>? = context
    mb_avformat_close_input(&closing)
  }

  /// A MetadataError for an FFmpeg error code: what was being done, and FFmpeg's words.
  static func error(_ code: Int32, _ doing: String) -> MetadataError {
    if code == mb_av_error_invalid_data() {
      return MetadataError("\(doing): the data is corrupt or truncated (FFmpeg: \(message(code)))")
    }
    if code == mb_av_error_eof() {
      return MetadataError("\(doing): the file ends too early, it is truncated (FFmpeg: \(message(code)))")
    }
    return MetadataError("\(doing) (FFmpeg: \(message(code)))")
  }

  /// FFmpeg's text for an error code, e.g. `Invalid data found when processing input`.
  static func message(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 128)
    guard mb_av_strerror(code, &buffer, buffer.count) == 0 else { return "error \(code)" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  var streams: [UnsafeMutablePointer<AVStream>] {
    (0..<Int(context.pointee.nb_streams)).compactMap { context.pointee.streams[$0] }
  }

  /// The video stream MediaBank describes: the first one that is not a cover picture and has a
  /// frame size, else the first one that is not a cover picture (to report its size).
  ///
  /// Throws when there is none: an audio file (perhaps with a cover picture), or a container
  /// with neither.
  func videoStream() throws(MetadataError) -> UnsafeMutablePointer<AVStream> {
    let all = streams
    let videos = all.filter {
      $0.pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_VIDEO
        && $0.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC == 0
    }
    if let stream = videos.first(where: {
      $0.pointee.codecpar.pointee.width > 0 && $0.pointee.codecpar.pointee.height > 0
    })
      ?? videos.first
    {
      let parameters = stream.pointee.codecpar.pointee
      try VideoExtractor.checkFrameSize(width: Int(parameters.width), height: Int(parameters.height))
      return stream
    }
    let audio = all.count { $0.pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_AUDIO }
    let pictures = all.count { $0.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC != 0 }
    var parts = [Self.counted(audio, "audio stream")]
    if pictures > 0 { parts.append(Self.counted(pictures, "cover picture")) }
    if audio > 0 {
      throw VideoExtractor.audioOnly("\(format.rawValue), " + parts.joined(separator: ", "))
    }
    let detail = all.isEmpty ? "no streams at all" : "only \(Self.counted(all.count, "stream")) of other kinds"
    throw MetadataError("not a video: the \(format.displayName) has no video stream (\(detail))")
  }

  private static func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
  }

  /// The technical fields and the tags.
  func metadata() throws(MetadataError) -> VideoMetadata {
    let stream = try videoStream()
    let parameters = stream.pointee.codecpar.pointee
    let rotation = Self.clockwiseRotation(stream)
    let swaps = rotation % 180 != 0
    var metadata = VideoMetadata(
      format: format, width: Int(swaps ? parameters.height : parameters.width),
      height: Int(swaps ? parameters.width : parameters.height), rotation: rotation,
      videoCodec: String(cString: mb_avcodec_get_name(parameters.codec_id)))
    let duration = context.pointee.duration
    if duration != mb_av_no_timestamp(), duration > 0 {
      metadata.durationSeconds = Double(duration) / Double(AV_TIME_BASE)
    }
    metadata.frameRate = Self.rate(stream.pointee.avg_frame_rate) ?? Self.rate(stream.pointee.r_frame_rate)
    if context.pointee.bit_rate > 0 { metadata.bitRate = Int(context.pointee.bit_rate) }
    let audio = streams.filter { $0.pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_AUDIO }
    if let first = audio.first?.pointee.codecpar.pointee {
      metadata.audioCodec = String(cString: mb_avcodec_get_name(first.codec_id))
      if first.ch_layout.nb_channels > 0 { metadata.audioChannels = Int(first.ch_layout.nb_channels) }
    }
    var tags = VideoTags(
      container: Self.entries(context.pointee.metadata), videoStream: Self.entries(stream.pointee.metadata))
    for (index, audioStream) in audio.enumerated() {
      let language = Self.entries(audioStream.pointee.metadata).first { $0.key.lowercased() == "language" }
      if let language { tags.addAudioLanguage(language.value, stream: index + 1) }
    }
    tags.fill(&metadata)
    return metadata
  }

  /// The clockwise rotation, to the nearest quarter turn, that the stream's display matrix asks
  /// for. (FFmpeg's matrix angle is counter-clockwise.)
  static func clockwiseRotation(_ stream: UnsafeMutablePointer<AVStream>) -> Int {
    let counterClockwise = mb_av_stream_rotation(stream)
    let quarter = Int((-counterClockwise / 90).rounded())
    return ((quarter % 4) + 4) % 4 * 90
  }

  private static func rate(_ rational: AVRational) -> Double? {
    guard rational.num > 0, rational.den > 0 else { return nil }
    return Double(rational.num) / Double(rational.den)
  }

  /// A dictionary's entries in order. FFmpeg gives every value as UTF-8.
  static func entries(_ dictionary: OpaquePointer?) -> [(key: String, value: String)] {
    var result: [(key: String, value: String)] = []
    var entry: UnsafeMutablePointer<AVDictionaryEntry>?
    while let next = mb_av_dict_get(dictionary, "", entry, AV_DICT_IGNORE_SUFFIX) {
      entry = next
      guard let key = next.pointee.key, let value = next.pointee.value else { continue }
      result.append((String(cString: key), String(cString: value)))
    }
    return result
  }
}
