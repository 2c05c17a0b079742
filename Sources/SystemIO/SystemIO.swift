public import Glibc
@_exported public import SystemPackage

/// The system calls MediaBank makes on files, each through one checked helper: a call that fails
/// with `EINTR` is made again, any other failure throws a `SystemError` naming what was being done,
/// the file and the `errno`. Tests inject faults into these helpers (`FaultInjection`).
///
/// Descriptors are swift-system's `FileDescriptor`; paths are `String`s (UTF-8) or `FilePath`s
/// (any bytes, for archive names that are not UTF-8).
public enum IO {
  /// Calls `body` (a system call returning a negative value on failure, with `errno` set) until it
  /// does not fail with `EINTR`, and throws a `SystemError` saying `operation` failed for `path`
  /// when it fails otherwise. Faults injected for `call` and `path` take the call's place.
  @discardableResult
  public static func call<Result: BinaryInteger>(
    _ call: Call, _ operation: String, path: String, _ body: () -> Result
  ) throws(SystemError) -> Result {
    try perform(call, operation, path: path) { _ in body() }
  }

  /// The one `EINTR` loop: `body` gets `true` when an injected fault asks for a short write.
  static func perform<Result: BinaryInteger>(
    _ call: Call, _ operation: String, path: String, _ body: (_ short: Bool) -> Result
  ) throws(SystemError) -> Result {
    while true {
      var short = false
      switch FaultInjection.take(call, path: path) {
      case .fail(let error)?:
        if error == .interrupted { continue }
        throw SystemError(operation, path: path, errno: error)
      case .shortWrite?: short = true
      case nil: break
      }
      let result = body(short)
      if result >= 0 { return result }
      let error = Errno(rawValue: Glibc.errno)
      if error == .interrupted { continue }
      throw SystemError(operation, path: path, errno: error)
    }
  }

  // MARK: Opening and closing

  /// Opens `path` (`O_CLOEXEC` always). Reading never blocks on a FIFO when `options` has
  /// `.nonBlocking`; `.noFollow` refuses a symbolic link.
  public static func open(
    _ path: FilePath, _ mode: FileDescriptor.AccessMode, options: FileDescriptor.OpenOptions = [],
    permissions: FilePermissions? = nil, operation: String = "cannot open"
  ) throws(SystemError) -> FileDescriptor {
    let flags = mode.rawValue | options.rawValue | O_CLOEXEC
    let display = IO.display(path)
    let raw = try IO.call(.open, operation, path: display) {
      path.withPlatformString { name in
        permissions.map { Glibc.open(name, flags, $0.rawValue) } ?? Glibc.open(name, flags)
      }
    }
    return FileDescriptor(rawValue: raw)
  }

  /// Opens `path`, given as text.
  public static func open(
    _ path: String, _ mode: FileDescriptor.AccessMode, options: FileDescriptor.OpenOptions = [],
    permissions: FilePermissions? = nil, operation: String = "cannot open"
  ) throws(SystemError) -> FileDescriptor {
    try open(FilePath(path), mode, options: options, permissions: permissions, operation: operation)
  }

  /// Closes `descriptor`; its error is ignored (Linux releases the descriptor whatever it says,
  /// and every write that matters was flushed before).
  public static func close(_ descriptor: FileDescriptor) {
    _ = Glibc.close(descriptor.rawValue)
  }

  /// The `fstat` of an open file.
  public static func status(of descriptor: FileDescriptor, path: String) throws(SystemError) -> stat {
    var status = stat()
    try IO.call(.stat, "cannot inspect", path: path) { fstat(descriptor.rawValue, &status) }
    return status
  }

  // MARK: Reading

  /// Reads up to `buffer.count` bytes; 0 at the end of the file.
  public static func read(
    _ descriptor: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer, path: String
  ) throws(SystemError) -> Int {
    try IO.call(.read, "cannot read", path: path) { Glibc.read(descriptor.rawValue, buffer.baseAddress, buffer.count) }
  }

  /// Reads up to `buffer.count` bytes at `offset`, without moving the file position.
  public static func read(
    _ descriptor: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64, path: String
  ) throws(SystemError) -> Int {
    try IO.call(.read, "cannot read", path: path) {
      pread(descriptor.rawValue, buffer.baseAddress, buffer.count, off_t(offset))
    }
  }

