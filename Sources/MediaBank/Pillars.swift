import Catalog
internal import Foundation
public import Taxonomy

/// A pillar of a vocabulary: code, labels, scope note, keyword hints, parent (see Taxonomy).
public typealias Pillar = Taxonomy.Pillar
/// A versioned list of pillars, with keyword recognition and hint suggestions (see Taxonomy).
public typealias PillarVocabulary = Taxonomy.PillarVocabulary

/// The image pillars in force in a bank: the newest national vocabulary it knows (the one shipped
/// with this program, or a newer one loaded with ``Library/updatePillars(from:)``), the bank's
/// local sub-pillars (``Library/addLocalPillar(_:)``), and the codes earlier vocabularies had that
/// this one has retired.
public struct BankPillars: Sendable {
  /// The national pillars in force followed by the bank's local sub-pillars (those have a
  /// `parent`). Tags, keyword matching and hint suggestions use this vocabulary.
  public let vocabulary: PillarVocabulary
  /// When the national vocabulary in force was loaded into the bank; nil for the shipped one.
  public let loadedAt: String?
  /// Pillars of earlier vocabularies (shipped or loaded) that the one in force no longer has,
  /// each as the newest vocabulary that had it defined it. Assets keep such tags; reports show
  /// them as retired.
  public let retired: [Pillar]

  /// The pillars of a program without a bank: the shipped national vocabulary.
  public static func shipped() throws(MediaBankError) -> BankPillars {
    do {
      return BankPillars(vocabulary: try PillarVocabulary.shipped(), loadedAt: nil, retired: [])
    } catch {
      throw MediaBankError("cannot load the pillar vocabulary: \(error)", wrapping: error, code: .internal)
    }
  }

  /// The pillar a tag's code rolls up to: the parent of a local sub-pillar, else the code itself.
  public func nationalCode(of code: String) -> String {
    vocabulary.pillar(code)?.parent ?? code
  }

  /// The pillar in force or retired with this code.
  public func pillar(_ code: String) -> Pillar? {
    vocabulary.pillar(code) ?? retired.first { $0.code == code }
  }

  /// Why `code` cannot be given as a pillar tag (not in force, or retired), or nil when it can.
  public func problem(with code: String) -> String? {
    if vocabulary.pillar(code) != nil { return nil }
    let version = vocabulary.version
    if retired.contains(where: { $0.code == code }) {
      return "'\(code)' is a retired pillar: vocabulary \(version) no longer has it; `mediabank pillars` lists them"
    }
    let named = vocabulary.match(code).map { " (did you mean \($0.code)?)" } ?? ""
    return "'\(code)' is not a pillar code of this bank (vocabulary \(version))\(named); `mediabank pillars` lists them"
  }
}

/// A local sub-pillar to add to a bank (`mediabank pillars add-local`).
public struct LocalPillar: Sendable {
  /// The new code, e.g. `tra-thai-nguyen`: lower-case ASCII words joined by `-`.
  public var code: String
  /// The national pillar it belongs to, e.g. `specialty-products`.
  public var parent: String
  public var labelVi: String
  public var labelEn: String
  /// Keyword hints that suggest it in titles, descriptions, keywords and folder names.
  public var hints: [String]

  public init(code: String, parent: String, labelVi: String, labelEn: String, hints: [String] = []) {
    self.code = code
    self.parent = parent
    self.labelVi = labelVi
    self.labelEn = labelEn
    self.hints = hints
  }
}

/// What ``Library/updatePillars(from:)`` changed.
public struct PillarUpdate: Sendable, Codable, Equatable {
  /// The version in force before, and now.
  public var previousVersion: String
  public var version: String
  /// Codes the new version has that the previous one did not.
  public var added: [String]
  /// Codes the new version retires, each with how many assets keep a tag with it.
  public var retired: [Retired]

  public struct Retired: Sendable, Codable, Equatable {
    public var code: String
    public var assets: Int
  }
}

extension Library {
  /// The pillars in force in this bank.
  public func pillars() throws(MediaBankError) -> BankPillars {
    let shipped = try BankPillars.shipped().vocabulary
    let (loaded, locals) = try catalogCall { () throws(CatalogError) in
      (try catalog.vocabularies(), try catalog.localPillars())
    }
    // The shipped vocabulary alone (the common case): nothing retired, nothing added; its file is
    // read only when a pillar is looked at.
    if loaded.isEmpty && locals.isEmpty { return BankPillars(vocabulary: shipped, loadedAt: nil, retired: []) }
    // Every vocabulary the bank has known, oldest version first; the last one is in force.
    var known: [(vocabulary: PillarVocabulary, loadedAt: String?)] = [(shipped, nil)]
    for row in loaded {
      do {
        known.append((try PillarVocabulary(data: row.document, name: "pillar vocabulary \(row.version)"), row.loadedAt))
      } catch {
        throw MediaBankError(
          "the bank's pillar vocabulary \(row.version) cannot be read: \(error.reason)", wrapping: error, code: .damaged
        )
      }
    }
    known.sort { $1.vocabulary.isNewer(than: $0.vocabulary) }
    let current = known.last!
    var retired: [Pillar] = []
    for (vocabulary, _) in known.reversed() {
      for pillar in vocabulary.pillars
      where current.vocabulary.pillar(pillar.code) == nil && !retired.contains(where: { $0.code == pillar.code }) {
        retired.append(pillar)
      }
    }
    let vocabulary: PillarVocabulary
    do {
      vocabulary = try current.vocabulary.adding(locals.map(Self.pillar), name: "the bank's local pillars")
    } catch {
      throw MediaBankError(error.reason, path: root.path, wrapping: error, code: .damaged)
    }
    return BankPillars(vocabulary: vocabulary, loadedAt: current.loadedAt, retired: retired.reversed())
  }

