public import Crypto
public import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A bundle that passed every check of `BundleReader.verify`.
public struct VerifiedBundle: Sendable {
  /// The fields of `bag-info.txt`.
  public let info: BagInfo
  /// The bag directory (for a tar, the directory it was extracted to).
  public let directory: URL
  /// `data/records.jsonl`; read it with `RecordLines`.
  public let recordsPath: URL
  /// The content objects: `sha256:<hex>` → the file holding them, whose bytes were checked.
  public let objects: [String: URL]
  /// The id of the key whose signature was verified.
  public let signingKeyId: String
  /// The key rotation statements followed from a known key to the signing key, oldest first;
  /// empty when the signing key was known.
  public let rotations: [KeyRotation]
  /// The directory a tar was extracted into, which `cleanup()` removes; nil for a bag directory.
  public let extractedTo: URL?

  /// Removes the files extracted from a tar bundle (nothing for a bundle read in place). Call it
  /// when done with `directory`, `recordsPath` and `objects`.
  public func cleanup() {
    if let extractedTo { FileIO.removeTree(extractedTo.path) }
  }
}

/// Checks sync bundles received from another bank: untrusted input.
public enum BundleReader {
  /// The most bytes `manifest-sha256.txt` may have (about 1.7 million objects).
  static let manifestLimit = 256 << 20
  /// The most bytes the other tag files may have.
  static let tagFileLimit = 64 << 10

  /// Verifies the bundle at `path`, a bag directory or a tar file, and returns what it holds.
  ///
  /// A tar is first extracted into a new directory `<pid>.mediabank-bundle-<random>` under
  /// `workDirectory` (default: the system's temporary directory; pass one on the same file system
  /// as the blob store to move objects into it without copying), refusing anything but a plain
  /// tree of directories and files
  /// (see `TarExtractor`). On failure the extracted files are removed; on success the caller
  /// removes them with `VerifiedBundle.cleanup()`.
  ///
  /// The checks, in this order, each failure a `BundleError` naming the bundle, the file and the
  /// reason (first, a bundle whose `bag-info.txt` names a newer format is refused as such, since
  /// it may hold files that this program's formats do not allow; step 6 checks the version again
  /// once the file's bytes are verified):
  /// 1. BagIt structure: `bagit.txt` exactly; `bag-info.txt`, both manifests and
  ///    `data/records.jsonl` present; nothing else than the spec's layout (no other file, no
  ///    symbolic link, device, FIFO or socket, no name beginning with `.`, no empty directory).
  /// 2. Every manifest path is safe: relative, no `.`/`..`/empty components, no backslash,
  ///    control character or `%`, none listed twice; the payload manifest lists only payload
  ///    files, in byte order; the tag manifest lists `bagit.txt`, `bag-info.txt` and
  ///    `manifest-sha256.txt`.
  /// 3. Payload fixity: every file under `data/` listed, every listed file present, each
  ///    SHA-256 as listed (hashed on every core, in 1 MiB reads).
  /// 4. `Payload-Oxum`.
  /// 5. Tag manifest fixity.
  /// 6. `MediaBank-Format-Version` known (1 to 3; `mediabank-key-rotation.txt` only from 3); then every field of `bag-info.txt` well formed and
  ///    consistent, and the bag directory named by the bundle id.
  /// 7. `mediabank-signature.txt` present and well formed, its key id that of `bag-info.txt`,
  ///    the key known through `keys` (or reached from a known key by the chain of statements in
  ///    `mediabank-key-rotation.txt`, each signed by the key before it: see `KeyRotation.chain`),
  ///    and the signature valid over `tagmanifest-sha256.txt`.
  /// 8. Every object's name is its SHA-256.
  /// 9. `data/records.jsonl`: every line at most 1 MiB (a longer line is refused without being
  ///    read whole), each a record of the bundle's format (a JSON object with an `op` that format
  ///    knows: `delete` only from format 2), as many lines as `MediaBank-Records`.
  public static func verify(
    _ path: URL, keys: (String) -> Curve25519.Signing.PublicKey?, workDirectory: URL? = nil
  ) throws(BundleError) -> VerifiedBundle {
    let name = path.lastPathComponent
    var status = stat()
    guard stat(path.path, &status) == 0 else {
      throw BundleError(.io, "cannot open the bundle", bundle: path.path, errno: Glibc.errno)
    }
    switch status.st_mode & S_IFMT {
    case S_IFDIR:
      return try Check(bag: path.standardizedFileURL.path, hashes: nil).run(keys: keys, extractedTo: nil)
    case S_IFREG:
      let work = (workDirectory ?? FileManager.default.temporaryDirectory).path
      // Named by the process id first, like the blob store's temporary files, so that the blob
      // store's sweep removes it once this process is gone.
      let root = work + "/\(getpid()).mediabank-bundle-" + FileIO.randomSuffix()
      try FileIO.makeDirectory(root, mode: 0o700, bundle: name, file: root)
      do throws(BundleError) {
        let extracted = try TarExtractor(tarPath: path.path, bundle: name, root: root).extract()
        return try Check(bag: root + "/" + extracted.top, hashes: extracted.hashes)
          .run(keys: keys, extractedTo: URL(fileURLWithPath: root, isDirectory: true))
      } catch {
        FileIO.removeTree(root)
        throw error
      }
    default:
      throw BundleError(.structure, "is neither a bag directory nor a tar file", bundle: path.path)
    }
  }

