import Foundation
import Testing

@testable import Metadata

/// libheif's error message lives in the context that reported it (issue 15, item 1): it was read
/// after the context was freed, and printed random heap bytes, different on every run.
@Suite struct HEIFErrorTests {
  @Test("a truncated HEIC is refused with libheif's own message, the same on every read")
  func truncatedMessageIsStable() throws {
    let whole = try Data(contentsOf: URL(fileURLWithPath: Fixtures.photo("iphone.heic")))
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("truncated-\(UUID()).heic")
    defer { try? FileManager.default.removeItem(at: path) }
    try whole.prefix(600).write(to: path)
    var messages: Set<String> = []
    for _ in 0..<20 {
      do {
        _ = try PhotoExtractor.read(path.path)
        Issue.record("a truncated HEIC was read")
      } catch {
        messages.insert(error.description)
      }
    }
    #expect(messages.count == 1, "\(messages)")
    let message = try #require(messages.first)
    #expect(message.hasPrefix("corrupt HEIF (Invalid input: Unexpected end of file"), "\(message)")
    #expect(!message.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{FFFD}" })
  }
}
