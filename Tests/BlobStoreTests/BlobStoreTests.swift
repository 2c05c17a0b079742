import Foundation
import SystemIO
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

  @Test("removing several objects unlinks each, skips those not stored, and flushes each directory once")
  func removeSeveral() throws {
    let store = try BlobStore(root: root)
    var ids: [BlobID] = []
    for text in ["one\n", "two\n", "three\n"] {
      let staged = try store.stage(bytes: Array(text.utf8))
      try store.commit(staged)
      ids.append(staged.id)
    }
    let absent = try #require(BlobID("sha256:" + String(repeating: "0", count: 64)))
    try store.remove([ids[0], absent, ids[2]])
    #expect(try store.storedObjects() == [ids[1]])
    try store.remove(ids[1])
    try store.remove(ids[1])  // Not stored any more: nothing to do.
    #expect(try store.storedObjects().isEmpty)
  }

  @Test("a file this process wrote under the temporary directory is adopted: moved into place, not copied")
  func adopt() throws {
    let store = try BlobStore(root: root)
    let folder = store.temporaryDirectory + "/\(getpid()).mediabank-bundle-test"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let file = folder + "/5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
    _ = FileManager.default.createFile(atPath: file, contents: Data("hello\n".utf8))
    let id = try #require(BlobID("sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"))
    let staged = try store.stage(adopting: file, as: id)
    #expect(staged.size == 6)
    #expect(try store.commit([staged]) == [true])
    #expect(!FileManager.default.fileExists(atPath: file))
    #expect(store.check(id) == .intact)
    // Only files under the temporary directory: anything else would be trusted blindly.
    let outside = root.appendingPathComponent("outside").path
    _ = FileManager.default.createFile(atPath: outside, contents: Data("x".utf8))
    #expect(throws: BlobStoreError.self) { try store.stage(adopting: outside, as: id) }
  }

  @Test("an upload under the temporary directory is hashed where it lies and committed without a copy")
  func adoptUnhashed() throws {
    let store = try BlobStore(root: root)
    let file = store.newTemporaryPath(suffix: ".upload")
    _ = FileManager.default.createFile(atPath: file, contents: Data("hello\n".utf8))
    let inode = try #require(FileManager.default.attributesOfItem(atPath: file)[.systemFileNumber] as? Int)
    let descriptor = open(file, O_RDONLY)
    #expect(descriptor >= 0)
    let staged = try store.stage(adopting: file, reading: descriptor)
    close(descriptor)
    #expect(staged.id.description == "sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")
    #expect(staged.size == 6 && staged.path == file)
    #expect(try store.commit(staged))
    let stored = store.path(of: staged.id)
    #expect(try FileManager.default.attributesOfItem(atPath: stored)[.systemFileNumber] as? Int == inode)
    #expect(try FileManager.default.attributesOfItem(atPath: stored)[.posixPermissions] as? Int == 0o444)
    #expect(!FileManager.default.fileExists(atPath: file))
    // Only a file under the temporary directory: a file elsewhere would be moved out of its place.
    let outside = root.appendingPathComponent("outside").path
    _ = FileManager.default.createFile(atPath: outside, contents: Data("x".utf8))
    let other = open(outside, O_RDONLY)
    defer { close(other) }
    #expect(throws: BlobStoreError.self) { try store.stage(adopting: outside, reading: other) }
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
    _ = FileManager.default.createFile(atPath: source, contents: Data(bytes))
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
    _ = FileManager.default.createFile(atPath: path, contents: Data("bae".utf8))
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
    _ = FileManager.default.createFile(atPath: dead, contents: Data([1]))
    let staged = try store.stage(bytes: [9])  // Ours: this process is alive.
    #expect(store.sweepTemporaryFiles() == 1)
    #expect(!FileManager.default.fileExists(atPath: dead))
    #expect(FileManager.default.fileExists(atPath: staged.path))
  }

  @Test("sweeping removes files whose name does not start with a positive decimal pid")
  func sweepInvalidPIDs() throws {
    let store = try BlobStore(root: root)
    let staged = try store.stage(bytes: [9])  // Ours, named by this process's pid: kept.
    let pid = getpid()
    // `kill(-1, 0)` and `kill(0, 0)` succeed (they ask about groups of processes), and `+<pid>`
    // or `0<pid>` would parse as this process: none of these names is a pid.
    let invalid = [
      "-1.5.tmp", "0.5.tmp", "+\(pid).5.tmp", "0\(pid).5.tmp", " \(pid).5.tmp", "2147483648.5.tmp",
      ".5.tmp", "tmp",
    ]
    for name in invalid {
      _ = FileManager.default.createFile(atPath: "\(store.temporaryDirectory)/\(name)", contents: Data([1]))
    }
    #expect(store.sweepTemporaryFiles() == invalid.count)
    let left = try FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory)
    #expect(left == [(staged.path as NSString).lastPathComponent])
    #expect(BlobStore.writerPID(ofTemporaryFile: "\(pid).5.tmp") == pid)
    #expect(BlobStore.writerPID(ofTemporaryFile: "4242") == 4242)
    for name in invalid { #expect(BlobStore.writerPID(ofTemporaryFile: name) == nil, "\(name)") }
  }

  @Test("listing ignores names that are not lowercase hex, even when their lower case is an id")
  func listingIgnoresNonObjects() throws {
    let store = try BlobStore(root: root)
    let staged = try store.stage(bytes: Array("hello\n".utf8))
    try store.commit(staged)
    let hex = staged.id.hex
    let other = try #require(BlobID(hex: String(repeating: "ab", count: 32)))
    let objects = store.objectsDirectory
    // The same object under an upper-case name, in its own fan-out directory and in an
    // upper-case one; a name of the wrong length; a temporary-looking name.
    try FileManager.default.createDirectory(atPath: "\(objects)/AB", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: "\(objects)/ab", withIntermediateDirectories: true)
    let strays = [
      "\(objects)/\(hex.prefix(2))/\(hex.dropFirst(2).uppercased())",
      "\(objects)/AB/\(other.hex.dropFirst(2))",
      "\(objects)/ab/\(other.hex.dropFirst(2).uppercased())",
      "\(objects)/ab/\(other.hex.dropFirst(3))",
      "\(objects)/ab/\(other.hex.dropFirst(2)).tmp",
    ]
    for path in strays { _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8)) }
    #expect(try store.storedObjects() == [staged.id])
    // The id itself is not stored under any name the store looks at.
    #expect(!store.contains(other))
    #expect(store.check([other]) == [.missing])
    #expect(BlobID(lowercaseHex: hex.uppercased()) == nil)
    #expect(BlobID(lowercaseHex: hex) == staged.id)
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

