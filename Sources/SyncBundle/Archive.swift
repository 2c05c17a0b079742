import Crypto
public import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Writes a tree of files, either as a new directory or as one uncompressed POSIX tar file whose
/// top-level directory is the tree, so that nothing half-written ever has the final name.
///
/// Everything is written under a temporary name beside the destination (`.<name>.partial`); on
/// ``commit()`` the data is flushed to disk (one `sync(2)`), the tree renamed into place and its
/// directory flushed. ``abandon()`` (or a writer that goes away uncommitted) removes what was
/// written. An existing destination is never replaced. Every file's SHA-256 is computed while it
/// is written, from the bytes written, so that the caller can list them in a manifest.
///
/// Errors name the destination's file name and the path inside the tree.
public final class ArchiveWriter {
  /// Where and in which form the tree is written.
  public enum Form: Sendable {
    /// A new directory at this path.
    case directory(URL)
    /// A new tar file at this path (mode `0600`), whose entries are under `top/`.
    case tar(URL, top: String)
  }

  private let form: Form
  private let name: String
  private let final: String
  private let partial: String
  private var tar: TarWriter?
  private var output: Int32 = -1
  private var finished = false
  private let buffer: UnsafeMutableRawBufferPointer

  /// Starts a tree at `form`'s path; fails when something is already there. `modificationTime`
  /// (seconds since 1970) is the time of every tar entry.
  public init(_ form: Form, modificationTime: Int) throws(BundleError) {
    self.form = form
    let url: URL
    switch form {
    case .directory(let directory): url = directory
    case .tar(let file, _): url = file
    }
    final = url.path
    name = url.lastPathComponent
    partial = url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".partial"
    buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: FileIO.chunkSize, alignment: 64)
    if try FileIO.fileStatus(final, bundle: name, file: "") != nil {
      finished = true  // Nothing of ours to remove; deinit frees the buffer.
      throw BundleError(.alreadyExists, "already exists; choose a new name", bundle: name)
    }
    FileIO.removeTree(partial)  // Left by a crash of an earlier attempt.
    do throws(BundleError) {
      switch form {
      case .directory:
        try FileIO.makeDirectory(partial, bundle: name, file: "")
      case .tar(_, let top):
        output = try systemCall("cannot create", bundle: name, file: "") {
          open(partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        }
        var writer = TarWriter(descriptor: output, bundle: name, file: "", modificationTime: modificationTime)
        try writer.directory(top + "/")
        tar = writer
      }
    } catch {
      abandon()
      throw error
    }
  }

  deinit {
    if !finished { abandon() }
    buffer.deallocate()
  }

  /// The path of `path` inside the tree, as written (in the partial directory, or in the tar).
  private func entry(_ path: String) -> String {
    switch form {
    case .directory: return partial + "/" + path
    case .tar(_, let top): return top + "/" + path
    }
  }

  /// Adds the directory `path` (relative, without a trailing `/`) with `mode`.
  public func directory(_ path: String, mode: Int = 0o755) throws(BundleError) {
    if tar != nil {
      try tar!.directory(entry(path) + "/", mode: mode)
    } else {
      try FileIO.makeDirectory(entry(path), mode: mode_t(mode), bundle: name, file: path)
      try systemCall("cannot set the mode of", bundle: name, file: path) { chmod(entry(path), mode_t(mode)) }
    }
  }

  /// Adds the file `path` holding `bytes`, with `mode`; returns its SHA-256 (64 hex digits).
  @discardableResult
  public func file(_ path: String, bytes: [UInt8], mode: Int = 0o644) throws(BundleError) -> String {
    if tar != nil {
      try tar!.file(entry(path), bytes: bytes, mode: mode)
    } else {
      let target = try create(path, mode: mode)
      defer { close(target) }
      try FileIO.writeAll(bytes, to: target, bundle: name, file: path)
    }
    return FileIO.hex(SHA256.hash(data: bytes))
  }

  /// Adds the file `path`, a copy of the regular file `source`, with `mode`; returns the SHA-256
  /// of the bytes copied and their number. The source is read once, in 1 MiB chunks; it must not
  /// change while it is copied.
  @discardableResult
  public func file(_ path: String, copying source: String, mode: Int = 0o644) throws(BundleError)
    -> (hex: String, size: Int64)
  {
    let (input, size) = try FileIO.openRegularFile(source, bundle: name, file: source)
    defer { close(input) }
    var hasher = SHA256()
    func copy(to target: Int32) throws(BundleError) {
      var remaining = size
      while remaining > 0 {
        let wanted = Int(min(remaining, Int64(buffer.count)))
        let count = try systemCall("cannot read", bundle: name, file: source) {
          Glibc.read(input, buffer.baseAddress, wanted)
        }
        guard count > 0 else {
          throw BundleError(.io, "shrank while being copied (it had \(size) bytes)", bundle: name, file: source)
        }
        let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
        hasher.update(bufferPointer: chunk)
        try FileIO.writeAll(chunk, to: target, bundle: name, file: path)
        remaining -= Int64(count)
      }
      let more = try systemCall("cannot read", bundle: name, file: source) { Glibc.read(input, buffer.baseAddress, 1) }
      guard more == 0 else {
        throw BundleError(.io, "grew while being copied (it had \(size) bytes)", bundle: name, file: source)
      }
    }
    if tar != nil {
      try tar!.header(path: entry(path), size: size, type: UInt8(ascii: "0"), mode: mode)
      try copy(to: output)
      try tar!.pad(size)
    } else {
      let target = try create(path, mode: mode)
      defer { close(target) }
      try copy(to: target)
    }
    return (FileIO.hex(hasher.finalize()), size)
  }

