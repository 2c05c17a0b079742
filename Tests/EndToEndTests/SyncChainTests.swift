import Foundation
import Testing

/// Sequences users ran that broke the exchange between a province and the national bank, each
/// run again end to end through the CLI (issue 13, sync rules 1 to 4).
@Suite struct SyncChainTests {
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
    #expect(try trust("19", key: province + "/keys/bank.pub", in: national).status == 0)
    #expect(try trust("national", key: national + "/keys/bank.pub", in: province).status == 0)
  }

  func trust(_ bank: String, key: String, in path: String) throws -> CLI.Output {
    try cli("trust", "add", "--bank", bank, "--public-key", key, "--bank-path", path)
  }

  /// Exports `bank`'s next bundle (`extra` options added) to `usb`; the bag's path.
  func export(_ bank: String, _ extra: String...) throws -> String {
    let output = try cli.run(["export", "--out", usb, "--json", "--bank", bank] + extra)
    #expect(output.status == 0, "\(output.stderr)")
    let bundles = try #require(try output.json() as? [[String: Any]])
    return try #require(bundles.first?["path"] as? String)
  }

  /// The destination's part of `sync-status --json` on the province.
  func destination() throws -> [String: Any] {
    let status = try #require(try cli("sync-status", "--json", "--bank", province).json() as? [String: Any])
    let destinations = try #require(status["destinations"] as? [[String: Any]])
    return try #require(destinations.first)
  }

  @Test("rule 1: a receipt is stored with the bundle, written again on demand, and never lost")
  func receiptNeverLost() throws {
    #expect(try cli("add", CLI.photo("scan.png"), "--bank", province).status == 0)
    let bag1 = try export(province)

    // A folder that does not exist is created.
    let outbox = scratch.appending("outbox")
    let first = try cli("receive", bag1, "--receipt-out", outbox + "/", "--bank", national)
    #expect(first.status == 0, "\(first.stderr)")
    let written = outbox + "/receipt-19-000001.json"
    #expect(first.stdout.contains("Receipt: \(written)"))
    let original = try Data(contentsOf: URL(fileURLWithPath: written))

    // Received again: nothing applied, answered with the stored receipt, exit 0.
    let again = try cli("receive", bag1, "--receipt-out", scratch.appending("again/r.json"), "--bank", national)
    #expect(again.status == 0 && again.stdout.contains("was already received on"), "\(again.stderr)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.appending("again/r.json"))) == original)

    // A receipt that cannot be written: the bundle is applied all the same, exit 3, and the
    // message says how to write it.
    #expect(try cli("add", CLI.photo("gps-southwest.jpg"), "--bank", province).status == 0)
    let bag2 = try export(province)
    let blocker = scratch.appending("not-a-folder")
    try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
    let failed = try cli("receive", bag2, "--receipt-out", blocker + "/receipts", "--bank", national)
    #expect(failed.status == 3, "\(failed.stderr)")
    #expect(failed.stderr.contains("bundle applied; receipt not written: "), "\(failed.stderr)")
    #expect(failed.stderr.contains("mediabank receipt export 19 2 --out PATH"), "\(failed.stderr)")
    let listed = try #require(try cli("list", "--json", "--bank", national).json() as? [[String: Any]])
    #expect(listed.count == 2)

    // The stored receipt, written again, applies at the province: nothing awaits a receipt.
    let exported = try cli("receipt", "export", "19", "2", "--out", scratch.appending("receipts"), "--bank", national)
    #expect(exported.status == 0, "\(exported.stderr)")
    let receipt2 = scratch.appending("receipts/receipt-19-000002.json")
    #expect(try cli("receipt", "apply", written, "--bank", province).status == 0)
    #expect(try cli("receipt", "apply", receipt2, "--bank", province).status == 0)
    #expect((try destination()["awaitingReceipt"] as? [String]) == [])
    // A bundle never received has no receipt.
    let missing = try cli("receipt", "export", "19", "9", "--bank", national)
    #expect(missing.status == 2 && missing.stderr.contains("no bundle 9 from 19 was received here"))
  }

  @Test("rule 2: verify-bundle in a bank uses the keys that bank trusts, as receive does")
  func verifyUsesTrustedKeys() throws {
    #expect(try cli("add", CLI.photo("scan.png"), "--bank", province).status == 0)
    let bag = try export(province)
    let checked = try cli("verify-bundle", bag, "--bank", national)
    #expect(checked.status == 0 && checked.stdout.contains("intact, signed by"), "\(checked.stderr)")
    // A bank that trusts nobody cannot tell who signed it.
    let lonely = scratch.appending("lonely")
    #expect(try cli("init", "--bank", lonely, "--national").status == 0)
    let unknown = try cli("verify-bundle", bag, "--bank", lonely)
    #expect(unknown.status == 1 && unknown.stderr.contains("not the registered key of any bank"))
    // A bundle signed by the key of another trusted bank while claiming to come from 19 is
    // refused by both, with the same reason.
    let impostor = scratch.appending("impostor")
    #expect(try cli("init", "--bank", impostor, "--province", "19").status == 0)
    #expect(try trust("08", key: impostor + "/keys/bank.pub", in: national).status == 0)
    #expect(try cli("add", CLI.photo("scan.png"), "--bank", impostor).status == 0)
    let forged = try export(impostor, "--out", scratch.appending("forged"))
    let verify = try cli("verify-bundle", forged, "--bank", national)
    let receive = try cli("receive", forged, "--bank", national)
    let reason = "the key of bank 08, but the bundle says it comes from bank 19"
    #expect(verify.status == 1 && verify.stderr.contains(reason), "\(verify.stderr)")
    #expect(receive.status == 2 && receive.stderr.contains(reason), "\(receive.stderr)")
  }

  @Test("rule 3: trust takes only today's provinces and national, one key per bank, and can be removed")
  func trustChecked() throws {
    let key = province + "/keys/bank.pub"
    let unknown = try trust("99", key: key, in: national)
    #expect(unknown.status == 2 && unknown.stderr.contains("'99' is not a bank"), "\(unknown.stderr)")
    let former = try trust("06", key: key, in: national)
    #expect(
      former.status == 2 && former.stderr.contains("06 is former Bắc Kạn, now part of 19 Thái Nguyên"),
      "\(former.stderr)")
    let taken = try trust("08", key: key, in: national)
    #expect(taken.status == 2 && taken.stderr.contains("already registered for bank 19"), "\(taken.stderr)")
    let own = try trust("08", key: national + "/keys/bank.pub", in: national)
    #expect(own.status == 2 && own.stderr.contains("this bank's own key"), "\(own.stderr)")
    // `init --province` takes the same codes.
    let formerInit = try cli("init", "--bank", scratch.appending("old"), "--province", "06")
    #expect(formerInit.status == 2 && formerInit.stderr.contains("now part of 19 Thái Nguyên"))

    let keyId = try #require(try cli("key", "show", "--json", "--bank", province).json() as? [String: Any])["keyId"]
    let listed = try cli("trust", "list", "--bank", national)
    #expect(listed.stdout.contains("19        \(keyId!)  since "), "\(listed.stdout)")

    #expect(try cli("add", CLI.photo("scan.png"), "--bank", province).status == 0)
    let bag = try export(province)
    let removed = try cli("trust", "remove", "--bank", "19", "--bank-path", national)
    #expect(removed.status == 0 && removed.stdout.contains("no longer trusted: 19"), "\(removed.stderr)")
    let refused = try cli("receive", bag, "--bank", national)
    #expect(refused.status == 2 && refused.stderr.contains("not the registered key"), "\(refused.stderr)")
    let again = try cli("trust", "remove", "--bank", "19", "--bank-path", national)
    #expect(again.status == 2 && again.stderr.contains("bank 19 is not trusted here"))
  }

  @Test("rule 3: key rotate; the next bundle carries it; the old key is refused from then on")
  func keyRotation() throws {
    #expect(try cli("add", CLI.photo("scan.png"), "--bank", province).status == 0)
    let bag1 = try export(province)  // Signed by the old key, received after the rotation.
    let before = try #require(try cli("key", "show", "--json", "--bank", province).json() as? [String: Any])
    // A copy of the province as it was: it still holds the old key.
    let stale = scratch.appending("stale")
    try FileManager.default.copyItem(atPath: province, toPath: stale)

    let rotated = try cli("key", "rotate", "--json", "--bank", province)
    #expect(rotated.status == 0, "\(rotated.stderr)")
    let rotation = try #require(try rotated.json() as? [String: Any])
    #expect(rotation["oldKeyId"] as? String == before["keyId"] as? String)
    let newKeyId = try #require(rotation["newKeyId"] as? String)
    let after = try #require(try cli("key", "show", "--json", "--bank", province).json() as? [String: Any])
    #expect(after["keyId"] as? String == newKeyId)
    #expect(!FileManager.default.fileExists(atPath: province + "/keys/signing-key.rotating"))

    #expect(try cli("add", CLI.photo("gps-southwest.jpg"), "--bank", province).status == 0)
    let bag2 = try export(province)
    let statement = try String(contentsOfFile: bag2 + "/mediabank-key-rotation.txt", encoding: .utf8)
    #expect(statement.contains("New-Key-Id: \(newKeyId)\n"))
    #expect(try String(contentsOfFile: bag2 + "/bag-info.txt", encoding: .utf8).contains("MediaBank-Format-Version: 3"))
    #expect(try cli("receive", bag1, "--bank", national).status == 0)
    let verified = try cli("verify-bundle", bag2, "--bank", national)
    #expect(verified.status == 0 && verified.stdout.contains("key rotation: "), "\(verified.stderr)")
    let received = try cli("receive", bag2, "--bank", national)
    #expect(received.status == 0, "\(received.stderr)")
    let trusted = try #require(try cli("trust", "list", "--json", "--bank", national).json() as? [[String: Any]])
    let nineteen = try #require(trusted.first { $0["bank"] as? String == "19" })
    #expect(nineteen["keyId"] as? String == newKeyId)
    #expect((nineteen["rotations"] as? [[String: Any]])?.first?["bundle"] as? String == "mediabank-19-000002")
    #expect(try cli("trust", "list", "--bank", national).stdout.contains("rotated from \(before["keyId"]!)"))

    // The stale copy signs with the old key: refused, naming the rotation.
    #expect(try cli("add", CLI.photo("nui-coc-vi-en.jpg"), "--bank", stale).status == 0)
    let old = try export(stale, "--out", scratch.appending("stale-usb"))
    let refused = try cli("receive", old, "--bank", national)
    #expect(
      refused.status == 2 && refused.stderr.contains("the key bank 19 replaced with \(newKeyId)"), "\(refused.stderr)")
    // The next bundle of the province still carries the statement and is received.
    #expect(try cli("add", CLI.photo("nui-coc-vi-en.jpg"), "--bank", province).status == 0)
    #expect(try cli("receive", try export(province), "--bank", national).status == 0)
  }

  @Test("rule 4: a full bundle is a member of the chain; what the national bank holds is unchanged")
  func fullBundleInChain() throws {
    #expect(try cli("add", CLI.photo("scan.png"), CLI.photo("gps-southwest.jpg"), "--bank", province).status == 0)
    let receipts = scratch.appending("receipts")
    #expect(try cli("receive", try export(province), "--receipt-out", receipts, "--bank", national).status == 0)
    #expect(try cli("receipt", "apply", receipts + "/receipt-19-000001.json", "--bank", province).status == 0)
    // A full export is bundle 2; an incremental one after it is bundle 3.
    let full = try export(province, "--full")
    #expect(try cli("edit", "--bank", province, "--title", "Đồi chè", "--lang", "vi", try firstId()).status == 0)
    let incremental = try export(province)
    let gap = try cli("receive", incremental, "--bank", national)
    #expect(gap.status == 2 && gap.stderr.contains("gap: bundle 2 from 19 has not been received"))
    // Delivered in order: the full bundle's records are unchanged, not rejected.
    let received = try cli("receive", full, "--json", "--receipt-out", receipts, "--bank", national)
    #expect(received.status == 0, "\(received.stderr)")
    let outcome = try #require(try received.json() as? [String: Any])
    #expect(outcome["unchanged"] as? Int == 2 && (outcome["rejected"] as? [Any])?.isEmpty == true)
    #expect(try cli("receive", incremental, "--receipt-out", receipts, "--bank", national).status == 0)
    for sequence in ["000002", "000003"] {
      let applied = try cli("receipt", "apply", receipts + "/receipt-19-\(sequence).json", "--bank", province)
      #expect(applied.status == 0, "\(applied.stderr)")
    }
    let status = try destination()
    #expect((status["rejected"] as? [Any])?.isEmpty == true && (status["awaitingReceipt"] as? [String]) == [])
    let text = try cli("sync-status", "--bank", province).stdout
    #expect(!text.contains("rejected"), "\(text)")
  }

  func firstId() throws -> String {
    try #require(try cli("list", "--ids", "--bank", province).stdout.split(separator: "\n").first.map(String.init))
  }
}
