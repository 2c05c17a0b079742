import GRDB

/// One line of the audit log: a change a person made to an asset. The log is append-only (the
/// catalog refuses to update or delete its rows) and outlives the asset it names.
public struct AuditEntry: Codable, Equatable, Sendable {
  public var id: Int64?
  public var at: String
  public var `operator`: String
  public var assetId: String
  /// `edit`, `tag`, `untag`, `accept`, `reject`, `link`, `unlink`, `retract`, `unretract`,
  /// `delete`, `undo-import` or `restore` (deleted content added again).
  public var action: String
  /// What changed: `title.vi`, `keyword`, `capturedAt`, `pillar`, `locality`… (nil for a deletion).
  public var field: String?
  public var oldValue: String?
  public var newValue: String?
  /// The source of the value concerned (`explicit` for what a person set; a suggestion's source
  /// for a review decision).
  public var source: String?
  /// The import batch, for an undone import.
  public var batchId: Int64?

  public init(
    at: String, operator: String, assetId: String, action: String, field: String? = nil, oldValue: String? = nil,
    newValue: String? = nil, source: String? = nil, batchId: Int64? = nil
  ) {
    self.at = at
    self.operator = `operator`
    self.assetId = assetId
    self.action = action
    self.field = field
    self.oldValue = oldValue
    self.newValue = newValue
    self.source = source
    self.batchId = batchId
  }
}

/// Who makes a change, and when: recorded in the audit log with every change.
public struct Actor: Sendable {
  public var name: String
  public var at: String

  public init(name: String, at: String) {
    self.name = name
    self.at = at
  }
}

/// What remains of a deleted asset: enough to refuse its bytes when they come back, and to
/// tell the destinations it was sent to.
public struct TombstoneRow: Codable, Equatable, Sendable {
  public var assetId: String
  public var deletedAt: String
  public var `operator`: String
  public var reason: String
  /// `delete` (a person deleted it: its bytes are refused until `--allow-deleted`) or
  /// `undo-import` (its import was undone: its bytes may come again).
  public var kind: String
  /// The revision the deletion carries to destinations (one more than the asset's last).
  public var revision: Int
}

/// One change to an asset's descriptive values, made by a person (`mediabank edit`).
public enum TextEdit: Equatable, Sendable {
  /// Sets the explicit value of a field in a language (it replaces the earlier explicit value;
  /// the file's values stay, overridden).
  case set(field: String, language: String, value: String)
  /// Adds an explicit keyword.
  case addKeyword(String, language: String)
  /// Removes a keyword, whatever its source.
  case removeKeyword(String)
  /// Moves the titles and descriptions of one language to another (`und` → `vi`).
  case moveText(from: String, to: String)
  /// Sets the capture time (`YYYY-MM-DDThh:mm:ss±hh:mm`); the file's stays, overridden.
  case capturedAt(String)
}

/// What a deletion takes away, or would.
public struct DeletionPlan: Equatable, Sendable {
  public var assetId: String
  /// The destinations it was sent to, which the next bundle to each tells of the deletion.
  public var destinations: [String]
  /// Objects (content and preview) that no other asset or contribution needs: removed.
  public var objects: [String]
}

extension Catalog {
  /// The fields `edit` sets in one language (a language map); the others are single values
  /// whose language is `und`.
  public static let languageFields: Set<String> = ["title", "description"]