  /// Loads a newer national vocabulary (the file at `path`, `Storage/pillars.md`) into the bank.
  /// Tags keep their codes; codes the new version leaves out become retired. Refused when the
  /// file is invalid, not newer than the vocabulary in force, or would leave a local sub-pillar
  /// without its parent (or take its code or label).
  @discardableResult
  public func updatePillars(from path: String) throws(MediaBankError) -> PillarUpdate {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw MediaBankError("cannot read the file (\(error.localizedDescription))", path: path, wrapping: error)
    }
    let new: PillarVocabulary
    do {
      new = try PillarVocabulary(data: data, name: path)
    } catch {
      throw MediaBankError(error.reason, path: path, wrapping: error)
    }
    let before = try pillars()
    let old = before.vocabulary
    guard new.isNewer(than: old) else {
      throw MediaBankError(
        .conflict,
        "vocabulary \(new.version) is not newer than the vocabulary in force (\(old.version)); nothing changed",
        path: path)
    }
    let locals = old.pillars.filter { $0.parent != nil }
    do {
      _ = try new.adding(locals, name: path)
    } catch {
      throw MediaBankError(
        "it does not fit the bank's local pillars (\(error.reason)); nothing changed", path: path, wrapping: error,
        code: .conflict)
    }
    let counts = try catalogCall { () throws(CatalogError) in try catalog.tagCounts(facet: "pillar") }
    try catalogCall { () throws(CatalogError) in
      try catalog.addVocabulary(VocabularyRow(version: new.version, document: data, loadedAt: Self.timestamp()))
    }
    let localCodes = Set(locals.map(\.code))
    let national = old.pillars.filter { !localCodes.contains($0.code) }
    return PillarUpdate(
      previousVersion: old.version, version: new.version,
      added: new.pillars.map(\.code).filter { old.pillar($0) == nil },
      retired: national.map(\.code).filter { new.pillar($0) == nil }.map {
        PillarUpdate.Retired(code: $0, assets: counts[$0] ?? 0)
      })
  }

  /// Adds a local sub-pillar under a national pillar in force. Refused when the code is not
  /// well formed or is (or was) used by another pillar, the parent is not a national pillar in
  /// force, or a label would name another pillar.
  @discardableResult
  public func addLocalPillar(_ local: LocalPillar) throws(MediaBankError) -> Pillar {
    let pillars = try pillars()
    guard PillarVocabulary.isWellFormedCode(local.code) else {
      throw MediaBankError(
        .invalidInput, "'\(local.code)' is not a pillar code (lower-case letters and digits, words joined by '-')")
    }
    if let existing = pillars.pillar(local.code) {
      let what =
        existing.parent != nil
        ? "a local pillar" : pillars.retired.contains(existing) ? "a retired pillar" : "a national pillar"
      throw MediaBankError(.alreadyExists, "'\(local.code)' is already \(what) of this bank; choose another code")
    }
    guard let parent = pillars.vocabulary.pillar(local.parent), parent.parent == nil else {
      throw MediaBankError(
        .invalidInput, "--parent: '\(local.parent)' is not a national pillar in force; `mediabank pillars` lists them")
    }
    let row = LocalPillarRow(
      code: local.code, parent: parent.code, labelVi: local.labelVi, labelEn: local.labelEn, hints: local.hints,
      addedAt: Self.timestamp())
    let pillar = Self.pillar(row)
    do {
      _ = try pillars.vocabulary.adding([pillar], name: local.code)
    } catch {
      throw MediaBankError(error.reason, wrapping: error, code: .conflict)
    }
    try catalogCall { () throws(CatalogError) in try catalog.addLocalPillar(row) }
    return pillar
  }

  /// A local sub-pillar as a vocabulary pillar: its labels are also its scope note.
  private static func pillar(_ row: LocalPillarRow) -> Pillar {
    Pillar(
      code: row.code, label: ["vi": row.labelVi, "en": row.labelEn], scope: ["vi": row.labelVi, "en": row.labelEn],
      hints: row.hints.isEmpty ? [:] : ["und": row.hints], parent: row.parent)
  }
}
