import Foundation
import Glibc

/// Runs the built `mediabank` executable, as a user or a script would.
struct CLI {
  /// What one run of `mediabank` produced.
  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Standard output parsed as JSON.
    func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
  }

  /// The `mediabank` executable beside the test bundle in SwiftPM's products directory.
  static let executable: URL = {
    var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    while directory.path != "/" {
      directory.deleteLastPathComponent()
      let candidate = directory.appendingPathComponent("mediabank")
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
        !isDirectory.boolValue, FileManager.default.isExecutableFile(atPath: candidate.path)
      {
        return candidate
      }
    }
    fatalError("the mediabank executable was not found beside the test bundle; build it first")
  }()

  /// The committed fixtures.
  static let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func photo(_ name: String) -> String { fixtures.appendingPathComponent("photos/\(name)").path }
  static func bad(_ name: String) -> String { fixtures.appendingPathComponent("bad/\(name)").path }
  static func damaged(_ name: String) -> String { fixtures.appendingPathComponent("damaged/\(name)").path }
  static func video(_ name: String) -> String { fixtures.appendingPathComponent("videos/\(name)").path }
  static func story(_ name: String) -> String { fixtures.appendingPathComponent("stories/\(name)").path }

  /// Builds the messy archive of `scripts/make-archive` at `path` (which must not exist).
  static func makeArchive(at path: String) throws {
    let script = fixtures.deletingLastPathComponent().appendingPathComponent("scripts/make-archive").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = [script, path]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "scripts/make-archive failed"])
    }
  }

  /// Runs `/usr/bin/NAME` with `arguments` (its output discarded) and returns its exit status.
  static func tool(_ name: String, _ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/\(name)")
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }

  /// Runs the `sqlite3` shell on `database` with `commands` (SQL or dot-commands), each in turn;
  /// what it printed, trimmed. A failure of the shell (a bad statement) is thrown, with what it
  /// said.
  @discardableResult
  static func sqlite(_ database: String, _ commands: String...) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = [database] + commands
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "sqlite3 failed: \(problem)"])
    }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The environment of every run: none of the caller's bank settings leak in.
  var environment: [String: String]

  init(environment: [String: String] = [:]) {
    var base = ProcessInfo.processInfo.environment
    base["MEDIABANK_PATH"] = nil
    base["XDG_DATA_HOME"] = nil
    // Messages in English, whatever the locale of the machine running the tests.
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] { base[name] = nil }
    // A command given no --bank (verify-bundle reads the default bank's trust) finds the default
    // bank of a home of the tests' own, never the user's.
    base["HOME"] = Self.home
    self.environment = base.merging(environment) { $1 }
  }

  /// The home directory of the commands the tests run: empty, one per test process.
  static let home: String = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("mediabank-e2e-home-\(getpid())").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }()

  /// Starts `mediabank arguments…` without waiting for it.
  func start(_ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = Self.executable
    process.arguments = arguments
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }

  /// Runs `mediabank arguments…` to completion.
  @discardableResult
  func callAsFunction(_ arguments: String...) throws -> Output {
    try run(arguments)
  }

  /// Runs `mediabank arguments…` to completion, with `input` as its standard input (else the
  /// tests' own).
  func run(_ arguments: [String], input: String? = nil) throws -> Output {
    let process = Process()
    process.executableURL = Self.executable
    process.arguments = arguments
    process.environment = environment
    let stdin = try input.map { input in
      let file = try TemporaryFile()
      file.handle.write(Data(input.utf8))
      try file.handle.seek(toOffset: 0)
      process.standardInput = file.handle
      return file
    }
    defer { withExtendedLifetime(stdin) {} }
    // Files, not pipes: a pipe that fills up would block the child.
    let out = try TemporaryFile(), err = try TemporaryFile()
    process.standardOutput = out.handle
    process.standardError = err.handle
    try process.run()
    process.waitUntilExit()
    return Output(status: process.terminationStatus, stdout: try out.contents(), stderr: try err.contents())
  }
}

/// An unlinked-on-close scratch file for a child's output.
private final class TemporaryFile {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("mediabank-e2e-\(UUID())")
  let handle: FileHandle

  init() throws {
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    handle = try FileHandle(forUpdating: url)
  }

  func contents() throws -> String {
    try handle.seek(toOffset: 0)
    return String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
  }

  deinit {
    try? handle.close()
    try? FileManager.default.removeItem(at: url)
  }
}

/// A fresh temporary directory, removed when the value goes away.
final class ScratchDirectory {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("mediabank-e2e-\(UUID())")
  var path: String { url.path }

  init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }

  func appending(_ component: String) -> String { url.appendingPathComponent(component).path }

  /// Every regular file below `subpath`, relative to it, sorted.
  func files(under subpath: String) -> [String] {
    let base = appending(subpath)
    let all = FileManager.default.enumerator(atPath: base)?.allObjects as? [String] ?? []
    return all.filter { name in
      var isDirectory: ObjCBool = false
      return FileManager.default.fileExists(atPath: base + "/" + name, isDirectory: &isDirectory)
        && !isDirectory.boolValue
    }.sorted()
  }

  deinit {
    // Stored objects are read-only; make them writable so the tree can be removed.
    if let all = FileManager.default.enumerator(atPath: path)?.allObjects as? [String] {
      for name in all { chmod(appending(name), 0o755) }
    }
    try? FileManager.default.removeItem(at: url)
  }
}
