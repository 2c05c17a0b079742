import Metadata

/// The descriptive values a person states for assets (`add`, `edit`): which catalog field each
/// is, and whether it is written in a language. A new one is a property here and a row of
/// ``fields``; `add`, `edit`, the import's recorded options and their command-line options all
/// follow from them.
public struct StatedTexts: Equatable, Sendable {
  /// The title, in the language the command gives.
  public var title: String?
  /// The description (caption), in the language the command gives.
  public var description: String?
  /// The creator: photographer, film-maker, author.
  public var creator: String?
  /// The licence (CC BY 4.0…).
  public var license: String?
  /// The usage terms (credit the province's department of culture…).
  public var usageTerms: String?

  public init(
    title: String? = nil, description: String? = nil, creator: String? = nil, license: String? = nil,
    usageTerms: String? = nil
  ) {
    self.title = title
    self.description = description
    self.creator = creator
    self.license = license
    self.usageTerms = usageTerms
  }

  /// One stated value: its property, its catalog field, and whether it is written in the
  /// command's language (else it is stored as `und`).
  struct Field: Sendable {
    let value: any WritableKeyPath<StatedTexts, String?> & Sendable
    let field: TextField
    let inLanguage: Bool

    /// The command-line option that states it (`--usage-terms`).
    var option: String {
      "--" + field.rawValue.reduce(into: "") { $0 += $1.isUppercase ? "-" + $1.lowercased() : String($1) }
    }
  }

  static let fields = [
    Field(value: \.title, field: .title, inLanguage: true),
    Field(value: \.description, field: .description, inLanguage: true),
    Field(value: \.creator, field: .creator, inLanguage: false),
    Field(value: \.license, field: .license, inLanguage: false),
    Field(value: \.usageTerms, field: .usageTerms, inLanguage: false),
  ]

  /// The values stated, in the order of ``fields``.
  var stated: [(field: Field, value: String)] {
    Self.fields.compactMap { field in self[keyPath: field.value].map { (field, $0) } }
  }

  /// Each value cleaned (``Swift/String/cleanedText``); a value left empty is dropped.
  var cleaned: StatedTexts {
    var copy = self
    for field in Self.fields { copy[keyPath: field.value] = self[keyPath: field.value]?.cleanedText }
    return copy
  }
}
