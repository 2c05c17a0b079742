import Foundation
import Testing

@testable import Metadata

/// Paths of the committed video fixtures (made by `scripts/make-video-fixtures`).
enum VideoFixtures {
  static let root = Fixtures.root.appendingPathComponent("videos")

  static func good(_ name: String) -> String { root.appendingPathComponent(name).path }
  static func bad(_ name: String) -> String { root.appendingPathComponent("bad/\(name)").path }

  /// Every good video fixture.
  static var videos: [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    return names.filter { $0.contains(".") && $0 != "README.md" }.sorted().map(good)
  }

  /// The container each good fixture is, by its extension.
  static let containers: [String: VideoFormat] = [
    "mp4": .mp4, "mov": .mov, "m4v": .m4v, "3gp": .threeGP, "mkv": .matroska, "webm": .webm, "avi": .avi,
    "ts": .mpegts, "mts": .mpegts, "mpg": .mpeg, "wmv": .asf, "flv": .flv,
  ]
}

/// Every good video's fields against what ffprobe says of the same file.
@Suite struct VideoFFprobeComparisonTests {
  /// `ffprobe -show_format -show_streams` JSON of every good fixture, keyed by path. Written
  /// once, then only read.
  nonisolated(unsafe) static let ffprobe: [String: [String: Any]] = {
    var result: [String: [String: Any]] = [:]
    for path in VideoFixtures.videos {
      let arguments = ["-v", "quiet", "-print_format", "json", "-show_format", "-show_streams", path]
      guard let data = try? run("ffprobe", arguments),
        let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any], json["format"] != nil
      else { continue }
      result[path] = json
    }
    return result
  }()

  @Test("ffprobe is installed (the test command installs it) and reads every fixture")
  func ffprobeAvailable() {
    #expect(VideoFixtures.videos.count == 13)
    #expect(Self.ffprobe.count == VideoFixtures.videos.count)
  }

  @Test("technical fields match ffprobe", arguments: VideoFixtures.videos)
  func technical(path: String) throws {
    let probe = try #require(Self.ffprobe[path])
    let format = try #require(probe["format"] as? [String: Any])
    let streams = try #require(probe["streams"] as? [[String: Any]])
    let metadata = try VideoExtractor.read(path)

    let ext = URL(fileURLWithPath: path).pathExtension
    #expect(metadata.format == VideoFixtures.containers[ext])
    let formatNames = (format["format_name"] as? String ?? "").split(separator: ",").map(String.init)
    #expect(formatNames.contains(metadata.format.demuxer))
    #expect(metadata.container == metadata.format.rawValue)

    let duration = try #require(Double(format["duration"] as? String ?? ""))
    #expect(abs(try #require(metadata.durationSeconds) - duration) < 0.05)
    #expect(metadata.bitRate == Int(format["bit_rate"] as? String ?? ""))

    let video = try #require(
      streams.first {
        $0["codec_type"] as? String == "video"
          && ($0["disposition"] as? [String: Any])?["attached_pic"] as? Int != 1
      })
    #expect(metadata.videoCodec == video["codec_name"] as? String)
    let sideData = video["side_data_list"] as? [[String: Any]] ?? []
    let matrix = sideData.first { $0["side_data_type"] as? String == "Display Matrix" }
    let counterClockwise = matrix?["rotation"] as? Int ?? 0
    let rotation = ((-counterClockwise % 360) + 360) % 360
    #expect(metadata.rotation == rotation)
    let (codedWidth, codedHeight) = (try #require(video["width"] as? Int), try #require(video["height"] as? Int))
    let swaps = rotation == 90 || rotation == 270
    #expect(metadata.width == (swaps ? codedHeight : codedWidth))
    #expect(metadata.height == (swaps ? codedWidth : codedHeight))
    let rate = Self.rate(video["avg_frame_rate"]) ?? Self.rate(video["r_frame_rate"])
    #expect(metadata.frameRate.map { abs($0 - (rate ?? -1)) < 1e-6 } ?? (rate == nil))

    let audio = streams.filter { $0["codec_type"] as? String == "audio" }
    #expect(metadata.audioCodec == audio.first?["codec_name"] as? String)
    #expect(metadata.audioChannels == audio.first?["channels"] as? Int)
    var languages: [String] = []
    for stream in audio {
      guard let code = (stream["tags"] as? [String: Any])?["language"] as? String, code != "und",
        let language = VideoTags.bcp47(code), !languages.contains(language)
      else { continue }
      languages.append(language)
    }
    #expect(metadata.audioLanguages == languages)

    let tags = format["tags"] as? [String: String] ?? [:]
    let date = tags["com.apple.quicktime.creationdate"] ?? tags["creation_time"]
    #expect(metadata.capturedAt == date.map(Self.expectedDate))
    let location = tags["com.apple.quicktime.location.ISO6709"] ?? tags["location"]
    let position = location.flatMap(Self.decimalDegrees)
    #expect(metadata.gps?.latitude.isNear(position?.0) ?? (position == nil))
    #expect(metadata.gps?.longitude.isNear(position?.1) ?? (position == nil))
    #expect(metadata.gps?.altitude.isNear(position?.2) ?? (position?.2 == nil))
    #expect(metadata.make == tags["com.apple.quicktime.make"] ?? tags["make"])
    #expect(metadata.model == tags["com.apple.quicktime.model"] ?? tags["model"])
    #expect(metadata.issues == [])
  }

  @Test("every descriptive container tag ffprobe shows is kept, with its field", arguments: VideoFixtures.videos)
  func descriptive(path: String) throws {
    let probe = try #require(Self.ffprobe[path])
    let tags = (probe["format"] as? [String: Any])?["tags"] as? [String: String] ?? [:]
    let metadata = try VideoExtractor.read(path)
    var expected: [(TextField, String)] = []
    for (key, value) in tags {
      guard let field = VideoTags.textFields[key.lowercased()] else { continue }
      let values = field == .keyword ? value.split(separator: ",").map { String($0) } : [value]
      expected += values.map { (field, $0.trimmingCharacters(in: .whitespaces)) }
    }
    for (field, value) in expected {
      #expect(metadata.texts.contains { $0.field == field && $0.value == value }, "\(field): \(value)")
    }
    #expect(metadata.texts.count == expected.count)
  }

  @Test(
    "poster frames fit 320 pixels, have ffprobe's display aspect ratio, and decode", arguments: VideoFixtures.videos)
  func posterFrame(path: String) throws {
    let probe = try #require(Self.ffprobe[path])
    let streams = try #require(probe["streams"] as? [[String: Any]])
    let video = try #require(streams.first { $0["codec_type"] as? String == "video" })
    let metadata = try VideoExtractor.read(path)
    let poster = try VideoExtractor.posterFrame(path, metadata: metadata)
    #expect(poster.jpeg.starts(with: [0xff, 0xd8, 0xff]) && poster.jpeg.suffix(2) == [0xff, 0xd9])
    let image = try decodePoster(poster)
    #expect((image.width, image.height) == (poster.width, poster.height))
    // The sample aspect ratio stretches the coded width (H.263's 176x144 has 12:11 samples).
    let sample =
      (video["sample_aspect_ratio"] as? String).flatMap { Self.rate($0.replacingOccurrences(of: ":", with: "/")) } ?? 1
    let displayWidth = (Double(try #require(video["width"] as? Int)) * sample).rounded()
    let displayHeight = Double(try #require(video["height"] as? Int))
    let (width, height) = metadata.rotation % 180 == 0 ? (displayWidth, displayHeight) : (displayHeight, displayWidth)
    #expect(Double(max(image.width, image.height)) == min(320, max(width, height)))
    #expect(abs(Double(image.width) / Double(image.height) - width / height) < 0.02)
    let brightness = Double(image.pixels.reduce(0) { $0 + Int($1) }) / Double(image.pixels.count)
    #expect(brightness > 40)
  }

  /// ffprobe's `25/1` as a number; nil for `0/0`.
  private static func rate(_ value: Any?) -> Double? {
    let parts = (value as? String ?? "").split(separator: "/").compactMap { Double($0) }
    guard parts.count == 2, parts[0] > 0, parts[1] > 0 else { return nil }
    return parts[0] / parts[1]
  }

  /// FFmpeg writes whole seconds as `.000000Z`, Apple offsets without a colon.
  private static func expectedDate(_ value: String) -> String {
    var date = value.replacingOccurrences(of: ".000000", with: "")
    if let sign = date.dropFirst(19).first, sign == "+" || sign == "-", date.count == 24 {
      date.insert(":", at: date.index(date.startIndex, offsetBy: 22))
    }
    return date
  }

  /// `+21.6125+105.7160/` or `+10.7725+106.6980+012.500/` as decimal degrees (and metres).
  private static func decimalDegrees(_ value: String) -> (Double, Double, Double?)? {
    var numbers: [Double] = []
    var current = ""
    for character in value {
      if character == "+" || character == "-" || character == "/" {
        if let number = Double(current) { numbers.append(number) }
        current = character == "/" ? "" : String(character)
      } else {
        current.append(character)
      }
    }
    guard numbers.count >= 2 else { return nil }
    return (numbers[0], numbers[1], numbers.count > 2 ? numbers[2] : nil)
  }
}

/// The fixtures' own values, as the script wrote them, and poster frames.
@Suite struct VideoExtractorTests {
  @Test("the rotated H.264 MP4: displayed size, capture time, ©xyz location, camera, tags")
  func rotatedMP4() throws {
    let metadata = try VideoExtractor.read(VideoFixtures.good("rotated-gps.mp4"))
    #expect(metadata.format == .mp4 && metadata.mediaType == "video/mp4")
    #expect((metadata.width, metadata.height, metadata.rotation) == (240, 320, 90))
    #expect(metadata.videoCodec == "h264" && metadata.frameRate == 25)
    #expect(metadata.audioCodec == "aac" && metadata.audioChannels == 1)
    #expect(metadata.capturedAt == "2024-03-15T06:30:00Z")
    #expect(metadata.gps == GPSCoordinate(latitude: 21.6125, longitude: 105.716, altitude: nil))
    #expect(metadata.make == "Samsung" && metadata.model == "SM-A546E")
    #expect(
      metadata.texts == [
        EmbeddedText(.title, "Hồ Núi Cốc lúc bình minh", source: .container),
        EmbeddedText(.description, "Quay bằng điện thoại", source: .container),
        EmbeddedText(.description, "Sương sớm trên mặt hồ Núi Cốc", source: .container),
        EmbeddedText(.keyword, "hồ Núi Cốc", source: .container),
        EmbeddedText(.keyword, "du lịch", source: .container),
      ])
  }

  @Test("the iPhone MOV: Apple's ISO 6709 location with altitude, local time with its offset")
  func appleMOV() throws {
    let metadata = try VideoExtractor.read(VideoFixtures.good("iphone.mov"))
    #expect(metadata.format == .mov && metadata.mediaType == "video/quicktime")
    #expect(metadata.videoCodec == "hevc" && (metadata.width, metadata.height) == (320, 180))
    #expect(metadata.capturedAt == "2025-01-28T18:05:09+07:00")
    #expect(metadata.gps == GPSCoordinate(latitude: 10.7725, longitude: 106.698, altitude: 12.5))
    #expect(metadata.make == "Apple" && metadata.model == "iPhone 13")
    #expect(metadata.audioChannels == 2)
    #expect(metadata.texts == [EmbeddedText(.title, "Chợ Bến Thành", source: .container)])
  }

  @Test("Matroska with two audio languages, and the transport stream's one")
  func languages() throws {
    let mkv = try VideoExtractor.read(VideoFixtures.good("two-languages.mkv"))
    #expect(mkv.audioLanguages == ["vi", "en"])
    #expect(mkv.audioCodec == "opus" && mkv.format == .matroska)
    #expect(mkv.capturedAt == "2023-09-02T08:00:00Z")
    #expect(mkv.texts.map(\.field) == [.title, .description])
    let ts = try VideoExtractor.read(VideoFixtures.good("broadcast.ts"))
    #expect(ts.audioLanguages == ["vi"] && ts.videoCodec == "mpeg2video")
  }

  @Test(
    "every container is recognised with its media type",
    arguments: [
      ("itunes.m4v", VideoFormat.m4v, "video/x-m4v", "h264"), ("phone.3gp", .threeGP, "video/3gpp", "h263"),
      ("old-camera.avi", .avi, "video/x-msvideo", "mpeg4"), ("avchd.mts", .mpegts, "video/mp2t", "h264"),
      ("dvd.mpg", .mpeg, "video/mpeg", "mpeg2video"), ("windows.wmv", .asf, "video/x-ms-wmv", "wmv2"),
      ("clip.webm", .webm, "video/webm", "vp9"), ("flash.flv", .flv, "video/x-flv", "flv1"),
    ])
  func containers(name: String, format: VideoFormat, mediaType: String, codec: String) throws {
    let path = VideoFixtures.good(name)
    #expect(try VideoExtractor.format(of: path) == format)
    let metadata = try VideoExtractor.read(path)
    #expect(metadata.format == format && metadata.mediaType == mediaType && metadata.videoCodec == codec)
  }

  @Test("the poster frame of the rotated MP4 is turned 90° clockwise: red at the top right")
  func posterRotation() throws {
    let path = VideoFixtures.good("rotated-gps.mp4")
    let image = try decode(try VideoExtractor.posterFrame(path, metadata: try VideoExtractor.read(path)))
    #expect((image.width, image.height) == (240, 320))
    #expect(rgb(image, x: 180, y: 80) == "red")
    #expect(rgb(image, x: 60, y: 80) == "blue")
    #expect(rgb(image, x: 180, y: 240) == "blue")
  }

  @Test("the poster frame skips a black first second")
  func posterSkipsBlack() throws {
    let path = VideoFixtures.good("black-start.mp4")
    let metadata = try VideoExtractor.read(path)
    #expect(metadata.durationSeconds == 3)
    let image = try decode(try VideoExtractor.posterFrame(path, metadata: metadata))
    #expect(brightness(image) > 60)
  }

  @Test("a dark keyframe long before 10% (one keyframe, an 8 s fade-in) is passed over for the frame at 10%")
  func posterPassesDarkKeyframe() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fade-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("fade.mp4").path
    // 60 s, a single keyframe at 0: frames 1 s and 2 s in are dim (a 12% and 25% fade), the frame
    // at 6 s (10%) three-quarters bright.
    _ = try run(
      "ffmpeg",
      [
        "-v", "error", "-nostdin", "-f", "lavfi", "-i", "color=c=white:s=96x64:r=5:d=60,fade=in:st=0:d=8",
        "-c:v", "libx264", "-g", "1000", "-keyint_min", "1000", "-sc_threshold", "0", "-pix_fmt", "yuv420p", path,
      ])
    let metadata = try VideoExtractor.read(path)
    #expect(metadata.durationSeconds == 60)
    let image = try decode(try VideoExtractor.posterFrame(path, metadata: metadata))
    #expect(brightness(image) > 150, "the frame at 6 s (white at 75%), not a dim one after the keyframe")
  }

  @Test(
    "files that are not videos are refused with a clear reason",
    arguments: [
      ("text.mp4", "not an MP4 video (the file is plain text)"),
      ("image.mp4", "not an MP4 video (the file is a PNG image)"),
      ("empty.mp4", "empty file (0 bytes)"),
      ("interview.mp3", "an audio file (MP3): audio-only files are not accepted"),
      ("audio-only.mp4", "an audio file (mp4, 1 audio stream): audio-only files are not accepted"),
      ("cover-art.mp4", "an audio file (mp4, 1 audio stream, 1 cover picture): audio-only files are not accepted"),
    ])
  func refusals(name: String, reason: String) {
    // An audio file is refused as such, not as a broken video.
    let expected = MetadataError(reason, isAudioOnly: reason.hasPrefix("an audio file"))
    #expect(throws: expected) { try VideoExtractor.read(VideoFixtures.bad(name)) }
  }

  @Test("truncated MP4s are refused: the lost moov box, the media data cut short")
  func truncated() throws {
    let error = #expect(throws: MetadataError.self) { try VideoExtractor.read(VideoFixtures.bad("truncated.mp4")) }
    #expect(error?.reason.hasPrefix("truncated MP4: the `mdat` box at byte 40 needs ") == true)
    #expect(error?.reason.hasSuffix("the file was cut short") == true)
    let cut = #expect(throws: MetadataError.self) {
      try VideoExtractor.read(VideoFixtures.bad("truncated-faststart.mp4"))
    }
    #expect(cut?.reason.contains("truncated MP4: the `mdat` box") == true)
  }

  @Test("an MP4 whose moov box is missing (but nothing is cut) is refused as unfinished")
  func noMovieBox() throws {
    // ftyp + an mdat that ends exactly at the end of the file: a recording never finalised.
    let bytes: [UInt8] =
      [0, 0, 0, 16] + Array("ftypisom".utf8) + [0, 0, 2, 0] + [0, 0, 0, 12] + Array("mdat".utf8) + [1, 2, 3, 4]
    let path = try temporaryFile(bytes, name: "unfinished.mp4")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let error = #expect(throws: MetadataError.self) { try VideoExtractor.read(path) }
    #expect(error?.reason.hasPrefix("truncated or unfinished MP4: it has no `moov` box") == true)
  }

  @Test("stray bytes after the last box of a complete MP4 are an issue, not a refusal")
  func trailingBytes() throws {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: VideoFixtures.good("rotated-gps.mp4"))))
    let path = try temporaryFile(bytes + [0xde, 0xad, 0xbe, 0xef], name: "junk.mp4")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let metadata = try VideoExtractor.read(path)
    #expect(metadata.issues == ["4 bytes after the last box of the MP4 are not a box; ignored"])
    #expect(metadata.rotation == 90)
  }

  @Test(
    "what FFmpeg cannot read becomes a MetadataError saying why",
    arguments: [
      (
        [0x1a, 0x45, 0xdf, 0xa3] + [UInt8](repeating: 0xff, count: 64), "garbage.mkv",
        "cannot read the Matroska file: the data is corrupt or truncated "
          + "(FFmpeg: Invalid data found when processing input)"
      ),
      (
        [0x1a, 0x45, 0xdf, 0xa3, 0x84, 0x42, 0x82, 0x81, 0x01] + [UInt8](repeating: 0xff, count: 64), "cut.mkv",
        "cannot read the Matroska file: the file ends too early, it is truncated (FFmpeg: End of file)"
      ),
      (
        [0, 0, 0, 16] + Array("ftypisom".utf8) + [0, 0, 2, 0] + [0, 0, 0, 24] + Array("moov".utf8) + [0, 0, 0, 16]
          + Array("trak".utf8) + [UInt8](repeating: 0xff, count: 8), "garbage.mp4",
        "not a video: the MP4 has no video stream (only 1 stream of other kinds)"
      ),
    ])
  func ffmpegErrors(bytes: [UInt8], name: String, reason: String) throws {
    let path = try temporaryFile(bytes, name: name)
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(throws: MetadataError(reason)) { try VideoExtractor.read(path) }
  }

  @Test("a 3 GB video is read and gets a poster frame without being loaded (a sparse file)")
  func largeVideo() throws {
    // black-start.mp4 is ftyp, free, mdat, moov. Growing the mdat box at its end by 3 GB of holes
    // keeps every sample offset valid and puts the moov box 3 GB into the file.
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: VideoFixtures.good("black-start.mp4"))))
    var offset = 0
    var boxes: [String: Range<Int>] = [:]
    while offset + 8 <= bytes.count {
      let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
      boxes[String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)] = offset..<(offset + length)
      offset += length
    }
    let mdat = try #require(boxes["mdat"])
    let moov = try #require(boxes["moov"])
    #expect(mdat.upperBound == moov.lowerBound)
    let gap = 3_000_000_000
    var head = Array(bytes[..<mdat.upperBound])
    let grown = UInt32(mdat.count + gap)
    head.replaceSubrange(
      mdat.lowerBound..<(mdat.lowerBound + 4), with: withUnsafeBytes(of: grown.bigEndian, Array.init))
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID())-large.mp4").path
    #expect(FileManager.default.createFile(atPath: path, contents: Data(head)))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let file = try #require(FileHandle(forWritingAtPath: path))
    try file.seek(toOffset: UInt64(mdat.upperBound + gap))
    try file.write(contentsOf: Data(bytes[moov]))
    try file.close()

    let before = peakMemory()
    let metadata = try VideoExtractor.read(path)
    #expect(metadata.durationSeconds == 3 && metadata.bitRate! > 7_000_000_000)
    let image = try decodePoster(try VideoExtractor.posterFrame(path, metadata: metadata))
    #expect(brightness(image) > 60)
    #expect(peakMemory() - before < 200 << 20)
  }

  /// The process's peak resident memory, in bytes.
  private func peakMemory() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
  }

  @Test("frame sizes of 0 or above 16384 pixels are refused")
  func frameSize() {
    #expect(throws: MetadataError.self) { try VideoExtractor.checkFrameSize(width: 0, height: 0) }
    #expect(
      throws: MetadataError("the video frame is 20000 x 1080 pixels, above the limit of 16384 pixels per side")
    ) { try VideoExtractor.checkFrameSize(width: 20000, height: 1080) }
    #expect(throws: Never.self) { try VideoExtractor.checkFrameSize(width: 16384, height: 16384) }
  }

  private func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID())-\(name)").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  private func decode(_ thumbnail: Thumbnail) throws -> RGBImage { try decodePoster(thumbnail) }

  private func brightness(_ image: RGBImage) -> Double {
    Double(image.pixels.reduce(0) { $0 + Int($1) }) / Double(image.pixels.count)
  }

  private func rgb(_ image: RGBImage, x: Int, y: Int) -> String {
    let offset = (y * image.width + x) * 3
    let (r, g, b) = (image.pixels[offset], image.pixels[offset + 1], image.pixels[offset + 2])
    if r > 200 && g < 60 && b < 60 { return "red" }
    if r < 60 && g < 60 && b > 200 { return "blue" }
    return "other (\(r), \(g), \(b))"
  }
}

