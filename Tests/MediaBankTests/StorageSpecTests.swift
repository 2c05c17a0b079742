import BlobStore
import Catalog
import Crypto
import Foundation
import MediaBank
import SyncBundle
import Testing

/// Checks the worked examples of `Storage/*.md` against the code, as the "Worked examples" table
/// of `Storage/README.md` describes. Each example is a fenced block whose info string contains
/// `example=NAME`.
@Suite struct StorageSpecTests {
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let sqlite3 = "/usr/bin/sqlite3"
  static let python3 = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  // MARK: The table itself

  @Test("every example in Storage/ is listed in the README table, and every listed one exists")
  func tableCoversExamples() throws {
    let documents = try FileManager.default.contentsOfDirectory(
      atPath: Self.packageRoot.appendingPathComponent("Storage").path
    ).filter { $0.hasSuffix(".md") }
    var blocks: Set<String> = []
    for document in documents {
      for line in try Self.lines(of: document) where Self.isFence(line) {
        for word in line.split(separator: " ") where word.hasPrefix("example=") {
          blocks.insert(String(word.dropFirst("example=".count)))
        }
      }
    }
    let table = try Self.tableRows(in: "README.md", under: "## Worked examples")
    let listed = Set(table.flatMap { Self.codeSpans(in: $0[0]) })
    #expect(blocks == listed)
  }

  // MARK: blob-store.md

