import Foundation
import Testing

/// The web library in a real headless Chromium (Debian's `chromium` and `chromium-driver`, driven
/// by Selenium; scripts/setup installs them): `Tests/Browser/web_flow.py` signs in, uploads three
/// files, finds them by a search without diacritics, filters by a pillar facet, opens one, edits
/// its Vietnamese title, accepts a suggestion, ticks two and tags them, checks the dashboard's
/// numbers against `mediabank report --format json`, switches to English, signs out, checks that
/// a viewer has no controls and that a forged post is refused, and signs out. Its screenshots are
/// kept in `.build/browser-screenshots/` to look at.
@Suite struct BrowserTests {
  static let password = "mật khẩu dài lắm"

  @Test("a person signs in, uploads, searches, filters, edits, reviews, tags, reads the dashboard, signs out")
  func webFlow() throws {
    let scratch = try ScratchDirectory()
    let bank = try RunningServer.makeBank(in: scratch, password: Self.password)
    let server = try RunningServer(bank: bank)
    let root = CLI.fixtures.deletingLastPathComponent()
    let screenshots = root.appendingPathComponent(".build/browser-screenshots").path
    try? FileManager.default.removeItem(atPath: screenshots)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    // Three files to upload: two photos the bank does not hold, titled in their XMP, and a text
    // file named as a photo.
    var uploads: [String] = []
    for (number, name) in ["orientation-7.jpg", "orientation-8.jpg"].enumerated() {
      let copy = scratch.appending("tan-cuong-\(number + 1).jpg")
      try FileManager.default.copyItem(atPath: CLI.photo(name), toPath: copy)
      let titled = try CLI.tool(
        "exiftool", ["-q", "-overwrite_original", "-XMP-dc:Title=Đồi chè Tân Cương \(number + 1)", copy])
      try #require(titled == 0)
      uploads.append(copy)
    }
    uploads.append(scratch.appending("giả.jpg"))
    try Data("not a photo\n".utf8).write(to: URL(fileURLWithPath: uploads[2]))
    var environment = ProcessInfo.processInfo.environment
    environment["MEDIABANK_EXECUTABLE"] = CLI.executable.path
    environment["MEDIABANK_PATH"] = bank
    process.environment = environment
    process.arguments =
      [
        "python3", root.appendingPathComponent("Tests/Browser/web_flow.py").path, server.base, Self.password,
        screenshots,
      ]
      + uploads
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(text)")
    #expect(text.contains("14 passed, 0 failed"), "\(text)")
    let shots = (try? FileManager.default.contentsOfDirectory(atPath: screenshots)) ?? []
    #expect(shots.filter { $0.hasSuffix(".png") }.count == 14)
    withExtendedLifetime(server) {}
  }
}
