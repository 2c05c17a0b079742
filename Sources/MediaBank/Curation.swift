import BlobStore
import Catalog
import Foundation
import Taxonomy

extension Library {
  /// Whether the object `id` (`sha256:…`) is in the store.
  func isStored(_ id: String) -> Bool { BlobID(id).map { store.contains($0) } ?? false }

  // MARK: Purging

  /// Removes from the store the objects deletions queued (`Catalog.delete`): each only if nothing
  /// came to need it since, its file unlinked and its directory flushed while the catalog is
  /// locked. Called after every deletion, and when the bank is opened (to finish the work of a
  /// deletion that was interrupted). Returns how many objects were removed.
  ///
  /// The objects go `chunk` at a time, each chunk in one catalog transaction with one `fsync`
  /// per directory of the store: one transaction and one `fsync` per object made deleting 1,000
  /// photos take seconds. The chunk bounds how long other writers wait.
  @discardableResult
  func purgeQueuedObjects(chunk size: Int = purgeChunk) throws(MediaBankError) -> Int {
    let queued = try catalogCall { () throws(CatalogError) in try catalog.purgeQueue() }
    var removed = 0
    for start in stride(from: 0, to: queued.count, by: size) {
      let chunk = Array(queued[start..<min(start + size, queued.count)])
      let purged = try catalogCall { () throws(CatalogError) in
        try catalog.purge(chunk) { objects in try store.remove(objects.compactMap { BlobID($0) }) }
      }
      removed += purged.count
    }
    return removed
  }

  /// How many queued objects one purge transaction removes.
  static let purgeChunk = 1000
}

/// What a person changes with `mediabank edit`: each value given is set as the explicit value
/// (kept beside what the files say, which stays as `overridden`).
public struct AssetEdit: Sendable {
  /// The title, description, creator… to set.
  public var texts: StatedTexts
  /// The language of the title, the description and the keywords added; required with a title
  /// or a description.
  public var language: String?
  /// The capture time, ISO 8601 (`2019-02-05T08:00:00+07:00`, `2019-02-05`…).
  public var capturedAt: String?
  public var addKeywords: [String]
  public var removeKeywords: [String]
  /// Moves the titles and descriptions of one language to another (`und` → `vi`).
  public var moveText: (from: String, to: String)?
  /// Who makes the change (recorded in the audit log); the login name when nil.
  public var operatorName: String?

  public init(
    texts: StatedTexts = StatedTexts(), language: String? = nil, capturedAt: String? = nil,
    addKeywords: [String] = [], removeKeywords: [String] = [], moveText: (from: String, to: String)? = nil,
    operatorName: String? = nil
  ) {
    self.texts = texts
    self.language = language
    self.capturedAt = capturedAt
    self.addKeywords = addKeywords
    self.removeKeywords = removeKeywords
    self.moveText = moveText
    self.operatorName = operatorName
  }

  /// Checks the values (as `Library.edit` does) without touching a bank.
  public func check() throws(MediaBankError) { _ = try changes() }

