import Foundation
import Glibc

/// Replaces the file at `path` with `data` atomically: write a temporary file beside it, flush
/// it, rename it over the target, flush the directory.
func writeAtomically(_ data: Data, to path: String, mode: mode_t = 0o644) throws(MediaBankError) {
  let temporary = "\(path).\(getpid()).tmp"
  let file = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
  guard file >= 0 else { throw systemError("cannot create", temporary) }
  let written = data.withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
  guard written == data.count, fsync(file) == 0 else {
    let error = systemError("cannot write", temporary)
    close(file)
    unlink(temporary)
    throw error
  }
  close(file)
  guard rename(temporary, path) == 0 else {
    let error = systemError("cannot rename into place", path)
    unlink(temporary)
    throw error
  }
  let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY)
  if directory >= 0 {
    fsync(directory)
    close(directory)
  }
}

func systemError(_ what: String, _ path: String) -> MediaBankError {
  MediaBankError("\(what): \(String(cString: strerror(errno)))", path: path)
}
