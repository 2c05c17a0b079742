import Taxonomy

/// A value a person picks from a list (a pillar, a language), with its names.
public struct Choice: Codable, Equatable, Sendable {
  /// What a filter or a tag takes: a pillar code, a language tag.
  public var code: String
  public var labelVi: String
  public var labelEn: String
  /// A sub-pillar's national pillar.
  public var parent: String?
}

extension Library {
  /// The pillars of the vocabulary in force, each national pillar followed by its sub-pillars.
  public func pillarChoices() throws(MediaBankError) -> [Choice] {
    let vocabulary = try pillars().vocabulary
    return vocabulary.topLevel.flatMap { [$0] + vocabulary.subPillars(of: $0.code) }.map {
      Choice(code: $0.code, labelVi: $0.vietnameseLabel, labelEn: $0.englishLabel, parent: $0.parent)
    }
  }

  /// The languages MediaBank ships (Vietnamese, the languages of foreign audiences, the
  /// ethnic-minority languages), in the shipped list's order.
  public static func languageChoices() throws(MediaBankError) -> [Choice] {
    do {
      return try Languages.shared().all.map {
        Choice(code: $0.tag, labelVi: $0.vietnameseName, labelEn: $0.englishName)
      }
    } catch {
      throw MediaBankError("cannot load the list of languages: \(error)", wrapping: error, code: .internal)
    }
  }
}