/// Faults injected at the POSIX layer (issue 15, item 6): a full disk or a failing device while
/// an object is staged leaves nothing behind and says why.
@Suite struct BlobStoreFaultTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("blobstore-\(UUID())")

  @Test("a group's new fan-out directories are flushed into sha256/ before any object is named in them")
  func groupDirectoriesFlushedFirst() throws {
    let store = try BlobStore(root: root)
    // Three objects whose ids start with three different pairs of hex digits.
    let staged = try [[1], [2], [3]].map { try store.stage(bytes: $0, flush: false) }
    #expect(Set(staged.map { $0.id.hex.prefix(2) }).count == 3)
    // The staged files are in tmp/: the first flush of a path under sha256/ is that of sha256/.
    let error = try #require(throws: BlobStoreError.self) {
      try FaultInjection.with([Fault(.fsync, path: store.objectsDirectory, .fail(.ioError), times: 1)]) {
        try store.commit(staged)
      }
    }
    #expect(error.description.contains("cannot flush"))
    #expect(try store.storedObjects().isEmpty)
    // The staged files are the caller's to commit again or discard.
    #expect(try store.commit(staged) == [true, true, true])
    #expect(try store.storedObjects() == staged.map(\.id).sorted())
  }

  @Test("ENOSPC while staging fails with disk full and removes the temporary file")
  func diskFullWhileStaging() throws {
    let store = try BlobStore(root: root)
    let error = try #require(throws: BlobStoreError.self) {
      try FaultInjection.with([Fault(.write, path: root.path, .fail(.noSpace), after: 1)]) {
        _ = try store.stage(bytes: Array(repeating: 0x61, count: 3 * BlobStore.chunkSize))
      }
    }
    #expect(error.isDiskFull)
    #expect(error.description.contains(": cannot write: disk full ("))
    #expect(error.description.contains(" bytes free on "))
    #expect(try FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory).isEmpty)
  }

  @Test("EIO on the flush fails the staging and removes the temporary file")
  func ioErrorOnFlush() throws {
    let store = try BlobStore(root: root)
    let error = try #require(throws: BlobStoreError.self) {
      try FaultInjection.with([Fault(.fsync, path: root.path, .fail(.ioError))]) {
        _ = try store.stage(bytes: Array("hello\n".utf8))
      }
    }
    #expect(error.description.hasSuffix(": cannot flush: Input/output error"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory).isEmpty)
  }

  @Test("EINTR and short writes while staging and hashing still give the right object")
  func interruptedStaging() throws {
    let store = try BlobStore(root: root)
    let bytes = Array("hello\n".utf8)
    let staged = try FaultInjection.with([
      Fault(.write, path: root.path, .fail(.interrupted), times: 2),
      Fault(.write, path: root.path, .shortWrite, times: 3),
      Fault(.read, path: root.path, .fail(.interrupted), times: 2),
    ]) {
      let staged = try store.stage(bytes: bytes)
      try store.commit(staged)
      #expect(try BlobStore.hash(fileAt: store.path(of: staged.id)) == staged.id)
      return staged
    }
    #expect(staged.id.description == "sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")
    #expect(FileManager.default.contents(atPath: store.path(of: staged.id)) == Data(bytes))
  }
}
