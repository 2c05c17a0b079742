import Catalog
import Metadata
import Taxonomy

/// Finds the locality tags of an arrival from everything it says, each with its source:
/// explicit and `metadata.csv` codes or names, the sidecar's and the file's location fields
/// (`photoshop:City`/`State`, `Iptc4xmpCore:Location`, IPTC City/Province-State), the GPS
/// position, the place names inside the folder names (read together, as an archivist reads a
/// path: ``Gazetteer/locality(inFolders:preferredProvince:)``), and the bank's own province when
/// nothing else says. Names are
/// resolved to today's units with the gazetteer; a name that is ambiguous or unknown gives no
/// tag. The record shows the tag of the most trusted source (see `AssetRecord.Locality`).
struct LocalityTagger {
  let gazetteer: Gazetteer

  /// The locality tags for one arrival. `given` are the explicit, CSV and sidecar values;
  /// `stated` the file's own resolved tags (a story's front matter); `fileTexts` and `gps` are nil
  /// for content already in the bank (tagged at its first arrival).
  func tags(
    given: Given, fileTexts: [EmbeddedText]?, stated: [GivenTag] = [], gps: (latitude: Double, longitude: Double)?,
    folder: String?, bankProvince: String?
  ) -> [GivenTag] {
    var tags: [GivenTag] = []
    // Explicit and CSV values were checked when they were given; a name becomes its code.
    for tag in given.tags where tag.facet == "locality" {
      guard let match = gazetteer.resolve(tag.value).match else { continue }
      tags.append(
        GivenTag(
          facet: "locality", value: match.code, source: tag.source, note: Localities.statedNote(tag.value, match)))
    }
    let sidecarTexts = given.texts.filter { $0.source == "sidecar" }.map { ($0.field, $0.value) }
    if let tag = fromLocationFields(sidecarTexts, source: "sidecar") { tags.append(tag) }
    tags += stated.filter { $0.facet == "locality" }
    if let fileTexts, let tag = fromLocationFields(fileTexts.map { ($0.field.rawValue, $0.value) }, source: "embedded")
    {
      tags.append(tag)
    }
    if let gps, let location = gazetteer.locate(latitude: gps.latitude, longitude: gps.longitude) {
      let statedProvince = tags.first.flatMap { provinceCode(of: $0.value) }
      var note: String?
      if let statedProvince, statedProvince != location.province.code {
        note =
          "the GPS position is in \(location.province.code) \(location.province.name), not in the stated province \(statedProvince)"
      }
      tags.append(GivenTag(facet: "locality", value: location.commune.code, source: "gps", note: note))
    }
    if let folder,
      let found = gazetteer.locality(
        inFolders: folder.split(separator: "/").map(String.init), preferredProvince: bankProvince)
    {
      tags.append(
        GivenTag(facet: "locality", value: found.match.code, source: "path", note: found.folders.joined(separator: "/"))
      )
    }
    if tags.isEmpty, let bankProvince, gazetteer.province(code: bankProvince) != nil {
      tags.append(GivenTag(facet: "locality", value: bankProvince, source: "bank-default"))
    }
    return tags
  }

  /// A tag from City / State / Location values, trying the most precise combination first.
  private func fromLocationFields(_ texts: [(field: String, value: String)], source: String) -> GivenTag? {
    func first(_ field: String) -> String? { texts.first { $0.field == field }?.value }
    let state = first("state")
    let city = first("city")
    var queries: [String] = []
    if let city, let state { queries.append("\(city), \(state)") }
    if let state { queries.append(state) }
    if let city { queries.append(city) }
    for query in queries {
      if let match = gazetteer.resolve(query).match {
        return GivenTag(facet: "locality", value: match.code, source: source, note: Localities.statedNote(query, match))
      }
    }
    return nil
  }

  /// The province of a province or commune code.
  private func provinceCode(of code: String) -> String? {
    code.count == 2 ? code : gazetteer.commune(code: code)?.provinceCode
  }

}
