import Foundation
import Glibc
import Testing

/// Loose ends an attack on the bank found (issue 15), each run as it was found.
@Suite struct HardeningTests {
  let scratch: ScratchDirectory
  let cli = CLI()

  init() throws {
    scratch = try ScratchDirectory()
  }

  @Test(
    "the sweep keeps the temporary files of another user's running process (kill gives EPERM)",
    .enabled(if: getuid() == 0, "needs root to run a command as another user"))
  func sweepKeepsAnotherUsersFiles() throws {
    let bank = scratch.appending("shared")
    #expect(try cli("init", "--bank", bank).status == 0)
    // Process 1 runs as root: to `nobody`, kill(1, 0) fails with EPERM.
    let inFlight = bank + "/objects/tmp/1.5.tmp"
    #expect(FileManager.default.createFile(atPath: inFlight, contents: Data("partial".utf8)))
    let chmod = Process()
    chmod.executableURL = URL(fileURLWithPath: "/bin/chmod")
    chmod.arguments = ["-R", "a+rwX", bank]
    try chmod.run()
    chmod.waitUntilExit()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
    process.arguments = ["-u", "nobody", "--", CLI.executable.path, "list", "--bank", bank]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 1, "list of an empty bank as nobody")
    #expect(FileManager.default.fileExists(atPath: inFlight))
    // A file of a process that does not run is still swept.
    let dead = bank + "/objects/tmp/2147483646.5.tmp"
    #expect(FileManager.default.createFile(atPath: dead, contents: Data()))
    _ = try cli("list", "--bank", bank)
    #expect(!FileManager.default.fileExists(atPath: dead) && FileManager.default.fileExists(atPath: inFlight))
  }

  @Test("a catalog a newer mediabank migrated is refused, not opened silently")
  func newerCatalog() throws {
    let bank = scratch.appending("bank")
    #expect(try cli("init", "--bank", bank).status == 0)
    let sqlite = Process()
    sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    sqlite.arguments = [bank + "/catalog.sqlite", "INSERT INTO grdb_migrations VALUES ('v99-from-the-future')"]
    try sqlite.run()
    sqlite.waitUntilExit()
    #expect(sqlite.terminationStatus == 0)
    let list = try cli("list", "--bank", bank)
    #expect(list.status == 2, "\(list.stderr)")
    #expect(list.stderr.contains("written by a newer mediabank (migration v99-from-the-future); upgrade mediabank"))
  }

  @Test("a FIFO is refused at once as not a regular file, by add and as a sidecar of an import")
  func fifo() throws {
    let bank = scratch.appending("bank")
    let folder = scratch.appending("archive")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    #expect(mkfifo(folder + "/pipe.jpg", 0o644) == 0)
    #expect(mkfifo(folder + "/a.jpg.xmp", 0o644) == 0)
    try FileManager.default.copyItem(atPath: CLI.photo("orientation-1.jpg"), toPath: folder + "/a.jpg")
    // Before the fix, `open` waited for a writer for ever.
    let added = try cli("add", folder + "/pipe.jpg", "--bank", bank)
    #expect(added.status == 1 && added.stderr.contains("pipe.jpg: not a regular file (fifo)"), "\(added.stderr)")
    let imported = try cli("import", folder, "--bank", bank)
    #expect(imported.status == 0 && imported.stdout.contains("added         1"), "\(imported.stdout)")
  }

  @Test("a metadata.csv with blank lines, as spreadsheet programs save it, is read")
  func csvWithBlankLines() throws {
    let bank = scratch.appending("bank")
    let folder = scratch.appending("archive")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: CLI.photo("orientation-1.jpg"), toPath: folder + "/a.jpg")
    try Data("file,title_vi\r\n\r\na.jpg,Đồi chè Tân Cương\r\n  \r\n\r\n".utf8).write(
      to: URL(fileURLWithPath: folder + "/metadata.csv"))
    let imported = try cli("import", folder, "--bank", bank)
    #expect(imported.status == 0, "\(imported.stdout)")
    #expect(try cli("list", "--bank", bank).stdout.contains("Đồi chè Tân Cương"))
  }

  @Test("file names with control characters are printed escaped by add, list and show")
  func hostileNames() throws {
    let bank = scratch.appending("bank")
    let name = "evil\u{1B}]0;pwned\u{07}\r\nline.jpg"
    let path = scratch.appending(name)
    try FileManager.default.copyItem(atPath: CLI.photo("orientation-1.jpg"), toPath: path)
    for arguments in [["add", path], ["list"], ["show", "13fde838"]] {
      let output = try cli.run(arguments + ["--bank", bank])
      #expect(output.status == 0, "\(arguments): \(output.stderr)")
      let controls = output.stdout.unicodeScalars.filter { $0.value < 0x20 && $0 != "\n" }
      #expect(controls.isEmpty, "\(arguments) printed \(controls.map(\.value))")
      #expect(output.stdout.contains("evil\\x1B]0;pwned\\x07\\r\\nline.jpg"), "\(arguments): \(output.stdout)")
      #expect(output.stdout.split(separator: "\n").allSatisfy { !$0.hasPrefix("line.jpg") })
    }
  }

  @Test("verify-bundle exits as its help says: 2 when there is nothing to read, 1 when the bundle is bad")
  func verifyBundleExitCodes() throws {
    let missing = try cli("verify-bundle", scratch.appending("no-such-bundle"))
    #expect(missing.status == 2 && missing.stderr.contains("no-such-bundle: cannot be read"), "\(missing.stderr)")
    let folder = scratch.appending("mediabank-19-000001")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let bad = try cli("verify-bundle", folder)
    #expect(bad.status == 1 && bad.stderr.contains("bagit.txt"), "\(bad.stderr)")
  }
}
