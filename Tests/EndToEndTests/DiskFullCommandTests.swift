import Foundation
import Glibc
import Testing

/// `mediabank` on a real full disk: a small tmpfs (issue 15, item 6), where the machine lets the
/// tests mount one (root); and names that are not UTF-8 (item 7).
@Suite struct DiskFullCommandTests {
  let scratch: ScratchDirectory
  let cli = CLI()

  init() throws {
    scratch = try ScratchDirectory()
  }

  /// `count` different photos of about `size` bytes (a fixture JPEG with random bytes after its end).
  func makeArchive(count: Int, size: Int) throws -> String {
    let folder = scratch.appending("archive")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let photo = try Data(contentsOf: URL(fileURLWithPath: CLI.photo("nui-coc-vi-en.jpg")))
    for index in 0..<count {
      let padding = Data((0..<max(0, size - photo.count)).map { _ in UInt8.random(in: 0...255) })
      try (photo + padding).write(to: URL(fileURLWithPath: folder + "/photo-\(1000 + index).jpg"))
    }
    return folder
  }

  @Test(
    "an import that fills the disk lists every file, fails those that did not fit with disk full, and exits 1",
    .enabled(if: MountedTmpfs.canMount, "mounting a tmpfs needs root (mount -t tmpfs)"))
  func importFillsTheDisk() throws {
    let disk = try MountedTmpfs(at: scratch.appending("disk"), size: "2m")
    defer { disk.unmount() }
    let bank = disk.path + "/bank"
    #expect(try cli("init", "--bank", bank, "--province", "19").status == 0)
    let archive = try makeArchive(count: 150, size: 24_000)
    let result = try cli("import", archive, "--bank", bank, "--report", disk.path + "/report.json")
    #expect(result.status == 1, "\(result.stderr)")
    #expect(!result.stderr.contains("SQLite error"), "\(result.stderr)")
    #expect(result.stdout.contains("Imported \(archive) as batch 1"), "\(result.stdout)")
    let failures = result.stdout.split(separator: "\n").filter { $0.hasPrefix("    \(archive)/") }
    #expect(!failures.isEmpty)
    for failure in failures {
      #expect(failure.contains(": disk full (") && failure.hasSuffix(" bytes free on tmpfs)"), "\(failure)")
    }
    let added = try #require(
      result.stdout.split(separator: "\n").first { $0.hasPrefix("  added ") }.flatMap {
        Int($0.split(separator: " ")[1])
      })
    #expect(added > 0)
    #expect(added + failures.count == 150)
    #expect(
      FileManager.default.fileExists(atPath: bank + "/objects/tmp") && scratchFiles(bank + "/objects/tmp").isEmpty)

    // Filled to the last byte: a command that only reads lists what was imported.
    disk.fill()
    let list = try cli("list", "--bank", bank)
    #expect(list.status == 0, "\(list.stderr)")
    #expect(list.stdout.split(separator: "\n").count == added)
  }

  @Test(
    "an import whose catalog rows do not fit fails those files with disk full, ends its batch, and exits 1",
    .enabled(if: MountedTmpfs.canMount, "mounting a tmpfs needs root (mount -t tmpfs)"))
  func catalogFillsTheDisk() throws {
    let disk = try MountedTmpfs(at: scratch.appending("disk"), size: "2m")
    defer { disk.unmount() }
    let bank = disk.path + "/bank"
    #expect(try cli("init", "--bank", bank, "--province", "19").status == 0)
    // Many small files, no previews: the catalog's transaction is what does not fit (it was
    // `catalog write failed: SQLite error 13`, exit 2, no summary).
    let archive = try makeArchive(count: 300, size: 11_800)
    let result = try cli("import", archive, "--bank", bank, "--no-thumbnails")
    #expect(result.status == 1, "\(result.stderr)")
    #expect(!result.stderr.contains("SQLite error"), "\(result.stderr)")
    #expect(result.stdout.contains("  failed        "), "\(result.stdout)")
    let failures = result.stdout.split(separator: "\n").filter { $0.hasPrefix("    \(archive)/") }
    #expect(!failures.isEmpty && failures.allSatisfy { $0.contains(": disk full (") })
    let batches = try cli("batches", "--bank", bank)
    #expect(batches.stdout.contains("  finished  ") || result.stdout.contains("  unfinished    "), "\(batches.stdout)")
    // What the failed files brought is not left in the store.
    let verify = try cli("verify", "--bank", bank)
    #expect(verify.status == 0, "\(verify.stdout)")
    let ids = try cli("list", "--bank", bank, "--ids").stdout.split(separator: "\n").count
    let objects = FileManager.default.enumerator(atPath: bank + "/objects/sha256")?.allObjects.compactMap {
      $0 as? String
    }.filter { $0.contains("/") }
    #expect(objects?.count == ids)
  }

  @Test(
    "on a disk filled to the last byte, commands that read answer and commands that write say that the disk is full",
    .enabled(if: MountedTmpfs.canMount, "mounting a tmpfs needs root (mount -t tmpfs)"))
  func readOnAFullDisk() throws {
    let disk = try MountedTmpfs(at: scratch.appending("disk"), size: "2m")
    defer { disk.unmount() }
    let bank = disk.path + "/bank"
    let added = try cli("add", CLI.photo("nui-coc-vi-en.jpg"), "--bank", bank)
    let id = try #require(added.stdout.split(separator: " ").dropFirst().first.map(String.init), "\(added.stdout)")
    disk.fill()
    let list = try cli("list", "--bank", bank, "--ids")
    #expect(list.status == 0, "\(list.stderr)")
    #expect(list.stdout == id + "\n", "\(list.stdout)")
    #expect(try cli("show", id, "--bank", bank).stdout.contains("Nui Coc Lake at dawn"))
    #expect(try cli("search", "nui coc", "--bank", bank, "--ids").stdout == id + "\n")
    for command in [["edit", id, "--creator", "A"], ["retract", id, "--reason", "test"]] {
      let write = try cli.run(command + ["--bank", bank])
      #expect(write.status == 2, "\(command): \(write.stdout)")
      #expect(
        write.stderr.contains("; disk full (0 bytes free on tmpfs): free some space"), "\(command): \(write.stderr)")
    }
  }

  @Test(
    "on a full disk, a catalog whose write-ahead log holds changes is not read as it stands on disk",
    .enabled(if: MountedTmpfs.canMount, "mounting a tmpfs needs root (mount -t tmpfs)"))
  func fullDiskWithALog() throws {
    let disk = try MountedTmpfs(at: scratch.appending("disk"), size: "2m")
    defer { disk.unmount() }
    let bank = disk.path + "/bank"
    #expect(try cli("add", CLI.photo("orientation-1.jpg"), "--bank", bank).status == 0)
    // A log left behind, as by a writer that stopped: its changes may not be in the file yet,
    // and an immutable read would miss them.
    let catalog = bank + "/catalog.sqlite"
    _ = try CLI.sqlite(catalog, ".filectrl persist_wal 1", "CREATE TABLE scratch (x); DROP TABLE scratch")
    try FileManager.default.removeItem(atPath: catalog + "-shm")
    let log = try FileManager.default.attributesOfItem(atPath: catalog + "-wal")
    #expect((log[.size] as? Int ?? 0) > 0)
    disk.fill()
    let list = try cli("list", "--bank", bank)
    #expect(list.status == 2)
    #expect(list.stderr.contains("; disk full (0 bytes free on tmpfs): free some space"), "\(list.stderr)")
  }

  @Test(
    "a bank on a read-only file system is read, and a command that writes says why it cannot",
    .enabled(if: MountedTmpfs.canMount, "mounting a tmpfs needs root (mount -t tmpfs)"))
  func readOnlyFileSystem() throws {
    let disk = try MountedTmpfs(at: scratch.appending("disk"), size: "2m")
    defer { disk.unmount() }
    let bank = disk.path + "/bank"
    #expect(try cli("add", CLI.photo("orientation-1.jpg"), "--bank", bank).status == 0)
    #expect(disk.remountReadOnly())
    let list = try cli("list", "--bank", bank, "--ids")
    #expect(list.status == 0 && list.stdout.split(separator: "\n").count == 1, "\(list.stderr)")
    #expect(try cli("verify", "--bank", bank).status == 0)
    let add = try cli("add", CLI.photo("orientation-2.jpg"), "--bank", bank)
    #expect(add.status == 1)
    #expect(add.stderr.contains("orientation-2.jpg: cannot create temporary object: Read-only file system"))
    let edit = try cli("edit", String(list.stdout.dropLast()), "--creator", "A", "--bank", bank)
    #expect(edit.status == 2)
    #expect(edit.stderr.contains("; the folder cannot be written (a read-only file system"), "\(edit.stderr)")
  }

  func scratchFiles(_ directory: String) -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
  }

  @Test("add takes a file whose name is not UTF-8, and prints it escaped as ls does")
  func nonUTF8Name() throws {
    let bank = scratch.appending("bank")
    // caf\xE9.jpg: the bytes 0x63 0x61 0x66 0xE9 and `.jpg`, in Latin-1 as an old archive has it.
    let name = [0x63, 0x61, 0x66, 0xE9] + Array(".jpg".utf8)
    let path = Array(scratch.path.utf8) + [0x2F] + name
    let photo = try Data(contentsOf: URL(fileURLWithPath: CLI.photo("orientation-1.jpg")))
    let file = (path + [0]).withUnsafeBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o644) }
    }
    #expect(file >= 0)
    _ = photo.withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
    close(file)
    // Process takes arguments as Strings: the shell gives the raw bytes.
    let shell = Process()
    shell.executableURL = URL(fileURLWithPath: "/bin/sh")
    shell.arguments = [
      "-c", #"cd "$2" && exec "$1" add --bank "$3" "$(printf 'caf\351.jpg')""#, "sh", CLI.executable.path, scratch.path,
      bank,
    ]
    shell.environment = cli.environment
    let output = Pipe()
    shell.standardOutput = output
    shell.standardError = output
    try shell.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    shell.waitUntilExit()
    #expect(shell.terminationStatus == 0, "\(text)")
    #expect(text.hasPrefix("added  sha256:") && text.hasSuffix("  $'caf\\xe9.jpg'\n"), "\(text)")
    // Stored as an import stores such a name: its invalid byte as `\xE9`.
    let list = try cli("list", "--bank", bank)
    #expect(list.stdout.contains("caf\\xE9.jpg"), "\(list.stdout)")
  }
}

/// A small tmpfs mounted at a folder of the scratch directory.
struct MountedTmpfs {
  let path: String

  /// Whether `mount -t tmpfs` works here: tried once.
  static let canMount: Bool = {
    let probe = FileManager.default.temporaryDirectory.appendingPathComponent("mediabank-tmpfs-\(UUID())").path
    guard getuid() == 0, let disk = try? MountedTmpfs(at: probe, size: "16k") else { return false }
    disk.unmount()
    try? FileManager.default.removeItem(atPath: probe)
    return true
  }()

  init(at path: String, size: String) throws {
    self.path = path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    guard Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path]) else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot mount a tmpfs at \(path)"])
    }
  }

  /// Writes a file until the disk is full.
  func fill() {
    _ = Self.run("/bin/dd", ["if=/dev/zero", "of=\(path)/fill", "bs=4096"])
  }

  func unmount() { _ = Self.run("/bin/umount", [path]) }

  /// Makes the file system read-only, as a mount of a backup disk is.
  func remountReadOnly() -> Bool { Self.run("/bin/mount", ["-o", "remount,ro", path]) }

  private static func run(_ executable: String, _ arguments: [String]) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
  }
}
