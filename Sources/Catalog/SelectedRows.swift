import Foundation
import GRDB

// A listing of a large bank reads millions of catalog rows: an asset's row with its texts, tags
// and provenance. Decoding them through Codable, which looks every column up by name, was most
// of a listing's time, so the rows read in bulk are read by position from a statement that
// selects their columns in a known order: each type's `selection`, read by its
// `init(selected:)`. A text, tag or provenance row is read with its asset, whose id the
// statement's first column stands for (the selection follows it): the id is not read again.
// `SelectedRowsTests` writes every column of each type through its Codable conformance and
// checks that it reads back the same.

/// The rows `sql` selects, each made by `make` from the statement's current row (not copied). The
/// statement is prepared once per connection: `sql` should not vary with the values it selects.
func fetchSelected<T>(
  _ db: Database, _ sql: String, _ arguments: StatementArguments = [], _ make: (Row) throws -> T
) throws -> [T] {
  var result: [T] = []
  let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
  while let row = try rows.next() { result.append(try make(row)) }
  return result
}

extension AssetRow {
  /// The columns ``init(selected:)`` reads, in its order.
  static let selection = """
    id, kind, media_type, byte_size, width, height, orientation, captured_at, captured_at_source, \
    duration_seconds, container, video_codec, frame_rate, bit_rate, audio_codec, audio_channels, \
    audio_languages, word_count, damaged, camera_make, camera_model, camera_source, gps_latitude, \
    gps_longitude, gps_altitude, gps_source, exposure_time, f_number, iso, focal_length, thumbnail_id, \
    added_at, revision, captured_at_explicit
    """

  /// The row of a statement that selects ``selection``.
  init(selected row: Row) throws {
    facts = MediaFacts(id: row[0], kind: row[1], mediaType: row[2], byteSize: row[3])
    facts.width = row[4]
    facts.height = row[5]
    facts.orientation = row[6]
    facts.capturedAt = row[7]
    facts.capturedAtSource = row[8]
    facts.durationSeconds = row[9]
    facts.container = row[10]
    facts.videoCodec = row[11]
    facts.frameRate = row[12]
    facts.bitRate = row[13]
    facts.audioCodec = row[14]
    facts.audioChannels = row[15]
    if let languages = row[16] as String? {
      facts.audioLanguages = try JSONDecoder().decode([String].self, from: Data(languages.utf8))
    }
    facts.wordCount = row[17]
    facts.damaged = row[18]
    columns = Columns(
      cameraMake: row[19], cameraModel: row[20], cameraSource: row[21], gpsLatitude: row[22],
      gpsLongitude: row[23], gpsAltitude: row[24], gpsSource: row[25], exposureTime: row[26], fNumber: row[27],
      iso: row[28], focalLength: row[29], thumbnailId: row[30], addedAt: row[31], revision: row[32],
      capturedAtExplicit: row[33])
  }
}

extension TextRow {
  /// The columns ``init(selected:)`` reads, in its order.
  static let selection = "t.field, t.language, t.position, t.value, t.source"

  /// The row of the asset `assetId` from a statement that selects a column, then ``selection``.
  init(selected row: Row, assetId: String) {
    self.init(assetId: assetId, field: row[1], language: row[2], position: row[3], value: row[4], source: row[5])
  }
}

extension TagRow {
  /// The columns ``init(selected:)`` reads, in its order.
  static let selection = "t.facet, t.value, t.source, t.confirmed, t.note, t.added_at, t.batch_id"

  /// The row of the asset `assetId` from a statement that selects ``selection`` after the
  /// column `column` (the first).
  init(selected row: Row, after column: Int = 0, assetId: String) {
    self.init(
      assetId: assetId, facet: row[column + 1], value: row[column + 2], source: row[column + 3],
      note: row[column + 5], addedAt: row[column + 6], batchId: row[column + 7])
    confirmed = row[column + 4]
  }
}

extension ProvenanceRow {
  /// The columns ``init(selected:)`` reads, in its order.
  static let selection = "t.id, t.added_at, t.original_path, t.original_name, t.operator, t.batch_id, t.folder"

  /// The row of the asset `assetId` from a statement that selects a column, then ``selection``.
  init(selected row: Row, assetId: String) {
    self.init(
      assetId: assetId, addedAt: row[2], originalPath: row[3], originalName: row[4], operator: row[5],
      batchId: row[6], folder: row[7])
    id = row[1]
  }
}
