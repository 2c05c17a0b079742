/// A pillar a person picks from a list, with its names.
public struct PillarChoice: Codable, Equatable, Sendable {
  /// The pillar's code.
  public var code: String
  public var labelVi: String
  public var labelEn: String
  /// A sub-pillar's national pillar.
  public var parent: String?
}

extension Library {
  /// The pillars of the vocabulary in force, each national pillar followed by its sub-pillars.
  public func pillarChoices() throws(MediaBankError) -> [PillarChoice] {
    let vocabulary = try pillars().vocabulary
    return vocabulary.topLevel.flatMap { [$0] + vocabulary.subPillars(of: $0.code) }.map {
      PillarChoice(code: $0.code, labelVi: $0.vietnameseLabel, labelEn: $0.englishLabel, parent: $0.parent)
    }
  }

}
