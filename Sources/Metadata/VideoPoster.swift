import CFFmpeg
import CMediaShim
import CTurboJPEG

/// Finds a representative frame of a video, scales it with libswscale straight to the preview
/// size, turns it as displayed and encodes it with libjpeg-turbo.
final class VideoPoster {
  /// Frames whose mean RGB value is below this are "near-black" (a fade-in, a black leader).
  static let darkThreshold = 24.0
  /// How many frames, a step apart, are looked at before settling for the brightest.
  static let candidateCount = 4
  /// Decoding stops after this many frames whatever happened (a long stretch before the target
  /// after an imprecise seek, or frames without timestamps).
  static let maxDecodedFrames = 1000
  /// Packets the decoder may refuse before the file is called undecodable.
  static let maxFailures = 200
  /// Packets skipped while waiting for a keyframe before decoding whatever comes (a stream that
  /// never flags its keyframes).
  static let maxSkippedPackets = 300

  private let input: VideoInput
  private let stream: UnsafeMutablePointer<AVStream>
  private let longEdge: Int
  private var decoder: UnsafeMutablePointer<AVCodecContext>?
  private var packet: UnsafeMutablePointer<AVPacket>?
  private var frame: UnsafeMutablePointer<AVFrame>?
  private var lastFrame: UnsafeMutablePointer<AVFrame>?
  private var scaler: OpaquePointer?

  private var nextCandidate: Double = 0
  /// The time the search seeks to (10% of the duration, at most 10 s); 0 without a seek.
  private var target: Double = 0
  private var step: Double = 1
  private var tried = 0
  private var decoded = 0
  private var best: (image: RGBImage, brightness: Double)?
  /// The last error the decoder returned for a packet.
  private var lastError: Int32 = 0
  /// After a seek into the video, packets before the first keyframe are skipped: they cannot be
  /// decoded into a picture, and an MPEG transport stream, whose seeks land anywhere, has many.
  /// From the start of the file everything is decoded, as before any seek.
  private var awaitingKeyframe = false

  /// Makes the poster frame of `input`'s video stream.
  static func make(_ input: VideoInput, rotation: Int, longEdge: Int) throws(MetadataError) -> Thumbnail {
    let poster = try VideoPoster(input, longEdge: longEdge)
    var image = try poster.search()
    let orientation = [90: 6, 180: 3, 270: 8][rotation] ?? 1
    image = image.oriented(orientation)
    return Thumbnail(jpeg: try Thumbnailer.encodeJPEG(image), width: image.width, height: image.height, issues: [])
  }

  private init(_ input: VideoInput, longEdge: Int) throws(MetadataError) {
    self.input = input
    self.longEdge = longEdge
    stream = try input.videoStream()
    let parameters = stream.pointee.codecpar!
    let name = String(cString: mb_avcodec_get_name(parameters.pointee.codec_id))
    guard let codec = mb_avcodec_find_decoder(parameters.pointee.codec_id) else {
      throw MetadataError("cannot make a poster frame: this FFmpeg has no decoder for the \(name) video codec")
    }
    decoder = mb_avcodec_alloc_context3(codec)
    packet = mb_av_packet_alloc()
    frame = mb_av_frame_alloc()
    lastFrame = mb_av_frame_alloc()
    guard let decoder, packet != nil, frame != nil, lastFrame != nil else { throw MetadataError("out of memory") }
    var status = mb_avcodec_parameters_to_context(decoder, parameters)
    if status >= 0 {
      decoder.pointee.pkt_timebase = stream.pointee.time_base
      decoder.pointee.thread_count = 1  // Imports already run one file per core.
      status = mb_avcodec_open2(decoder, codec, nil)
    }
    guard status >= 0 else { throw VideoInput.error(status, "cannot open the \(name) decoder") }
  }

  deinit {
    mb_avcodec_free_context(&decoder)
    mb_av_packet_free(&packet)
    mb_av_frame_free(&frame)
    mb_av_frame_free(&lastFrame)
    mb_sws_freeContext(scaler)
  }

