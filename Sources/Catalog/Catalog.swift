import Foundation
import GRDB
import Synchronization
import SystemIO

/// The bank's SQLite catalog: what each stored object is, where it came from, how it is tagged.
///
/// Opened in WAL mode with foreign keys enforced; every change that spans several rows is one
/// transaction. The schema is documented in `Storage/catalog.md`.
public final class Catalog: Sendable {
  /// The catalog file.
  private let path: String
  /// The connections: for reading only, until the first write opens those that write.
  private let connections: Mutex<Connections>
  /// Held while the connections that write are opened.
  private let opening = Mutex(())
  /// Makes the text the search index holds from the asset's texts.
  let fold: @Sendable (String) -> String
  /// Why the catalog could not be opened for writing, when it was opened for reading only
  /// (``isReadOnly``); every write throws it.
  let unwritable: CatalogError?

  /// Opens (creating if needed) the catalog at `path` and applies pending migrations. `fold`
  /// turns an asset's texts into what the search index holds and a query into what is looked
  /// up (MediaBank folds case and diacritics); by default, lower case.
  ///
  /// A catalog that cannot be written (a full disk, a read-only mount, a directory this user may
  /// only read) is opened for reading only when that is safe: it is up to date (no migration, no
  /// search index rebuild pending) and no write-ahead log holds changes not yet in the file
  /// (`catalog.sqlite-wal` is absent or empty, so no other process is writing it). It is then
  /// read as an immutable file, and every write throws why it could not be opened.
  ///
  /// A catalog that is up to date is opened with connections that only read; those that write
  /// are opened by its first write, so that a command that only reads writes nothing and takes no
  /// write lock.
  public init(path: String, fold: @escaping @Sendable (String) -> String = { $0.lowercased() }) throws(CatalogError) {
    self.path = path
    self.fold = fold
    if let reader = Self.openUpToDate(path, fold: fold) {
      connections = Mutex(.reading(reader))
      unwritable = nil
      return
    }
    do {
      connections = Mutex(.writing(try Self.openForWriting(path, fold: fold)))
      unwritable = nil
    } catch {
      guard [.diskFull, .permissionDenied, .io].contains(error.kind), let reader = Self.openImmutable(path, fold: fold)
      else { throw error }
      connections = Mutex(.writing(reader))
      unwritable = error
    }
  }

  /// What the catalog is opened with.
  private enum Connections {
    /// One connection that only reads, to a catalog that was up to date.
    case reading(DatabaseQueue)
    /// Connections that write and read (or, when ``unwritable``, an immutable file).
    case writing(any DatabaseWriter)
  }

  /// The connections that write (and read), opened now if the catalog was opened for reading.
  var pool: any DatabaseWriter {
    get throws(CatalogError) {
      if let pool = writer { return pool }
      // One thread opens them; reads go on meanwhile (opening may wait for another process's write).
      return try opening.withLock { _ throws(CatalogError) -> any DatabaseWriter in
        if let pool = writer { return pool }
        let pool = try Self.openForWriting(path, fold: fold)
        // The reading connections close once their reads end.
        connections.withLock { $0 = .writing(pool) }
        return pool
      }
    }
  }

  /// The connections that write, when they are open.
  private var writer: (any DatabaseWriter)? {
    connections.withLock { connections in
      guard case .writing(let pool) = connections else { return nil }
      return pool
    }
  }

  /// The connections that read: those that write once they are open.
  var reader: any DatabaseReader {
    connections.withLock { connections in
      switch connections {
      case .reading(let pool): pool
      case .writing(let pool): pool
      }
    }
  }

  /// True when the catalog was opened for reading only: it could not be written.
  public var isReadOnly: Bool { unwritable != nil }

  /// How the catalog's connections are set up.
  private static var configuration: Configuration {
    var configuration = Configuration()
    configuration.foreignKeysEnabled = true
    configuration.busyMode = .timeout(30)
    configuration.prepareDatabase { db in
      // A change that spans many rows (deleting 1,000 assets, tagging a batch) must not spill its
      // pages to the WAL again and again (the default cache is 2 MB), nor write each statement's
      // journal to a temporary file (a statement with cascades and triggers journals dozens of
      // pages): both stay in memory, bounded by the cache size.
      try db.execute(sql: "PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY")
    }
    return configuration
  }

