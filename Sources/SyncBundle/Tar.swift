import Crypto

#if canImport(Glibc)
  import Glibc
#endif

/// Writes a POSIX ustar archive, streaming: a 512-byte header, the bytes, zeros to the next
/// 512-byte boundary; two zero blocks at the end. A path longer than 100 bytes is split into the
/// header's `prefix` and `name` fields at a `/`. Only when that cannot hold the path (more than
/// 255 bytes) or the size (8 GiB or more, more than 11 octal digits) does an entry get a pax
/// extended header (`x`) with `path` and `size` records, as POSIX.1-2001 specifies.
struct TarWriter {
  let descriptor: Int32
  let bundle: String
  let file: String
  /// The modification time of every entry (the bundle's creation time, so that the same bundle
  /// makes the same bytes).
  let modificationTime: Int
  private var paxHeaders = 0

  init(descriptor: Int32, bundle: String, file: String, modificationTime: Int) {
    self.descriptor = descriptor
    self.bundle = bundle
    self.file = file
    self.modificationTime = max(0, modificationTime)
  }

  /// A directory entry; `path` ends with `/`.
  mutating func directory(_ path: String, mode: Int = 0o755) throws(BundleError) {
    try header(path: path, size: 0, type: UInt8(ascii: "5"), mode: mode)
  }

  /// A regular file holding `bytes`.
  mutating func file(_ path: String, bytes: [UInt8], mode: Int = 0o644) throws(BundleError) {
    try header(path: path, size: Int64(bytes.count), type: UInt8(ascii: "0"), mode: mode)
    try FileIO.writeAll(bytes, to: descriptor, bundle: bundle, file: file)
    try pad(Int64(bytes.count))
  }

  /// A regular file of `size` bytes copied from the current position of `source`.
  mutating func file(
    _ path: String, size: Int64, from source: Int32, name: String, buffer: UnsafeMutableRawBufferPointer
  ) throws(BundleError) {
    try header(path: path, size: size, type: UInt8(ascii: "0"), mode: 0o644)
    try FileIO.copy(size, from: source, to: descriptor, buffer: buffer, bundle: bundle, file: name)
    try pad(size)
  }

  /// The end-of-archive marker: two zero blocks.
  func finish() throws(BundleError) {
    try FileIO.writeAll([UInt8](repeating: 0, count: 1024), to: descriptor, bundle: bundle, file: file)
  }

  /// Zeros from the end of a file of `size` bytes to the next 512-byte boundary.
  func pad(_ size: Int64) throws(BundleError) {
    let padding = Int((512 - size % 512) % 512)
    if padding > 0 {
      try FileIO.writeAll([UInt8](repeating: 0, count: padding), to: descriptor, bundle: bundle, file: file)
    }
  }

  /// The header of an entry (`type` `0` a file, `5` a directory), preceded by a pax header when
  /// the path or the size does not fit.
  mutating func header(path: String, size: Int64, type: UInt8, mode: Int) throws(BundleError) {
    let split = Self.split(path)
    let sizeFits = size < 0o77777777777
    if split == nil || !sizeFits {
      var records = ""
      if split == nil { records += Self.paxRecord("path", path) }
      if !sizeFits { records += Self.paxRecord("size", String(size)) }
      paxHeaders += 1
      let top = path.prefix { $0 != "/" }
      let paxName =
        Self.split("\(top)/PaxHeaders/\(paxHeaders)") != nil
        ? "\(top)/PaxHeaders/\(paxHeaders)" : "PaxHeaders/\(paxHeaders)"
      let bytes = Array(records.utf8)
      try FileIO.writeAll(
        Self.block(
          name: Self.split(paxName)!, size: Int64(bytes.count), type: UInt8(ascii: "x"), mode: 0o644,
          time: modificationTime),
        to: descriptor, bundle: bundle, file: file)
      try FileIO.writeAll(bytes, to: descriptor, bundle: bundle, file: file)
      try pad(Int64(bytes.count))
    }
    let name = split ?? Self.split(String(decoding: Array(path.utf8).suffix(99), as: UTF8.self)) ?? ([], [])
    try FileIO.writeAll(
      Self.block(name: name, size: sizeFits ? size : 0, type: type, mode: mode, time: modificationTime),
      to: descriptor, bundle: bundle, file: file)
  }

