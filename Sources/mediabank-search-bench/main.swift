// mediabank-search-bench: how fast `mediabank search` answers on a large bank (issue 6), and the
// maker of the large bank `scripts/bench-curation` measures curation on (issue 12).
//
//   mediabank-search-bench BANK [--assets N] [--batch-size N] [--objects M] [--make-only]
//
// Creates the bank at BANK (which must not exist), records N synthetic photos (default 100,000)
// straight into its catalog, 2,000 per transaction, with Vietnamese and English titles,
// Vietnamese descriptions and keywords drawn from a fixed-seed generator, and ten pillars, ten
// provinces and ten capture years each on a tenth of them (`scripts/bench-scale`), then times
// `Library.search` (limit 20, the records and passages of the hits included) for a rare phrase,
// a common word, two common words, a word with diacritics typed without them, and a word that
// occurs nowhere. Each time is the best and the median of 7 runs, in milliseconds, on one line
// per query of `key=value` pairs. Prints the build time of the bank too.
//
// The photos arrive as an import would bring them: every --batch-size of them (default 10,000)
// is one finished import batch (a `batch` row with its counts, each provenance row naming it),
// so that `tag --batch N` and `batches undo N` select them. With --objects M, the photos whose
// index (0, 1, 2… in the order added) modulo 100 is below M also have real content and a preview
// in the blob store (a few bytes each, unique to the photo, stored by `BlobStore.stage(bytes:)`
// and `commit`), the id of each the SHA-256 of its content, so that `delete` and `verify` act on
// real objects; the others have random ids and nothing in the store (`verify` reports their
// content missing). M is 0 by default (the search needs no content); creating a file costs a
// fraction of a millisecond on a busy disk, so --objects 100 makes a large bank slowly. The texts
// are the same whatever M. --make-only makes the bank and stops.
import BlobStore
import Catalog
import Foundation
import MediaBank
import SystemIO
import Taxonomy

/// A small fixed-seed generator (SplitMix64), so that every run makes the same bank.
struct Random {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }
}

let places = [
  "Thái Nguyên", "Hà Giang", "Đà Nẵng", "Huế", "Hội An", "Sa Pa", "Mù Cang Chải", "Cần Thơ", "Phú Quốc",
  "Hạ Long", "Ninh Bình", "Đà Lạt", "Quy Nhơn", "Côn Đảo", "Tam Đảo", "Điện Biên", "Cao Bằng", "Bắc Kạn",
]
let themes = [
  "Lễ hội", "Du lịch", "Đồi chè", "Chợ nổi", "Ruộng bậc thang", "Làng nghề", "Di tích", "Bãi biển",
  "Ẩm thực", "Áo dài", "Hang động", "Cầu", "Nhà thờ", "Chùa", "Sản phẩm OCOP", "Khu công nghiệp",
]
let moments = ["bình minh", "hoàng hôn", "mùa xuân", "mùa thu", "ban đêm", "sáng sớm", "ngày hội", "mùa lúa chín"]
let english = ["Festival", "Tourism", "Tea hills", "Floating market", "Terraced fields", "Craft village", "Beach"]
// Ten pillars, provinces and capture years, each on a tenth of the bank: a filter by one of them
// selects 10,000 assets of 100,000 (`scripts/bench-scale`).
let pillars = [
  "culture-heritage", "history-tradition", "people-communities", "tourism-landscape", "specialty-products",
  "investment-trade", "innovation-technology", "green-sustainable", "education-science", "events-sports",
]
let provinces = ["19", "01", "79", "48", "46", "92", "22", "56", "11", "15"]

let arguments = Array(CommandLine.arguments.dropFirst())
guard let bankPath = arguments.first else {
  IO.writeToStandardError(
    "usage: mediabank-search-bench BANK [--assets N] [--batch-size N] [--objects M] [--make-only]\n")
  exit(2)
}
func value(_ option: String, _ standard: Int) -> Int {
  guard let index = arguments.firstIndex(of: option) else { return standard }
  guard index + 1 < arguments.count, let value = Int(arguments[index + 1]), value > 0 else {
    IO.writeToStandardError("mediabank-search-bench: \(option) takes a positive number\n")
    exit(2)
  }
  return value
}
let count = value("--assets", 100_000)
let batchSize = value("--batch-size", 10_000)
let objectsPercent = min(value("--objects", 0), 100)
let makeOnly = arguments.contains("--make-only")
let root = URL(fileURLWithPath: bankPath)

