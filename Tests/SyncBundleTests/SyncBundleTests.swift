import Crypto
import Foundation
import Testing

@testable import SyncBundle

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct SyncBundleTests {
  @Test("a directory bundle has exactly the spec's layout, and verifies with every field round-tripping")
  func directoryRoundTrip() throws {
    let fixture = Fixture()
    let bag = try fixture.writeDirectory()
    #expect(bag.lastPathComponent == "mediabank-19-000007")
    let hexes = fixture.objectBytes.keys.sorted()
    #expect(
      try tree(bag)
        == [
          "bag-info.txt", "bagit.txt", "data/", "data/objects/", "data/objects/sha256/",
        ] + hexes.map { "data/objects/sha256/" + $0 } + [
          "data/records.jsonl", "manifest-sha256.txt", "mediabank-signature.txt", "tagmanifest-sha256.txt",
        ])
    // Nothing is left beside it.
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: fixture.scratch.path).filter { $0.hasPrefix(".") } == [])

    let text = { (name: String) in try String(contentsOf: bag.appendingPathComponent(name), encoding: .utf8) }
    #expect(try text("bagit.txt") == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    let size = fixture.objectBytes.values.map(\.count).reduce(0, +) + fixture.records.map { $0.count + 1 }.reduce(0, +)
    #expect(
      try text("bag-info.txt") == """
        Source-Organization: Sở VHTTDL Thái Nguyên
        Bagging-Date: 2026-05-28
        Payload-Oxum: \(size).5
        External-Identifier: mediabank-19-000007
        Bag-Group-Identifier: mediabank-19-000007
        Bag-Count: 1 of 1
        MediaBank-Format-Version: 2
        MediaBank-Source-Bank: 19
        MediaBank-Source-Bank-Id: 5542ab9e-45dc-4d48-bd29-10be71f3241e
        MediaBank-Destination: national
        MediaBank-Sequence: 7
        MediaBank-Previous-Bundle: mediabank-19-000006
        MediaBank-Kind: incremental
        MediaBank-Records: 3
        MediaBank-Created-At: 2026-05-28T20:26:40Z
        MediaBank-Signing-Key-Id: \(fixture.info.signingKeyId)

        """)
    // The manifests are in sha256sum's format: sha256sum checks them.
    let manifest = try text("manifest-sha256.txt")
    #expect(manifest.hasSuffix("  data/records.jsonl\n"))
    #expect(manifest.split(separator: "\n").count == 5)
    for name in ["manifest-sha256.txt", "tagmanifest-sha256.txt"] {
      let result = try run(["sha256sum", "--strict", "-c", name], in: bag.path)
      #expect(result.status == 0, "\(name): \(result.output)")
    }
    #expect(
      try text("tagmanifest-sha256.txt").split(separator: "\n").map { $0.dropFirst(66) }
        == ["bagit.txt", "bag-info.txt", "manifest-sha256.txt"])
    // The signature is the key's, over the tag manifest's bytes.
    let signature = try BundleSignature(
      parsing: Array(Data(contentsOf: bag.appendingPathComponent(BundleSignature.fileName))))
    #expect(signature.keyId == fixture.info.signingKeyId)
    let tagManifest = try Data(contentsOf: bag.appendingPathComponent("tagmanifest-sha256.txt"))
    #expect(fixture.key.publicKey.isValidSignature(signature.signature, for: tagManifest))
    #expect(
      try text(BundleSignature.fileName).hasPrefix(
        "MediaBank-Signature-Version: 1\nSigned-File: tagmanifest-sha256.txt\n"))

    let verified = try BundleReader.verify(bag, keys: fixture.keys)
    var expected = fixture.info
    expected.records = 3
    expected.payloadOxum = PayloadOxum(octets: Int64(size), files: 5)
    #expect(verified.info == expected)
    #expect(verified.info.createdAt == Date(timeIntervalSince1970: 1_780_000_000))
    #expect(verified.signingKeyId == fixture.info.signingKeyId)
    #expect(verified.directory.path == bag.path)
    #expect(Set(verified.objects.keys) == Set(hexes.map { "sha256:" + $0 }))
    for (id, url) in verified.objects {
      #expect(try Array(Data(contentsOf: url)) == fixture.objectBytes[String(id.dropFirst(7))])
    }
    var lines: [Data] = []
    let reader = try RecordLines(path: verified.recordsPath)
    while let line = try reader.next() { lines.append(line) }
    #expect(lines == fixture.records)
    verified.cleanup()  // Nothing to remove for a directory: the bag stays.
    #expect(FileManager.default.fileExists(atPath: bag.path + "/bagit.txt"))
  }

  @Test("the Library of Congress validator (bagit.py) accepts a bundle, and refuses it once tampered")
  func libraryOfCongressValidator() throws {
    let fixture = Fixture(sequence: 1, destination: "ha-noi-2")
    let bag = try fixture.writeDirectory()
    #expect(bag.lastPathComponent == "mediabank-19-to-ha-noi-2-000001")
    // scripts/setup installs bagit; a machine without it fails here rather than skipping.
    let valid = try run(["python3", "-m", "bagit", "--validate", bag.path])
    #expect(valid.status == 0, "bagit.py --validate failed (run scripts/setup to install it): \(valid.output)")
    #expect(valid.output.contains("is valid"), "\(valid.output)")

    let records = bag.appendingPathComponent("data/records.jsonl")
    try (try Data(contentsOf: records) + Data("\n".utf8)).write(to: records)
    let tampered = try run(["python3", "-m", "bagit", "--validate", bag.path])
    #expect(tampered.status != 0, "\(tampered.output)")
  }

  @Test("a tar bundle holds the same bytes as the directory, in ustar, and verifies from a temporary copy")
  func tarRoundTrip() throws {
    let fixture = Fixture()
    let tar = try fixture.writeTar("mediabank-19-000007.tar")
    let listing = try run(["tar", "--list", "--verbose", "--file", tar.path])
    #expect(listing.status == 0, "\(listing.output)")
    #expect(listing.output.contains("mediabank-19-000007/bagit.txt"))
    let format = try run(["sh", "-c", "head -c 265 '\(tar.path)' | tail -c 8 | od -c | head -1"])
    #expect(format.output.contains("u   s   t   a   r  \\0   0   0"), "\(format.output)")

    // GNU tar extracts it to the same tree, byte for byte, as the directory form.
    let extracted = fixture.scratch.url.appendingPathComponent("extracted")
    try FileManager.default.createDirectory(at: extracted, withIntermediateDirectories: true)
    #expect(try run(["tar", "-xf", tar.path, "-C", extracted.path]).status == 0)
    let directory = fixture.scratch.url.appendingPathComponent("directory")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let bag = try BundleWriter.write(
      info: fixture.info, records: fixture.records, objects: fixture.objects, key: fixture.key,
      to: .directory(parent: directory))
    let fromTar = extracted.appendingPathComponent("mediabank-19-000007")
    #expect(try tree(fromTar) == tree(bag))
    for path in try tree(bag) where !path.hasSuffix("/") {
      #expect(
        try Data(contentsOf: fromTar.appendingPathComponent(path))
          == Data(contentsOf: bag.appendingPathComponent(path)),
        "\(path)")
    }

    let work = fixture.scratch.url.appendingPathComponent("work")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    let verified = try BundleReader.verify(tar, keys: fixture.keys, workDirectory: work)
    #expect(verified.info.bundleId == "mediabank-19-000007")
    #expect(verified.directory.lastPathComponent == "mediabank-19-000007")
    #expect(verified.directory.path.hasPrefix(work.path + "/"))
    #expect(verified.objects.count == 4)
    for (id, url) in verified.objects {
      #expect(try sha256(fileAt: url.path) == String(id.dropFirst(7)))
    }
    verified.cleanup()
    #expect(try FileManager.default.contentsOfDirectory(atPath: work.path) == [])
  }

  @Test("the examples of Storage/sync-bundle.md are what the writer writes")
  func specExamples() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let spec = try String(contentsOf: root.appendingPathComponent("Storage/sync-bundle.md"), encoding: .utf8)
    func example(_ name: String) throws -> [String] {
      let start = try #require(spec.range(of: "```text example=\(name)\n"))
      let end = try #require(spec[start.upperBound...].range(of: "\n```"))
      return spec[start.upperBound..<end.lowerBound].split(separator: "\n").map(String.init)
    }
    var fixture = Fixture(sequence: 1)
    fixture.objects = [fixture.objects[1]]
    let bag = try fixture.writeDirectory()
    let hex = try #require(fixture.objects.first?.id)
    let files = try tree(bag).filter { !$0.hasSuffix("/") }
      .map { "mediabank-19-000001/" + $0.replacingOccurrences(of: hex, with: "<64 hex digits>") }
    #expect(try example("bundle-layout").sorted() == files)
    #expect(
      try example("bagit-txt").map { $0 + "\n" }.joined()
        == String(contentsOf: bag.appendingPathComponent("bagit.txt"), encoding: .utf8))
    let signature = try String(contentsOf: bag.appendingPathComponent(BundleSignature.fileName), encoding: .utf8)
      .split(separator: "\n").map(String.init)
    let shown = try example("signature-file")
    #expect(signature.count == shown.count)
    #expect(Array(signature.prefix(2)) == Array(shown.prefix(2)))
    for (line, shownLine) in zip(signature, shown).dropFirst(2) {
      #expect(line.prefix { $0 != " " } == shownLine.prefix { $0 != " " })
    }
  }

  @Test("a bag re-packed by GNU tar in its gnu, posix (pax) and ustar formats verifies")
  func gnuTarFormats() throws {
    let fixture = Fixture()
    let bag = try fixture.writeDirectory()
    for format in ["gnu", "posix", "ustar"] {
      let tar = fixture.scratch.url.appendingPathComponent("\(format).tar")
      let made = try run([
        "tar", "--format=\(format)", "-cf", tar.path, "-C", fixture.scratch.path, bag.lastPathComponent,
      ])
      #expect(made.status == 0, "\(made.output)")
      let verified = try BundleReader.verify(tar, keys: fixture.keys)
      #expect(verified.objects.count == 4, "\(format)")
      verified.cleanup()
    }
  }

  @Test("a bag re-packed as `tar -cf x.tar ./bundle`, or with GNU tar's pax times, verifies")
  func dotSlashTar() throws {
    let fixture = Fixture()
    let bag = try fixture.writeDirectory()
    for (name, options) in [("dot.tar", [String]()), ("dot-pax.tar", ["--format=posix"])] {
      let tar = fixture.scratch.url.appendingPathComponent(name)
      let made = try run(
        ["tar"] + options + ["-cf", tar.path, "-C", fixture.scratch.path, "./" + bag.lastPathComponent])
      #expect(made.status == 0, "\(made.output)")
      #expect(try run(["tar", "-tf", tar.path]).output.hasPrefix("./" + bag.lastPathComponent + "/"))
      let verified = try BundleReader.verify(tar, keys: fixture.keys)
      #expect(verified.objects.count == 4, "\(name)")
      verified.cleanup()
    }
  }

  @Test("tar paths longer than ustar's fields use its prefix, then a pax header, which the reader follows")
  func tarLongPaths() throws {
    let object = "mediabank-19-000007/data/objects/sha256/" + String(repeating: "a", count: 64)
    let split = try #require(TarWriter.split(object))
    #expect(String(decoding: split.prefix + Array("/".utf8) + split.name, as: UTF8.self) == object)
    #expect(split.prefix.count <= 155 && split.name.count <= 100)
    #expect(TarWriter.split(String(repeating: "x", count: 101)) == nil)
    #expect(TarWriter.paxRecord("path", "abc") == "12 path=abc\n")
    #expect(TarWriter.paxRecord("path", String(repeating: "p", count: 90)).hasPrefix("99 path="))
    #expect(TarWriter.paxRecord("path", String(repeating: "p", count: 91)).hasPrefix("101 path="))

    let scratch = Scratch()
    let path = scratch.path + "/long.tar"
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    let long = "top/" + String(repeating: "d", count: 120) + "/" + String(repeating: "f", count: 150)
    var writer = TarWriter(descriptor: descriptor, bundle: "b", file: path, modificationTime: 0)
    try writer.directory("top/")
    try writer.file(long, bytes: Array("content".utf8))
    try writer.finish()
    close(descriptor)
    let listing = try run(["tar", "-tf", path])
    #expect(listing.output.contains(long), "\(listing.output)")
    try FileManager.default.createDirectory(atPath: scratch.path + "/out", withIntermediateDirectories: false)
    let extracted = try TarExtractor(tarPath: path, bundle: "long.tar", root: scratch.path + "/out").extract()
    #expect(extracted.top == "top")
    #expect(extracted.hashes == [String(long.dropFirst(4)): sha256(Data("content".utf8))])
  }

  @Test("a bundle without content has no data/objects, and is still a valid bag")
  func noContent() throws {
    var fixture = Fixture(sequence: 1)
    fixture.objects = []
    fixture.records = [fixture.records[2]]
    let bag = try fixture.writeDirectory()
    #expect(try tree(bag).filter { $0.hasPrefix("data/") } == ["data/", "data/records.jsonl"])
    let verified = try BundleReader.verify(bag, keys: fixture.keys)
    #expect(verified.objects.isEmpty)
    #expect(verified.info.previousBundle == nil)
    #expect(!(try String(contentsOf: bag.appendingPathComponent("bag-info.txt"), encoding: .utf8)).contains("Previous"))
    let tar = try fixture.writeTar()
    let fromTar = try BundleReader.verify(tar, keys: fixture.keys)
    #expect(fromTar.info == verified.info)
    fromTar.cleanup()
  }

  @Test("a bundle of delete lines (format 2) verifies, and the Library of Congress validator accepts it")
  func deleteLines() throws {
    var fixture = Fixture(sequence: 2)
    let id = "sha256:" + String(repeating: "ab", count: 32)
    fixture.objects = []
    fixture.records = [
      Data(#"{"id":"\#(id)","op":"delete","reason":"personal data","revision":4}"#.utf8),
      Data(#"{"id":"\#(id.dropLast(2))cd","op":"delete","revision":1}"#.utf8),
      fixture.records[2],
    ]
    for bag in [try fixture.writeDirectory(), try fixture.writeTar()] {
      let verified = try BundleReader.verify(bag, keys: fixture.keys)
      defer { verified.cleanup() }
      #expect(verified.info.formatVersion == 2 && verified.info.records == 3 && verified.objects.isEmpty)
      let valid = try run(["python3", "-m", "bagit", "--validate", verified.directory.path])
      #expect(valid.status == 0 && valid.output.contains("is valid"), "\(valid.output)")
    }
  }

  @Test("bundle ids, and bag-info.txt rendering and strict parsing")
  func bagInfo() throws {
    #expect(BagInfo.bundleId(source: "19", destination: "national", sequence: 7) == "mediabank-19-000007")
    #expect(BagInfo.bundleId(source: "19", destination: "national", sequence: 1_234_567) == "mediabank-19-1234567")
    #expect(BagInfo.bundleId(source: "75", destination: "ha-noi", sequence: 2) == "mediabank-75-to-ha-noi-000002")
    var info = Fixture(sequence: 2).info
    info.payloadOxum = PayloadOxum(octets: 10, files: 2)
    info.records = 1
    #expect(info.previousBundle == "mediabank-19-000001")
    let text = info.rendered()
    #expect(try BagInfo(parsing: Array(text.utf8)) == info)

    func refusal(_ edit: (String) -> String) -> String? {
      do {
        _ = try BagInfo(parsing: Array(edit(text).utf8))
        return nil
      } catch {
        #expect(error.reason == .bagInfo)
        return error.message
      }
    }
    #expect(
      refusal { $0.replacingOccurrences(of: "MediaBank-Previous-Bundle: mediabank-19-000001\n", with: "") }?
        .contains("MediaBank-Previous-Bundle should be `mediabank-19-000001`") == true)
    #expect(
      refusal {
        $0.replacingOccurrences(of: "External-Identifier: mediabank-19-000002", with: "External-Identifier: x")
      }?
      .contains("External-Identifier") == true)
    #expect(
      refusal { $0.replacingOccurrences(of: "Bag-Count: 1 of 1\n", with: "") }?.contains("expected `Bag-Count`") == true
    )
    #expect(refusal { $0 + "Extra: 1\n" }?.contains("unexpected `Extra`") == true)
    #expect(refusal { $0.replacingOccurrences(of: "MediaBank-Sequence: 2", with: "MediaBank-Sequence: 02") } != nil)
    #expect(refusal { $0.replacingOccurrences(of: "2026-05-28T20:26:40Z", with: "2026-02-30T20:26:40Z") } != nil)
    #expect(
      refusal { $0.replacingOccurrences(of: "MediaBank-Kind: incremental", with: "MediaBank-Kind: partial") } != nil)
    #expect(refusal { $0.replacingOccurrences(of: "\n", with: "\r\n") } != nil)
    #expect(refusal { String($0.dropLast()) }?.contains("newline") == true)
  }

  @Test("the writer refuses what it cannot put in a bundle, and leaves nothing behind")
  func writerRefusals() throws {
    var fixture = Fixture()
    func refusal(_ fixture: Fixture, key: Curve25519.Signing.PrivateKey? = nil) -> BundleError? {
      do {
        try BundleWriter.write(
          info: fixture.info, records: fixture.records, objects: fixture.objects, key: key ?? fixture.key,
          to: .directory(parent: fixture.scratch.url))
        return nil
      } catch {
        return error
      }
    }
    func leftovers() throws -> [String] {
      try FileManager.default.contentsOfDirectory(atPath: fixture.scratch.path).filter { !$0.hasPrefix("object-") }
    }
    #expect(refusal(fixture, key: Curve25519.Signing.PrivateKey())?.message.contains("signing key's id") == true)
    var bad = fixture
    bad.records.append(Data(#"{"id":"sha256:00","op":"upsert","revision":1,"record":{"id":"sha256:00"}}"#.utf8))
    #expect(refusal(bad)?.message.contains("record 4 has an id") == true)
    bad = fixture
    bad.records.append(Data("{\"op\":\"retract\",\n\"reason\":\"x\"}".utf8))
    #expect(refusal(bad)?.message.contains("line break") == true)
    bad = fixture
    bad.records.append(Data(#"{"id":"sha256:\#(String(repeating: "0", count: 64))","op":"merge","revision":1}"#.utf8))
    #expect(refusal(bad)?.message.contains("unknown op `merge`") == true)
    bad = fixture
    bad.info.destination = "Hà Nội"
    #expect(refusal(bad)?.reason == .invalidArgument)
    bad = fixture
    bad.objects.append((id: String(repeating: "1", count: 64), path: fixture.scratch.path + "/no-such-file"))
    #expect(refusal(bad)?.reason == .io)
    #expect(try leftovers() == [])

    fixture.objects = [fixture.objects[1]]
    #expect(refusal(fixture) == nil)
    #expect(refusal(fixture)?.reason == .alreadyExists)
    #expect(try leftovers() == ["mediabank-19-000007"])
    _ = try fixture.writeTar()
    #expect(throws: BundleError.self) { try fixture.writeTar() }
    #expect(try leftovers().sorted() == ["bundle.tar", "mediabank-19-000007"])
  }

  @Test("records are read one line at a time; a line of exactly 1 MiB passes, one byte more does not")
  func recordLines() throws {
    let scratch = Scratch()
    let limit = RecordLines.maximumLineLength
    let long = [UInt8](repeating: UInt8(ascii: "x"), count: limit)
    let path = scratch.file("ok.jsonl", Array("a\n\n".utf8) + long + [0x0a] + Array("b\n".utf8))
    let reader = try RecordLines(path: URL(fileURLWithPath: path))
    #expect(try reader.next() == Data("a".utf8))
    #expect(try reader.next() == Data())
    #expect(try reader.next()?.count == limit)
    #expect(try reader.next() == Data("b".utf8))
    #expect(try reader.next() == nil)
    #expect(reader.lineNumber == 4)

    let tooLong = try RecordLines(path: URL(fileURLWithPath: scratch.file("long.jsonl", long + [0x78, 0x0a])))
    #expect { try tooLong.next() } throws: { ($0 as? BundleError)?.reason == .recordTooLong }
    let unended = try RecordLines(path: URL(fileURLWithPath: scratch.file("unended.jsonl", Array("a\nb".utf8))))
    #expect(try unended.next() == Data("a".utf8))
    #expect { try unended.next() } throws: { ($0 as? BundleError)?.message.contains("newline") == true }
  }

  @Test("the signature file renders and parses, and refuses anything else")
  func signatureFile() throws {
    let key = Curve25519.Signing.PrivateKey()
    let signature = try BundleSignature(signing: Data("bytes".utf8), with: key)
    let text = signature.rendered()
    #expect(try BundleSignature(parsing: Array(text.utf8)) == signature)
    #expect(signature.isValid(for: Data("bytes".utf8), publicKey: key.publicKey))
    #expect(!signature.isValid(for: Data("bytez".utf8), publicKey: key.publicKey))
    // The key id of Storage/bank.md's example.
    let example = try Curve25519.Signing.PublicKey(
      rawRepresentation: Data(base64Encoded: "GLSRAMGpsAewi3gFTypvXZwJ8x5OFby2MRjmyZcDix0=")!)
    #expect(BundleSignature.keyId(of: example) == "ed25519:54f47566e4cef755")
    for edit in [
      { (text: String) in text.replacingOccurrences(of: "Version: 1", with: "Version: 2") },
      { $0.replacingOccurrences(of: "tagmanifest-sha256.txt", with: "bag-info.txt") },
      { $0.replacingOccurrences(of: "Signature: ", with: "Signature: AA") },
      { String($0.dropLast()) },
      { $0 + "Extra: 1\n" },
    ] {
      #expect(throws: BundleError.self) { try BundleSignature(parsing: Array(edit(text).utf8)) }
    }
  }
}
