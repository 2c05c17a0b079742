import Catalog
import Foundation
import Taxonomy

/// Which assets `list` shows: every condition given must hold.
public struct AssetFilter: Sendable {
  public var kind: String?
  /// A pillar code the asset is tagged with (any source); a national pillar also matches the
  /// assets tagged with its local sub-pillars.
  public var pillar: String?
  /// A language tag the asset is tagged with (any source).
  public var language: String?
  /// A province or commune: the asset's locality is that unit or inside it. A name (today's or
  /// former) is made its code by ``Library/resolve(_:)``.
  public var locality: String?
  /// Captured on or after this date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`). An asset the file gives
  /// no capture time for matches by the year its folders name (``AssetRecord/Hints/capturedYear``),
  /// compared by year only.
  public var capturedFrom: String?
  /// Captured on or before this date (the folder's year counts as for `capturedFrom`).
  public var capturedTo: String?
  /// Only assets with at least one suggested (unconfirmed) tag.
  public var suggestedOnly = false
  /// On the national bank: only the records contributed by this province.
  public var sourceBank: String?
  /// Only assets the bank shares (not retracted).
  public var sharedOnly = false
  /// Only damaged photos: their pixel data is truncated or corrupt (`AssetRecord.damaged`).
  public var damagedOnly = false
  /// Only assets the bank withdrew from what it shares (retracted).
  public var retractedOnly = false

  public init(
    kind: String? = nil, pillar: String? = nil, language: String? = nil, locality: String? = nil,
    capturedFrom: String? = nil, capturedTo: String? = nil, suggestedOnly: Bool = false, sourceBank: String? = nil,
    sharedOnly: Bool = false, damagedOnly: Bool = false, retractedOnly: Bool = false
  ) {
    self.retractedOnly = retractedOnly
    self.damagedOnly = damagedOnly
    self.sourceBank = sourceBank
    self.sharedOnly = sharedOnly
    self.kind = kind
    self.pillar = pillar
    self.language = language
    self.locality = locality
    self.capturedFrom = capturedFrom
    self.capturedTo = capturedTo
    self.suggestedOnly = suggestedOnly
  }

  func matches(_ record: AssetRecord) -> Bool {
    if let kind, record.kind != kind { return false }
    if let sourceBank, record.sourceBank != sourceBank { return false }
    if sharedOnly, record.retraction != nil { return false }
    if retractedOnly, record.retraction == nil { return false }
    if damagedOnly, record.damaged == nil { return false }
    if let pillar, !(record.pillars ?? []).contains(where: { $0.code == pillar || $0.parent == pillar }) {
      return false
    }
    if let language, !(record.languages ?? []).contains(where: { $0.tag.lowercased() == language.lowercased() }) {
      return false
    }
    if let locality {
      guard let place = record.locality, place.province == locality || place.commune == locality else { return false }
    }
    if capturedFrom != nil || capturedTo != nil {
      if let captured = record.capturedAt {
        if let capturedFrom, captured.prefix(capturedFrom.count) < capturedFrom { return false }
        if let capturedTo, captured.prefix(capturedTo.count) > capturedTo { return false }
      } else if let year = record.hints?.capturedYear.map(String.init) {
        // A folder's year is a hint of the year only: it matches a bound in that year.
        if let capturedFrom, year < capturedFrom.prefix(4) { return false }
        if let capturedTo, year > capturedTo.prefix(4) { return false }
      } else {
        return false
      }
    }
    if suggestedOnly {
      let suggested =
        (record.pillars ?? []).contains { !$0.confirmed } || (record.languages ?? []).contains { !$0.confirmed }
        || record.locality?.confirmed == false
      if !suggested { return false }
    }
    return true
  }
}

/// Tags a person gives or takes away with `mediabank tag`.
public struct TagChange: Sendable {
  public var pillar: String?
  public var language: String?
  /// A code or a name that resolves to exactly one unit.
  public var locality: String?
  /// A story (an id or a prefix) that the assets, stories, translate: they join its group.
  public var translationOf: String?
  /// Remove these tags (from every source), and the link to `translationOf`, instead of adding
  /// them.
  public var remove: Bool
  /// Who makes the change (recorded in the audit log); the login name when nil.
  public var operatorName: String?