  /// One verification.
  private struct Check {
    let bag: String
    let bundle: String
    /// For an extracted tar, the SHA-256 of each file computed while extracting it.
    let hashes: [String: String]?

    init(bag: String, hashes: [String: String]?) {
      self.bag = bag
      self.bundle = String(bag.split(separator: "/").last ?? "")
      self.hashes = hashes
    }

    func refuse(_ reason: BundleError.Reason, _ message: String, file: String? = nil) -> BundleError {
      BundleError(reason, message, bundle: bundle, file: file)
    }

    func run(
      keys: (String) -> Curve25519.Signing.PublicKey?, extractedTo: URL?
    ) throws(BundleError) -> VerifiedBundle {
      // 0. A bundle of a newer format may hold files this one does not allow: look at its version
      // first, so that it is refused as newer ("upgrade mediabank"), not as malformed. (Step 6
      // checks the version again once bag-info.txt's bytes are verified.)
      if let bytes = try? FileIO.readFile(bag + "/bag-info.txt", limit: tagFileLimit, bundle: bundle, file: ""),
        let fields = try? BagInfo.fields(bytes, bundle: bundle),
        let version = fields.first(where: { $0.label == "MediaBank-Format-Version" }),
        let number = BagInfo.decimal(version.value), number > BagInfo.currentFormatVersion
      {
        throw refuse(.formatVersion, Self.newerVersion(number), file: "bag-info.txt")
      }
      // 1. Structure.
      let payload = try structure()
      // 2. Manifests.
      // Each tag file is read once: the bytes parsed are the bytes hashed and signed.
      let manifestBytes = try FileIO.readFile(
        bag + "/manifest-sha256.txt", limit: manifestLimit, bundle: bundle, file: "manifest-sha256.txt")
      let manifest = try Manifest.parse(manifestBytes, file: "manifest-sha256.txt", bundle: bundle)
      try checkPayloadPaths(manifest)
      let tagManifestBytes = try FileIO.readFile(
        bag + "/tagmanifest-sha256.txt", limit: tagFileLimit, bundle: bundle, file: "tagmanifest-sha256.txt")
      let tagManifest = try Manifest.parse(tagManifestBytes, file: "tagmanifest-sha256.txt", bundle: bundle)
      let hasRotations = payload.tagFiles.contains(KeyRotation.fileName)
      let tagFiles =
        ["bagit.txt", "bag-info.txt", "manifest-sha256.txt"] + (hasRotations ? [KeyRotation.fileName] : [])
      guard tagManifest.map(\.path) == tagFiles else {
        throw refuse(
          .manifest, "lists \(tagManifest.map(\.path)); it must list \(tagFiles), in that order",
          file: "tagmanifest-sha256.txt")
      }
      // 3. Payload fixity.
      try checkFixity(manifest, payload: payload)
      // 4. Payload-Oxum.
      let bagInfoBytes = try FileIO.readFile(
        bag + "/bag-info.txt", limit: tagFileLimit, bundle: bundle, file: "bag-info.txt")
      let fields = try BagInfo.fields(bagInfoBytes, bundle: bundle)
      try checkOxum(fields, payload: payload)
      // 5. Tag manifest fixity.
      let rotationBytes =
        hasRotations
        ? try FileIO.readFile(
          bag + "/" + KeyRotation.fileName, limit: tagFileLimit, bundle: bundle, file: KeyRotation.fileName) : []
      for (entry, bytes) in zip(tagManifest, [BundleWriter.bagitText, bagInfoBytes, manifestBytes, rotationBytes]) {
        let actual = FileIO.hex(SHA256.hash(data: bytes))
        guard actual == entry.hex else {
          throw refuse(
            .hashMismatch, "hash mismatch (tagmanifest-sha256.txt says \(entry.hex), the file hashes to \(actual))",
            file: entry.path)
        }
      }
      // 6. Format version, then the fields.
      let versions = fields.filter { $0.label == "MediaBank-Format-Version" }.map(\.value)
      guard let version = versions.first else {
        throw refuse(
          .formatVersion, "has no MediaBank-Format-Version: this is not a MediaBank bundle", file: "bag-info.txt")
      }
      guard versions.count == 1, let number = BagInfo.decimal(version) else {
        throw refuse(
          .formatVersion, "MediaBank-Format-Version `\(versions.joined(separator: "`, `"))` is not one number",
          file: "bag-info.txt")
      }
      guard BagInfo.readableFormatVersions.contains(number) else {
        throw refuse(
          .formatVersion,
          number > BagInfo.currentFormatVersion
            ? Self.newerVersion(number)
            : "bundle format \(number) does not exist (this mediabank reads formats "
              + "\(BagInfo.readableFormatVersions.lowerBound) to \(BagInfo.currentFormatVersion))",
          file: "bag-info.txt")
      }
      guard !hasRotations || number >= 3 else {
        throw refuse(
          .structure, "is not allowed in a bundle of format \(number) (format 3 has it)", file: KeyRotation.fileName)
      }
      let info = try BagInfo(parsing: bagInfoBytes, bundle: bundle)
      guard info.bundleId == bundle else {
        throw refuse(
          .bagInfo, "the bag directory is named `\(bundle)`, but bag-info.txt says the bundle is `\(info.bundleId)`",
          file: "bag-info.txt")
      }
      // 7. Signature.
      guard payload.tagFiles.contains(BundleSignature.fileName) else {
        throw refuse(.signature, "is missing: the bundle is not signed", file: BundleSignature.fileName)
      }
      let signature = try BundleSignature(
        parsing: FileIO.readFile(
          bag + "/" + BundleSignature.fileName, limit: tagFileLimit, bundle: bundle, file: BundleSignature.fileName),
        bundle: bundle)
      guard signature.keyId == info.signingKeyId else {
        throw refuse(
          .signature,
          "is by key \(signature.keyId), but bag-info.txt says the bundle is signed by \(info.signingKeyId)",
          file: BundleSignature.fileName)
      }
      var rotations: [KeyRotation] = []
      var publicKey = keys(signature.keyId)
      if publicKey == nil && hasRotations,
        let chain = try KeyRotation.chain(
          KeyRotation.parse(rotationBytes, bundle: bundle), to: signature.keyId, keys: keys, bundle: bundle)
      {
        publicKey = chain.key
        rotations = chain.followed
      }
      guard let publicKey else {
        throw refuse(
          .unknownKey,
          "is by key \(signature.keyId), which is not the registered key of any bank this bank receives from",
          file: BundleSignature.fileName)
      }
      guard signature.isValid(for: tagManifestBytes, publicKey: publicKey) else {
        throw refuse(
          .badSignature,
          "does not verify with the public key of \(signature.keyId): the bundle was altered or signed by another key",
          file: BundleSignature.fileName)
      }
      // 8. Object names.
      var objects: [String: URL] = [:]
      for entry in manifest where entry.path.hasPrefix("data/objects/sha256/") {
        let name = String(entry.path.dropFirst("data/objects/sha256/".count))
        guard name == entry.hex else {
          throw refuse(.objectName, "is named \(name), but its SHA-256 is \(entry.hex)", file: entry.path)
        }
        objects["sha256:" + name] = URL(fileURLWithPath: bag + "/" + entry.path)
      }
      // 9. Records.
      try checkRecords(expected: info.records, formatVersion: info.formatVersion)
      return VerifiedBundle(
        info: info, directory: URL(fileURLWithPath: bag, isDirectory: true),
        recordsPath: URL(fileURLWithPath: bag + "/data/records.jsonl"), objects: objects,
        signingKeyId: signature.keyId, rotations: rotations, extractedTo: extractedTo)
    }

