import Glibc
public import SystemPackage

/// A failed system call: what was being done, the file, and the operating system's reason.
///
/// On a full disk (`ENOSPC`, `EDQUOT`) the reason says how much room is left and where:
/// `disk full (4096 bytes free on /dev/sda1)`.
public struct SystemError: Error, CustomStringConvertible, Sendable {
  /// What was being done, e.g. `cannot write`.
  public let operation: String
  /// The file concerned, as text (invalid UTF-8 bytes written `\xNN`).
  public let path: String
  /// The `errno` of the call.
  public let errno: Errno
  /// The reason in words: the system's (`Input/output error`), or for a full disk
  /// `disk full (N bytes free on DEVICE)`.
  public let reason: String

  /// An error of `operation` on `path`.
  public init(_ operation: String, path: String, errno: Errno) {
    self.operation = operation
    self.path = path
    self.errno = errno
    if errno == .noSpace || errno == .diskQuotaExceeded {
      reason = DiskSpace.fullReason(near: path)
    } else {
      reason = String(cString: strerror(errno.rawValue))
    }
  }

  /// True when the call failed because the disk (or the user's quota) is full.
  public var isDiskFull: Bool { errno == .noSpace || errno == .diskQuotaExceeded }

  /// `path: operation: reason`.
  public var description: String { "\(path): \(operation): \(reason)" }
}

/// How much room a file system has left.
public enum DiskSpace {
  /// The bytes an unprivileged process can still write on the file system holding `path` (or
  /// its nearest existing parent), and that file system's device (`/dev/sda1`, `tmpfs`), else its
  /// mount point. Nil when nothing of `path` can be inspected.
  public static func free(near path: String) -> (bytes: Int64, device: String)? {
    var current = path.isEmpty ? "." : path
    var status = statvfs()
    while statvfs(current, &status) != 0 {
      guard let slash = current.lastIndex(of: "/") else {
        current = "."
        guard statvfs(current, &status) == 0 else { return nil }
        break
      }
      current = slash == current.startIndex ? "/" : String(current[..<slash])
    }
    return (Int64(status.f_bavail) * Int64(status.f_frsize), device(of: current))
  }

  /// `disk full (N bytes free on DEVICE)` for the file system holding `path`.
  public static func fullReason(near path: String) -> String {
    guard let free = free(near: path) else { return "disk full" }
    return "disk full (\(free.bytes) bytes free on \(free.device))"
  }

  /// The device of the mount that holds `path`, from `/proc/self/mountinfo` (the entry whose
  /// device number is the file's); the path itself when it cannot be told.
  static func device(of path: String) -> String {
    var status = stat()
    guard stat(path, &status) == 0, let info = try? IO.readFile(FilePath("/proc/self/mountinfo"), limit: 4 << 20)
    else { return path }
    let wanted = "\(major(status.st_dev)):\(minor(status.st_dev))"
    for line in info.split(separator: 0x0A) {
      // ID PARENT MAJOR:MINOR ROOT MOUNTPOINT OPTIONS… - TYPE SOURCE SUPER-OPTIONS
      let fields = line.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
      guard fields.count > 4, fields[2] == wanted, let dash = fields.firstIndex(of: "-"), dash + 2 < fields.count
      else { continue }
      return fields[dash + 2]
    }
    return path
  }

  private static func major(_ device: UInt) -> UInt { ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfff) }
  private static func minor(_ device: UInt) -> UInt { (device & 0xff) | ((device >> 12) & ~0xff) }
}
