import BlobStore
import Catalog
import Dispatch
import Foundation
import Synchronization
import Testing

@testable import MediaBank
@testable import Metadata

/// `Library.display(of:)`: the original when a browser shows it as it is; else a rendition made
/// once, kept in the store and the catalog, the same however many ask at once, and gone with its
/// photo.
@Suite struct DisplayTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("bank-\(UUID())")

  /// A JPEG of `width` × `height` pixels, a gradient, in a scratch file.
  func jpeg(width: Int, height: Int, name: String) throws -> String {
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for y in 0..<height {
      for x in 0..<width {
        let offset = (y * width + x) * 3
        pixels[offset] = UInt8(x * 255 / width)
        pixels[offset + 1] = UInt8(y * 255 / height)
        pixels[offset + 2] = 128
      }
    }
    let bytes = try Thumbnailer.encodeJPEG(RGBImage(width: width, height: height, pixels: pixels))
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let path = root.appendingPathComponent(name).path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// The photos of the fixtures.
  func photo(_ name: String) -> String { LibraryTests.fixtures.appendingPathComponent("photos/\(name)").path }

  @Test("a large photo's rendition is made once, 1600 pixels wide, kept as an object and in the catalog")
  func madeOnceAndKept() throws {
    let library = try Library.open(at: root, create: true)
    let id = try library.add(try jpeg(width: 3000, height: 2000, name: "large.jpg")).id
    let first = try library.display(of: id)
    #expect(!first.isOriginal && first.mediaType == "image/jpeg" && first.object != id)
    #expect(first.width == 1600 && first.height == 1067)
    let bytes = try #require(FileManager.default.contents(atPath: first.path))
    #expect(bytes.starts(with: [0xFF, 0xD8]))
    let catalog = library.catalog
    #expect(try catalog.display(of: id)?.objectId == first.object)
    #expect(try catalog.referencedObjects().contains(first.object))
    // Read again, even by another process (a new Library): the same object, not made again.
    let modified = try FileManager.default.attributesOfItem(atPath: first.path)[.modificationDate] as? Date
    let reopened = try Library.open(at: root, create: false)
    #expect(try reopened.display(of: String(id.prefix(12))) == first)
    #expect(try FileManager.default.attributesOfItem(atPath: first.path)[.modificationDate] as? Date == modified)
    let report = try library.verify()
    #expect(report.isSound && report.unreferenced.isEmpty, "\(report)")
  }

  @Test("views at the same time make one object and one row")
  func concurrentFirstViews() throws {
    let library = try Library.open(at: root, create: true)
    let id = try library.add(try jpeg(width: 2000, height: 3000, name: "tall.jpg")).id
    let other = try Library.open(at: root, create: false)
    let results = Mutex<[String]>([])
    DispatchQueue.concurrentPerform(iterations: 6) { index in
      let object = try? (index % 2 == 0 ? library : other).display(of: id).object
      results.withLock { $0.append(object ?? "failed") }
    }
    let objects = results.withLock { $0 }
    #expect(objects.count == 6 && Set(objects).count == 1 && objects[0] != "failed", "\(objects)")
    let report = try library.verify()
    #expect(report.isSound && report.unreferenced.isEmpty, "\(report)")
    // The original, its preview and its rendition.
    #expect(report.checked == 3)
  }

  @Test("a small upright JPEG is shown as it is; an orientation-6 one through an upright rendition")
  func originalOrRendition() throws {
    let library = try Library.open(at: root, create: true)
    let small = try library.add(photo("nui-coc-vi-en.jpg")).id
    let shown = try library.display(of: small)
    #expect(shown.isOriginal && shown.object == small && shown.mediaType == "image/jpeg")
    #expect(shown.path == (try library.objectFile(small)))
    let catalog = library.catalog
    #expect(try catalog.display(of: small) == nil, "nothing is made for it")
    let turned = try library.add(photo("orientation-6.jpg")).id
    let upright = try library.display(of: turned)
    // Stored 48 × 64, displayed 64 × 48.
    #expect(!upright.isOriginal && upright.width == 64 && upright.height == 48)
    let heic = try library.add(photo("iphone.heic")).id
    let converted = try library.display(of: heic)
    #expect(!converted.isOriginal && converted.mediaType == "image/jpeg" && converted.width == 320)
    let error = #expect(throws: MediaBankError.self) {
      try library.display(of: "sha256:" + String(repeating: "0", count: 64))
    }
    #expect(error?.code == .notFound)
  }

  @Test("deleting a photo removes its rendition; the rendition of a photo that stays is kept")
  func deletedWithItsPhoto() throws {
    let library = try Library.open(at: root, create: true)
    let going = try library.add(try jpeg(width: 2600, height: 1000, name: "wide.jpg")).id
    let staying = try library.add(try jpeg(width: 1000, height: 2600, name: "tall.jpg")).id
    let gone = try library.display(of: going)
    let kept = try library.display(of: staying)
    try library.delete([going], reason: "duplicate", operatorName: "Lê C")
    #expect(!FileManager.default.fileExists(atPath: gone.path))
    #expect(FileManager.default.fileExists(atPath: kept.path))
    let catalog = library.catalog
    #expect(try catalog.display(of: going) == nil && catalog.display(of: staying) != nil)
    let report = try library.verify()
    #expect(report.isSound && report.unreferenced.isEmpty, "\(report)")
  }
}
