import Foundation
import Glibc
import Synchronization
import SystemIO
import Testing

/// A fresh directory of its own for each test: faults are scoped by path to it.
private func scratch() throws -> String {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("systemio-\(UUID())").path
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

private func contents(_ path: String) -> [UInt8]? {
  FileManager.default.contents(atPath: path).map { Array($0) }
}

private func names(_ directory: String) throws -> [String] {
  try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
}

@Suite struct SystemIOTests {
  @Test("a process runs when kill(pid, 0) succeeds or is not permitted; a pid nobody has does not run")
  func isRunning() {
    #expect(IO.isRunning(getpid()))
    // init: kill(1, 0) succeeds for root and fails with EPERM for anyone else; it runs either way.
    #expect(IO.isRunning(1))
    #expect(!IO.isRunning(2_147_483_646))
  }

  @Test("an atomic write replaces the file and leaves no temporary file")
  func atomicWrite() throws {
    let directory = try scratch()
    let path = directory + "/bank.json"
    try IO.writeAtomically(Array("old\n".utf8), to: path)
    try IO.writeAtomically(Array("new\n".utf8), to: path, permissions: [.ownerReadWrite])
    #expect(contents(path) == Array("new\n".utf8))
    #expect(try names(directory) == ["bank.json"])
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
  }

  @Test("EINTR is retried and short writes are continued: the file is whole")
  func interruptedAndShortWrites() throws {
    let directory = try scratch()
    let path = directory + "/data"
    let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    try FaultInjection.with([
      Fault(.write, path: directory, .fail(.interrupted), times: 3),
      Fault(.write, path: directory, .shortWrite, after: 0, times: 5),
      Fault(.fsync, path: directory, .fail(.interrupted), times: 2),
      Fault(.open, path: directory, .fail(.interrupted), times: 1),
      Fault(.read, path: directory, .fail(.interrupted), times: 2),
    ]) {
      try IO.writeAtomically(bytes, to: path)
      #expect(try IO.readFile(FilePath(path)) == bytes)
    }
    #expect(contents(path) == bytes)
  }

  @Test(
    "ENOSPC or EIO during an atomic write leaves the old file and no temporary file",
    arguments: [(Call.write, Errno.noSpace), (.fsync, .ioError), (.rename, .noSpace), (.open, .noSpace)])
  func failedAtomicWrite(call: Call, errno: Errno) throws {
    let directory = try scratch()
    let path = directory + "/bank.json"
    try IO.writeAtomically(Array("old\n".utf8), to: path)
    let error = try #require(throws: SystemError.self) {
      try FaultInjection.with([Fault(call, path: directory, .fail(errno))]) {
        try IO.writeAtomically(Array(repeating: 0x61, count: 10_000), to: path)
      }
    }
    #expect(error.errno == errno)
    #expect(error.isDiskFull == (errno == .noSpace))
    if errno == .noSpace {
      #expect(error.reason.hasPrefix("disk full ("))
      #expect(error.reason.contains(" bytes free on "))
    } else {
      #expect(error.reason == "Input/output error")
    }
    #expect(contents(path) == Array("old\n".utf8))
    #expect(try names(directory) == ["bank.json"])
  }

  @Test("a fault lets the first calls through, then fails the given number")
  func faultCounts() throws {
    let directory = try scratch()
    try FaultInjection.with([Fault(.write, path: directory, .fail(.ioError), after: 1, times: 1)]) {
      try IO.writeAtomically([1], to: directory + "/a")
      #expect(throws: SystemError.self) { try IO.writeAtomically([2], to: directory + "/b") }
      try IO.writeAtomically([3], to: directory + "/c")
    }
    #expect(try names(directory) == ["a", "c"])
  }

  @Test("the streamed atomic file is invisible until committed, and an abandoned one leaves nothing")
  func streamedAtomicFile() throws {
    let directory = try scratch()
    let path = directory + "/report.json"
    let file = try AtomicFile(path: path)
    try file.write(Array("[".utf8))
    try file.write(Array("]".utf8))
    #expect(!FileManager.default.fileExists(atPath: path))
    try file.commit()
    #expect(contents(path) == Array("[]".utf8))
    let abandoned = try AtomicFile(path: directory + "/other")
    try abandoned.write([1, 2, 3])
    abandoned.abandon()
    #expect(try names(directory) == ["report.json"])
  }

  @Test("the parallel map keeps the order of its indices, and stops taking new ones when asked")
  func parallelMap() {
    #expect(IO.parallelMap(1000, concurrency: 4) { $0 * 2 }.map { $0! } == (0..<1000).map { $0 * 2 })
    #expect(IO.parallelMap(0) { $0 }.isEmpty)
    let none = IO.parallelMap(50, concurrency: 2, stop: { true }) { $0 }
    #expect(none.allSatisfy { $0 == nil })
  }

  @Test("a name that is not UTF-8 opens, and shows its invalid bytes as \\xNN")
  func rawNames() throws {
    let directory = try scratch()
    let name = Array(directory.utf8) + Array("/caf".utf8) + [0xE9] + Array(".jpg".utf8)
    let path = FilePath(platformString: name.map { CChar(bitPattern: $0) } + [0])
    let file = try IO.open(path, .writeOnly, options: [.create, .exclusiveCreate], permissions: [.ownerReadWrite])
    try IO.writeAll([1, 2, 3], to: file, path: IO.display(path))
    IO.close(file)
    #expect(try IO.readFile(path) == [1, 2, 3])
    #expect(IO.display(path) == directory + "/caf\\xE9.jpg")
  }

  @Test(
    "a write that fills a real (tmpfs) file system reports disk full with the bytes free and the device",
    .enabled(if: Tmpfs.canMount, "mounting a tmpfs needs root (mount -t tmpfs); the fault injection tests cover it"))
  func realDiskFull() throws {
    let tmpfs = try Tmpfs(size: "64k")
    defer { tmpfs.unmount() }
    let error = try #require(throws: SystemError.self) {
      try IO.writeAtomically(Array(repeating: 0x61, count: 1 << 20), to: tmpfs.path + "/big")
    }
    #expect(error.isDiskFull)
    #expect(error.reason.hasPrefix("disk full ("))
    #expect(error.reason.hasSuffix(" bytes free on tmpfs)"))
    #expect(try names(tmpfs.path) == [])
  }
}

