import Foundation
import Glibc
import Testing

/// `backup` and `restore`: a province and the national bank that has received its bundle are
/// backed up, restored elsewhere, and go on as if nothing happened.
@Suite struct BackupTests {
  let scratch: ScratchDirectory
  let province: String
  let national: String
  let usb: String
  let cli = CLI()

  init() throws {
    scratch = try ScratchDirectory()
    province = scratch.appending("thai-nguyen")
    national = scratch.appending("national")
    usb = scratch.appending("usb")
    #expect(try cli("init", "--bank", province, "--province", "19", "--name", "Sở VHTTDL Thái Nguyên").status == 0)
    #expect(try cli("init", "--bank", national, "--national").status == 0)
    #expect(
      try cli("trust", "add", "--bank", "19", "--public-key", province + "/keys/bank.pub", "--bank-path", national)
        .status == 0)
    #expect(
      try cli(
        "trust", "add", "--bank", "national", "--public-key", national + "/keys/bank.pub", "--bank-path", province
      ).status == 0)
    #expect(
      try cli(
        "add", CLI.photo("nui-coc-vi-en.jpg"), CLI.photo("scan.png"), CLI.photo("gps-southwest.jpg"), "--bank",
        province
      ).status == 0)
    #expect(try cli("tag", "--bank", province, "--pillar", "tourism-landscape", id(0)).status == 0)
    let exported = try cli("export", "--out", usb, "--bank", province)
    #expect(exported.status == 0, "\(exported.stderr)")
    let received = try cli("receive", usb + "/mediabank-19-000001", "--bank", national)
    #expect(received.status == 0, "\(received.stderr)")
    #expect(try cli("receipt", "apply", usb + "/receipt-19-000001.json", "--bank", province).status == 0)
  }

  /// The id of the province's `index`th asset.
  func id(_ index: Int) throws -> String {
    let list = try cli("list", "--ids", "--bank", province)
    return String(list.stdout.split(separator: "\n")[index])
  }

  /// What a person sees of a bank: `list`, `show` of each asset, `sync-status`, `trust list`.
  func view(_ bank: String) throws -> [String] {
    var outputs = [try cli("list", "--bank", bank).stdout]
    for id in try cli("list", "--ids", "--bank", bank).stdout.split(separator: "\n") {
      outputs.append(try cli("show", String(id), "--bank", bank).stdout)
    }
    outputs.append(try cli("sync-status", "--json", "--bank", bank).stdout)
    outputs.append(try cli("trust", "list", "--bank", bank).stdout)
    return outputs
  }

  func restored(_ backup: String, as name: String) throws -> String {
    let bank = scratch.appending(name)
    let output = try cli("restore", backup, "--bank", bank)
    #expect(output.status == 0, "\(output.stderr)")
    let verified = try cli("verify", "--bank", bank)
    #expect(verified.status == 0 && verified.stdout.contains(" 0 with problems"), "\(verified.stdout)")
    return bank
  }

  @Test("backup to a directory and to a tar, restore both: the same bank, verify passes, sequences go on")
  func roundTrip() throws {
    let before = try view(province)
    let nationalBefore = try view(national)
    let backup = try cli("backup", "--out", scratch.appending("backup-19"), "--bank", province)
    #expect(backup.status == 0 && backup.stdout.contains("assets         3"), "\(backup.stderr)")
    #expect(try cli("backup", "--out", scratch.appending("backup-19.tar"), "--bank", province).status == 0)
    let nationalBackup = try cli("backup", "--out", scratch.appending("national.tar"), "--json", "--bank", national)
    let summary = try #require(try nationalBackup.json() as? [String: Any])
    #expect(summary["national"] as? Bool == true && summary["contributions"] as? Int == 3)
    // Nothing of the banks changed: no sequence, no state.
    #expect(try view(province) == before)
    #expect(try view(national) == nationalBefore)

    // The backup: a private key kept private, a manifest `sha256sum -c` accepts.
    var status = stat()
    #expect(stat(scratch.appending("backup-19/keys/signing-key"), &status) == 0 && status.st_mode & 0o777 == 0o600)
    #expect(stat(scratch.appending("backup-19.tar"), &status) == 0 && status.st_mode & 0o777 == 0o600)
    let manifest = try String(contentsOfFile: scratch.appending("backup-19/manifest-sha256.txt"), encoding: .utf8)
    #expect(manifest.contains("  catalog.sqlite\n") && manifest.contains("  keys/signing-key\n"))

    let fromDirectory = try restored(scratch.appending("backup-19"), as: "restored-dir")
    let fromTar = try restored(scratch.appending("backup-19.tar"), as: "restored-tar")
    let restoredNational = try restored(scratch.appending("national.tar"), as: "restored-national")
    #expect(try view(fromDirectory) == before)
    #expect(try view(fromTar) == before)
    #expect(try view(restoredNational) == nationalBefore)
    #expect(stat(fromTar + "/keys/signing-key", &status) == 0 && status.st_mode & 0o777 == 0o600)
    #expect(stat(fromTar + "/keys", &status) == 0 && status.st_mode & 0o777 == 0o700)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: fromTar).sorted() == [
        "bank.json", "catalog.sqlite", "keys", "objects",
      ])

    // The restored province goes on with bundle 2, which the restored national bank accepts.
    #expect(try cli("add", CLI.photo("iptc-utf8.jpg"), "--bank", fromTar).status == 0)
    let next = try cli("export", "--out", scratch.appending("usb2"), "--bank", fromTar)
    #expect(next.status == 0 && next.stdout.contains("mediabank-19-000002"), "\(next.stdout) \(next.stderr)")
    let received = try cli(
      "receive", scratch.appending("usb2/mediabank-19-000002"), "--json", "--bank", restoredNational)
    #expect(received.status == 0, "\(received.stderr)")
    #expect((try received.json() as? [String: Any])?["accepted"] as? Int == 1)
  }

  @Test("a damaged backup is refused, naming the file, and leaves nothing")
  func damaged() throws {
    let backup = scratch.appending("backup-19")
    #expect(try cli("backup", "--out", backup, "--bank", province).status == 0)
    #expect(try cli("backup", "--out", backup + ".tar", "--bank", province).status == 0)
    let before = try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted()

    // One flipped byte in an object.
    let object = try id(0).dropFirst(7)
    let path = "objects/sha256/\(object.prefix(2))/\(object.dropFirst(2))"
    let file = backup + "/" + path
    chmod(file, 0o644)
    let handle = try #require(FileHandle(forUpdatingAtPath: file))
    try handle.seek(toOffset: 200)
    let byte = try #require(try handle.read(upToCount: 1)?.first)
    try handle.seek(toOffset: 200)
    try handle.write(contentsOf: [byte ^ 0x01])
    try handle.close()
    let corrupt = try cli("restore", backup, "--bank", scratch.appending("restored"))
    #expect(corrupt.status == 2)
    #expect(corrupt.stderr.contains("\(path): is damaged"), "\(corrupt.stderr)")
    #expect(corrupt.stderr.contains("nothing was restored"))
    let repair = try #require(FileHandle(forUpdatingAtPath: file))
    try repair.seek(toOffset: 200)
    try repair.write(contentsOf: [byte])
    try repair.close()

    // A tar cut short.
    let tar = try Data(contentsOf: URL(fileURLWithPath: backup + ".tar"))
    try tar.prefix(tar.count - 3000).write(to: URL(fileURLWithPath: scratch.appending("cut.tar")))
    let truncated = try cli("restore", scratch.appending("cut.tar"), "--bank", scratch.appending("restored"))
    #expect(truncated.status == 2)
    #expect(truncated.stderr.contains("cut.tar: is truncated"), "\(truncated.stderr)")

    // A manifest line removed: that file is not listed.
    let manifest = backup + "/manifest-sha256.txt"
    let lines = try String(contentsOfFile: manifest, encoding: .utf8).split(separator: "\n")
    try (lines.filter { !$0.hasSuffix("  keys/bank.pub") }.joined(separator: "\n") + "\n")
      .write(toFile: manifest, atomically: false, encoding: .utf8)
    let unlisted = try cli("restore", backup, "--bank", scratch.appending("restored"))
    #expect(unlisted.stderr.contains("keys/bank.pub: is not listed in the manifest"), "\(unlisted.stderr)")

    // Nothing was left: no bank, no temporary directory.
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == (before + ["cut.tar"]).sorted())
  }

  @Test("backups taken while an import writes are consistent: each restores, verifies and lists a subset")
  func whileWriting() throws {
    let archive = scratch.appending("archive")
    try CLI.makeArchive(at: archive)
    let importing = try cli.start(["import", archive, "--bank", province])
    var backups: [String] = []
    repeat {
      let backup = scratch.appending("during-\(backups.count).tar")
      let output = try cli("backup", "--out", backup, "--bank", province)
      #expect(output.status == 0, "\(output.stderr)")
      backups.append(backup)
    } while importing.isRunning && backups.count < 4
    importing.waitUntilExit()
    let final = Set(try cli("list", "--ids", "--bank", province).stdout.split(separator: "\n"))
    for (index, backup) in backups.enumerated() {
      let bank = try restored(backup, as: "during-\(index)")
      let ids = Set(try cli("list", "--ids", "--bank", bank).stdout.split(separator: "\n"))
      #expect(ids.count >= 3 && ids.isSubset(of: final))
    }
  }

  @Test("restore never overwrites a bank, and backup never overwrites a backup")
  func refusals() throws {
    let backup = scratch.appending("backup-19.tar")
    #expect(try cli("backup", "--out", backup, "--bank", province).status == 0)
    let again = try cli("backup", "--out", backup, "--bank", province)
    #expect(again.status == 2 && again.stderr.contains("already exists"), "\(again.stderr)")
    let inside = try cli("backup", "--out", province + "/backup", "--bank", province)
    #expect(inside.status == 2 && inside.stderr.contains("outside the bank"), "\(inside.stderr)")
    let before = try view(national)
    let onto = try cli("restore", backup, "--bank", national)
    #expect(onto.status == 2 && onto.stderr.contains("a bank is already here"), "\(onto.stderr)")
    #expect(try view(national) == before)
    let notBackup = try cli("restore", usb + "/mediabank-19-000001", "--bank", scratch.appending("restored"))
    #expect(notBackup.status == 2 && notBackup.stderr.contains("backup.json: is missing"))
    // An empty directory is taken.
    try FileManager.default.createDirectory(atPath: scratch.appending("empty"), withIntermediateDirectories: false)
    #expect(try cli("restore", backup, "--bank", scratch.appending("empty")).status == 0)
  }
}
