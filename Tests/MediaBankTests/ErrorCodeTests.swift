import Crypto
import Foundation
import GRDB
import SyncBundle
import Testing

@testable import Catalog
@testable import MediaBank

/// Each `MediaBankError.Code` comes from a real operation (or a real lower error), with the lower
/// error kept and the message unchanged.
@Suite struct ErrorCodeTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("codes-\(UUID())")
  static let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  /// The error `body` throws.
  func failure(_ body: () throws -> some Any) -> MediaBankError? {
    do {
      _ = try body()
      return nil
    } catch {
      return error as? MediaBankError
    }
  }

  @Test("an unknown id is notFound, a malformed one invalidInput, the messages as before")
  func notFound() throws {
    let library = try Library.open(at: root, create: true)
    let unknown = failure { try library.asset("sha256:ffff") }
    #expect(unknown?.code == .notFound)
    #expect(unknown?.description == "no asset sha256:ffff in this bank")
    let malformed = failure { try library.asset("sha256:zz") }
    #expect(malformed?.code == .invalidInput)
    #expect(failure { try Library.open(at: root.appendingPathComponent("none"), create: false) }?.code == .notFound)
    #expect(failure { try library.batch(99) }?.code == .notFound)
  }

  @Test("a file that is not what its name says is invalidInput, not an internal error")
  func unrecognized() throws {
    let library = try Library.open(at: root, create: true)
    let fake = root.appendingPathComponent("fake.jpg").path
    try Data("not a photo\n".utf8).write(to: URL(fileURLWithPath: fake))
    let error = failure { try library.add(fake) }
    #expect(error?.code == .invalidInput)
    #expect(error?.description == "\(fake): not a JPEG file (starts with 0x6e 0x6f)")
  }

  @Test("an id prefix of two assets is ambiguous")
  func ambiguous() throws {
    // Two stories whose SHA-256 share their first 4 hex digits (found by hashing, not by adding).
    var seen: [String: Int] = [:]
    var pair: (Int, Int)?
    for n in 0..<20_000 where pair == nil {
      let hex = SHA256.hash(data: Data(Self.story(n).utf8)).map { String(format: "%02x", $0) }.joined()
      let prefix = String(hex.prefix(4))
      if let earlier = seen[prefix] { pair = (earlier, n) } else { seen[prefix] = n }
    }
    let (first, second) = try #require(pair)
    let library = try Library.open(at: root, create: true)
    let folder = root.appendingPathComponent("in")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var ids: [String] = []
    for n in [first, second] {
      let file = folder.appendingPathComponent("story-\(n).md")
      try Data(Self.story(n).utf8).write(to: file)
      ids.append(try library.add(file.path).id)
    }
    let prefix = String(ids[0].prefix("sha256:".count + 4))
    #expect(ids[1].hasPrefix(prefix))
    let error = failure { try library.asset(prefix) }
    #expect(error?.code == .ambiguous)
    #expect(error?.description == "'\(prefix)' is ambiguous; give more digits")
  }

  static func story(_ n: Int) -> String { "# Hồ Núi Cốc \(n)\n\nMột câu chuyện.\n" }

  @Test("a province that cannot change is a conflict, a malformed one invalidInput")
  func conflict() throws {
    let library = try Library.open(at: root, create: true)
    try library.initialize(province: "19", name: nil)
    #expect(failure { try library.initialize(province: "75", name: nil) }?.code == .conflict)
    #expect(failure { try library.initialize(province: "1a", name: nil) }?.code == .invalidInput)
  }

  @Test("a bank or a catalog written by a newer mediabank is newerCatalog")
  func newerCatalog() throws {
    _ = try Library.open(at: root, create: true)
    let catalog = try DatabaseQueue(path: root.appendingPathComponent("catalog.sqlite").path)
    try catalog.write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99-from-the-future')") }
    try catalog.close()
    let error = failure { try Library.open(at: root, create: false) }
    #expect(error?.code == .newerCatalog)
    #expect(error?.underlying is CatalogError)
    #expect(error?.reason.contains("written by a newer mediabank") == true)

    let other = root.appendingPathComponent("other")
    _ = try Library.open(at: other, create: true)
    let identity = other.appendingPathComponent("bank.json")
    let json = try String(contentsOf: identity, encoding: .utf8)
      .replacingOccurrences(of: #""formatVersion" : 1"#, with: #""formatVersion" : 99"#)
      .replacingOccurrences(of: #""formatVersion":1"#, with: #""formatVersion":99"#)
    try json.write(to: identity, atomically: true, encoding: .utf8)
    #expect(failure { try Library.open(at: other, create: false) }?.code == .newerCatalog)
  }

  @Test("a catalog locked by another writer is busy; a full disk diskFull; errno classified")
  func busyAndSystemErrors() throws {
    _ = try Library.open(at: root, create: true)
    let path = root.appendingPathComponent("catalog.sqlite").path
    let holder = try DatabaseQueue(path: path)
    var configuration = Configuration()
    configuration.busyMode = .immediateError
    let second = try DatabaseQueue(path: path, configuration: configuration)
    var locked: (any Error)?
    try holder.inTransaction(.exclusive) { _ in
      do {
        try second.write { db in try db.execute(sql: "DELETE FROM tag WHERE 0") }
      } catch {
        locked = error
      }
      return .rollback
    }
    let busy = try #require(locked)
    // As `Catalog.write` reports it, then as the facade does.
    let error = MediaBankError("x", wrapping: CatalogError("catalog write failed: \(busy)", wrapping: busy))
    #expect(error.code == .busy)
    #expect(((error.underlying as? CatalogError)?.underlying as? DatabaseError)?.resultCode == .SQLITE_BUSY)

    #expect(MediaBankError.Code(errno: ENOSPC) == .diskFull)
    #expect(MediaBankError.Code(errno: ENOENT) == .notFound)
    #expect(MediaBankError.Code(errno: EACCES) == .permissionDenied)
    #expect(MediaBankError.Code(errno: EIO) == .io(errno: EIO))
    #expect(MediaBankError.Code(classifying: DatabaseError(resultCode: .SQLITE_FULL)) == .internal)
    #expect(
      MediaBankError.Code(classifying: CatalogError("full", wrapping: DatabaseError(resultCode: .SQLITE_FULL)))
        == .diskFull)
    #expect(
      MediaBankError.Code(classifying: CatalogError("no", wrapping: DatabaseError(resultCode: .SQLITE_CONSTRAINT)))
        == .conflict)
    #expect(MediaBankError.Code(classifying: CocoaError(.fileWriteOutOfSpace)) == .diskFull)
    #expect(MediaBankError.Code(classifying: POSIXError(.ENOSPC)) == .diskFull)
  }

  @Test("a tampered bundle is refused(hashMismatch), a gap refused(sequence), with the BundleError kept")
  func refused() throws {
    let province = try Library.open(at: root.appendingPathComponent("province"), create: true)
    try province.initialize(province: "19", name: nil)
    let national = try Library.open(at: root.appendingPathComponent("national"), create: true)
    try national.initialize(province: nil, name: nil, national: true)
    try national.trust(bank: "19", publicKeyFile: root.appendingPathComponent("province/keys/bank.pub").path)
    let usb = root.appendingPathComponent("usb").path
    _ = try province.add(Self.fixtures.appendingPathComponent("photos/scan.png").path)
    let first = try #require(try province.export(ExportOptions(output: usb)).first)
    _ = try province.add(Self.fixtures.appendingPathComponent("stories/nui-coc.vi.md").path)
    let second = try #require(try province.export(ExportOptions(output: usb)).first)

    let gap = failure { try national.receive(second.path) }
    #expect(gap?.code == .refused(.sequence))
    #expect(gap?.code.httpStatus == 409)

    let records = URL(fileURLWithPath: first.path).appendingPathComponent("data/records.jsonl")
    var bytes = try Data(contentsOf: records)
    bytes[bytes.startIndex + 2] ^= 0x01
    try bytes.write(to: records)
    let tampered = failure { try national.receive(first.path) }
    #expect(tampered?.code == .refused(.hashMismatch))
    #expect((tampered?.underlying as? BundleError)?.reason == .hashMismatch)
    #expect(tampered?.description == (tampered?.underlying as? BundleError)?.description)
  }

  @Test("each code has a stable name and an HTTP status")
  func namesAndHTTPStatus() {
    let table: [(MediaBankError.Code, String, Int)] = [
      (.notFound, "notFound", 404), (.ambiguous, "ambiguous", 422), (.invalidInput, "invalidInput", 400),
      (.alreadyExists, "alreadyExists", 409), (.conflict, "conflict", 409), (.busy, "busy", 503),
      (.diskFull, "diskFull", 507), (.permissionDenied, "permissionDenied", 500), (.io(errno: EIO), "io", 500),
      (.newerCatalog, "newerCatalog", 500), (.refused(.badSignature), "refused", 422),
      (.refused(.sequence), "refused", 409), (.damaged, "damaged", 500), (.unavailable, "unavailable", 501),
      (.internal, "internal", 500),
    ]
    for (code, name, status) in table {
      #expect(code.name == name)
      #expect(code.httpStatus == status, "\(name)")
    }
  }
}
