import Foundation
import Testing

/// Runs the Python snippets of `Storage/sync-bundle.md` (every ```` ```python ```` block) on the
/// worked example in `Storage/examples`, as a reader without MediaBank would, with the
/// `cryptography` package that `scripts/setup` installs.
@Suite struct SpecSnippetTests {
  static let storage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Storage")

  /// The text of each fenced `python` block of the spec, in order.
  static func snippets() throws -> [String] {
    let text = try String(contentsOf: storage.appendingPathComponent("sync-bundle.md"), encoding: .utf8)
    var blocks: [String] = []
    var current: [Substring]?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if current == nil, line == "```python" {
        current = []
      } else if current != nil, line == "```" {
        blocks.append(current!.joined(separator: "\n") + "\n")
        current = nil
      } else {
        current?.append(line)
      }
    }
    return blocks
  }

  @Test("the spec's Python snippets verify the example's bundle and receipt, and fail on a changed byte")
  func pythonSnippets() throws {
    let snippets = try Self.snippets()
    #expect(snippets.count == 2)
    let scratch = Scratch()
    let examples = scratch.url.appendingPathComponent("examples")
    try FileManager.default.copyItem(at: Self.storage.appendingPathComponent("examples"), to: examples)
    for snippet in snippets {
      let result = try run(["python3", "-c", snippet], in: examples.path)
      #expect(result.status == 0, "\(snippet)\n\(result.output)")
    }
    // One signed byte changed in each: both snippets fail.
    let manifest = examples.appendingPathComponent("mediabank-19-000001/tagmanifest-sha256.txt")
    var bytes = try Data(contentsOf: manifest)
    bytes[0] = bytes[0] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
    try bytes.write(to: manifest)
    let receipt = examples.appendingPathComponent("receipt-19-000001.json")
    let text = try String(contentsOf: receipt, encoding: .utf8)
    try text.replacingOccurrences(of: "mediabank-19-000001", with: "mediabank-19-000009")
      .write(to: receipt, atomically: false, encoding: .utf8)
    for snippet in snippets {
      let result = try run(["python3", "-c", snippet], in: examples.path)
      #expect(result.status != 0 && result.output.contains("InvalidSignature"), "\(result.output)")
    }
  }
}