let clock = ContinuousClock()
let buildStart = clock.now
var objects = 0
do {
  _ = try Library.open(at: root, create: true)
  let catalog = try Catalog(path: root.appendingPathComponent("catalog.sqlite").path, fold: VietnameseText.fold)
  let store = try BlobStore(root: root.appendingPathComponent("objects"))
  let addedAt = "2026-11-23T00:00:00Z"
  var random = Random(state: 2026)
  var batch: [Arrival] = []
  var staged: [StagedObject] = []
  var progress: BatchProgress?
  for index in 0..<count {
    if index % batchSize == 0 {
      let id = try catalog.startBatch(
        root: "/archive/import-\(index / batchSize + 1)", operator: "bench", startedAt: addedAt)
      progress = BatchProgress(id: id, counts: BatchCounts(), skips: [:], newFailures: [])
    }
    var hex = ""
    for _ in 0..<4 { hex += String(format: "%016llx", random.next()) }
    var id = "sha256:" + hex
    var byteSize: Int64 = 3_600_000
    var thumbnail: String?
    if index % 100 < objectsPercent {
      // Content and preview, unique to this photo; the store names them by their SHA-256.
      let content = try store.stage(bytes: Array("mediabank bench photo \(index)\n".utf8), flush: false)
      let preview = try store.stage(bytes: Array("mediabank bench preview \(index)\n".utf8), flush: false)
      staged += [content, preview]
      objects += 2
      id = content.id.description
      byteSize = content.size
      thumbnail = preview.id.description
    }
    let place = random.pick(places)
    let theme = random.pick(themes)
    // One asset in a thousand is about Hồ Núi Cốc.
    let title = index % 1000 == 7 ? "Hồ Núi Cốc \(random.pick(moments))" : "\(theme) \(place) \(random.pick(moments))"
    let texts = [
      TextRow(assetId: id, field: "title", language: "vi", position: 0, value: title, source: "xmp"),
      TextRow(
        assetId: id, field: "title", language: "en", position: 0, value: "\(random.pick(english)) in \(place)",
        source: "xmp"),
      TextRow(
        assetId: id, field: "description", language: "vi", position: 0,
        value: "\(theme) ở \(place) vào \(random.pick(moments)), ảnh của Sở VHTTDL", source: "xmp"),
      TextRow(assetId: id, field: "keyword", language: "und", position: 0, value: theme, source: "xmp"),
      TextRow(assetId: id, field: "keyword", language: "und", position: 1, value: place, source: "xmp"),
    ]
    let folder = "/archive/import-\(index / batchSize + 1)"
    batch.append(
      Arrival(
        asset: AssetRow(
          id: id, kind: "photo", mediaType: "image/jpeg", byteSize: byteSize, addedAt: addedAt,
          width: 4000, height: 3000,
          capturedAt: String(format: "%d-%02d-15T10:00:00+07:00", 2017 + index % 10, 1 + index % 12),
          thumbnailId: thumbnail),
        fileTexts: texts,
        tags: [
          TagRow(
            assetId: id, facet: "language", value: "vi", source: "embedded", addedAt: addedAt, batchId: progress?.id),
          TagRow(
            assetId: id, facet: "language", value: "en", source: "embedded", addedAt: addedAt, batchId: progress?.id),
          TagRow(
            assetId: id, facet: "pillar", value: pillars[(index / 10) % 10], source: "explicit", addedAt: addedAt,
            batchId: progress?.id),
          TagRow(
            assetId: id, facet: "locality", value: provinces[(index / 100) % 10], source: "explicit",
            addedAt: addedAt, batchId: progress?.id),
        ],
        provenance: ProvenanceRow(
          assetId: id, addedAt: addedAt, originalPath: "\(folder)/\(index).jpg", originalName: "\(index).jpg",
          operator: "bench", batchId: progress?.id), byteSize: byteSize))
    let batchEnds = (index + 1) % batchSize == 0 || index == count - 1
    if batch.count == 2000 || batchEnds {
      // Stored before the catalog refers to them, but not flushed: the bank is temporary, and
      // a sync() per transaction would cost more than the rest of the making on a busy machine.
      for object in staged { try store.commit(object, syncDirectory: false) }
      staged.removeAll(keepingCapacity: true)
      try catalog.record(batch, batch: progress)
      for arrival in batch {
        progress?.counts.added += 1
        progress?.counts.bytes += arrival.byteSize
      }
      batch.removeAll(keepingCapacity: true)
      if batchEnds, let done = progress { try catalog.finishBatch(done, finishedAt: addedAt) }
    }
  }
} catch {
  IO.writeToStandardError("mediabank-search-bench: \(error)\n")
  exit(1)
}
let built = clock.now - buildStart
print(
  "build assets=\(count) batches=\((count + batchSize - 1) / batchSize) objects=\(objects) seconds=\(Double(built.components.seconds) + Double(built.components.attoseconds) / 1e18)"
)

if makeOnly { exit(0) }

do {
  let library = try Library.open(at: root, create: false)
  for (name, query) in [
    ("rare-phrase", "hồ núi cốc"), ("common-word", "du lịch"), ("two-common-words", "lễ hội thái nguyên"),
    ("typed-without-diacritics", "ruong bac thang mu cang chai"), ("nowhere", "xyzzy"),
  ] {
    var times: [Double] = []
    var hits = 0
    for _ in 0..<7 {
      let start = clock.now
      hits = try library.search(query, limit: 20).count
      let elapsed = clock.now - start
      times.append((Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * 1000)
    }
    times.sort()
    print(
      "query name=\(name) hits=\(hits) best_ms=\(String(format: "%.2f", times[0])) "
        + "median_ms=\(String(format: "%.2f", times[3]))")
  }
} catch {
  IO.writeToStandardError("mediabank-search-bench: \(error)\n")
  exit(1)
}
