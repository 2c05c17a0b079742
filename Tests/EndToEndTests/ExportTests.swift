import Foundation
import Testing

/// `mediabank export`, `verify-bundle`, `retract` and `key show`: bundles as another program
/// (the Library of Congress BagIt validator) and another bank see them.
@Suite struct ExportTests {
  let scratch: ScratchDirectory
  let bank: String
  let usb: String
  let cli = CLI()

  init() throws {
    scratch = try ScratchDirectory()
    bank = scratch.appending("bank")
    usb = scratch.appending("usb")
    #expect(try cli("init", "--bank", bank, "--province", "19", "--name", "Sở VHTTDL Thái Nguyên").status == 0)
    let added = try cli("add", CLI.photo("nui-coc-vi-en.jpg"), CLI.photo("scan.png"), "--bank", bank)
    #expect(added.status == 0, "\(added.stderr)")
  }

  /// Runs `export` with these arguments and returns its JSON result (nil when nothing was exported).
  func export(_ arguments: String...) throws -> [String: Any]? {
    let output = try cli.run(["export", "--json", "--bank", bank] + arguments)
    #expect(output.status == 0, "\(output.stderr)")
    let bundles = try #require(try output.json() as? [[String: Any]])
    #expect(bundles.count <= 1)
    return bundles.first
  }

  /// The record lines of a bag directory, decoded.
  func lines(_ bag: String) throws -> [[String: Any]] {
    let text = try String(contentsOfFile: bag + "/data/records.jsonl", encoding: .utf8)
    #expect(text.hasSuffix("\n"))
    return try text.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  /// `bagit.py --validate` on a bag directory: the exit status and what it said.
  func bagit(_ bag: String) throws -> (status: Int32, output: String) {
    let process = Process()
    // The python3 first on PATH, where scripts/setup installs the validator.
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-m", "bagit", "--validate", bag]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
  }

  func ids() throws -> [String] {
    let records = try #require(try cli("list", "--json", "--bank", bank).json() as? [[String: Any]])
    return records.compactMap { $0["id"] as? String }
  }

  @Test("an incremental export carries what changed since the last bundle; bagit.py accepts every bundle")
  func incremental() throws {
    let first = try #require(try export("--out", usb))
    #expect(first["bundle"] as? String == "mediabank-19-000001" && first["kind"] as? String == "incremental")
    #expect(first["upserts"] as? Int == 2 && first["retractions"] as? Int == 0 && first["objects"] as? Int == 4)
    let bag1 = usb + "/mediabank-19-000001"
    #expect(first["path"] as? String == bag1)
    let records1 = try lines(bag1)
    #expect(records1.map { $0["op"] as? String } == ["upsert", "upsert"])
    #expect(records1.map { $0["id"] as? String } == (try ids()))
    #expect(records1.allSatisfy { ($0["revision"] as? Int ?? 0) >= 1 })
    // The record is the asset record of `show --json`.
    let shown = try #require(try cli("show", try ids()[0], "--json", "--bank", bank).json() as? [String: Any])
    let carried = try #require(records1[0]["record"] as? [String: Any])
    #expect(NSDictionary(dictionary: carried).isEqual(to: shown))
    let validated = try bagit(bag1)
    #expect(validated.status == 0, "\(validated.output)")

    // Nothing changed: nothing to export.
    #expect(try export("--out", usb) == nil)
    let quiet = try cli("export", "--out", usb, "--bank", bank)
    #expect(quiet.stdout == "Nothing to export to national: every change is in a bundle already.\n")

    // A tag edit, a retraction and a new photo: exactly those three records, and only the
    // content not known to be held (no receipt yet, so the edited photo's content too).
    let (edited, retracted) = (try ids()[0], try ids()[1])
    #expect(try cli("tag", edited, "--pillar", "tourism-landscape", "--bank", bank).status == 0)
    let retraction = try cli("retract", retracted, "--reason", "rights withdrawn by the photographer", "--bank", bank)
    #expect(retraction.status == 0 && retraction.stdout == "retracted \(retracted)\n")
    // Retracted already: said, not an error; the first reason stays.
    let again = try cli("retract", retracted, "--reason", "again", "--bank", bank)
    #expect(again.status == 0 && again.stdout.contains(" is already retracted (since "))
    #expect(again.stdout.hasSuffix(": rights withdrawn by the photographer)\n"))
    #expect(try cli("add", CLI.photo("gps-southwest.jpg"), "--bank", bank).status == 0)
    let added = try ids()[2]
    let second = try #require(try export("--out", usb + "/second.tar"))
    #expect(second["bundle"] as? String == "mediabank-19-000002" && second["path"] as? String == usb + "/second.tar")
    #expect(second["upserts"] as? Int == 2 && second["retractions"] as? Int == 1)
    let check = try cli("verify-bundle", usb + "/second.tar", "--json", "--bank", bank)
    #expect(check.status == 0, "\(check.stderr)")
    let summary = try #require(try check.json() as? [String: Any])
    #expect(summary["previousBundle"] as? String == "mediabank-19-000001" && summary["records"] as? Int == 3)

    // The tar holds the same tree: unpacked, bagit.py accepts it, and its lines are the three changes.
    let unpacked = scratch.appending("unpacked")
    try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
    let tar = try StorageRun.run("/usr/bin/tar", ["-xf", usb + "/second.tar", "-C", unpacked])
    #expect(tar.status == 0, "\(tar.stderr)")
    let bag2 = unpacked + "/mediabank-19-000002"
    #expect(try bagit(bag2).status == 0)
    let records2 = try lines(bag2)
    #expect(
      records2.map { "\($0["op"]!) \($0["id"]!)" } == ["upsert \(edited)", "retract \(retracted)", "upsert \(added)"])
    #expect(records2[1]["reason"] as? String == "rights withdrawn by the photographer" && records2[1]["record"] == nil)
    let pillars = (records2[0]["record"] as? [String: Any])?["pillars"] as? [[String: Any]] ?? []
    #expect(pillars.contains { $0["code"] as? String == "tourism-landscape" && $0["source"] as? String == "explicit" })
    #expect((records2[0]["revision"] as? Int ?? 0) > (records1[0]["revision"] as? Int ?? 0))
    let objects = scratch.files(under: "unpacked/mediabank-19-000002/data/objects/sha256")
    #expect(objects.contains(String(added.dropFirst(7))) && !objects.contains(String(retracted.dropFirst(7))))
  }