  /// Seeks to the keyframe at or before the target time and takes the first frame there (as a
  /// player does when it seeks: the frames between the keyframe and the exact time are not worth
  /// decoding for a preview), then decodes on until a bright enough candidate is found. Where a
  /// seek lands past the last keyframe (a container without an index, such as MPEG-TS, with few
  /// keyframes), nothing decodes: then it decodes again from the start, up to the same target.
  private func search() throws(MetadataError) -> RGBImage {
    let context = input.context
    let index = stream.pointee.index
    let duration = Self.seconds(context.pointee.duration, AVRational(num: 1, den: AV_TIME_BASE))
    if let duration, duration > 2 {
      target = min(duration * 0.1, 10)
      step = 1
      let timestamp = startTime + Int64(target / av_q2d(stream.pointee.time_base))
      // On failure the position is unchanged: decoding runs from the start up to the target.
      if mb_av_seek_frame(context, index, timestamp, AVSEEK_FLAG_BACKWARD) >= 0 {
        nextCandidate = 0
        awaitingKeyframe = true
        if let image = try decode() { return image }
        // Back to byte 0 where the demuxer allows it: a timestamp seek to the start of an MPEG-TS
        // can land just after its first keyframe. MP4 and the like have an index instead.
        if mb_av_seek_frame(context, -1, 0, AVSEEK_FLAG_BYTE) < 0 {
          _ = mb_av_seek_frame(context, index, startTime, AVSEEK_FLAG_BACKWARD)
        }
        mb_avcodec_flush_buffers(decoder)
        awaitingKeyframe = false
      }
    } else {
      step = 0.25
    }
    nextCandidate = target
    if let image = try decode() { return image }
    let codec = String(cString: mb_avcodec_get_name(stream.pointee.codecpar.pointee.codec_id))
    throw MetadataError(
      "cannot decode any frame of the \(codec) video"
        + (lastError != 0 ? ": the data is corrupt or truncated (FFmpeg: \(VideoInput.message(lastError)))" : ""))
  }

  /// Reads and decodes from the current position to the end of the search; nil when no frame
  /// decoded.
  private func decode() throws(MetadataError) -> RGBImage? {
    let context = input.context
    let index = stream.pointee.index
    var failures = 0
    var skipped = 0
    while true {
      let read = mb_av_read_frame(context, packet)
      if read < 0 {
        _ = mb_avcodec_send_packet(decoder, nil)  // Drain what the decoder holds.
        _ = try receive()
        break
      }
      defer { mb_av_packet_unref(packet) }
      guard packet!.pointee.stream_index == index else { continue }
      if awaitingKeyframe {
        if packet!.pointee.flags & AV_PKT_FLAG_KEY == 0 && skipped < Self.maxSkippedPackets {
          skipped += 1
          continue
        }
        awaitingKeyframe = false
      }
      var sent = mb_avcodec_send_packet(decoder, packet)
      if sent == mb_av_error_again() {
        // The decoder's output is full: take its frames, then it accepts the packet.
        if try receive() { break }
        sent = mb_avcodec_send_packet(decoder, packet)
      }
      if sent < 0 {
        failures += 1
        lastError = sent
        if failures > Self.maxFailures { break }
      }
      if try receive() { break }
    }
    if let best { return best.image }
    if decoded > 0 { return try scale(lastFrame!) }
    return nil
  }

  /// Takes every frame the decoder has ready; true when the search is over.
  private func receive() throws(MetadataError) -> Bool {
    while mb_avcodec_receive_frame(decoder, frame) == 0 {
      defer { mb_av_frame_unref(frame) }
      if try consider(frame!) { return true }
    }
    return false
  }

