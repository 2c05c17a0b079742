import Crypto
import Foundation
import Synchronization
import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

/// The file system calls the writer and the reader share. Every call that can fail throws a
/// `BundleError` naming the bundle and the file; nothing here follows a symbolic link.
enum FileIO {
  /// The size of each read while hashing or copying (1 MiB): memory does not grow with file size.
  static let chunkSize = 1 << 20

  // MARK: Reading

  /// Opens a regular file for reading without following a symbolic link and without blocking on
  /// a FIFO; returns the descriptor and the file's size. Anything but a regular file is refused.
  static func openRegularFile(
    _ path: String, bundle: String, file: String
  ) throws(BundleError) -> (descriptor: Int32, size: Int64) {
    let descriptor = try systemCall("cannot open", bundle: bundle, file: file) {
      open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      let error = Glibc.errno
      close(descriptor)
      throw BundleError(.io, "cannot inspect", bundle: bundle, file: file, errno: error)
    }
    guard status.st_mode & S_IFMT == S_IFREG else {
      close(descriptor)
      throw BundleError(.structure, "is not a regular file", bundle: bundle, file: file)
    }
    return (descriptor, Int64(status.st_size))
  }

  /// The whole content of the regular file `path`, refused when larger than `limit` bytes.
  static func readFile(
    _ path: String, limit: Int, bundle: String, file: String
  ) throws(BundleError) -> [UInt8] {
    let (descriptor, size) = try openRegularFile(path, bundle: bundle, file: file)
    defer { close(descriptor) }
    guard size <= Int64(limit) else {
      throw BundleError(
        .structure, "is \(size) bytes, more than the \(limit) bytes such a file may have",
        bundle: bundle, file: file)
    }
    var bytes = [UInt8](repeating: 0, count: Int(size) + 1)
    var count = 0
    while true {
      let read = try bytes.withUnsafeMutableBytes { buffer in
        Result { () throws(BundleError) in
          try systemCall("cannot read", bundle: bundle, file: file) {
            Glibc.read(descriptor, buffer.baseAddress! + count, buffer.count - count)
          }
        }
      }.get()
      if read == 0 { break }
      count += read
      if count == bytes.count {
        throw BundleError(.io, "grew while being read", bundle: bundle, file: file)
      }
    }
    bytes.removeLast(bytes.count - count)
    return bytes
  }

  /// The SHA-256 (64 lowercase hex digits) and size of the regular file `path`, read in chunks
  /// into `buffer`.
  static func hashFile(
    _ path: String, buffer: UnsafeMutableRawBufferPointer, bundle: String, file: String
  ) throws(BundleError) -> (hex: String, size: Int64) {
    let (descriptor, _) = try openRegularFile(path, bundle: bundle, file: file)
    defer { close(descriptor) }
    var hasher = SHA256()
    var size: Int64 = 0
    while true {
      let count = try systemCall("cannot read", bundle: bundle, file: file) {
        read(descriptor, buffer.baseAddress, buffer.count)
      }
      if count == 0 { break }
      hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
      size += Int64(count)
    }
    return (hex(hasher.finalize()), size)
  }

  /// Hashes `files` (absolute path and bag-relative name) on one thread per core, largest first,
  /// each thread reading with its own 1 MiB buffer. Returns the hex digests in the order given.
  static func hashFiles(
    _ files: [(path: String, name: String, size: Int64)], bundle: String,
    concurrency: Int = IO.cores
  ) throws(BundleError) -> [String] {
    let order = files.indices.sorted { files[$0].size > files[$1].size }
    let failed = Atomic<Bool>(false)
    let results = IO.parallelMap(order.count, concurrency: concurrency, stop: { failed.load(ordering: .relaxed) }) {
      next in
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
      defer { buffer.deallocate() }
      let file = files[order[next]]
      let result = Result { () throws(BundleError) in
        try hashFile(file.path, buffer: buffer, bundle: bundle, file: file.name).hex
      }
      if case .failure = result { failed.store(true, ordering: .relaxed) }
      return result
    }
    var hashes = [String](repeating: "", count: files.count)
    var firstError: (index: Int, error: BundleError)?
    for (next, result) in results.enumerated() {
      switch result {
      case .success(let hex)?: hashes[order[next]] = hex
      case .failure(let error)? where order[next] < firstError?.index ?? .max: firstError = (order[next], error)
      default: break
      }
    }
    // The error of the failed file that comes first in the caller's order.
    if let firstError { throw firstError.error }
    return hashes
  }

