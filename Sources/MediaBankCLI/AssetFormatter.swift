import Foundation
import MediaBank
import Messages

/// Human-readable renderings of asset records.
enum AssetFormatter {
  /// One line: short id, on the national bank the source bank (the province whose record it
  /// is), kind, size, capture date, best title (else the file name), the locality with its names,
  /// `[damaged]` for a photo whose pixel data is truncated or corrupt, and `[retracted]` for an
  /// asset the bank no longer shares. Text from the files is made safe for a terminal.
  static func line(_ record: AssetRecord) -> String {
    let short = String(record.id.prefix(19))
    let size = record.width.flatMap { w in record.height.map { "\(w)x\($0)" } } ?? "-"
    let date = record.capturedAt.map { String($0.prefix(10)) } ?? "-"
    let title = AssetRecord.bestText(record.title) ?? record.originalNames.first ?? ""
    var line =
      ([short] + (record.sourceBank.map { [Terminal.safe($0)] } ?? []) + [
        record.kind, size.padding(toLength: 9, withPad: " ", startingAt: 0),
        date.padding(toLength: 10, withPad: " ", startingAt: 0), Terminal.safe(title),
      ])
      .joined(separator: "  ")
    if let locality = record.locality {
      line += "  (\(place(locality))\(locality.confirmed ? "" : ", " + Label.suggested.text(language)))"
    }
    if record.damaged != nil { line += "  [\(Label.damaged.text(language))]" }
    if record.retraction != nil { line += "  [\(Label.retracted.text(language))]" }
    return line
  }

  /// The locality's codes with today's names: `01906 Xã Ba Bể, 19 Tỉnh Thái Nguyên`.
  static func place(_ locality: AssetRecord.Locality) -> String {
    Localities.name(province: locality.province, commune: locality.commune)
  }

