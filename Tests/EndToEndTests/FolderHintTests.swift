import Foundation
import Testing

/// An archive's folders read as an archivist reads them (issue 14, hints 7 to 9): the places and
/// years inside folder names that are phrases, used by the records, the capture-date filters and
/// the report.
@Suite struct FolderHintTests {
  let scratch: ScratchDirectory
  let bank: String
  let archive: String
  let cli = CLI()

  init() throws {
    scratch = try ScratchDirectory()
    bank = scratch.appending("bank")
    archive = scratch.appending("archive")
    // A photo without a capture date or a place, made unique per folder by a trailing byte.
    let photo = try Data(contentsOf: URL(fileURLWithPath: CLI.photo("orientation-1.jpg")))
    for (index, folder) in [
      "2019 - Lễ hội Lồng Tồng Bắc Kạn", "Cho Don - Bac Kan cu", "Anh du lich/Ho Ba Be", "Dinh Hoa", "Khác",
    ].enumerated() {
      let directory = archive + "/" + folder
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      try (photo + Data(repeating: UInt8(index), count: index + 1)).write(
        to: URL(fileURLWithPath: directory + "/a.jpg"))
    }
    #expect(try cli("init", "--bank", bank, "--province", "19").status == 0)
    let imported = try cli("import", archive, "--bank", bank)
    #expect(imported.status == 0, "\(imported.stderr)")
  }

  /// The records by the folder their file was in.
  func records() throws -> [String: [String: Any]] {
    let all = try #require(try cli("list", "--json", "--bank", bank).json() as? [[String: Any]])
    var byFolder: [String: [String: Any]] = [:]
    for record in all {
      let provenance = try #require((record["provenance"] as? [[String: Any]])?.first)
      byFolder[try #require(provenance["folder"] as? String)] = record
    }
    return byFolder
  }

  @Test("places inside folder names: the most precise unit, read with the other names of the path")
  func places() throws {
    let records = try records()
    func locality(_ folder: String) -> [String: Any]? { records[folder]?["locality"] as? [String: Any] }
    #expect(locality("2019 - Lễ hội Lồng Tồng Bắc Kạn")?["province"] as? String == "19")
    #expect(locality("Cho Don - Bac Kan cu")?["commune"] as? String == "02020")
    #expect(locality("Anh du lich/Ho Ba Be")?["commune"] as? String == "01906")
    // Ambiguous across provinces, one candidate in the bank's own province.
    #expect(locality("Dinh Hoa")?["commune"] as? String == "05569")
    #expect(locality("Khác")?["source"] as? String == "bank-default")
    for folder in ["Cho Don - Bac Kan cu", "Dinh Hoa"] {
      #expect(locality(folder)?["source"] as? String == "path" && locality(folder)?["confirmed"] as? Bool == false)
    }
    // `review` says which folder suggested it.
    let review = try cli("review", "--locality", "--bank", bank)
    #expect(review.stdout.contains("the folder “Cho Don - Bac Kan cu”"), "\(review.stdout)")
  }

  @Test("a year inside a folder name is a hint: shown, and used by the capture-date filters and the report")
  func years() throws {
    let hinted = try #require(try records()["2019 - Lễ hội Lồng Tồng Bắc Kạn"])
    #expect((hinted["hints"] as? [String: Any])?["capturedYear"] as? Int == 2019)
    #expect(hinted["capturedAt"] == nil)
    func listed(_ arguments: String...) throws -> Int {
      let output = try cli.run(["list", "--ids", "--bank", bank] + arguments)
      return output.stdout.split(separator: "\n").count
    }
    #expect(try listed("--captured-from", "2019", "--captured-to", "2019") == 1)
    #expect(try listed("--captured-from", "2019-06-01", "--captured-to", "2019-12") == 1)
    #expect(try listed("--captured-from", "2020") == 0)
    #expect(try listed("--captured-to", "2018-12-31") == 0)
    let report = try #require(
      try cli("report", "--year", "2026", "--format", "json", "--bank", bank).json() as? [String: Any])
    let years = try #require(report["captureYears"] as? [[String: Any]])
    #expect(years.first { $0["key"] as? String == "2019" }?["total"] as? Int == 1, "\(years)")
  }
}