    static func newerVersion(_ number: Int) -> String {
      "bundle format \(number) is newer than this mediabank understands (\(BagInfo.currentFormatVersion)); "
        + "upgrade mediabank"
    }

    // MARK: 1. Structure

    /// What the walk of the bag found.
    struct Payload {
      /// The tag files present at the top.
      var tagFiles: Set<String> = []
      /// Every file under `data/`, with its size.
      var files: [String: Int64] = [:]
    }

    func structure() throws(BundleError) -> Payload {
      let bagit = try FileIO.fileStatus(bag + "/bagit.txt", bundle: bundle, file: "bagit.txt")
      guard bagit != nil else { throw refuse(.structure, "is missing: this is not a BagIt bag", file: "bagit.txt") }
      let required = ["bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt"]
      var payload = Payload()
      for name in try entries(of: "") {
        let status = try kind(of: name)
        switch name {
        case _ where required.contains(name) || name == BundleSignature.fileName || name == KeyRotation.fileName:
          guard status == S_IFREG else { throw refuse(.structure, "is not a regular file", file: name) }
          payload.tagFiles.insert(name)
        case "data":
          guard status == S_IFDIR else { throw refuse(.structure, "is not a directory", file: name) }
        default:
          throw refuse(.structure, "is not allowed in a bundle (\(Self.layout))", file: name)
        }
      }
      if let missing = required.first(where: { !payload.tagFiles.contains($0) }) {
        throw refuse(.structure, "is missing", file: missing)
      }
      let bagitBytes = try FileIO.readFile(bag + "/bagit.txt", limit: tagFileLimit, bundle: bundle, file: "bagit.txt")
      guard bagitBytes == BundleWriter.bagitText else {
        throw refuse(
          .structure, "must be exactly `BagIt-Version: 1.0` and `Tag-File-Character-Encoding: UTF-8`",
          file: "bagit.txt")
      }
      guard try FileIO.fileStatus(bag + "/data", bundle: bundle, file: "data") != nil else {
        throw refuse(.structure, "is missing", file: "data")
      }
      var hasRecords = false
      for name in try entries(of: "data") {
        let path = "data/" + name
        let kind = try kind(of: path)
        switch name {
        case "records.jsonl":
          guard kind == S_IFREG else { throw refuse(.structure, "is not a regular file", file: path) }
          payload.files[path] = try size(of: path)
          hasRecords = true
        case "objects":
          guard kind == S_IFDIR else { throw refuse(.structure, "is not a directory", file: path) }
          let objects = try entries(of: path)
          guard !objects.isEmpty else { throw refuse(.structure, "is an empty directory", file: path) }
          for name in objects {
            let sha = path + "/" + name
            let kind = try self.kind(of: sha)
            guard name == "sha256", kind == S_IFDIR else {
              throw refuse(.structure, "is not allowed in a bundle (\(Self.layout))", file: sha)
            }
            let files = try entries(of: sha)
            guard !files.isEmpty else { throw refuse(.structure, "is an empty directory", file: sha) }
            for name in files {
              let file = sha + "/" + name
              let kind = try self.kind(of: file)
              guard kind == S_IFREG, FileIO.isObjectHex(name) else {
                throw refuse(
                  .structure,
                  kind == S_IFREG
                    ? "is not allowed in a bundle: a content object is named by the 64 lowercase hex digits of its SHA-256"
                    : "is not allowed in a bundle (\(Self.layout))", file: file)
              }
              payload.files[file] = try size(of: file)
            }
          }
        default:
          throw refuse(.structure, "is not allowed in a bundle (\(Self.layout))", file: path)
        }
      }
      guard hasRecords else { throw refuse(.structure, "is missing", file: "data/records.jsonl") }
      return payload
    }

