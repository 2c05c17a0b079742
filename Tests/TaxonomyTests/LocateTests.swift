import Testing

@testable import Taxonomy

@Suite("GPS look-up")
struct LocateTests {
  /// SOURCES.md: the eight GPS spot checks.
  @Test(
    arguments: [
      (21.03257, 105.84971, "00070", "Phường Hoàn Kiếm", "01"),
      (22.10907, 105.85972, "01843", "Phường Bắc Kạn", "19"),
      (11.52549, 106.81546, "25210", "Phường Đồng Xoài", "75"),
      (10.35379, 107.07430, "26506", "Phường Vũng Tàu", "79"),
      (15.87017, 108.33336, "20410", "Phường Hội An", "48"),
      (16.45423, 107.58301, "19789", "Phường Thuận Hóa", "46"),
      (16.03578, 112.55552, "20333", "Đặc khu Hoàng Sa", "48"),
      (7.88477, 110.01217, "22736", "Đặc khu Trường Sa", "56"),
    ])
  func spotCheck(latitude: Double, longitude: Double, code: String, name: String, province: String) throws {
    let location = try #require(gazetteer.locate(latitude: latitude, longitude: longitude))
    #expect(location.commune.code == code)
    #expect(location.commune.name == name)
    #expect(location.province.code == province)
    #expect(location.isInside)
  }

  @Test func representativePointsLieInTheirCommunes() {
    var wrong: [String] = []
    for commune in gazetteer.communes {
      let location = gazetteer.locate(latitude: commune.latitude, longitude: commune.longitude)
      if location?.commune != commune { wrong.append(commune.code) }
    }
    // Simplified borders may shift a handful of points near a border into a neighbour.
    #expect(wrong.count <= 10, "\(wrong.count) representative points elsewhere: \(wrong.prefix(20))")
  }

  @Test func offshoreWithinFallbackDistance() throws {
    // Just off the beach of Vũng Tàu: outside every polygon, within 2 km of the coast.
    let point = try #require(offshorePoint(near: (10.35379, 107.07430), step: (-0.002, -0.002)))
    let location = try #require(gazetteer.locate(latitude: point.0, longitude: point.1))
    #expect(!location.isInside)
    #expect(location.distance > 0 && location.distance <= 2_000)
    #expect(location.province.code == "79")
    // With the fallback turned off, nothing.
    #expect(gazetteer.locate(latitude: point.0, longitude: point.1, maxDistance: 0) == nil)
  }

  @Test func farOutsideIsNil() {
    #expect(gazetteer.locate(latitude: 0, longitude: 0) == nil)
    #expect(gazetteer.locate(latitude: 13.0, longitude: 114.0) == nil)  // open sea
    #expect(gazetteer.locate(latitude: 13.7563, longitude: 100.5018) == nil)  // Bangkok
    #expect(gazetteer.locate(latitude: 23.1291, longitude: 113.2644) == nil)  // Guangzhou
    #expect(gazetteer.locate(latitude: .nan, longitude: 105) == nil)
    #expect(gazetteer.locate(latitude: 91, longitude: 500) == nil)
  }

  /// Walks from `start` by `step` until the point leaves every polygon, then returns it.
  func offshorePoint(near start: (Double, Double), step: (Double, Double)) -> (Double, Double)? {
    var point = start
    for _ in 0..<500 {
      point = (point.0 + step.0, point.1 + step.1)
      if gazetteer.locate(latitude: point.0, longitude: point.1, maxDistance: 0) == nil {
        return (point.0 + step.0 * 2, point.1 + step.1 * 2)
      }
    }
    return nil
  }
}

@Suite("communes.boundaries (Storage/gazetteer.md)")
struct BoundariesFileTests {
  /// The worked example of Storage/gazetteer.md: header and first feature.
  @Test func workedExample() throws {
    let directory = try ResourceFiles.directory()
    let bytes = [UInt8](try ResourceFiles.data("communes.boundaries", in: directory))
    #expect(
      bytes[0..<16] == [0x4D, 0x42, 0x47, 0x5A, 0x01, 0x00, 0x00, 0x00, 0xA0, 0x86, 0x01, 0x00, 0xF9, 0x0C, 0x00, 0x00])
    #expect(String(decoding: bytes[48..<55], as: UTF8.self) == "0000401")
    #expect(bytes[55..<58] == [0x01, 0x01, 0x18])  // 1 polygon, 1 ring, 24 points
    // First point: zigzag varints of 10582746 and 2103968.
    func varint(_ value: Int) -> [UInt8] {
      var value = value
      var out: [UInt8] = []
      repeat {
        let byte = UInt8(value & 0x7F)
        value >>= 7
        out.append(value == 0 ? byte : byte | 0x80)
      } while value != 0
      return out
    }
    let first = varint(10_582_746 * 2) + varint(2_103_968 * 2)
    #expect(Array(bytes[58..<58 + first.count]) == first)
  }
}