  public init(
    pillar: String? = nil, language: String? = nil, locality: String? = nil, translationOf: String? = nil,
    remove: Bool = false, operatorName: String? = nil
  ) {
    self.operatorName = operatorName
    self.pillar = pillar
    self.language = language
    self.locality = locality
    self.translationOf = translationOf
    self.remove = remove
  }
}

extension Library {
  /// The record a source bank contributed, with `sourceBank` and `receivedAt`; nil once retracted.
  static func record(of row: ContributionRow) -> AssetRecord? {
    guard let text = row.record, var record = try? JSONDecoder().decode(AssetRecord.self, from: Data(text.utf8)) else {
      return nil
    }
    record.sourceBank = row.source
    record.receivedAt = row.receivedAt
    return record
  }

  /// Adds explicit tags to the assets (ids or unambiguous prefixes), or removes tags, in one
  /// transaction. An explicit locality replaces the asset's earlier explicit locality. Returns the
  /// full ids.
  @discardableResult
  public func tag(_ references: [String], _ change: TagChange) throws(MediaBankError) -> [String] {
    try tag(.ids(references), change).ids
  }

  /// Adds explicit tags to the assets `selection` names (ids, an import batch, a folder), or
  /// removes tags, in one transaction; each change is audited, and a tag an asset already has
  /// changes nothing (its revision stays). With `dryRun`, counts the changes and keeps none.
  public func tag(
    _ selection: AssetSelection, _ change: TagChange, dryRun: Bool = false
  ) throws(MediaBankError) -> TagResult {
    let ids = try ids(selection)
    var links: [TranslationRow] = []
    if let reference = change.translationOf {
      let original: String
      do {
        original = try storyID(reference)
      } catch {
        throw MediaBankError("--translation-of: \(error.reason)", wrapping: error)
      }
      let kinds = try catalogCall { () throws(CatalogError) in try catalog.kinds(ids) }
      for id in ids {
        let kind = kinds[id] ?? "?"
        guard kind == "story" else {
          throw MediaBankError(.invalidInput, "\(id) is a \(kind): --translation-of links stories")
        }
        guard id != original else { throw MediaBankError(.invalidInput, "a story cannot be a translation of itself") }
        if !change.remove, translates(original, id) {
          throw MediaBankError(.conflict, "\(original) is a translation of \(id), so \(id) cannot be its translation")
        }
        links.append(TranslationRow(assetId: id, originalId: original, source: "explicit", addedAt: Self.timestamp()))
      }
    }
    var tags: [(facet: String, value: String, note: String?)] = []
    if let pillar = change.pillar {
      // Removing a retired code is allowed; adding one is not.
      if !change.remove, let reason = try pillars().problem(with: pillar) {
        throw MediaBankError(.invalidInput, reason)
      }
      tags.append(("pillar", pillar, nil))
    }
    if let language = change.language { tags.append(("language", language, nil)) }
    if let locality = change.locality {
      let match = try Localities.unit(locality)
      tags.append(("locality", match.code, Localities.statedNote(locality, match)))
    }
    let now = Self.timestamp()
    let rows = ids.flatMap { id in
      tags.map {
        TagRow(assetId: id, facet: $0.facet, value: $0.value, source: "explicit", note: $0.note, addedAt: now)
      }
    }
    let changes = try catalogCall { () throws(CatalogError) in
      try catalog.changeTags(
        rows, translations: links, remove: change.remove, by: Self.actor(change.operatorName), dryRun: dryRun)
    }
    return TagResult(ids: ids, changes: changes, dryRun: dryRun)
  }
}

/// What `tag` did, or would do.
public struct TagResult: Codable, Equatable, Sendable {
  /// The full ids of the assets selected.
  public var ids: [String]
  /// How many tags or links were added or removed (those already so are not counted).
  public var changes: Int
  public var dryRun: Bool
}
