import Foundation
import Synchronization
import Testing

@testable import Taxonomy

@Suite("Shipped data read on first use")
struct LazyTests {
  @Test func madeOnceOnFirstUse() throws {
    let made = Atomic(0)
    let value = Lazy { () throws(TaxonomyError) -> Int in
      made.add(1, ordering: .relaxed)
      return 42
    }
    #expect(made.load(ordering: .relaxed) == 0)
    DispatchQueue.concurrentPerform(iterations: 8) { _ in #expect((try? value.get()) == 42) }
    #expect(try value.get() == 42)
    #expect(made.load(ordering: .relaxed) == 1)
  }

  @Test func aFailureIsKept() {
    let tries = Atomic(0)
    let value = Lazy { () throws(TaxonomyError) -> Int in
      tries.add(1, ordering: .relaxed)
      throw TaxonomyError("damaged", subject: "test.csv")
    }
    for _ in 0..<3 {
      #expect(throws: TaxonomyError("damaged", subject: "test.csv")) { try value.get() }
    }
    #expect(tries.load(ordering: .relaxed) == 1)
  }

  /// `scripts/make-gazetteer` makes `units.bin` from the two CSV files; run it after changing them.
  @Test func compactUnitsSayWhatTheCSVFilesSay() throws {
    let directory = try ResourceFiles.directory()
    let compact = try Gazetteer.Units(directory: directory)
    let csv = try Gazetteer.Units(csvIn: directory)
    #expect(compact.provinces.count == 34 && compact.communes.count == 3321)
    #expect(compact.provinces == csv.provinces)
    #expect(compact.communes == csv.communes)
    #expect(compact == csv)
  }

  @Test func damagedCompactUnitsAreRefused() throws {
    let data = try ResourceFiles.data("units.bin", in: try ResourceFiles.directory())
    #expect(throws: TaxonomyError("not a units file", subject: "units.bin")) {
      try Gazetteer.Units(compact: Data("MBGZ".utf8) + data.dropFirst(4))
    }
    #expect(throws: TaxonomyError.self) { try Gazetteer.Units(compact: data.dropLast(3)) }
    #expect(throws: TaxonomyError("1 trailing bytes", subject: "units.bin")) {
      try Gazetteer.Units(compact: data + [0])
    }
  }

  /// `Gazetteer()` reads everything at once; the shared gazetteer reads each part when asked.
  @Test func gazetteerReadAtOnceAnswersAsTheShared() throws {
    let eager = try Gazetteer()
    #expect(eager.provinces == gazetteer.provinces)
    #expect(eager.communes == gazetteer.communes)
    #expect(eager.formerProvinces == gazetteer.formerProvinces)
    for text in ["Chợ Đồn, Bắc Kạn", "Bắc Kạn", "TP HCM", "Tân Thành"] {
      #expect(eager.resolve(text) == gazetteer.resolve(text), "\(text)")
    }
    let point = (latitude: 21.5928, longitude: 105.8442)
    #expect(
      eager.locate(latitude: point.latitude, longitude: point.longitude)
        == gazetteer.locate(latitude: point.latitude, longitude: point.longitude))
  }

  @Test func pillarVocabularyReadOnFirstUseIsTheFile() throws {
    let shipped = try PillarVocabulary.shipped()
    let directory = try #require(Bundle.module.url(forResource: "pillars", withExtension: nil))
    let read = try PillarVocabulary(data: try ResourceFiles.data("pillars.json", in: directory))
    #expect(shipped.version == read.version)
    #expect(shipped.pillars == read.pillars)
    #expect(shipped.suggestions(in: ["Du lịch Hồ Núi Cốc"]) == read.suggestions(in: ["Du lịch Hồ Núi Cốc"]))
  }
}
