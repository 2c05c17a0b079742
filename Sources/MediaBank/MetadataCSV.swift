import Foundation

/// A folder's `metadata.csv`: values for the files it names, applied at import with source
/// `csv`. UTF-8 (a byte-order mark is allowed), RFC 4180 quoting, a header row naming the
/// columns; the columns are documented in README.md.
enum MetadataCSV {
  /// The columns a `metadata.csv` may have; `file` is required.
  static let columns = [
    "file", "title_vi", "title_en", "description_vi", "description_en", "keywords", "pillar", "language",
    "locality", "creator", "license", "captured",
  ]

  /// A problem with a CSV file, worded for its author.
  struct Problem: Error {
    var reason: String
  }

  /// The values given for each file name. Throws when the file cannot be used at all (not
  /// UTF-8, no `file` column, an unknown column) or a row has a value MediaBank refuses, naming
  /// the line.
  static func read(_ path: RawPath, names: Set<String>) throws(Problem) -> [String: Given] {
    guard let data = FileManager.default.contents(atPath: path.display) else {
      throw Problem(reason: "metadata.csv cannot be read")
    }
    var bytes = Array(data)
    if bytes.starts(with: [0xef, 0xbb, 0xbf]) { bytes.removeFirst(3) }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw Problem(reason: "metadata.csv is not UTF-8 text (save it as CSV UTF-8)")
    }
    let records = parse(text)
    guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
      return [:]
    }
    guard let fileColumn = header.firstIndex(of: "file") else {
      throw Problem(reason: "metadata.csv has no `file` column in its first line")
    }
    if let unknown = header.first(where: { !columns.contains($0) }) {
      throw Problem(
        reason: "metadata.csv has an unknown column `\(unknown)` (known: \(columns.joined(separator: ", ")))")
    }
    var result: [String: Given] = [:]
    for record in records.dropFirst() where record.fields.contains(where: { !$0.isEmpty }) {
      func problem(_ message: String) -> Problem { Problem(reason: "metadata.csv line \(record.line): \(message)") }
      var values: [String: String] = [:]
      for (column, field) in zip(header, record.fields) {
        if let clean = field.cleanedText { values[column] = clean }
      }
      guard let file = record.fields.indices.contains(fileColumn) ? values["file"] : nil else {
        throw problem("the `file` column is empty")
      }
      guard names.contains(file) else { throw problem("no file named `\(file)` in this folder") }
      result[file] = try given(values, problem: problem)
    }
    return result
  }

  private static func given(_ values: [String: String], problem: (String) -> Problem) throws(Problem) -> Given {
    var given = Given()
    func text(_ field: String, _ column: String, language: String) {
      if let value = values[column] {
        given.texts.append(GivenText(field: field, language: language, value: value, source: "csv"))
      }
    }
    text("title", "title_vi", language: "vi")
    text("title", "title_en", language: "en")
    text("description", "description_vi", language: "vi")
    text("description", "description_en", language: "en")
    text("creator", "creator", language: "und")
    text("license", "license", language: "und")
    for keyword in list(values["keywords"]) {
      given.texts.append(GivenText(field: "keyword", language: "und", value: keyword, source: "csv"))
    }
    for pillar in list(values["pillar"]) {
      guard AddOptions.validatePillar(pillar) else { throw problem("`\(pillar)` is not a pillar code") }
      given.tags.append(GivenTag(facet: "pillar", value: pillar, source: "csv"))
    }
    for language in list(values["language"]) {
      guard AddOptions.validateLanguage(language) else { throw problem("`\(language)` is not a BCP 47 language tag") }
      given.tags.append(GivenTag(facet: "language", value: language, source: "csv"))
    }
    for locality in list(values["locality"]) {
      guard AddOptions.validateLocality(locality) else {
        throw problem("`\(locality)` is not a locality code (2-digit province or 5-digit commune)")
      }
      given.tags.append(GivenTag(facet: "locality", value: locality, source: "csv"))
    }
    if let captured = values["captured"] {
      guard captured.wholeMatch(of: /\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?)?)?/) != nil
      else { throw problem("`\(captured)` is not an ISO 8601 date (2023-07-01 or 2023-07-01T08:30:00+07:00)") }
      given.capturedAt = captured
    }
    return given
  }

  /// `a; b;c` as `["a", "b", "c"]`.
  private static func list(_ value: String?) -> [String] {
    (value ?? "").split(separator: ";").compactMap { String($0).cleanedText }
  }

  /// RFC 4180 records with the line each starts on. Quoted fields may hold commas, quotes
  /// (doubled) and line breaks; CRLF and LF both end a record.
  static func parse(_ text: String) -> [(line: Int, fields: [String])] {
    var records: [(line: Int, fields: [String])] = []
    var fields: [String] = []
    var field = ""
    var quoted = false
    var line = 1
    var recordLine = 1
    var characters = Array(text).makeIterator()
    var pending: Character? = nil
    func next() -> Character? {
      if let character = pending {
        pending = nil
        return character
      }
      return characters.next()
    }
    while let character = next() {
      if quoted {
        if character == "\"" {
          let following = next()
          if following == "\"" {
            field.append("\"")
          } else {
            quoted = false
            pending = following
          }
        } else {
          if character == "\n" || character == "\r\n" { line += 1 }
          field.append(character)
        }
        continue
      }
      switch character {
      case "\"" where field.isEmpty: quoted = true
      case ",":
        fields.append(field)
        field = ""
      case "\n", "\r\n", "\r":
        fields.append(field)
        records.append((recordLine, fields))
        fields = []
        field = ""
        line += 1
        recordLine = line
      default: field.append(character)
      }
    }
    if !field.isEmpty || !fields.isEmpty {
      fields.append(field)
      records.append((recordLine, fields))
    }
    return records
  }
}
