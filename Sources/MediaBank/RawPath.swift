import Foundation
import Glibc
import SystemIO

/// A file system path as the raw bytes the kernel uses. Archive file names are not always valid
/// UTF-8 (old Windows and Mac encodings); such a path must still open, and show with its invalid
/// bytes escaped (`caf\xE9.jpg`).
struct RawPath: Hashable, Sendable {
  /// The path's bytes, without a terminating NUL.
  let bytes: [UInt8]

  init(_ bytes: [UInt8]) { self.bytes = bytes }
  init(_ string: String) { self.bytes = Array(string.utf8) }

  /// `self/name`.
  func appending(_ name: [UInt8]) -> RawPath {
    RawPath(bytes.last == 0x2f ? bytes + name : bytes + [0x2f] + name)
  }

  /// The last component.
  var name: [UInt8] { Array(bytes.split(separator: 0x2f).last ?? []) }

  /// The path as text: UTF-8, with every byte that is not part of valid UTF-8 shown as `\xNN`.
  var display: String { IO.display(bytes) }

  /// `bytes` as text, invalid UTF-8 bytes escaped as `\xNN`.
  static func display(_ bytes: some Collection<UInt8>) -> String { IO.display(bytes) }

  /// The path for the POSIX layer.
  var filePath: FilePath {
    FilePath(platformString: bytes.map { CChar(bitPattern: $0) } + [0])
  }

  /// The whole content of the file (small files only: sidecars, CSV), opened without blocking on
  /// a FIFO.
  func contents() throws(SystemError) -> [UInt8] {
    try IO.readFile(filePath)
  }

  /// Calls `body` with the path as a NUL-terminated C string.
  func withCString<T>(_ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
    try (bytes + [0]).withUnsafeBufferPointer { buffer in
      try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
    }
  }
}