  /// The catalog's changes, checked: every text cleaned and non-empty, languages well formed,
  /// the capture time ISO 8601.
  func changes() throws(MediaBankError) -> [TextEdit] {
    func clean(_ value: String, _ option: String) throws(MediaBankError) -> String {
      guard let clean = value.cleanedText else { throw MediaBankError(.invalidInput, "\(option) is empty") }
      return clean
    }
    if let language, !Languages.isWellFormed(language) {
      throw MediaBankError(.invalidInput, "--lang '\(language)' is not a BCP 47 language tag (e.g. vi, en, zh-Hans)")
    }
    var changes: [TextEdit] = []
    for (field, value) in texts.stated {
      var written = "und"
      if field.inLanguage {
        guard let language else {
          throw MediaBankError(
            .invalidInput, "\(field.option) needs --lang: the language it is written in (vi, en, und if unknown)")
        }
        written = language
      }
      changes.append(.set(field: field.field.rawValue, language: written, value: try clean(value, field.option)))
    }
    if let capturedAt {
      guard Self.isCaptureTime(capturedAt) else {
        throw MediaBankError(
          .invalidInput,
          "--captured-at '\(capturedAt)' is not an ISO 8601 date or time (2019-02-05, 2019-02-05T08:00:00+07:00)")
      }
      changes.append(.capturedAt(capturedAt))
    }
    for keyword in addKeywords {
      changes.append(.addKeyword(try clean(keyword, "--add-keyword"), language: language ?? "und"))
    }
    for keyword in removeKeywords { changes.append(.removeKeyword(try clean(keyword, "--remove-keyword"))) }
    if let moveText {
      for tag in [moveText.from, moveText.to] where !Languages.isWellFormed(tag) {
        throw MediaBankError(.invalidInput, "--move-text: '\(tag)' is not a BCP 47 language tag")
      }
      guard moveText.from != moveText.to else {
        throw MediaBankError(.invalidInput, "--move-text: the two languages are the same")
      }
      changes.append(.moveText(from: moveText.from, to: moveText.to))
    }
    guard !changes.isEmpty else { throw MediaBankError(.invalidInput, "nothing to change: give a value to set") }
    return changes
  }

  /// `YYYY-MM-DD`, or that followed by `Thh:mm`, `Thh:mm:ss` (fraction allowed), optionally with
  /// `Z` or `±hh:mm`.
  static func isCaptureTime(_ value: String) -> Bool {
    let bytes = Array(value.utf8)
    func digits(_ range: Range<Int>) -> Bool {
      range.upperBound <= bytes.count && bytes[range].allSatisfy { (0x30...0x39).contains($0) }
    }
    func byte(_ index: Int, _ character: Character) -> Bool {
      index < bytes.count && bytes[index] == character.asciiValue!
    }
    guard digits(0..<4), byte(4, "-"), digits(5..<7), byte(7, "-"), digits(8..<10) else { return false }
    guard let month = Int(value.dropFirst(5).prefix(2)), (1...12).contains(month),
      let day = Int(value.dropFirst(8).prefix(2)), (1...31).contains(day)
    else { return false }
    var index = 10
    if index == bytes.count { return true }
    guard byte(index, "T"), digits(11..<13), byte(13, ":"), digits(14..<16) else { return false }
    index = 16
    if byte(index, ":") {
      guard digits(17..<19) else { return false }
      index = 19
      if byte(index, ".") {
        index += 1
        let start = index
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
        guard index > start else { return false }
      }
    }
    if index == bytes.count { return true }
    if byte(index, "Z") { return index + 1 == bytes.count }
    guard byte(index, "+") || byte(index, "-"), digits((index + 1)..<(index + 3)), byte(index + 3, ":"),
      digits((index + 4)..<(index + 6))
    else { return false }
    return index + 6 == bytes.count
  }
}

/// What `edit` did.
public struct EditResult: Codable, Equatable, Sendable {
  /// The full ids of the assets edited.
  public var ids: [String]
  /// How many values changed (a value set again to what it was is not a change).
  public var changes: Int
}

/// One asset a deletion took away, or would.
public struct DeletedAsset: Codable, Equatable, Sendable {
  public var id: String
  public var kind: String
  /// Its titles by language.
  public var title: [String: String]?
  /// The names of the files it came from.
  public var names: [String]
  public var byteSize: Int64
  /// The destinations the next bundles tell of the deletion.
  public var destinations: [String]
  /// The objects removed from the store (content, preview), those no other asset needs.
  public var objects: [String]
}

/// Which assets a bulk operation (`tag`) applies to.
public enum AssetSelection: Sendable {
  /// Ids or unambiguous prefixes.
  case ids([String])
  /// The assets import batch N brought (or also brought).
  case batch(Int64)
  /// The assets with a file under this folder (absolute or relative to the current directory);
  /// a folder no asset came from is an error, so that a mistyped path does not pass for an empty
  /// selection.
  case folder(String)
}

