import Foundation
import SyncBundle
import Testing

@testable import MediaBank

/// What the national bank does with records a province signed but that are not what they claim.
@Suite struct ReceiveTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("receive-\(UUID())")

  /// Province 19 and the national bank, which trusts its key.
  func banks() throws -> (province: Library, identity: BankIdentity, national: Library) {
    let province = try Library.open(at: root.appendingPathComponent("province"), create: true)
    let identity = try province.initialize(province: "19", name: nil)
    let national = try Library.open(at: root.appendingPathComponent("national"), create: true)
    try national.initialize(province: nil, name: nil, national: true)
    try national.trust(bank: "19", publicKeyFile: root.appendingPathComponent("province/keys/bank.pub").path)
    return (province, identity, national)
  }

  /// The records of the committed photos `names`, added to `province` without previews.
  func add(_ names: [String], to province: Library) throws -> [AssetRecord] {
    let photos = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures/photos")
    return try names.map { name in
      let added = try province.add(photos.appendingPathComponent(name).path, options: AddOptions(makeThumbnails: false))
      return try province.asset(added.id)
    }
  }

  @Test("a signed record that is not an asset record is rejected in the receipt, not silently dropped")
  func malformedRecord() throws {
    let (province, identity, national) = try banks()

    // Two upserts of content already held nowhere: one complete, one without `originalNames`,
    // `provenance` and `addedAt`, which the bundle format checks but an asset record needs.
    let photo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures/photos/scan.png").path
    let added = try province.add(photo, options: AddOptions(makeThumbnails: false))
    let good = try province.asset(added.id)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let fine = try encoder.encode(BundleLine(id: good.id, op: "upsert", record: good, reason: nil, revision: 1))
    let bytes = try Data(contentsOf: URL(fileURLWithPath: photo))
    let other = "sha256:" + String(repeating: "0", count: 64)
    let broken = Data(
      #"{"id":"\#(other)","op":"upsert","record":{"byteSize":\#(bytes.count),"id":"\#(other)","kind":"photo","mediaType":"image/png"},"revision":1}"#
        .utf8)
    let info = BagInfo(
      sourceBank: "19", sourceBankId: identity.bankId, destination: "national", sequence: 1, kind: .incremental,
      createdAt: Date(), signingKeyId: identity.keyId)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("usb"), withIntermediateDirectories: true)
    let bag = try BundleWriter.write(
      info: info, records: [fine, broken], objects: [(good.id, province.store.path(of: .init(good.id)!))],
      key: try province.signingKey(), to: .directory(parent: root.appendingPathComponent("usb")))

    let result = try national.receive(bag.path)
    #expect(result.accepted == 1)
    #expect(result.rejected.map(\.id) == [other])
    #expect(result.rejected.first?.reason.contains("`originalNames` is missing") == true, "\(result.rejected)")
    #expect(try national.assets(matching: AssetFilter()).map(\.id) == [good.id])
  }

  @Test("a record that contradicts its content is rejected, by receive and by verify-bundle alike")
  func contradictingRecords() throws {
    let (province, identity, national) = try banks()
    var records = try add(["scan.png", "nui-coc-vi-en.jpg", "orientation-1.jpg", "orientation-2.jpg"], to: province)
    records[1].kind = "video"
    records[2].byteSize = 1
    records[3].mediaType = "image/png"
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var lines = try records.map {
      try encoder.encode(BundleLine(id: $0.id, op: "upsert", record: $0, reason: nil, revision: 2))
    }
    // A key this version does not know is ignored (and not stored); `2.0` is the integer 2.
    lines[0] = Data(
      String(decoding: lines[0], as: UTF8.self).replacingOccurrences(
        of: #""record":{"#, with: #""record":{"aFutureKey":1,"#
      )
      .replacingOccurrences(of: #""revision":2}"#, with: #""revision":2.0}"#).utf8)
    #expect(String(decoding: lines[0], as: UTF8.self).contains(#""revision":2.0}"#))
    let stranger = "sha256:" + String(repeating: "7", count: 64)
    lines.append(try encoder.encode(BundleLine(id: stranger, op: "retract", record: nil, reason: "gone", revision: 1)))
    let info = BagInfo(
      sourceBank: "19", sourceBankId: identity.bankId, destination: "national", sequence: 1, kind: .incremental,
      createdAt: Date(), signingKeyId: identity.keyId)
    let usb = root.appendingPathComponent("usb")
    try FileManager.default.createDirectory(at: usb, withIntermediateDirectories: true)
    let bag = try BundleWriter.write(
      info: info, records: lines, objects: records.map { ($0.id, province.store.path(of: .init($0.id)!)) },
      key: try province.signingKey(), to: .directory(parent: usb))

    let expected = [
      (records[1].id, "`kind` is video, but its content is not one"),
      (records[2].id, "`byteSize` is 1, but its content has"),
      (records[3].id, "`mediaType` is image/png, but its content is image/jpeg"),
    ]
    let check = try Library.checkBundle(at: bag.path, keys: try national.bundleKeys())
    #expect(check.rejected?.map(\.id) == expected.map(\.0))
    let result = try national.receive(bag.path)
    #expect(result.accepted == 2)
    #expect(result.rejected.map(\.id) == expected.map(\.0))
    for (rejection, (_, words)) in zip(result.rejected, expected) {
      #expect(rejection.reason.contains(words), "\(rejection.reason)")
      #expect(check.rejected?.contains(rejection) == true)
    }
    // The retraction of an asset the province never sent is accepted, and stores nothing.
    #expect(try national.catalog.contribution(source: "19", assetId: stranger) == nil)
    let kept = try #require(try national.catalog.contribution(source: "19", assetId: records[0].id))
    #expect(kept.revision == 2 && kept.record?.contains("aFutureKey") == false)

    // `held` names the content here even when no record is newer than what was received.
    let again = BagInfo(
      sourceBank: "19", sourceBankId: identity.bankId, destination: "national", sequence: 2, kind: .incremental,
      createdAt: Date(), signingKeyId: identity.keyId)
    let older = try encoder.encode(
      BundleLine(id: records[0].id, op: "upsert", record: records[0], reason: nil, revision: 1))
    let bag2 = try BundleWriter.write(
      info: again, records: [older], objects: [], key: try province.signingKey(), to: .directory(parent: usb))
    let second = try national.receive(bag2.path)
    #expect(second.rejected.first?.reason.contains("not newer") == true)
    let receipt = try Library.receiptBody(Data(contentsOf: URL(fileURLWithPath: second.receiptPath!)), name: "receipt")
    #expect(receipt.held == [records[0].id])
  }

  @Test("text that is not NFC is read as it is; a full bundle without content rejects only what is not held")
  func nonNFCAndFullWithoutContent() throws {
    let (province, identity, national) = try banks()
    var records = try add(["scan.png", "nui-coc-vi-en.jpg"], to: province)
    // "Hồ" decomposed: o, combining circumflex, combining grave.
    let decomposed = "H\u{6F}\u{302}\u{300} Núi Cốc".decomposedStringWithCanonicalMapping
    #expect(!decomposed.unicodeScalars.elementsEqual(decomposed.precomposedStringWithCanonicalMapping.unicodeScalars))
    records[0].title = ["vi": decomposed]
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let usb = root.appendingPathComponent("usb")
    try FileManager.default.createDirectory(at: usb, withIntermediateDirectories: true)
    func bundle(_ sequence: Int, kind: BagInfo.Kind, records: [AssetRecord], content: [AssetRecord]) throws -> URL {
      let info = BagInfo(
        sourceBank: "19", sourceBankId: identity.bankId, destination: "national", sequence: sequence, kind: kind,
        createdAt: Date(), signingKeyId: identity.keyId)
      let lines = try records.map {
        try encoder.encode(BundleLine(id: $0.id, op: "upsert", record: $0, reason: nil, revision: sequence + 1))
      }
      return try BundleWriter.write(
        info: info, records: lines, objects: content.map { ($0.id, province.store.path(of: .init($0.id)!)) },
        key: try province.signingKey(), to: .directory(parent: usb))
    }
    // Bundle 1 brings the first photo with its content; its decomposed title is kept as sent.
    let first = try national.receive(
      try bundle(1, kind: .incremental, records: [records[0]], content: [records[0]]).path)
    #expect(first.accepted == 1 && first.rejected.isEmpty)
    let stored = try #require(try national.catalog.contribution(source: "19", assetId: records[0].id)?.record)
    // Compared as bytes: Swift compares strings up to canonical equivalence.
    #expect(Data(stored.utf8).range(of: Data(decomposed.utf8)) != nil)
    #expect(Data(stored.utf8).range(of: Data(decomposed.precomposedStringWithCanonicalMapping.utf8)) == nil)
    // Bundle 2 is full and carries no content: the first photo's is held here, the second's is not.
    let full = try national.receive(try bundle(2, kind: .full, records: records, content: []).path)
    #expect(full.accepted == 1)
    #expect(full.rejected.map(\.id) == [records[1].id])
    #expect(full.rejected.first?.reason.contains("is neither in the bundle nor held here") == true)
  }

  @Test("the national bank searches the records the provinces sent; a retracted record is no longer found")
  func nationalSearch() throws {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures")
    let province = try Library.open(at: root.appendingPathComponent("province"), create: true)
    try province.initialize(province: "19", name: nil)
    let photo = try province.add(fixtures.appendingPathComponent("photos/nui-coc-vi-en.jpg").path).id
    let story = try province.add(fixtures.appendingPathComponent("stories/nui-coc.vi.md").path).id
    let national = try Library.open(at: root.appendingPathComponent("national"), create: true)
    try national.initialize(province: nil, name: nil, national: true)
    try national.trust(bank: "19", publicKeyFile: root.appendingPathComponent("province/keys/bank.pub").path)
    let usb = root.appendingPathComponent("usb").path
    func send() throws {
      for bundle in try province.export(ExportOptions(output: usb)) { _ = try national.receive(bundle.path) }
    }
    try send()

    let found = try national.search("ho nui coc")
    #expect(Set(found.map(\.record.id)) == [photo, story])
    #expect(found.allSatisfy { $0.record.sourceBank == "19" && $0.snippet?.contains("**Núi** **Cốc**") == true })
    #expect(try national.search("ho nui coc", filter: AssetFilter(kind: "story")).map(\.record.id) == [story])
    // A province that sends nothing here is an error, not an empty answer.
    #expect(throws: MediaBankError.self) { try national.search("ho nui coc", filter: AssetFilter(sourceBank: "48")) }

    _ = try province.retract([photo], reason: "rights withdrawn")
    try send()
    #expect(try national.search("ho nui coc").map(\.record.id) == [story])
  }
}