  @Test("--full carries every record that is not retracted; --resend makes a bundle again with its number")
  func fullAndResend() throws {
    _ = try #require(try export("--out", usb))
    #expect(try cli("retract", try ids()[1], "--reason", "duplicate of another photo", "--bank", bank).status == 0)
    let full = try #require(try export("--full", "--out", usb))
    #expect(full["bundle"] as? String == "mediabank-19-000002" && full["kind"] as? String == "full")
    #expect(full["upserts"] as? Int == 1 && full["retractions"] as? Int == 0)
    try FileManager.default.removeItem(atPath: usb + "/mediabank-19-000001")
    let resent = try #require(try export("--resend", "1", "--out", usb))
    #expect(resent["bundle"] as? String == "mediabank-19-000001" && resent["sequence"] as? Int == 1)
    // The same assets, now with the retraction.
    #expect(try lines(usb + "/mediabank-19-000001").map { $0["op"] as? String } == ["upsert", "retract"])
    let missing = try cli("export", "--resend", "9", "--out", usb, "--bank", bank)
    #expect(missing.status == 2 && missing.stderr.contains("no bundle 9 was exported to national"))
    // An existing bundle is never overwritten.
    let again = try cli("export", "--resend", "1", "--out", usb, "--bank", bank)
    #expect(again.status == 2 && again.stderr.contains("mediabank-19-000001"))
  }

