public import Taxonomy

/// A language MediaBank knows by name: its BCP 47 tag, its Vietnamese and English names, its
/// category (`national`, `foreign`, `foreign_extended`, `ethnic_minority`) and ISO 639-3 code.
public typealias Language = Taxonomy.Language

extension Library {
  /// The languages MediaBank knows by name (shipped with it, Vietnamese first): Vietnamese, the
  /// foreign languages a bank meets and the languages of Vietnam's ethnic minorities. A tag
  /// outside the list may still be used when it is well formed.
  public static func knownLanguages() throws(MediaBankError) -> [Language] {
    do {
      return try Languages.shared().all
    } catch {
      throw MediaBankError("cannot load the language list: \(error)", wrapping: error, code: .internal)
    }
  }
}
