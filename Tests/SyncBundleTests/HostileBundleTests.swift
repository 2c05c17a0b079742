import Crypto
import Foundation
import Testing

@testable import SyncBundle

#if canImport(Glibc)
  import Glibc
#endif

/// Bundles an attacker or an accident could deliver: each is refused with its own reason, and
/// nothing extracted is left behind.
@Suite struct HostileBundleTests {
  let fixture = Fixture()

  /// Verifies `path` and returns the error (recording a failure if it verifies).
  func refusal(_ path: URL, keys: ((String) -> Curve25519.Signing.PublicKey?)? = nil) -> BundleError? {
    let work = fixture.scratch.url.appendingPathComponent("work")
    try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer {
      // A refused tar leaves nothing extracted.
      #expect((try? FileManager.default.contentsOfDirectory(atPath: work.path)) == [])
    }
    do {
      let verified = try BundleReader.verify(path, keys: keys ?? fixture.keys, workDirectory: work)
      verified.cleanup()
      Issue.record("\(path.lastPathComponent) verified, but should have been refused")
      return nil
    } catch {
      return error
    }
  }

  func expectRefusal(
    _ path: URL, _ reason: BundleError.Reason, _ words: String, file: String? = nil,
    keys: ((String) -> Curve25519.Signing.PublicKey?)? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard let error = refusal(path, keys: keys) else { return }
    #expect(error.reason == reason, "\(error)", sourceLocation: sourceLocation)
    #expect(error.description.contains(words), "\(error)", sourceLocation: sourceLocation)
    if let file { #expect(error.file == file, "\(error)", sourceLocation: sourceLocation) }
  }

  func append(_ line: String, to url: URL) throws {
    let handle = try FileHandle(forWritingTo: url)
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(line.utf8))
    try handle.close()
  }

  var firstObject: String { fixture.objectBytes.keys.sorted()[0] }

  // MARK: Manifests

  @Test("a manifest path that climbs out of the bag, or is absolute, or is listed twice, is refused")
  func manifestTraversal() throws {
    let bag = try fixture.writeDirectory()
    let manifest = bag.appendingPathComponent("manifest-sha256.txt")
    let original = try Data(contentsOf: manifest)
    let hash = String(repeating: "0", count: 64)
    for (path, words) in [
      ("data/../../x", "`data/../../x` has a `..` component"), ("/etc/passwd", "`/etc/passwd` is absolute"),
      ("data/./records.jsonl", "a `.` component"), ("data\\x", "backslash"), ("data/%2e%2e/x", "percent sign"),
      ("data/objects//x", "empty component"), ("data/records.jsonl", "`data/records.jsonl` is listed twice"),
    ] {
      try original.write(to: manifest)
      try append("\(hash)  \(path)\n", to: manifest)
      expectRefusal(bag, .unsafePath, words, file: "manifest-sha256.txt")
    }
    try original.write(to: manifest)
    try append("\(hash)  data/\u{1b}[2Jx\n", to: manifest)
    expectRefusal(bag, .unsafePath, "control character")
    // A safe path that is not a bundle file, and a malformed line.
    try original.write(to: manifest)
    try append("\(hash)  data/zzz.txt\n", to: manifest)
    expectRefusal(bag, .manifest, "`data/zzz.txt` is not a file a bundle may hold")
    try original.write(to: manifest)
    try append("\(hash) *data/records.jsonl\n", to: manifest)
    expectRefusal(bag, .manifest, "line 6 is not")
  }

  // MARK: Files in the bag

  @Test("a symbolic link in the bag is refused")
  func symlink() throws {
    let bag = try fixture.writeDirectory()
    let object = bag.path + "/data/objects/sha256/" + firstObject
    try FileManager.default.removeItem(atPath: object)
    try FileManager.default.createSymbolicLink(atPath: object, withDestinationPath: "/etc/passwd")
    expectRefusal(bag, .structure, "is a symbolic link", file: "data/objects/sha256/" + firstObject)
  }

  @Test("a FIFO in the bag is refused without blocking on it")
  func fifo() throws {
    let bag = try fixture.writeDirectory()
    let object = bag.path + "/data/objects/sha256/" + firstObject
    try FileManager.default.removeItem(atPath: object)
    #expect(mkfifo(object, 0o644) == 0)
    expectRefusal(bag, .structure, "is a FIFO")
    #expect(mkfifo(bag.path + "/data/pipe", 0o644) == 0)
    expectRefusal(bag, .structure, "is a FIFO")
  }

