import MediaBank
import Messages

/// The lists a person picks from in the forms: the pillars of the bank's vocabulary and the
/// shipped languages.
struct Choices: Sendable {
  var pillars: [PillarChoice]
  var languages: [Language]

  /// The bank's pillars (its vocabulary may change) and the shipped languages.
  static func of(_ library: Library) throws(MediaBankError) -> Choices {
    Choices(pillars: try library.pillarChoices(), languages: try Library.knownLanguages())
  }

  /// A `<select>` of the pillars, sub-pillars indented under theirs, with an empty first choice.
  func pillarSelect(name: String, selected: String?, language: UILanguage) -> String {
    var html = "<select name=\"\(escape(name))\"><option value=\"\">\(escape(Label.anyValue.text(language)))</option>"
    for pillar in pillars {
      let label = (language == .vi ? pillar.labelVi : pillar.labelEn)
      let indent = pillar.parent == nil ? "" : "\u{2003}"
      html += """
        <option value="\(escape(pillar.code))"\(pillar.code == selected ? " selected" : "")>\(indent)\(escape(label))</option>
        """
    }
    return html + "</select>"
  }

  /// A `<datalist id="languages">` of the shipped languages, for inputs with `list="languages"`.
  func languageList(language: UILanguage) -> String {
    "<datalist id=\"languages\">"
      + languages.map {
        "<option value=\"\(escape($0.tag))\">\(escape(language == .vi ? $0.vietnameseName : $0.englishName))</option>"
      }.joined() + "</datalist>"
  }
}
