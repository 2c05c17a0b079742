import GRDB

/// The translation groups of some stories: each story linked to the story it translates, and a
/// group made of every story reachable through those links, whichever way they point (a
/// translation of a translation is in its original's group).
struct TranslationGroups {
  /// The story each linked story translates.
  private(set) var originals: [String: String] = [:]
  /// The group of each story asked about, as the other members' ids in the order they were added.
  private var groups: [String: [String]] = [:]
  /// The language tags of every member of those groups.
  private var languages: [String: [String]] = [:]

  /// Reads the links (all of them: a bank holds few, and a group can span any stories) and the
  /// groups of `assets`.
  init(_ db: Database, assets: [String]) throws {
    guard !assets.isEmpty else { return }
    let links = try TranslationRow.fetchAll(db, sql: "SELECT * FROM translation WHERE original_id IS NOT NULL")
    guard !links.isEmpty else { return }
    var root: [String: String] = [:]
    func find(_ id: String) -> String {
      var current = id
      while let parent = root[current], parent != current { current = parent }
      return current
    }
    for link in links {
      guard let original = link.originalId else { continue }
      originals[link.assetId] = original
      let (a, b) = (find(link.assetId), find(original))
      root[a] = a
      root[b] = b
      if a != b { root[max(a, b)] = min(a, b) }
    }
    let wanted = Set(assets.filter { root[$0] != nil })
    guard !wanted.isEmpty else { return }
    let wantedRoots = Set(wanted.map(find))
    let members = root.keys.filter { wantedRoots.contains(find($0)) }
    var order: [String: Int] = [:]
    var memberLanguages: [String: [String]] = [:]
    for start in stride(from: 0, to: members.count, by: 500) {
      let chunk = Array(members[start..<min(start + 500, members.count)])
      let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
      for row in try Row.fetchAll(
        db, sql: "SELECT id, rowid FROM asset WHERE id IN (\(marks))", arguments: StatementArguments(chunk))
      {
        order[row["id"]] = row["rowid"]
      }
      for row in try Row.fetchAll(
        db,
        sql:
          "SELECT DISTINCT asset_id, value FROM tag WHERE facet = 'language' AND asset_id IN (\(marks)) ORDER BY value",
        arguments: StatementArguments(chunk))
      {
        memberLanguages[row["asset_id"], default: []].append(row["value"])
      }
    }
    languages = memberLanguages
    let byRoot = Dictionary(grouping: members.sorted { (order[$0] ?? 0, $0) < (order[$1] ?? 0, $1) }, by: find)
    for id in wanted { groups[id] = (byRoot[find(id)] ?? []).filter { $0 != id } }
  }

  /// The other members of the group of `id`, with their languages.
  func members(of id: String) -> [TranslationMember] {
    (groups[id] ?? []).map { TranslationMember(id: $0, languages: languages[$0] ?? []) }
  }
}

extension Catalog {
  /// Links the `document` links that wait for their story (`original_id` NULL) whose reference
  /// now names exactly one story, and removes their issue.
  static func linkPendingTranslations(_ db: Database) throws {
    for var link in try TranslationRow.fetchAll(db, sql: "SELECT * FROM translation WHERE original_id IS NULL") {
      guard let reference = link.reference else { continue }
      let matches = try String.fetchAll(
        db, sql: "SELECT id FROM asset WHERE kind = 'story' AND id >= ? AND id < ? AND id <> ? LIMIT 2",
        arguments: [reference, reference + "\u{10FFFF}", link.assetId])
      guard matches.count == 1 else { continue }
      try deletePendingIssue(db, link)
      // Two stories that name each other: the one whose link was made first keeps it.
      if try TranslationRow.fetchOne(db, key: matches[0])?.originalId == link.assetId {
        try link.delete(db)
        try db.execute(
          sql: "INSERT OR IGNORE INTO metadata_issue (asset_id, message) VALUES (?, ?)",
          arguments: [
            link.assetId,
            "translation_of \(reference) is not linked: \(matches[0]) is a translation of this story",
          ])
        continue
      }
      link.originalId = matches[0]
      try link.update(db)
    }
  }

  /// The issue of a story whose `translation_of` names no single story of the bank yet.
  public static func pendingIssue(reference: String) -> String {
    "translation_of \(reference) is not linked yet: no single story of this bank has an id that starts so"
      + " (it is linked when that story arrives)"
  }

  static func pendingIssue(_ link: TranslationRow) -> String { pendingIssue(reference: link.reference ?? "") }

  static func addPendingIssue(_ db: Database, _ link: TranslationRow) throws {
    try db.execute(
      sql: "INSERT OR IGNORE INTO metadata_issue (asset_id, message) VALUES (?, ?)",
      arguments: [link.assetId, pendingIssue(link)])
  }

  static func deletePendingIssue(_ db: Database, _ link: TranslationRow) throws {
    try db.execute(
      sql: "DELETE FROM metadata_issue WHERE asset_id = ? AND message = ?",
      arguments: [link.assetId, pendingIssue(link)])
  }

  /// The link of story `id` to the story it translates, or to the reference it waits for.
  public func translationLink(of id: String) throws(CatalogError) -> TranslationRow? {
    try read { db in try TranslationRow.fetchOne(db, key: id) }
  }

  /// The text of the story `id`, or nil when it is not a story.
  public func storyBody(_ id: String) throws(CatalogError) -> String? {
    try read { db in try String.fetchOne(db, sql: "SELECT body FROM story_text WHERE asset_id = ?", arguments: [id]) }
  }
}