  /// A connection to the catalog at `path` for reading, when it exists and is up to date (no
  /// migration, no search index rebuild pending); else nil, and it is opened for writing at once.
  ///
  /// Opening the connections that write writes: GRDB makes sure that the write-ahead log exists
  /// by writing to it, which takes the write lock and syncs the log and its folder, and the last
  /// connection to close then empties the log, syncing again. This connection writes nothing and
  /// sets up nothing (SQLite reads the WAL mode from the file); it may write, for SQLite to remove
  /// the log and its index when it is the last to close, as the connections that write do (a
  /// connection opened read-only would leave them behind, owned by whoever ran the command).
  private static func openUpToDate(_ path: String, fold: @escaping @Sendable (String) -> String) -> DatabaseQueue? {
    guard FileManager.default.fileExists(atPath: path),
      let queue = try? DatabaseQueue(path: path, configuration: configuration),
      let current = try? queue.read({ db in
        let migrator = Schema.migrator(fold: fold)
        try refuseNewer(db, migrator)
        return try isCurrent(db, migrator)
      }), current
    else { return nil }
    return queue
  }

  private static func openForWriting(_ path: String, fold: @escaping @Sendable (String) -> String) throws(CatalogError)
    -> DatabasePool
  {
    do {
      let pool = try DatabasePool(path: path, configuration: configuration)
      let migrator = Schema.migrator(fold: fold)
      // A catalog a newer MediaBank migrated may hold what this one would misread or destroy.
      // One that is up to date (the common case) is only read: the migrator would take the
      // write lock, which a command that writes nothing need not wait for.
      let current = try pool.read { db in
        try refuseNewer(db, migrator)
        return try isCurrent(db, migrator)
      }
      if !current {
        try migrator.migrate(pool)
        try Self.refreshSearchIndex(pool, fold: fold)
      }
      return pool
    } catch {
      // SQLite needs room for its shared-memory index even to read, and says `disk I/O error`.
      let folder = (path as NSString).deletingLastPathComponent
      if let free = DiskSpace.free(near: folder), free.bytes < roomToOpen {
        throw CatalogError(
          "cannot open the catalog \(path): \(error); \(DiskSpace.fullReason(near: folder)): free some space and run it again",
          kind: .diskFull, wrapping: error)
      }
      if !FileManager.default.isWritableFile(atPath: folder) {
        throw CatalogError(
          "cannot open the catalog \(path): \(error); the folder cannot be written (a read-only file system, or "
            + "another user's folder)", kind: .permissionDenied, wrapping: error)
      }
      throw CatalogError("cannot open the catalog \(path): \(error)", wrapping: error)
    }
  }

  /// The room the catalog needs to open (its 32 KiB shared-memory index, a WAL page or two):
  /// with less free, a failure to open it is put down to the full disk.
  static let roomToOpen: Int64 = 1 << 20