  /// Appends entries to the audit log (inside the caller's transaction).
  static func audit(_ db: Database, _ entries: [AuditEntry]) throws {
    // Prepared once per connection: a bulk change audits thousands of assets.
    let insert = try db.cachedStatement(
      sql: """
        INSERT INTO audit (at, operator, asset_id, action, field, old_value, new_value, source, batch_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    for entry in entries {
      try insert.execute(arguments: [
        entry.at, entry.operator, entry.assetId, entry.action, entry.field, entry.oldValue, entry.newValue,
        entry.source, entry.batchId,
      ])
    }
  }

  /// The audit log of asset `id`, oldest first (it outlives a deleted asset).
  public func history(_ id: String) throws(CatalogError) -> [AuditEntry] {
    try read { db in
      try AuditEntry.fetchAll(db, sql: "SELECT * FROM audit WHERE asset_id = ? ORDER BY id", arguments: [id])
    }
  }

  /// The tombstone of asset `id`, when it was deleted.
  public func tombstone(_ id: String) throws(CatalogError) -> TombstoneRow? {
    try read { db in try Self.tombstone(db, id) }
  }

  /// Applies edits to assets in one transaction, each change with its audit entry (old and new
  /// value). An edit that changes nothing (the same value again) is not recorded. Returns the
  /// number of changes made.
  @discardableResult
  public func edit(_ edits: [String: [TextEdit]], by actor: Actor) throws(CatalogError) -> Int {
    try write { db in
      var entries: [AuditEntry] = []
      for (id, changes) in edits.sorted(by: { $0.key < $1.key }) {
        guard try AssetRow.exists(db, key: id) else {
          throw CatalogError("no asset \(id) in this bank", kind: .notFound)
        }
        for change in changes {
          entries += try Self.apply(db, change, to: id, by: actor)
        }
        try Self.index(db, id, fold: fold)
      }
      try Self.audit(db, entries)
      return entries.count
    }
  }

  private static func apply(_ db: Database, _ change: TextEdit, to id: String, by actor: Actor) throws -> [AuditEntry] {
    func entry(_ field: String, _ old: String?, _ new: String?) -> AuditEntry {
      AuditEntry(
        at: actor.at, operator: actor.name, assetId: id, action: "edit", field: field, oldValue: old, newValue: new,
        source: "explicit")
    }
    switch change {
    case .set(let field, let language, let value):
      let old = try effectiveText(db, id, field: field, language: language)
      let explicit = try String.fetchAll(
        db,
        sql: "SELECT value FROM asset_text WHERE asset_id = ? AND field = ? AND language = ? AND source = 'explicit'",
        arguments: [id, field, language])
      if explicit == [value] { return [] }
      try db.execute(
        sql: "DELETE FROM asset_text WHERE asset_id = ? AND field = ? AND language = ? AND source = 'explicit'",
        arguments: [id, field, language])
      try TextRow(assetId: id, field: field, language: language, position: 0, value: value, source: "explicit")
        .insert(db)
      let name = languageFields.contains(field) ? "\(field).\(language)" : field
      return [entry(name, old, value)]
    case .addKeyword(let value, let language):
      let present = try Row.fetchOne(
        db, sql: "SELECT 1 FROM asset_text WHERE asset_id = ? AND field = 'keyword' AND value = ?",
        arguments: [id, value])
      if present != nil { return [] }
      let position =
        try Int.fetchOne(
          db,
          sql: """
            SELECT max(position) + 1 FROM asset_text
            WHERE asset_id = ? AND field = 'keyword' AND language = ? AND source = 'explicit'
            """, arguments: [id, language]) ?? 0
      try TextRow(
        assetId: id, field: "keyword", language: language, position: position, value: value, source: "explicit"
      )
      .insert(db)
      return [entry("keyword", nil, value)]
    case .removeKeyword(let value):
      let sources = try String.fetchAll(
        db, sql: "SELECT source FROM asset_text WHERE asset_id = ? AND field = 'keyword' AND value = ?",
        arguments: [id, value])
      guard !sources.isEmpty else { return [] }
      try db.execute(
        sql: "DELETE FROM asset_text WHERE asset_id = ? AND field = 'keyword' AND value = ?", arguments: [id, value])
      return [entry("keyword", value, nil)]
    case .moveText(let from, let to):
      var entries: [AuditEntry] = []
      let rows = try TextRow.fetchAll(
        db,
        sql: """
          SELECT * FROM asset_text WHERE asset_id = ? AND language = ? AND field IN ('title', 'description')
          ORDER BY field, source, position
          """, arguments: [id, from])
      for row in rows {
        try row.delete(db)
        let duplicate = try Row.fetchOne(
          db,
          sql:
            "SELECT 1 FROM asset_text WHERE asset_id = ? AND field = ? AND language = ? AND source = ? AND value = ?",
          arguments: [id, row.field, to, row.source, row.value])
        if duplicate == nil {
          var moved = row
          moved.language = to
          moved.position =
            try Int.fetchOne(
              db,
              sql: """
                SELECT max(position) + 1 FROM asset_text WHERE asset_id = ? AND field = ? AND language = ? AND source = ?
                """, arguments: [id, row.field, to, row.source]) ?? 0
          try moved.insert(db)
        }
        entries.append(
          AuditEntry(
            at: actor.at, operator: actor.name, assetId: id, action: "edit", field: "\(row.field).\(from)",
            oldValue: row.value, newValue: nil, source: row.source))
        entries.append(
          AuditEntry(
            at: actor.at, operator: actor.name, assetId: id, action: "edit", field: "\(row.field).\(to)",
            oldValue: nil, newValue: row.value, source: row.source))
      }
      return entries
    case .capturedAt(let value):
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT captured_at, captured_at_explicit FROM asset WHERE id = ?", arguments: [id])
      else { return [] }
      let explicit: String? = row["captured_at_explicit"]
      if explicit == value { return [] }
      let old: String? = explicit ?? row["captured_at"]
      try db.execute(sql: "UPDATE asset SET captured_at_explicit = ? WHERE id = ?", arguments: [value, id])
      return [entry("capturedAt", old, value)]
    }
  }

  /// The value shown for a field in a language: the most trusted source's (for a single-valued
  /// field, its `und` value first), as `AssetRecord` shows it.
  private static func effectiveText(_ db: Database, _ id: String, field: String, language: String) throws -> String? {
    let rows = try TextRow.fetchAll(
      db, sql: "SELECT * FROM asset_text WHERE asset_id = ? AND field = ?", arguments: [id, field])
    let ranked = rows.filter { languageFields.contains(field) ? $0.language == language : true }.sorted {
      (TextRow.rank($0.source), $0.language == "und" ? 0 : 1, $0.position)
        < (TextRow.rank($1.source), $1.language == "und" ? 0 : 1, $1.position)
    }
    return ranked.first?.value
  }
}

extension TextRow {
  /// The order in which the sources of descriptive values are trusted, most trusted first.
  public static let precedence = [
    "explicit", "csv", "sidecar", "xmp", "iptc", "exif", "png", "container", "document",
  ]

  static func rank(_ source: String) -> Int { precedence.firstIndex(of: source) ?? precedence.count }
}

// MARK: Selections

extension Catalog {
  /// The ids of the assets whose provenance names import batch `batch`, in the order they were
  /// added.
  public func ids(inBatch batch: Int64) throws(CatalogError) -> [String] {
    try read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT asset.id FROM asset WHERE asset.id IN (SELECT asset_id FROM provenance WHERE batch_id = ?)
          ORDER BY asset.added_at, asset.rowid
          """, arguments: [batch])
    }
  }

  /// The ids of the assets with a provenance path under `folder` (absolute, without a final `/`).
  public func ids(underFolder folder: String) throws(CatalogError) -> [String] {
    try read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT asset.id FROM asset WHERE asset.id IN (
            SELECT asset_id FROM provenance WHERE original_path >= ?1 || '/' AND original_path < ?1 || '0')
          ORDER BY asset.added_at, asset.rowid
          """, arguments: [folder])
    }
  }

  /// For each reference (a `sha256:` prefix, lower case), the ids that start with it (at most two).
  public func ids(startingWith prefixes: [String]) throws(CatalogError) -> [[String]] {
    try read { db in
      let statement = try db.cachedStatement(sql: "SELECT id FROM asset WHERE id >= ? AND id < ? ORDER BY id LIMIT 2")
      return try prefixes.map { prefix in
        try String.fetchAll(statement, arguments: [prefix, prefix + "\u{10FFFF}"])
      }
    }
  }
}

// MARK: Deleting

extension Catalog {
  /// What deleting these assets would take away: for each, the destinations to tell and the
  /// objects no other asset or contribution needs.
  public func deletionPlans(_ ids: [String]) throws(CatalogError) -> [DeletionPlan] {
    try read { db in try Self.plans(db, ids) }
  }

  private static func plans(_ db: Database, _ ids: [String]) throws -> [DeletionPlan] {
    let going = Set(ids)
    var plans: [DeletionPlan] = []
    var claimed: Set<String> = []
    // Prepared once: preparing a statement for each asset cost more than running it.
    let thumbnailOf = try db.cachedStatement(sql: "SELECT thumbnail_id FROM asset WHERE id = ?")
    // Every destination ever sent a line about it: `sent_asset` outlives the asset's rows (a deleted
    // and restored asset keeps the destinations of its first life).
    let destinationsOf = try db.cachedStatement(
      sql: "SELECT destination FROM sent_asset WHERE asset_id = ? ORDER BY destination")
    let usersOf = try db.cachedStatement(sql: "SELECT id FROM asset WHERE id = ?1 OR thumbnail_id = ?1")
    for id in ids {
      guard let thumbnail = try Row.fetchOne(thumbnailOf, arguments: [id])
      else { throw CatalogError("no asset \(id) in this bank", kind: .notFound) }
      let destinations = try String.fetchAll(destinationsOf, arguments: [id])
      var objects: [String] = []
      for object in [id, thumbnail["thumbnail_id"] as String?].compactMap({ $0 }) where !claimed.contains(object) {
        // Needed by an asset that stays (as its content or its preview), or by a contribution?
        let users = try String.fetchAll(usersOf, arguments: [object])
        if users.contains(where: { !going.contains($0) }) { continue }
        if try isContributed(db, object) { continue }
        claimed.insert(object)
        objects.append(object)
      }
      plans.append(DeletionPlan(assetId: id, destinations: destinations, objects: objects))
    }
    return plans
  }

  /// Deletes assets in one transaction: their rows (texts, tags, provenance, search rows…),
  /// a tombstone each (`kind` `delete` or `undo-import`), a notice for each destination they were
  /// sent to, an audit entry, and the objects no one else needs queued for removal from the store
  /// (`purgeQueue`, then `purge`). Returns the plans carried out.
  @discardableResult
  public func delete(
    _ ids: [String], reason: String, kind: String, batch: Int64? = nil, by actor: Actor
  ) throws(CatalogError) -> [DeletionPlan] {
    try write { db in try Self.delete(db, ids, reason: reason, kind: kind, batch: batch, by: actor) }
  }

  static func delete(
    _ db: Database, _ ids: [String], reason: String, kind: String, batch: Int64?, by actor: Actor
  ) throws -> [DeletionPlan] {
    let plans = try plans(db, ids)
    // Prepared once: `DELETE FROM asset` compiles the cascades into every table that refers to
    // an asset, which cost more than deleting.
    let assetRow = try db.cachedStatement(sql: "SELECT rowid, revision, thumbnail_id FROM asset WHERE id = ?")
    let forgetHeld = try db.cachedStatement(sql: "DELETE FROM held_object WHERE object_id IN (?, ?)")
    let deleteSearchRow = try db.cachedStatement(sql: "DELETE FROM asset_search WHERE rowid = ?")
    let translationsOf = try db.cachedStatement(sql: "SELECT asset_id FROM translation WHERE original_id = ?")
    let deleteAsset = try db.cachedStatement(sql: "DELETE FROM asset WHERE id = ?")
    let notify = try db.cachedStatement(
      sql: "INSERT INTO deletion_notice (destination, asset_id, revision) VALUES (?, ?, ?)")
    let bury = try db.cachedStatement(
      sql: """
        INSERT OR REPLACE INTO tombstone (asset_id, deleted_at, operator, reason, kind, revision)
        VALUES (?, ?, ?, ?, ?, ?)
        """)
    for plan in plans {
      let id = plan.assetId
      guard let asset = try Row.fetchOne(assetRow, arguments: [id]) else { continue }
      let revision: Int = asset["revision"]
      // The stories that translate it lose their link with it (by cascade): their history says so.
      for story in try String.fetchAll(translationsOf, arguments: [id])
      where !plans.contains(where: { $0.assetId == story }) {
        try audit(
          db,
          [
            AuditEntry(
              at: actor.at, operator: actor.name, assetId: story, action: "unlink", field: "translationOf",
              oldValue: id, source: "explicit"
            )
          ])
      }
      try deleteSearchRow.execute(arguments: [asset["rowid"] as Int64])
      try deleteAsset.execute(arguments: [id])
      var tombstone = TombstoneRow(
        assetId: id, deletedAt: actor.at, operator: actor.name, reason: reason, kind: kind, revision: revision + 1)
      if kind == "undo-import", let deletion = try Self.deletionRestored(db, id) {
        // Undoing the import that brought deleted content back (`--allow-deleted`) deletes it
        // again as the person did: its bytes are refused again.
        tombstone.kind = "delete"
        tombstone.reason = deletion.newValue ?? reason
        tombstone.operator = deletion.operator
        tombstone.deletedAt = deletion.at
      }
      try bury.execute(arguments: [
        tombstone.assetId, tombstone.deletedAt, tombstone.operator, tombstone.reason, tombstone.kind,
        tombstone.revision,
      ])
      for destination in plan.destinations { try notify.execute(arguments: [destination, id, revision + 1]) }
      // A destination told of the deletion may remove the content: if the same bytes are added
      // again, the next bundle carries them again instead of counting on the destination's copy.
      try forgetHeld.execute(arguments: [id, asset["thumbnail_id"] as String?])
      for object in plan.objects { try queuePurge(db, object, at: actor.at) }
      try audit(
        db,
        [
          AuditEntry(
            at: actor.at, operator: actor.name, assetId: id, action: kind, oldValue: nil, newValue: reason,
            batchId: batch
          )
        ])
    }
    return plans
  }

  /// The `delete` audit entry of the deletion that the asset's last arrival undid (its last
  /// tombstone event is a `restore`), if any.
  private static func deletionRestored(_ db: Database, _ id: String) throws -> AuditEntry? {
    let events = try AuditEntry.fetchAll(
      db,
      sql: "SELECT * FROM audit WHERE asset_id = ? AND action IN ('delete', 'restore') ORDER BY id DESC LIMIT 2",
      arguments: [id])
    guard events.count == 2, events[0].action == "restore", events[1].action == "delete" else { return nil }
    return events[1]
  }

  /// Queues `object` for removal from the store (`purge`), in the caller's transaction.
  static func queuePurge(_ db: Database, _ object: String, at time: String) throws {
    let queue = try db.cachedStatement(sql: "INSERT OR IGNORE INTO purge_object (object_id, queued_at) VALUES (?, ?)")
    try queue.execute(arguments: [object, time])
  }

  /// The objects deletions queued for removal from the store.
  public func purgeQueue() throws(CatalogError) -> [String] {
    try read { db in try String.fetchAll(db, sql: "SELECT object_id FROM purge_object ORDER BY object_id") }
  }

  /// Removes queued objects, in one transaction: `remove` deletes (durably) the files of those
  /// that nothing came to need since they were queued, with the display renditions made of them
  /// that nothing else needs (their `display` rows go), while the catalog is locked for writing;
  /// then the queue entries of all of `objects` go. Returns the objects whose files were removed.
  @discardableResult
  public func purge(_ objects: [String], remove: ([String]) throws -> Void) throws(CatalogError) -> [String] {
    try write { db in
      var unneeded: [String] = []
      for object in objects where try !Self.isNeeded(db, object) { unneeded.append(object) }
      for object in unneeded {
        for display in try Self.forgetDisplays(db, of: object) where !unneeded.contains(display) {
          unneeded.append(display)
        }
      }
      try remove(unneeded)
      let dequeue = try db.cachedStatement(sql: "DELETE FROM purge_object WHERE object_id = ?")
      for object in objects { try dequeue.execute(arguments: [object]) }
      return unneeded
    }
  }
}

// MARK: Undoing an import

/// What undoing an import batch would do.
public struct UndoPlan: Sendable {
  public var batch: Int64
  /// When it was undone already; nil otherwise.
  public var undoneAt: String?
  /// The assets only this batch brought: deleted.
  public var remove: [String]
  /// The assets something else brought too: they lose this batch's provenance and tags.
  public var keep: [String]
  /// The tags this batch set on the kept assets.
  public var tags: Int
  /// Changes people made to the batch's assets since it started.
  public var edited: [AuditEntry]
}

extension Catalog {
  /// The ids in the audit log that start with `prefix` (at most two), for assets deleted since.
  public func auditedIDs(startingWith prefix: String) throws(CatalogError) -> [String] {
    try read { db in
      try String.fetchAll(
        db, sql: "SELECT DISTINCT asset_id FROM audit WHERE asset_id >= ? AND asset_id < ? ORDER BY 1 LIMIT 2",
        arguments: [prefix, prefix + "\u{10FFFF}"])
    }
  }

  /// What undoing import batch `batch` would do.
  public func undoPlan(_ batch: Int64) throws(CatalogError) -> UndoPlan {
    try read { db in try Self.undoPlan(db, batch) }
  }

  private static func undoPlan(_ db: Database, _ batch: Int64) throws -> UndoPlan {
    guard let row = try BatchRow.fetchOne(db, key: batch) else {
      throw CatalogError("no import batch \(batch)", kind: .notFound)
    }
    let auditBefore = try Int64.fetchOne(db, sql: "SELECT audit_before FROM batch WHERE id = ?", arguments: [batch])
    let ids = try String.fetchAll(
      db,
      sql: """
        SELECT asset.id FROM asset WHERE asset.id IN (SELECT asset_id FROM provenance WHERE batch_id = ?)
        ORDER BY asset.added_at, asset.rowid
        """, arguments: [batch])
    var plan = UndoPlan(batch: batch, undoneAt: row.undoneAt, remove: [], keep: [], tags: 0, edited: [])
    for id in ids {
      let others =
        try Int.fetchOne(
          db, sql: "SELECT count(*) FROM provenance WHERE asset_id = ? AND (batch_id IS NULL OR batch_id <> ?)",
          arguments: [id, batch]) ?? 0
      if others == 0 {
        plan.remove.append(id)
      } else {
        plan.keep.append(id)
        plan.tags +=
          try Int.fetchOne(
            db, sql: "SELECT count(*) FROM tag WHERE asset_id = ? AND batch_id = ?", arguments: [id, batch]) ?? 0
      }
      // The changes a person made since the batch started (by the audit log's position then; by
      // time for the batches recorded before there was one): not content coming again, nor
      // another batch's undoing, which took only what that batch had brought.
      plan.edited += try AuditEntry.fetchAll(
        db,
        sql: """
          SELECT * FROM audit WHERE asset_id = ?1 AND action NOT IN ('restore', 'undo-import')
            AND (id > ?2 OR (?2 IS NULL AND at >= ?3))
          ORDER BY id
          """, arguments: [id, auditBefore, row.startedAt])
    }
    return plan
  }

  /// Undoes an import batch as `plan` says (computed again inside the transaction, so that it is
  /// exact): deletes the assets only it brought (tombstones of kind `undo-import`, which do not
  /// refuse the bytes later), takes its provenance, file-cache entries and tags from the others,
  /// marks the batch undone, and audits each asset. Returns the deletions.
  public func undo(_ plan: UndoPlan, by actor: Actor) throws(CatalogError) -> [DeletionPlan] {
    try write { db in
      let current = try Self.undoPlan(db, plan.batch)
      guard current.undoneAt == nil else {
        throw CatalogError("import batch \(plan.batch) was already undone", kind: .conflict)
      }
      guard current.remove == plan.remove, current.keep == plan.keep else {
        throw CatalogError("import batch \(plan.batch) changed while it was being undone; try again", kind: .conflict)
      }
      for id in current.keep {
        try db.execute(
          sql: "DELETE FROM tag WHERE asset_id = ? AND batch_id = ?", arguments: [id, plan.batch])
        try db.execute(
          sql: "DELETE FROM file_cache WHERE asset_id = ? AND batch_id = ?", arguments: [id, plan.batch])
        try db.execute(
          sql: "DELETE FROM provenance WHERE asset_id = ? AND batch_id = ?", arguments: [id, plan.batch])
        try Self.audit(
          db,
          [
            AuditEntry(
              at: actor.at, operator: actor.name, assetId: id, action: "undo-import", field: "provenance",
              newValue: "import batch \(plan.batch) undone", batchId: plan.batch
            )
          ])
      }
      let deleted = try Self.delete(
        db, current.remove, reason: "import batch \(plan.batch) undone", kind: "undo-import", batch: plan.batch,
        by: actor)
      try db.execute(sql: "UPDATE batch SET undone_at = ? WHERE id = ?", arguments: [actor.at, plan.batch])
      return deleted
    }
  }
}
