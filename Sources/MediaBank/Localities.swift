public import Taxonomy

/// Today's provinces and communes, old names and GPS look-up, as the command line uses them: a thin
/// layer over `Taxonomy.Gazetteer` that loads the shipped data once and reports failures as
/// ``MediaBankError``.
public enum Localities {
  /// What a locality text resolves to (`.resolved`, `.ambiguous`, `.notFound`).
  public typealias Resolution = Taxonomy.Resolution
  /// One unit of today's map reached from a text, with how it got there.
  public typealias Match = Taxonomy.LocalityMatch
  /// The commune and province of a GPS point.
  public typealias Location = Taxonomy.Location

  /// The fallback distance of ``locate(latitude:longitude:)``, in metres.
  public static let fallbackDistance = Gazetteer.defaultFallbackDistance

  /// Resolves a code or a name (today's, an alias or an old one; `"commune, province"` narrows)
  /// to today's units. See `Gazetteer.resolve(_:)`.
  public static func resolve(_ text: String) throws(MediaBankError) -> Resolution {
    try gazetteer().resolve(text)
  }

  /// The commune and province containing a GPS point, or the nearest within
  /// ``fallbackDistance``; nil when the point is not in Vietnam.
  public static func locate(latitude: Double, longitude: Double) throws(MediaBankError) -> Location? {
    try gazetteer().locate(latitude: latitude, longitude: longitude)
  }

  /// Why `text` cannot be used as a locality (it names no unit, or several), or nil when it
  /// resolves to exactly one of today's units.
  public static func problem(with text: String) -> String? {
    do {
      _ = try unit(text)
      return nil
    } catch {
      return error.reason
    }
  }

  /// The one unit of today's map that `text` names; throws why not (unknown, or ambiguous with
  /// its candidates).
  static func unit(_ text: String) throws(MediaBankError) -> Match {
    switch try resolve(text) {
    case .resolved(let match): return match
    case .notFound: throw MediaBankError("'\(text)' is not a province or commune, today's or former")
    case .ambiguous(let candidates):
      let shown = candidates.prefix(5).map(\.description).joined(separator: "; ")
      throw MediaBankError(
        "'\(text)' is ambiguous (\(candidates.count) candidates: \(shown)\(candidates.count > 5 ? "; …" : ""));"
          + " give a code or add the province (\"commune, province\")")
    }
  }

  /// What was stated, for a tag's note, when `text` is a name rather than the code it resolved to.
  static func statedNote(_ text: String, _ match: Match) -> String? {
    text == match.code ? nil : "\(text) → \(match.description)"
  }

  private static func gazetteer() throws(MediaBankError) -> Gazetteer {
    do {
      return try Gazetteer.shared()
    } catch {
      throw MediaBankError("cannot load the locality data: \(error)")
    }
  }
}