  /// Creates the file `path` of the directory form, with `mode` whatever the umask.
  private func create(_ path: String, mode: Int) throws(BundleError) -> Int32 {
    let target = try systemCall("cannot create", bundle: name, file: path) {
      open(entry(path), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    }
    do {
      try systemCall("cannot set the mode of", bundle: name, file: path) { fchmod(target, mode_t(mode)) }
    } catch {
      close(target)
      throw error
    }
    return target
  }

  /// Ends the tree, flushes it to disk and gives it its final name; returns that path.
  @discardableResult
  public func commit() throws(BundleError) -> URL {
    do throws(BundleError) {
      if let tar {
        try tar.finish()
        try systemCall("cannot flush", bundle: name, file: "") { fsync(output) }
        close(output)
        output = -1
      } else {
        sync()  // Every file and directory of the tree at once, instead of one fsync each.
      }
      try systemCall("cannot rename into place", bundle: name, file: "") { rename(partial, final) }
    } catch {
      abandon()
      throw error
    }
    finished = true
    let parent = (final as NSString).deletingLastPathComponent
    try FileIO.syncDirectory(parent.isEmpty ? "." : parent, bundle: name, file: parent)
    return URL(fileURLWithPath: final)
  }

  /// Removes what was written; the destination stays as it was.
  public func abandon() {
    finished = true
    if output >= 0 {
      close(output)
      output = -1
    }
    Archive.removeTree(partial)
  }
}

/// Reading back a tree that ``ArchiveWriter`` wrote.
public enum Archive {
  /// A tree copied or extracted into a new directory.
  public struct Unpacked: Sendable {
    /// The directory holding the tree.
    public var root: URL
    /// The SHA-256 (64 hex digits) of every regular file, by its path relative to `root`,
    /// computed from the bytes written.
    public var hashes: [String: String]
  }

  /// Copies the tree at `source` (a directory, or a tar file of one top-level directory) into a
  /// new directory inside `workDirectory`, hashing every file while it is written. Only
  /// directories and regular files are accepted; a tar is refused as a bundle is (links, devices,
  /// unsafe paths, a damaged header, truncation: see `Storage/sync-bundle.md`). Errors name
  /// `source`'s file name and the path inside the tree. Files are not flushed to disk.
  public static func unpack(_ source: URL, into workDirectory: URL) throws(BundleError) -> Unpacked {
    let name = source.lastPathComponent
    guard let status = try FileIO.fileStatus(source.path, bundle: name, file: "") else {
      throw BundleError(.missingFile, "does not exist", bundle: name)
    }
    switch status.st_mode & S_IFMT {
    case S_IFREG:
      let extracted = try TarExtractor(tarPath: source.path, bundle: name, root: workDirectory.path).extract()
      return Unpacked(root: workDirectory.appendingPathComponent(extracted.top), hashes: extracted.hashes)
    case S_IFDIR:
      let root = workDirectory.appendingPathComponent("tree")
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: FileIO.chunkSize, alignment: 64)
      defer { buffer.deallocate() }
      var hashes: [String: String] = [:]
      try copyTree(from: source.path, to: root.path, relative: "", name: name, buffer: buffer, hashes: &hashes)
      return Unpacked(root: root, hashes: hashes)
    default:
      throw BundleError(.structure, "is neither a directory nor a tar file", bundle: name)
    }
  }

  private static func copyTree(
    from source: String, to target: String, relative: String, name: String, buffer: UnsafeMutableRawBufferPointer,
    hashes: inout [String: String]
  ) throws(BundleError) {
    try FileIO.makeDirectory(target, bundle: name, file: relative)
    for entry in try FileIO.listDirectory(source, bundle: name, file: relative) {
      let path = relative.isEmpty ? entry : relative + "/" + entry
      guard let status = try FileIO.fileStatus(source + "/" + entry, bundle: name, file: path) else { continue }
      switch status.st_mode & S_IFMT {
      case S_IFDIR:
        try copyTree(
          from: source + "/" + entry, to: target + "/" + entry, relative: path, name: name, buffer: buffer,
          hashes: &hashes)
      case S_IFREG:
        let (input, size) = try FileIO.openRegularFile(source + "/" + entry, bundle: name, file: path)
        defer { close(input) }
        let output = try FileIO.createFile(target + "/" + entry, bundle: name, file: path)
        defer { close(output) }
        var hasher = SHA256()
        var copied: Int64 = 0
        while true {
          let count = try systemCall("cannot read", bundle: name, file: path) {
            Glibc.read(input, buffer.baseAddress, buffer.count)
          }
          if count == 0 { break }
          let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
          hasher.update(bufferPointer: chunk)
          try FileIO.writeAll(chunk, to: output, bundle: name, file: path)
          copied += Int64(count)
        }
        guard copied == size else {
          throw BundleError(.io, "changed while being copied (\(size) bytes, then \(copied))", bundle: name, file: path)
        }
        hashes[path] = FileIO.hex(hasher.finalize())
      case S_IFLNK:
        throw BundleError(
          .structure, "is a symbolic link; only files and directories are accepted", bundle: name, file: path)
      default:
        throw BundleError(.structure, "is not a regular file or a directory", bundle: name, file: path)
      }
    }
  }

  /// Removes `path` and everything under it, read-only files included; errors are ignored.
  public static func removeTree(_ path: String) {
    FileIO.removeTree(path)
  }
}