  /// `path` as ustar `prefix` and `name` fields, or nil when it does not fit (`name` at most 100
  /// bytes, `prefix` at most 155, split at a `/` that is not the last byte).
  static func split(_ path: String) -> (prefix: [UInt8], name: [UInt8])? {
    let bytes = Array(path.utf8)
    if bytes.count <= 100 { return ([], bytes) }
    for index in bytes.indices where bytes[index] == UInt8(ascii: "/") && index < bytes.count - 1 {
      if index <= 155 && bytes.count - index - 1 <= 100 {
        return (Array(bytes[..<index]), Array(bytes[(index + 1)...]))
      }
    }
    return nil
  }

  /// One pax record: `<length> <key>=<value>\n`, the length counting itself.
  static func paxRecord(_ key: String, _ value: String) -> String {
    let body = " \(key)=\(value)\n".utf8.count
    var length = body + String(body).count
    if String(length).count + body != length { length += 1 }
    return "\(length) \(key)=\(value)\n"
  }

  /// A 512-byte ustar header.
  static func block(name: (prefix: [UInt8], name: [UInt8]), size: Int64, type: UInt8, mode: Int, time: Int) -> [UInt8] {
    var block = [UInt8](repeating: 0, count: 512)
    func put(_ bytes: some Collection<UInt8>, at offset: Int) {
      for (index, byte) in bytes.enumerated() { block[offset + index] = byte }
    }
    func octal(_ value: Int64, width: Int) -> [UInt8] {
      let digits = String(value, radix: 8)
      return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
    }
    put(name.name, at: 0)
    put(octal(Int64(mode), width: 8), at: 100)
    put(octal(0, width: 8), at: 108)
    put(octal(0, width: 8), at: 116)
    put(octal(size, width: 12), at: 124)
    put(octal(Int64(time), width: 12), at: 136)
    block[156] = type
    put(Array("ustar".utf8) + [0], at: 257)
    put(Array("00".utf8), at: 263)
    put(name.prefix, at: 345)
    put([UInt8](repeating: UInt8(ascii: " "), count: 8), at: 148)
    let sum = block.reduce(0) { $0 + Int64($1) }
    put(octal(sum, width: 7) + [UInt8(ascii: " ")], at: 148)
    return block
  }
}

/// Extracts a bundle's tar into a new directory, refusing anything that is not a plain tree of
/// one top-level directory holding directories and regular files, and hashing each file while
/// it is written (so that the payload need not be read again to be checked).
///
/// Accepted: POSIX ustar headers (and GNU's `ustar  ` magic), types `0` (and NUL) and `5`, pax
/// extended headers (`x`, whose `path` and `size` are used and other records ignored) and GNU
/// long names (`L`), names beginning with `./` (read without it; a `./` directory entry is
/// skipped), directory entries for any directory of the bag. Refused: absolute paths, `..` and
/// other `.` components, backslashes, control
/// characters, `%`, symbolic and hard links, devices, FIFOs, any other type, pax global headers,
/// sparse files, an entry outside the first entry's top-level directory, an entry given twice,
/// a header whose checksum is wrong, an archive that ends before its data or its end-of-archive
/// marker, and non-zero bytes after that marker.
struct TarExtractor {
  let tarPath: String
  /// The tar file's name, which names the bundle in errors.
  let bundle: String
  let root: String

  /// What the tar held: its top-level directory's name, and the SHA-256 of each file by its path
  /// relative to that directory.
  struct Extracted {
    var top: String
    var hashes: [String: String]
  }