extension Library {
  // MARK: Resolving ids

  /// The full ids of `references` (ids or unambiguous prefixes of at least 4 hex digits), in the
  /// order given, without repeats; throws naming the first reference that is not an asset id,
  /// names no asset, or several.
  public func ids(_ references: [String]) throws(MediaBankError) -> [String] {
    var prefixes: [String] = []
    for reference in references { prefixes.append(try Self.requiredPrefix(reference)) }
    let matches = try catalogCall { () throws(CatalogError) in try catalog.ids(startingWith: prefixes) }
    var ids: [String] = []
    var seen: Set<String> = []
    for (reference, found) in zip(references, matches) {
      guard let id = try Self.atMostOne(found, for: reference) else {
        throw MediaBankError(.notFound, "no asset \(reference) in this bank")
      }
      if seen.insert(id).inserted { ids.append(id) }
    }
    return ids
  }

  /// The full ids of the assets `selection` names, in the order they were added (ids: as given).
  public func ids(_ selection: AssetSelection) throws(MediaBankError) -> [String] {
    switch selection {
    case .ids(let references):
      return try ids(references)
    case .batch(let batch):
      _ = try self.batch(batch)
      return try catalogCall { () throws(CatalogError) in try catalog.ids(inBatch: batch) }
    case .folder(let folder):
      return try assets(underFolder: folder)
    }
  }

  // MARK: Editing

  /// Sets explicit values of the assets (ids or prefixes), in one transaction, each change with
  /// its audit entry. The files' own values stay, shown as `overridden`.
  @discardableResult
  public func edit(_ references: [String], _ edit: AssetEdit) throws(MediaBankError) -> EditResult {
    let changes = try edit.changes()
    let ids = try ids(references)
    let count = try catalogCall { () throws(CatalogError) in
      try catalog.edit(Dictionary(uniqueKeysWithValues: ids.map { ($0, changes) }), by: Self.actor(edit.operatorName))
    }
    return EditResult(ids: ids, changes: count)
  }

  // MARK: History

  /// Every change people made to an asset, oldest first: edits, tags, reviews, retractions, its
  /// deletion. `reference` may name an asset that was deleted (its history outlives it).
  public func history(_ reference: String) throws(MediaBankError) -> [HistoryEntry] {
    let prefix = try Self.requiredPrefix(reference)
    let current = try catalogCall { () throws(CatalogError) in try catalog.ids(startingWith: prefix) }
    // A deleted asset is found in the log (its history outlives it).
    let matches =
      current.isEmpty
      ? try catalogCall { () throws(CatalogError) in try catalog.auditedIDs(startingWith: prefix) } : current
    guard let id = try Self.atMostOne(matches, for: reference) else {
      throw MediaBankError(.notFound, "no asset \(reference) in this bank or its history")
    }
    return try catalogCall { () throws(CatalogError) in try catalog.history(id) }.map(HistoryEntry.init)
  }

  // MARK: Deleting

  /// Deletes assets from this bank: their records, tags, search rows and previews, and their
  /// content when no other asset needs it (the object files unlinked durably). A tombstone
  /// remains, so that the same bytes are refused when they come again (unless
  /// `--allow-deleted`), and the destinations the assets were sent to are told by the next bundle.
  /// With `dryRun`, says what would go and changes nothing.
  @discardableResult
  public func delete(
    _ references: [String], reason: String, operatorName: String? = nil, dryRun: Bool = false
  ) throws(MediaBankError) -> [DeletedAsset] {
    guard let reason = reason.cleanedText else {
      throw MediaBankError(.invalidInput, "give the reason for the deletion (--reason)")
    }
    let ids = try ids(references)
    // What the answer shows of each: its kind, size, names and title.
    let records = Dictionary(
      try catalogCall { () throws(CatalogError) in try catalog.entries(ids: ids, texts: ["title"]) }.map {
        ($0.asset.id, $0)
      },
      uniquingKeysWith: { a, _ in a })
    let plans = try catalogCall { () throws(CatalogError) in
      dryRun
        ? try catalog.deletionPlans(ids)
        : try catalog.delete(ids, reason: reason, kind: "delete", by: Self.actor(operatorName))
    }
    if !dryRun { try purgeQueuedObjects() }
    return plans.map { plan in
      let record = records[plan.assetId].map { AssetRecord($0) }
      return DeletedAsset(
        id: plan.assetId, kind: record?.kind ?? "", title: record?.title, names: record?.originalNames ?? [],
        byteSize: record?.byteSize ?? 0, destinations: plan.destinations, objects: plan.objects)
    }
  }