  /// The whole content of the file at `path`, opened without blocking on a FIFO; refused when it is
  /// not a regular file or holds more than `limit` bytes.
  public static func readFile(_ path: FilePath, limit: Int = 64 << 20) throws(SystemError) -> [UInt8] {
    let display = IO.display(path)
    let descriptor = try open(path, .readOnly, options: .nonBlocking)
    defer { close(descriptor) }
    let status = try IO.status(of: descriptor, path: display)
    guard status.st_mode & S_IFMT == S_IFREG else {
      throw SystemError("not a regular file", path: display, errno: .invalidArgument)
    }
    var result: [UInt8] = []
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 16)
    defer { buffer.deallocate() }
    while true {
      let count = try read(descriptor, into: buffer, path: display)
      if count == 0 { return result }
      result += UnsafeRawBufferPointer(rebasing: buffer[0..<count])
      if result.count > limit { throw SystemError("more than \(limit) bytes", path: display, errno: .fileTooLarge) }
    }
  }

  // MARK: Writing

  /// Writes all of `bytes` (a short write is continued).
  public static func writeAll(
    _ bytes: UnsafeRawBufferPointer, to descriptor: FileDescriptor, path: String
  ) throws(SystemError) {
    var offset = 0
    while offset < bytes.count {
      let written = try perform(.write, "cannot write", path: path) { short in
        let wanted = bytes.count - offset
        return Glibc.write(descriptor.rawValue, bytes.baseAddress! + offset, short ? max(1, wanted / 2) : wanted)
      }
      guard written > 0 else { throw SystemError("cannot write", path: path, errno: .noSpace) }
      offset += written
    }
  }

  /// Writes all of `bytes`.
  public static func writeAll(_ bytes: some Collection<UInt8>, to descriptor: FileDescriptor, path: String)
    throws(SystemError)
  {
    let array = Array(bytes)
    try array.withUnsafeBytes { buffer in
      Result { () throws(SystemError) in try writeAll(buffer, to: descriptor, path: path) }
    }.get()
  }

  /// Flushes the file's bytes to disk.
  public static func flush(_ descriptor: FileDescriptor, path: String) throws(SystemError) {
    try IO.call(.fsync, "cannot flush", path: path) { fsync(descriptor.rawValue) }
  }

  /// Flushes the directory `path` (its entries) to disk.
  public static func syncDirectory(_ path: String) throws(SystemError) {
    let directory = try open(path, .readOnly, options: .directory, operation: "cannot open directory")
    defer { close(directory) }
    try IO.call(.fsync, "cannot flush directory", path: path) { fsync(directory.rawValue) }
  }

  /// Renames `source` to `target`, replacing it.
  public static func rename(_ source: String, to target: String) throws(SystemError) {
    try IO.call(.rename, "cannot rename into place", path: target) { Glibc.rename(source, target) }
  }

  /// Creates the directory `path`; returns false when something already has that name.
  @discardableResult
  public static func makeDirectory(
    _ path: String, permissions: FilePermissions = [.ownerReadWriteExecute, .groupReadExecute, .otherReadExecute]
  ) throws(SystemError) -> Bool {
    do throws(SystemError) {
      try IO.call(.mkdir, "cannot create directory", path: path) { mkdir(path, permissions.rawValue) }
      return true
    } catch {
      if error.errno == .fileExists { return false }
      throw error
    }
  }

  /// Copies up to `count` bytes from the current position of `source` to that of `target` inside
  /// the kernel (`copy_file_range`, which reflinks where the file system can); returns how many it
  /// copied, fewer when `source` ended or the files are of a kind it cannot copy (then copy the
  /// rest with `read` and `writeAll`).
  public static func kernelCopy(
    _ count: Int64, from source: FileDescriptor, to target: FileDescriptor, path: String
  ) throws(SystemError) -> Int64 {
    guard let copyFileRange else { return 0 }
    var copied: Int64 = 0
    while copied < count {
      let result: Int
      do throws(SystemError) {
        result = try IO.call(.write, "cannot copy", path: path) {
          copyFileRange(source.rawValue, nil, target.rawValue, nil, Int(min(count - copied, 1 << 30)), 0)
        }
      } catch {
        switch error.errno {
        case .improperLink, .noFunction, .invalidArgument, .notSupported, .notPermitted, .ioError: return copied
        default: throw error
        }
      }
      if result == 0 { break }  // Ended early, or a file system that copies nothing.
      copied += Int64(result)
    }
    return copied
  }

  // MARK: Names

  /// `path` as text: UTF-8, with every byte that is not part of valid UTF-8 written `\xNN`.
  public static func display(_ path: FilePath) -> String {
    path.withPlatformString { name in
      display(UnsafeRawBufferPointer(start: name, count: strlen(name)))
    }
  }

  /// `bytes` as text, each byte that is not part of valid UTF-8 written `\xNN`.
  public static func display(_ bytes: some Collection<UInt8>) -> String {
    let array = Array(bytes)
    if let valid = String(validating: array, as: UTF8.self) { return valid }
    var result = ""
    var index = 0
    while index < array.count {
      let lead = array[index]
      let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
      if length > 0, index + length <= array.count,
        let scalar = String(validating: array[index..<(index + length)], as: UTF8.self)
      {
        result += scalar
        index += length
      } else {
        let hex = Array("0123456789ABCDEF".utf8)
        result += "\\x" + String(decoding: [hex[Int(lead >> 4)], hex[Int(lead & 0xF)]], as: UTF8.self)
        index += 1
      }
    }
    return result
  }
}