  func extract() throws(BundleError) -> Extracted {
    let (descriptor, _) = try FileIO.openRegularFile(tarPath, bundle: bundle, file: "")
    defer { close(descriptor) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: FileIO.chunkSize, alignment: 64)
    defer { buffer.deallocate() }
    var reader = Reader(descriptor: descriptor, bundle: bundle)

    var top: String?
    var hashes: [String: String] = [:]
    var seen: Set<String> = []
    var directories: Set<String> = []
    var longPath: String?
    var longSize: Int64?
    var entry = 0

    while true {
      let header = try reader.block()
      guard let header else { throw refuse("is truncated: it ends without the end-of-archive marker") }
      if header.allSatisfy({ $0 == 0 }) {
        guard let second = try reader.block(), second.allSatisfy({ $0 == 0 }) else {
          throw refuse("has a zero block that is not the end-of-archive marker (two zero blocks)")
        }
        try reader.expectOnlyZeros(buffer: buffer)
        break
      }
      entry += 1
      try checkHeader(header, entry: entry)
      let type = header[156]
      guard var size = Self.number(header[124..<136]) else {
        throw refuse("entry \(entry) has a malformed size field")
      }
      if let longSize { size = longSize }
      var path = longPath ?? Self.headerPath(header)
      longPath = nil
      longSize = nil

      switch type {
      case UInt8(ascii: "x"):
        guard size <= 1 << 20 else { throw refuse("entry \(entry): a pax header of \(size) bytes is too large") }
        let records = try reader.bytes(Int(size), entry: entry)
        (longPath, longSize) = try paxValues(records, entry: entry)
        continue
      case UInt8(ascii: "L"):
        guard size <= 4096 else { throw refuse("entry \(entry): a GNU long name of \(size) bytes is too long") }
        let name = try reader.bytes(Int(size), entry: entry)
        longPath = String(decoding: name.prefix { $0 != 0 }, as: UTF8.self)
        continue
      case UInt8(ascii: "0"), 0, UInt8(ascii: "5"):
        break
      default:
        throw refuse("entry \(entry) `\(path)` is \(Self.typeName(type)), which a bundle may not hold")
      }

      let isDirectory = type == UInt8(ascii: "5")
      if isDirectory {
        guard size == 0 else { throw refuse("directory entry `\(path)` has \(size) bytes of data") }
        if path.hasSuffix("/") { path.removeLast() }
      }
      // `tar -cf x.tar ./bundle` names every entry `./…`, and `./` itself: the same tree.
      while path.hasPrefix("./") { path.removeFirst(2) }
      if isDirectory && (path == "." || path.isEmpty) { continue }
      if let problem = Manifest.pathProblem(path) {
        throw BundleError(.unsafePath, "entry \(entry) `\(path)` \(problem)", bundle: bundle)
      }
      let components = path.split(separator: "/").map(String.init)
      if top == nil { top = components[0] }
      guard components[0] == top else {
        throw BundleError(
          .unsafePath, "entry `\(path)` lies outside the top-level directory `\(top!)`", bundle: bundle)
      }
      guard seen.insert(path).inserted else { throw refuse("entry `\(path)` appears twice") }
      guard isDirectory || components.count > 1 else {
        throw refuse("the top-level entry `\(path)` is a file; it must be the bag's directory")
      }
      // Create the missing parent directories; a parent that was a file is a conflict.
      for depth in 1..<components.count {
        let parent = components[..<depth].joined(separator: "/")
        if directories.contains(parent) { continue }
        guard !seen.contains(parent) || directories.contains(parent) else {
          throw refuse("entry `\(path)` is inside `\(parent)`, which is a file")
        }
        try FileIO.makeDirectory(root + "/" + parent, bundle: bundle, file: parent)
        directories.insert(parent)
      }
      if isDirectory {
        if !directories.contains(path) {
          try FileIO.makeDirectory(root + "/" + path, bundle: bundle, file: path)
          directories.insert(path)
        }
        continue
      }
      guard !directories.contains(path) else { throw refuse("entry `\(path)` is a file and a directory") }
      let relative = components.dropFirst().joined(separator: "/")
      let output = try FileIO.createFile(root + "/" + path, bundle: bundle, file: relative)
      defer { close(output) }
      var hasher = SHA256()
      var remaining = size
      while remaining > 0 {
        let count = try reader.read(into: buffer, count: Int(min(remaining, Int64(buffer.count))))
        guard count > 0 else {
          throw refuse("is truncated: `\(path)` should have \(size) bytes, the archive ends after \(size - remaining)")
        }
        let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
        hasher.update(bufferPointer: chunk)
        try FileIO.writeAll(chunk, to: output, bundle: bundle, file: relative)
        remaining -= Int64(count)
      }
      try reader.skipPadding(after: size, entry: entry)
      hashes[relative] = FileIO.hex(hasher.finalize())
    }
    guard let top else { throw refuse("is an empty archive") }
    return Extracted(top: top, hashes: hashes)
  }