  /// Looks at one decoded frame; true when it ends the search.
  private func consider(_ frame: UnsafeMutablePointer<AVFrame>) throws(MetadataError) -> Bool {
    decoded += 1
    mb_av_frame_unref(lastFrame)
    _ = mb_av_frame_ref(lastFrame, frame)
    let time = Self.seconds(frame.pointee.best_effort_timestamp, stream.pointee.time_base, start: startTime)
    if let time, time + 0.001 < nextCandidate, decoded < Self.maxDecodedFrames { return false }
    let image = try scale(frame)
    let brightness = Double(image.pixels.reduce(0) { $0 + Int($1) }) / Double(max(1, image.pixels.count))
    tried += 1
    if best == nil || brightness > best!.brightness { best = (image, brightness) }
    if brightness >= Self.darkThreshold || tried >= Self.candidateCount || decoded >= Self.maxDecodedFrames {
      return true
    }
    nextCandidate = max(nextCandidate, time ?? nextCandidate) + step
    // A dark keyframe well before the target (a long keyframe interval over a black leader or a
    // fade-in): go on to the target itself, as a seek to the exact time would.
    if tried == 1 { nextCandidate = max(nextCandidate, target) }
    return false
  }

  /// The stream's first timestamp, in its time base.
  private var startTime: Int64 {
    let start = stream.pointee.start_time
    return start == mb_av_no_timestamp() ? 0 : start
  }

  private static func seconds(_ timestamp: Int64, _ base: AVRational, start: Int64 = 0) -> Double? {
    guard timestamp != mb_av_no_timestamp(), base.den > 0 else { return nil }
    return Double(timestamp - start) * av_q2d(base)
  }

  /// Converts a frame to RGB at the preview size, stretched by the sample aspect ratio.
  private func scale(_ frame: UnsafeMutablePointer<AVFrame>) throws(MetadataError) -> RGBImage {
    let width = Int(frame.pointee.width)
    let height = Int(frame.pointee.height)
    try VideoExtractor.checkFrameSize(width: width, height: height)
    // FFmpeg's choice, as its players make it: the container's ratio, else the stream's, else the frame's.
    let aspect = mb_av_guess_sample_aspect_ratio(input.context, stream, frame)
    var displayWidth = width
    if aspect.num > 0, aspect.den > 0 {
      displayWidth = min(VideoExtractor.maxSide, max(1, Int((Double(width) * av_q2d(aspect)).rounded())))
    }
    var targetWidth: UInt32 = 0
    var targetHeight: UInt32 = 0
    mb_fit_size(UInt32(displayWidth), UInt32(height), UInt32(longEdge), &targetWidth, &targetHeight)
    scaler = mb_sws_getCachedContext(
      scaler, Int32(width), Int32(height), AVPixelFormat(rawValue: frame.pointee.format), Int32(targetWidth),
      Int32(targetHeight), AV_PIX_FMT_RGB24, SWS_AREA, nil, nil, nil)
    guard let scaler else {
      let name = mb_av_get_pix_fmt_name(AVPixelFormat(rawValue: frame.pointee.format)).map { String(cString: $0) }
      throw MetadataError("cannot convert the video's \(name ?? "unknown") pixels to RGB")
    }
    // Decoders tag HD video BT.709 and JPEG-style video full range; libswscale assumes BT.601.
    let colours = frame.pointee.colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_DEFAULT
    _ = mb_sws_setColorspaceDetails(
      scaler, mb_sws_getCoefficients(colours), frame.pointee.color_range == AVCOL_RANGE_JPEG ? 1 : 0,
      mb_sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16)
    var pixels = [UInt8](repeating: 0, count: Int(targetWidth) * Int(targetHeight) * 3)
    let status = pixels.withUnsafeMutableBufferPointer { buffer in
      mb_av_scale_frame(scaler, frame, buffer.baseAddress, Int32(targetWidth) * 3)
    }
    guard status > 0 else { throw VideoInput.error(status, "cannot scale the poster frame") }
    return RGBImage(width: Int(targetWidth), height: Int(targetHeight), pixels: pixels)
  }
}