    static let layout =
      "a bundle holds only bagit.txt, bag-info.txt, the two manifests, mediabank-signature.txt, "
      + "mediabank-key-rotation.txt, "
      + "data/records.jsonl and data/objects/sha256/<hex>"

    /// The names in the bag directory `relative`, refusing hidden names.
    func entries(of relative: String) throws(BundleError) -> [String] {
      let path = relative.isEmpty ? bag : bag + "/" + relative
      let names = try FileIO.listDirectory(path, bundle: bundle, file: relative)
      if let hidden = names.first(where: { $0.hasPrefix(".") }) {
        throw refuse(
          .structure, "has a name beginning with `.`, which a bundle may not hold",
          file: relative.isEmpty ? hidden : relative + "/" + hidden)
      }
      return names
    }

    /// The file type of `relative` (`S_IFREG` or `S_IFDIR`); links and special files are refused.
    func kind(of relative: String) throws(BundleError) -> mode_t {
      guard let status = try FileIO.fileStatus(bag + "/" + relative, bundle: bundle, file: relative) else {
        throw refuse(.structure, "vanished while the bundle was being read", file: relative)
      }
      let type = status.st_mode & S_IFMT
      switch type {
      case S_IFREG, S_IFDIR: return type
      case S_IFLNK: throw refuse(.structure, "is a symbolic link, which a bundle may not hold", file: relative)
      case S_IFIFO: throw refuse(.structure, "is a FIFO (named pipe), which a bundle may not hold", file: relative)
      case S_IFCHR, S_IFBLK: throw refuse(.structure, "is a device, which a bundle may not hold", file: relative)
      case S_IFSOCK: throw refuse(.structure, "is a socket, which a bundle may not hold", file: relative)
      default: throw refuse(.structure, "is a special file, which a bundle may not hold", file: relative)
      }
    }