  private func refuse(_ message: String) -> BundleError {
    BundleError(.tar, message, bundle: bundle)
  }

  private func checkHeader(_ header: [UInt8], entry: Int) throws(BundleError) {
    let magic = Array(header[257..<265])
    guard magic == Array("ustar\u{0}00".utf8) || magic == Array("ustar  \u{0}".utf8) else {
      throw refuse("entry \(entry) is not a POSIX (ustar) tar header")
    }
    guard let stored = Self.number(header[148..<156]) else {
      throw refuse("entry \(entry) has a malformed header checksum")
    }
    var unsigned: Int64 = 0
    var signed: Int64 = 0
    for (index, byte) in header.enumerated() {
      let value = (148..<156).contains(index) ? UInt8(ascii: " ") : byte
      unsigned += Int64(value)
      signed += Int64(Int8(bitPattern: value))
    }
    guard stored == unsigned || stored == signed else {
      throw refuse("entry \(entry) has a header checksum mismatch (the header is damaged)")
    }
  }

  private func paxValues(_ records: [UInt8], entry: Int) throws(BundleError) -> (String?, Int64?) {
    var path: String?
    var size: Int64?
    var rest = records[...]
    while !rest.isEmpty {
      guard let space = rest.firstIndex(of: UInt8(ascii: " ")),
        let length = BagInfo.decimal(String(decoding: rest[rest.startIndex..<space], as: UTF8.self)),
        length > space - rest.startIndex + 1, length <= rest.count,
        rest[rest.startIndex + length - 1] == UInt8(ascii: "\n")
      else { throw refuse("entry \(entry) has a malformed pax header") }
      let record = rest[(space + 1)..<(rest.startIndex + length - 1)]
      rest = rest[(rest.startIndex + length)...]
      guard let equals = record.firstIndex(of: UInt8(ascii: "=")) else {
        throw refuse("entry \(entry) has a malformed pax record")
      }
      let key = String(decoding: record[record.startIndex..<equals], as: UTF8.self)
      let value = String(decoding: record[(equals + 1)...], as: UTF8.self)
      switch key {
      case "path": path = value
      case "size":
        guard let number = BagInfo.decimal(value) else { throw refuse("entry \(entry) has a malformed pax size") }
        size = Int64(number)
      case _ where key.hasPrefix("GNU.sparse"):
        throw refuse("entry \(entry) is a sparse file, which a bundle may not hold")
      default: continue
      }
    }
    return (path, size)
  }

