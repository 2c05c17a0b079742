import Foundation
import GRDB
import Testing

@testable import Catalog

@Suite struct CatalogTests {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID()).sqlite").path
  let id = "sha256:" + String(repeating: "ab", count: 32)

  func asset(_ id: String) -> AssetRow {
    AssetRow(
      id: id, kind: "photo", mediaType: "image/jpeg", byteSize: 10, addedAt: "2026-11-23T00:00:00Z",
      width: 4, height: 3)
  }

  func provenance(_ id: String, name: String = "a.jpg") -> ProvenanceRow {
    ProvenanceRow(
      assetId: id, addedAt: "2026-11-23T00:00:00Z", originalPath: "/in/\(name)", originalName: name,
      operator: "tester")
  }

  @Test("migrations are applied once, in order")
  func migrations() throws {
    let all = [
      "v1-assets", "v2-import", "v3-tags", "v4-pillars", "v5-export", "v6-receive", "v7-search", "v8-videos-stories",
      "v9-curation", "v10-sync-chain", "v11-metadata-fidelity", "v12-provenance-once", "v13-list-order",
      "v14-accounts", "v15-api-tokens", "v16-display", "v17-remotes", "v18-province-accounts", "v19-national-reads",
      "v20-national-facets",
    ]
    #expect(try Catalog(path: path).appliedMigrations() == all)
    #expect(try Catalog(path: path).appliedMigrations() == all)
  }

  @Test("a catalog of v7 keeps its texts and revisions through v8, is searchable, and takes videos and stories")
  func migrationToV8() throws {
    // A catalog as MediaBank wrote it before v8: a photo with a title, raised to revision 2.
    let pool = try DatabasePool(path: path)
    try Schema.migrator(fold: { $0.lowercased() }).migrate(pool, upTo: "v7-search")
    try pool.write { db in
      try db.execute(
        sql: """
          INSERT INTO asset (id, kind, media_type, byte_size, added_at) VALUES (?, 'photo', 'image/jpeg', 10, 'T');
          INSERT INTO asset_text VALUES (?, 'title', 'vi', 0, 'Hồ Núi Cốc', 'xmp');
          """, arguments: [id, id])
    }
    #expect(try pool.read { db in try Int.fetchOne(db, sql: "SELECT revision FROM asset") } == 2)
    try pool.close()

    let catalog = try Catalog(path: path)
    let entry = try #require(try catalog.entry(id))
    #expect(entry.texts.map(\.value) == ["Hồ Núi Cốc"] && entry.asset.revision == 2)
    #expect(try catalog.search("núi", limit: 5).map(\.id) == [id], "the index is rebuilt")
    // The rebuilt asset_text keeps its revision trigger and takes the new sources.
    let video = "sha256:" + String(repeating: "cd", count: 32)
    var row = asset(video)
    row.kind = "video"
    row.durationSeconds = 2.5
    row.audioLanguages = ["vi", "en"]
    try catalog.record([
      Arrival(
        asset: row,
        fileTexts: [
          TextRow(assetId: video, field: "title", language: "und", position: 0, value: "Lễ hội", source: "container")
        ],
        provenance: provenance(video, name: "b.mp4"))
    ])
    let stored = try #require(try catalog.entry(video))
    #expect(stored.asset.audioLanguages == ["vi", "en"] && stored.asset.durationSeconds == 2.5)
    #expect(stored.asset.revision == 3, "1, then the text, then the provenance")
  }

  @Test("v12 removes provenance copies of one path and batch without a new revision, and keeps them out")
  func provenanceOnce() throws {
    let pool = try DatabasePool(path: path)
    try Schema.migrator(fold: { $0.lowercased() }).migrate(pool, upTo: "v11-metadata-fidelity")
    try pool.write { db in
      try db.execute(
        sql: """
          INSERT INTO asset (id, kind, media_type, byte_size, added_at) VALUES ('\(id)', 'photo', 'image/jpeg', 10, 'T');
          INSERT INTO batch (id, root, started_at, operator) VALUES (1, '/a', 'T', 'op');
          INSERT INTO provenance (asset_id, added_at, original_path, original_name, operator, batch_id)
            VALUES ('\(id)', 'T', '/a/x.jpg', 'x.jpg', 'op', NULL), ('\(id)', 'T', '/a/x.jpg', 'x.jpg', 'op', NULL),
                   ('\(id)', 'T', '/a/x.jpg', 'x.jpg', 'op', 1), ('\(id)', 'T', '/a/x.jpg', 'x.jpg', 'op', 1),
                   ('\(id)', 'T', '/b/x.jpg', 'x.jpg', 'op', 1);
          """)
    }
    let before = try pool.read { db in try Int.fetchOne(db, sql: "SELECT revision FROM asset") }
    try pool.close()

    let catalog = try Catalog(path: path)
    let entry = try #require(try catalog.entry(id))
    #expect(entry.provenance.map(\.id) == [1, 3, 5], "the first of each (path, batch) stays")
    #expect(entry.asset.revision == before)
    // Recorded again from the same path outside a batch: nothing new, and no new revision.
    let again = ProvenanceRow(
      assetId: id, addedAt: "T2", originalPath: "/a/x.jpg", originalName: "x.jpg", operator: "op")
    try catalog.record([Arrival(asset: asset(id), provenance: again)])
    #expect(try #require(try catalog.entry(id)).provenance.count == 3)
    #expect(try #require(try catalog.entry(id)).asset.revision == before)
  }

  @Test("two stories whose translation_of name each other: the first linked keeps its link, the other gets an issue")
  func mutualWaitingLinks() throws {
    let catalog = try Catalog(path: path)
    let other = "sha256:" + String(repeating: "cd", count: 32)
    func story(_ id: String, naming original: String) -> Arrival {
      var row = asset(id)
      row.kind = "story"
      return Arrival(
        asset: row, provenance: provenance(id, name: "\(id.suffix(4)).md"),
        translation: TranslationRow(assetId: id, reference: String(original.prefix(19)), addedAt: "T"))
    }
    try catalog.record([story(id, naming: other)])
    #expect(try catalog.entry(id)?.issues == [Catalog.pendingIssue(reference: String(other.prefix(19)))])
    try catalog.record([story(other, naming: id)])
    let first = try #require(try catalog.entry(id))
    let second = try #require(try catalog.entry(other))
    #expect(first.translationOf == other && first.issues.isEmpty)
    #expect(second.translationOf == nil)
    #expect(second.issues == ["translation_of \(id.prefix(19)) is not linked: \(id) is a translation of this story"])
    #expect(try catalog.translationLink(of: other) == nil)
  }

  @Test("local pillars and loaded vocabularies round-trip; a code or version is stored once")
  func pillars() throws {
    let catalog = try Catalog(path: path)
    let local = LocalPillarRow(
      code: "tra-thai-nguyen", parent: "specialty-products", labelVi: "Trà Thái Nguyên", labelEn: "Thai Nguyen tea",
      hints: ["chè Tân Cương", "tea"], addedAt: "2026-11-23T00:00:00Z")
    try catalog.addLocalPillar(local)
    #expect(try catalog.localPillars() == [local])
    #expect(throws: CatalogError.self) { try catalog.addLocalPillar(local) }
    // The table's CHECK accepts only a JSON array: the hints were stored as one.

    let vocabulary = VocabularyRow(version: "2027.1", document: Data("{}".utf8), loadedAt: "2026-11-23T00:00:00Z")
    try catalog.addVocabulary(vocabulary)
    #expect(try catalog.vocabularies() == [vocabulary])
    #expect(throws: CatalogError.self) { try catalog.addVocabulary(vocabulary) }
    #expect(throws: CatalogError.self) {
      try catalog.addVocabulary(VocabularyRow(version: "v1", document: Data(), loadedAt: "2026-11-23T00:00:00Z"))
    }
  }

  @Test("every change to an asset raises its revision; incremental exports carry exactly the changed assets")
  func revisionsAndExports() throws {
    let catalog = try Catalog(path: path)
    let other = "sha256:" + String(repeating: "cd", count: 32)
    try catalog.record([Arrival(asset: asset(id), provenance: provenance(id))])
    try catalog.record([Arrival(asset: asset(other), provenance: provenance(other, name: "b.jpg"))])
    func revision(_ asset: String) throws -> Int { try #require(try catalog.entry(asset)).asset.revision }
    let first = try revision(id)
    #expect(first >= 1)

    // Never exported: both are candidates, in the order they were added.
    #expect(try catalog.exportCandidates(destination: "national", full: false).map(\.id) == [id, other])
    func export(_ sequence: Int, _ candidates: [ExportCandidate]) throws {
      try catalog.recordExport(
        ExportBundleRow(
          destination: "national", sequence: sequence, id: "mediabank-19-\(sequence)", kind: "incremental",
          createdAt: "2026-11-23T00:00:00Z", records: candidates.count, objects: 0, bytes: 0),
        records: candidates.enumerated().map {
          ExportRecordRow(
            destination: "national", sequence: sequence, line: $0.offset + 1, assetId: $0.element.id,
            revision: $0.element.revision, op: $0.element.retraction == nil ? "upsert" : "retract")
        })
    }
    try export(1, try catalog.exportCandidates(destination: "national", full: false))
    #expect(try catalog.exportCandidates(destination: "national", full: false).isEmpty)
    #expect(try catalog.exportCandidates(destination: "other", full: false).count == 2)

    // A tag, a text, a provenance entry or a retraction raises the revision.
    try catalog.changeTags(
      [TagRow(assetId: id, facet: "pillar", value: "tourism-landscape", source: "explicit", addedAt: "t")],
      remove: false, by: Actor(name: "tester", at: "t"))
    let tagged = try revision(id)
    #expect(tagged > first)
    #expect(
      try catalog.retract([other], reason: "rights withdrawn", by: Actor(name: "tester", at: "2026-11-23T00:00:00Z"))
        == [nil])
    // Retracted already: the first retraction stays and is returned; nothing is audited again.
    let again = try catalog.retract([other], reason: "again", by: Actor(name: "tester", at: "t"))
    #expect(again == [RetractionRow(assetId: other, reason: "rights withdrawn", retractedAt: "2026-11-23T00:00:00Z")])
    #expect(try catalog.history(other).map(\.action) == ["retract"])
    #expect(throws: CatalogError.self) {
      try catalog.retract([id, "sha256:00"], reason: "x", by: Actor(name: "t", at: "t"))
    }
    #expect(try catalog.entry(id)?.retraction == nil, "a failed retraction changes nothing")
    let changed = try catalog.exportCandidates(destination: "national", full: false)
    #expect(changed.map(\.id) == [id, other])
    #expect(changed.map(\.retraction) == [nil, "rights withdrawn"])
    #expect(try catalog.exportCandidates(destination: "national", full: true).map(\.id) == [id])
    try export(2, changed)
    #expect(try catalog.exportRecords(destination: "national", sequence: 2).map(\.op) == ["upsert", "retract"])

    // A receipt: outcomes per record and the content now held.
    try catalog.applyReceipt(
      destination: "national", sequence: 2,
      outcomes: [
        ReceiptOutcome(assetId: id, revision: tagged, accepted: true),
        ReceiptOutcome(assetId: other, revision: changed[1].revision, accepted: false, reason: "unknown asset"),
      ], held: [id], at: "2026-11-24T00:00:00Z")
    let records = try catalog.exportRecords(destination: "national", sequence: 2)
    #expect(records.map(\.outcome) == ["accepted", "rejected"] && records[1].reason == "unknown asset")
    #expect(try catalog.heldObjects(destination: "national") == [id])
    #expect(
      try catalog.exportBundles(destination: "national").map(\.receiptAppliedAt) == [nil, "2026-11-24T00:00:00Z"])
    #expect(throws: CatalogError.self) {
      try catalog.applyReceipt(destination: "national", sequence: 9, outcomes: [], held: [], at: "t")
    }
    // A resend of bundle 1 names the same assets, at their current revisions.
    #expect(
      try catalog.exportCandidates(destination: "national", sequence: 1).map(\.revision) == [
        tagged, try revision(other),
      ])
  }

  @Test("unretract removes the retraction, audited, so the next bundle carries the record again")
  func unretract() throws {
    let catalog = try Catalog(path: path)
    try catalog.record([Arrival(asset: asset(id), provenance: provenance(id))])
    let actor = Actor(name: "tester", at: "2026-11-23T00:00:00Z")
    try catalog.retract([id], reason: "rights withdrawn", by: actor)
    let sent = try catalog.exportCandidates(destination: "national", full: false)
    #expect(sent.map(\.retraction) == ["rights withdrawn"])
    try catalog.recordExport(
      ExportBundleRow(
        destination: "national", sequence: 1, id: "mediabank-19-1", kind: "incremental", createdAt: "t", records: 1,
        objects: 0, bytes: 0),
      records: [
        ExportRecordRow(
          destination: "national", sequence: 1, line: 1, assetId: id, revision: sent[0].revision, op: "retract")
      ])
    #expect(try catalog.exportCandidates(destination: "national", full: false).isEmpty)

    let removed = try catalog.unretract([id], by: Actor(name: "editor", at: "2026-11-24T00:00:00Z"))
    #expect(removed == [RetractionRow(assetId: id, reason: "rights withdrawn", retractedAt: "2026-11-23T00:00:00Z")])
    let next = try catalog.exportCandidates(destination: "national", full: false)
    #expect(next.map(\.id) == [id] && next[0].retraction == nil && next[0].revision > sent[0].revision)
    #expect(try catalog.entry(id)?.retraction == nil)
    // Not retracted: nothing changes, nothing is audited.
    #expect(try catalog.unretract([id], by: actor) == [nil])
    let history = try catalog.history(id)
    #expect(history.map(\.action) == ["retract", "unretract"])
    #expect(history.map(\.operator) == ["tester", "editor"])
    #expect(history[0].newValue == "rights withdrawn" && history[1].oldValue == "rights withdrawn")
    #expect(history[1].newValue == nil && history[1].at == "2026-11-24T00:00:00Z")
  }

  @Test("a second arrival of the same asset adds provenance, not a second asset")
  func secondArrival() throws {
    let catalog = try Catalog(path: path)
    let title = TextRow(assetId: id, field: "title", language: "vi", position: 0, value: "Hồ", source: "xmp")
    #expect(
      try catalog.record([Arrival(asset: asset(id), fileTexts: [title], issues: ["x"], provenance: provenance(id))])
        == [.added])
    #expect(
      try catalog.record([
        Arrival(asset: asset(id), fileTexts: [title], issues: ["x"], provenance: provenance(id, name: "b.jpg"))
      ]) == [.held(sameName: false)])
    let entry = try #require(try catalog.entry(id))
    #expect(entry.provenance.map(\.originalName) == ["a.jpg", "b.jpg"])
    #expect(entry.texts == [title])
    #expect(entry.issues == ["x"])
    #expect(try catalog.entries().count == 1)
  }

  @Test("explicit values replace earlier explicit values of the same field and language")
  func explicitReplaces() throws {
    let catalog = try Catalog(path: path)
    func explicit(_ value: String, _ language: String) -> TextRow {
      TextRow(assetId: id, field: "title", language: language, position: 0, value: value, source: "explicit")
    }
    try catalog.record([Arrival(asset: asset(id), givenTexts: [explicit("A", "vi")], provenance: provenance(id))])
    try catalog.record([
      Arrival(asset: nil, givenTexts: [explicit("B", "vi"), explicit("C", "en")], provenance: provenance(id))
    ])
    let values = try #require(try catalog.entry(id)).texts.map { "\($0.language)=\($0.value)" }.sorted()
    #expect(values == ["en=C", "vi=B"])
  }

  @Test("constraints refuse bad rows and the transaction leaves nothing behind")
  func constraints() throws {
    let catalog = try Catalog(path: path)
    var bad = asset(id)
    bad.kind = "sculpture"
    #expect(throws: CatalogError.self) {
      try catalog.record([Arrival(asset: bad, provenance: provenance(id))])
    }
    let badText = TextRow(assetId: id, field: "title", language: "vi", position: 0, value: "", source: "xmp")
    #expect(throws: CatalogError.self) {
      try catalog.record([Arrival(asset: asset(id), fileTexts: [badText], provenance: provenance(id))])
    }
    #expect(try catalog.entries().isEmpty)
    #expect(throws: CatalogError.self) {
      try catalog.record([Arrival(asset: nil, provenance: provenance("sha256:" + String(repeating: "cd", count: 32)))])
    }
  }

  @Test("abbreviated ids and referenced objects")
  func lookup() throws {
    let catalog = try Catalog(path: path)
    var row = asset(id)
    row.thumbnailId = "sha256:" + String(repeating: "01", count: 32)
    try catalog.record([Arrival(asset: row, provenance: provenance(id))])
    #expect(try catalog.ids(startingWith: "sha256:abab") == [id])
    #expect(try catalog.ids(startingWith: "sha256:ff").isEmpty)
    #expect(try catalog.referencedObjects() == [row.thumbnailId!, id])
  }

  @Test("a display rendition is recorded once, for content the catalog holds, and goes when the content is purged")
  func displays() throws {
    let catalog = try Catalog(path: path)
    try catalog.record([Arrival(asset: asset(id), provenance: provenance(id))])
    let object = { (digits: String) in "sha256:" + String(repeating: digits, count: 32) }
    let first = DisplayRow(assetId: id, objectId: object("0d"), width: 4, height: 3, madeAt: "2026-11-23T00:00:00Z")
    #expect(try catalog.recordDisplay(first) { _ in true } == first)
    // A second view's rendition, made meanwhile: the first stays while its object is stored.
    var second = first
    second.objectId = object("0e")
    #expect(try catalog.recordDisplay(second) { _ in true } == first)
    #expect(try catalog.recordDisplay(second) { $0 != first.objectId } == second, "a lost object is replaced")
    #expect(try catalog.referencedObjects() == [second.objectId, id])
    let unknown = DisplayRow(
      assetId: object("cd"), objectId: object("0f"), width: 1, height: 1, madeAt: "2026-11-23T00:00:00Z")
    let error = #expect(throws: CatalogError.self) { try catalog.recordDisplay(unknown) { _ in true } }
    #expect(error?.kind == .notFound)
    try catalog.delete([id], reason: "test", kind: "delete", by: Actor(name: "tester", at: "2026-11-23T00:00:01Z"))
    #expect(try catalog.display(of: id) != nil, "until the content is purged")
    var removed: [String] = []
    try catalog.purge(try catalog.purgeQueue()) { removed = $0 }
    #expect(removed == [id, second.objectId])
    #expect(try catalog.display(of: id) == nil && catalog.referencedObjects().isEmpty)
  }

  @Test("a batch of arrivals is one transaction: one bad row and none is stored")
  func batchIsAtomic() throws {
    let catalog = try Catalog(path: path)
    let batch = try catalog.startBatch(root: "/in", operator: "tester", startedAt: "2026-11-23T00:00:00Z")
    let other = "sha256:" + String(repeating: "cd", count: 32)
    var bad = asset(other)
    bad.width = -1
    let progress = BatchProgress(
      id: batch, counts: BatchCounts(added: 2), skips: ["hidden file": 1], newFailures: [("/in/x.jpg", "broken")])
    #expect(throws: CatalogError.self) {
      try catalog.record(
        [Arrival(asset: asset(id), provenance: provenance(id)), Arrival(asset: bad, provenance: provenance(other))],
        batch: progress)
    }
    #expect(try catalog.entries().isEmpty)
    #expect(try catalog.batch(batch)?.batch.counts == BatchCounts())

    let cache = CacheRow(
      path: Data([0x2f, 0xe9]), size: 10, mtimeNs: 5, inode: 7, givenDigest: "g", assetId: id, batchId: batch)
    try catalog.record([Arrival(asset: asset(id), provenance: provenance(id), cache: cache)], batch: progress)
    try catalog.finishBatch(progress, finishedAt: "2026-11-23T00:01:00Z")
    let report = try #require(try catalog.batch(batch))
    #expect(report.batch.counts.added == 2 && report.batch.finishedAt == "2026-11-23T00:01:00Z")
    #expect(report.skips == ["hidden file": 1])
    #expect(report.failures == [BatchFailure(path: "/in/x.jpg", reason: "broken")])
    #expect(try catalog.cachedAsset(cache) == id)
    var touched = cache
    touched.mtimeNs = 6
    #expect(try catalog.cachedAsset(touched) == nil)
    var retagged = cache
    retagged.givenDigest = "h"
    #expect(try catalog.cachedAsset(retagged) == nil)
  }

  @Test("pages of assets added at the same second add up to the whole list, in both orders")
  func pagesWithinOneSecond() throws {
    let catalog = try Catalog(path: path)
    // Twenty assets added at one time, between two added earlier and later: an import's files.
    var ids: [String] = []
    for index in 0..<22 {
      let id = "sha256:" + String(format: "%064x", 1000 - index)
      var row = asset(id)
      row.addedAt = index == 0 ? "2026-01-01T00:00:00Z" : index == 21 ? "2026-12-01T00:00:00Z" : "2026-06-01T00:00:00Z"
      try catalog.record([Arrival(asset: row, provenance: provenance(id))])
      ids.append(id)
    }
    for newestFirst in [false, true] {
      for limit in [1, 3, 7, 50] {
        var listed: [String] = []
        var position: AssetPosition?
        repeat {
          let page = try catalog.assetIDs(AssetQuery(), after: position, newestFirst: newestFirst, limit: limit)
          listed += page.map(\.id)
          position = page.count == limit ? page.last?.position : nil
        } while position != nil
        #expect(listed == (newestFirst ? ids.reversed() : ids), "limit \(limit), newest first: \(newestFirst)")
      }
    }
  }

  @Test("pages in the order of capture add up to the whole list: undated first when oldest first, last when newest")
  func pagesByCapture() throws {
    let catalog = try Catalog(path: path)
    // Three capture times, some shared, some set by a person, and undated assets between them.
    let captures: [(file: String?, explicit: String?)] = [
      ("2019-05-01T08:00:00", nil), (nil, nil), ("2024-01-01T00:00:00", nil), (nil, "2019-05-01T08:00:00"),
      (nil, nil), ("2019-05-01T08:00:00", "2021-03-03T00:00:00"), ("2024-01-01T00:00:00", nil), (nil, nil),
    ]
    var keyed: [(key: String, row: Int, id: String)] = []
    for (index, capture) in captures.enumerated() {
      let id = "sha256:" + String(format: "%064x", 500 + index)
      var row = asset(id)
      row.capturedAt = capture.file
      row.capturedAtExplicit = capture.explicit
      try catalog.record([Arrival(asset: row, provenance: provenance(id))])
      keyed.append((capture.explicit ?? capture.file ?? "", index, id))
    }
    let oldest = keyed.sorted { ($0.key, $0.row) < ($1.key, $1.row) }.map(\.id)
    let undated = keyed.filter { $0.key.isEmpty }.map(\.id)
    let newest =
      keyed.filter { !$0.key.isEmpty }.sorted { ($0.key, $0.row) > ($1.key, $1.row) }.map(\.id)
      + undated.reversed()
    for newestFirst in [false, true] {
      for limit in [1, 2, 3, 50] {
        var listed: [String] = []
        var position: AssetPosition?
        repeat {
          let page = try catalog.assetIDs(
            AssetQuery(), after: position, newestFirst: newestFirst, order: .captured, limit: limit)
          listed += page.map(\.id)
          position = page.count == limit ? page.last?.position : nil
        } while position != nil
        #expect(listed == (newestFirst ? newest : oldest), "limit \(limit), newest first: \(newestFirst)")
      }
    }
  }

  @Test("tallies count alike the assets with the same years and tags; a folder's year stands for a capture time")
  func tallies() throws {
    let catalog = try Catalog(path: path)
    func id(_ n: Int) -> String { "sha256:" + String(format: "%064x", n) }
    // The last asset arrives after the year asked for; the first two are counted alike.
    let plan: [(id: String, added: String, captured: String?, tags: [String], folder: String?)] = [
      (id(9), "2025-03-01T00:00:00Z", nil, ["tourism", "culture"], "Du lịch/2019"),
      (id(7), "2025-11-30T00:00:00Z", nil, ["culture", "tourism"], "Huế 2019"),
      (id(2), "2026-01-01T00:00:00Z", "2024-05-01T08:00:00+07:00", [], "Lễ hội/2018"),
      (id(3), "2026-02-01T00:00:00Z", nil, [], "Ảnh"),
      (id(5), "2027-01-01T00:00:00Z", nil, ["people"], nil),
    ]
    for asset in plan {
      var row = self.asset(asset.id)
      row.addedAt = asset.added
      row.capturedAt = asset.captured
      var arrival = Arrival(asset: row, provenance: provenance(asset.id))
      arrival.provenance.folder = asset.folder
      arrival.tags = asset.tags.map {
        TagRow(assetId: asset.id, facet: "pillar", value: $0, source: "explicit", addedAt: asset.added)
      }
      try catalog.record([arrival])
    }
    var tallies: [AssetTally] = []
    try catalog.forEachTally(addedBefore: "2027", yearInFolder: { Int($0.suffix(4)) }) { tallies.append($0) }
    tallies.sort { ($0.addedYear, $0.captureYear ?? 0) < ($1.addedYear, $1.captureYear ?? 0) }
    #expect(tallies.map(\.count) == [2, 1, 1], "the two assets of 2025 alike, without the asset added in 2027")
    #expect(tallies.map(\.addedYear) == ["2025", "2026", "2026"])
    #expect(tallies.map(\.captureYear) == [2019, nil, 2024], "the folder's year, none, the capture time's")
    #expect(tallies.map { $0.tags.map(\.value) } == [["culture", "tourism"], [], []])
    #expect(tallies[0].tags.allSatisfy { $0.facet == "pillar" && $0.source == "explicit" && $0.confirmed })
    #expect(tallies.allSatisfy { !$0.damaged && $0.retractedYear == nil && $0.kind == "photo" })
  }
}
