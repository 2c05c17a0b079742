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
    let resolution: Resolution
    do {
      resolution = try resolve(text)
    } catch {
      return error.reason
    }
    switch resolution {
    case .resolved: return nil
    case .notFound: return "'\(text)' is not a province or commune, today's or former"
    case .ambiguous(let candidates):
      let shown = candidates.prefix(5).map(\.description).joined(separator: "; ")
      return "'\(text)' is ambiguous (\(candidates.count) candidates: \(shown)\(candidates.count > 5 ? "; …" : ""));"
        + " give a code or add the province (\"commune, province\")"
    }
  }

  private static func gazetteer() throws(MediaBankError) -> Gazetteer {
    do {
      return try Gazetteer.shared()
    } catch {
      throw MediaBankError("cannot load the locality data: \(error)")
    }
  }
}