/// Recognising containers by their first bytes, and parsing the tags' formats.
@Suite struct VideoFormatTests {
  private func format(_ head: [UInt8], name: String = "clip.mp4") throws -> VideoFormat {
    try VideoExtractor.format(head: head, size: Int64(max(head.count, 1)), name: name)
  }

  private func ftyp(_ brand: String) -> [UInt8] {
    [0, 0, 0, 20] + Array("ftyp".utf8) + Array(brand.utf8) + [0, 0, 0, 0] + Array("isom".utf8)
  }

  @Test("ftyp brands say which ISO base media file it is")
  func brands() throws {
    #expect(try format(ftyp("isom")) == .mp4)
    #expect(try format(ftyp("mp42")) == .mp4)
    #expect(try format(ftyp("qt  ")) == .mov)
    #expect(try format(ftyp("M4V ")) == .m4v)
    #expect(try format(ftyp("3gp5")) == .threeGP)
    #expect(try format(ftyp("3g2a")) == .threeG2)
    #expect(try format([0, 0, 0, 8] + Array("wide".utf8) + [0, 0, 0, 8] + Array("mdat".utf8)) == .mov)
    #expect(throws: MetadataError("an audio file (M4A): audio-only files are not accepted", isAudioOnly: true)) {
      try format(ftyp("M4A "))
    }
    #expect(throws: MetadataError("not an MP4 video (the file is a HEIF image)")) { try format(ftyp("heic")) }
  }

  @Test("Matroska, WebM, AVI, transport and program streams, ASF, FLV")
  func signatures() throws {
    let ebml: [UInt8] = [0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x88]
    #expect(try format(ebml + Array("matroska".utf8)) == .matroska)
    #expect(try format(ebml + Array("webm".utf8)) == .webm)
    #expect(try format(Array("RIFF".utf8) + [0, 0, 0, 0] + Array("AVI LIST".utf8)) == .avi)
    #expect(throws: MetadataError("an audio file (WAV): audio-only files are not accepted", isAudioOnly: true)) {
      try format(Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WAVEfmt ".utf8))
    }
    var ts = [UInt8](repeating: 0, count: 188 * 4)
    for packet in 0..<4 { ts[packet * 188] = 0x47 }
    #expect(try format(ts) == .mpegts)
    var m2ts = [UInt8](repeating: 0, count: 192 * 4)
    for packet in 0..<4 { m2ts[packet * 192 + 4] = 0x47 }
    #expect(try format(m2ts) == .mpegts)
    ts[188 * 2] = 0
    #expect(throws: MetadataError.self) { try format(ts) }
    #expect(try format([0, 0, 1, 0xba, 0x44, 0, 4, 0, 4, 1]) == .mpeg)
    let asf: [UInt8] = [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11, 0xa6, 0xd9, 0x00, 0xaa, 0x00, 0x62, 0xce, 0x6c]
    #expect(try format(asf + [0, 0]) == .asf)
    #expect(try format(Array("FLV".utf8) + [1, 5, 0, 0, 0, 9]) == .flv)
    #expect(
      throws: MetadataError("an audio file (FLV with audio only): audio-only files are not accepted", isAudioOnly: true)
    ) {
      try format(Array("FLV".utf8) + [1, 4, 0, 0, 0, 9])
    }
  }

  @Test("what a refused file is, worded by the extension it claims")
  func refusals() {
    #expect(throws: MetadataError("not a Matroska video (the file is a JPEG image)")) {
      try format([0xff, 0xd8, 0xff, 0xe0], name: "/a/b/film.MKV")
    }
    #expect(throws: MetadataError("not an AVI video (the file is plain text)")) {
      try format(Array("Tiếng Việt\n".utf8), name: "clip.avi")
    }
    #expect(
      throws: MetadataError(
        "not a supported video (MP4, MOV, 3GP, MKV, WebM, AVI, MPEG-TS, MPG, WMV, FLV) (starts with 0x00 0x01 0x02 0x03)"
      )
    ) { try format([0, 1, 2, 3, 4], name: "clip.bin") }
    #expect(throws: MetadataError("an audio file (MP3): audio-only files are not accepted", isAudioOnly: true)) {
      try format([0xff, 0xfb, 0x90, 0x64], name: "song.mp4")
    }
    #expect(throws: MetadataError("empty file (0 bytes)")) {
      try VideoExtractor.format(head: [], size: 0, name: "empty.mp4")
    }
  }

  @Test("ISO 6709 positions: degrees, degrees and minutes, degrees minutes seconds, altitude, CRS")
  func iso6709() {
    #expect(VideoTags.iso6709("+21.6125+105.7160/") == GPSCoordinate(latitude: 21.6125, longitude: 105.716))
    #expect(
      VideoTags.iso6709("-22.9519-043.2105-012.000/")
        == GPSCoordinate(latitude: -22.9519, longitude: -43.2105, altitude: -12))
    let minutes = VideoTags.iso6709("+2136.75+10542.96/")
    #expect(abs((minutes?.latitude ?? 0) - 21.6125) < 1e-9 && abs((minutes?.longitude ?? 0) - 105.716) < 1e-9)
    let seconds = VideoTags.iso6709("+213645+1054257.6CRSWGS_84/")
    #expect(abs((seconds?.latitude ?? 0) - 21.6125) < 1e-9 && abs((seconds?.longitude ?? 0) - 105.716) < 1e-9)
    #expect(VideoTags.iso6709("+21+105/") == GPSCoordinate(latitude: 21, longitude: 105))
    #expect(VideoTags.iso6709("+91.0000+105.0000/") == nil)
    #expect(VideoTags.iso6709("21.6125, 105.716") == nil)
    #expect(VideoTags.iso6709("+2161.00+10500.00/") == nil)
    #expect(VideoTags.iso6709("") == nil)
  }

  @Test("ISO 8601 date-times: fractions, offsets, a space for the T")
  func dates() {
    #expect(VideoTags.isoDateTime("2024-03-15T06:30:00.000000Z") == "2024-03-15T06:30:00Z")
    #expect(VideoTags.isoDateTime("2025-01-28T18:05:09+0700") == "2025-01-28T18:05:09+07:00")
    #expect(VideoTags.isoDateTime("2025-01-28T18:05:09-03:00") == "2025-01-28T18:05:09-03:00")
    #expect(VideoTags.isoDateTime("2025-01-28 18:05:09.250") == "2025-01-28T18:05:09.25")
    #expect(VideoTags.isoDateTime("2025-01-28T18:05+07") == "2025-01-28T18:05:00+07:00")
    #expect(VideoTags.isoDateTime("2025-13-28T18:05:09Z") == nil)
    #expect(VideoTags.isoDateTime("Mon Mar 14 2005") == nil)
    #expect(VideoTags.isoDateTime("2025-01-28") == nil)
  }

  @Test("container language codes become BCP 47 tags")
  func languages() {
    #expect(VideoTags.bcp47("vie") == "vi")
    #expect(VideoTags.bcp47("eng") == "en")
    #expect(VideoTags.bcp47("fre") == "fr" && VideoTags.bcp47("fra") == "fr")
    #expect(VideoTags.bcp47("chi") == "zh")
    #expect(VideoTags.bcp47("tyz") == "tyz")
    #expect(VideoTags.bcp47("zh-Hans") == "zh-Hans")
    #expect(VideoTags.bcp47("und") == nil)
    #expect(VideoTags.bcp47("English") == nil)
  }

  @Test("tags with a language suffix give the language; the same bare value is not repeated")
  func textLanguages() {
    var metadata = VideoMetadata(format: .mov, width: 1, height: 1, rotation: 0, videoCodec: "h264")
    VideoTags(
      container: [("title", "Hội An"), ("title-vie", "Hội An"), ("TITLE-eng", "Hoi An"), ("encoder", "Lavf")],
      videoStream: []
    ).fill(&metadata)
    #expect(
      metadata.texts == [
        EmbeddedText(.title, "Hội An", language: "vi", source: .container),
        EmbeddedText(.title, "Hoi An", language: "en", source: .container),
      ])
  }

  @Test("tags that do not parse are issues, not errors")
  func badTags() {
    var metadata = VideoMetadata(format: .mp4, width: 1, height: 1, rotation: 0, videoCodec: "h264")
    var tags = VideoTags(
      container: [("creation_time", "yesterday"), ("location", "somewhere")],
      videoStream: [("creation_time", "2020-01-02T03:04:05.000000Z")])
    tags.addAudioLanguage("English", stream: 1)
    tags.fill(&metadata)
    #expect(metadata.capturedAt == "2020-01-02T03:04:05Z")
    #expect(metadata.gps == nil)
    #expect(
      metadata.issues == [
        "audio stream 1 has the language `English`, which is not a language code; ignored",
        "the `creation_time` tag `yesterday` is not an ISO 8601 date-time; ignored",
        "the `location` tag `somewhere` is not an ISO 6709 position; ignored",
      ])
  }
}

/// Decodes a poster frame's JPEG with libjpeg-turbo.
private func decodePoster(_ thumbnail: Thumbnail) throws -> RGBImage {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID())-poster.jpg").path
  try Data(thumbnail.jpeg).write(to: URL(fileURLWithPath: path))
  defer { try? FileManager.default.removeItem(atPath: path) }
  var issues: [String] = []
  return try Thumbnailer.decodeJPEG(path, longEdge: 10_000, issues: &issues)
}

extension Double {
  fileprivate func isNear(_ other: Double?) -> Bool {
    guard let other else { return false }
    return abs(self - other) < 1e-6
  }
}

extension Optional where Wrapped == Double {
  fileprivate func isNear(_ other: Double?) -> Bool {
    switch (self, other) {
    case (nil, nil): true
    case (let value?, let other?): abs(value - other) < 1e-6
    default: false
    }
  }
}