  @Test("verify-bundle: anyone with the public key checks a bundle; a tampered or unknown-key bundle fails")
  func verifyBundle() throws {
    _ = try #require(try export("--out", usb))
    let bag = usb + "/mediabank-19-000001"
    let key = try cli("key", "show", "--json", "--bank", bank)
    let shown = try #require(try key.json() as? [String: String])
    #expect(shown["keyId"]?.hasPrefix("ed25519:") == true && shown["path"] == bank + "/keys/bank.pub")
    let publicKey = scratch.appending("thai-nguyen.pub")
    try FileManager.default.copyItem(atPath: bank + "/keys/bank.pub", toPath: publicKey)

    let elsewhere = scratch.appending("no-bank")
    let checked = try cli("verify-bundle", bag, "--public-key", publicKey, "--bank", elsewhere)
    #expect(checked.status == 0, "\(checked.stderr)")
    #expect(checked.stdout.hasPrefix("mediabank-19-000001: intact, signed by \(shown["keyId"]!)\n"))
    let unknown = try cli("verify-bundle", bag, "--bank", elsewhere)
    #expect(unknown.status == 1 && unknown.stderr.contains(shown["keyId"]!))

    // One byte changed in a content object.
    let objects = scratch.files(under: "usb/mediabank-19-000001/data/objects/sha256")
    let object = bag + "/data/objects/sha256/" + objects[0]
    var bytes = try Data(contentsOf: URL(fileURLWithPath: object))
    bytes[bytes.count / 2] ^= 0xFF
    try FileManager.default.removeItem(atPath: object)
    try bytes.write(to: URL(fileURLWithPath: object))
    let tampered = try cli("verify-bundle", bag, "--public-key", publicKey, "--bank", elsewhere)
    #expect(tampered.status == 1 && tampered.stderr.contains(objects[0]), "\(tampered.stderr)")
    #expect(try bagit(bag).status != 0)
  }

  @Test("--max-size splits a bundle into bags of one group, each valid alone and within the size")
  func split() throws {
    #expect(try cli("add", CLI.photo("gps-southwest.jpg"), CLI.photo("iptc-utf8.jpg"), "--bank", bank).status == 0)
    let tooSmall = try cli("export", "--max-size", "16K", "--out", usb, "--bank", bank)
    #expect(
      tooSmall.status == 2 && tooSmall.stderr.contains("more than --max-size (16384 bytes)"), "\(tooSmall.stderr)")
    #expect(try cli("export", "--max-size", "1", "--out", usb, "--bank", bank).status == 64)

    let output = try cli("export", "--max-size", "30K", "--json", "--out", usb, "--bank", bank)
    #expect(output.status == 0, "\(output.stderr)")
    let bags = try #require(try output.json() as? [[String: Any]])
    #expect(bags.count >= 2)
    #expect(bags.map { $0["sequence"] as? Int } == Array(1...bags.count).map { $0 })
    #expect(bags.reduce(0) { $0 + ($1["upserts"] as? Int ?? 0) } == 4)
    for (index, bag) in bags.enumerated() {
      let path = try #require(bag["path"] as? String)
      let info = try String(contentsOfFile: path + "/bag-info.txt", encoding: .utf8)
      #expect(info.contains("\nBag-Group-Identifier: mediabank-19-000001\n"))
      #expect(info.contains("\nBag-Count: \(index + 1) of \(bags.count)\n"))
      let oxum = try #require(info.split(separator: "\n").first { $0.hasPrefix("Payload-Oxum: ") })
      let octets = try #require(Int(oxum.dropFirst("Payload-Oxum: ".count).split(separator: ".")[0]))
      #expect(octets <= 30 * 1024)
      #expect(try cli("verify-bundle", path, "--bank", bank).status == 0)
      #expect(try bagit(path).status == 0)
    }
  }

  @Test("a bank without a province cannot export; a bad destination is refused")
  func refusals() throws {
    let anonymous = scratch.appending("anonymous")
    #expect(try cli("add", CLI.photo("scan.png"), "--bank", anonymous).status == 0)
    let output = try cli("export", "--out", usb, "--bank", anonymous)
    #expect(output.status == 2 && output.stderr.contains("this bank has no province"))
    let bad = try cli("export", "--to", "National!", "--out", usb, "--bank", bank)
    #expect(bad.status == 2 && bad.stderr.contains("'National!' is not a destination name"))
    #expect(!FileManager.default.fileExists(atPath: usb))
  }
}

/// Runs a program to completion.
enum StorageRun {
  static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardError = pipe
    try process.run()
    let stderr = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, stderr)
  }
}
