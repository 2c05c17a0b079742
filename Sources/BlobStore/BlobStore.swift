import Crypto
public import Foundation
import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

/// A directory of immutable objects named by the SHA-256 of their bytes.
///
/// Layout (see `Storage/blob-store.md`):
/// ```
/// <root>/sha256/<first 2 hex digits>/<remaining 62 hex digits>   read-only objects
/// <root>/tmp/<pid>.<random>.tmp                                  objects being written
/// ```
/// An object is first *staged* (copied into `tmp/` while it is hashed, then flushed to disk) and
/// then *committed* (hard-linked to its final name, which fails if the name exists, and the
/// directory is flushed). A crash leaves either no object or a whole one; leftover temporary
/// files are removed by `sweepTemporaryFiles()`. The store never rewrites a stored object.
public struct BlobStore: Sendable {
  /// The directory holding `sha256/` and `tmp/`.
  public let root: URL

  /// The size of each read while hashing or copying (1 MiB); memory does not grow with file size.
  public static let chunkSize = 1 << 20

  /// Opens the store at `root`, creating its directories if needed.
  public init(root: URL) throws(BlobStoreError) {
    self.root = root
    for directory in [root.path, objectsDirectory, temporaryDirectory] {
      try Self.makeDirectory(directory)
    }
  }

  // MARK: Paths

  var objectsDirectory: String { root.path + "/sha256" }
  var temporaryDirectory: String { root.path + "/tmp" }

  /// The path of the object `id` (whether or not it exists).
  public func path(of id: BlobID) -> String {
    let hex = id.hex
    return "\(objectsDirectory)/\(hex.prefix(2))/\(hex.dropFirst(2))"
  }

  /// The fan-out directory the object `id` is named in (`sha256/<first 2 hex digits>`).
  func fanOut(of id: BlobID) -> String {
    "\(objectsDirectory)/\(id.hex.prefix(2))"
  }

  /// Whether the object `id` is stored.
  public func contains(_ id: BlobID) -> Bool {
    access(path(of: id), F_OK) == 0
  }

  // MARK: Writing

  /// Copies the file at `sourcePath` into a temporary file of the store, hashing it on the way.
  ///
  /// The source is read once, in chunks of `chunkSize`. The returned object is not yet part of
  /// the store: `commit(_:)` or `discard(_:)` it. `flush` as in `stage(reading:name:flush:)`.
  public func stage(copying sourcePath: String, flush: Bool = true) throws(BlobStoreError) -> StagedObject {
    let source = try io { () throws(SystemError) in try IO.open(sourcePath, .readOnly, options: .nonBlocking) }
    defer { IO.close(source) }  // Non-blocking: a FIFO must not block.
    return try stage(reading: source.rawValue, name: sourcePath, flush: flush)
  }

  /// Takes the file at `path`, which this process wrote under the store's temporary directory
  /// (a sync bundle extracted there) and whose SHA-256 it has already checked to be `id`, as a
  /// staged object, without copying or hashing it again. Its bytes are not flushed: commit it
  /// with its group (`commit(_:)`), which flushes them first. Committing moves it into place.
  public func stage(adopting path: String, as id: BlobID) throws(BlobStoreError) -> StagedObject {
    guard path.hasPrefix(temporaryDirectory + "/") else {
      throw BlobStoreError("only a file under the store's temporary directory can be adopted", path: path)
    }
    var status = stat()
    try systemCall(.stat, "cannot inspect", path: path) { stat(path, &status) }
    guard status.st_mode & S_IFMT == S_IFREG else {
      throw BlobStoreError("not a regular file", path: path)
    }
    try systemCall(.chmod, "cannot make read-only", path: path) { chmod(path, 0o444) }
    return StagedObject(id: id, size: Int64(status.st_size), path: path)
  }

