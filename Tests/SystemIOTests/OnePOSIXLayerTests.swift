import Foundation
import Testing

/// The POSIX helpers exist once, in `Sources/SystemIO` (issue 15, item 9): no other target
/// retries on EINTR, writes files atomically, runs its own parallel map or derives a key id, and
/// no `FileHandle.write(_:)` (which stops the process on a full disk) remains.
@Suite struct OnePOSIXLayerTests {
  static let sources = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Sources")

  /// `(file, line)` of each line of a Swift source outside `Sources/SystemIO` that matches.
  static func lines(matching pattern: String) throws -> [String] {
    let regex = try NSRegularExpression(pattern: pattern)
    var found: [String] = []
    let files = FileManager.default.enumerator(atPath: sources.path)?.allObjects as? [String] ?? []
    for file in files.sorted() where file.hasSuffix(".swift") && !file.hasPrefix("SystemIO/") {
      let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
      for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let line = String(line)
        if line.trimmingCharacters(in: .whitespaces).hasPrefix("//") { continue }
        if regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil {
          found.append("Sources/\(file):\(number + 1): \(line)")
        }
      }
    }
    return found
  }

  @Test("the sources are where the test looks for them")
  func sourcesFound() throws {
    #expect(try Self.lines(matching: "^import ").count > 50)
  }

  @Test(
    "no copy of a POSIX helper remains outside SystemIO",
    arguments: [
      ("an EINTR retry", #"\bEINTR\b"#),
      ("FileHandle.write, which traps on ENOSPC", #"FileHandle[^\n]*\.write\("#),
      ("a hand-made parallel map", #"concurrentPerform|DispatchGroup\(|async\(group:"#),
      ("an atomic write of Foundation", #"\.atomic\b|\.atomicWrite\b"#),
      ("a second key id derivation", #"func keyId\(of"#),
    ])
  func noCopy(what: String, pattern: String) throws {
    var found = try Self.lines(matching: pattern)
    // The one key id derivation lives with the bundle format, which both users import.
    if what == "a second key id derivation" {
      found.removeAll { $0.hasPrefix("Sources/SyncBundle/BundleSignature.swift:") }
    }
    #expect(found.isEmpty, "\(what): \(found.joined(separator: "\n"))")
  }
}
