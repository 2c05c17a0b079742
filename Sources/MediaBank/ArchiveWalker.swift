import Foundation
import Glibc
import Metadata
import SystemIO

/// Walks an archive folder: finds the files to import, pairs them with their sidecars and
/// `metadata.csv` rows, and sets aside the junk that archives collect.
struct ArchiveWalker {
  /// A file to import, with what its folder says about it.
  struct Candidate: Sendable {
    var path: RawPath
    /// The folders between the root and the file, as text (`Du lịch/Hồ Núi Cốc/2023`).
    var folder: String?
    var given: Given
    /// The size the walk saw, for progress.
    var size: Int64
    /// The modification time (nanoseconds since 1970) and inode the walk saw: with the size, what
    /// the import cache compares to tell an unchanged file without opening it.
    var modifiedNs: Int64
    var inode: Int64
  }

  /// What the walk found.
  struct Result: Sendable {
    var candidates: [Candidate] = []
    /// Entries set aside without being read, with the reason.
    var skipped: [(path: String, reason: String)] = []
    /// Entries that could not be listed or read (a folder without permission, a bad CSV).
    var failures: [(path: String, reason: String)] = []
    /// Total size of the candidates.
    var bytes: Int64 = 0
  }

  /// Names that operating systems leave in folders.
  static let systemFiles: Set<String> = [".ds_store", "thumbs.db", "desktop.ini", "ehthumbs.db", "icon\r"]

  let root: RawPath
  let followLinks: Bool
  /// The bank's pillars, which `metadata.csv` values are checked against.
  let pillars: BankPillars

  func walk() -> Result {
    var result = Result()
    var status = stat()
    guard root.withCString({ stat($0, &status) }) == 0 else {
      result.failures.append((root.display, "cannot open the folder: \(String(cString: strerror(errno)))"))
      return result
    }
    guard status.st_mode & S_IFMT == S_IFDIR else {
      result.failures.append((root.display, "not a folder (to add single files, use `mediabank add`)"))
      return result
    }
    walk(root, folder: [], ancestors: [DirectoryID(status)], into: &result)
    return result
  }

  /// A directory's identity, to detect link loops.
  private struct DirectoryID: Hashable {
    var device: UInt64
    var inode: UInt64
    init(_ status: stat) {
      device = UInt64(status.st_dev)
      inode = UInt64(status.st_ino)
    }
  }

