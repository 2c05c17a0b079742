import BlobStore
import Catalog
public import Foundation
import Glibc
import SyncBundle
import SystemIO

/// What `backup` wrote.
public struct BackupSummary: Codable, Equatable, Sendable {
  /// The backup directory or tar file.
  public var path: String
  /// The bank's province, or nil for the national bank (or a bank without one).
  public var province: String?
  /// Whether the bank is the national bank.
  public var national: Bool
  /// Assets in the catalog snapshot (the bank's own).
  public var assets: Int
  /// Records other banks contributed (the national bank).
  public var contributions: Int
  /// Objects copied.
  public var objects: Int
  /// Bytes of the objects copied.
  public var objectBytes: Int64
}

/// What `restore` brought back.
public struct RestoreSummary: Codable, Equatable, Sendable {
  /// The new bank directory.
  public var bank: String
  /// The backup it came from.
  public var backup: String
  /// When the backup was made.
  public var backedUpAt: String
  /// The bank's province, or nil.
  public var province: String?
  /// Whether it is the national bank.
  public var national: Bool
  /// Assets in the restored catalog.
  public var assets: Int
  /// Records other banks contributed.
  public var contributions: Int
  /// Objects restored, each checked against the manifest.
  public var objects: Int
}

/// `backup.json`, the description a backup carries (see `Storage/backup.md`).
struct BackupDescription: Codable, Equatable {
  /// Always `mediabank-backup`.
  var format: String
  /// The backup format version.
  var formatVersion: Int
  var createdAt: String
  /// The bank's `bankId`, `province`, `name`, `national` and `formatVersion`, as in its `bank.json`.
  var bankId: String
  var province: String?
  var name: String?
  var national: Bool?
  var bankFormatVersion: Int
  /// The catalog's migrations, oldest first.
  var catalogMigrations: [String]
  var assets: Int
  var contributions: Int
  var objects: Int
  var objectBytes: Int64

  static let fileName = "backup.json"
  static let manifestName = "manifest-sha256.txt"
  static let currentFormatVersion = 1

  func encoded() -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return Array((try! encoder.encode(self)) + Data("\n".utf8))
  }
}

