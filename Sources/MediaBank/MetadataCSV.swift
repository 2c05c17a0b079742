import Foundation
import Glibc
import Taxonomy

/// A folder's `metadata.csv`: values for the files it names, applied at import with source
/// `csv`. UTF-8 (a byte-order mark is allowed), RFC 4180 quoting (parsed by Taxonomy's
/// `CSVTable`), a header row naming the columns; the columns are documented in README.md.
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
  /// the line. Pillars are checked against the bank's `pillars`.
  static func read(_ path: RawPath, names: Set<String>, pillars: BankPillars) throws(Problem) -> [String: Given] {
    let bytes: [UInt8]
    do {
      bytes = try path.contents()
    } catch {
      throw Problem(reason: "metadata.csv cannot be read: \(error.reason)")
    }
    guard
      String(validating: bytes.starts(with: [0xef, 0xbb, 0xbf]) ? Array(bytes.dropFirst(3)) : bytes, as: UTF8.self)
        != nil
    else {
      throw Problem(reason: "metadata.csv is not UTF-8 text (save it as CSV UTF-8)")
    }
    let table: CSVTable
    do {
      table = try CSVTable(bytes, name: "metadata.csv")
    } catch {
      throw Problem(reason: error.description)
    }
    let header = table.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    guard header.contains("file") else {
      throw Problem(reason: "metadata.csv has no `file` column in its first line")
    }
    if let unknown = header.first(where: { !columns.contains($0) }) {
      throw Problem(
        reason: "metadata.csv has an unknown column `\(unknown)` (known: \(columns.joined(separator: ", ")))")
    }
    var result: [String: Given] = [:]
    for (fields, line) in zip(table.rows, table.lines) where fields.contains(where: { !$0.isEmpty }) {
      func problem(_ message: String) -> Problem { Problem(reason: "metadata.csv line \(line): \(message)") }
      var values: [String: String] = [:]
      for (column, field) in zip(header, fields) {
        if let clean = field.cleanedText { values[column] = clean }
      }
      guard let file = values["file"] else { throw problem("the `file` column is empty") }
      guard names.contains(file) else { throw problem("no file named `\(file)` in this folder") }
      result[file] = try given(values, pillars: pillars, problem: problem)
    }
    return result
  }

  private static func given(
    _ values: [String: String], pillars: BankPillars, problem: (String) -> Problem
  ) throws(Problem) -> Given {
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
      if let reason = pillars.problem(with: pillar) { throw problem(reason) }
      given.tags.append(GivenTag(facet: "pillar", value: pillar, source: "csv"))
    }
    for language in list(values["language"]) {
      guard AddOptions.validateLanguage(language) else { throw problem("`\(language)` is not a BCP 47 language tag") }
      given.tags.append(GivenTag(facet: "language", value: language, source: "csv"))
    }
    for locality in list(values["locality"]) {
      if let reason = Localities.problem(with: locality) { throw problem(reason) }
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
}