  @Test("extra files, hidden names and empty directories are refused; an unlisted or missing payload file too")
  func extraFiles() throws {
    let bag = try fixture.writeDirectory()
    let extra = bag.appendingPathComponent("data/notes.txt")
    try Data("hello".utf8).write(to: extra)
    expectRefusal(bag, .structure, "data/notes.txt: is not allowed in a bundle")
    try FileManager.default.removeItem(at: extra)

    let unlisted = bag.path + "/data/objects/sha256/" + sha256(Data("unlisted".utf8))
    _ = FileManager.default.createFile(atPath: unlisted, contents: Data("unlisted".utf8))
    expectRefusal(bag, .unlistedFile, "is not listed in manifest-sha256.txt")
    try FileManager.default.removeItem(atPath: unlisted)

    let hidden = bag.appendingPathComponent(".DS_Store")
    try Data().write(to: hidden)
    expectRefusal(bag, .structure, "a name beginning with `.`")
    try FileManager.default.removeItem(at: hidden)

    try FileManager.default.createDirectory(
      at: bag.appendingPathComponent("data/objects/md5"), withIntermediateDirectories: false)
    expectRefusal(bag, .structure, "data/objects/md5")
    try FileManager.default.removeItem(at: bag.appendingPathComponent("data/objects/md5"))

    let object = bag.path + "/data/objects/sha256/" + firstObject
    let bytes = try Data(contentsOf: URL(fileURLWithPath: object))
    try FileManager.default.removeItem(atPath: object)
    expectRefusal(bag, .missingFile, "is listed in manifest-sha256.txt but is not in the bundle")
    _ = FileManager.default.createFile(atPath: object, contents: bytes)

    try FileManager.default.removeItem(at: bag.appendingPathComponent("bag-info.txt"))
    expectRefusal(bag, .structure, "bag-info.txt: is missing")
    try Data("BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n".utf8).write(
      to: bag.appendingPathComponent("bagit.txt"))
    expectRefusal(bag, .structure, "bag-info.txt: is missing")
  }

  @Test("an empty objects directory is refused")
  func emptyDirectory() throws {
    let bag = try fixture.writeDirectory()
    for hex in fixture.objectBytes.keys {
      try FileManager.default.removeItem(atPath: bag.path + "/data/objects/sha256/" + hex)
    }
    expectRefusal(bag, .structure, "data/objects/sha256: is an empty directory")
  }

  // MARK: Tampering

  @Test("a tampered object, records file or bag-info.txt fails fixity, naming the file and both hashes")
  func tampering() throws {
    let bag = try fixture.writeDirectory()
    let object = bag.appendingPathComponent("data/objects/sha256/" + firstObject)
    var bytes = try Data(contentsOf: object)
    let original = bytes
    bytes[bytes.count / 2] ^= 1
    try bytes.write(to: object)
    expectRefusal(
      bag, .hashMismatch,
      "mediabank-19-000007: data/objects/sha256/\(firstObject): hash mismatch (manifest says \(firstObject), the file hashes to \(sha256(bytes)))"
    )
    try original.write(to: object)

    let records = bag.appendingPathComponent("data/records.jsonl")
    let text = try String(contentsOf: records, encoding: .utf8)
    try text.replacingOccurrences(of: #""revision":7"#, with: #""revision":8"#).write(
      to: records, atomically: false, encoding: .utf8)
    expectRefusal(bag, .hashMismatch, "hash mismatch", file: "data/records.jsonl")
    try text.write(to: records, atomically: false, encoding: .utf8)

    let info = bag.appendingPathComponent("bag-info.txt")
    let infoText = try String(contentsOf: info, encoding: .utf8)
    try infoText.replacingOccurrences(of: "MediaBank-Kind: incremental", with: "MediaBank-Kind: full").write(
      to: info, atomically: false, encoding: .utf8)
    expectRefusal(bag, .hashMismatch, "tagmanifest-sha256.txt says", file: "bag-info.txt")
    try infoText.replacingOccurrences(of: "Payload-Oxum: ", with: "Payload-Oxum: 1").write(
      to: info, atomically: false, encoding: .utf8)
    expectRefusal(bag, .payloadOxum, "but the payload is")
    try infoText.write(to: info, atomically: false, encoding: .utf8)
    #expect(refusal(bag, keys: { _ in nil })?.reason == .unknownKey)  // Otherwise intact again.
  }

