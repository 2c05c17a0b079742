import Foundation
import Glibc

/// Replaces the file at `path` with `data` atomically: write a temporary file beside it, flush
/// it, rename it over the target, flush the directory.
///
/// The temporary file `<path>.<pid>.tmp` is created new (`O_EXCL`), so it gets `mode` (less the
/// umask) whatever was left there before: a leftover from a crash is removed first.
func writeAtomically(_ data: Data, to path: String, mode: mode_t = 0o644) throws(MediaBankError) {
  let temporary = "\(path).\(getpid()).tmp"
  guard unlink(temporary) == 0 || errno == ENOENT else {
    throw systemError("cannot remove the old temporary file", temporary)
  }
  let file = retryingOnInterrupt { open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode) }
  guard file >= 0 else { throw systemError("cannot create", temporary) }
  var failure: MediaBankError?
  data.withUnsafeBytes { bytes in
    var offset = 0
    while offset < bytes.count {
      let written = retryingOnInterrupt { write(file, bytes.baseAddress! + offset, bytes.count - offset) }
      guard written > 0 else {
        failure =
          written == 0
          ? MediaBankError(.io(errno: EIO), "cannot write: no bytes were written", path: temporary)
          : systemError("cannot write", temporary)
        return
      }
      offset += written
    }
  }
  if failure == nil, retryingOnInterrupt({ fsync(file) }) != 0 {
    failure = systemError("cannot flush", temporary)
  }
  if let failure {
    close(file)
    unlink(temporary)
    throw failure
  }
  close(file)
  guard rename(temporary, path) == 0 else {
    let error = systemError("cannot rename into place", path)
    unlink(temporary)
    throw error
  }
  let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
  if directory >= 0 {
    _ = retryingOnInterrupt { fsync(directory) }
    close(directory)
  }
}

/// Calls `body` again while it fails with `EINTR` (a signal arrived during the system call).
private func retryingOnInterrupt<Result: BinaryInteger>(_ body: () -> Result) -> Result {
  while true {
    let result = body()
    if result >= 0 || errno != EINTR { return result }
  }
}

func systemError(_ what: String, _ path: String) -> MediaBankError {
  MediaBankError(.init(errno: errno), "\(what): \(String(cString: strerror(errno)))", path: path)
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
  for folder in missing.reversed() where mkdir(folder, 0o755) != 0 && errno != EEXIST {
    throw systemError("cannot create the folder", folder)
  }
}
