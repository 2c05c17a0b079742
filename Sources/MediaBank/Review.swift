import Catalog
import Foundation

/// A suggested tag waiting for review, with what a person needs to decide: the asset (its title
/// or file name, its folder) and why the tag was suggested.
public struct Suggestion: Codable, Equatable, Sendable {
  public var id: String
  /// `pillar`, `language` or `locality`.
  public var facet: String
  public var value: String
  /// `path` (folder names), `text` (titles, descriptions, keywords, a story's text) or
  /// `bank-default` (the bank's province).
  public var source: String
  /// The tag's note as the catalog keeps it (the folder name, the hint found…).
  public var note: String?
  /// Why it was suggested, in words: `“anh hùng” in “Anh hùng dân tộc”`, `the folder “Ba Bể”`,
  /// `detected in “Chợ nổi Cái Răng”`, `the bank's province (nothing else says where)`.
  public var reason: String
  /// The folder the asset came from: the directory of its first provenance path (absolute).
  public var folder: String
  /// The asset's title in the best language (Vietnamese, else undetermined, else English, else
  /// the first), when it has one.
  public var title: String?
  /// The asset's file name (its first original name).
  public var name: String

  public init(
    id: String, facet: String, value: String, source: String, note: String? = nil, reason: String, folder: String,
    title: String? = nil, name: String
  ) {
    self.id = id
    self.facet = facet
    self.value = value
    self.source = source
    self.note = note
    self.reason = reason
    self.folder = folder
    self.title = title
    self.name = name
  }
}

extension Library {
  /// The suggested tags, optionally of one facet (`pillar`, `language`, `locality`) and of the
  /// assets with a provenance path under `folder` (see ``review(_:folder:facet:source:accept:operatorName:)``),
  /// grouped by folder (folders in order, and in each the assets in the order they were added).
  public func suggestions(facet: String? = nil, folder: String? = nil) throws(MediaBankError) -> [Suggestion] {
    var rows = try catalogCall { () throws(CatalogError) in try catalog.suggestedTags(facet: facet) }
    if let folder {
      let selected = Set(try assets(underFolder: folder))
      rows = rows.filter { selected.contains($0.assetId) }
    }
    var seen: Set<String> = []
    let ids = rows.map(\.assetId).filter { seen.insert($0).inserted }
    let parents = try pillarParents()
    let records = try catalogCall { () throws(CatalogError) in
      try catalog.entries(ids: ids).map { AssetRecord($0, parents: parents) }
    }
    let byId = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let suggestions = rows.compactMap { row -> Suggestion? in
      guard let record = byId[row.assetId] else { return nil }
      return Suggestion(
        id: row.assetId, facet: row.facet, value: row.value, source: row.source, note: row.note,
        reason: Self.reason(facet: row.facet, source: row.source, note: row.note),
        folder: Self.directory(of: record.provenance.first?.path ?? "/"), title: AssetRecord.bestText(record.title),
        name: record.originalNames.first ?? record.provenance.first.map { Self.lastComponent($0.path) } ?? record.id)
    }
    // A stable sort: within a folder, the catalog's order (assets as added, then facet and value).
    return suggestions.enumerated().sorted { ($0.element.folder, $0.offset) < ($1.element.folder, $1.offset) }
      .map(\.element)
  }

  /// Confirms (`accept`) or removes (`reject`) suggested tags, in one transaction with an audit
  /// entry for each (action `accept` or `reject`, field the facet, the tag's value, the
  /// suggestion's source, and `operatorName`, else the login name). The assets are those named
  /// (ids or prefixes), or those with a provenance path under `folder`, or, when neither is given,
  /// every asset; `facet` and `source` narrow the suggestions. `folder` is an absolute path (a
  /// relative one is taken from the current directory; a final `/` does not matter) and takes the
  /// assets imported or added from it or from any folder below it. Returns how many tags changed.
  @discardableResult
  public func review(
    _ references: [String], folder: String? = nil, facet: String? = nil, source: String? = nil, accept: Bool,
    operatorName: String? = nil
  ) throws(MediaBankError) -> Int {
    if let source, !TagRow.suggestionSources.contains(source) {
      throw MediaBankError(
        .invalidInput,
        "'\(source)' is not a source of suggestions (\(TagRow.suggestionSources.sorted().joined(separator: ", ")))")
    }
    if let facet, !["pillar", "language", "locality"].contains(facet) {
      throw MediaBankError(.invalidInput, "'\(facet)' is not a facet (pillar, language, locality)")
    }
    var ids: [String]?
    if let folder {
      guard references.isEmpty else { throw MediaBankError(.invalidInput, "name assets or give a folder, not both") }
      ids = try assets(underFolder: folder)
    } else if !references.isEmpty {
      ids = try self.ids(references)
    }
    let actor = Self.actor(operatorName)
    return try catalogCall { () throws(CatalogError) in
      try catalog.reviewSuggestions(assetIds: ids, facet: facet, source: source, accept: accept, by: actor)
    }
  }

  /// The ids of the assets with a provenance path under `folder` (made absolute); throws when
  /// there is none, so that a mistyped folder does not pass for one without suggestions.
  func assets(underFolder folder: String) throws(MediaBankError) -> [String] {
    let absolute = Self.absolute(RawPath(folder)).display
    let ids = try catalogCall { () throws(CatalogError) in
      try catalog.ids(underFolder: absolute == "/" ? "" : absolute)
    }
    guard !ids.isEmpty else {
      throw MediaBankError(.notFound, "no asset of this bank came from this folder or below it", path: absolute)
    }
    return ids
  }

  // MARK: Helpers

  /// Why a tag was suggested, in words, from its facet, source and note. The notes of `path`
  /// pillar tags and of `text` tags already say it (`“du lịch” in the folder “Du lịch”`,
  /// `detected in “…”`); a `path` locality's note is the folder name itself.
  static func reason(facet: String, source: String, note: String?) -> String {
    switch (source, note) {
    case ("bank-default", _): return "the bank's province (nothing else says where)"
    case ("path", let note?) where facet == "locality" && !note.contains("“"): return "the folder “\(note)”"
    case (_, let note?): return note
    case ("path", nil): return "a folder name"
    case ("text", nil): return "the words of its title, description or keywords"
    default: return "source \(source)"
    }
  }

  /// The directory part of an absolute path (`/` for a file at the root).
  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
    return String(path[..<slash])
  }

  private static func lastComponent(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
  }
}
