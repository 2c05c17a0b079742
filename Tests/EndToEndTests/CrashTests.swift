import Foundation
import Glibc
import Testing

/// A `mediabank add` killed with SIGKILL in the middle of storing a large file leaves no object and
/// no catalog row, and the next command sweeps its temporary file.
@Suite struct CrashTests {
  @Test("SIGKILL while copying a 1.5 GB file leaves the bank consistent")
  func killDuringAdd() throws {
    let scratch = try ScratchDirectory()
    let bank = scratch.appending("bank")
    let cli = CLI()
    // A bank with one asset already in it.
    #expect(try cli("add", "--bank", bank, CLI.photo("scan.png")).status == 0)
    let before = scratch.files(under: "bank/objects/sha256")

    // A JPEG signature followed by a sparse 1.5 GB hole: cheap to make, slow to copy and hash.
    let big = scratch.appending("big.jpg")
    let header: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00]
    _ = FileManager.default.createFile(atPath: big, contents: Data(header))
    #expect(truncate(big, 1_500_000_000) == 0)

    let process = try cli.start(["add", "--bank", bank, big])
    // Wait until the copy is under way: a temporary file in objects/tmp holding some bytes.
    let temporary = scratch.appending("bank/objects/tmp")
    var partial: String?
    for _ in 0..<2000 where partial == nil {
      partial = scratch.files(under: "bank/objects/tmp").first { name in
        let size = (try? FileManager.default.attributesOfItem(atPath: "\(temporary)/\(name)")[.size] as? Int) ?? 0
        return size > 4 << 20
      }
      if partial == nil { usleep(5_000) }
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal)
    #expect(partial != nil, "the add never started writing its temporary file")

    // Killed mid-copy: no new object, the temporary file is still there.
    #expect(scratch.files(under: "bank/objects/sha256") == before)
    #expect(!scratch.files(under: "bank/objects/tmp").isEmpty)

    // The next command sweeps it; the catalog has only the first asset; verify is clean.
    let listed = try cli("list", "--json", "--bank", bank)
    #expect(listed.status == 0)
    #expect((try listed.json() as? [Any])?.count == 1)
    #expect(scratch.files(under: "bank/objects/tmp").isEmpty)
    let verified = try cli("verify", "--bank", bank)
    #expect(verified.status == 0, "\(verified.stdout)")
    #expect(!verified.stdout.contains("unreferenced"))
  }

  @Test("SIGKILL at any moment of a receive leaves nothing of the bundle visible; received again, it applies once")
  func killDuringReceive() throws {
    let scratch = try ScratchDirectory()
    let (province, national) = (scratch.appending("province"), scratch.appending("national"))
    let cli = CLI()
    #expect(try cli("init", "--bank", province, "--province", "19").status == 0)
    #expect(try cli("init", "--bank", national, "--national").status == 0)
    #expect(
      try cli("trust", "add", "--bank", "19", "--public-key", province + "/keys/bank.pub", "--bank-path", national)
        .status == 0)
    // Four photos of random noise (about 7 MB each): slow enough to interrupt.
    var photos: [String] = []
    for index in 0..<4 {
      let photo = scratch.appending("noise-\(index).jpg")
      let convert = Process()
      convert.executableURL = URL(fileURLWithPath: "/usr/bin/convert")
      convert.arguments = ["-size", "3000x3000", "xc:gray", "+noise", "Random", "-quality", "95", photo]
      try convert.run()
      convert.waitUntilExit()
      #expect(convert.terminationStatus == 0, "ImageMagick is installed by scripts/setup")
      photos.append(photo)
    }
    #expect(try cli.run(["add", "--bank", province] + photos).status == 0)
    let bundle = scratch.appending("bundle.tar")
    #expect(try cli("export", "--out", bundle, "--bank", province).status == 0)

    func contributed() throws -> Int {
      let output = try cli("list", "--json", "--bank", national)
      let count = (try output.json() as? [Any])?.count ?? -1
      #expect(output.status == (count == 0 ? 1 : 0), "\(output.stderr)")
      return count
    }
    for delay in [20_000, 60_000, 120_000, 250_000] as [useconds_t] {
      let process = try cli.start(["receive", bundle, "--bank", national])
      usleep(delay)
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      // All or nothing, whenever the kill landed.
      let count = try contributed()
      #expect(count == 0 || count == 4, "after a kill at \(delay) µs: \(count) records")
      if count == 4 { break }
    }
    let again = try cli("receive", bundle, "--bank", national)
    #expect(
      (again.status == 0 && again.stdout.contains("4 records accepted"))
        || (again.status == 0 && again.stdout.contains("already received")), "\(again.stderr)")
    #expect(try contributed() == 4)
    let verified = try cli("verify", "--bank", national)
    // The originals and their previews, nothing unreferenced.
    #expect(verified.status == 0 && verified.stdout.hasPrefix("Checked 8 objects: 8 intact"), "\(verified.stdout)")
    #expect(scratch.files(under: "national/objects/tmp").isEmpty)
  }
}
