import BlobStore
import Catalog
import Foundation
import Metadata
import SystemIO

/// The image a page shows of a photo in its large view: the photo itself when a browser shows it
/// as it is, else its display rendition (``Library/display(of:)``).
public struct DisplayImage: Equatable, Sendable {
  /// The object to send, `sha256:` and 64 hex digits: the photo's content, or its rendition.
  public var object: String
  /// Its media type: `image/jpeg` for a rendition, the photo's own otherwise.
  public var mediaType: String
  /// Whether it is the photo's original itself.
  public var isOriginal: Bool
  /// Its size in pixels, as displayed, when known.
  public var width: Int?
  public var height: Int?
  /// The file of the object, to read and never to change.
  public var path: String
}

extension Library {
  /// The long edge of display renditions, in pixels (smaller photos keep their size).
  public static let displayLongEdge = 1600
  /// The longest edge, in pixels, of a photo that is shown as it is rather than through a
  /// rendition (a phone's 4032 × 3024 JPEG gets one: 12 megapixels is a lot to send to see it).
  public static let displayOriginalMaxEdge = 2560
  /// The largest photo, in bytes, shown as it is (8 MiB).
  public static let displayOriginalMaxBytes: Int64 = 8 << 20
  /// The media types that every current browser shows in an `<img>` as they are.
  public static let browserImageTypes: Set<String> = [
    "image/jpeg", "image/png", "image/gif", "image/webp", "image/avif",
  ]

  /// Whether the photo `record` is shown as it is: a type browsers show, upright (no EXIF
  /// orientation, or 1), its size known and within ``displayOriginalMaxEdge`` and
  /// ``displayOriginalMaxBytes``, its pixels not damaged.
  public static func showsAsIs(_ record: AssetRecord) -> Bool {
    guard record.kind == "photo", browserImageTypes.contains(record.mediaType), (record.orientation ?? 1) == 1,
      record.damaged == nil, let width = record.width, let height = record.height
    else { return false }
    return max(width, height) <= displayOriginalMaxEdge && record.byteSize <= displayOriginalMaxBytes
  }

  /// The image the large view of the photo `reference` (an id or an unambiguous prefix) shows:
  /// the original when ``showsAsIs(_:)``, else its display rendition, a JPEG of
  /// ``displayLongEdge`` pixels on its long edge (or the photo's own size if smaller), upright,
  /// made by the code that makes previews. The rendition is made on the first call, stored in
  /// the blob store by its write protocol and recorded in the catalog (`display`), so later calls
  /// read it; calls at the same time, in this process or others, make one object (the same
  /// bytes, named by their hash) and one row.
  ///
  /// Throws `.notFound` for an unknown asset, an asset that is not a photo, or a photo whose
  /// pixels cannot be decoded or exceed the pixel limit of imports (200 megapixels).
  public func display(of reference: String) throws(MediaBankError) -> DisplayImage {
    let record = try asset(reference)
    guard record.kind == "photo" else {
      throw MediaBankError(.notFound, "\(record.id) is a \(record.kind); only a photo has a display image")
    }
    if Self.showsAsIs(record) {
      return DisplayImage(
        object: record.id, mediaType: record.mediaType, isOriginal: true, width: record.width, height: record.height,
        path: try objectFile(record.id))
    }
    if let kept = try keptDisplay(of: record.id) { return kept }
    // One rendition at a time per photo and at most one per core in this process: a second view
    // waits for the first's and reads it, and memory stays bounded whatever the number of views.
    return try DisplayGate.shared.run(root.path + "|" + record.id) { () throws(MediaBankError) in
      if let kept = try keptDisplay(of: record.id) { return kept }
      return try makeDisplay(of: record.id)
    }
  }

  /// The rendition recorded for `id`, when its object is in the store.
  private func keptDisplay(of id: String) throws(MediaBankError) -> DisplayImage? {
    guard let row = try catalogCall({ () throws(CatalogError) in try catalog.display(of: id) }),
      let blob = BlobID(row.objectId), store.contains(blob)
    else { return nil }
    return DisplayImage(
      object: row.objectId, mediaType: "image/jpeg", isOriginal: false, width: row.width, height: row.height,
      path: store.path(of: blob))
  }

