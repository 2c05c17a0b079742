import ArgumentParser
import Foundation
import Glibc
import MediaBank
import Testing

@testable import MediaBankCLI

/// The exit status and the HTTP status of each error code are the ones README.md's table gives.
@Suite struct ExitStatusTests {
  /// One value of each code (the codes with a value: any value).
  static let codes: [MediaBankError.Code] = [
    .notFound, .ambiguous, .invalidInput, .alreadyExists, .conflict, .busy, .diskFull, .permissionDenied,
    .io(errno: EIO), .newerCatalog, .refused(.hashMismatch), .damaged, .unavailable, .internal,
  ]

  /// The rows of the code table under "Exit status" in README.md: code name → (exit, HTTP).
  static func readmeTable() throws -> [String: (exit: Int32, http: Int)] {
    let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("README.md")
    let text = try String(contentsOf: readme, encoding: .utf8)
    let section = try #require(text.components(separatedBy: "\n### Exit status\n").dropFirst().first)
      .components(separatedBy: "\n### ")[0]
    var rows: [String: (exit: Int32, http: Int)] = [:]
    for line in section.split(separator: "\n") where line.hasPrefix("| `") {
      let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      guard cells.count == 4 else { continue }
      func number(_ cell: String) -> String { String(cell.prefix(while: \.isNumber)) }
      guard let exit = Int32(number(cells[2])), let http = Int(number(cells[3])) else { continue }
      rows[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = (exit, http)
    }
    return rows
  }

  @Test("every code has a row in README.md's table, and the CLI and HTTP statuses follow it")
  func followsTheTable() throws {
    let table = try Self.readmeTable()
    #expect(table.count == Self.codes.count, "\(table.keys.sorted())")
    for code in Self.codes {
      let row = try #require(table[code.name], "no row for \(code.name)")
      #expect(Status.of(code).rawValue == row.exit, "\(code.name)")
      #expect(code.httpStatus == row.http, "\(code.name)")
    }
    #expect(Status.of(.busy).rawValue == 75)
    #expect(Status.of(.notFound).rawValue == 2)
    #expect(MediaBankError.Code.refused(.sequence).httpStatus == 409)
  }
}
