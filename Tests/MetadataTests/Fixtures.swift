import Foundation

/// Paths of the committed fixtures (made by `scripts/make-fixtures`).
enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func photo(_ name: String) -> String { root.appendingPathComponent("photos/\(name)").path }
  static func bad(_ name: String) -> String { root.appendingPathComponent("bad/\(name)").path }
  static func damaged(_ name: String) -> String { root.appendingPathComponent("damaged/\(name)").path }

  static func metadata(_ name: String) -> String { root.appendingPathComponent("metadata/\(name)").path }

  /// Every good photo fixture.
  static var photos: [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("photos").path)) ?? []
    return names.sorted().map(photo)
  }

  /// The photos of `scripts/make-metadata-fixtures`: dates, cameras and positions in the places
  /// issue 14 lists (XMP and IPTC only, PNG raw profiles, APP12, EXIF libexif cannot load).
  static var metadataPhotos: [String] {
    let names =
      (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("metadata").path)) ?? []
    return names.filter { !$0.hasSuffix(".md") }.sorted().map(metadata)
  }
}

/// Runs a tool and returns its standard output; fails with the tool's own message.
func run(_ tool: String, _ arguments: [String]) throws -> Data {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = [tool] + arguments
  let output = Pipe()
  process.standardOutput = output
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return data
}