  /// Makes the rendition of photo `id`, stores it (flushed, then linked into place and its
  /// directory flushed) and records it.
  private func makeDisplay(of id: String) throws(MediaBankError) -> DisplayImage {
    let source = try objectFile(id)
    let image: Thumbnail
    do throws(MetadataError) {
      let metadata = try PhotoExtractor.read(source)
      image = try Thumbnailer.thumbnail(of: source, metadata: metadata, longEdge: Self.displayLongEdge)
    } catch {
      guard error.isDamaged || error.exceedsPixelLimit else {
        throw MediaBankError(
          "cannot make the display image of \(id): \(error.reason)", wrapping: error, code: .internal)
      }
      throw MediaBankError("\(id) has no display image: \(error.reason)", wrapping: error, code: .notFound)
    }
    let staged: StagedObject
    let isNew: Bool
    do throws(BlobStoreError) {
      staged = try store.stage(bytes: image.jpeg)
      isNew = try store.commit(staged)
    } catch {
      throw MediaBankError(
        error.isDiskFull ? diskFullReason : "cannot store the display image of \(id): \(error.description)",
        wrapping: error)
    }
    let object = staged.id.description
    let made = DisplayRow(
      assetId: id, objectId: object, width: image.width, height: image.height, madeAt: Self.timestamp())
    let recorded: DisplayRow
    do throws(CatalogError) {
      recorded = try catalog.recordDisplay(made) { stored in BlobID(stored).map(store.contains) ?? false }
    } catch {
      // The photo was deleted meanwhile: its rendition goes too, unless something needs it.
      if isNew { _ = try? catalog.purge([object]) { objects in try store.remove(objects.compactMap { BlobID($0) }) } }
      throw MediaBankError(error.kind == .notFound ? "no asset \(id) in this bank" : error.description, wrapping: error)
    }
    if recorded.objectId != object, isNew {
      // Another process recorded its rendition first, with other bytes: this one is not needed.
      _ = try? catalog.purge([object]) { objects in try store.remove(objects.compactMap { BlobID($0) }) }
    }
    return DisplayImage(
      object: recorded.objectId, mediaType: "image/jpeg", isOriginal: false, width: recorded.width,
      height: recorded.height, path: try objectFile(recorded.objectId))
  }

  /// The text of the story `reference` (an id or an unambiguous prefix), without markup:
  /// paragraphs separated by a blank line. The catalog's copy (`story_text`), else, for a
  /// province's story on the national bank, read from the stored file. Throws `.notFound` for an
  /// asset that is not a story.
  public func storyText(of reference: String) throws(MediaBankError) -> String {
    let record = try asset(reference)
    guard record.kind == "story" else {
      throw MediaBankError(.notFound, "\(record.id) is a \(record.kind), not a story")
    }
    if let body = try catalogCall({ () throws(CatalogError) in try catalog.storyBody(record.id) }) { return body }
    let path = try objectFile(record.id)
    do throws(MetadataError) {
      let format = try StoryExtractor.format(of: path, name: record.originalNames.first)
      return try StoryExtractor.read(path, format: format).body
    } catch {
      throw MediaBankError("cannot read the story \(record.id): \(error.reason)", wrapping: error, code: .damaged)
    }
  }
}

/// Lets one call at a time make the rendition of a photo, and at most one per core at once.
final class DisplayGate: @unchecked Sendable {
  static let shared = DisplayGate()
  private let condition = NSCondition()
  /// The photos whose renditions are being made (guarded by `condition`).
  private var making: Set<String> = []
  private let limit = max(1, ProcessInfo.processInfo.activeProcessorCount)

  func run<T>(_ key: String, _ body: () throws(MediaBankError) -> T) throws(MediaBankError) -> T {
    condition.lock()
    while making.contains(key) || making.count >= limit { condition.wait() }
    making.insert(key)
    condition.unlock()
    defer {
      condition.lock()
      making.remove(key)
      condition.broadcast()
      condition.unlock()
    }
    return try body()
  }
}