  /// Takes the file at `path`, which this process wrote under the store's temporary directory
  /// (a web upload) and has open as `descriptor`, as a staged object without copying it: reads
  /// it once to hash it, then flushes it (`flush`) or starts its write-back, as
  /// `stage(reading:name:flush:)` does for the copy it makes. Committing moves it into place;
  /// discarding removes it.
  public func stage(adopting path: String, reading descriptor: Int32, flush: Bool = true) throws(BlobStoreError)
    -> StagedObject
  {
    guard path.hasPrefix(temporaryDirectory + "/") else {
      throw BlobStoreError("only a file under the store's temporary directory can be adopted", path: path)
    }
    let file = FileDescriptor(rawValue: descriptor)
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
    defer { buffer.deallocate() }
    var hasher = SHA256()
    var size: Int64 = 0
    while true {
      let count = try io { () throws(SystemError) in try IO.read(file, into: buffer, path: path) }
      if count == 0 { break }
      hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
      size += Int64(count)
    }
    if flush {
      try io { () throws(SystemError) in try IO.flush(file, path: path) }
    } else {
      IO.startWriteback(file, path: path)
    }
    try systemCall(.chmod, "cannot make read-only", path: path) { chmod(path, 0o444) }
    return StagedObject(id: BlobID(digest: hasher.finalize()), size: size, path: path)
  }

  /// Copies what remains to be read of the open file `descriptor` into a temporary file of the
  /// store, hashing it on the way; `name` names the file in errors. The caller closes it.
  ///
  /// With `flush` false the bytes are not flushed to disk (only their write-back is started): the
  /// object must be committed with its group (`commit(_:)`), which flushes them first (an import
  /// flushes a whole group of objects at once).
  public func stage(reading descriptor: Int32, name: String, flush: Bool = true) throws(BlobStoreError)
    -> StagedObject
  {
    try stage(flush: flush) { buffer throws(BlobStoreError) in
      try io { () throws(SystemError) in try IO.read(FileDescriptor(rawValue: descriptor), into: buffer, path: name) }
    }
  }