  @Test("blob-path: BlobStore stores the bytes under the id and path shown")
  func blobPath() throws {
    let fields = try Self.keyedLines(Self.example("blob-path", in: "blob-store.md"))
    let bytes = try #require(fields["bytes"]).split(separator: " ").map { UInt8($0, radix: 16)! }
    try Self.withTemporaryDirectory { directory in
      let store = try BlobStore(root: directory.appendingPathComponent("objects"))
      let staged = try store.stage(bytes: bytes)
      #expect(try store.commit(staged))
      #expect(staged.id.description == fields["id"])
      let path = directory.appendingPathComponent(try #require(fields["path"])).path
      #expect(store.path(of: staged.id) == path)
      #expect(FileManager.default.contents(atPath: path) == Data(bytes))
    }
  }

  @Test(
    "blob-writer: BlobStore accepts the object the Python reference writer stores",
    .enabled(if: StorageSpecTests.python3 != nil, "python3 is not installed"))
  func blobWriter() throws {
    let writer = try Self.example("blob-writer", in: "blob-store.md")
    try Self.withTemporaryDirectory { directory in
      let store = try BlobStore(root: directory.appendingPathComponent("objects"))
      // More than two chunks, so that the writer's loop runs several times.
      let bytes = (0..<(2 * BlobStore.chunkSize + 123)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
      let source = directory.appendingPathComponent("source.bin")
      try Data(bytes).write(to: source)
      // Stored twice: new the first time, already stored the second.
      let script = writer + "\n\nimport sys\nfor _ in range(2):\n    print(*store(*sys.argv[1:]))\n"
      let result = try Self.run(
        try #require(Self.python3), ["-c", script, store.root.path, source.path])
      try #require(result.status == 0, "python3 failed: \(result.stderr)")
      let staged = try store.stage(bytes: bytes)
      #expect(result.stdout == "\(staged.id) True\n\(staged.id) False\n")
      #expect(store.check(staged.id) == .intact)
      #expect(try store.commit(staged) == false, "the object must already be stored")
      #expect(try store.storedObjects() == [staged.id])
      let mode =
        try FileManager.default.attributesOfItem(atPath: store.path(of: staged.id))[
          .posixPermissions] as? Int
      #expect(mode == 0o444)
      let temporary = store.root.appendingPathComponent("tmp").path
      #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
    }
  }

  // MARK: bank.md and README.md

  @Test("bank-layout: a new bank contains exactly these paths, with the modes shown")
  func bankLayout() throws {
    let expected = try Self.example("bank-layout", in: "bank.md").split(separator: "\n").map {
      $0.split(separator: " ").map(String.init)
    }
    try Self.withTemporaryDirectory { directory in
      let root = directory.appendingPathComponent("bank")
      try Self.createBank(at: root)
      #expect(try Self.tree(root) == expected.map(\.[0]).sorted())
      for line in expected where line.count > 1 {
        let attributes = try FileManager.default.attributesOfItem(
          atPath: root.appendingPathComponent(line[0]).path)
        #expect(attributes[.posixPermissions] as? Int == Int(line[1], radix: 8), "\(line[0])")
      }
    }
  }

  @Test("newer-version: a bank whose bank.json says formatVersion 3 is refused with the message")
  func newerVersion() throws {
    let message = try Self.example("newer-version", in: "README.md")
    try Self.withTemporaryDirectory { directory in
      let root = directory.appendingPathComponent("bank")
      try Self.createBank(at: root)
      let identity = root.appendingPathComponent("bank.json")
      let text = try String(contentsOf: identity, encoding: .utf8)
      try #require(text.contains("\"formatVersion\" : 1"))
      try text.replacingOccurrences(of: "\"formatVersion\" : 1", with: "\"formatVersion\" : 3")
        .write(to: identity, atomically: true, encoding: .utf8)
      let error = #expect(throws: MediaBankError.self) {
        try Library.open(at: root, create: true)
      }
      #expect(error?.description == message.replacingOccurrences(of: "/srv/bank", with: root.path))
    }
  }

  @Test("bank-location: BankLocation.resolve gives each result shown")
  func bankLocation() throws {
    for line in try Self.example("bank-location", in: "bank.md").split(separator: "\n") {
      let sides = line.components(separatedBy: "->")
      try #require(sides.count == 2, "\(line)")
      var explicit: String?
      var environment: [String: String] = [:]
      for setting in sides[0].split(separator: " ") {
        let parts = setting.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let value = parts.count == 2 ? String(parts[1]) : ""
        if parts[0] == "--bank" { explicit = value } else { environment[String(parts[0])] = value }
      }
      let resolved = BankLocation.resolve(explicit: explicit, environment: environment)
      #expect(resolved.path == sides[1].trimmingCharacters(in: .whitespaces), "\(line)")
    }
  }

  @Test("bank-json: decodes as BankIdentity, matches what init writes, and the table lists it")
  func bankJSON() throws {
    let example = try Self.example("bank-json", in: "bank.md")
    let decoded = try JSONDecoder().decode(BankIdentity.self, from: Data(example.utf8))
    let exampleObject = try #require(
      try JSONSerialization.jsonObject(with: Data(example.utf8)) as? [String: Any])
    let reencoded = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(decoded))
    #expect(
      try Self.canonicalJSON(reencoded) == Self.canonicalJSON(exampleObject),
      "the field names must round-trip")

    let fields = Set(Mirror(reflecting: decoded).children.compactMap(\.label))
    let table = try Self.tableRows(in: "bank.md", under: "### Fields")
    #expect(Set(table.flatMap { Self.codeSpans(in: $0[0]) }) == fields)
    // The example is a provincial bank (format 1): it has every field but the national bank's.
    #expect(Set(exampleObject.keys) == fields.subtracting(["national"]))
    #expect(try Self.keyId(ofPublicKey: decoded.publicKey) == decoded.keyId)