    func size(of relative: String) throws(BundleError) -> Int64 {
      Int64(try FileIO.fileStatus(bag + "/" + relative, bundle: bundle, file: relative)?.st_size ?? 0)
    }

    // MARK: 2–4. Manifests, fixity, oxum

    /// The payload manifest may list only `data/records.jsonl` and `data/objects/sha256/<hex>`,
    /// sorted in byte order.
    func checkPayloadPaths(_ manifest: [ManifestEntry]) throws(BundleError) {
      for (index, entry) in manifest.enumerated() {
        let path = entry.path
        let allowed =
          path == "data/records.jsonl"
          || (path.hasPrefix("data/objects/sha256/") && FileIO.isObjectHex(path.dropFirst(20)))
        guard allowed else {
          throw refuse(
            .manifest, "line \(index + 1): `\(path)` is not a file a bundle may hold (\(Self.layout))",
            file: "manifest-sha256.txt")
        }
        if index > 0, !Array(manifest[index - 1].path.utf8).lexicographicallyPrecedes(Array(path.utf8)) {
          throw refuse(.manifest, "line \(index + 1): the lines are not sorted by path", file: "manifest-sha256.txt")
        }
      }
    }

    func checkFixity(_ manifest: [ManifestEntry], payload: Payload) throws(BundleError) {
      let listed = Set(manifest.map(\.path))
      if let unlisted = payload.files.keys.sorted().first(where: { !listed.contains($0) }) {
        throw refuse(.unlistedFile, "is not listed in manifest-sha256.txt", file: unlisted)
      }
      if let missing = manifest.first(where: { payload.files[$0.path] == nil }) {
        throw refuse(.missingFile, "is listed in manifest-sha256.txt but is not in the bundle", file: missing.path)
      }
      let actual: [String]
      if let hashes {
        actual = manifest.map { hashes[String($0.path)] ?? "" }
      } else {
        actual = try FileIO.hashFiles(
          manifest.map { (bag + "/" + $0.path, $0.path, payload.files[$0.path] ?? 0) }, bundle: bundle)
      }
      for (entry, hex) in zip(manifest, actual) where entry.hex != hex {
        throw refuse(
          .hashMismatch, "hash mismatch (manifest says \(entry.hex), the file hashes to \(hex))", file: entry.path)
      }
    }

    func checkOxum(_ fields: [(label: String, value: String)], payload: Payload) throws(BundleError) {
      guard let field = fields.first(where: { $0.label == "Payload-Oxum" }) else {
        throw refuse(.payloadOxum, "has no Payload-Oxum", file: "bag-info.txt")
      }
      guard let oxum = PayloadOxum(field.value) else {
        throw refuse(.payloadOxum, "Payload-Oxum `\(field.value)` is not <octets>.<files>", file: "bag-info.txt")
      }
      let actual = PayloadOxum(octets: payload.files.values.reduce(0, +), files: payload.files.count)
      guard oxum == actual else {
        throw refuse(
          .payloadOxum, "Payload-Oxum is \(oxum), but the payload is \(actual.octets) bytes in \(actual.files) files",
          file: "bag-info.txt")
      }
    }

    // MARK: 9. Records

    func checkRecords(expected: Int, formatVersion: Int) throws(BundleError) {
      let file = "data/records.jsonl"
      let lines = try RecordLines(path: bag + "/" + file, bundle: bundle, file: file)
      while let line = try lines.next() {
        do {
          _ = try RecordLine<RecordIdentity>.decode(line, formatVersion: formatVersion)
        } catch {
          throw refuse(.badRecord, "line \(lines.lineNumber) \(error)", file: file)
        }
        guard lines.lineNumber <= expected else { break }
      }
      guard lines.lineNumber == expected else {
        let count = lines.lineNumber > expected ? "more than \(expected)" : "\(lines.lineNumber)"
        throw refuse(.badRecord, "has \(count) lines, but MediaBank-Records says \(expected)", file: file)
      }
    }
  }
}
