import BlobStore
import Catalog
import Crypto
import Foundation
import SyncBundle
import Testing

@testable import MediaBank

/// Deletions travelling in bundles (`Storage/sync-bundle.md`, the `delete` operation): what a
/// province's bundles carry once it deleted an asset it had sent, and what the national bank does
/// with them.
@Suite struct DeletionSyncTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("deletion-sync-\(UUID())")
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures")

  static func photo(_ name: String) -> String { fixtures.appendingPathComponent("photos/\(name)").path }

  /// A province bank (`code`) whose key the national bank trusts.
  func province(_ code: String, national: Library) throws -> Library {
    let bank = try Library.open(at: root.appendingPathComponent(code), create: true)
    try bank.initialize(province: code, name: nil)
    try national.trust(bank: code, publicKeyFile: root.appendingPathComponent("\(code)/keys/bank.pub").path)
    try bank.trust(bank: "national", publicKeyFile: root.appendingPathComponent("national/keys/bank.pub").path)
    return bank
  }

  func nationalBank() throws -> Library {
    let bank = try Library.open(at: root.appendingPathComponent("national"), create: true)
    try bank.initialize(province: nil, name: nil, national: true)
    return bank
  }

  /// Deletes assets as `mediabank delete` does.
  func delete(_ ids: [String], in bank: Library, reason: String = "personal data") throws {
    _ = try bank.delete(ids, reason: reason, operatorName: "tester")
  }

  /// Sends `bank`'s next bundle to the national bank and applies its receipt.
  @discardableResult
  func sync(_ bank: Library, to national: Library) throws -> ReceiveResult {
    let bundle = try #require(try export(bank).first)
    let received = try national.receive(bundle.path)
    try bank.applyReceipt(try #require(received.receiptPath))
    return received
  }

  /// The national bank's records of province `source`, by id.
  func contributed(_ national: Library, _ source: String) throws -> [String] {
    try national.assets(matching: AssetFilter(sourceBank: source)).map(\.id)
  }

  @Test("deleted, added again with --allow-deleted, deleted again: the national bank is told the second time too")
  func deleteRestoreDelete() throws {
    let national = try nationalBank()
    let thaiNguyen = try province("19", national: national)
    let id = try thaiNguyen.add(Self.photo("scan.png")).id
    try sync(thaiNguyen, to: national)
    try delete([id], in: thaiNguyen)
    var options = AddOptions()
    options.allowDeleted = true
    _ = try thaiNguyen.add(Self.photo("scan.png"), options: options)
    // The deletion was never sent, and the content is back: nothing to tell yet but the record.
    let deleted = try thaiNguyen.delete([id], reason: "really personal data")
    #expect(deleted.first?.destinations == ["national"])
    let bundle = try #require(try export(thaiNguyen).first)
    #expect(try lines(bundle) == ["delete \(id)"])
    _ = try national.receive(bundle.path)
    #expect(try contributed(national, "19").isEmpty)
  }

  @Test("a province's retracted record keeps the content another province's deletion would purge")
  func retractedRecordKeepsContent() throws {
    let national = try nationalBank()
    let thaiNguyen = try province("19", national: national)
    let daNang = try province("48", national: national)
    let id = try thaiNguyen.add(Self.photo("scan.png")).id
    _ = try daNang.add(Self.photo("scan.png"))
    try sync(thaiNguyen, to: national)
    try sync(daNang, to: national)
    _ = try thaiNguyen.retract([id], reason: "rights unclear")
    try sync(thaiNguyen, to: national)
    try delete([id], in: daNang)
    try sync(daNang, to: national)
    #expect(stored(national, id), "province 19 may share it again and counts on the copy")
    _ = try thaiNguyen.unretract([id])
    // The preview was only named by 48's record, so it went; 19's record is refused for want of
    // it, and the next bundle brings it.
    let refused = try sync(thaiNguyen, to: national)
    #expect(refused.rejected.map(\.id) == [id])
    #expect(refused.rejected.first?.reason.hasSuffix("is neither in the bundle nor held here") == true)
    let received = try sync(thaiNguyen, to: national)
    #expect(received.rejected.isEmpty && received.accepted == 1)
    #expect(try contributed(national, "19") == [id])
    #expect(try national.verify().problems.isEmpty)
  }

  @Test("a receipt applied after the asset was deleted and added again does not count on the deleted content")
  func lateReceiptAfterRestore() throws {
    let national = try nationalBank()
    let thaiNguyen = try province("19", national: national)
    let id = try thaiNguyen.add(Self.photo("scan.png")).id
    let first = try #require(try export(thaiNguyen).first)
    try delete([id], in: thaiNguyen)
    let second = try #require(try export(thaiNguyen).first)
    var options = AddOptions()
    options.allowDeleted = true
    _ = try thaiNguyen.add(Self.photo("scan.png"), options: options)
    // The national bank receives both; the province applies the first receipt only now.
    let firstReceived = try national.receive(first.path)
    let secondReceived = try national.receive(second.path)
    #expect(!stored(national, id))
    try thaiNguyen.applyReceipt(try #require(firstReceived.receiptPath))
    try thaiNguyen.applyReceipt(try #require(secondReceived.receiptPath))
    #expect(try !thaiNguyen.catalog.heldObjects(destination: "national").contains(id))
    let third = try #require(try export(thaiNguyen).first)
    #expect(third.objects == 2)
    let received = try national.receive(third.path)
    #expect(received.rejected.isEmpty && stored(national, id))
    #expect(try contributed(national, "19") == [id])
  }

  /// Exports `bank`'s next bundle(s) into `usb`.
  func export(_ bank: Library, _ options: ExportOptions? = nil) throws -> [ExportResult] {
    try bank.export(options ?? ExportOptions(output: root.appendingPathComponent("usb").path))
  }

  /// The operations and ids of a bag's record lines.
  func lines(_ result: ExportResult) throws -> [String] {
    try String(contentsOfFile: result.path + "/data/records.jsonl", encoding: .utf8).split(separator: "\n").map {
      let line = try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
      return "\(line["op"]!) \(line["id"]!)"
    }
  }

  func stored(_ bank: Library, _ object: String?) -> Bool {
    guard let object, let id = BlobID(object) else { return false }
    return bank.store.contains(id)
  }

  @Test("a deleted asset that was sent travels as a delete line; the national bank removes the record and content")
  func deleteTravels() throws {
    let national = try nationalBank()
    let thaiNguyen = try province("19", national: national)
    let kept = try thaiNguyen.add(Self.photo("nui-coc-vi-en.jpg")).id
    let gone = try thaiNguyen.asset(try thaiNguyen.add(Self.photo("scan.png")).id)
    let first = try #require(try export(thaiNguyen).first)
    let received = try national.receive(first.path)
    try thaiNguyen.applyReceipt(try #require(received.receiptPath))
    #expect(try national.search("ruong bac thang").map(\.record.id) == [gone.id])
    #expect(stored(national, gone.id) && stored(national, gone.thumbnail))

    let sent = try #require(
      try thaiNguyen.catalog.exportRecords(destination: "national", sequence: 1).first { $0.assetId == gone.id })
    try delete([gone.id], in: thaiNguyen)
    let waiting = try thaiNguyen.catalog.deletionNotices(destination: "national")
    #expect(waiting.map(\.assetId) == [gone.id] && waiting.first?.sequence == nil)
    // The revision the deletion carries is above the one sent.
    #expect(waiting.first.map { $0.revision > sent.revision } == true)
    #expect(try thaiNguyen.syncStatus().destinations.first?.pendingDeletions == 1)
    // The national bank may remove the content: the province no longer counts on its copy.
    let held = try thaiNguyen.catalog.heldObjects(destination: "national")
    #expect(!held.contains(gone.id) && !held.contains(gone.thumbnail!) && held.contains(kept))

    let second = try #require(try export(thaiNguyen).first)
    #expect(second.deletions == 1 && second.upserts == 0 && second.retractions == 0 && second.objects == 0)
    #expect(try lines(second) == ["delete \(gone.id)"])
    let line = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: second.path + "/data/records.jsonl"))) as? [String: Any])
    #expect(line["reason"] as? String == "personal data" && line["revision"] as? Int == waiting.first?.revision)
    // Recorded with its bundle and line, in the export's transaction; nothing waits any more.
    let notice = try #require(try thaiNguyen.catalog.deletionNotices().first)
    #expect(notice.sequence == 2 && notice.line == 1 && notice.outcome == nil)
    #expect(try thaiNguyen.catalog.exportRecords(destination: "national", sequence: 2).map(\.op) == ["delete"])
    #expect(try thaiNguyen.syncStatus().destinations.first?.pendingDeletions == 0)
    #expect(try export(thaiNguyen).isEmpty)

    let applied = try national.receive(second.path)
    #expect(applied.accepted == 1 && applied.deleted == 1 && applied.rejected.isEmpty)
    // Its original and its preview: no other record needs them.
    #expect(applied.purgedObjects == 2)
    #expect(!stored(national, gone.id) && !stored(national, gone.thumbnail) && stored(national, kept))
    #expect(try national.catalog.contribution(source: "19", assetId: gone.id) == nil)
    #expect(try national.catalog.purgeQueue().isEmpty)
    // Gone from what the national bank shows: list, --source-bank, search, sync-status, reports.
    #expect(try national.assets(matching: AssetFilter()).map(\.id) == [kept])
    #expect(try national.assets(matching: AssetFilter(sourceBank: "19")).map(\.id) == [kept])
    #expect(try national.search("ruong bac thang").isEmpty)
    #expect(try national.syncStatus().sources.first { $0.bank == "19" }?.assets == 1)
    let year = Calendar(identifier: .gregorian).component(.year, from: Date())
    #expect(try national.nationalReport(year: year).provinces.first?.assets == 1)
    let verified = try national.verify()
    #expect(verified.problems.isEmpty && verified.unreferenced.isEmpty && verified.checked == 2)

    // The receipt's outcome reaches the notice.
    try thaiNguyen.applyReceipt(try #require(applied.receiptPath))
    #expect(try thaiNguyen.catalog.deletionNotices().first?.outcome == "accepted")
    #expect(try thaiNguyen.syncStatus().destinations.first?.rejected.isEmpty == true)
  }

  @Test("the content stays at the national bank while another province's record needs it")
  func sharedContentStays() throws {
    let national = try nationalBank()
    let thaiNguyen = try province("19", national: national)
    let daNang = try province("48", national: national)
    let id = try thaiNguyen.add(Self.photo("scan.png")).id
    #expect(try daNang.add(Self.photo("scan.png")).id == id)
    let theirs = try daNang.asset(id).thumbnail
    for bank in [thaiNguyen, daNang] {
      for bundle in try export(bank) { _ = try national.receive(bundle.path) }
    }

    try delete([id], in: thaiNguyen)
    let deletion = try national.receive(try #require(try export(thaiNguyen).first).path)
    #expect(deletion.deleted == 1)
    #expect(stored(national, id) && stored(national, theirs))
    #expect(try national.assets(matching: AssetFilter()).map { "\($0.sourceBank!) \($0.id)" } == ["48 \(id)"])
    #expect(try national.verify().problems.isEmpty)

    // The last record of it goes: so does the content.
    try delete([id], in: daNang)
    let last = try national.receive(try #require(try export(daNang).first).path)
    #expect(last.purgedObjects >= 1 && !stored(national, id) && !stored(national, theirs))
    #expect(try national.assets(matching: AssetFilter()).isEmpty)
    let verified = try national.verify()
    #expect(verified.problems.isEmpty && verified.unreferenced.isEmpty)
  }

  @Test("a deletion is applied only when newer than the record; one of an asset never received is a no-op")
  func deletionRevisions() throws {
    let national = try nationalBank()
    let thaiNguyen = try province("19", national: national)
    let identity = try thaiNguyen.identity()
    let record = try thaiNguyen.asset(try thaiNguyen.add(Self.photo("scan.png")).id)
    let usb = root.appendingPathComponent("usb")
    try FileManager.default.createDirectory(at: usb, withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var sequence = 0
    /// A bundle of these lines, with the content of its upserts, received at the national bank.
    func receive(_ lines: [BundleLine]) throws -> ReceiveResult {
      sequence += 1
      let info = BagInfo(
        sourceBank: "19", sourceBankId: identity.bankId, destination: "national", sequence: sequence,
        kind: .incremental, createdAt: Date(), signingKeyId: identity.keyId)
      let objects = lines.filter { $0.op == "upsert" }.flatMap { _ in [record.id, record.thumbnail!] }.map {
        (id: $0, path: thaiNguyen.store.path(of: BlobID($0)!))
      }
      let bag = try BundleWriter.write(
        info: info, records: try lines.map { try encoder.encode($0) }, objects: objects,
        key: try thaiNguyen.signingKey(), to: .directory(parent: usb))
      return try national.receive(bag.path)
    }
    func upsert(_ revision: Int) -> BundleLine {
      BundleLine(id: record.id, op: "upsert", record: record, reason: nil, revision: revision)
    }
    func delete(_ id: String, _ revision: Int) -> BundleLine {
      BundleLine(id: id, op: "delete", record: nil, reason: nil, revision: revision)
    }

    // An asset the national bank never had: accepted, nothing to do.
    let unknown = "sha256:" + String(repeating: "7", count: 64)
    let noOp = try receive([delete(unknown, 3)])
    #expect(noOp.accepted == 1 && noOp.deleted == 1 && noOp.rejected.isEmpty && noOp.purgedObjects == 0)

    #expect(try receive([upsert(5)]).accepted == 1)
    // Not newer than the record received: refused, and the record stays.
    let older = try receive([delete(record.id, 5)])
    #expect(older.rejected.map(\.reason) == ["revision 5 is not newer than 5, already received"])
    #expect(older.deleted == 0 && older.purgedObjects == 0 && stored(national, record.id))
    #expect(try national.assets(matching: AssetFilter()).count == 1)

    // Deleted, then the same bytes added again (their revisions counted anew) in one bundle: the
    // lines apply in order, and the content stays for the new record.
    let again = try receive([delete(record.id, 6), upsert(1)])
    #expect(again.accepted == 2 && again.rejected.isEmpty && again.purgedObjects == 0)
    #expect(try national.catalog.contribution(source: "19", assetId: record.id)?.revision == 1)
    #expect(stored(national, record.id) && stored(national, record.thumbnail))
    #expect(try national.search("ruong bac thang").map(\.record.id) == [record.id])

    // A retracted record is deleted too, and its original removed. (A retraction keeps no record,
    // so the preview it named is not known any more: it stays, unreferenced, as after the
    // retraction; `verify` lists it.)
    _ = try receive([BundleLine(id: record.id, op: "retract", record: nil, reason: "duplicate", revision: 2)])
    let retracted = try receive([delete(record.id, 3)])
    #expect(retracted.deleted == 1 && retracted.purgedObjects == 1 && !stored(national, record.id))
    #expect(try national.catalog.contribution(source: "19", assetId: record.id) == nil)
    #expect(try national.verify().unreferenced == [record.thumbnail!])
  }

  @Test("a receive whose content vanished before its commit changes nothing, the deletions included")
  func refusedReceiveChangesNothing() throws {
    let national = try nationalBank()
    let thaiNguyen = try province("19", national: national)
    let id = try thaiNguyen.add(Self.photo("scan.png")).id
    for bundle in try export(thaiNguyen) { _ = try national.receive(bundle.path) }
    let row = ReceivedBundleRow(
      source: "19", sequence: 2, id: "mediabank-19-000002", kind: "incremental", sourceBankId: "x",
      receivedAt: Library.timestamp(), accepted: 2, rejected: 0, objects: 0, bytes: 0)
    #expect(throws: CatalogError.self) {
      try national.catalog.applyReceived(
        row, changes: [.delete(source: "19", assetId: id, at: row.receivedAt)], objects: [id],
        isStored: { _ in false })
    }
    #expect(try national.catalog.contribution(source: "19", assetId: id) != nil)
    #expect(try national.catalog.purgeQueue().isEmpty && national.catalog.receivedBundles().count == 1)
    #expect(try national.search("ruong bac thang").map(\.record.id) == [id])
  }

  @Test("resend carries a bundle's delete lines again, a full bundle the pending ones, --max-size splits them")
  func resendFullAndSplit() throws {
    let national = try nationalBank()
    let thaiNguyen = try province("19", national: national)
    let ids = try ["nui-coc-vi-en.jpg", "scan.png", "gps-southwest.jpg", "orientation-1.jpg"].map {
      try thaiNguyen.add(Self.photo($0)).id
    }
    let first = try export(thaiNguyen)

    try delete([ids[0]], in: thaiNguyen)
    let second = try #require(try export(thaiNguyen).first)
    #expect(second.sequence == 2 && second.deletions == 1)
    // The bundle was lost: made again, the same delete line, at the same place.
    let other = root.appendingPathComponent("again").path
    let resent = try #require(try export(thaiNguyen, ExportOptions(resend: 2, output: other)).first)
    #expect(resent.deletions == 1 && resent.upserts == 0)
    #expect(try lines(resent) == ["delete \(ids[0])"])
    #expect(try thaiNguyen.catalog.deletionNotices().map { "\($0.sequence!) \($0.line!)" } == ["2 1"])

    // A full bundle carries the deletions not sent yet, first, and every asset left.
    try delete([ids[1]], in: thaiNguyen)
    let full = try #require(
      try export(thaiNguyen, ExportOptions(full: true, output: root.appendingPathComponent("full").path)).first)
    #expect(full.kind == "full" && full.deletions == 1 && full.upserts == 2)
    #expect(try lines(full) == ["delete \(ids[1])", "upsert \(ids[2])", "upsert \(ids[3])"])
    let notices = try thaiNguyen.catalog.deletionNotices()
    #expect(notices.first { $0.assetId == ids[1] }.map { "\($0.sequence!) \($0.line!)" } == "3 1")

    // Split: bags of at most the upsert's size put the delete line in a bag of its own. (An
    // export refused as too large records nothing, and says how large the upsert is.)
    try delete([ids[2]], in: thaiNguyen)
    try thaiNguyen.tag([ids[3]], TagChange(pillar: "tourism-landscape"))
    let split = root.appendingPathComponent("split").path
    var needed: Int64 = 0
    do {
      _ = try export(thaiNguyen, ExportOptions(output: split, maxSize: 1000))
      Issue.record("an upsert larger than 1000 bytes was exported in bags of 1000 bytes")
    } catch {
      let match = try #require("\(error)".firstMatch(of: /needs (\d+) bytes/), "\(error)")
      needed = try #require(Int64(match.1))
    }
    #expect(try thaiNguyen.catalog.deletionNotices().first { $0.assetId == ids[2] }?.sequence == nil)
    let parts = try export(thaiNguyen, ExportOptions(output: split, maxSize: needed))
    #expect(parts.map(\.deletions) == [1, 0] && parts.map(\.upserts) == [0, 1])
    #expect(try parts.map { try lines($0) } == [["delete \(ids[2])"], ["upsert \(ids[3])"]])
    #expect(parts.allSatisfy { $0.group == "mediabank-19-000004 (\($0.sequence - 3) of 2)" })
    let notice = try #require(try thaiNguyen.catalog.deletionNotices().first { $0.assetId == ids[2] })
    #expect(notice.sequence == 4 && notice.line == 1)

    // The national bank receives them all, in order, and ends with the one asset left.
    for bundle in first + [second, full] + parts { _ = try national.receive(bundle.path) }
    #expect(try national.assets(matching: AssetFilter()).map(\.id) == [ids[3]])
    let verified = try national.verify()
    #expect(verified.problems.isEmpty && verified.unreferenced.isEmpty)

    // Resends (Storage/sync-bundle.md, *What a bundle holds*): a bag of a group comes back as a
    // bag of its own, of the first bundle's kind; a full bundle resent after a retraction carries
    // the retract line.
    let lost = try #require(
      try export(thaiNguyen, ExportOptions(resend: 5, output: root.appendingPathComponent("lost").path)).first)
    #expect(lost.group == nil && lost.kind == "incremental" && lost.sequence == 5)
    let info = try String(contentsOfFile: lost.path + "/bag-info.txt", encoding: .utf8)
    #expect(info.contains("Bag-Group-Identifier: mediabank-19-000005\nBag-Count: 1 of 1\n"), "\(info)")
    try thaiNguyen.retract([ids[3]], reason: "rights withdrawn")
    let fullAgain = try #require(
      try export(thaiNguyen, ExportOptions(resend: 3, output: root.appendingPathComponent("full-again").path)).first)
    #expect(fullAgain.kind == "full")
    // ids[2], deleted since (bundle 4 told), is left out.
    #expect(try lines(fullAgain) == ["delete \(ids[1])", "retract \(ids[3])"])
  }

  @Test("a split export to NAME.tar writes NAME-K-of-N.tar, each bag received alone")
  func splitTarNames() throws {
    let national = try nationalBank()
    let thaiNguyen = try province("19", national: national)
    for name in ["scan.png", "gps-southwest.jpg"] { _ = try thaiNguyen.add(Self.photo(name)) }
    let out = root.appendingPathComponent("usb/bundle.tar")
    // The smallest size (to 1000 bytes) that takes the larger asset: too small for both.
    var parts: [ExportResult] = []
    for size in stride(from: Int64(1000), to: 1_000_000, by: 1000) {
      guard let made = try? export(thaiNguyen, ExportOptions(output: out.path, maxSize: size)) else { continue }
      parts = made
      break
    }
    #expect(parts.count == 2)
    #expect(
      parts.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["bundle-1-of-2.tar", "bundle-2-of-2.tar"])
    #expect(!FileManager.default.fileExists(atPath: out.path))
    for part in parts { #expect(try national.receive(part.path).accepted == 1) }
  }

  @Test("a receipt applied after the deletion does not count the deleted content as held")
  func lateReceipt() throws {
    let national = try nationalBank()
    let thaiNguyen = try province("19", national: national)
    let id = try thaiNguyen.add(Self.photo("scan.png")).id
    let received = try national.receive(try #require(try export(thaiNguyen).first).path)
    try delete([id], in: thaiNguyen)
    try thaiNguyen.applyReceipt(try #require(received.receiptPath))
    #expect(try thaiNguyen.catalog.heldObjects(destination: "national").isEmpty)
  }

  @Test("a bundle of format 1, written before deletions existed, is still received")
  func formatOneBundle() throws {
    let national = try nationalBank()
    let old = Self.fixtures.appendingPathComponent("bundles/format-1")
    try national.trust(bank: "19", publicKeyFile: old.appendingPathComponent("thai-nguyen-example.pub").path)
    // A copy: the receipt is written beside the bundle.
    let bag = root.appendingPathComponent("mediabank-19-000001")
    try FileManager.default.copyItem(at: old.appendingPathComponent("mediabank-19-000001"), to: bag)
    #expect(
      try String(contentsOf: bag.appendingPathComponent("bag-info.txt"), encoding: .utf8)
        .contains("MediaBank-Format-Version: 1\n"))
    let result = try national.receive(bag.path)
    #expect(result.accepted == 2 && result.rejected.isEmpty && result.deleted == 0 && result.newObjects == 4)
    #expect(try national.assets(matching: AssetFilter(sourceBank: "19")).count == 2)
  }

  @Test("a rejection stays in sync-status until the destination accepts a later line of the asset")
  func rejectionsResolve() throws {
    let national = try nationalBank()
    let thaiNguyen = try province("19", national: national)
    let id = try thaiNguyen.add(Self.photo("scan.png")).id
    let first = try #require(try export(thaiNguyen).first)
    func answer(_ sequence: Int, accepted: Bool) throws {
      let revision = try #require(
        try thaiNguyen.catalog.exportRecords(destination: "national", sequence: sequence).first
      )
      .revision
      try thaiNguyen.catalog.applyReceipt(
        destination: "national", sequence: sequence,
        outcomes: [ReceiptOutcome(assetId: id, revision: revision, accepted: accepted, reason: "not newer")], held: [],
        at: "2026-12-06T00:00:00Z")
    }
    func rejected() throws -> [String] {
      try #require(try thaiNguyen.syncStatus().destinations.first).rejected.map(\.id)
    }
    try answer(first.sequence, accepted: false)
    #expect(try rejected() == [id])
    // A later bundle carries a newer revision; until its receipt comes the rejection stands.
    _ = try thaiNguyen.edit(
      [id], AssetEdit(texts: StatedTexts(title: "Đồi chè"), language: "vi", operatorName: "tester"))
    let second = try #require(try export(thaiNguyen).first)
    #expect(try rejected() == [id])
    try answer(second.sequence, accepted: true)
    #expect(try rejected() == [])
  }

  @Test("a key rotation interrupted before its statement is committed is forgotten; after, it is finished")
  func interruptedRotation() throws {
    let national = try nationalBank()
    let bankRoot = root.appendingPathComponent("19")
    let thaiNguyen = try province("19", national: national)
    let pending = bankRoot.appendingPathComponent("keys/signing-key.rotating")
    let before = try thaiNguyen.key().keyId
    // Killed after the new key was written, before the statement was committed.
    let stray = Curve25519.Signing.PrivateKey()
    try Data((stray.rawRepresentation.base64EncodedString() + "\n").utf8).write(to: pending)
    #expect(try Library.open(at: bankRoot, create: false).key().keyId == before)
    #expect(!FileManager.default.fileExists(atPath: pending.path))
    // Killed after the statement was committed, before bank.json and the key files were replaced.
    let next = Curve25519.Signing.PrivateKey()
    try Data((next.rawRepresentation.base64EncodedString() + "\n").utf8).write(to: pending)
    let identity = try thaiNguyen.identity()
    let statement = try KeyRotation(
      bank: "19", bankId: identity.bankId, oldKey: try thaiNguyen.signingKey(), newKey: next.publicKey,
      rotatedAt: 1_780_000_000)
    try thaiNguyen.catalog.recordKeyRotation(
      KeyRotationRow(
        bank: "19", oldKeyId: statement.oldKeyId, newKeyId: statement.newKeyId, rotatedAt: statement.rotatedAt,
        statement: statement.rendered(), recordedAt: "2026-12-06T00:00:00Z"))
    let reopened = try Library.open(at: bankRoot, create: false)
    #expect(try reopened.key().keyId == statement.newKeyId)
    #expect(try reopened.signingKey().publicKey.rawRepresentation == next.publicKey.rawRepresentation)
    #expect(!FileManager.default.fileExists(atPath: pending.path))
    // Its next bundle carries the statement and the national bank follows it.
    _ = try reopened.add(Self.photo("scan.png"))
    let bundle = try #require(try export(reopened).first)
    #expect(try national.receive(bundle.path).accepted == 1)
    #expect(try national.trustedBanks().first { $0.bank == "19" }?.keyId == statement.newKeyId)
  }
}
