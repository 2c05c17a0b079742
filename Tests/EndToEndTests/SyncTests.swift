import Foundation
import Testing

/// A province and the national bank exchanging bundles and receipts, as the ministry will run them.
@Suite struct SyncTests {
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
    let created = try cli("init", "--bank", national, "--national", "--name", "Cục TTCS & TTĐN")
    #expect(created.status == 0 && created.stdout.contains("(national bank)"), "\(created.stderr)")
    // Each registers the other's key.
    #expect(
      try cli("trust", "add", "--bank", "19", "--public-key", province + "/keys/bank.pub", "--bank-path", national)
        .status == 0)
    #expect(
      try cli(
        "trust", "add", "--bank", "national", "--public-key", national + "/keys/bank.pub", "--bank-path", province
      )
      .status == 0)
  }

  func json(_ arguments: String...) throws -> Any {
    let output = try cli.run(arguments)
    // `list` exits 1 when nothing matched (an empty array).
    let empty = (try? output.json() as? [Any])?.isEmpty == true && arguments.first == "list"
    #expect(output.status == (empty ? 1 : 0), "\(arguments.joined(separator: " ")): \(output.stderr)")
    return try output.json()
  }

  /// Exports `bank`'s next bundle to `folder`; its JSON description.
  func exported(_ bank: String, to folder: String) throws -> [String: Any]? {
    (try json("export", "--out", folder, "--json", "--bank", bank) as? [[String: Any]])?.first
  }

  /// The ids and operations of a bag directory's record lines.
  func lines(_ bag: String) throws -> [String] {
    try String(contentsOfFile: bag + "/data/records.jsonl", encoding: .utf8).split(separator: "\n").map {
      let line = try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
      return "\(line["op"]!) \(line["id"]!)"
    }
  }

  func bagitValidates(_ bag: String) throws -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-m", "bagit", "--validate", bag]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus == 0
  }

  /// What the national bank shows: every contributed record as `source id`, sorted.
  func nationalView() throws -> [String] {
    let records = try #require(try json("list", "--json", "--bank", national) as? [[String: Any]])
    return records.map { "\($0["sourceBank"]!) \($0["id"]!)" }.sorted()
  }

  @Test("export, verify, receive, receipt, edit, retract, add, export again: exactly the changes travel")
  func roundTrip() throws {
    #expect(try cli("add", CLI.photo("nui-coc-vi-en.jpg"), CLI.photo("scan.png"), "--bank", province).status == 0)
    let first = try #require(try exported(province, to: usb))
    let bag1 = try #require(first["path"] as? String)
    #expect(try cli("verify-bundle", bag1, "--public-key", province + "/keys/bank.pub").status == 0)

    let received = try cli("receive", bag1, "--json", "--bank", national)
    #expect(received.status == 0, "\(received.stderr)")
    let outcome = try #require(try received.json() as? [String: Any])
    #expect(outcome["accepted"] as? Int == 2 && outcome["newObjects"] as? Int == 4)
    let receipt = try #require(outcome["receiptPath"] as? String)
    #expect(receipt == usb + "/receipt-19-000001.json")
    let ids = try #require(try json("list", "--json", "--bank", province) as? [[String: Any]]).compactMap {
      $0["id"] as? String
    }
    #expect(try nationalView() == ids.map { "19 \($0)" }.sorted())
    // Kept as the province said it: the national record is the province's record.
    let shown = try #require(try json("show", ids[0], "--json", "--bank", province) as? [String: Any])
    let kept = try #require(try json("list", "--json", "--source-bank", "19", "--bank", national) as? [[String: Any]])
    let mine = try #require(kept.first { $0["id"] as? String == ids[0] })
    #expect((mine["title"] as? [String: String]) == (shown["title"] as? [String: String]))
    #expect(try cli("verify", "--bank", national).status == 0)

    // The province applies the receipt: its content is held, nothing waits.
    let applied = try cli("receipt", "apply", receipt, "--bank", province)
    #expect(applied.status == 0 && applied.stdout.contains("2 records accepted, 0 rejected, 4 objects held"))
    let status = try #require(try json("sync-status", "--json", "--bank", province) as? [String: Any])
    let destination = try #require((status["destinations"] as? [[String: Any]])?.first)
    #expect(destination["name"] as? String == "national" && destination["heldObjects"] as? Int == 4)
    #expect(
      (destination["awaitingReceipt"] as? [String])?.isEmpty == true && destination["pendingRecords"] as? Int == 0)

    // A tag edit, a retraction, a new photo.
    #expect(try cli("tag", ids[0], "--pillar", "tourism-landscape", "--bank", province).status == 0)
    #expect(try cli("retract", ids[1], "--reason", "rights withdrawn", "--bank", province).status == 0)
    #expect(try cli("add", CLI.photo("gps-southwest.jpg"), "--bank", province).status == 0)
    let added = try #require(
      (try json("list", "--json", "--bank", province) as? [[String: Any]])?.last?["id"] as? String)
    let second = try #require(try exported(province, to: usb))
    let bag2 = try #require(second["path"] as? String)
    #expect(try lines(bag2) == ["upsert \(ids[0])", "retract \(ids[1])", "upsert \(added)"])
    // Only the new photo's content (its original and preview): the rest is held.
    let objects = scratch.files(under: "usb/mediabank-19-000002/data/objects/sha256")
    #expect(objects.count == 2 && objects.contains(String(added.dropFirst(7))))

    #expect(try cli("receive", bag2, "--bank", national).status == 0)
    #expect(try nationalView() == ["19 \(ids[0])", "19 \(added)"].sorted())
    let edited = try #require(
      (try json("list", "--json", "--pillar", "tourism-landscape", "--bank", national) as? [[String: Any]])?.first)
    #expect(edited["id"] as? String == ids[0])
    #expect(try bagitValidates(bag1) && bagitValidates(bag2))

    // The ministry's report.
    let year = String(Calendar(identifier: .gregorian).component(.year, from: Date()))
    let report = try #require(
      try json("report", "--national", "--year", year, "--format", "json", "--bank", national) as? [String: Any])
    let row = try #require((report["provinces"] as? [[String: Any]])?.first)
    #expect(row["code"] as? String == "19" && row["assets"] as? Int == 2 && row["bundles"] as? Int == 2)
    #expect((row["pillars"] as? [String: Int])?["tourism-landscape"] == 1)
    #expect((row["kinds"] as? [String: Int])?["photo"] == 2)
    // The yearly report of one province's contribution, filtered by source bank.
    let contribution = try #require(
      try json("report", "--source-bank", "19", "--year", year, "--format", "json", "--bank", national)
        as? [String: Any])
    #expect(contribution["total"] as? Int == 2 && contribution["province"] as? String == "19")
    let pillarRows = contribution["pillars"] as? [[String: Any]] ?? []
    #expect(pillarRows.contains { $0["key"] as? String == "tourism-landscape" && $0["total"] as? Int == 1 })
    let markdown = try cli("report", "--national", "--year", year, "--bank", national).stdout
    #expect(markdown.contains("| 19 Tỉnh Thái Nguyên | 2 | 2 | 1 | 2 |"))
  }

  @Test("the same content from two provinces is stored once with both records; a retraction touches one")
  func twoProvinces() throws {
    let other = scratch.appending("da-nang")
    #expect(try cli("init", "--bank", other, "--province", "48").status == 0)
    #expect(
      try cli("trust", "add", "--bank", "48", "--public-key", other + "/keys/bank.pub", "--bank-path", national)
        .status == 0)
    #expect(
      try cli("add", CLI.photo("scan.png"), "--title", "Ruộng bậc thang", "--lang", "vi", "--bank", province).status
        == 0)
    #expect(
      try cli("add", CLI.photo("scan.png"), "--title", "Terraced fields", "--lang", "en", "--bank", other).status == 0)
    for bank in [province, other] {
      let bundle = try #require(try exported(bank, to: usb))
      #expect(try cli("receive", bundle["path"] as! String, "--bank", national).status == 0)
    }
    let records = try #require(try json("list", "--json", "--bank", national) as? [[String: Any]])
    #expect(records.count == 2 && Set(records.compactMap { $0["id"] as? String }).count == 1)
    let titles = Dictionary(
      uniqueKeysWithValues: records.map { ($0["sourceBank"] as! String, ($0["title"] as? [String: String]) ?? [:]) })
    // Not merged: each province's title is in its own record only.
    #expect(titles["19"]?["vi"] == "Ruộng bậc thang" && titles["19"]?["en"] != "Terraced fields")
    #expect(titles["48"]?["en"] == "Terraced fields" && titles["48"]?["vi"] != "Ruộng bậc thang")
    let verify = try cli("verify", "--bank", national)
    #expect(verify.status == 0 && verify.stdout.hasPrefix("Checked 2 objects"))

    let id = try #require(records.first?["id"] as? String)
    #expect(try cli("retract", id, "--reason", "duplicate", "--bank", other).status == 0)
    let retraction = try #require(try exported(other, to: usb))
    #expect(try cli("receive", retraction["path"] as! String, "--bank", national).status == 0)
    #expect(try nationalView() == ["19 \(id)"])
  }

  @Test("refused bundles change nothing: untrusted, wrong key, gap, tampered; a replay applies nothing")
  func refusals() throws {
    #expect(try cli("add", CLI.photo("scan.png"), "--bank", province).status == 0)
    let bag1 = try #require(
      (try exported(province, to: usb))?["path"] as? String)
    #expect(try cli("add", CLI.photo("gps-southwest.jpg"), "--bank", province).status == 0)
    let bag2 = try #require(
      (try exported(province, to: usb))?["path"] as? String)

    func refused(_ bag: String, _ message: String, bank: String? = nil) throws {
      let output = try cli("receive", bag, "--bank", bank ?? national)
      #expect(output.status == 2 && output.stderr.contains(message), "\(output.stderr)")
    }
    // A gap: bundle 2 before bundle 1.
    try refused(bag2, "gap: bundle 1 from 19 has not been received")
    #expect(try nationalView().isEmpty)
    // Signed by another bank's key while claiming to be province 19.
    let impostor = scratch.appending("impostor")
    #expect(try cli("init", "--bank", impostor, "--province", "19").status == 0)
    #expect(try cli("add", CLI.photo("scan.png"), "--bank", impostor).status == 0)
    let forged = try #require(
      (try exported(impostor, to: scratch.appending("forged")))?[
        "path"]
        as? String)
    try refused(forged, "is not the registered key of any bank")
    // A bank that trusts nobody.
    let lonely = scratch.appending("lonely")
    #expect(try cli("init", "--bank", lonely, "--national").status == 0)
    try refused(bag1, "is not the registered key of any bank", bank: lonely)
    // Only the national bank receives.
    try refused(bag1, "only the national bank receives bundles", bank: province)
    // A tampered record line.
    let tampered = scratch.appending("tampered")
    try FileManager.default.createDirectory(atPath: tampered, withIntermediateDirectories: true)
    let copy = tampered + "/mediabank-19-000001"
    try FileManager.default.copyItem(atPath: bag1, toPath: copy)
    var text = try String(contentsOfFile: copy + "/data/records.jsonl", encoding: .utf8)
    text = text.replacingOccurrences(of: "\"kind\":\"photo\"", with: "\"kind\":\"video\"")
    try FileManager.default.removeItem(atPath: copy + "/data/records.jsonl")
    try text.write(toFile: copy + "/data/records.jsonl", atomically: false, encoding: .utf8)
    try refused(copy, "data/records.jsonl")
    #expect(try nationalView().isEmpty)
    #expect(try cli("verify", "--bank", national).stdout.hasPrefix("Checked 0 objects"))

    // In order, both apply; a replay applies nothing and is answered with the stored receipt.
    #expect(try cli("receive", bag1, "--bank", national).status == 0)
    let replay = try cli("receive", bag1, "--bank", national)
    #expect(replay.status == 0 && replay.stdout.contains("was already received on"), "\(replay.stderr)")
    #expect(try nationalView().count == 1)
    #expect(try cli("receive", bag2, "--bank", national).status == 0)
    #expect(try nationalView().count == 2)
  }

  @Test("hostile bundles signed by a trusted province are refused and leave the national bank unchanged")
  func hostileBundles() throws {
    #expect(try cli("add", CLI.photo("scan.png"), "--bank", province).status == 0)
    let bag = try #require(try exported(province, to: usb)?["path"] as? String)
    let objectsBefore = scratch.files(under: "national/objects")

    /// A copy of the bag, named as the bundle, changed by `change`.
    func hostile(_ name: String, _ change: (String) throws -> Void) throws -> String {
      let folder = scratch.appending("hostile-\(name)")
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let copy = folder + "/mediabank-19-000001"
      try FileManager.default.copyItem(atPath: bag, toPath: copy)
      try change(copy)
      return copy
    }
    let cases: [(String, String, (String) throws -> Void)] = [
      (
        "symlink", "symbolic link",
        { try FileManager.default.createSymbolicLink(atPath: $0 + "/data/link", withDestinationPath: "/etc/passwd") }
      ),
      (
        "extra", "data/extra",
        { _ = FileManager.default.createFile(atPath: $0 + "/data/extra", contents: Data("x".utf8)) }
      ),
      (
        "object", "hash mismatch",
        { copy in
          let objects = copy + "/data/objects/sha256"
          let name = try #require(try FileManager.default.contentsOfDirectory(atPath: objects).first)
          var bytes = try Data(contentsOf: URL(fileURLWithPath: objects + "/" + name))
          bytes[0] ^= 1
          try FileManager.default.removeItem(atPath: objects + "/" + name)
          try bytes.write(to: URL(fileURLWithPath: objects + "/" + name))
        }
      ),
      (
        "bag-info", "tagmanifest",
        { copy in
          let info = try String(contentsOfFile: copy + "/bag-info.txt", encoding: .utf8)
          try FileManager.default.removeItem(atPath: copy + "/bag-info.txt")
          try info.replacingOccurrences(of: "MediaBank-Sequence: 1", with: "MediaBank-Sequence: 1 ")
            .write(toFile: copy + "/bag-info.txt", atomically: false, encoding: .utf8)
        }
      ),
      (
        "signature", "mediabank-signature.txt",
        { try FileManager.default.removeItem(atPath: $0 + "/mediabank-signature.txt") }
      ),
    ]
    for (name, reason, change) in cases {
      let output = try cli("receive", try hostile(name, change), "--bank", national)
      #expect(output.status == 2 && output.stderr.contains(reason), "\(name): \(output.stderr)")
    }
    // A tar whose entry climbs out of its folder.
    let tar = scratch.appending("traversal.tar")
    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    python.arguments = [
      "python3", "-c",
      "import io, sys, tarfile\nwith tarfile.open(sys.argv[1], 'w', format=tarfile.USTAR_FORMAT) as t:\n"
        + "  t.add(sys.argv[2], arcname='mediabank-19-000001')\n"
        + "  i = tarfile.TarInfo('mediabank-19-000001/../../escaped'); i.size = 1\n"
        + "  t.addfile(i, io.BytesIO(b'x'))",
      tar, bag,
    ]
    try python.run()
    python.waitUntilExit()
    #expect(python.terminationStatus == 0)
    let traversal = try cli("receive", tar, "--bank", national)
    #expect(traversal.status == 2 && traversal.stderr.contains(".."), "\(traversal.stderr)")
    #expect(!FileManager.default.fileExists(atPath: scratch.appending("escaped")))

    // Nothing of any of them is visible, and no object or temporary file was left.
    #expect(try nationalView().isEmpty)
    #expect(scratch.files(under: "national/objects") == objectsBefore)
    #expect(try cli("receive", bag, "--bank", national).status == 0)
  }

  @Test("a receipt is applied only when the national bank's key signed it and it is for this bank")
  func receiptRefusals() throws {
    #expect(try cli("add", CLI.photo("scan.png"), "--bank", province).status == 0)
    let bag = try #require(try exported(province, to: usb)?["path"] as? String)
    #expect(try cli("receive", bag, "--bank", national).status == 0)
    let receipt = usb + "/receipt-19-000001.json"

    // One character of the body changed: the signature no longer verifies.
    let tampered = scratch.appending("tampered-receipt.json")
    let text = try String(contentsOfFile: receipt, encoding: .utf8)
    try text.replacingOccurrences(of: "\\\"sequence\\\":1", with: "\\\"sequence\\\":2")
      .write(toFile: tampered, atomically: false, encoding: .utf8)
    let forged = try cli("receipt", "apply", tampered, "--bank", province)
    #expect(forged.status == 2 && forged.stderr.contains("the signature does not verify with the key of bank national"))

    // Another province's bank that trusts the national bank: not its receipt.
    let other = scratch.appending("other")
    #expect(try cli("init", "--bank", other, "--province", "48").status == 0)
    #expect(
      try cli("trust", "add", "--bank", "national", "--public-key", national + "/keys/bank.pub", "--bank-path", other)
        .status == 0)
    let elsewhere = try cli("receipt", "apply", receipt, "--bank", other)
    #expect(elsewhere.status == 2 && elsewhere.stderr.contains("this receipt is for bank 19, not this one"))
    // A key already trusted is not replaced by another.
    let replaced = try cli(
      "trust", "add", "--bank", "national", "--public-key", province + "/keys/bank.pub", "--bank-path", other)
    #expect(replaced.status == 2 && replaced.stderr.contains("bank national is already trusted with another key"))
    // The real one applies, and applying it again changes nothing.
    #expect(try cli("receipt", "apply", receipt, "--bank", province).status == 0)
    #expect(try cli("receipt", "apply", receipt, "--bank", province).status == 0)
  }
}