/// `copy_file_range(2)`, looked up at run time: Swift's Glibc module does not declare it (it is a
/// GNU extension). Nil where the C library lacks it.
private typealias CopyFileRange =
  @convention(c) (Int32, UnsafeMutablePointer<Int64>?, Int32, UnsafeMutablePointer<Int64>?, Int, UInt32) -> Int
private let copyFileRange: CopyFileRange? = dlsym(nil, "copy_file_range").map {
  unsafeBitCast($0, to: CopyFileRange.self)
}

/// glibc's `malloc_trim`, which the Glibc module does not declare (it is in `<malloc.h>`).
private let mallocTrim: (@convention(c) (Int) -> Int32)? = dlsym(nil, "malloc_trim").map {
  unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self)
}

extension IO {
  /// Writes `text` to standard error. A failure (a closed pipe, a full disk) is ignored: there is
  /// nowhere left to report it. (Foundation's `FileHandle.write(_:)` would stop the process.)
  /// Gives the memory the process freed back to the system (glibc's `malloc_trim`): what a
  /// long task freed on one of the threads that ran it stays with that thread's arena otherwise,
  /// and a server that received many bundles kept hundreds of MB it no longer used.
  public static func returnFreedMemory() {
    _ = mallocTrim?(0)
  }

  public static func writeToStandardError(_ text: String) {
    try? writeAll(Array(text.utf8), to: .standardError, path: "standard error")
  }

  /// Writes `bytes` to standard output.
  public static func writeToStandardOutput(_ bytes: some Collection<UInt8>) throws(SystemError) {
    try writeAll(bytes, to: .standardOutput, path: "standard output")
  }

  /// Whether standard input is a terminal.
  public static var standardInputIsTerminal: Bool { isatty(0) == 1 }

  /// Prints `prompt` to standard error and reads a line from the terminal on standard input
  /// without echoing it (a password); the terminal's settings are restored after, also on
  /// failure. Nil at the end of input.
  public static func readSecretLine(prompt: String) throws(SystemError) -> String? {
    var saved = termios()
    try IO.call(.other, "cannot read the terminal's settings", path: "standard input") { tcgetattr(0, &saved) }
    var silent = saved
    silent.c_lflag &= ~tcflag_t(ECHO)
    try IO.call(.other, "cannot turn the terminal's echo off", path: "standard input") {
      tcsetattr(0, TCSAFLUSH, &silent)
    }
    defer {
      _ = tcsetattr(0, TCSAFLUSH, &saved)
      writeToStandardError("\n")
    }
    writeToStandardError(prompt)
    return Swift.readLine(strippingNewline: true)
  }
}

extension IO {
  /// Whether process `pid` runs: this process, or `kill(pid, 0)` succeeds or fails with `EPERM`
  /// (a process of another user, which runs all the same). What a sweep of a dead process's
  /// leftovers asks before it removes anything.
  public static func isRunning(_ pid: pid_t) -> Bool {
    pid == getpid() || kill(pid, 0) == 0 || errno == EPERM
  }
}