  /// `prefix/name` of a ustar header (each field up to its first NUL).
  static func headerPath(_ header: [UInt8]) -> String {
    let name = header[0..<100].prefix { $0 != 0 }
    let prefix = header[345..<500].prefix { $0 != 0 }
    let bytes = prefix.isEmpty ? Array(name) : Array(prefix) + [UInt8(ascii: "/")] + Array(name)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// A numeric header field: octal digits (after optional spaces, ended by NUL or space), or
  /// GNU's base-256 (first byte 0x80) for large values. Nil when malformed or negative.
  static func number(_ field: ArraySlice<UInt8>) -> Int64? {
    if let first = field.first, first & 0x80 != 0 {
      guard first == 0x80 else { return nil }
      var value: Int64 = 0
      for byte in field.dropFirst() {
        guard value < Int64.max >> 8 else { return nil }
        value = value << 8 | Int64(byte)
      }
      return value
    }
    let digits = field.drop { $0 == UInt8(ascii: " ") }.prefix { $0 != 0 && $0 != UInt8(ascii: " ") }
    guard !digits.isEmpty, digits.count <= 21 else { return nil }
    var value: Int64 = 0
    for digit in digits {
      guard (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(digit) else { return nil }
      value = value * 8 + Int64(digit - UInt8(ascii: "0"))
    }
    return value
  }

  static func typeName(_ type: UInt8) -> String {
    switch type {
    case UInt8(ascii: "1"): return "a hard link"
    case UInt8(ascii: "2"): return "a symbolic link"
    case UInt8(ascii: "3"): return "a character device"
    case UInt8(ascii: "4"): return "a block device"
    case UInt8(ascii: "6"): return "a FIFO (named pipe)"
    case UInt8(ascii: "g"): return "a pax global header"
    case UInt8(ascii: "S"): return "a sparse file"
    default: return "an entry of type `\(String(decoding: [type], as: UTF8.self))`"
    }
  }

  /// Sequential reads of the archive.
  struct Reader {
    let descriptor: Int32
    let bundle: String

    /// The next 512-byte block, or nil at the end of the file; a partial block is truncation.
    mutating func block() throws(BundleError) -> [UInt8]? {
      var block = [UInt8](repeating: 0, count: 512)
      let count = try block.withUnsafeMutableBytes { buffer in
        Result { () throws(BundleError) in try fill(buffer, count: 512) }
      }.get()
      if count == 0 { return nil }
      guard count == 512 else { throw BundleError(.tar, "is truncated in the middle of a header", bundle: bundle) }
      return block
    }

    /// `count` bytes of entry data followed by its padding.
    mutating func bytes(_ count: Int, entry: Int) throws(BundleError) -> [UInt8] {
      var bytes = [UInt8](repeating: 0, count: count)
      let read = try bytes.withUnsafeMutableBytes { buffer in
        Result { () throws(BundleError) in try fill(buffer, count: count) }
      }.get()
      guard read == count else { throw BundleError(.tar, "is truncated in entry \(entry)", bundle: bundle) }
      try skipPadding(after: Int64(count), entry: entry)
      return bytes
    }

    /// Reads up to `count` bytes (fewer only at the end of the file).
    mutating func read(into buffer: UnsafeMutableRawBufferPointer, count: Int) throws(BundleError) -> Int {
      try fill(buffer, count: count)
    }

    mutating func skipPadding(after size: Int64, entry: Int) throws(BundleError) {
      let padding = Int((512 - size % 512) % 512)
      guard padding > 0 else { return }
      var bytes = [UInt8](repeating: 0, count: padding)
      let read = try bytes.withUnsafeMutableBytes { buffer in
        Result { () throws(BundleError) in try fill(buffer, count: padding) }
      }.get()
      guard read == padding else { throw BundleError(.tar, "is truncated after entry \(entry)", bundle: bundle) }
    }

    /// After the end-of-archive marker, only zeros (the padding of a tar's last record) may follow.
    mutating func expectOnlyZeros(buffer: UnsafeMutableRawBufferPointer) throws(BundleError) {
      while true {
        let count = try fill(buffer, count: buffer.count)
        if count == 0 { return }
        guard UnsafeRawBufferPointer(rebasing: buffer[0..<count]).allSatisfy({ $0 == 0 }) else {
          throw BundleError(.tar, "has data after its end-of-archive marker", bundle: bundle)
        }
      }
    }

    private func fill(_ buffer: UnsafeMutableRawBufferPointer, count: Int) throws(BundleError) -> Int {
      var filled = 0
      while filled < count {
        let read = try systemCall("cannot read", bundle: bundle, file: "") {
          Glibc.read(descriptor, buffer.baseAddress! + filled, count - filled)
        }
        if read == 0 { break }
        filled += read
      }
      return filled
    }
  }
}
