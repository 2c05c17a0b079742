public import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The fields of a bundle's `bag-info.txt` (`Storage/sync-bundle.md`), with their rendering and
/// their strict parsing.
///
/// `External-Identifier` and `Bag-Group-Identifier` are both the bundle id, and `Bag-Count` is
/// always `1 of 1`, so they are not stored: `bundleId` derives the id from the source, the
/// destination and the sequence, and `previousBundle` the id of the bundle before. A reader
/// refuses a file whose stored values differ from the derived ones.
public struct BagInfo: Sendable, Equatable {
  /// What a bundle holds.
  public enum Kind: String, Sendable {
    /// Every record and all content (`export --full`).
    case full
    /// What changed since the last bundle to the destination.
    case incremental
  }

  /// The newest bundle format this program reads and writes: format 2 added the `delete` record
  /// operation, format 3 the key rotation statements (`mediabank-key-rotation.txt`).
  public static let currentFormatVersion = 3

  /// The bundle formats this program reads: 1 (upsert and retract lines only) to 3.
  public static let readableFormatVersions = 1...currentFormatVersion

  /// The bundle formats this program writes: 2, and 3 for a bundle that carries key rotation
  /// statements (so that a receiver of an older version still reads every other bundle).
  public static let writableFormatVersions = 2...currentFormatVersion

  /// `Source-Organization`: the exporting bank's name.
  public var sourceOrganization: String
  /// `Bagging-Date`: the UTC date of export, `YYYY-MM-DD`.
  public var baggingDate: String
  /// `Payload-Oxum`: set by `BundleWriter.write`, from the payload it writes.
  public var payloadOxum: PayloadOxum?
  /// `MediaBank-Format-Version`.
  public var formatVersion: Int
  /// `MediaBank-Source-Bank`: the source id, the exporting bank's 2-digit province code.
  public var sourceBank: String
  /// `MediaBank-Source-Bank-Id`: the exporting bank's `bankId` (a lowercase UUID).
  public var sourceBankId: String
  /// `MediaBank-Destination`: lower-case ASCII letters, digits and `-` (`national`).
  public var destination: String
  /// `MediaBank-Sequence`: 1 for the first bundle to the destination, then one more each time.
  public var sequence: Int
  /// `MediaBank-Kind`.
  public var kind: Kind
  /// `MediaBank-Records`: the number of lines of `data/records.jsonl`; set by `BundleWriter.write`.
  public var records: Int
  /// `MediaBank-Created-At`: when the bundle was made, to the second.
  public var createdAt: Date
  /// `MediaBank-Signing-Key-Id`: the id of the key that signs the bundle (`ed25519:<16 hex>`).
  public var signingKeyId: String
  /// For one bag of a bundle split in several (`--max-size`): its place in the group.
  public var group: Group?

  /// A bag's place in a group of bags that were split from one export: the group is named by
  /// the id of its first bag, and the bags have consecutive sequence numbers.
  public struct Group: Sendable, Equatable {
    /// The id of the first bag of the group (`Bag-Group-Identifier`).
    public var identifier: String
    /// This bag's place, from 1, and the number of bags (`Bag-Count: index of count`).
    public var index: Int
    public var count: Int

    public init(identifier: String, index: Int, count: Int) {
      self.identifier = identifier
      self.index = index
      self.count = count
    }
  }

  /// A bundle's fields before it is written. `sourceOrganization` defaults to
  /// `MediaBank bank <source>`, `baggingDate` to the UTC date of `createdAt`, which is truncated
  /// to the second; `formatVersion` to 2 (3 is for a bundle that carries key rotations).
  public init(
    sourceOrganization: String? = nil, sourceBank: String, sourceBankId: String, destination: String,
    sequence: Int, kind: Kind, createdAt: Date, signingKeyId: String, baggingDate: String? = nil,
    formatVersion: Int = BagInfo.writableFormatVersions.lowerBound
  ) {
    let seconds = createdAt.timeIntervalSince1970.rounded(.down)
    self.sourceOrganization = sourceOrganization ?? "MediaBank bank \(sourceBank)"
    self.baggingDate = baggingDate ?? String(Timestamp.render(Int(seconds)).prefix(10))
    self.payloadOxum = nil
    self.formatVersion = formatVersion
    self.sourceBank = sourceBank
    self.sourceBankId = sourceBankId
    self.destination = destination
    self.sequence = sequence
    self.kind = kind
    self.records = 0
    self.createdAt = Date(timeIntervalSince1970: seconds)
    self.signingKeyId = signingKeyId
  }

  /// The bundle id: `External-Identifier`, `Bag-Group-Identifier`, and the bag directory's name.
  public var bundleId: String {
    Self.bundleId(source: sourceBank, destination: destination, sequence: sequence)
  }