  /// Every field, one per line, with the source of descriptive values; a retraction first.
  /// Text from the files is made safe for a terminal.
  static func details(_ record: AssetRecord) -> String {
    var lines = [record.id]
    func add(_ label: String, _ value: String?) {
      guard let value else { return }
      let label = Terminal.safe(label)
      lines.append(
        "  " + label.padding(toLength: max(18, label.count + 1), withPad: " ", startingAt: 0) + Terminal.safe(value))
    }
    if let source = record.sourceBank {
      add(
        "source bank",
        Localities.name(province: source, commune: nil) + (record.receivedAt.map { ", received \($0)" } ?? ""))
    }
    if let retraction = record.retraction {
      add(
        "retracted",
        "since \(retraction.retractedAt): \(retraction.reason) (not shared in sync bundles; `unretract` shares it)")
    }
    func source(_ key: String) -> String {
      record.sources?[key].map { " (\($0))" } ?? ""
    }
    add("kind", "\(record.kind), \(record.mediaType), \(Terminal.count(Int(record.byteSize), "byte"))")
    add(
      "damaged",
      record.damaged.map {
        "\($0) (kept with the metadata that could be read; \(record.thumbnail == nil ? "no preview" : "partial preview"))"
      })
    if let width = record.width, let height = record.height {
      add("size", "\(width) x \(height)" + (record.orientation.map { ", orientation \($0)" } ?? ""))
    }
    add(
      record.kind == "story" ? "date" : "captured",
      record.capturedAt.map { $0 + (record.capturedAtSource.map { " (\($0))" } ?? "") })
    if let duration = record.durationSeconds { add("duration", Self.duration(duration)) }
    if let codec = record.videoCodec {
      add(
        "video",
        [
          record.container, codec, record.frameRate.map { "\(Self.decimal($0)) fps" },
          record.bitRate.map { "\($0 / 1000) kbit/s" },
        ].compactMap { $0 }.joined(separator: ", "))
    }
    if let codec = record.audioCodec {
      add("audio", [codec, record.audioChannels.map { "\($0) ch" }].compactMap { $0 }.joined(separator: ", "))
    }
    add("audio languages", record.audioLanguages?.joined(separator: ", "))
    add("words", record.wordCount.map(String.init))
    if let camera = record.camera {
      // Many cameras repeat the make in the model ("Canon" / "Canon EOS R6").
      let make = camera.make.flatMap { make in camera.model?.hasPrefix(make) == true ? nil : make }
      add(
        "camera",
        [make, camera.model].compactMap { $0 }.joined(separator: " ") + (camera.source.map { " (\($0))" } ?? ""))
    }
    if let gps = record.gps {
      add(
        "gps",
        "\(gps.latitude), \(gps.longitude)" + (gps.altitude.map { ", \($0) m" } ?? "")
          + (gps.source.map { " (\($0))" } ?? ""))
    }
    if let exposure = record.exposure {
      add(
        "exposure",
        [
          exposure.exposureTime.map { "\($0) s" }, exposure.fNumber.map { "f/\($0)" },
          exposure.iso.map { "ISO \($0)" }, exposure.focalLength.map { "\($0) mm" },
        ].compactMap { $0 }.joined(separator: ", "))
    }
    for (language, text) in (record.title ?? [:]).sorted(by: { $0.key < $1.key }) {
      add("title [\(language)]", text + source("title.\(language)"))
    }
    for (language, text) in (record.description ?? [:]).sorted(by: { $0.key < $1.key }) {
      add("description [\(language)]", text + source("description.\(language)"))
    }
    add("keywords", record.keywords?.joined(separator: ", "))
    add("creator", record.creator.map { $0 + source("creator") })
    add("credit", record.credit.map { $0 + source("credit") })
    add("copyright", record.rights?.copyright.map { $0 + source("copyright") })
    add("license", record.rights?.license.map { $0 + source("license") })
    add("usage terms", record.rights?.usageTerms.map { $0 + source("usageTerms") })
    if let location = record.location {
      add(
        "location",
        [location.sublocation, location.city, location.state].compactMap { $0 }.joined(separator: ", "))
    }
    func state(_ confirmed: Bool) -> String { confirmed ? "" : ", suggested" }
    if let locality = record.locality {
      add(
        "locality",
        "\(place(locality)) (\(locality.source)\(state(locality.confirmed)))"
          + (locality.stated.map { "; stated: \($0)" } ?? ""))
      add("conflict", locality.conflict)
    }
    for pillar in record.pillars ?? [] {
      let under = pillar.parent.map { ", under \($0)" } ?? ""
      add("pillar", "\(pillar.code) (\(pillar.source)\(state(pillar.confirmed))\(under))")
    }
    for language in record.languages ?? [] {
      add("language", "\(language.tag) (\(language.source)\(state(language.confirmed)))")
    }
    add("translation of", record.translationOf)
    for translation in record.translations ?? [] {
      let languages = translation.languages.isEmpty ? "language unknown" : translation.languages.joined(separator: ", ")
      add("translation", "\(translation.id) (\(languages))")
    }
    add("thumbnail", record.thumbnail)
    add("names", record.originalNames.joined(separator: ", "))
    for entry in record.provenance {
      add(
        "added",
        "\(entry.addedAt) by \(entry.operator) from \(entry.path)" + (entry.batch.map { " (batch \($0))" } ?? ""))
    }
    add("folder hints", record.hints?.folders?.joined(separator: "; "))
    add("year hint", record.hints?.capturedYear.map { "\($0) (from the folder name; the file gives no date)" })
    for hidden in record.overridden ?? [] {
      add("overridden", "\(hidden.field) [\(hidden.language)] \(hidden.value) (\(hidden.source))")
    }
    for issue in record.metadataIssues ?? [] { add("issue", issue) }
    return lines.joined(separator: "\n")
  }

  /// `1:02:03`, `2:03` or `4.5 s`.
  static func duration(_ seconds: Double) -> String {
    guard seconds >= 60 else { return "\(decimal(seconds)) s" }
    let whole = Int(seconds.rounded())
    let (hours, minutes, rest) = (whole / 3600, whole / 60 % 60, whole % 60)
    let clock = String(format: "%d:%02d", minutes, rest)
    return hours > 0 ? "\(hours):" + String(format: "%02d:%02d", minutes, rest) : clock
  }

  /// A number with at most 3 decimals and no trailing zeros: `25`, `29.97`.
  private static func decimal(_ value: Double) -> String {
    var text = String(format: "%.3f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }

}