  @Test("a re-sealed bundle whose object name is not its hash is refused")
  func objectName() throws {
    let bag = try fixture.writeDirectory()
    let wrong = String(repeating: "f", count: 64)
    try FileManager.default.moveItem(
      atPath: bag.path + "/data/objects/sha256/" + firstObject, toPath: bag.path + "/data/objects/sha256/" + wrong)
    try reseal(bag, key: fixture.key)
    expectRefusal(bag, .objectName, "is named \(wrong), but its SHA-256 is \(firstObject)")
  }

  // MARK: Signatures

  @Test("a bundle signed by a key the receiver does not know is refused")
  func unknownKey() throws {
    let bag = try fixture.writeDirectory()
    let stranger = Curve25519.Signing.PrivateKey()
    let strangerId = BundleSignature.keyId(of: stranger.publicKey)
    try reseal(bag, key: stranger) {
      $0.replacingOccurrences(of: fixture.info.signingKeyId, with: strangerId)
    }
    expectRefusal(bag, .unknownKey, "is by key \(strangerId), which is not the registered key")
  }

  @Test("a signature made by another key under a known key id is refused")
  func wrongKey() throws {
    let bag = try fixture.writeDirectory()
    try reseal(bag, key: Curve25519.Signing.PrivateKey(), keyId: fixture.info.signingKeyId)
    expectRefusal(bag, .badSignature, "does not verify with the public key of \(fixture.info.signingKeyId)")
  }

  @Test("a signature whose key id differs from bag-info's is refused")
  func keyIdMismatch() throws {
    let bag = try fixture.writeDirectory()
    let other = Curve25519.Signing.PrivateKey()
    try reseal(bag, key: other)
    expectRefusal(bag, .signature, "but bag-info.txt says the bundle is signed by")
  }

  @Test("a bundle without its signature file is refused as unsigned")
  func missingSignature() throws {
    let bag = try fixture.writeDirectory()
    try FileManager.default.removeItem(at: bag.appendingPathComponent(BundleSignature.fileName))
    expectRefusal(bag, .signature, "mediabank-signature.txt: is missing: the bundle is not signed")
    try Data("MediaBank-Signature-Version: 1\n".utf8).write(to: bag.appendingPathComponent(BundleSignature.fileName))
    expectRefusal(bag, .signature, "has 1 lines")
  }

  // MARK: Versions and fields

  @Test("a bundle of an unknown format version is refused with the upgrade message, even when signed")
  func unknownVersion() throws {
    let bag = try fixture.writeDirectory()
    try reseal(bag, key: fixture.key) {
      $0.replacingOccurrences(of: "MediaBank-Format-Version: 2", with: "MediaBank-Format-Version: 4")
    }
    expectRefusal(
      bag, .formatVersion,
      "bag-info.txt: bundle format 4 is newer than this mediabank understands (3); upgrade mediabank")
    // A newer bundle may hold files format 3 does not know: it is still refused as newer.
    try Data("new in format 4\n".utf8).write(to: bag.appendingPathComponent("mediabank-extra.txt"))
    try FileManager.default.removeItem(at: bag.appendingPathComponent(BundleSignature.fileName))
    expectRefusal(bag, .formatVersion, "bundle format 4 is newer than this mediabank understands (3)")
    try FileManager.default.removeItem(at: bag.appendingPathComponent("mediabank-extra.txt"))
    try reseal(bag, key: fixture.key) {
      $0.replacingOccurrences(of: "MediaBank-Format-Version: 4\n", with: "")
    }
    expectRefusal(bag, .formatVersion, "has no MediaBank-Format-Version")
    try reseal(bag, key: fixture.key) {
      $0.replacingOccurrences(of: "MediaBank-Kind:", with: "MediaBank-Format-Version: 0\nMediaBank-Kind:")
    }
    expectRefusal(bag, .formatVersion, "bundle format 0 does not exist (this mediabank reads formats 1 to 3)")
  }

