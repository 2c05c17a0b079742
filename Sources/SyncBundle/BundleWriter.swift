public import Crypto
public import Foundation
import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

/// Writes sync bundles: signed BagIt bags in the layout of `Storage/sync-bundle.md`.
public enum BundleWriter {
  /// Where and in which form a bundle is written.
  public enum Destination: Sendable {
    /// The bag directory `<parent>/<bundle id>/`.
    case directory(parent: URL)
    /// One uncompressed POSIX tar file at this path, whose top-level directory is the bundle id.
    case tar(file: URL)
  }

  /// `bagit.txt`, exactly (RFC 8493 §2.1.1).
  static let bagitText = Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".utf8)

  /// Writes a bundle and returns its path (the bag directory or the tar file).
  ///
  /// - `info`: the fields of `bag-info.txt`. `payloadOxum` and `records` are computed here;
  ///   `signingKeyId` must be the id of `key`.
  /// - `records`: the lines of `data/records.jsonl`, each an encoded JSON record without its
  ///   `\n` (at most 1 MiB; each is checked to be a record of the current format). Read once, in order.
  /// - `objects`: the content objects, each an id (64 hex digits, or `sha256:<hex>`) and the path
  ///   of a file whose bytes hash to it. They come from a content-addressed store, so they are not
  ///   hashed again: the id is the manifest's hash. An id given twice is written once.
  /// - `key`: the exporting bank's key, which signs `tagmanifest-sha256.txt`.
  /// - `rotations`: the bank's key rotation statements, oldest first, written to
  ///   `mediabank-key-rotation.txt` (format 3 only); the last one's new key must be `key`.
  ///
  /// The bundle is written under a temporary name beside its destination (`.<name>.partial`),
  /// flushed to disk (files and directories; a directory's files are flushed at once, several
  /// fsyncs in flight), then renamed into place: a failure or a crash
  /// never leaves a bundle that looks whole, and a failure removes what was written. Object bytes
  /// are copied in the kernel (`copy_file_range`) where possible, else in 1 MiB chunks, so memory
  /// does not grow with file size. An existing bundle at the destination is never replaced.
  @discardableResult
  public static func write(
    info: BagInfo, records: some Sequence<Data>, objects: [(id: String, path: String)],
    key: Curve25519.Signing.PrivateKey, rotations: [KeyRotation] = [], to destination: Destination
  ) throws(BundleError) -> URL {
    let bundle = info.bundleId
    if let problem = info.problem() { throw BundleError(.invalidArgument, problem, bundle: bundle) }
    let keyId = BundleSignature.keyId(of: key.publicKey)
    guard info.signingKeyId == keyId else {
      throw BundleError(
        .invalidArgument, "MediaBank-Signing-Key-Id is \(info.signingKeyId) but the signing key's id is \(keyId)",
        bundle: bundle)
    }
    if !rotations.isEmpty {
      guard info.formatVersion >= 3 else {
        throw BundleError(.invalidArgument, "key rotation statements need bundle format 3", bundle: bundle)
      }
      guard rotations.last?.newKeyId == keyId else {
        throw BundleError(
          .invalidArgument, "the last key rotation statement does not introduce \(keyId)", bundle: bundle)
      }
    }
    var unique: [String: String] = [:]
    for object in objects {
      var hex = object.id.lowercased()
      if hex.hasPrefix("sha256:") { hex.removeFirst(7) }
      guard FileIO.isObjectHex(hex) else {
        throw BundleError(.invalidArgument, "`\(object.id)` is not a SHA-256 object id", bundle: bundle)
      }
      if unique[hex] == nil { unique[hex] = object.path }
    }
    let sortedObjects = unique.sorted { $0.key < $1.key }.map { (hex: $0.key, path: $0.value) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: FileIO.chunkSize, alignment: 64)
    defer { buffer.deallocate() }
    var writer = Writer(bundle: bundle, info: info, key: key, objects: sortedObjects, buffer: buffer)
    writer.rotations = rotations.map { $0.rendered() }.joined()
    switch destination {
    case .directory(let parent):
      return try writer.writeDirectory(parent: parent, records: records)
    case .tar(let file):
      return try writer.writeTar(file: file, records: records)
    }
  }

  /// The state of one write.
  private struct Writer {
    let bundle: String
    var info: BagInfo
    let key: Curve25519.Signing.PrivateKey
    /// The text of `mediabank-key-rotation.txt`; empty when the bundle has none.
    var rotations = ""
    let objects: [(hex: String, path: String)]
    let buffer: UnsafeMutableRawBufferPointer

    init(
      bundle: String, info: BagInfo, key: Curve25519.Signing.PrivateKey, objects: [(hex: String, path: String)],
      buffer: UnsafeMutableRawBufferPointer
    ) {
      self.bundle = bundle
      self.info = info
      self.key = key
      self.objects = objects
      self.buffer = buffer
    }

    // MARK: Directory form

