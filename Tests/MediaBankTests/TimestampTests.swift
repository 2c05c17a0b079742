import Foundation
import Testing

@testable import MediaBank

/// The catalog's times (`Library.timestamp`), made by hand, are what `ISO8601DateFormatter` writes.
@Suite struct TimestampTests {
  @Test("a timestamp is the ISO 8601 UTC instant the formatter writes, to the second")
  func sameAsFormatter() {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    var generator = SystemRandomNumberGenerator()
    var dates = [0, -1, -0.5, 0.999, 59.9, 951_782_400, 1_709_330_400.75, 253_402_300_799, -62_135_596_800].map {
      Date(timeIntervalSince1970: $0)
    }
    dates.append(Date())
    for _ in 0..<2000 {
      // The formatter rounds to the millisecond first, so fractions above .999 are left out here
      // and checked below: a timestamp truncates, as a clock reads.
      let second = Double(Int.random(in: -2_000_000_000...4_000_000_000, using: &generator))
      dates.append(Date(timeIntervalSince1970: second + Double.random(in: 0..<0.999, using: &generator)))
    }
    for date in dates {
      #expect(Library.timestamp(of: date) == formatter.string(from: date), "\(date.timeIntervalSince1970)")
    }
    #expect(Library.timestamp(of: Date(timeIntervalSince1970: 1_709_330_400)) == "2024-03-01T22:00:00Z")
    #expect(Library.timestamp(of: Date(timeIntervalSince1970: 1_709_330_399.9999)) == "2024-03-01T21:59:59Z")
    #expect(Library.timestamp(of: Date(timeIntervalSince1970: -0.0001)) == "1969-12-31T23:59:59Z")
  }
}
