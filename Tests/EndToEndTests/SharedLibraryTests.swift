import Foundation
import Testing

/// FFmpeg and libheif are loaded on first use, not linked: a command that reads no video and no
/// HEIF image starts without them, and a missing library fails only the files that need it, with
/// the library and its Debian package named.
@Suite struct SharedLibraryTests {
  let scratch: ScratchDirectory
  let bank: String

  init() throws {
    scratch = try ScratchDirectory()
    bank = scratch.appending("bank")
  }

  /// The sonames the system's libraries go by, as `ldconfig -p` lists them (`libavformat.so.59`).
  func sonames(_ library: String) throws -> [String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/sbin/ldconfig")
    process.arguments = ["-p"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let names = output.split(separator: "\n").compactMap { line in
      line.split(whereSeparator: \.isWhitespace).first.map(String.init)
    }
    return Set(names.filter { $0.hasPrefix(library + ".so.") }).sorted()
  }

  @Test("with broken FFmpeg and libheif first on the library path, only videos and HEIC files fail, by name")
  func brokenLibraries() throws {
    // Empty files named like the real libraries, found first: loading one fails ("file too short").
    let libraries = scratch.appending("lib")
    try FileManager.default.createDirectory(atPath: libraries, withIntermediateDirectories: true)
    let avformat = try #require(try sonames("libavformat").first, "libavformat is not installed")
    let heif = try #require(try sonames("libheif").first, "libheif is not installed")
    for name in [avformat, heif] {
      #expect(FileManager.default.createFile(atPath: libraries + "/" + name, contents: Data()))
    }
    let cli = CLI(environment: ["LD_LIBRARY_PATH": libraries])

    // Linked, they would stop the process before main.
    let version = try cli("--version")
    #expect(version.status == 0, "\(version.stderr)")

    let video = CLI.video("rotated-gps.mp4")
    let photo = CLI.photo("iphone.heic")
    let result = try cli("add", video, photo, CLI.photo("orientation-1.jpg"), "--bank", bank)
    #expect(result.status == 1)
    #expect(result.stdout.contains("orientation-1.jpg"), "a JPEG needs neither: \(result.stderr)")
    let package = { (soname: String) in soname.replacingOccurrences(of: ".so.", with: "") }
    #expect(result.stderr.contains("\(video): cannot load \(avformat) (install \(package(avformat))): "))
    #expect(result.stderr.contains("\(photo): cannot load \(heif) (install \(package(heif))): "))
    #expect(result.stderr.contains("file too short"), "the loader's reason is kept: \(result.stderr)")

    // With the real libraries, the same files are read.
    let again = try CLI()("add", video, photo, "--bank", bank)
    #expect(again.status == 0, "\(again.stderr)")
  }
}