    mutating func writeDirectory(parent: URL, records: some Sequence<Data>) throws(BundleError) -> URL {
      let final = parent.path + "/" + bundle
      let partial = parent.path + "/." + bundle + ".partial"
      if try FileIO.fileStatus(final, bundle: bundle, file: "") != nil {
        throw BundleError(.alreadyExists, "already exists at \(final)", bundle: bundle)
      }
      FileIO.removeTree(partial)  // Left by a crash of an earlier write of this bundle.
      try FileIO.makeDirectory(partial, bundle: bundle, file: partial)
      do throws(BundleError) {
        // Every file and directory of the tree is written first, then all are flushed at once
        // (`IO.flush`: several fsyncs in flight), and only then is the tree renamed into place.
        var written: [String] = [partial + "/data/records.jsonl"]
        var directories = [partial + "/data", partial]
        try FileIO.makeDirectory(partial + "/data", bundle: bundle, file: "data")
        let recordsFile = try FileIO.createFile(
          partial + "/data/records.jsonl", bundle: bundle, file: "data/records.jsonl")
        let lines: (hex: String, size: Int64, count: Int)
        do {
          defer { close(recordsFile) }
          lines = try writeRecords(records, to: recordsFile)
        }
        var sizes: [Int64] = []
        if !objects.isEmpty {
          let directory = partial + "/data/objects/sha256"
          try FileIO.makeDirectory(partial + "/data/objects", bundle: bundle, file: "data/objects")
          try FileIO.makeDirectory(directory, bundle: bundle, file: "data/objects/sha256")
          directories += [directory, partial + "/data/objects"]
          for object in objects {
            let name = "data/objects/sha256/" + object.hex
            let (source, size) = try FileIO.openRegularFile(object.path, bundle: bundle, file: object.path)
            defer { close(source) }
            let target = try FileIO.createFile(partial + "/" + name, bundle: bundle, file: name)
            defer { close(target) }
            try FileIO.copy(size, from: source, to: target, buffer: buffer, bundle: bundle, file: object.path)
            IO.startWriteback(FileDescriptor(rawValue: target), path: name)
            written.append(partial + "/" + name)
            sizes.append(size)
          }
        }
        for (name, bytes) in try tagFiles(records: lines, objectSizes: sizes) {
          try FileIO.writeFile(partial + "/" + name, bytes: bytes, flush: false, bundle: bundle, file: name)
          written.append(partial + "/" + name)
        }
        do throws(SystemError) {
          try IO.flush(written + directories)
        } catch {
          let file = error.path.hasPrefix(partial + "/") ? String(error.path.dropFirst(partial.count + 1)) : ""
          throw BundleError(.io, error.operation, bundle: bundle, file: file, errno: error.errno.rawValue)
        }
        try systemCall("cannot rename into place", bundle: bundle, file: final) { rename(partial, final) }
      } catch {
        FileIO.removeTree(partial)
        throw error
      }
      try FileIO.syncDirectory(parent.path, bundle: bundle, file: parent.path)
      return URL(fileURLWithPath: final, isDirectory: true)
    }

    // MARK: Tar form

