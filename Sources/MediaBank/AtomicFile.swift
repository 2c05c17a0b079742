import Foundation
import Glibc
import SystemIO

/// Replaces the file at `path` with `data` atomically (`IO.writeAtomically`: a temporary file
/// beside it, flushed, renamed over it, the directory flushed).
func writeAtomically(_ data: Data, to path: String, mode: mode_t = 0o644) throws(MediaBankError) {
  do {
    try IO.writeAtomically(data, to: path, permissions: FilePermissions(rawValue: mode))
  } catch {
    throw MediaBankError(error)
  }
}

func systemError(_ what: String, _ path: String) -> MediaBankError {
  MediaBankError(SystemError(what, path: path, errno: Errno(rawValue: errno)))
}

extension MediaBankError {
  /// The error of a failed system call: `cannot write: Input/output error`, or on a full disk
  /// `disk full (N bytes free on DEVICE)`, naming the file; its code from the `errno`.
  init(_ error: SystemError) {
    self.init(
      error.isDiskFull ? error.reason : "\(error.operation): \(error.reason)", path: error.path, wrapping: error,
      code: Code(errno: error.errno.rawValue))
  }
}

/// Creates the folder `path` and its missing parents (as `mkdir -p`); a failure names the folder
/// that could not be made and why, in the system's words (`Not a directory`, `Permission denied`…).
func makeFolders(_ path: String) throws(MediaBankError) {
  var missing: [String] = []
  var current = URL(fileURLWithPath: path).standardizedFileURL.path
  var status = stat()
  // Up to the first folder that exists (`/` does).
  while stat(current, &status) != 0 {
    guard errno == ENOENT else { throw systemError("cannot create the folder", current) }
    missing.append(current)
    current = (current as NSString).deletingLastPathComponent
  }
  guard (status.st_mode & S_IFMT) == S_IFDIR else {
    throw MediaBankError(.invalidInput, "is a file, not a folder: cannot create folders in it", path: current)
  }
  for folder in missing.reversed() {
    do {
      try IO.makeDirectory(folder)
    } catch {
      throw MediaBankError("cannot create the folder: \(error.reason)", path: folder, wrapping: error)
    }
  }
}