    // A bank made as the document says writes the same text, apart from its own id, key and time.
    try Self.withTemporaryDirectory { directory in
      let root = directory.appendingPathComponent("bank")
      let written = try Library.open(at: root, create: true).initialize(
        province: decoded.province, name: decoded.name)
      #expect(try Self.keyId(ofPublicKey: written.publicKey) == written.keyId)
      var expected = example
      for (mine, theirs) in [
        (decoded.bankId, written.bankId), (decoded.createdAt, written.createdAt),
        (decoded.keyId, written.keyId), (decoded.publicKey, written.publicKey),
      ] {
        expected = expected.replacingOccurrences(of: "\"\(mine)\"", with: "\"\(theirs)\"")
      }
      let text = try String(contentsOf: root.appendingPathComponent("bank.json"), encoding: .utf8)
      #expect(text == expected + "\n")
    }
  }

  // MARK: catalog.md

  @Test("schema, grdb-migrations: equal to `sqlite3 catalog.sqlite .schema` of a new catalog")
  func schema() throws {
    let expected =
      try Self.example("grdb-migrations", in: "catalog.md") + "\n"
      + Self.example("schema", in: "catalog.md")
    try Self.withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("catalog.sqlite").path
      _ = try Catalog(path: path)
      let result = try Self.run(try Self.requireSQLite(), [path, ".schema"])
      try #require(result.status == 0, "sqlite3 failed: \(result.stderr)")
      #expect(Self.collapsingWhiteSpace(result.stdout) == Self.collapsingWhiteSpace(expected))
    }
  }

  @Test("migrations: equal to the migrations applied to a new catalog")
  func migrations() throws {
    let expected = try Self.example("migrations", in: "catalog.md").split(separator: "\n")
    try Self.withTemporaryDirectory { directory in
      let catalog = try Catalog(path: directory.appendingPathComponent("catalog.sqlite").path)
      #expect(try catalog.appliedMigrations() == expected.map(String.init))
    }
  }

  @Test("catalog-add, catalog-rows: the rows shown are what Library.add records")
  func catalogRows() throws {
    let (file, options) = try Self.addCommand(Self.example("catalog-add", in: "catalog.md"))
    try Self.withTemporaryDirectory { directory in
      let added = directory.appendingPathComponent("added")
      let id = try Library.open(at: added, create: true).add(file, options: options).id
      let recorded = try #require(
        try Catalog(path: added.appendingPathComponent("catalog.sqlite").path).entry(id))

      let fromRows = directory.appendingPathComponent("rows.sqlite").path
      _ = try Catalog(path: fromRows)
      try Self.applyExampleRows(to: fromRows)
      let documented = try #require(try Catalog(path: fromRows).entry(id), "no asset \(id)")

      #expect(documented.asset.addedAt == documented.provenance.first?.addedAt)
      #expect(documented.tags.allSatisfy { $0.addedAt == documented.asset.addedAt })
      #expect((documented.asset.thumbnailId == nil) == (recorded.asset.thumbnailId == nil))
      #expect(Self.comparable(documented) == Self.comparable(recorded))
    }
  }

  // MARK: sync-bundle.md

  @Test("bundle-layout, bagit-txt, signature-file: an exported bundle is laid out and signed as shown")
  func bundleExamples() throws {
    try Self.withTemporaryDirectory { directory in
      let library = try Library.open(at: directory.appendingPathComponent("bank"), create: true)
      try library.initialize(province: "19", name: nil)
      _ = try library.add(Self.packageRoot.appendingPathComponent("Fixtures/photos/scan.png").path)
      let usb = directory.appendingPathComponent("usb")
      let result = try #require(try library.export(ExportOptions(output: usb.path)).first)
      #expect(result.bundle == "mediabank-19-000001")

      // The layout, with every object name standing for "<64 hex digits>".
      let all = FileManager.default.enumerator(atPath: usb.path)?.allObjects as? [String] ?? []
      let files = all.filter { path in
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(
          atPath: usb.appendingPathComponent(path).path, isDirectory: &isDirectory)
        return exists && !isDirectory.boolValue
      }
      let objectPrefix = "mediabank-19-000001/data/objects/sha256/"
      #expect(files.filter { $0.hasPrefix(objectPrefix) }.allSatisfy { $0.dropFirst(objectPrefix.count).count == 64 })
      let shown = Set(try Self.example("bundle-layout", in: "sync-bundle.md").split(separator: "\n").map(String.init))
      let actual = Set(files.map { $0.hasPrefix(objectPrefix) ? objectPrefix + "<64 hex digits>" : $0 })
      #expect(actual == shown)

      let bag = usb.appendingPathComponent("mediabank-19-000001")
      let bagit = try String(contentsOf: bag.appendingPathComponent("bagit.txt"), encoding: .utf8)
      #expect(bagit == (try Self.example("bagit-txt", in: "sync-bundle.md")) + "\n")

      let signature = try String(contentsOf: bag.appendingPathComponent("mediabank-signature.txt"), encoding: .utf8)
      let labels = { (text: String) in text.split(separator: "\n").map { $0.split(separator: ":")[0] } }
      #expect(labels(signature) == labels(try Self.example("signature-file", in: "sync-bundle.md")))
      #expect(signature.contains("\nKey-Id: \(try library.identity().keyId)\n"))
    }
  }

  @Test("key-rotation: a rotated bank's bundle carries its statement as shown, signed by the old key")
  func keyRotationExample() throws {
    try Self.withTemporaryDirectory { directory in
      let library = try Library.open(at: directory.appendingPathComponent("bank"), create: true)
      try library.initialize(province: "19", name: nil)
      let oldKey = try Curve25519.Signing.PublicKey(
        rawRepresentation: try #require(Data(base64Encoded: try library.key().publicKey)))
      let rotation = try library.rotateKey()
      _ = try library.add(Self.packageRoot.appendingPathComponent("Fixtures/photos/scan.png").path)
      let usb = directory.appendingPathComponent("usb")
      let result = try #require(try library.export(ExportOptions(output: usb.path)).first)
      let text = try String(
        contentsOf: URL(fileURLWithPath: result.path).appendingPathComponent("mediabank-key-rotation.txt"),
        encoding: .utf8)
      let labels = { (text: String) in text.split(separator: "\n").map { $0.split(separator: ":")[0] } }
      #expect(labels(text) == labels(try Self.example("key-rotation", in: "sync-bundle.md")))
      let statements = try KeyRotation.parse(Array(text.utf8))
      #expect(statements.count == 1 && statements[0].isSigned(by: oldKey))
      let bankId = try library.identity().bankId
      #expect(statements[0].newKeyId == rotation.newKeyId && statements[0].bankId == bankId)
      let bagInfo = try String(
        contentsOf: URL(fileURLWithPath: result.path).appendingPathComponent("bag-info.txt"), encoding: .utf8)
      #expect(bagInfo.contains("MediaBank-Format-Version: 3\n"))
    }
  }

  // MARK: backup.md

  @Test("backup-layout, backup-json: a backup holds these files, and backup.json these fields")
  func backupExamples() throws {
    try Self.withTemporaryDirectory { directory in
      let library = try Library.open(at: directory.appendingPathComponent("bank"), create: true)
      try library.initialize(province: "19", name: "Sở VHTTDL Thái Nguyên")
      _ = try library.add(Self.packageRoot.appendingPathComponent("Fixtures/photos/scan.png").path)
      let backup = directory.appendingPathComponent("backup")
      let summary = try library.backup(to: backup)
      #expect(summary.objects == 2 && summary.assets == 1)

      let all = FileManager.default.enumerator(atPath: backup.path)?.allObjects as? [String] ?? []
      let files = all.filter { path in
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(
          atPath: backup.appendingPathComponent(path).path, isDirectory: &isDirectory)
        return exists && !isDirectory.boolValue
      }
      let shown = try Self.example("backup-layout", in: "backup.md").split(separator: "\n").map(String.init).sorted()
      let actual = files.map { path in
        guard path.hasPrefix("objects/sha256/") else { return path }
        let parts = path.split(separator: "/")
        #expect(parts.count == 4 && parts[2].count == 2 && parts[3].count == 62)
        return "objects/sha256/<2 hex digits>/<62 hex digits>"
      }.sorted()
      #expect(actual == shown)

      let written = try #require(
        try JSONSerialization.jsonObject(with: Data(contentsOf: backup.appendingPathComponent("backup.json")))
          as? [String: Any])
      let example = try #require(
        try JSONSerialization.jsonObject(with: Data(Self.example("backup-json", in: "backup.md").utf8))
          as? [String: Any])
      #expect(Set(written.keys) == Set(example.keys))
      let table = Set(
        try Self.tableRows(in: "backup.md", under: "## `backup.json`").flatMap { Self.codeSpans(in: $0[0]) })
      #expect(Set(written.keys).isSubset(of: table))
      let identity = try library.identity()
      #expect(written["bankId"] as? String == identity.bankId && written["province"] as? String == "19")
      #expect(written["catalogMigrations"] as? [String] == example["catalogMigrations"] as? [String])
      #expect(written["objects"] as? Int == 2 && written["format"] as? String == "mediabank-backup")
    }
  }

  @Test("resolved: the asset record built from the example rows has these values")
  func resolved() throws {
    let example = try Self.example("resolved", in: "catalog.md")
    let expected = try #require(
      try JSONSerialization.jsonObject(with: Data(example.utf8)) as? [String: Any])
    try Self.withTemporaryDirectory { directory in
      let root = directory.appendingPathComponent("bank")
      let library = try Library.open(at: root, create: true)
      try Self.applyExampleRows(to: root.appendingPathComponent("catalog.sqlite").path)
      let id = try #require(try library.assets().first?.id)
      let record = try #require(
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(library.asset(id)))
          as? [String: Any])
      let extract = record.filter { expected.keys.contains($0.key) }
      #expect(try Self.canonicalJSON(extract) == Self.canonicalJSON(expected))
    }
  }

  // MARK: Reading the documents

  /// The lines of `Storage/<document>`.
  static func lines(of document: String) throws -> [Substring] {
    let url = packageRoot.appendingPathComponent("Storage").appendingPathComponent(document)
    return try String(contentsOf: url, encoding: .utf8).split(
      separator: "\n", omittingEmptySubsequences: false)
  }

  static func isFence(_ line: Substring) -> Bool {
    line.drop { $0 == " " }.hasPrefix("```")
  }

  /// The contents of the one fenced block of `Storage/<document>` whose info string contains
  /// `example=<name>`, without its fences and its indentation.
  static func example(_ name: String, in document: String) throws -> String {
    let lines = try lines(of: document)
    let openings = lines.indices.filter {
      isFence(lines[$0]) && lines[$0].split(separator: " ").contains { $0 == "example=\(name)" }
    }
    try #require(openings.count == 1, "\(document) has \(openings.count) blocks example=\(name)")
    let indent = lines[openings[0]].prefix { $0 == " " }.count
    let body = lines[(openings[0] + 1)...].prefix { !isFence($0) }
    return body.map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }
      .joined(separator: "\n")
  }

  /// The cells of the table rows that follow the heading `heading` in `Storage/<document>`.
  static func tableRows(in document: String, under heading: String) throws -> [[String]] {
    let lines = try lines(of: document)
    let start = try #require(lines.firstIndex { $0 == heading }, "no \(heading) in \(document)")
    let table = lines[start...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }
    return table.dropFirst(2).map {
      $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
    }
  }

  /// The texts between backquotes in `text`.
  static func codeSpans(in text: String) -> [String] {
    text.split(separator: "`", omittingEmptySubsequences: false).enumerated()
      .filter { $0.offset % 2 == 1 }.map { String($0.element) }
  }

  /// Lines of the form `key  value`.
  static func keyedLines(_ text: String) -> [String: String] {
    var fields: [String: String] = [:]
    for line in text.split(separator: "\n") {
      let key = line.prefix { $0 != " " }
      fields[String(key)] = line.dropFirst(key.count).trimmingCharacters(in: .whitespaces)
    }
    return fields
  }

  static func collapsingWhiteSpace(_ text: String) -> String {
    text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  /// The file and the options of a `mediabank add` command line (single quotes only).
  static func addCommand(_ line: String) throws -> (String, AddOptions) {
    var words: [String] = []
    var word: String?
    var quoted = false
    for character in line {
      if character == "'" {
        quoted.toggle()
        word = word ?? ""
      } else if character == " " && !quoted {
        if let finished = word { words.append(finished) }
        word = nil
      } else {
        word = (word ?? "") + String(character)
      }
    }
    if let word { words.append(word) }
    try #require(Array(words.prefix(2)) == ["mediabank", "add"], "\(line)")
    var values: [String: String] = [:]
    var files: [String] = []
    var rest = words.dropFirst(2)[...]
    while let word = rest.popFirst() {
      if word.hasPrefix("--") {
        let next = rest.popFirst()
        let value: String = try #require(next, "\(word) needs a value")
        values[String(word.dropFirst(2))] = value
      } else {
        files.append(packageRoot.appendingPathComponent(word).path)
      }
    }
    let known: Set = ["title", "description", "creator", "license", "lang", "operator"]
    try #require(Set(values.keys).isSubset(of: known), "unexpected option in \(line)")
    try #require(files.count == 1, "\(line)")
    let options = AddOptions(
      texts: StatedTexts(
        title: values["title"], description: values["description"], creator: values["creator"],
        license: values["license"]), language: values["lang"], operatorName: values["operator"])
    return (files[0], options)
  }

  /// An entry with what differs between banks (times, paths, preview id) blanked, and its rows
  /// in a fixed order.
  static func comparable(_ entry: CatalogEntry) -> CatalogEntry {
    var entry = entry
    entry.asset.addedAt = ""
    entry.asset.thumbnailId = nil
    entry.texts.sort {
      ($0.field, $0.source, $0.language, $0.position) < ($1.field, $1.source, $1.language, $1.position)
    }
    for index in entry.provenance.indices {
      entry.provenance[index].addedAt = ""
      entry.provenance[index].originalPath = ""
    }
    for index in entry.tags.indices { entry.tags[index].addedAt = "" }
    entry.issues.sort()
    return entry
  }

  static func canonicalJSON(_ object: Any) throws -> String {
    String(
      decoding: try JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self)
  }

  // MARK: Banks, catalogs and tools

  /// Creates a bank at `root` and closes it again.
  static func createBank(at root: URL) throws {
    _ = try Library.open(at: root, create: true)
  }

  /// Every path under `root`, relative, with `/` after directories, sorted.
  static func tree(_ root: URL) throws -> [String] {
    let paths = try FileManager.default.subpathsOfDirectory(atPath: root.path)
    return paths.map { path in
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(
        atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory)
      return isDirectory.boolValue ? path + "/" : path
    }.sorted()
  }

  /// Runs the `catalog-rows` INSERTs on the catalog at `path`, with foreign keys on.
  static func applyExampleRows(to path: String) throws {
    let rows = try example("catalog-rows", in: "catalog.md")
    let result = try run(try requireSQLite(), ["-bail", path, "PRAGMA foreign_keys = ON;\n" + rows])
    try #require(result.status == 0 && result.stderr.isEmpty, "sqlite3 refused: \(result.stderr)")
  }

  static func requireSQLite() throws -> String {
    try #require(
      FileManager.default.isExecutableFile(atPath: sqlite3),
      "\(sqlite3) is missing: install the Debian package sqlite3 (scripts/setup)")
    return sqlite3
  }

  /// `ed25519:` and the first 16 hex digits of the SHA-256 of the key's raw bytes.
  static func keyId(ofPublicKey base64: String) throws -> String {
    let raw = try #require(Data(base64Encoded: base64))
    #expect(raw.count == 32)
    return try withTemporaryDirectory { directory in
      let store = try BlobStore(root: directory)
      let staged = try store.stage(bytes: Array(raw))
      store.discard(staged)
      return "ed25519:" + staged.id.hex.prefix(16)
    }
  }

  /// Runs `executable` with `arguments` and no standard input.
  static func run(
    _ executable: String, _ arguments: [String]
  ) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let (stdout, stderr) = (Pipe(), Pipe())
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    let errors = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: output, as: UTF8.self),
      String(decoding: errors, as: UTF8.self)
    )
  }

  /// Runs `body` with a new empty directory, removed afterwards.
  static func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "storage-spec-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
  }
}