    mutating func writeTar(file: URL, records: some Sequence<Data>) throws(BundleError) -> URL {
      let final = file.path
      let directory = file.deletingLastPathComponent().path
      let partial = directory + "/." + file.lastPathComponent + ".partial"
      if try FileIO.fileStatus(final, bundle: bundle, file: "") != nil {
        throw BundleError(.alreadyExists, "already exists at \(final)", bundle: bundle)
      }
      // The records go first to an unlinked temporary file: their size and hash are needed for
      // the tag files, which come first in the tar.
      let recordsTemporary = directory + "/." + file.lastPathComponent + ".records." + FileIO.randomSuffix()
      let recordsFile = try systemCall("cannot create temporary file", bundle: bundle, file: recordsTemporary) {
        open(recordsTemporary, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
      }
      unlink(recordsTemporary)
      defer { close(recordsFile) }
      let written = try writeRecords(records, to: recordsFile)
      try systemCall("cannot rewind", bundle: bundle, file: "data/records.jsonl") { lseek(recordsFile, 0, SEEK_SET) }

      var sizes: [Int64] = []
      for object in objects {
        var status = stat()
        try systemCall("cannot inspect", bundle: bundle, file: object.path) { stat(object.path, &status) }
        sizes.append(Int64(status.st_size))
      }
      let tags = try tagFiles(records: written, objectSizes: sizes)

      FileIO.removeTree(partial)
      let output = try FileIO.createFile(partial, bundle: bundle, file: partial)
      do throws(BundleError) {
        defer { close(output) }
        var tar = TarWriter(
          descriptor: output, bundle: bundle, file: partial, modificationTime: Int(info.createdAt.timeIntervalSince1970)
        )
        let top = bundle + "/"
        try tar.directory(top)
        for (name, bytes) in tags { try tar.file(top + name, bytes: bytes) }
        try tar.directory(top + "data/")
        try tar.file(
          top + "data/records.jsonl", size: written.size, from: recordsFile, name: "data/records.jsonl", buffer: buffer)
        if !objects.isEmpty {
          try tar.directory(top + "data/objects/")
          try tar.directory(top + "data/objects/sha256/")
          for (object, size) in zip(objects, sizes) {
            let (source, _) = try FileIO.openRegularFile(object.path, bundle: bundle, file: object.path)
            defer { close(source) }
            try tar.file(
              top + "data/objects/sha256/" + object.hex, size: size, from: source, name: object.path, buffer: buffer)
          }
        }
        try tar.finish()
        try systemCall("cannot flush", bundle: bundle, file: partial) { fsync(output) }
        try systemCall("cannot rename into place", bundle: bundle, file: final) { rename(partial, final) }
      } catch {
        unlink(partial)
        throw error
      }
      try FileIO.syncDirectory(directory, bundle: bundle, file: directory)
      return URL(fileURLWithPath: final)
    }

    // MARK: Shared

    /// Writes the records, each followed by `\n`, through a 1 MiB buffer, checking each; returns
    /// the file's SHA-256, size and line count.
    func writeRecords(
      _ records: some Sequence<Data>, to descriptor: Int32
    ) throws(BundleError) -> (hex: String, size: Int64, count: Int) {
      let file = "data/records.jsonl"
      var hasher = SHA256()
      var pending: [UInt8] = []
      pending.reserveCapacity(FileIO.chunkSize + RecordLines.maximumLineLength + 1)
      var size: Int64 = 0
      var count = 0
      for record in records {
        count += 1
        guard record.count <= RecordLines.maximumLineLength else {
          throw BundleError(
            .invalidArgument, "record \(count) has \(record.count) bytes, more than 1 MiB", bundle: bundle, file: file)
        }
        guard !record.contains(0x0a) else {
          throw BundleError(.invalidArgument, "record \(count) has a line break", bundle: bundle, file: file)
        }
        guard count <= RecordLines.maximumCount else {
          throw BundleError(
            .invalidArgument, "more than \(RecordLines.maximumCount) records, the most a bundle may have",
            bundle: bundle, file: file)
        }
        do {
          _ = try RecordLine<RecordIdentity>.decode(record, formatVersion: info.formatVersion)
        } catch {
          throw BundleError(.invalidArgument, "record \(count) \(error)", bundle: bundle, file: file)
        }
        pending.append(contentsOf: record)
        pending.append(0x0a)
        if pending.count >= FileIO.chunkSize {
          hasher.update(data: pending)
          try FileIO.writeAll(pending, to: descriptor, bundle: bundle, file: file)
          size += Int64(pending.count)
          pending.removeAll(keepingCapacity: true)
        }
      }
      hasher.update(data: pending)
      try FileIO.writeAll(pending, to: descriptor, bundle: bundle, file: file)
      size += Int64(pending.count)
      return (FileIO.hex(hasher.finalize()), size, count)
    }

    /// The tag files, in the order they are written: `bagit.txt`, `bag-info.txt`,
    /// `manifest-sha256.txt`, `mediabank-key-rotation.txt` (when there are statements),
    /// `tagmanifest-sha256.txt`, `mediabank-signature.txt`.
    mutating func tagFiles(
      records: (hex: String, size: Int64, count: Int), objectSizes: [Int64]
    ) throws(BundleError) -> [(String, [UInt8])] {
      info.records = records.count
      info.payloadOxum = PayloadOxum(octets: records.size + objectSizes.reduce(0, +), files: 1 + objects.count)
      // Sorted by path in byte order: `data/objects/…` comes before `data/records.jsonl`.
      let payload =
        objects.map { ManifestEntry(hex: $0.hex, path: "data/objects/sha256/" + $0.hex) }
        + [ManifestEntry(hex: records.hex, path: "data/records.jsonl")]
      let bagInfo = Array(info.rendered().utf8)
      let manifest = Manifest.render(payload)
      let rotationFile = Array(rotations.utf8)
      var listed = [
        ManifestEntry(hex: FileIO.hex(SHA256.hash(data: BundleWriter.bagitText)), path: "bagit.txt"),
        ManifestEntry(hex: FileIO.hex(SHA256.hash(data: bagInfo)), path: "bag-info.txt"),
        ManifestEntry(hex: FileIO.hex(SHA256.hash(data: manifest)), path: "manifest-sha256.txt"),
      ]
      if !rotationFile.isEmpty {
        listed.append(ManifestEntry(hex: FileIO.hex(SHA256.hash(data: rotationFile)), path: KeyRotation.fileName))
      }
      let tagManifest = Manifest.render(listed)
      let signature: BundleSignature
      do {
        signature = try BundleSignature(signing: tagManifest, with: key)
      } catch {
        throw BundleError(error.reason, error.message, bundle: bundle, file: BundleSignature.fileName)
      }
      return [
        ("bagit.txt", BundleWriter.bagitText),
        ("bag-info.txt", bagInfo),
        ("manifest-sha256.txt", manifest),
      ] + (rotationFile.isEmpty ? [] : [(KeyRotation.fileName, rotationFile)]) + [
        ("tagmanifest-sha256.txt", tagManifest),
        (BundleSignature.fileName, Array(signature.rendered().utf8)),
      ]
    }
  }
}