  // MARK: Undoing an import

  /// Takes back what import batch `batch` did: the assets it added (those that other batches or
  /// `add` also brought lose only this batch's provenance, file-cache entries and the tags it
  /// set), audited. Refused when an asset of the batch was changed by a person since, unless
  /// `force`. With `dryRun`, says what would be done and changes nothing.
  @discardableResult
  public func undoBatch(
    _ batch: Int64, force: Bool = false, dryRun: Bool = false, operatorName: String? = nil
  ) throws(MediaBankError) -> UndoResult {
    let plan = try catalogCall { () throws(CatalogError) in try catalog.undoPlan(batch) }
    if let undone = plan.undoneAt {
      throw MediaBankError(.conflict, "import batch \(batch) was already undone on \(undone)")
    }
    if !plan.edited.isEmpty && !force {
      let shown = plan.edited.prefix(3).map { "\($0.assetId.prefix(19)) (\($0.action) \($0.field ?? "") on \($0.at))" }
      throw MediaBankError(
        .conflict,
        "\(plan.edited.count) change\(plan.edited.count == 1 ? "" : "s") since the import: "
          + shown.joined(separator: ", ") + (plan.edited.count > 3 ? ", …" : "")
          + "; `mediabank history ID` shows them; --force undoes the import anyway")
    }
    var result = UndoResult(
      batch: batch, removed: plan.remove, kept: plan.keep, tags: plan.tags, dryRun: dryRun, objects: [])
    guard !dryRun else { return result }
    let plans = try catalogCall { () throws(CatalogError) in try catalog.undo(plan, by: Self.actor(operatorName)) }
    result.objects = plans.flatMap(\.objects)
    try purgeQueuedObjects()
    return result
  }
}

/// What undoing an import did, or would do.
public struct UndoResult: Codable, Equatable, Sendable {
  public var batch: Int64
  /// The assets removed: only this batch had brought them.
  public var removed: [String]
  /// The assets other batches or `add` also brought: they keep their record and lose this
  /// batch's provenance and the tags it set.
  public var kept: [String]
  /// The tags removed from the kept assets.
  public var tags: Int
  public var dryRun: Bool
  /// The objects removed from the store.
  public var objects: [String]
}

/// One change a person made to an asset, as `history` shows it.
public struct HistoryEntry: Codable, Equatable, Sendable {
  /// When (ISO 8601, UTC).
  public var at: String
  /// Who (the operator).
  public var `operator`: String
  public var id: String
  /// `edit`, `tag`, `untag`, `accept`, `reject`, `link`, `unlink`, `retract`, `unretract`,
  /// `delete`, `undo-import` or `restore`.
  public var action: String
  /// What changed (`title.vi`, `keyword`, `capturedAt`, `pillar`…), when a value did.
  public var field: String?
  public var old: String?
  public var new: String?
  /// The source of the value (`explicit` for what a person set).
  public var source: String?
  /// The import batch, for an undone import.
  public var batch: Int64?

  init(_ entry: AuditEntry) {
    at = entry.at
    self.operator = entry.operator
    id = entry.assetId
    action = entry.action
    field = entry.field
    old = entry.oldValue
    new = entry.newValue
    source = entry.source
    batch = entry.batchId
  }
}