  @Test("a bundle of format 1 is still read, but a `delete` line, which format 1 does not have, is refused in it")
  func formatOne() throws {
    let bag = try fixture.writeDirectory()
    try reseal(bag, key: fixture.key) {
      $0.replacingOccurrences(of: "MediaBank-Format-Version: 2", with: "MediaBank-Format-Version: 1")
    }
    let verified = try BundleReader.verify(bag, keys: fixture.keys)
    #expect(verified.info.formatVersion == 1 && verified.info.records == 3)
    let id = "sha256:" + String(repeating: "0", count: 64)
    try append(
      #"{"id":"\#(id)","op":"delete","reason":"personal data","revision":2}"# + "\n",
      to: bag.appendingPathComponent("data/records.jsonl"))
    try reseal(bag, key: fixture.key) {
      $0.replacingOccurrences(of: "MediaBank-Records: 3", with: "MediaBank-Records: 4")
    }
    expectRefusal(
      bag, .badRecord, "line 4 has an unknown op `delete` (format 1 knows `upsert` and `retract`)",
      file: "data/records.jsonl")
    // The same line in a bundle of format 2 is a deletion.
    try reseal(bag, key: fixture.key) {
      $0.replacingOccurrences(of: "MediaBank-Format-Version: 1", with: "MediaBank-Format-Version: 2")
    }
    #expect(try BundleReader.verify(bag, keys: fixture.keys).info.records == 4)
    // This program writes format 2 only.
    var old = fixture.info
    old.formatVersion = 1
    #expect(throws: BundleError.self) {
      try BundleWriter.write(
        info: old, records: [], objects: [], key: fixture.key, to: .directory(parent: fixture.scratch.url))
    }
  }

  @Test("a bag directory not named by its bundle id is refused")
  func renamedDirectory() throws {
    let bag = try fixture.writeDirectory()
    let renamed = fixture.scratch.url.appendingPathComponent("mediabank-19-000008")
    try FileManager.default.moveItem(at: bag, to: renamed)
    expectRefusal(renamed, .bagInfo, "the bag directory is named `mediabank-19-000008`")
  }

  // MARK: Records

  @Test("a records line of 100 MB is refused for its length, without reading it whole")
  func hugeRecord() throws {
    let bag = try fixture.writeDirectory()
    let records = bag.path + "/data/records.jsonl"
    // A sparse file: `{"op":"upsert","x":"` then zeros to 100 MB, then `"}\n`.
    let descriptor = open(records, O_WRONLY | O_TRUNC)
    #expect(descriptor >= 0)
    let head = Array(#"{"op":"upsert","x":""#.utf8)
    #expect(write(descriptor, head, head.count) == head.count)
    #expect(ftruncate(descriptor, 100_000_000) == 0)
    #expect(lseek(descriptor, 0, SEEK_END) == 100_000_000)
    let tail = Array("\"}\n".utf8)
    #expect(write(descriptor, tail, tail.count) == tail.count)
    close(descriptor)
    try reseal(bag, key: fixture.key)

    expectRefusal(bag, .recordTooLong, "data/records.jsonl: line 1 is longer than 1048576 bytes (1 MiB)")
    // The reader stops after 1 MiB and a chunk, whatever the line's length.
    let reader = try RecordLines(path: URL(fileURLWithPath: records))
    #expect { try reader.next() } throws: { ($0 as? BundleError)?.reason == .recordTooLong }
  }

  @Test("a records line that is not a record is refused; so is a count that differs from bag-info's")
  func badRecords() throws {
    let bag = try fixture.writeDirectory()
    let records = bag.appendingPathComponent("data/records.jsonl")
    let original = try Data(contentsOf: records)
    let id = "sha256:" + String(repeating: "0", count: 64)
    for (line, words) in [
      (
        #"{"id":"\#(id)","op":"purge","revision":1}"#,
        "line 4 has an unknown op `purge` (format 2 knows `upsert`, `retract` and `delete`)"
      ),
      (#"{"id":"\#(id)","op":"delete","reason":"","revision":2}"#, "line 4 is a delete with an empty `reason`"),
      (#"{"id":"\#(id)","op":"delete","reason":7,"revision":2}"#, "line 4 has a `reason` of the wrong type"),
      (#"{"id":"\#(id)","op":"delete"}"#, "line 4 has no `revision`"),
      ("[1,2]", "line 4 is not a JSON object"),
      ("not json", "line 4 is not a JSON object"),
      (String(repeating: "[", count: 500_000), "line 4 is not a JSON object"),
      (#"{"id":"\#(id)","op":"retract","revision":1}"#, "line 4 is a retract without a `reason`"),
      (#"{"id":"\#(id)","op":"upsert","revision":0,"record":{"id":"\#(id)"}}"#, "line 4 has a revision 0"),
      (#"{"id":"\#(id)","op":"upsert","revision":true,"record":{}}"#, "line 4 has a `revision` of the wrong type"),
      (
        #"{"id":"\#(id)","op":"upsert","record":{"id":"sha256:\#(String(repeating: "1", count: 64))"},"revision":1}"#,
        "line 4 has a `record.id` `sha256:1111"
      ),
      (#"{"id":"\#(id)","op":"upsert","revision":1}"#, "line 4 is an upsert without a `record` object"),
      (#"{"id":"\#(id)","op":"upsert","record":{},"revision":1}"#, "line 4 has no `record.id`"),
      (
        #"{"id":"\#(id)","op":"retract","reason":"x","revision":1,"revision":2}"#,
        "line 4 has the key `revision` twice in one object"
      ),
      (
        #"{"id":"\#(id)","op":"upsert","record":{"id":"\#(id)","kind":"photo","k\u0069nd":"video"},"revision":1}"#,
        "line 4 has the key `kind` twice in one object"
      ),
    ] {
      try (original + Data((line + "\n").utf8)).write(to: records)
      try reseal(bag, key: fixture.key)
      expectRefusal(bag, .badRecord, words, file: "data/records.jsonl")
    }
    try original.dropLast(1).write(to: records)
    try reseal(bag, key: fixture.key)
    expectRefusal(bag, .badRecord, "line 3 does not end with a newline")
    try original.write(to: records)
    try reseal(bag, key: fixture.key) {
      $0.replacingOccurrences(of: "MediaBank-Records: 3", with: "MediaBank-Records: 4")
    }
    expectRefusal(bag, .badRecord, "has 3 lines, but MediaBank-Records says 4")
  }

  @Test("a line with a key twice, or whose record names another asset, is refused; keys in strings are not keys")
  func duplicateKeys() throws {
    typealias Line = RecordLine<RecordIdentity>
    let id = "sha256:" + String(repeating: "0", count: 64)
    let fine =
      #"{"id":"\#(id)","op":"retract","reason":"\"id\":\"op\" [{,}]","revision":1,"x":{"id":1},"y":[{"id":2}]}"#
    #expect(Line.duplicateKey(in: Data(fine.utf8)) == nil)
    #expect(try Line.decode(Data(fine.utf8), formatVersion: 2).id == id)
    #expect(Line.duplicateKey(in: Data(#"{"a":[{"b":1,"b":2}]}"#.utf8)) == "b")
  }

  @Test("a bundle that says it has more than 100,000 records is refused, naming the limit")
  func tooManyRecords() throws {
    let bag = try fixture.writeDirectory()
    try reseal(bag, key: fixture.key) {
      $0.replacingOccurrences(of: "MediaBank-Records: 3", with: "MediaBank-Records: 100001")
    }
    expectRefusal(
      bag, .bagInfo, "MediaBank-Records is 100001, more than the 100000 records a bundle may have",
      file: "bag-info.txt")
  }

  @Test("bag-info.txt with CRLF line ends is refused as such")
  func crlfBagInfo() throws {
    let bag = try fixture.writeDirectory()
    try reseal(bag, key: fixture.key) { $0.replacingOccurrences(of: "\n", with: "\r\n") }
    expectRefusal(bag, .bagInfo, "has a carriage return (CRLF line ends?)", file: "bag-info.txt")
  }

  // MARK: Tar files

  /// A tar of the given entries, built with the writer's own header code: (path, type, bytes).
  func tar(_ entries: [(String, Character, [UInt8])], name: String = "hostile.tar") -> URL {
    var bytes: [UInt8] = []
    for (path, type, data) in entries {
      let split = TarWriter.split(path)!
      bytes += TarWriter.block(name: split, size: Int64(data.count), type: type.asciiValue!, mode: 0o644, time: 0)
      bytes += data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }
    bytes += [UInt8](repeating: 0, count: 1024)
    let url = fixture.scratch.url.appendingPathComponent(name)
    _ = FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
    return url
  }

  @Test("a tar with traversal, absolute paths, links, devices, FIFOs or entries outside its directory is refused")
  func hostileTarEntries() throws {
    let top = "mediabank-19-000007"
    for (entries, reason, words) in [
      (
        [(top + "/", "5", []), (top + "/../evil", "0", Array("x".utf8))], BundleError.Reason.unsafePath,
        "has a `..` component"
      ),
      ([("/etc/cron.d/evil", "0", Array("x".utf8))], .unsafePath, "is absolute"),
      ([(top + "/data/../../evil", "0", [])], .unsafePath, "has a `..` component"),
      ([(top + "/", "5", []), ("other/bagit.txt", "0", [])], .unsafePath, "lies outside the top-level directory"),
      ([(top + "/", "5", []), (top + "/data/link", "2", [])], .tar, "is a symbolic link"),
      ([(top + "/", "5", []), (top + "/data/hard", "1", [])], .tar, "is a hard link"),
      ([(top + "/", "5", []), (top + "/data/dev", "3", [])], .tar, "is a character device"),
      ([(top + "/", "5", []), (top + "/data/fifo", "6", [])], .tar, "is a FIFO"),
      (
        [(top + "/", "5", []), (top + "/a", "0", Array("1".utf8)), (top + "/a", "0", Array("2".utf8))], .tar,
        "appears twice"
      ),
      ([(top + "/", "5", []), (top + "/", "5", [])], .tar, "appears twice"),
      ([(top, "0", Array("x".utf8))], .tar, "must be the bag's directory"),
      ([], .tar, "is an empty archive"),
    ] as [([(String, Character, [UInt8])], BundleError.Reason, String)] {
      expectRefusal(tar(entries), reason, words)
    }
  }

  @Test("a tar bundle with duplicate entries, a bad checksum, truncation or trailing data is refused")
  func damagedTar() throws {
    let good = try fixture.writeTar()
    let bytes = try Data(contentsOf: good)
    // The same archive with one entry given twice (the first file entry repeated at the end).
    let first = 512  // The top-level directory's header comes first; then bagit.txt's header and data.
    let duplicate = bytes.prefix(bytes.count - 1024) + bytes[first..<(first + 1024)] + Data(count: 1024)
    try duplicate.write(to: fixture.scratch.url.appendingPathComponent("duplicate.tar"))
    expectRefusal(
      fixture.scratch.url.appendingPathComponent("duplicate.tar"), .tar, "`mediabank-19-000007/bagit.txt` appears twice"
    )

    var damaged = bytes
    damaged[first + 10] ^= 0x01  // A byte of bagit.txt's header name.
    try damaged.write(to: fixture.scratch.url.appendingPathComponent("checksum.tar"))
    expectRefusal(fixture.scratch.url.appendingPathComponent("checksum.tar"), .tar, "header checksum mismatch")

    try bytes.prefix(bytes.count / 2).write(to: fixture.scratch.url.appendingPathComponent("truncated.tar"))
    expectRefusal(fixture.scratch.url.appendingPathComponent("truncated.tar"), .tar, "is truncated")
    try bytes.prefix(bytes.count - 1024).write(to: fixture.scratch.url.appendingPathComponent("unended.tar"))
    expectRefusal(fixture.scratch.url.appendingPathComponent("unended.tar"), .tar, "without the end-of-archive marker")
    try (bytes + Data("trailing".utf8)).write(to: fixture.scratch.url.appendingPathComponent("trailing.tar"))
    expectRefusal(
      fixture.scratch.url.appendingPathComponent("trailing.tar"), .tar, "data after its end-of-archive marker")
    // Zeros after the marker (a tar padded to its 10 KiB record size) are fine.
    try (bytes + Data(count: 9 * 512)).write(to: fixture.scratch.url.appendingPathComponent("padded.tar"))
    let verified = try BundleReader.verify(fixture.scratch.url.appendingPathComponent("padded.tar"), keys: fixture.keys)
    verified.cleanup()
  }

  @Test("a tar whose bag fails a later check is refused and its extraction removed")
  func tamperedTar() throws {
    var bytes = try Data(contentsOf: try fixture.writeTar())
    // Flip a byte in the data of the object of 4096 bytes 0xab.
    let index = bytes.range(of: Data(repeating: 0xab, count: 4096))!.lowerBound + 10
    bytes[index] ^= 0xff
    let url = fixture.scratch.url.appendingPathComponent("tampered.tar")
    try bytes.write(to: url)
    expectRefusal(url, .hashMismatch, "mediabank-19-000007: data/objects/sha256/")
  }
}