  /// `MediaBank-Previous-Bundle`: the id of the bundle before this one, nil for bundle 1.
  public var previousBundle: String? {
    sequence > 1 ? Self.bundleId(source: sourceBank, destination: destination, sequence: sequence - 1) : nil
  }

  /// `mediabank-<source>-<sequence>` for the destination `national`, else
  /// `mediabank-<source>-to-<destination>-<sequence>`, the sequence in 6 digits or more.
  public static func bundleId(source: String, destination: String, sequence: Int) -> String {
    let digits = String(sequence)
    let padded = String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    return destination == "national"
      ? "mediabank-\(source)-\(padded)" : "mediabank-\(source)-to-\(destination)-\(padded)"
  }

  // MARK: Rendering

  /// The text of `bag-info.txt`: one `Label: value` line per field, in the specification's order.
  /// `Payload-Oxum` is written as `0.0` while `payloadOxum` is nil.
  public func rendered() -> String {
    var lines: [(String, String)] = [
      ("Source-Organization", sourceOrganization.precomposedStringWithCanonicalMapping),
      ("Bagging-Date", baggingDate),
      ("Payload-Oxum", (payloadOxum ?? PayloadOxum(octets: 0, files: 0)).description),
      ("External-Identifier", bundleId),
      ("Bag-Group-Identifier", group?.identifier ?? bundleId),
      ("Bag-Count", group.map { "\($0.index) of \($0.count)" } ?? "1 of 1"),
      ("MediaBank-Format-Version", String(formatVersion)),
      ("MediaBank-Source-Bank", sourceBank),
      ("MediaBank-Source-Bank-Id", sourceBankId),
      ("MediaBank-Destination", destination),
      ("MediaBank-Sequence", String(sequence)),
    ]
    if let previousBundle { lines.append(("MediaBank-Previous-Bundle", previousBundle)) }
    lines += [
      ("MediaBank-Kind", kind.rawValue),
      ("MediaBank-Records", String(records)),
      ("MediaBank-Created-At", Timestamp.render(Int(createdAt.timeIntervalSince1970))),
      ("MediaBank-Signing-Key-Id", signingKeyId),
    ]
    return lines.map { "\($0): \($1)\n" }.joined()
  }

  /// Why these fields cannot be written in a bundle (`reading`: read from one), or nil when they
  /// can. A writer writes only the current format; a reader reads every readable one.
  func problem(reading: Bool = false) -> String? {
    if let problem = Self.textProblem(sourceOrganization) { return "Source-Organization \(problem)" }
    if !Timestamp.isDate(baggingDate) { return "Bagging-Date `\(baggingDate)` is not a date YYYY-MM-DD" }
    let versions = reading ? Self.readableFormatVersions : Self.writableFormatVersions
    if !versions.contains(formatVersion) {
      return
        "bundle format \(formatVersion) is not one this mediabank \(reading ? "reads" : "writes") "
        + "(\(versions.lowerBound) to \(versions.upperBound))"
    }
    if !Self.isSource(sourceBank) { return "the source bank `\(sourceBank)` is not a 2-digit province code" }
    if !Self.isBankId(sourceBankId) { return "the source bank id `\(sourceBankId)` is not a lowercase UUID" }
    if !Self.isDestination(destination) {
      return "the destination `\(destination)` is not lower-case ASCII letters, digits and `-`"
    }
    if sequence < 1 { return "the sequence \(sequence) is not a number from 1 up" }
    if records < 0 { return "the record count \(records) is negative" }
    if records > RecordLines.maximumCount {
      return "MediaBank-Records is \(records), more than the \(RecordLines.maximumCount) records a bundle may have"
    }
    if let group {
      guard group.index >= 1, group.index <= group.count, sequence - group.index + 1 >= 1,
        group.identifier
          == Self.bundleId(source: sourceBank, destination: destination, sequence: sequence - group.index + 1)
      else {
        return
          "bag \(group.index) of \(group.count) of group `\(group.identifier)` is not bundle \(sequence) of that group"
      }
    }
    if !Self.isKeyId(signingKeyId) { return "the signing key id `\(signingKeyId)` is not `ed25519:<16 hex digits>`" }
    return nil
  }

  // MARK: Parsing

  /// The spec's labels, in order. `MediaBank-Previous-Bundle` is the only optional one.
  static let labels = [
    "Source-Organization", "Bagging-Date", "Payload-Oxum", "External-Identifier", "Bag-Group-Identifier",
    "Bag-Count", "MediaBank-Format-Version", "MediaBank-Source-Bank", "MediaBank-Source-Bank-Id",
    "MediaBank-Destination", "MediaBank-Sequence", "MediaBank-Previous-Bundle", "MediaBank-Kind",
    "MediaBank-Records", "MediaBank-Created-At", "MediaBank-Signing-Key-Id",
  ]