  /// The entries of a directory (without `.` and `..`), sorted, as names that are valid UTF-8;
  /// a name that is not is refused.
  static func listDirectory(_ path: String, bundle: String, file: String) throws(BundleError) -> [String] {
    guard let directory = opendir(path) else {
      throw BundleError(.io, "cannot list directory", bundle: bundle, file: file, errno: Glibc.errno)
    }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
        pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(validatingCString: $0) }
      }
      guard let name else {
        throw BundleError(.structure, "holds a file whose name is not UTF-8", bundle: bundle, file: file)
      }
      if name == "." || name == ".." { continue }
      names.append(name)
    }
    return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
  }

  /// The `lstat` of `path` (a symbolic link is reported as itself), or nil when nothing is there.
  static func fileStatus(_ path: String, bundle: String, file: String) throws(BundleError) -> stat? {
    var status = stat()
    if lstat(path, &status) == 0 { return status }
    let error = Glibc.errno
    if error == ENOENT { return nil }
    throw BundleError(.io, "cannot inspect", bundle: bundle, file: file, errno: error)
  }

  // MARK: Writing

  /// Creates a new file (never replacing one, never through a symbolic link) and returns its
  /// descriptor, open for writing.
  static func createFile(_ path: String, bundle: String, file: String) throws(BundleError) -> Int32 {
    try systemCall("cannot create", bundle: bundle, file: file) {
      open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    }
  }

  /// Writes all of `bytes` to `descriptor`.
  static func writeAll(
    _ bytes: UnsafeRawBufferPointer, to descriptor: Int32, bundle: String, file: String
  ) throws(BundleError) {
    try io(bundle: bundle, file: file) { () throws(SystemError) in
      try IO.writeAll(bytes, to: FileDescriptor(rawValue: descriptor), path: file)
    }
  }

  /// Writes all of `bytes` to `descriptor`.
  static func writeAll(_ bytes: [UInt8], to descriptor: Int32, bundle: String, file: String) throws(BundleError) {
    try io(bundle: bundle, file: file) { () throws(SystemError) in
      try IO.writeAll(bytes, to: FileDescriptor(rawValue: descriptor), path: file)
    }
  }

  /// Creates the file `path` holding `bytes`, flushed to disk unless `flush` is false (the caller
  /// flushes it later, with others: `IO.flush`).
  static func writeFile(
    _ path: String, bytes: [UInt8], flush: Bool = true, bundle: String, file: String
  ) throws(BundleError) {
    let descriptor = try createFile(path, bundle: bundle, file: file)
    defer { close(descriptor) }
    try writeAll(bytes, to: descriptor, bundle: bundle, file: file)
    guard flush else { return }
    try io(bundle: bundle, file: file) { () throws(SystemError) in
      try IO.flush(FileDescriptor(rawValue: descriptor), path: file)
    }
  }

  /// Runs `body`, a call of the POSIX layer, turning its error into an `.io` `BundleError`.
  static func io<T>(bundle: String, file: String, _ body: () throws(SystemError) -> T) throws(BundleError) -> T {
    do {
      return try body()
    } catch {
      throw BundleError(.io, error.operation, bundle: bundle, file: file, errno: error.errno.rawValue)
    }
  }

  /// Copies exactly `count` bytes from the current position of `source` to that of `target`
  /// (`copy_file_range`, which copies inside the kernel, or reflinks, where the system has it;
  /// else `read`/`write` through `buffer`). Fails if `source` ends early or has more bytes.
  static func copy(
    _ count: Int64, from source: Int32, to target: Int32, buffer: UnsafeMutableRawBufferPointer,
    bundle: String, file: String
  ) throws(BundleError) {
    var remaining = count
    remaining -= try io(bundle: bundle, file: file) { () throws(SystemError) in
      try IO.kernelCopy(count, from: FileDescriptor(rawValue: source), to: FileDescriptor(rawValue: target), path: file)
    }
    while remaining > 0 {
      let wanted = Int(min(remaining, Int64(buffer.count)))
      let read = try systemCall("cannot read", bundle: bundle, file: file) {
        Glibc.read(source, buffer.baseAddress, wanted)
      }
      if read == 0 {
        throw BundleError(
          .io, "has \(count - remaining) bytes, expected \(count) (it changed while being copied)",
          bundle: bundle, file: file)
      }
      try writeAll(UnsafeRawBufferPointer(rebasing: buffer[0..<read]), to: target, bundle: bundle, file: file)
      remaining -= Int64(read)
    }
    let more = try systemCall("cannot read", bundle: bundle, file: file) { Glibc.read(source, buffer.baseAddress, 1) }
    if more != 0 {
      throw BundleError(.io, "has more than \(count) bytes (it changed while being copied)", bundle: bundle, file: file)
    }
  }

  /// Creates the directory `path`.
  static func makeDirectory(_ path: String, mode: mode_t = 0o755, bundle: String, file: String) throws(BundleError) {
    try systemCall("cannot create directory", bundle: bundle, file: file) { mkdir(path, mode) }
  }

  /// Flushes the directory `path` (its entries) to disk.
  static func syncDirectory(_ path: String, bundle: String, file: String) throws(BundleError) {
    let directory = try systemCall("cannot open directory", bundle: bundle, file: file) {
      open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    }
    defer { close(directory) }
    try systemCall("cannot flush directory", bundle: bundle, file: file) { fsync(directory) }
  }

  /// Removes `path` and everything under it, if it exists (symbolic links are removed, not
  /// followed). Errors are ignored: this cleans up after a failure.
  static func removeTree(_ path: String) {
    var status = stat()
    guard lstat(path, &status) == 0 else { return }
    if status.st_mode & S_IFMT == S_IFDIR {
      if let directory = opendir(path) {
        var names: [String] = []
        while let entry = readdir(directory) {
          let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
            pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
          }
          if name != "." && name != ".." { names.append(name) }
        }
        closedir(directory)
        for name in names { removeTree(path + "/" + name) }
      }
      rmdir(path)
    } else {
      unlink(path)
    }
  }

  /// A random name part for temporary files and directories.
  static func randomSuffix() -> String {
    String(UInt64.random(in: 0...UInt64.max), radix: 36)
  }

  // MARK: Hex

  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// The lowercase hex digits of `bytes`.
  static func hex(_ bytes: some Sequence<UInt8>) -> String {
    var text: [UInt8] = []
    text.reserveCapacity(64)
    for byte in bytes {
      text.append(hexDigits[Int(byte >> 4)])
      text.append(hexDigits[Int(byte & 0x0f)])
    }
    return String(decoding: text, as: UTF8.self)
  }

  /// Whether `text` is 64 lowercase hex digits (the name of a content object).
  static func isObjectHex(_ text: some StringProtocol) -> Bool {
    text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
  }
}
