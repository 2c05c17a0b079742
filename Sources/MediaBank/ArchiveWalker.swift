import Foundation
import Glibc
import Metadata

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
    guard let names = list(directory) else {
      result.failures.append((directory.display, "cannot read the folder: \(String(cString: strerror(errno)))"))
      return
    }
    let textNames = names.map { RawPath.display($0) }
    let folderText = folder.isEmpty ? nil : folder.joined(separator: "/").precomposedStringWithCanonicalMapping
    let lowerNames = Set(textNames.map { $0.lowercased() })
    var csvRows: [String: Given] = [:]
    if let index = textNames.firstIndex(where: { $0.lowercased() == "metadata.csv" }) {
      let csvPath = directory.appending(names[index])
      do {
        csvRows = try MetadataCSV.read(csvPath, names: Set(textNames), pillars: pillars)
      } catch {
        result.failures.append((csvPath.display, error.reason))
      }
    }
    for (name, text) in zip(names, textNames) {
      let path = directory.appending(name)
      let lower = text.lowercased()
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
      guard path.withCString({ lstat($0, &status) }) == 0 else {
        result.failures.append(
          (path.display, errno == ENOENT ? "the file vanished during the import" : String(cString: strerror(errno))))
        continue
      }
      if status.st_mode & S_IFMT == S_IFLNK {
        guard followLinks else {
          result.skipped.append((path.display, "symbolic link (use --follow-links)"))
          continue
        }
        guard path.withCString({ stat($0, &status) }) == 0 else {
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
        if let sidecar = sidecarIndex(for: text, among: lowerNames, names: textNames) {
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

  /// The entries of a directory, sorted by their bytes; nil when it cannot be read.
  private func list(_ directory: RawPath) -> [[UInt8]]? {
    guard let handle = directory.withCString({ opendir($0) }) else { return nil }
    defer { closedir(handle) }
    var names: [[UInt8]] = []
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
      if name == [0x2e] || name == [0x2e, 0x2e] { continue }
      names.append(name)
    }
    return names.sorted { $0.lexicographicallyPrecedes($1) }
  }

  /// The index in `names` of `IMG_0001.jpg.xmp` or `IMG_0001.xmp`, in any case, when present.
  private func sidecarIndex(for name: String, among lowerNames: Set<String>, names: [String]) -> Int? {
    let lower = name.lowercased()
    let stem = lower.split(separator: ".").count > 1 ? String(lower[..<lower.lastIndex(of: ".")!]) : lower
    for candidate in [lower + ".xmp", stem + ".xmp"] where lowerNames.contains(candidate) {
      return names.firstIndex { $0.lowercased() == candidate }
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