extension Library {
  /// Writes a self-contained copy of the bank to `destination`: a new directory, or, when its
  /// name ends in `.tar`, one POSIX tar file (mode `0600`) of that directory. The copy holds
  /// `bank.json`, `keys/` (the private key with mode `0600`), a snapshot of the catalog made with
  /// SQLite's online backup API (consistent while other commands write; trust, exports and
  /// receipts are in it), every object the snapshot refers to, `backup.json` and
  /// `manifest-sha256.txt` (the SHA-256 of every file). See `Storage/backup.md`.
  ///
  /// Every object is copied (never linked) and hashed while it is copied; an object whose bytes
  /// do not match its name stops the backup. Nothing of the bank changes: no export sequence, no
  /// row. The backup is written under a temporary name and renamed into place when whole and
  /// flushed; an existing `destination` is never replaced.
  public func backup(to destination: URL) throws(MediaBankError) -> BackupSummary {
    let identity = try identity()
    let now = Date()
    let isTar = destination.pathExtension.lowercased() == "tar"
    let top = isTar ? destination.deletingPathExtension().lastPathComponent : destination.lastPathComponent
    let parent = destination.deletingLastPathComponent()
    guard !(destination.path + "/").hasPrefix(root.standardizedFileURL.path + "/") else {
      throw MediaBankError(.invalidInput, "a backup must be outside the bank it copies", path: destination.path)
    }
    guard FileManager.default.fileExists(atPath: parent.path) else {
      throw MediaBankError(.notFound, "the directory for the backup does not exist", path: parent.path)
    }
    let snapshotPath = parent.appendingPathComponent(".\(destination.lastPathComponent).\(getpid()).catalog").path
    try? FileManager.default.removeItem(atPath: snapshotPath)
    defer {
      for suffix in ["", "-journal"] { try? FileManager.default.removeItem(atPath: snapshotPath + suffix) }
    }
    let snapshot: CatalogSnapshot
    do {
      snapshot = try catalog.snapshot(to: snapshotPath)
    } catch {
      throw MediaBankError(error.description, path: root.path, wrapping: error)
    }
    let objects = snapshot.referencedObjects.compactMap { BlobID($0) }
    guard objects.count == snapshot.referencedObjects.count else {
      throw MediaBankError(
        .damaged, "the catalog refers to an object id that is not sha256:<64 hex digits>", path: root.path)
    }

    do {
      let writer = try ArchiveWriter(
        isTar ? .tar(destination, top: top) : .directory(destination),
        modificationTime: Int(now.timeIntervalSince1970))
      var manifest: [(path: String, hex: String)] = []
      func copy(_ path: String, mode: Int) throws(BundleError) {
        let (hex, _) = try writer.file(path, copying: root.appendingPathComponent(path).path, mode: mode)
        manifest.append((path, hex))
      }
      try copy(BankIdentity.fileName, mode: 0o644)
      try writer.directory("keys", mode: 0o700)
      try copy("keys/bank.pub", mode: 0o644)
      try copy("keys/signing-key", mode: 0o600)
      let (catalogHex, _) = try writer.file("catalog.sqlite", copying: snapshotPath, mode: 0o644)
      manifest.append(("catalog.sqlite", catalogHex))
      try writer.directory("objects")
      try writer.directory("objects/sha256")
      var bytes: Int64 = 0
      var fanOut = ""
      for id in objects {
        let hex = id.hex
        if hex.prefix(2) != fanOut {
          fanOut = String(hex.prefix(2))
          try writer.directory("objects/sha256/\(fanOut)")
        }
        let path = "objects/sha256/\(fanOut)/\(hex.dropFirst(2))"
        let source = store.path(of: id)
        guard FileManager.default.fileExists(atPath: source) else {
          throw MediaBankError(
            .damaged,
            "\(id) is missing from the store (it was deleted while the backup ran, or lost: run "
              + "`mediabank verify`); the backup was not written", path: source)
        }
        let copied = try writer.file(path, copying: source, mode: 0o444)
        guard copied.hex == hex else {
          throw MediaBankError(
            .damaged,
            "\(id) is corrupt: its bytes hash to sha256:\(copied.hex) (run `mediabank verify`); the backup was "
              + "not written", path: source)
        }
        bytes += copied.size
        manifest.append((path, hex))
      }
      let description = BackupDescription(
        format: "mediabank-backup", formatVersion: BackupDescription.currentFormatVersion,
        createdAt: Self.timestamp(of: now), bankId: identity.bankId, province: identity.province, name: identity.name,
        national: identity.national, bankFormatVersion: identity.formatVersion,
        catalogMigrations: snapshot.migrations, assets: snapshot.assets, contributions: snapshot.contributions,
        objects: objects.count, objectBytes: bytes)
      let descriptionHex = try writer.file(BackupDescription.fileName, bytes: description.encoded())
      manifest.append((BackupDescription.fileName, descriptionHex))
      let lines = manifest.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
        .map { "\($0.hex)  \($0.path)\n" }.joined()
      try writer.file(BackupDescription.manifestName, bytes: Array(lines.utf8))
      try writer.commit()
      return BackupSummary(
        path: destination.path, province: identity.province, national: identity.national == true,
        assets: snapshot.assets, contributions: snapshot.contributions, objects: objects.count, objectBytes: bytes)
    } catch let error as MediaBankError {
      throw error
    } catch {
      throw MediaBankError("cannot write the backup: \(error)", path: destination.path, wrapping: error)
    }
  }