  /// Parses `bag-info.txt` strictly: the labels of formats 1 and 2 (the same), in order, each once, every value
  /// well formed and consistent (the identifiers equal to the bundle id derived from the other
  /// fields). `bundle` names the bundle in errors.
  public init(parsing bytes: [UInt8], bundle: String = "") throws(BundleError) {
    func refuse(_ message: String) -> BundleError {
      BundleError(.bagInfo, message, bundle: bundle, file: "bag-info.txt")
    }
    let fields = try Self.fields(bytes, bundle: bundle)
    var values: [String: String] = [:]
    var expected = Self.labels[...]
    for (number, field) in fields.enumerated() {
      if expected.first == "MediaBank-Previous-Bundle" && field.label != "MediaBank-Previous-Bundle" {
        expected.removeFirst()  // The optional label is absent.
      }
      guard let label = expected.popFirst() else {
        throw refuse("line \(number + 1): unexpected `\(field.label)` after the last field")
      }
      guard field.label == label else {
        throw refuse("line \(number + 1): expected `\(label)`, found `\(field.label)`")
      }
      values[label] = field.value
    }
    if let missing = expected.first(where: { $0 != "MediaBank-Previous-Bundle" }) {
      throw refuse("`\(missing)` is missing")
    }
    func value(_ label: String) -> String { values[label] ?? "" }

    guard let version = Self.decimal(value("MediaBank-Format-Version")) else {
      throw refuse("MediaBank-Format-Version `\(value("MediaBank-Format-Version"))` is not a number")
    }
    guard let sequence = Self.decimal(value("MediaBank-Sequence")), sequence >= 1 else {
      throw refuse("MediaBank-Sequence `\(value("MediaBank-Sequence"))` is not a number from 1 up")
    }
    guard let records = Self.decimal(value("MediaBank-Records")) else {
      throw refuse("MediaBank-Records `\(value("MediaBank-Records"))` is not a number")
    }
    guard let kind = Kind(rawValue: value("MediaBank-Kind")) else {
      throw refuse("MediaBank-Kind `\(value("MediaBank-Kind"))` is neither `full` nor `incremental`")
    }
    guard let created = Timestamp.parse(value("MediaBank-Created-At")) else {
      throw refuse("MediaBank-Created-At `\(value("MediaBank-Created-At"))` is not a UTC instant YYYY-MM-DDTHH:MM:SSZ")
    }
    guard let oxum = PayloadOxum(value("Payload-Oxum")) else {
      throw refuse("Payload-Oxum `\(value("Payload-Oxum"))` is not <octets>.<files>")
    }
    self.init(
      sourceOrganization: value("Source-Organization"), sourceBank: value("MediaBank-Source-Bank"),
      sourceBankId: value("MediaBank-Source-Bank-Id"), destination: value("MediaBank-Destination"),
      sequence: sequence, kind: kind, createdAt: Date(timeIntervalSince1970: TimeInterval(created)),
      signingKeyId: value("MediaBank-Signing-Key-Id"), baggingDate: value("Bagging-Date"), formatVersion: version)
    self.payloadOxum = oxum
    self.records = records
    if let problem = problem(reading: true) { throw refuse(problem) }
    if value("External-Identifier") != bundleId {
      throw refuse(
        "External-Identifier is `\(value("External-Identifier"))`, but the source, destination and sequence make `\(bundleId)`"
      )
    }
    let count = value("Bag-Count").split(separator: " ", omittingEmptySubsequences: false)
    guard count.count == 3, count[1] == "of", let index = Self.decimal(count[0]), let total = Self.decimal(count[2]),
      index >= 1, index <= total
    else { throw refuse("Bag-Count is `\(value("Bag-Count"))`, not `<k> of <n>`") }
    if index != 1 || total != 1 || value("Bag-Group-Identifier") != bundleId {
      self.group = Group(identifier: value("Bag-Group-Identifier"), index: index, count: total)
      if let problem = problem(reading: true) { throw refuse(problem) }
    }
    if values["MediaBank-Previous-Bundle"] != previousBundle {
      throw refuse(
        previousBundle.map { "MediaBank-Previous-Bundle should be `\($0)`" }
          ?? "bundle 1 has no previous bundle, but MediaBank-Previous-Bundle is given")
    }
  }

