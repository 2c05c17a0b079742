// mediabank-search-bench: how fast `mediabank search` answers on a large bank (issue 6).
//
//   mediabank-search-bench BANK [--assets N]
//
// Creates the bank at BANK (which must not exist), records N synthetic photos (default 100,000)
// straight into its catalog, 2,000 per transaction, with Vietnamese and English titles,
// Vietnamese descriptions and keywords drawn from a fixed-seed generator, then times
// `Library.search` (limit 20, the records and passages of the hits included) for a rare phrase,
// a common word, two common words, a word with diacritics typed without them, and a word that
// occurs nowhere. Each time is the best and the median of 7 runs, in milliseconds, on one line
// per query of `key=value` pairs. Prints the build time of the bank too.
import Catalog
import Foundation
import MediaBank
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

let arguments = Array(CommandLine.arguments.dropFirst())
guard let bankPath = arguments.first else {
  FileHandle.standardError.write(Data("usage: mediabank-search-bench BANK [--assets N]\n".utf8))
  exit(2)
}
let count = arguments.firstIndex(of: "--assets").flatMap { Int(arguments[$0 + 1]) } ?? 100_000
let root = URL(fileURLWithPath: bankPath)

let clock = ContinuousClock()
let buildStart = clock.now
do {
  _ = try Library.open(at: root, create: true)
  let catalog = try Catalog(path: root.appendingPathComponent("catalog.sqlite").path, fold: VietnameseText.fold)
  var random = Random(state: 2026)
  var batch: [Arrival] = []
  for index in 0..<count {
    var hex = ""
    for _ in 0..<4 { hex += String(format: "%016llx", random.next()) }
    let id = "sha256:" + hex
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
    batch.append(
      Arrival(
        asset: AssetRow(
          id: id, kind: "photo", mediaType: "image/jpeg", byteSize: 3_600_000, addedAt: "2026-11-23T00:00:00Z",
          width: 4000, height: 3000),
        fileTexts: texts,
        provenance: ProvenanceRow(
          assetId: id, addedAt: "2026-11-23T00:00:00Z", originalPath: "/archive/\(index).jpg",
          originalName: "\(index).jpg", operator: "bench")))
    if batch.count == 2000 || index == count - 1 {
      try catalog.record(batch)
      batch.removeAll(keepingCapacity: true)
    }
  }
} catch {
  FileHandle.standardError.write(Data("mediabank-search-bench: \(error)\n".utf8))
  exit(1)
}
let built = clock.now - buildStart
print("build assets=\(count) seconds=\(Double(built.components.seconds) + Double(built.components.attoseconds) / 1e18)")

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
  FileHandle.standardError.write(Data("mediabank-search-bench: \(error)\n".utf8))
  exit(1)
}