  /// Writes `bytes` into a temporary file of the store; `commit(_:)` or `discard(_:)` it.
  /// `flush` as in `stage(reading:name:flush:)`.
  public func stage(bytes: [UInt8], flush: Bool = true) throws(BlobStoreError) -> StagedObject {
    var offset = 0
    return try stage(flush: flush) { buffer in
      let count = min(buffer.count, bytes.count - offset)
      bytes.withUnsafeBytes { source in
        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + count)]))
      }
      offset += count
      return count
    }
  }

  /// A new path under the store's temporary directory, `<pid>.<random><suffix>`: the sweep of
  /// temporary files leaves it while this process runs and removes it once the process is gone.
  public func newTemporaryPath(suffix: String = ".tmp") -> String {
    "\(temporaryDirectory)/\(getpid()).\(UInt64.random(in: 0...UInt64.max))\(suffix)"
  }

  private func stage(
    flush: Bool, reading fill: (UnsafeMutableRawBufferPointer) throws(BlobStoreError) -> Int
  ) throws(BlobStoreError) -> StagedObject {
    let temporary = newTemporaryPath()
    let file = try io { () throws(SystemError) in
      try IO.open(
        temporary, .writeOnly, options: [.create, .exclusiveCreate], permissions: [.ownerReadWrite],
        operation: "cannot create temporary object")
    }
    let buffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: Self.chunkSize, alignment: 16)
    defer { buffer.deallocate() }
    do {
      var hasher = SHA256()
      var size: Int64 = 0
      while true {
        let count = try fill(buffer)
        if count == 0 { break }
        let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
        hasher.update(bufferPointer: chunk)
        try io { () throws(SystemError) in try IO.writeAll(chunk, to: file, path: temporary) }
        size += Int64(count)
      }
      if flush {
        try io { () throws(SystemError) in try IO.flush(file, path: temporary) }
      } else {
        // Flushed later with its group (`commit(_:)`): the disk starts on it now, while the
        // next file is read and hashed.
        IO.startWriteback(file, path: temporary)
      }
      try systemCall(.chmod, "cannot make read-only", path: temporary) { fchmod(file.rawValue, 0o444) }
      IO.close(file)
      return StagedObject(id: BlobID(digest: hasher.finalize()), size: size, path: temporary)
    } catch {
      IO.close(file)
      unlink(temporary)
      throw error
    }
  }

  /// Moves a staged object to its final name.
  ///
  /// Returns `true` when the object is new, `false` when an object with the same id was already
  /// stored (the staged copy is then deleted). Throws if the stored object's size differs, which
  /// means the stored copy is damaged: `verify` names it.
  ///
  /// With `syncDirectory` false, the new name is not yet durable: the caller must flush its
  /// directory before anything refers to the object (`commit(_:)` of a group does).
  @discardableResult
  public func commit(_ staged: StagedObject, syncDirectory: Bool = true) throws(BlobStoreError) -> Bool {
    defer { unlink(staged.path) }
    let final = path(of: staged.id)
    let directory = fanOut(of: staged.id)
    try Self.makeDirectory(directory, syncParent: true)
    let linked: Bool
    do throws(SystemError) {
      linked = try IO.call(.link, "cannot store object", path: final) { link(staged.path, final) } == 0
    } catch {
      guard error.errno == .fileExists else { throw BlobStoreError(error) }
      linked = false
    }
    if linked {
      if syncDirectory { try Self.syncDirectory(directory) }
      return true
    }
    var status = stat()
    try systemCall(.stat, "cannot inspect stored object", path: final) { stat(final, &status) }
    guard Int64(status.st_size) == staged.size else {
      throw BlobStoreError(
        "stored object \(staged.id) has \(status.st_size) bytes instead of \(staged.size); "
          + "it is damaged (run `mediabank verify`)", path: final)
    }
    return false
  }

  /// Stores a group of staged objects durably, the bytes of each flushed before it gets its name,
  /// and every name flushed before this returns, so that the catalog may then name them:
  ///
  /// 1. every staged file is flushed (`fsync`), `IO.flushConcurrency` at a time (`IO.flush`);
  /// 2. the fan-out directories the group needs and lacks are made, then `sha256/` is flushed
  ///    once (not once per new directory: a new bank gets up to 256 of them in its first group);
  /// 3. each is hard-linked to its final name, as `commit(_:syncDirectory:)` does;
  /// 4. every fan-out directory that received a name is flushed, again several at a time.
  ///
  /// A crash at any moment leaves each object absent or whole under its name (its bytes were on
  /// disk before the name existed), and nothing names an object before this returns. Returns, for
  /// each object in order, `true` when it is new to the store. When it throws, the objects before
  /// the failing one may be stored (whole), perhaps not durably; the caller discards the staged
  /// files.
  @discardableResult
  public func commit(_ group: [StagedObject]) throws(BlobStoreError) -> [Bool] {
    guard !group.isEmpty else { return [] }
    try io { () throws(SystemError) in try IO.flush(group.map(\.path)) }
    var made = false
    for directory in Set(group.map { fanOut(of: $0.id) }).sorted() {
      if try io({ () throws(SystemError) in try IO.makeDirectory(directory) }) { made = true }
    }
    if made { try Self.syncDirectory(objectsDirectory) }
    var new: [Bool] = []
    var directories: Set<String> = []
    for staged in group {
      let isNew = try commit(staged, syncDirectory: false)
      if isNew { directories.insert(fanOut(of: staged.id)) }
      new.append(isNew)
    }
    try io { () throws(SystemError) in try IO.flush(directories.sorted()) }
    return new
  }

  /// Deletes a staged object that will not be committed.
  public func discard(_ staged: StagedObject) {
    unlink(staged.path)
  }

  /// Removes temporary files left by processes that no longer run (a crash or a kill).
  /// Returns the number of files removed.
  @discardableResult
  public func sweepTemporaryFiles() -> Int {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: temporaryDirectory)
    else { return 0 }
    var removed = 0
    for name in names {
      // Still being written by a running process (of any user).
      if let pid = Self.writerPID(ofTemporaryFile: name), IO.isRunning(pid) { continue }
      let path = "\(temporaryDirectory)/\(name)"
      if unlink(path) == 0 {
        removed += 1
      } else if errno == EISDIR || errno == EPERM, (try? FileManager.default.removeItem(atPath: path)) != nil {
        removed += 1  // A directory a bundle was extracted into.
      }
    }
    return removed
  }

  /// The process id that starts the temporary file name `name` (the characters before its first
  /// `.`), or nil when they are not one: a pid is written in decimal digits, without sign or
  /// leading zero, and is positive. (`-1` and `0` would make `kill` ask about a whole group of
  /// processes, so a file named so would never be swept.)
  static func writerPID(ofTemporaryFile name: String) -> pid_t? {
    let digits = name.utf8.prefix { $0 != UInt8(ascii: ".") }
    guard let first = digits.first, (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(first),
      digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
    else { return nil }
    return pid_t(String(decoding: digits, as: UTF8.self))  // Nil when it overflows.
  }

  // MARK: Removing

  /// Removes the object `id` durably: its file is unlinked and its directory flushed. Removing
  /// an object that is not stored does nothing. The store never removes an object on its own:
  /// only the catalog knows that nothing needs it any more.
  public func remove(_ id: BlobID) throws(BlobStoreError) {
    try remove([id])
  }

  /// Removes the objects `ids` durably: every file is unlinked, then each directory they were in
  /// is flushed once (one `fsync` per fan-out directory, not per object). Objects that are not
  /// stored are skipped. When it throws, the objects before the failing one are removed, perhaps
  /// not durably.
  public func remove(_ ids: some Sequence<BlobID>) throws(BlobStoreError) {
    var directories: Set<String> = []
    for id in ids {
      let file = path(of: id)
      do throws(SystemError) {
        try IO.call(.unlink, "cannot remove object", path: file) { unlink(file) }
      } catch {
        if error.errno == .noSuchFileOrDirectory { continue }
        throw BlobStoreError(error)
      }
      directories.insert(fanOut(of: id))
    }
    for directory in directories.sorted() { try Self.syncDirectory(directory) }
  }

  // MARK: Reading and checking

  /// Every object present on disk, sorted by id. Names that are not object ids are ignored,
  /// including names with upper-case hex digits: objects are named in lowercase.
  public func storedObjects() throws(BlobStoreError) -> [BlobID] {
    let manager = FileManager.default
    guard let fanOut = try? manager.contentsOfDirectory(atPath: objectsDirectory) else {
      throw BlobStoreError("cannot list objects", path: objectsDirectory)
    }
    var ids: [BlobID] = []
    for prefix in fanOut where prefix.utf8.count == 2 {
      let names = (try? manager.contentsOfDirectory(atPath: "\(objectsDirectory)/\(prefix)")) ?? []
      ids += names.compactMap { BlobID(lowercaseHex: prefix + $0) }
    }
    return ids.sorted()
  }

  /// The SHA-256 of the file at `path`, read in chunks of `chunkSize`.
  public static func hash(fileAt path: String) throws(BlobStoreError) -> BlobID {
    let file = try io { () throws(SystemError) in try IO.open(path, .readOnly, options: .nonBlocking) }
    defer { IO.close(file) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
    defer { buffer.deallocate() }
    var hasher = SHA256()
    while true {
      let count = try io { () throws(SystemError) in try IO.read(file, into: buffer, path: path) }
      if count == 0 { break }
      hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }
    return BlobID(digest: hasher.finalize())
  }

  /// Re-hashes the object `id` and says whether its bytes still match its name.
  public func check(_ id: BlobID) -> ObjectCheck {
    let file = path(of: id)
    guard access(file, F_OK) == 0 else { return .missing }
    do {
      let actual = try Self.hash(fileAt: file)
      return actual == id ? .intact : .corrupt(actual: actual)
    } catch {
      return .unreadable(error.description)
    }
  }

  /// Checks `ids` on `concurrency` threads (default: one per core) and returns the result for
  /// each id, in the order given.
  public func check(_ ids: [BlobID], concurrency: Int = ProcessInfo.processInfo.activeProcessorCount) -> [ObjectCheck] {
    IO.parallelMap(ids.count, concurrency: concurrency) { check(ids[$0]) }.map { $0 ?? .missing }
  }

  // MARK: Helpers

  private static func makeDirectory(
    _ path: String, syncParent: Bool = false
  ) throws(BlobStoreError) {
    if try io({ () throws(SystemError) in try IO.makeDirectory(path) }), syncParent {
      try syncDirectory(String(path[..<path.lastIndex(of: "/")!]))
    }
  }

  private static func syncDirectory(_ path: String) throws(BlobStoreError) {
    try io { () throws(SystemError) in try IO.syncDirectory(path) }
  }
}

/// An object copied into the store's temporary directory, hashed and flushed, but not yet
/// visible under its id.
public struct StagedObject: Sendable {
  /// The id the object will have.
  public let id: BlobID
  /// Its size in bytes.
  public let size: Int64
  /// The temporary file holding it (readable until committed or discarded).
  public let path: String
}

/// The outcome of re-hashing one object.
public enum ObjectCheck: Equatable, Sendable {
  case intact
  case missing
  case corrupt(actual: BlobID)
  case unreadable(String)
}