  /// Makes a new bank at `root` from the backup at `source` (a directory or a `.tar` file that
  /// ``backup(to:)`` wrote). Refuses when `root` holds anything (a bank is never overwritten).
  ///
  /// The backup is copied or extracted into a temporary directory beside `root`
  /// (`.<name>.restore-<pid>`, mode `0700`), every file hashed on the way and checked against
  /// `manifest-sha256.txt` (a file missing, unlisted or different is refused, named); then the
  /// catalog is checked (SQLite's `integrity_check` and `foreign_key_check`, known migrations, and
  /// every object it refers to present), the key against `bank.json`, and the modes set as a bank
  /// has them. Only then is the directory flushed and renamed to `root`: a failure or a crash
  /// leaves no bank, half or whole. The restored bank is the same bank (same id, key, sequences).
  public static func restore(from source: URL, to root: URL) throws(MediaBankError) -> RestoreSummary {
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    if manager.fileExists(atPath: root.path, isDirectory: &isDirectory) {
      let contents = isDirectory.boolValue ? ((try? manager.contentsOfDirectory(atPath: root.path)) ?? ["?"]) : ["?"]
      guard contents.isEmpty else {
        throw MediaBankError(
          .alreadyExists,
          exists(at: root)
            ? "a bank is already here; restore never overwrites a bank (restore elsewhere with --bank, or move "
              + "this one away first)"
            : "something is already here; restore makes a new bank in an empty or new directory",
          path: root.path)
      }
    }
    let parent = root.deletingLastPathComponent()
    try makeFolders(parent.path)
    sweepRestoreLeftovers(of: root)
    let work = parent.appendingPathComponent(".\(root.lastPathComponent).restore-\(getpid())")
    Archive.removeTree(work.path)
    do {
      try manager.createDirectory(at: work, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
    } catch {
      throw MediaBankError(
        "cannot create a temporary directory: \(error.localizedDescription)", path: work.path, wrapping: error)
    }
    defer { Archive.removeTree(work.path) }

    let name = source.lastPathComponent
    let unpacked: Archive.Unpacked
    do {
      unpacked = try Archive.unpack(source, into: work)
    } catch {
      let reason = [error.file, error.message, error.errno.map { String(cString: strerror($0)) }]
      throw MediaBankError(
        reason.compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ") + "; nothing was restored",
        path: source.path, wrapping: error)
    }
    let tree = unpacked.root
    func refuse(_ file: String?, _ reason: String) -> MediaBankError {
      MediaBankError(
        .damaged, [file, reason].compactMap { $0 }.joined(separator: ": ") + "; nothing was restored", path: source.path
      )
    }

    // The manifest: every file listed, every listed file there with its hash.
    for required in [BackupDescription.fileName, BackupDescription.manifestName]
    where unpacked.hashes[required] == nil {
      throw refuse(required, "is missing: \(name) is not a MediaBank backup")
    }
    let manifestText: String
    do {
      manifestText = try String(
        contentsOf: tree.appendingPathComponent(BackupDescription.manifestName), encoding: .utf8)
    } catch {
      throw refuse(BackupDescription.manifestName, "cannot be read as UTF-8 text")
    }
    var listed: [String: String] = [:]
    for (number, line) in manifestText.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    where !line.isEmpty {
      let parts = line.split(separator: " ", maxSplits: 1)
      guard parts.count == 2, parts[0].utf8.count == 64, parts[1].hasPrefix(" "),
        listed.updateValue(String(parts[0]), forKey: String(parts[1].dropFirst())) == nil
      else { throw refuse(BackupDescription.manifestName, "line \(number + 1) is malformed or repeated") }
    }
    for (path, hex) in listed.sorted(by: { $0.key < $1.key }) {
      guard let actual = unpacked.hashes[path] else { throw refuse(path, "is listed in the manifest but missing") }
      guard actual == hex else {
        throw refuse(path, "is damaged: the manifest says sha256:\(hex), its bytes hash to sha256:\(actual)")
      }
    }
    if let extra = unpacked.hashes.keys.sorted().first(where: {
      listed[$0] == nil && $0 != BackupDescription.manifestName
    }) {
      throw refuse(extra, "is not listed in the manifest")
    }
    for required in [BackupDescription.fileName, BankIdentity.fileName, "keys/signing-key", "keys/bank.pub"]
    where listed[required] == nil {
      throw refuse(required, "is missing")
    }

    // What the backup says it is.
    guard let data = manager.contents(atPath: tree.appendingPathComponent(BackupDescription.fileName).path),
      let description = try? JSONDecoder().decode(BackupDescription.self, from: data),
      description.format == "mediabank-backup"
    else { throw refuse(BackupDescription.fileName, "is not a MediaBank backup description") }
    guard description.formatVersion <= BackupDescription.currentFormatVersion else {
      throw refuse(
        BackupDescription.fileName,
        "backup format \(description.formatVersion) is newer than this mediabank understands "
          + "(\(BackupDescription.currentFormatVersion)); upgrade mediabank")
    }

    // The catalog, and the objects it refers to.
    let snapshot: CatalogSnapshot
    do {
      snapshot = try Catalog.checkSnapshot(at: tree.appendingPathComponent("catalog.sqlite").path)
    } catch {
      throw refuse("catalog.sqlite", error.description)
    }
    for id in snapshot.referencedObjects {
      let hex = String(id.dropFirst(7))
      let path = "objects/sha256/\(hex.prefix(2))/\(hex.dropFirst(2))"
      guard listed[path] == hex else { throw refuse(path, "is missing, and the catalog refers to \(id)") }
    }

    // Modes as a bank has them, then open it as a bank: bank.json, the key against it.
    do {
      for (path, mode) in [("keys", 0o700), ("keys/signing-key", 0o600)] {
        try manager.setAttributes([.posixPermissions: mode], ofItemAtPath: tree.appendingPathComponent(path).path)
      }
      for path in listed.keys where path.hasPrefix("objects/") {
        try manager.setAttributes([.posixPermissions: 0o444], ofItemAtPath: tree.appendingPathComponent(path).path)
      }
      for path in [BackupDescription.fileName, BackupDescription.manifestName] {
        try manager.removeItem(at: tree.appendingPathComponent(path))
      }
      try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tree.path)
    } catch {
      throw MediaBankError(
        "cannot prepare the restored bank: \(error.localizedDescription)", path: work.path, wrapping: error)
    }
    let identity: BankIdentity
    do {
      let library = try Library.open(at: tree, create: false)
      identity = try library.identity()
      _ = try library.signingKey()
    } catch {
      throw refuse(nil, error.reason)
    }
    guard identity.bankId == description.bankId else {
      throw refuse(
        BankIdentity.fileName, "names bank \(identity.bankId), but the backup is of bank \(description.bankId)")
    }

    // Whole and checked: flush it and give it its name.
    sync()
    if manager.fileExists(atPath: root.path) { rmdir(root.path) }  // The empty directory it replaces.
    do {
      try IO.rename(tree.path, to: root.path)
      try IO.syncDirectory(parent.path)
    } catch {
      throw MediaBankError(error)
    }
    return RestoreSummary(
      bank: root.path, backup: source.path, backedUpAt: description.createdAt, province: identity.province,
      national: identity.national == true, assets: snapshot.assets, contributions: snapshot.contributions,
      objects: snapshot.referencedObjects.count)
  }

  /// Removes the temporary directories that restores of `root` left when they were killed
  /// (`.<name>.restore-<pid>` whose process no longer runs).
  private static func sweepRestoreLeftovers(of root: URL) {
    let parent = root.deletingLastPathComponent().path
    let prefix = ".\(root.lastPathComponent).restore-"
    for name in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where name.hasPrefix(prefix) {
      guard let pid = Int32(name.dropFirst(prefix.count)), pid > 0, !IO.isRunning(pid) else { continue }
      Archive.removeTree(parent + "/" + name)
    }
  }
}
