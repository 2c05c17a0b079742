package import Foundation
import SyncBundle

/// Entry points for the fuzz targets (`Fuzz/`, run by `scripts/fuzz`) into readers of untrusted
/// input that are not public. Each reads the bytes as the library does and discards the result.
package enum MediaBankFuzzing {
  /// A receipt file's envelope and body (not its signature: that needs a bank's keys).
  package static func receipt(_ data: Data) {
    _ = try? Library.receiptBody(data, name: "receipt.json")
  }

  /// One line of a received bundle's `data/records.jsonl`, as `receive` checks it.
  package static func recordLine(_ data: Data) {
    _ = try? IncomingLine.decode(data, formatVersion: BagInfo.currentFormatVersion)
  }

  /// The `metadata.csv` at `path`, for a folder holding the files `names`, with the shipped pillars.
  package static func metadataCSV(path: String, names: Set<String>) {
    guard let pillars else { return }
    _ = try? MetadataCSV.read(RawPath(path), names: names, pillars: pillars)
  }

  private static let pillars = try? BankPillars.shipped()
}
