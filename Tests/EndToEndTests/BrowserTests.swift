import Foundation
import Testing

/// The web library in a real headless Chromium (Debian's `chromium` and `chromium-driver`, driven
/// by Selenium; scripts/setup installs them): `Tests/Browser/web_flow.py` signs in, browses,
/// searches without diacritics, opens an asset, switches to English, signs out, checks that a
/// viewer has no controls and that a forged post is refused, opens the dashboard, and uploads
/// three files. Its screenshots are kept in
/// `.build/browser-screenshots/` to look at.
@Suite struct BrowserTests {
  static let password = "mật khẩu dài lắm"

  @Test("a person signs in, browses, searches, opens an asset, switches language and signs out")
  func webFlow() throws {
    let scratch = try ScratchDirectory()
    let server = try RunningServer(bank: try RunningServer.makeBank(in: scratch, password: Self.password))
    let root = CLI.fixtures.deletingLastPathComponent()
    let screenshots = root.appendingPathComponent(".build/browser-screenshots").path
    try? FileManager.default.removeItem(atPath: screenshots)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    // Three files to upload: two photos the bank does not hold, and a text file named as a photo.
    let uploads = ["orientation-7.jpg", "orientation-8.jpg"].map(CLI.photo) + [scratch.appending("giả.jpg")]
    try Data("not a photo\n".utf8).write(to: URL(fileURLWithPath: uploads[2]))
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
    #expect(text.contains("10 passed, 0 failed"), "\(text)")
    let shots = (try? FileManager.default.contentsOfDirectory(atPath: screenshots)) ?? []
    #expect(shots.filter { $0.hasSuffix(".png") }.count == 10)
    withExtendedLifetime(server) {}
  }
}
