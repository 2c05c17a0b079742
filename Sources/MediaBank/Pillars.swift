internal import Foundation
public import Taxonomy

/// The national image-pillar vocabulary as the command line uses it: a thin layer over
/// `Taxonomy.PillarVocabulary` that reports failures as ``MediaBankError``.
public enum Pillars {
  /// A versioned list of pillars, with keyword recognition and hint suggestions.
  public typealias Vocabulary = Taxonomy.PillarVocabulary
  /// One national pillar: code, labels, scope note and keyword hints.
  public typealias Pillar = Taxonomy.Pillar
  /// A pillar suggested by keyword hints, with the first hint found and the number of hits.
  public typealias Suggestion = Taxonomy.PillarVocabulary.Suggestion

  /// The vocabulary shipped with this program. See `PillarVocabulary.shipped()`.
  public static func shipped() throws(MediaBankError) -> Vocabulary {
    do {
      return try Vocabulary.shipped()
    } catch {
      throw MediaBankError("cannot load the pillar vocabulary: \(error)")
    }
  }

  /// Why `code` cannot be used as a pillar (not a code of the shipped vocabulary), or nil.
  public static func problem(with code: String) -> String? {
    let vocabulary: Vocabulary
    do {
      vocabulary = try shipped()
    } catch {
      return error.reason
    }
    guard vocabulary.pillar(code) == nil else { return nil }
    let named = vocabulary.match(code).map { " (did you mean \($0.code)?)" } ?? ""
    return "'\(code)' is not a pillar code of vocabulary \(vocabulary.version)\(named); `mediabank pillars` lists them"
  }

  /// Reads and checks the vocabulary file at `path` (for `mediabank pillars update`).
  public static func vocabulary(at path: String) throws(MediaBankError) -> Vocabulary {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw MediaBankError("cannot read the file (\(error.localizedDescription))", path: path)
    }
    do {
      return try Vocabulary(data: data, name: path)
    } catch {
      throw MediaBankError(error.reason, path: path)
    }
  }
}
