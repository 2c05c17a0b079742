import Foundation
import Glibc

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
  var display: String { Self.display(bytes) }

  /// `bytes` as text, invalid UTF-8 bytes escaped as `\xNN`.
  static func display(_ bytes: some Collection<UInt8>) -> String {
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
        result += String(format: "\\x%02X", lead)
        index += 1
      }
    }
    return result
  }

  /// The whole content of the file (small files only: sidecars, CSV); nil with `errno` set when
  /// it cannot be read.
  func contents() -> [UInt8]? {
    let descriptor = withCString { open($0, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }  // A FIFO must not block.
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count >= 0 else { return nil }
      if count == 0 { return result }
      result += buffer[0..<count]
    }
  }

  /// Calls `body` with the path as a NUL-terminated C string.
  func withCString<T>(_ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
    try (bytes + [0]).withUnsafeBufferPointer { buffer in
      try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
    }
  }
}
