import CMediaShim

/// FFmpeg and libheif, loaded on first use.
///
/// `mediabank` does not link them: together they pull in some 130 shared libraries, about 20 ms of
/// dynamic loading that every process would pay, though most commands read no video and no HEIF
/// image. CMediaShim opens them with `dlopen` the first time `VideoInput` or `HEIFImage` needs
/// them (once per process, thread-safe) and calls them through a table of function pointers.
enum SharedLibraries {
  /// Loads libavformat, libavcodec, libswscale and libavutil. Throws, naming the library and the
  /// Debian package that installs it, when one cannot be loaded.
  static func loadFFmpeg() throws(MetadataError) {
    try load { message, capacity in mb_load_ffmpeg(message, capacity) }
  }

  /// Loads libheif. Throws, naming the library and its Debian package, when it cannot be loaded.
  static func loadHEIF() throws(MetadataError) {
    try load { message, capacity in mb_load_heif(message, capacity) }
  }

  private static func load(_ loader: (UnsafeMutablePointer<CChar>, Int) -> mb_status) throws(MetadataError) {
    var message = [CChar](repeating: 0, count: 512)
    let status = message.withUnsafeMutableBufferPointer { loader($0.baseAddress!, $0.count) }
    guard status == MB_OK else {
      throw MetadataError(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
  }
}
