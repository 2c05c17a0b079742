/// One line of a BagIt manifest: a file's SHA-256 and its path relative to the bag.
struct ManifestEntry: Equatable, Sendable {
  /// The 64 lowercase hex digits of the file's SHA-256.
  var hex: String
  /// The path relative to the bag directory, with `/` separators.
  var path: String
}

/// `manifest-sha256.txt` and `tagmanifest-sha256.txt`: `<hex>␠␠<path>\n` per file, the format
/// `sha256sum` writes and `sha256sum -c` reads.
enum Manifest {
  /// The manifest's bytes for `entries`, in the order given.
  static func render(_ entries: [ManifestEntry]) -> [UInt8] {
    Array(entries.map { "\($0.hex)  \($0.path)\n" }.joined().utf8)
  }

  /// Parses a manifest strictly: UTF-8, every line ended by `\n`, 64 lowercase hex digits, two
  /// spaces, a safe path (`pathProblem`), no path listed twice.
  static func parse(_ bytes: [UInt8], file: String, bundle: String) throws(BundleError) -> [ManifestEntry] {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw BundleError(.manifest, "is not UTF-8 text", bundle: bundle, file: file)
    }
    if text.isEmpty { return [] }
    guard text.hasSuffix("\n") else {
      throw BundleError(.manifest, "does not end with a newline", bundle: bundle, file: file)
    }
    var entries: [ManifestEntry] = []
    var seen: Set<String> = []
    for (index, line) in text.utf8.dropLast().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
      .enumerated()
    {
      let number = index + 1
      let hex = line.prefix(64)
      guard line.count > 66, FileIO.isObjectHex(String(decoding: hex, as: UTF8.self)),
        line.dropFirst(64).prefix(2).elementsEqual("  ".utf8)
      else {
        throw BundleError(
          .manifest, "line \(number) is not `<64 lowercase hex digits>  <path>`", bundle: bundle, file: file)
      }
      let path = String(decoding: line.dropFirst(66), as: UTF8.self)
      if let problem = pathProblem(path) {
        throw BundleError(.unsafePath, "line \(number): path `\(path)` \(problem)", bundle: bundle, file: file)
      }
      guard seen.insert(path).inserted else {
        throw BundleError(.unsafePath, "line \(number): path `\(path)` is listed twice", bundle: bundle, file: file)
      }
      entries.append(ManifestEntry(hex: String(decoding: hex, as: UTF8.self), path: path))
    }
    return entries
  }

  /// Why `path` may not appear in a manifest (or a tar), or nil when it is safe: it must be
  /// relative, without empty, `.` or `..` components, backslashes, control characters or `%`.
  static func pathProblem(_ path: String) -> String? {
    if path.isEmpty { return "is empty" }
    if path.hasPrefix("/") { return "is absolute" }
    for scalar in path.unicodeScalars {
      switch scalar.value {
      case 0..<0x20, 0x7f...0x9f: return "has a control character"
      case 0x5c: return "has a backslash"
      case 0x25: return "has a percent sign"
      case 0xfffd: return "is not UTF-8"
      default: continue
      }
    }
    for component in path.split(separator: "/", omittingEmptySubsequences: false) {
      switch component {
      case "": return "has an empty component (`//` or a trailing `/`)"
      case ".": return "has a `.` component"
      case "..": return "has a `..` component"
      default: continue
      }
    }
    return nil
  }
}