  /// The catalog at `path` as an immutable file, read only; nil unless that is safe (see
  /// ``init(path:fold:)``).
  private static func openImmutable(_ path: String, fold: @escaping @Sendable (String) -> String) -> DatabaseQueue? {
    let files = FileManager.default
    if let log = try? files.attributesOfItem(atPath: path + "-wal"), (log[.size] as? Int ?? 0) > 0 { return nil }
    guard files.fileExists(atPath: path) else { return nil }
    var configuration = Configuration()
    configuration.readonly = true
    configuration.foreignKeysEnabled = true
    let escaped = path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "?", with: "%3f")
      .replacingOccurrences(of: "#", with: "%23")
    guard let queue = try? DatabaseQueue(path: "file:\(escaped)?immutable=1", configuration: configuration),
      let current = try? queue.read({ db in
        let migrator = Schema.migrator(fold: fold)
        try refuseNewer(db, migrator)
        return try isCurrent(db, migrator)
      }), current
    else { return nil }
    return queue
  }

  /// Whether the catalog needs nothing done before it is used: every migration is applied and the
  /// search index was built by this version of `index`.
  private static func isCurrent(_ db: Database, _ migrator: DatabaseMigrator) throws -> Bool {
    try migrator.hasCompletedMigrations(db)
      && Int.fetchOne(db, sql: "SELECT max(version) FROM search_index_state") == searchIndexVersion
  }

  /// Refuses a catalog that a newer MediaBank migrated: it may hold what this one would misread
  /// or destroy.
  private static func refuseNewer(_ db: Database, _ migrator: DatabaseMigrator) throws {
    guard try migrator.hasBeenSuperseded(db) else { return }
    let unknown = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").filter {
      !migrator.migrations.contains($0)
    }
    throw CatalogError(
      "it was written by a newer mediabank (migration \(unknown.joined(separator: ", "))); upgrade mediabank",
      kind: .newerCatalog)
  }

  /// The names of the migrations applied to this catalog, oldest first.
  public func appliedMigrations() throws(CatalogError) -> [String] {
    try read { db in try Schema.migrator(fold: fold).appliedMigrations(db) }
  }

  /// Records arrivals of files' content, all in one transaction, and the progress of their
  /// batch when there is one (`batch.counts` as they were before these arrivals; each arrival
  /// is counted as added or duplicate with its bytes). Returns what each arrival did.
  ///
  /// For a new asset, its row, the file's own texts and its issues are inserted. For every
  /// arrival, the provenance row and the tags are added, the cache entry replaces any earlier
  /// one for the same path, and the `given` texts replace the values of the same field,
  /// language and source (a second arrival with a new explicit title replaces the old one).
  ///
  /// `isStored` says whether an object is in the store: checked, for each new asset, under the
  /// write lock, so that a deletion purging the same content at the same moment cannot leave an
  /// asset without its bytes (the arrival is refused and can be made again).
  @discardableResult
  public func record(
    _ arrivals: [Arrival], batch: BatchProgress? = nil, isStored: (String) -> Bool = { _ in true }
  ) throws(CatalogError) -> [Recorded] {
    try write { db in
      let results = try arrivals.map { arrival in try Self.record(db, arrival, fold: fold, isStored: isStored) }
      try Self.linkPendingTranslations(db)
      if var batch {
        for (arrival, recorded) in zip(arrivals, results) {
          if recorded == .added { batch.counts.added += 1 } else { batch.counts.duplicates += 1 }
          batch.counts.bytes += arrival.byteSize
        }
        try Self.update(db, batch)
      }
      return results
    }
  }

  private static func record(
    _ db: Database, _ arrival: Arrival, fold: (String) -> String, isStored: (String) -> Bool
  ) throws -> Recorded {
    let provenance = arrival.provenance
    let isNew = try !assetExists(db, provenance.assetId)
    // Whether the asset came before under the same file name (before this arrival's provenance).
    let sameName =
      try !isNew
      && Bool.fetchOne(
        db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM provenance WHERE asset_id = ? AND original_name = ?)"),
        arguments: [provenance.assetId, provenance.originalName]) == true
    if isNew {
      guard let asset = arrival.asset, asset.id == provenance.assetId else {
        throw CatalogError("asset \(provenance.assetId) is not catalogued and its description is missing")
      }
      if let missing = [asset.id, asset.thumbnailId].compactMap({ $0 }).first(where: { !isStored($0) }) {
        throw CatalogError(
          "\(missing) was removed from the store while it was being added (a deletion ran at the same "
            + "time); add the file again", kind: .conflict)
      }
      try asset.insert(db)
      for text in arrival.fileTexts { try Self.insert(db, text) }
      for message in Set(arrival.issues) {
        try db.execute(
          sql: "INSERT INTO metadata_issue (asset_id, message) VALUES (?, ?)",
          arguments: [asset.id, message])
      }
      if let body = arrival.body {
        try db.execute(sql: "INSERT INTO story_text (asset_id, body) VALUES (?, ?)", arguments: [asset.id, body])
      }
    }
    if let translation = arrival.translation {
      guard translation.assetId == provenance.assetId else {
        throw CatalogError("a translation link of \(translation.assetId) came with \(provenance.assetId)")
      }
      let current = try TranslationRow.fetchOne(db, key: translation.assetId)
      // A document link comes with a new story only; an explicit one replaces a link to another
      // original (or one still waiting), and leaves a link to the same original as it is.
      let replaces =
        translation.source == "explicit"
        ? current?.originalId == nil || current?.originalId != translation.originalId : isNew
      if replaces {
        if let current, current.originalId == nil { try deletePendingIssue(db, current) }
        try translation.insert(db, onConflict: .replace)
        if translation.originalId == nil { try addPendingIssue(db, translation) }
      }
    }
    for source in arrival.replacesSources {
      try db.execute(
        sql: "DELETE FROM asset_text WHERE asset_id = ? AND source = ?", arguments: [provenance.assetId, source])
      try db.execute(sql: "DELETE FROM tag WHERE asset_id = ? AND source = ?", arguments: [provenance.assetId, source])
    }
    var edits: [AuditEntry] = []
    for text in arrival.givenTexts {
      // A value a person gives again for an asset already here (`add --title`) is an edit.
      if !isNew, text.source == "explicit", text.position == 0 {
        let old = try String.fetchOne(
          db,
          sql: """
            SELECT value FROM asset_text WHERE asset_id = ? AND field = ? AND language = ? AND source = 'explicit'
            ORDER BY position LIMIT 1
            """, arguments: [provenance.assetId, text.field, text.language])
        if old != text.value {
          edits.append(
            AuditEntry(
              at: provenance.addedAt, operator: provenance.operator, assetId: provenance.assetId, action: "edit",
              field: languageFields.contains(text.field) ? "\(text.field).\(text.language)" : text.field,
              oldValue: old, newValue: text.value, source: "explicit"))
        }
      }
      try db.execute(
        sql: "DELETE FROM asset_text WHERE asset_id = ? AND field = ? AND language = ? AND source = ?",
        arguments: [provenance.assetId, text.field, text.language, text.source])
    }
    for text in arrival.givenTexts { try Self.insert(db, text) }
    try audit(db, edits)
    if isNew || !arrival.givenTexts.isEmpty || !arrival.replacesSources.isEmpty {
      try index(db, provenance.assetId, fold: fold)
    }
    for tag in arrival.tags { try Self.insert(db, tag) }
    try provenance.insert(db, onConflict: .ignore)
    if let cache = arrival.cache { try cache.insert(db, onConflict: .replace) }
    if isNew, let tombstone = try tombstone(db, provenance.assetId) {
      // Deleted content added again: its revision goes on from the deletion's, so that the
      // destinations told of the deletion take the new record; a deletion not sent yet is not sent
      // (the destination's record is replaced by the new one), one sent stays as history.
      try db.execute(
        sql: "DELETE FROM deletion_notice WHERE asset_id = ? AND sequence IS NULL", arguments: [tombstone.assetId])
      try tombstone.delete(db)
      try db.execute(
        sql: "UPDATE asset SET revision = revision + ? WHERE id = ?",
        arguments: [tombstone.revision, tombstone.assetId])
      try audit(
        db,
        [
          AuditEntry(
            at: provenance.addedAt, operator: provenance.operator, assetId: provenance.assetId, action: "restore",
            oldValue: tombstone.reason, newValue: provenance.originalPath
          )
        ])
    }
    return isNew ? .added : .held(sameName: sameName)
  }

  /// Inserts a text row, as `text.insert(db)` does, through a cached statement: an import inserts
  /// thousands of them, and the record's Codable insert costs more than SQLite does.
  static func insert(_ db: Database, _ text: TextRow) throws {
    try db.cachedStatement(
      sql: "INSERT INTO asset_text (asset_id, field, language, position, value, source) VALUES (?, ?, ?, ?, ?, ?)"
    ).execute(arguments: [text.assetId, text.field, text.language, text.position, text.value, text.source])
  }

  /// Inserts a tag unless the same one is there (`replacing` replaces it). A suggestion the asset
  /// already has confirmed (from another source) is not added; a confirmed tag removes the
  /// suggestions of the same value.
  /// Its statements are cached (prepared once per connection): an import inserts thousands of tags.
  static func insert(_ db: Database, _ tag: TagRow, replacing: Bool = false) throws {
    let sameValue = "asset_id = ? AND facet = ? AND value = ?"
    let arguments: StatementArguments = [tag.assetId, tag.facet, tag.value]
    if !tag.confirmed {
      let confirmed = try Row.fetchOne(
        db.cachedStatement(sql: "SELECT 1 FROM tag WHERE \(sameValue) AND confirmed = 1"), arguments: arguments)
      if confirmed != nil { return }
    }
    try db.cachedStatement(
      sql: """
        INSERT OR \(replacing ? "REPLACE" : "IGNORE") INTO tag
          (asset_id, facet, value, source, confirmed, note, added_at, batch_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [
      tag.assetId, tag.facet, tag.value, tag.source, tag.confirmed, tag.note, tag.addedAt, tag.batchId,
    ])
    if !replacing, db.changesCount == 0, tag.batchId != nil {
      // The same tag from another batch too: no single batch owns it any more, so undoing one of
      // them leaves it.
      try db.cachedStatement(
        sql: """
          UPDATE tag SET batch_id = NULL
          WHERE asset_id = ? AND facet = ? AND value = ? AND source = ? AND batch_id IS NOT ?
          """
      ).execute(arguments: [tag.assetId, tag.facet, tag.value, tag.source, tag.batchId])
    }
    if tag.confirmed {
      try db.cachedStatement(sql: "DELETE FROM tag WHERE \(sameValue) AND confirmed = 0").execute(arguments: arguments)
    }
  }

  /// Whether asset `id` is catalogued, through a cached statement: an import asks for every
  /// file, and the query interface's `exists(key:)` costs far more than the look-up.
  static func assetExists(_ db: Database, _ id: String) throws -> Bool {
    try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM asset WHERE id = ?)"), arguments: [id])
      ?? false
  }

  /// The tombstone of asset `id`, if it was deleted, through a cached statement (asked for every
  /// file an import stores).
  static func tombstone(_ db: Database, _ id: String) throws -> TombstoneRow? {
    try TombstoneRow.fetchOne(db.cachedStatement(sql: "SELECT * FROM tombstone WHERE asset_id = ?"), arguments: [id])
  }

  /// Whether an asset with this id is catalogued.
  public func contains(_ id: String) throws(CatalogError) -> Bool {
    try read { db in try Self.assetExists(db, id) }
  }

  /// The ids that start with `prefix` (for abbreviated ids), at most two of them.
  public func ids(startingWith prefix: String) throws(CatalogError) -> [String] {
    try ids(startingWith: [prefix])[0]
  }

  /// Whether the asset `id` is in the catalog, and the id of its preview (nil when it has none):
  /// one look-up of the primary key, for a web library serving previews.
  public func thumbnail(of id: String) throws(CatalogError) -> (found: Bool, thumbnail: String?) {
    try readOneStatement { db in
      guard
        let row = try Row.fetchOne(
          db.cachedStatement(sql: "SELECT thumbnail_id FROM asset WHERE id = ?"), arguments: [id])
      else { return (false, nil) }
      return (true, row[0])
    }
  }

  /// Everything about the asset `id`, or nil.
  public func entry(_ id: String) throws(CatalogError) -> CatalogEntry? {
    try entries(where: "id = ?", arguments: [id]).first
  }

  /// Every asset, optionally of one kind, ordered by when it was added, then by id.
  public func entries(kind: String? = nil) throws(CatalogError) -> [CatalogEntry] {
    if let kind { return try entries(where: "kind = ?", arguments: [kind]) }
    return try entries(where: "1", arguments: [])
  }

  /// The assets with these ids (unknown ids are left out), ordered by when they were added, with
  /// their texts of the `fields` given (`title`, `keyword`…; every field when nil): a listing
  /// line shows titles only, a count by tags and dates reads none.
  public func entries(ids: [String], texts fields: Set<String>? = nil) throws(CatalogError) -> [CatalogEntry] {
    try entries(where: "id IN (SELECT value FROM json_each(?))", arguments: [Self.jsonArray(ids)], texts: fields)
  }

  /// `strings` as one JSON array, for `json_each(?)`: a statement that takes a list as one
  /// argument is prepared once whatever the list's length (SQLite's parser was most of a
  /// listing's time when each chunk of ids made a statement of its own).
  static func jsonArray(_ strings: [String]) -> String {
    var json = "["
    for (index, string) in strings.enumerated() {
      json += index == 0 ? "\"" : ",\""
      // Ids need no escaping; in other strings, `"`, `\` and control characters are escaped.
      if !string.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
        json += string
      } else {
        for scalar in string.unicodeScalars {
          if scalar.value < 0x20 || scalar == "\"" || scalar == "\\" {
            let hex = String(scalar.value, radix: 16)
            json += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
          } else {
            json.unicodeScalars.append(scalar)
          }
        }
      }
      json += "\""
    }
    return json + "]"
  }

  /// Every object id the catalog refers to (assets, their thumbnails and display renditions, and
  /// those of the contributions received from other banks), sorted.
  public func referencedObjects() throws(CatalogError) -> [String] {
    try read { db in try Self.referencedObjects(db) }
  }

  /// ``referencedObjects()`` of the catalog `db`.
  static func referencedObjects(_ db: Database) throws -> [String] {
    try String.fetchAll(
      db,
      sql: """
        SELECT id FROM asset
        UNION SELECT thumbnail_id FROM asset WHERE thumbnail_id IS NOT NULL
        UNION SELECT object_id FROM display
        UNION SELECT asset_id FROM contribution WHERE record IS NOT NULL
        UNION SELECT json_extract(record, '$.thumbnail') FROM contribution
          WHERE json_extract(record, '$.thumbnail') IS NOT NULL
        ORDER BY 1
        """)
  }

  private func entries(
    where condition: String, arguments: StatementArguments, texts fields: Set<String>? = nil
  ) throws(CatalogError) -> [CatalogEntry] {
    try read { db in
      // Every statement here lets SQLite give its rows in the order it finds them, and the rows
      // are sorted here, per asset: a sort in SQL (a temporary B-tree of the chunk's rows, for
      // each table) was half of what SQLite spent on a listing.
      let assets = try fetchSelected(
        db, "SELECT \(AssetRow.selection), rowid FROM asset WHERE \(condition)", arguments
      ) { row in (asset: try AssetRow(selected: row), rowid: row[row.count - 1] as Int64) }
      .sorted { ($0.asset.addedAt, $0.rowid) < ($1.asset.addedAt, $1.rowid) }.map(\.asset)
      var texts = Array(repeating: [TextRow](), count: assets.count)
      var provenance = Array(repeating: [ProvenanceRow](), count: assets.count)
      var tags = Array(repeating: [TagRow](), count: assets.count)
      var issues = Array(repeating: [String](), count: assets.count)
      var retractions = [(String, String)?](repeating: nil, count: assets.count)
      // What the assets' rows in other tables say, in the assets' order: `page` numbers their
      // ids, and each statement selects that number first.
      let page = "WITH page(n, id) AS (SELECT key, value FROM json_each(?))"
      let arguments: StatementArguments = [Self.jsonArray(assets.map(\.id))]
      func forEach(
        _ columns: String, of table: String, where condition: String = "1", _ body: (Int, String, Row) throws -> Void
      ) throws {
        let statement = try db.cachedStatement(
          sql: "\(page) SELECT page.n, \(columns) FROM page JOIN \(table) t ON t.asset_id = page.id WHERE \(condition)")
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try rows.next() {
          let index: Int = row[0]
          try body(index, assets[index].id, row)
        }
      }
      if fields?.isEmpty != true {
        // The field names are the catalog's own (`title`…), written as SQL literals.
        let condition =
          fields.map { fields in
            "t.field IN (\(fields.sorted().map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" }.joined(separator: ", ")))"
          } ?? "1"
        try forEach(TextRow.selection, of: "asset_text", where: condition) { index, id, row in
          texts[index].append(TextRow(selected: row, assetId: id))
        }
      }
      try forEach(ProvenanceRow.selection, of: "provenance") { index, id, row in
        provenance[index].append(ProvenanceRow(selected: row, assetId: id))
      }
      try forEach(TagRow.selection, of: "tag") { index, id, row in
        tags[index].append(TagRow(selected: row, assetId: id))
      }
      try forEach("t.message", of: "metadata_issue") { index, _, row in
        issues[index].append(row[1])
      }
      try forEach("t.reason, t.retracted_at", of: "retraction") { index, _, row in
        retractions[index] = (row[1], row[2])
      }
      // Texts by position (a keyword's place in its list), then by their key; provenance as it
      // arrived; tags by facet and value, then source.
      for index in assets.indices {
        texts[index].sort {
          ($0.position, $0.field, $0.source, $0.language) < ($1.position, $1.field, $1.source, $1.language)
        }
        provenance[index].sort { $0.id ?? 0 < $1.id ?? 0 }
        tags[index].sort { ($0.facet, $0.value, $0.source) < ($1.facet, $1.value, $1.source) }
        issues[index].sort()
      }
      let groups = try TranslationGroups(db, assets: assets.filter { $0.kind == "story" }.map(\.id))
      return assets.enumerated().map { index, asset in
        CatalogEntry(
          asset: asset, texts: texts[index], provenance: provenance[index], tags: tags[index],
          issues: issues[index], retraction: retractions[index], translationOf: groups.originals[asset.id],
          translations: groups.members(of: asset.id))
      }
    }
  }

  func read<T>(_ body: (Database) throws -> T) throws(CatalogError) -> T {
    do { return try reader.read(body) } catch { throw CatalogError("catalog read failed: \(error)", wrapping: error) }
  }

  /// `read(_:)` for a `body` that runs one statement, which sees one state of the catalog by
  /// itself: no transaction is begun around it (two statements fewer). For the look-ups that
  /// every request makes (its session, a preview).
  func readOneStatement<T>(_ body: (Database) throws -> T) throws(CatalogError) -> T {
    do { return try reader.unsafeRead(body) } catch {
      throw CatalogError("catalog read failed: \(error)", wrapping: error)
    }
  }

  func write<T>(_ body: (Database) throws -> T) throws(CatalogError) -> T {
    if let unwritable { throw unwritable }
    let pool = try pool
    do { return try pool.write(body) } catch {
      throw CatalogError("catalog write failed: \(error)", wrapping: error)
    }
  }

  /// Runs `body` in a write transaction that is rolled back when `rollback` is true (a dry run:
  /// what it returns is what the change would have done).
  func write<T>(rollback: Bool, _ body: (Database) throws -> T) throws(CatalogError) -> T {
    guard rollback else { return try write(body) }
    if let unwritable { throw unwritable }
    let pool = try pool
    do {
      return try pool.writeWithoutTransaction { db in
        var result: T?
        try db.inTransaction {
          result = try body(db)
          return .rollback
        }
        return result!
      }
    } catch {
      throw CatalogError("catalog write failed: \(error)", wrapping: error)
    }
  }

  /// The kind of each of `ids` that is catalogued.
  public func kinds(_ ids: [String]) throws(CatalogError) -> [String: String] {
    try read { db in
      let statement = try db.cachedStatement(sql: "SELECT kind FROM asset WHERE id = ?")
      var result: [String: String] = [:]
      for id in ids { result[id] = try String.fetchOne(statement, arguments: [id]) }
      return result
    }
  }
}

extension Catalog {
  /// Adds explicit tags (an explicit locality replaces the asset's earlier explicit one), or,
  /// with `remove`, deletes the tags with the same asset, facet and value from every source. The
  /// same for translation links: each replaces its story's link, or, with `remove`, the story's
  /// link to that original is deleted. One transaction; each change has its audit entry, and a
  /// tag the asset already has (or a tag to remove that it lacks) changes nothing. Returns the
  /// number of changes.
  @discardableResult
  public func changeTags(
    _ tags: [TagRow], translations: [TranslationRow] = [], remove: Bool, by actor: Actor, dryRun: Bool = false
  ) throws(CatalogError) -> Int {
    try write(rollback: dryRun) { db in
      var entries: [AuditEntry] = []
      func note(_ assetId: String, _ action: String, _ field: String, old: String?, new: String?) {
        entries.append(
          AuditEntry(
            at: actor.at, operator: actor.name, assetId: assetId, action: action, field: field, oldValue: old,
            newValue: new, source: "explicit"))
      }
      for link in translations {
        guard let current = try TranslationRow.fetchOne(db, key: link.assetId) else {
          if !remove {
            try link.insert(db)
            note(link.assetId, "link", "translationOf", old: nil, new: link.originalId)
          }
          continue
        }
        // The link to that story, or one waiting for it (its reference starts that story's id).
        let same =
          current.originalId == link.originalId
          || (current.originalId == nil && link.originalId?.hasPrefix(current.reference ?? "-") == true)
        if remove ? !same : current.originalId == link.originalId { continue }
        if current.originalId == nil { try Self.deletePendingIssue(db, current) }
        let old = current.originalId ?? current.reference
        if remove {
          try current.delete(db)
          note(link.assetId, "unlink", "translationOf", old: old, new: nil)
        } else {
          try link.insert(db, onConflict: .replace)
          note(link.assetId, "link", "translationOf", old: old, new: link.originalId)
        }
      }
      for tag in tags {
        if remove {
          try db.execute(
            sql: "DELETE FROM tag WHERE asset_id = ? AND facet = ? AND value = ?",
            arguments: [tag.assetId, tag.facet, tag.value])
          if db.changesCount > 0 { note(tag.assetId, "untag", tag.facet, old: tag.value, new: nil) }
          continue
        }
        let present = try Row.fetchOne(
          db,
          sql: "SELECT 1 FROM tag WHERE asset_id = ? AND facet = ? AND value = ? AND source = 'explicit'",
          arguments: [tag.assetId, tag.facet, tag.value])
        if present != nil { continue }
        var old: String?
        if tag.facet == "locality" {
          old = try String.fetchOne(
            db, sql: "SELECT value FROM tag WHERE asset_id = ? AND facet = 'locality' AND source = 'explicit'",
            arguments: [tag.assetId])
          try db.execute(
            sql: "DELETE FROM tag WHERE asset_id = ? AND facet = 'locality' AND source = 'explicit'",
            arguments: [tag.assetId])
        }
        try Self.insert(db, tag, replacing: true)
        note(tag.assetId, "tag", tag.facet, old: old, new: tag.value)
      }
      try Self.audit(db, entries)
      return entries.count
    }
  }
}

extension Catalog {
  /// The suggested (unconfirmed) tags, optionally of one facet, by asset then facet.
  public func suggestedTags(facet: String? = nil) throws(CatalogError) -> [TagRow] {
    try read { db in
      try TagRow.fetchAll(
        db,
        sql: """
          SELECT tag.* FROM tag JOIN asset ON asset.id = tag.asset_id
          WHERE confirmed = 0 AND (?1 IS NULL OR facet = ?1) ORDER BY asset.added_at, asset.rowid, facet, value
          """, arguments: [facet])
    }
  }

  /// Confirms suggestions (`accept`) or deletes them (`reject`): those of `assetIds` (every asset
  /// when nil), optionally only of one facet and one source. One transaction; each tag changed has
  /// its audit entry (action `accept` or `reject`, field the facet, the tag's value as the new
  /// value of an acceptance and the old value of a rejection, source the suggestion's). Returns
  /// how many tags changed.
  @discardableResult
  public func reviewSuggestions(
    assetIds: [String]?, facet: String?, source: String?, accept: Bool, by actor: Actor
  ) throws(CatalogError) -> Int {
    try write { db in
      let condition = """
        confirmed = 0 AND (?1 IS NULL OR facet = ?1) AND (?2 IS NULL OR source = ?2)
          AND (?3 IS NULL OR asset_id = ?3)
        """
      let select = try db.cachedStatement(
        sql: "SELECT * FROM tag WHERE \(condition) ORDER BY asset_id, facet, value, source")
      let change = try db.cachedStatement(
        sql: (accept ? "UPDATE tag SET confirmed = 1 WHERE " : "DELETE FROM tag WHERE ") + condition)
      var entries: [AuditEntry] = []
      for id in assetIds.map({ $0.map(Optional.some) }) ?? [nil] {
        let arguments: StatementArguments = [facet, source, id]
        let tags = try TagRow.fetchAll(select, arguments: arguments)
        guard !tags.isEmpty else { continue }
        try change.execute(arguments: arguments)
        entries += tags.map { tag in
          AuditEntry(
            at: actor.at, operator: actor.name, assetId: tag.assetId, action: accept ? "accept" : "reject",
            field: tag.facet, oldValue: accept ? nil : tag.value, newValue: accept ? tag.value : nil,
            source: tag.source)
        }
      }
      try Self.audit(db, entries)
      return entries.count
    }
  }
}
