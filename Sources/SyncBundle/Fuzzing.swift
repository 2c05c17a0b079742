package import Foundation

/// Entry points for the fuzz targets (`Fuzz/`, run by `scripts/fuzz`) into readers of untrusted
/// input that are not public.
package enum SyncBundleFuzzing {
  /// Why `line` of `data/records.jsonl` is not a line of the format, as the bundle reader decodes
  /// it (`RecordLine.decode(_:formatVersion:)`, the record no further than its `id`).
  package static func recordProblem(_ line: Data, formatVersion: Int) -> String? {
    do {
      _ = try RecordLine<RecordIdentity>.decode(line, formatVersion: formatVersion)
      return nil
    } catch {
      return error.description
    }
  }
}