  private func walk(_ directory: RawPath, folder: [String], ancestors: Set<DirectoryID>, into result: inout Result) {
    guard let handle = directory.withCString({ opendir($0) }) else {
      result.failures.append((directory.display, "cannot read the folder: \(String(cString: strerror(errno)))"))
      return
    }
    defer { closedir(handle) }
    let names = list(handle)
    // Each entry is inspected by its name in the open folder: the system does not walk the
    // whole path again for each file.
    let folderDescriptor = dirfd(handle)
    let textNames = names.map { RawPath.display($0) }
    let folderText = folder.isEmpty ? nil : folder.joined(separator: "/").precomposedStringWithCanonicalMapping
    let lowered = textNames.map { $0.lowercased() }
    // Sidecars are looked for only in a folder that holds some.
    let lowerNames = lowered.contains { $0.hasSuffix(".xmp") } ? Set(lowered) : []
    var csvRows: [String: Given] = [:]
    if let index = lowered.firstIndex(of: "metadata.csv") {
      let csvPath = directory.appending(names[index])
      do {
        csvRows = try MetadataCSV.read(csvPath, names: Set(textNames), pillars: pillars)
      } catch {
        result.failures.append((csvPath.display, error.reason))
      }
    }
    for ((name, text), lower) in zip(zip(names, textNames), lowered) {
      let path = directory.appending(name)
      if Self.systemFiles.contains(lower) {
        result.skipped.append((path.display, "system file"))
        continue
      }
      if lower == "__macosx" {
        result.skipped.append((path.display, "macOS resource folder"))
        continue
      }
      if text.hasPrefix(".") {
        result.skipped.append((path.display, "hidden file"))
        continue
      }
      var status = stat()
      do throws(SystemError) {
        try Self.inspect(name, in: folderDescriptor, path: path, into: &status, followingLinks: false)
      } catch {
        result.failures.append(
          (error.path, error.errno == .noSuchFileOrDirectory ? "the file vanished during the import" : error.reason))
        continue
      }
      if status.st_mode & S_IFMT == S_IFLNK {
        guard followLinks else {
          result.skipped.append((path.display, "symbolic link (use --follow-links)"))
          continue
        }
        guard (try? Self.inspect(name, in: folderDescriptor, path: path, into: &status, followingLinks: true)) != nil
        else {
          result.failures.append((path.display, "broken symbolic link"))
          continue
        }
      }
      switch status.st_mode & S_IFMT {
      case S_IFDIR:
        let id = DirectoryID(status)
        guard !ancestors.contains(id) else {
          result.skipped.append((path.display, "symbolic link loop"))
          continue
        }
        walk(path, folder: folder + [text], ancestors: ancestors.union([id]), into: &result)
      case S_IFREG:
        if lower.hasSuffix(".xmp") || lower == "metadata.csv" {
          result.skipped.append((path.display, "sidecar"))
          continue
        }
        var given = csvRows[text] ?? Given()
        if !lowerNames.isEmpty, let sidecar = sidecarIndex(for: lower, among: lowerNames, lowered: lowered) {
          readSidecar(directory.appending(names[sidecar]), into: &given)
        }
        result.candidates.append(
          Candidate(
            path: path, folder: folderText, given: given, size: Int64(status.st_size),
            modifiedNs: Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec),
            inode: Int64(bitPattern: UInt64(status.st_ino))))
        result.bytes += Int64(status.st_size)
      default:
        result.skipped.append((path.display, "not a regular file"))
      }
    }
  }

  /// The `stat` (with `followingLinks`) or `lstat` of the entry `name` of the open folder
  /// `folder`; `path` is the entry's whole path, for errors.
  private static func inspect(
    _ name: [UInt8], in folder: Int32, path: RawPath, into status: inout stat, followingLinks: Bool
  ) throws(SystemError) {
    try IO.call(.stat, "cannot inspect", path: path.display) {
      (name + [0]).withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { name in
          fstatat(folder, name.baseAddress!, &status, followingLinks ? 0 : AT_SYMLINK_NOFOLLOW)
        }
      }
    }
  }

  /// The entries of an open directory, sorted by their bytes.
  private func list(_ handle: OpaquePointer) -> [[UInt8]] {
    var names: [[UInt8]] = []
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
      if name == [0x2e] || name == [0x2e, 0x2e] { continue }
      names.append(name)
    }
    return names.sorted { a, b in
      a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
          let common = min(a.count, b.count)
          let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
          return order != 0 ? order < 0 : a.count < b.count
        }
      }
    }
  }

  /// The index in the folder's names of `IMG_0001.jpg.xmp` or `IMG_0001.xmp`, in any case, when
  /// present; `lower` is the file's name in lower case, `lowered` the folder's names.
  private func sidecarIndex(for lower: String, among lowerNames: Set<String>, lowered: [String]) -> Int? {
    let stem = lower.split(separator: ".").count > 1 ? String(lower[..<lower.lastIndex(of: ".")!]) : lower
    for candidate in [lower + ".xmp", stem + ".xmp"] where lowerNames.contains(candidate) {
      return lowered.firstIndex(of: candidate)
    }
    return nil
  }

  private func readSidecar(_ path: RawPath, into given: inout Given) {
    let data: [UInt8]
    do {
      data = try path.contents()
    } catch {
      given.issues.append("XMP sidecar \(path.display) cannot be read: \(error.reason)")
      return
    }
    let (read, issues) = PhotoExtractor.readSidecar(data)
    let (texts, languageIssues) = EmbeddedText.withLanguagesChecked(read)
    given.texts += texts.map {
      GivenText(field: $0.field.rawValue, language: $0.language, value: $0.value, source: "sidecar")
    }
    given.issues += issues + languageIssues.map { "XMP sidecar \(path.display): \($0)" }
  }
}
