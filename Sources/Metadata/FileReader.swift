import Glibc
import SystemIO

/// Reads byte ranges of a file with `pread`, so parsers can walk structures without loading the
/// file.
final class FileReader {
  let size: Int
  private let descriptor: FileDescriptor
  private let path: String

  init(path: String) throws(MetadataError) {
    self.path = path
    do throws(SystemError) {
      descriptor = try IO.open(path, .readOnly, options: .nonBlocking)  // A FIFO must not block.
    } catch {
      throw MetadataError("\(error.operation): \(error.reason)")
    }
    let status: stat
    do throws(SystemError) {
      status = try IO.status(of: descriptor, path: path)
    } catch {
      IO.close(descriptor)
      throw MetadataError("cannot read: \(error.reason)")
    }
    guard status.st_mode & S_IFMT == S_IFREG else {
      IO.close(descriptor)
      throw MetadataError("not a regular file")
    }
    size = Int(status.st_size)
  }

  deinit { IO.close(descriptor) }

  /// Calls `body` with the whole file mapped read-only. Only the pages `body` touches are read,
  /// so a decoder that stops at the end of its data never loads a huge file's trailing bytes.
  func withMappedBytes<T>(
    _ body: (UnsafeRawBufferPointer) throws(MetadataError) -> T
  ) throws(MetadataError) -> T {
    guard size > 0 else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
    guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor.rawValue, 0), address != MAP_FAILED else {
      throw MetadataError("cannot read: \(String(cString: strerror(errno)))")
    }
    defer { munmap(address, size) }
    return try body(UnsafeRawBufferPointer(start: address, count: size))
  }

  /// Up to `count` bytes at `offset` (fewer at the end of the file).
  func bytes(at offset: Int, count: Int) throws(MetadataError) -> [UInt8] {
    let wanted = max(0, min(count, size - offset))
    var result = [UInt8](repeating: 0, count: wanted)
    var done = 0
    while done < wanted {
      let got: Int
      do throws(SystemError) {
        got = try result.withUnsafeMutableBytes { buffer in
          Result { () throws(SystemError) in
            try IO.read(
              descriptor, into: UnsafeMutableRawBufferPointer(rebasing: buffer[done..<wanted]),
              at: Int64(offset + done), path: path)
          }
        }.get()
      } catch {
        throw MetadataError("cannot read: \(error.reason)")
      }
      if got == 0 { break }
      done += got
    }
    return done == wanted ? result : Array(result[0..<done])
  }

  /// Exactly `count` bytes at `offset`, or an error saying the file ends too early.
  func exactBytes(at offset: Int, count: Int, what: String) throws(MetadataError) -> [UInt8] {
    let result = try bytes(at: offset, count: count)
    guard result.count == count else { throw MetadataError("truncated \(what)") }
    return result
  }
}

extension Array where Element == UInt8 {
  func bigEndian16(at offset: Int) -> Int { Int(self[offset]) << 8 | Int(self[offset + 1]) }

  func bigEndian32(at offset: Int) -> Int {
    Int(self[offset]) << 24 | Int(self[offset + 1]) << 16 | Int(self[offset + 2]) << 8
      | Int(self[offset + 3])
  }

  /// `0x6e 0x6f` style rendering of the first bytes, for error messages.
  func hexPrefix(_ count: Int = 2) -> String {
    prefix(count).map { "0x" + String($0, radix: 16).leftPadded(to: 2) }.joined(separator: " ")
  }
}

extension String {
  func leftPadded(to width: Int) -> String {
    String(repeating: "0", count: Swift.max(0, width - count)) + self
  }
}
