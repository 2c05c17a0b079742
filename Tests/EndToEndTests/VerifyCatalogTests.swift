import Foundation
import Testing

/// `mediabank verify` checks the catalog as well as the objects (issue 15, item 8), and gives a
/// true answer with the SQLite it runs on.
@Suite struct VerifyCatalogTests {
  let scratch: ScratchDirectory
  let bank: String
  let cli = CLI()

  init() throws {
    scratch = try ScratchDirectory()
    bank = scratch.appending("bank")
    #expect(try cli("init", "--bank", bank).status == 0)
    // Titles in two languages: rows of `asset_text`, the table SQLite 3.40 misreports.
    let added = try cli(
      "add", CLI.photo("nui-coc-vi-en.jpg"), CLI.photo("scan.png"), "--title", "Hồ", "--lang", "vi", "--bank", bank)
    #expect(added.status == 0, "\(added.stderr)")
  }

  /// Runs the `sqlite3` shell on the bank's catalog, each script in a session of its own.
  func sqlite(_ scripts: String...) throws {
    for script in scripts { try CLI.sqlite(bank + "/catalog.sqlite", script) }
  }

  @Test("a healthy catalog with texts is intact, whatever SQLite's shell of Debian 12 says")
  func healthy() throws {
    let verify = try cli("verify", "--bank", bank)
    #expect(verify.status == 0, "\(verify.stdout)")
    #expect(verify.stdout.contains("Catalog: intact (integrity and foreign keys checked)."))
  }

  @Test("a row whose asset is gone is named, and verify exits 1")
  func foreignKey() throws {
    try sqlite(
      """
      PRAGMA foreign_keys = OFF;
      INSERT INTO tag (asset_id, facet, value, source, confirmed, added_at)
        VALUES ('sha256:\(String(repeating: "0", count: 64))', 'pillar', 'culture-heritage', 'explicit', 1, 'T');
      """)
    let verify = try cli("verify", "--bank", bank)
    #expect(verify.status == 1)
    #expect(
      verify.stdout.contains("catalog: a row of tag refers to a row of asset that does not exist"), "\(verify.stdout)")
    #expect(verify.stdout.contains("Catalog: 1 problem."))
  }

  @Test("a NULL that is really there is reported, beside SQLite's false reports")
  func realNull() throws {
    // The column's NOT NULL is taken away, a NULL written, and NOT NULL put back.
    try sqlite(
      """
      PRAGMA writable_schema = ON;
      UPDATE sqlite_schema SET sql = replace(sql, 'value TEXT NOT NULL', 'value TEXT') WHERE name = 'asset_text';
      """,
      """
      INSERT INTO asset_text (asset_id, field, language, position, value, source)
        SELECT id, 'title', 'en', 0, NULL, 'explicit' FROM asset LIMIT 1;
      """,
      """
      PRAGMA writable_schema = ON;
      UPDATE sqlite_schema SET sql = replace(sql, 'value TEXT CHECK', 'value TEXT NOT NULL CHECK') WHERE name = 'asset_text';
      """)
    let verify = try cli("verify", "--bank", bank)
    #expect(verify.status == 1)
    #expect(verify.stdout.contains("catalog: NULL value in asset_text.value"), "\(verify.stdout)")
  }

  @Test("a damaged page is reported as a problem of the catalog, not as a failure of verify")
  func damagedPage() throws {
    try sqlite("PRAGMA wal_checkpoint(TRUNCATE)")
    // The page of an index (`tag_by_value`), overwritten with zeros.
    let page = Int(
      try CLI.sqlite(bank + "/catalog.sqlite", "SELECT rootpage FROM sqlite_schema WHERE name = 'tag_by_value'"))
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: bank + "/catalog.sqlite"))
    try handle.seek(toOffset: UInt64((try #require(page) - 1) * 4096))
    try handle.write(contentsOf: Data(count: 4096))
    try handle.close()
    let verify = try cli("verify", "--bank", bank)
    #expect(verify.status == 1, "\(verify.stderr)")
    #expect(verify.stdout.contains("catalog: Page \(page!): btreeInitPage() returns error code 11"), "\(verify.stdout)")
  }
}
