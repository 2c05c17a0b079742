import BlobStore
import Catalog
import Foundation
import Metadata
import SyncBundle
import SystemIO

/// The `record` of a received upsert line, decoded once: its `id` (a line rule: a line whose
/// record has none, or another, refuses the bundle) and the asset record it is, or why it is not
/// one (which rejects that record alone).
struct IncomingRecord: LineRecord {
  let id: String
  let asset: Result<AssetRecord, RecordRejection>

  private enum Key: String, CodingKey { case id }

  init(from decoder: any Decoder) throws {
    id = try decoder.container(keyedBy: Key.self).decode(String.self, forKey: .id)
    do {
      asset = .success(try AssetRecord(from: decoder))
    } catch {
      asset = .failure(RecordRejection("not an asset record (\(Self.describe(error)))"))
    }
  }

  /// A decoding error in words: the key that is missing or of the wrong type, from the record.
  private static func describe(_ error: any Error) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      keys.map(\.stringValue).filter { $0 != "record" }.joined(separator: ".")
    }
    switch error as? DecodingError {
    case .keyNotFound(let key, let context): return "`\(path(context.codingPath + [key]))` is missing"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "`\(path(context.codingPath))` has the wrong type"
    case .dataCorrupted(let context): return "`\(path(context.codingPath))` is not valid"
    default: return "\(error)"
    }
  }
}

/// Why a received record is rejected on its own (the words of the receipt's `reason`).
struct RecordRejection: Error, Sendable, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// A line of a received bundle, decoded and checked once.
typealias IncomingLine = RecordLine<IncomingRecord>

extension RecordLine where Record == IncomingRecord {
  /// The content objects an upsert needs: its original (`id`) and its preview (`thumbnail`).
  var objects: [String] {
    guard case .success(let asset) = record?.asset else { return [] }
    return [id] + (asset.thumbnail.map { [$0] } ?? [])
  }

  /// The asset record of an upsert that passes the record checks that need no content: it
  /// decodes as an asset record, its `kind` is `photo`, `video` or `story`, its `byteSize` is
  /// not negative and its `thumbnail` is an object id. `receive` and `verify-bundle` both run
  /// these checks, and `contentProblem` when the content is at hand.
  func checkedAsset() throws(RecordRejection) -> AssetRecord {
    guard let record else { throw RecordRejection("not an upsert") }
    let asset = try record.asset.get()
    guard ["photo", "video", "story"].contains(asset.kind) else {
      throw RecordRejection("`kind` `\(asset.kind)` is not photo, video or story")
    }
    guard asset.byteSize >= 0 else { throw RecordRejection("`byteSize` \(asset.byteSize) is negative") }
    if let thumbnail = asset.thumbnail, BlobID(thumbnail) == nil || thumbnail != thumbnail.lowercased() {
      throw RecordRejection("`thumbnail` is not an object id (sha256:<64 lowercase hex digits>)")
    }
    return asset
  }
}

extension MediaFacts {
  /// Why the content at `path` (the asset's original, `id`) contradicts these facts of a
  /// record, or nil when it agrees: its size is `byteSize`, and its first bytes are those of the record's `kind` and
  /// `mediaType` (the same recognition `add` uses: JPEG, PNG, HEIF; MP4, MOV, WebM…; Markdown,
  /// text, HTML, DOCX).
  func contentProblem(at path: String) -> String? {
    let size: Int64
    var head = [UInt8](repeating: 0, count: headSize)
    do {
      let descriptor = try IO.open(path, .readOnly)
      defer { IO.close(descriptor) }
      size = Int64(try IO.status(of: descriptor, path: path).st_size)
      let count = try head.withUnsafeMutableBytes { buffer throws(SystemError) in
        try IO.read(descriptor, into: buffer, at: 0, path: path)
      }
      head.removeSubrange(count...)
    } catch {
      return "its content cannot be read (\((error as? SystemError)?.reason ?? "\(error)"))"
    }
    guard size == byteSize else { return "`byteSize` is \(byteSize), but its content has \(size) bytes" }
    let found: String
    do throws(MetadataError) {
      switch kind {
      case "photo": found = try PhotoExtractor.format(head: head, size: size, name: "").mediaType
      case "video": found = try VideoExtractor.format(head: head, size: size, name: "").mediaType
      default:
        // A story's format also follows from its name: the one its media type gives.
        let claimed = StoryFormat.allCases.first { $0.mediaType == mediaType }
        let name = "record." + (claimed?.fileExtensions.first ?? "")
        found = try StoryExtractor.format(head: head, size: size, name: name).mediaType
      }
    } catch {
      return "`kind` is \(kind), but its content is not one (\(error.reason))"
    }
    guard found == mediaType else { return "`mediaType` is \(mediaType), but its content is \(found)" }
    return nil
  }
}