  /// The `Label: value` lines of a tag file, leniently: any labels, in any order. Fails only when
  /// the text is not UTF-8, a line has no `: `, or a line does not end with `\n`.
  static func fields(_ bytes: [UInt8], bundle: String) throws(BundleError) -> [(label: String, value: String)] {
    func refuse(_ message: String) -> BundleError {
      BundleError(.bagInfo, message, bundle: bundle, file: "bag-info.txt")
    }
    guard let text = String(validating: bytes, as: UTF8.self) else { throw refuse("is not UTF-8 text") }
    // Swift reads "\r\n" as one Character: look for the byte, and say what is wrong.
    guard !bytes.contains(0x0d) else {
      throw refuse("has a carriage return (CRLF line ends?): each line must end with `\\n` alone")
    }
    guard text.hasSuffix("\n") else { throw refuse("does not end with a newline") }
    var fields: [(label: String, value: String)] = []
    for (number, line) in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      guard let separator = line.range(of: ": "), !line[..<separator.lowerBound].isEmpty else {
        throw refuse("line \(number + 1) is not `Label: value`")
      }
      fields.append((String(line[..<separator.lowerBound]), String(line[separator.upperBound...])))
    }
    return fields
  }

  // MARK: Value rules

  static func textProblem(_ text: String) -> String? {
    if text.isEmpty { return "is empty" }
    if text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) }) {
      return "has a control character or line break"
    }
    if text.first!.isWhitespace || text.last!.isWhitespace { return "begins or ends with white space" }
    return nil
  }

  static func isSource(_ text: String) -> Bool {
    text.utf8.count == 2 && text.utf8.allSatisfy { (0x30...0x39).contains($0) }
  }

  static func isDestination(_ text: String) -> Bool {
    !text.isEmpty
      && text.utf8.allSatisfy { (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2d }
  }

  static func isKeyId(_ text: String) -> Bool {
    text.hasPrefix("ed25519:") && text.utf8.count == 24
      && text.utf8.dropFirst(8).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
  }

  static func isBankId(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard bytes.count == 36 else { return false }
    for (index, byte) in bytes.enumerated() {
      let ok =
        [8, 13, 18, 23].contains(index) ? byte == 0x2d : (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
      if !ok { return false }
    }
    return true
  }

  /// A decimal number without sign or leading zero (`0` itself allowed).
  static func decimal(_ text: some StringProtocol) -> Int? {
    guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
      text == "0" || text.first != "0"
    else { return nil }
    return Int(text)
  }
}

/// `Payload-Oxum`: the total size in bytes and the number of the payload files.
public struct PayloadOxum: Sendable, Equatable, CustomStringConvertible {
  /// The total size of the files under `data/`, in bytes.
  public var octets: Int64
  /// The number of files under `data/`.
  public var files: Int

  /// An oxum of `octets` bytes in `files` files.
  public init(octets: Int64, files: Int) {
    self.octets = octets
    self.files = files
  }

  /// Parses `<octets>.<files>`.
  public init?(_ text: String) {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, let octets = BagInfo.decimal(parts[0]), let files = BagInfo.decimal(parts[1]) else {
      return nil
    }
    self.init(octets: Int64(octets), files: files)
  }

  /// `<octets>.<files>`.
  public var description: String { "\(octets).\(files)" }
}

/// UTC instants written `YYYY-MM-DDTHH:MM:SSZ`, and dates `YYYY-MM-DD`, without a formatter.
enum Timestamp {
  /// `seconds` since 1970 as `YYYY-MM-DDTHH:MM:SSZ`.
  static func render(_ seconds: Int) -> String {
    var time = time_t(seconds)
    var parts = tm()
    gmtime_r(&time, &parts)
    func pad(_ value: Int32, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
      + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))Z"
  }

  /// The seconds since 1970 of `YYYY-MM-DDTHH:MM:SSZ`, or nil when `text` is not exactly such an
  /// instant (a day or time out of range included).
  static func parse(_ text: String) -> Int? {
    let bytes = Array(text.utf8)
    let pattern = Array("dddd-dd-ddTdd:dd:ddZ".utf8)
    guard bytes.count == pattern.count else { return nil }
    for (byte, expected) in zip(bytes, pattern) {
      if expected == UInt8(ascii: "d") {
        guard (0x30...0x39).contains(byte) else { return nil }
      } else if byte != expected {
        return nil
      }
    }
    func number(_ range: Range<Int>) -> Int32 { Int32(String(decoding: bytes[range], as: UTF8.self))! }
    var parts = tm()
    parts.tm_year = number(0..<4) - 1900
    parts.tm_mon = number(5..<7) - 1
    parts.tm_mday = number(8..<10)
    parts.tm_hour = number(11..<13)
    parts.tm_min = number(14..<16)
    parts.tm_sec = number(17..<19)
    let seconds = Int(timegm(&parts))
    return render(seconds) == text ? seconds : nil  // timegm normalises 02-30 to 03-02: refuse it.
  }

  /// Whether `text` is a date `YYYY-MM-DD`.
  static func isDate(_ text: String) -> Bool {
    parse(text + "T00:00:00Z") != nil
  }
}
