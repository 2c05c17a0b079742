import Foundation
import Testing

@testable import BlobStore

@Suite struct BlobStoreTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("blobstore-\(UUID())")

  @Test("an object is stored under its SHA-256, read-only, and the temporary file is gone")
  func storeAndName() throws {
    let store = try BlobStore(root: root)
    let staged = try store.stage(bytes: Array("hello\n".utf8))
    #expect(staged.id.description == "sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")
    #expect(try store.commit(staged))
    let path = store.path(of: staged.id)
    #expect(path.hasSuffix("/sha256/58/91b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"))
    #expect(FileManager.default.contents(atPath: path) == Data("hello\n".utf8))
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o444)
    #expect(try FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory).isEmpty)
    #expect(try store.storedObjects() == [staged.id])
  }

  @Test("committing the same bytes again reports 'already stored' and leaves the object as it was")
  func idempotent() throws {
    let store = try BlobStore(root: root)
    let first = try store.stage(bytes: [1, 2, 3])
    #expect(try store.commit(first))
    let second = try store.stage(bytes: [1, 2, 3])
    #expect(try store.commit(second) == false)
    #expect(try store.storedObjects().count == 1)
  }

  @Test("a file larger than the chunk size streams and hashes like sha256sum")
  func streaming() throws {
    let store = try BlobStore(root: root)
    let source = root.appendingPathComponent("source.bin").path
    let bytes = (0..<(3 * BlobStore.chunkSize + 17)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    FileManager.default.createFile(atPath: source, contents: Data(bytes))
    let staged = try store.stage(copying: source)
    #expect(staged.size == Int64(bytes.count))
    let expected = String(decoding: try run("/usr/bin/sha256sum", [source]).prefix(64), as: UTF8.self)
    #expect(staged.id.hex == expected)
    #expect(try BlobStore.hash(fileAt: source) == staged.id)
    store.discard(staged)
  }

  @Test("check finds intact, missing and corrupt objects")
  func check() throws {
    let store = try BlobStore(root: root)
    let good = try store.stage(bytes: Array("good".utf8))
    try store.commit(good)
    let bad = try store.stage(bytes: Array("bad".utf8))
    try store.commit(bad)
    let path = store.path(of: bad.id)
    chmod(path, 0o644)
    FileManager.default.createFile(atPath: path, contents: Data("bae".utf8))
    let missing = BlobID(hex: String(repeating: "0", count: 64))!
    let results = store.check([good.id, bad.id, missing], concurrency: 2)
    #expect(results[0] == .intact)
    #expect(results[1] == .corrupt(actual: try BlobStore.hash(fileAt: path)))
    #expect(results[2] == .missing)
  }

  @Test("sweeping removes temporary files of dead processes only")
  func sweep() throws {
    let store = try BlobStore(root: root)
    let dead = "\(store.temporaryDirectory)/999999999.1.tmp"
    FileManager.default.createFile(atPath: dead, contents: Data([1]))
    let staged = try store.stage(bytes: [9])  // Ours: this process is alive.
    #expect(store.sweepTemporaryFiles() == 1)
    #expect(!FileManager.default.fileExists(atPath: dead))
    #expect(FileManager.default.fileExists(atPath: staged.path))
  }

  @Test("ids parse only sha256:<64 hex>")
  func ids() {
    #expect(BlobID("sha256:" + String(repeating: "A", count: 64))?.hex == String(repeating: "a", count: 64))
    #expect(BlobID("sha1:" + String(repeating: "a", count: 64)) == nil)
    #expect(BlobID("sha256:" + String(repeating: "g", count: 64)) == nil)
    #expect(BlobID("sha256:abc") == nil)
  }

  @Test("a source that cannot be read is an error naming it")
  func unreadable() throws {
    let store = try BlobStore(root: root)
    let error = #expect(throws: BlobStoreError.self) { try store.stage(copying: "/nonexistent/x.jpg") }
    #expect(error?.description == "/nonexistent/x.jpg: cannot open: No such file or directory")
  }
}

func run(_ tool: String, _ arguments: [String]) throws -> Data {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: tool)
  process.arguments = arguments
  let output = Pipe()
  process.standardOutput = output
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return data
}
