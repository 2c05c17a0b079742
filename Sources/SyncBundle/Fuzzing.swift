package import Foundation

/// Entry points for the fuzz targets (`Fuzz/`, run by `scripts/fuzz`) into readers of untrusted
/// input that are not public.
package enum SyncBundleFuzzing {
  /// Why `line` of `data/records.jsonl` is not a record (`RecordLines.problem(of:formatVersion:)`).
  package static func recordProblem(_ line: Data, formatVersion: Int) -> String? {
    RecordLines.problem(of: line, formatVersion: formatVersion)
  }
}