/// A small tmpfs mounted for a test, where the machine allows it (root).
struct Tmpfs {
  let path: String

  /// Whether `mount -t tmpfs` works here: tried once.
  static let canMount: Bool = {
    guard getuid() == 0, let tmpfs = try? Tmpfs(size: "16k") else { return false }
    tmpfs.unmount()
    return true
  }()

  init(size: String) throws {
    path = try scratch()
    guard Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path]) else {
      throw CocoaError(.fileWriteUnknown)
    }
  }

  func unmount() {
    _ = Self.run("/bin/umount", [path])
    try? FileManager.default.removeItem(atPath: path)
  }

  private static func run(_ executable: String, _ arguments: [String]) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
  }
}

/// Flushing many files at once (`IO.flush`) on threads of their own (`IO.concurrently`).
@Suite struct FlushTests {
  @Test("flushing files and directories together flushes each; a missing one throws, naming it")
  func flushMany() throws {
    let directory = try scratch()
    var paths: [String] = []
    for index in 0..<40 {
      let path = directory + "/file-\(index)"
      #expect(FileManager.default.createFile(atPath: path, contents: Data([UInt8(index)])))
      paths.append(path)
    }
    try IO.flush(paths + [directory])
    let error = try #require(throws: SystemError.self) {
      try IO.flush(paths + [directory + "/missing"], concurrency: 4)
    }
    #expect(error.path == directory + "/missing")
    #expect(error.errno == .noSuchFileOrDirectory)
    try IO.flush([])
  }

  @Test("an fsync that fails is reported: the first failing path in the order given")
  func flushFailure() throws {
    let directory = try scratch()
    let paths = (0..<20).map { directory + "/file-\($0)" }
    for path in paths { #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8))) }
    let error = try #require(throws: SystemError.self) {
      try FaultInjection.with([Fault(.fsync, path: directory + "/file-1", .fail(.ioError))]) {
        try IO.flush(paths)
      }
    }
    // file-1 and file-10…file-19 fail; file-1 comes first.
    #expect(error.path == directory + "/file-1")
    #expect(error.operation == "cannot flush" && error.reason == "Input/output error")
  }

  @Test("a fault installed for this thread applies to the threads that flush for it")
  func threadFaultsFollow() throws {
    let directory = try scratch()
    let paths = (0..<8).map { directory + "/file-\($0)" }
    for path in paths { #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8))) }
    let error = try #require(throws: SystemError.self) {
      try FaultInjection.with([Fault(.fsync, thisThread: .fail(.noSpace), after: 3, times: 1)]) {
        try IO.flush(paths, concurrency: 8)
      }
    }
    #expect(error.isDiskFull)
    // Another thread's fault does not apply here.
    let other = Thread {
      try? FaultInjection.with([Fault(.fsync, thisThread: .fail(.ioError))]) { usleep(200_000) }
    }
    other.start()
    usleep(50_000)
    try IO.flush(paths, concurrency: 8)
  }

  @Test("work is shared by several threads and the results come back in order")
  func concurrently() {
    let threads = Mutex<Set<UInt>>([])
    let results = IO.concurrently(64, threads: 8) { index in
      threads.withLock { _ = $0.insert(UInt(pthread_self())) }
      usleep(2_000)  // Waits, as an fsync does: the others take the next indices meanwhile.
      return index * 2
    }
    #expect(results == (0..<64).map { $0 * 2 })
    #expect(threads.withLock { $0.count } > 1)
    let started = Atomic<Int>(0)
    let partial = IO.concurrently(100, threads: 1, stop: { started.load(ordering: .relaxed) >= 10 }) { index -> Int in
      started.add(1, ordering: .relaxed)
      return index
    }
    #expect(partial.prefix(10).allSatisfy { $0 != nil } && partial.dropFirst(10).allSatisfy { $0 == nil })
  }
}
