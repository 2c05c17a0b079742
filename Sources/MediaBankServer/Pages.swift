import Foundation
import Hummingbird
import MediaBank
import Messages

/// The pages of the web library, rendered on the server. Every value that came from a person or
/// a file goes through `escape`; labels come from `Label`.
enum Pages {
  static func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(
      status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
      body: .init(byteBuffer: ByteBuffer(string: page)))
  }

  /// The frame of every page: title, the account and its sign-out form, the language switch.
  static func layout(_ title: String, _ body: String, language: UILanguage, signedIn: SignedIn?) -> String {
    func t(_ label: Label) -> String { escape(label.text(language)) }
    var header = "<a class=\"brand\" href=\"/\">\(t(.appName))</a>"
    if signedIn != nil { header += "<a href=\"/dashboard\">\(t(.dashboard))</a>" }
    if let signedIn, signedIn.account.role >= .editor {
      header += "<a href=\"/upload\">\(t(.upload))</a><a href=\"/review\">\(t(.review))</a>"
    }
    // A province's account on the national bank: its province's view a click away.
    if let province = signedIn?.account.province {
      header += """
        <a href="/dashboard?source=\(escape(province))" data-key="own-province">\
        \(escape(Localities.name(province: province, commune: nil)))</a>
        """
    }
    if let signedIn {
      header += """
        <span class="account">\(t(.signedInAs)) <b>\(escape(signedIn.account.name))</b> \
        (\(t(.role)): \(escape(signedIn.account.role.rawValue)))</span>\
        <form method="post" action="/logout" class="inline">\
        <input type="hidden" name="_token" value="\(escape(signedIn.formToken))">\
        <button type="submit">\(t(.signOut))</button></form>
        """
    }
    let other: UILanguage = language == .vi ? .en : .vi
    header += "<a class=\"switch\" href=\"?ui=\(other.rawValue)\">\(t(.switchLanguage))</a>"
    return """
      <!DOCTYPE html>
      <html lang="\(language.rawValue)">
      <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(escape(title)) — \(t(.appName))</title>
      <link rel="stylesheet" href="/static/mediabank.css"></head>
      <body><header>\(header)</header>
      <main>\(body)</main>
      </body></html>
      """
  }

  static func signIn(language: UILanguage, message: Label?, next: String?) -> String {
    func t(_ label: Label) -> String { escape(label.text(language)) }
    let body = """
      <h1>\(t(.signIn))</h1>
      \(message.map { "<p class=\"error\" role=\"alert\">\(t($0))</p>" } ?? "")
      <form method="post" action="/login" class="signin">
      <input type="hidden" name="next" value="\(escape(next ?? "/"))">
      <label>\(t(.name)) <input name="name" autocomplete="username" required autofocus></label>
      <label>\(t(.password)) <input name="password" type="password" autocomplete="current-password" required></label>
      <button type="submit">\(t(.signIn))</button>
      </form>
      """
    return layout(Label.signIn.text(language), body, language: language, signedIn: nil)
  }

  /// The library page of a query as it is for every account of one role in one language: the
  /// page but its frame and, for an editor, the session's form token in the form of the actions,
  /// which goes between `beforeToken` and `afterToken`. The server keeps it until the bank changes.
  struct LibraryBody: Sendable {
    var beforeToken: String
    var afterToken = ""
  }

  /// The library: the search and filter form, the facets with their counts (each a link to the
  /// page with that value set or cleared), the grid of previews and, for an editor, the actions on
  /// the assets ticked in the grid.
  static func library(_ body: LibraryBody, context: WebContext) -> String {
    let page = body.afterToken.isEmpty ? body.beforeToken : body.beforeToken + token(context) + body.afterToken
    return layout(Label.library.text(context.language), page, language: context.language, signedIn: context.signedIn)
  }

  /// The body of the library page of `query` for `role` in `language` (``LibraryBody``).
  static func libraryBody(
    query: LibraryQuery, result: LibraryQuery.Result, facets: FacetCounts, choices: Choices, role: Role,
    language: UILanguage
  ) -> LibraryBody {
    func t(_ label: Label) -> String { escape(label.text(language)) }
    func option(_ value: String, _ label: String, selected: String?) -> String {
      "<option value=\"\(escape(value))\"\(selected == value ? " selected" : "")>\(escape(label))</option>"
    }
    let kinds = [("", Label.allKinds), ("photo", .photo), ("video", .video), ("story", .story)]
    var body = """
      <form method="get" action="/" class="filters">
      <input type="search" name="q" value="\(escape(query.text ?? ""))" placeholder="\(t(.searchPlaceholder))">
      <select name="kind">\(kinds.map { option($0.0, $0.1.text(language), selected: query.filter.kind ?? "") }.joined())</select>
      <label>\(t(.pillar)) \(choices.pillarSelect(name: "pillar", selected: query.filter.pillar, language: language))</label>
      <label>\(t(.language)) <input name="lang" value="\(escape(query.filter.language ?? ""))" size="6" list="languages"></label>
      <label>\(t(.locality)) <input name="locality" value="\(escape(query.filter.locality ?? ""))" size="16" \
      list="localities" data-complete="locality" autocomplete="off"></label>
      <select name="order">\([
        ("newest", Label.newestFirst), ("oldest", .oldestFirst), ("captured", .capturedNewestFirst),
        ("captured-oldest", .capturedOldestFirst),
      ].map { option($0.0, $0.1.text(language), selected: query.orderName) }.joined())</select>
      \(hidden(query, keeping: ["year", "suggested", "damaged", "retracted", "shared"]))
      <button type="submit">\(t(query.text == nil ? .apply : .search))</button>
      </form>
      \(choices.languageList(language: language))<datalist id="localities"></datalist>
      <div class="library">\(facetList(facets, query: query, language: language))<section class="results">
      <p class="total" data-total="\(facets.total)">\(facets.total) \(t(query.text == nil ? .assets : .results))</p>
      """
    var parts = LibraryBody(beforeToken: "")
    if role >= .editor {
      // The grid's boxes belong to this form (`form="bulk"`), wherever they are on the page.
      body += """
        <form method="post" action="/assets/bulk" id="bulk" class="bulk" data-all="\(t(.selectAll))">
        """
      parts.beforeToken = body
      body = """
        <input type="hidden" name="back" value="\(escape(query.link()))">
        <span>\(t(.bulkHint))</span>
        <fieldset><legend>\(t(.addTags))</legend>
        \(choices.pillarSelect(name: "pillar", selected: nil, language: language))
        <input name="language" size="6" list="languages" placeholder="\(t(.language))">
        <input name="locality" size="14" list="localities" data-complete="locality" autocomplete="off" placeholder="\(t(.locality))">
        <button name="action" value="tag">\(t(.addTag))</button></fieldset>
        <fieldset><legend>\(t(.retract))</legend>
        <input name="reason" size="18" placeholder="\(t(.reason))">
        <button name="action" value="retract">\(t(.retract))</button>\(
          role >= .admin ? " <button name=\"action\" value=\"delete\" class=\"danger\">\(t(.delete))</button>" : "")</fieldset>
        </form>
        """
    }
    if result.records.isEmpty {
      body += "<p class=\"empty\">\(t(.noAsset))</p>"
    } else {
      body += "<ul class=\"grid\">"
      for record in result.records {
        let title = shownTitle(record)
        let image = previewImage(record, title: title)
        var marks = ""
        if record.retraction != nil { marks += " <em class=\"mark\">\(t(.retracted))</em>" }
        if record.damaged != nil { marks += " <em class=\"mark\">\(t(.damaged))</em>" }
        let box =
          role >= .editor
          ? "<input type=\"checkbox\" name=\"id\" value=\"\(escape(record.id))\" form=\"bulk\" aria-label=\"\(escape(title))\">"
          : ""
        body += """
          <li>\(box)<a href="/assets/\(escape(record.id))">\(image)<span class="caption">\(escape(title))\(marks)</span></a></li>
          """
      }
      body += "</ul>"
    }
    if let next = result.next {
      body +=
        "<p class=\"more\"><a rel=\"next\" href=\"\(escape(query.link(["after": next.token])))\">\(t(.next))</a></p>"
    }
    body += "</section></div><script src=\"/static/library.js\"></script>"
    if parts.beforeToken.isEmpty {
      parts.beforeToken = body
    } else {
      parts.afterToken = body
    }
    return parts
  }

  /// The pillar × language grid of a report (its `gaps` and `cells`) as a heat map
  /// (``heatMap(rows:columns:counts:key:label:)``): a row per pillar of `pillars`, a column per
  /// language as the report orders them; each cell's key is `gap:<pillar>|<language>`.
  static func gapHeatMap(
    pillars: [String], gaps: [BankReport.Gap], cells: [BankReport.Cell], label: String
  ) -> String {
    var counts: [String: Int] = [:]
    for cell in cells { counts["\(cell.pillar)|\(cell.language)"] = cell.total }
    let languages = BankReport.gridLanguages(gaps.map(\.language) + cells.map(\.language))
    return heatMap(rows: pillars, columns: languages.map { ($0, $0) }, counts: counts, key: "gap", label: label)
  }

  /// A grid as a heat map: each cell shaded by its count (`counts["<row>|<column>"]`, five shades
  /// of green by the count's logarithm against the largest, classes `h1`…`h5` of the stylesheet),
  /// an empty cell in red (`h0`); the count is
  /// written in the cell and in its tooltip, with the column's name. Each cell carries
  /// `data-key="<key>:<row>|<column>"`, `data-assets` and `data-gap` for the tests.
  static func heatMap(
    rows: [String], columns: [(key: String, name: String)], counts: [String: Int], key: String, label: String
  ) -> String {
    let most = counts.values.max() ?? 1
    let (width, height, left) = (34, 22, 160)
    var svg = """
      <svg width="\(left + width * columns.count)" height="\(24 + height * rows.count)" role="img" \
      aria-label="\(escape(label))" class="gaps">
      """
    for (index, column) in columns.enumerated() {
      svg += """
        <text x="\(left + index * width + 4)" y="16">\(escape(column.key))<title>\(escape(column.name))</title></text>
        """
    }
    for (line, row) in rows.enumerated() {
      let y = 24 + line * height
      svg += "<text x=\"0\" y=\"\(y + 15)\">\(escape(row))</text>"
      for (index, column) in columns.enumerated() {
        let count = counts["\(row)|\(column.key)"] ?? 0
        // h0: none (red); h1…h5: five shades of green by the count's logarithm (the stylesheet's).
        let shade = count == 0 ? 0 : 1 + min(4, Int(log(Double(count) + 1) / log(Double(most) + 1) * 4))
        let x = left + index * width
        let shown = count >= 10_000 ? "\(count / 1000)k" : String(count)
        svg += """
          <g class="h\(shade)" data-key="\(escape(key)):\(escape(row))|\(escape(column.key))" \
          data-gap="\(count == 0)" data-assets="\(count)"><rect x="\(x)" y="\(y)"/>\
          <text x="\(x + (width - 2) / 2)" y="\(y + 14)">\(shown)</text>\
          <title>\(escape(row)) × \(escape(column.name)): \(count)</title></g>
          """
      }
    }
    return svg + "</svg>"
  }

  /// What an asset is called on a page: its title in the best language, else its file name,
  /// else its id.
  static func shownTitle(_ record: AssetRecord) -> String {
    AssetRecord.bestText(record.title) ?? record.originalNames.first ?? record.id
  }

  /// An asset's preview in a grid (loaded lazily), or its kind when it has none.
  static func previewImage(_ record: AssetRecord, title: String) -> String {
    record.thumbnail == nil
      ? "<span class=\"nopreview\">\(escape(record.kind))</span>"
      : "<img src=\"/assets/\(escape(record.id))/preview\" alt=\"\(escape(title))\" loading=\"lazy\">"
  }

  /// The session's form token, as a hidden field of a form that changes something.
  static func token(_ context: WebContext) -> String {
    "<input type=\"hidden\" name=\"_token\" value=\"\(escape(context.signedIn?.formToken ?? ""))\">"
  }

  /// Hidden fields keeping the query's `names` that the form does not show.
  static func hidden(_ query: LibraryQuery, keeping names: [String]) -> String {
    let values: [String: String?] = [
      "year": query.filter.capturedFrom, "suggested": query.filter.suggestedOnly ? "1" : nil,
      "damaged": query.filter.damagedOnly ? "1" : nil, "retracted": query.filter.retractedOnly ? "1" : nil,
      "shared": query.filter.sharedOnly ? "1" : nil,
    ]
    return names.compactMap { name in
      values[name].flatMap { $0 }.map { "<input type=\"hidden\" name=\"\(name)\" value=\"\(escape($0))\">" }
    }.joined()
  }

  /// The facets beside the grid: each value with its count, a link that sets it (or, when set,
  /// clears it). Sub-pillars under their pillar; a province's communes once it is chosen.
  static func facetList(_ facets: FacetCounts, query: LibraryQuery, language: UILanguage) -> String {
    func t(_ label: Label) -> String { escape(label.text(language)) }
    func name(_ value: FacetCounts.Value) -> String {
      (language == .vi ? value.labelVi : value.labelEn) ?? value.labelVi ?? value.key
    }
    func entry(_ parameter: String, _ key: String, _ label: String, _ count: Int, current: String?) -> String {
      let on = current?.lowercased() == key.lowercased()
      let link = query.link([parameter: on ? nil : key, "after": nil])
      return """
        <li\(on ? " class=\"on\"" : "")><a href="\(escape(link))">\(escape(label))\(on ? " ✕" : "")</a> \
        <span class="count">\(count)</span></li>
        """
    }
    func section(_ title: Label, _ items: [String]) -> String {
      items.isEmpty ? "" : "<section><h3>\(t(title))</h3><ul>\(items.joined())</ul></section>"
    }
    /// The first `limit` values, and the one chosen when it is further down.
    func top(_ values: [FacetCounts.Value], _ limit: Int, current: String?) -> [FacetCounts.Value] {
      let shown = Array(values.prefix(limit))
      guard let current, !shown.contains(where: { $0.key.lowercased() == current.lowercased() }),
        let chosen = values.first(where: { $0.key.lowercased() == current.lowercased() })
      else { return shown }
      return shown + [chosen]
    }
    let filter = query.filter
    var html = "<aside class=\"facets\">"
    // The national bank: the province each record came from.
    html += section(
      .sourceBank,
      facets.sources.map { entry("source", $0.key, "\($0.key) \(name($0))", $0.count, current: filter.sourceBank) })
    html += section(.kind, facets.kinds.map { entry("kind", $0.key, name($0), $0.count, current: filter.kind) })
    var pillars: [String] = []
    for pillar in facets.pillars where pillar.parent == nil {
      var item = entry("pillar", pillar.key, name(pillar), pillar.count, current: filter.pillar)
      let subs = facets.pillars.filter { $0.parent == pillar.key }
      if !subs.isEmpty {
        item.removeLast("</li>".count)
        item += "<ul>" + subs.map { entry("pillar", $0.key, name($0), $0.count, current: filter.pillar) }.joined()
        item += "</ul></li>"
      }
      pillars.append(item)
    }
    html += section(.pillar, pillars)
    html += section(
      .language,
      top(facets.languages, 12, current: filter.language).map {
        entry("lang", $0.key, "\(name($0)) (\($0.key))", $0.count, current: filter.language)
      })
    let province = filter.locality.map { String($0.prefix(2)) }
    var places = top(facets.provinces, 12, current: province).map {
      entry("locality", $0.key, name($0), $0.count, current: filter.locality)
    }
    if let province, facets.provinces.contains(where: { $0.key == province }) {
      let communes = facets.communes.filter { $0.parent == province }
      places += top(communes, 30, current: filter.locality).map {
        entry("locality", $0.key, "— " + name($0), $0.count, current: filter.locality)
      }
    }
    html += section(.locality, places)
    html += section(
      .captureYear,
      top(facets.captureYears, 12, current: filter.capturedFrom).map {
        entry("year", $0.key, $0.key, $0.count, current: filter.capturedFrom)
      })
    var states: [String] = []
    let flags: [(String, Label, Int, Bool)] = [
      ("suggested", .suggested, facets.suggested, filter.suggestedOnly),
      ("retracted", .retracted, facets.retracted, filter.retractedOnly),
      ("shared", .notRetracted, facets.total - facets.retracted, filter.sharedOnly),
      ("damaged", .damaged, facets.damaged, filter.damagedOnly),
    ]
    for (parameter, label, count, on) in flags where count > 0 || on {
      states.append(entry(parameter, "1", label.text(language), count, current: on ? "1" : nil))
    }
    html += section(.state, states)
    return html + "</aside>"
  }

  /// An asset: its large view, every field with where it came from (and the values it took
  /// precedence over), its tags with the decision on each suggestion, its provenance and history;
  /// for an editor, the forms that change it.
  static func asset(
    _ record: AssetRecord, history: [HistoryEntry], choices: Choices, story: String? = nil,
    senders: [AssetRecord] = [], context: WebContext
  ) -> String {
    let language = context.language
    func t(_ label: Label) -> String { escape(label.text(language)) }
    let title = shownTitle(record)
    let kind = ["photo": Label.photo, "video": .video, "story": .story][record.kind].map(t) ?? escape(record.kind)
    var rows: [(Label, String)] = [(.kind, kind), (.mediaType, escape(record.mediaType))]
    rows.append((.size, escape(ByteCountFormatter.string(fromByteCount: record.byteSize, countStyle: .file))))
    if let width = record.width, let height = record.height { rows.append((.dimensions, "\(width) × \(height)")) }
    if let captured = record.capturedAt { rows.append((.captured, escape(captured))) }
    rows.append((.added, escape(record.addedAt)))
    if let source = record.sourceBank {
      rows.append(
        (.sourceBank, escape(Localities.name(province: source, commune: nil) + ", " + (record.receivedAt ?? ""))))
    }
    /// Where a field's value came from, as the record says (`title.vi` → `explicit`).
    func from(_ field: String) -> String {
      record.sources?[field].map { " <small>\(t(.source)): \(escape($0))</small>" } ?? ""
    }
    for (field, label, texts) in [
      ("title", Label.title, record.title), ("description", .description, record.description),
    ] {
      for (tag, text) in (texts ?? [:]).sorted(by: { $0.key < $1.key }) {
        rows.append(
          (
            label,
            "<span lang=\"\(escape(tag))\">\(escape(text))</span> <small>\(escape(tag))</small>\(from("\(field).\(tag)"))"
          ))
      }
    }
    if let keywords = record.keywords, !keywords.isEmpty {
      rows.append((.keywords, keywords.map(escape).joined(separator: ", ") + from("keywords")))
    }
    if let creator = record.creator { rows.append((.creator, escape(creator) + from("creator"))) }
    if let credit = record.credit { rows.append((.credit, escape(credit) + from("credit"))) }
    if let camera = record.camera, camera.make != nil || camera.model != nil {
      let name = [camera.make, camera.model].compactMap { $0 }.joined(separator: " ")
      rows.append(
        (.camera, escape(name) + (camera.source.map { " <small>\(t(.source)): \(escape($0))</small>" } ?? "")))
    }
    if let gps = record.gps {
      let position = String(format: "%.5f, %.5f", gps.latitude, gps.longitude)
      rows.append((.position, position + (gps.source.map { " <small>\(t(.source)): \(escape($0))</small>" } ?? "")))
    }
    for overridden in record.overridden ?? [] {
      rows.append(
        (
          .overridden,
          "\(escape(overridden.field)).\(escape(overridden.language)): \(escape(overridden.value)) "
            + "<small>\(t(.source)): \(escape(overridden.source))</small>"
        ))
    }
    // A province's record on the national bank is changed in the province's bank, then synced.
    let editor = (context.signedIn?.account.role ?? .viewer) >= .editor && record.sourceBank == nil
    let token = "<input type=\"hidden\" name=\"_token\" value=\"\(escape(context.signedIn?.formToken ?? ""))\">"
    /// Whether a tag is confirmed, and for an editor the buttons that decide a suggestion.
    func state(_ facet: String, _ confirmed: Bool, _ source: String) -> String {
      let said = confirmed ? t(.confirmed) : "<b>" + t(.suggested) + "</b>"
      var text = "<small>\(said), \(t(.source)): \(escape(source))</small>"
      if editor, !confirmed {
        text += """
           <form method="post" action="/assets/\(escape(record.id))/review" class="inline review">\(token)\
          <input type="hidden" name="facet" value="\(escape(facet))"><input type="hidden" name="source" value="\(escape(source))">\
          <button name="decision" value="accept">\(t(.accept))</button> <button name="decision" value="reject">\(t(.reject))</button></form>
          """
      }
      return text
    }
    for pillar in record.pillars ?? [] {
      let name = choices.pillars.first { $0.code == pillar.code }.map { language == .vi ? $0.labelVi : $0.labelEn }
      rows.append(
        (
          .pillars,
          "\(escape(name ?? pillar.code)) <code>\(escape(pillar.code))</code> \(state("pillar", pillar.confirmed, pillar.source))"
        ))
    }
    for tag in record.languages ?? [] {
      let name = choices.languages.first { $0.tag.lowercased() == tag.tag.lowercased() }
        .map { language == .vi ? $0.vietnameseName : $0.englishName }
      rows.append(
        (
          .languages,
          "\(escape(name ?? tag.tag)) <code>\(escape(tag.tag))</code> \(state("language", tag.confirmed, tag.source))"
        ))
    }
    if let locality = record.locality {
      let name = Localities.name(province: locality.province, commune: locality.commune)
      rows.append((.locality, "\(escape(name)) \(state("locality", locality.confirmed, locality.source))"))
    }
    for entry in record.provenance {
      rows.append((.provenance, "\(escape(entry.path)) <small>\(escape(entry.addedAt))</small>"))
    }
    var body = "<p><a href=\"/\">← \(t(.back))</a></p><h1>\(escape(title))</h1>"
    if let retraction = record.retraction {
      body += "<p class=\"error\">\(t(.retracted)): \(escape(retraction.reason))</p>"
    }
    body += largeView(record, title: title, story: story, language: language)
    body += "<p><a class=\"button\" href=\"/assets/\(escape(record.id))/original\">\(t(.download))</a></p><dl>"
    for (label, value) in rows { body += "<dt>\(t(label))</dt><dd>\(value)</dd>" }
    body += "</dl><p class=\"id\"><code>\(escape(record.id))</code></p>"
    if editor {
      let action = "/assets/\(escape(record.id))"
      body += """
        <section class="edit"><h2>\(t(.editTexts))</h2>
        <form method="post" action="\(action)/edit" class="stacked">\(token)
        <label>\(t(.textLanguage)) <input name="lang" value="\(escape(language.rawValue))" size="8" required></label>
        <label>\(t(.title)) <input name="title" value="" size="60"></label>
        <label>\(t(.description)) <textarea name="description" rows="3" cols="60"></textarea></label>
        <label>\(t(.addKeywords)) <input name="keywords" value="" size="60"></label>
        <label>\(t(.captured)) <input name="captured" value="" placeholder="2019-02-05T08:00:00+07:00" size="28"></label>
        <button type="submit">\(t(.save))</button></form>
        <h2>\(t(.addTags))</h2>
        <form method="post" action="\(action)/tag" class="stacked">\(token)
        <label>\(t(.pillar)) \(choices.pillarSelect(name: "pillar", selected: nil, language: language))</label>
        <label>\(t(.language)) <input name="language" size="8" list="languages"></label>
        <label>\(t(.locality)) <input name="locality" size="24" list="localities" data-complete="locality" \
        autocomplete="off"></label>
        <button type="submit">\(t(.addTag))</button></form>
        \(choices.languageList(language: language))<datalist id="localities"></datalist>
        <h2>\(t(.retract))</h2>
        <form method="post" action="/assets/bulk" class="stacked">\(token)
        <input type="hidden" name="id" value="\(escape(record.id))">
        <input type="hidden" name="back" value="/assets/\(escape(record.id))">
        <label>\(t(.reason)) <input name="reason" size="40" required></label>
        <span><button name="action" value="retract">\(t(.retract))</button>\(
          (context.signedIn?.account.role ?? .viewer) >= .admin
            ? " <button name=\"action\" value=\"delete\" class=\"danger\">\(t(.delete))</button>" : "")</span>
        </form></section><script src="/static/library.js"></script>
        """
    }
    if senders.count > 1 { body += sideBySide(senders, shown: record, language: language) }
    if !history.isEmpty {
      body += """
        <section class="history"><h2>\(t(.history))</h2><table><thead><tr><th>\(t(.when))</th><th>\(t(.who))</th>\
        <th>\(t(.change))</th><th>\(t(.before))</th><th>\(t(.after))</th></tr></thead><tbody>
        """
      for entry in history.reversed() {
        let change = [entry.action, entry.field, entry.source.map { "(\($0))" }].compactMap { $0 }.joined(
          separator: " ")
        body += """
          <tr><td>\(escape(entry.at))</td><td>\(escape(entry.operator))</td><td>\(escape(change))</td>\
          <td>\(escape(entry.old ?? ""))</td><td>\(escape(entry.new ?? ""))</td></tr>
          """
      }
      body += "</tbody></table></section>"
    }
    return layout(title, body, language: language, signedIn: context.signedIn)
  }

  /// On the national bank, the record of each province that sent the asset, side by side: a
  /// column per province (a link to its record shown above, `?source=`), a line per field its
  /// people may have set differently (titles and descriptions per language, keywords, pillars,
  /// languages, locality, when received). The shown record's column is marked.
  static func sideBySide(_ records: [AssetRecord], shown: AssetRecord, language: UILanguage) -> String {
    func t(_ label: Label) -> String { escape(label.text(language)) }
    func texts(_ values: [String: String]?) -> String {
      (values ?? [:]).sorted { $0.key < $1.key }.map { "<b>\(escape($0.key))</b> \(escape($0.value))" }.joined(
        separator: "<br>")
    }
    func tags(_ values: [(String, Bool)]) -> String {
      values.map { escape($0.0) + ($0.1 ? "" : " <small>(\(t(.suggested)))</small>") }.joined(separator: ", ")
    }
    let lines: [(Label, String, (AssetRecord) -> String)] = [
      (.title, "title", { texts($0.title) }),
      (.description, "description", { texts($0.description) }),
      (.keywords, "keywords", { escape(($0.keywords ?? []).joined(separator: ", ")) }),
      (.pillars, "pillars", { tags(($0.pillars ?? []).map { ($0.code, $0.confirmed) }) }),
      (.languages, "languages", { tags(($0.languages ?? []).map { ($0.tag, $0.confirmed) }) }),
      (
        .locality, "locality",
        { record in
          record.locality.map {
            escape(Localities.name(province: $0.province, commune: $0.commune))
              + ($0.confirmed ? "" : " <small>(\(t(.suggested)))</small>")
          } ?? ""
        }
      ),
      (.received, "received", { escape($0.receivedAt ?? "") }),
    ]
    var html = """
      <section class="senders"><h2>\(t(.eachProvinceRecord))</h2><table class="senders"><thead><tr><th></th>
      """
    for record in records {
      let code = record.sourceBank ?? ""
      let name = escape(Localities.name(province: code, commune: nil))
      html +=
        record.sourceBank == shown.sourceBank
        ? "<th class=\"shown\" data-source=\"\(escape(code))\">\(name)</th>"
        : "<th data-source=\"\(escape(code))\"><a href=\"?source=\(escape(code))\">\(name)</a></th>"
    }
    html += "</tr></thead><tbody>"
    for (label, key, value) in lines {
      html += "<tr><th>\(t(label))</th>"
      for record in records {
        html += "<td data-key=\"\(key):\(escape(record.sourceBank ?? ""))\">\(value(record))</td>"
      }
      html += "</tr>"
    }
    return html + "</tbody></table></section>"
  }

  /// The review queue: the suggestions by folder, each with why it was suggested; an editor
  /// accepts or rejects one, a folder's, or every suggestion of a source.
  static func review(_ suggestions: [Suggestion], facet: String?, context: WebContext) -> String {
    let language = context.language
    func t(_ label: Label) -> String { escape(label.text(language)) }
    let token = token(context)
    func buttons() -> String {
      "<button name=\"decision\" value=\"accept\">\(t(.acceptAll))</button> "
        + "<button name=\"decision\" value=\"reject\">\(t(.rejectAll))</button>"
    }
    let facetField = facet.map { "<input type=\"hidden\" name=\"facet\" value=\"\(escape($0))\">" } ?? ""
    var body = "<h1>\(t(.review))</h1><p>\(t(.reviewHint))</p>"
    let facets = [(nil, Label.anyValue), ("pillar", .pillar), ("language", .language), ("locality", .locality)]
    body += "<p class=\"tabs\">"
    for (value, label) in facets {
      let link = value.map { "/review?facet=\($0)" } ?? "/review"
      body += value == facet ? "<b>\(t(label))</b> " : "<a href=\"\(link)\">\(t(label))</a> "
    }
    body += "</p>"
    guard !suggestions.isEmpty else {
      body += "<p class=\"empty\">\(t(.noSuggestion))</p>"
      return layout(Label.review.text(language), body, language: language, signedIn: context.signedIn)
    }
    let sources = Dictionary(grouping: suggestions, by: \.source).mapValues(\.count).sorted { $0.key < $1.key }
    body += "<section class=\"sources\">"
    for (source, count) in sources {
      body += """
        <form method="post" action="/review" class="inline">\(token)\(facetField)\
        <input type="hidden" name="source" value="\(escape(source))">\
        \(t(.everySuggestionFrom)) <b>\(escape(source))</b> (\(count)): \(buttons())</form>
        """
    }
    body += "</section>"
    // Suggestions come grouped by folder, in order.
    var start = 0
    while start < suggestions.count {
      let folder = suggestions[start].folder
      var end = start
      while end < suggestions.count, suggestions[end].folder == folder { end += 1 }
      body += """
        <section class="folder"><h2>\(t(.folder)) <code>\(escape(folder))</code> (\(end - start))</h2>
        <form method="post" action="/review" class="inline">\(token)\(facetField)\
        <input type="hidden" name="folder" value="\(escape(folder))">\(buttons())</form>
        <table><thead><tr><th>\(t(.asset))</th><th>\(t(.kind))</th><th>\(t(.value))</th><th>\(t(.whySuggested))</th>\
        <th></th></tr></thead><tbody>
        """
      for suggestion in suggestions[start..<end] {
        body += """
          <tr><td><a href="/assets/\(escape(suggestion.id))">\(escape(suggestion.title ?? suggestion.name))</a></td>\
          <td>\(escape(suggestion.facet))</td><td><code>\(escape(suggestion.value))</code></td>\
          <td>\(escape(suggestion.reason)) <small>(\(t(.source)): \(escape(suggestion.source)))</small></td><td>\
          <form method="post" action="/assets/\(escape(suggestion.id))/review" class="inline">\(token)\
          <input type="hidden" name="facet" value="\(escape(suggestion.facet))">\
          <input type="hidden" name="source" value="\(escape(suggestion.source))">\
          <input type="hidden" name="back" value="review">\
          <button name="decision" value="accept">\(t(.accept))</button> \
          <button name="decision" value="reject">\(t(.reject))</button></form></td></tr>
          """
      }
      body += "</tbody></table></section>"
      start = end
    }
    return layout(Label.review.text(language), body, language: language, signedIn: context.signedIn)
  }

  /// The library's script: a province or commune's name completes from `/api/v1/localities`
  /// in the inputs marked `data-complete="locality"` (the `localities` datalist), and a box
  /// ticks every asset of the grid. Plain JavaScript, served by the server.
  static let libraryScript = """
    "use strict";
    (function () {
      const list = document.getElementById("localities");
      let timer = null;
      for (const input of document.querySelectorAll("input[data-complete=locality]")) {
        input.addEventListener("input", function () {
          clearTimeout(timer);
          const text = input.value.trim();
          if (text.length < 2 || !list) return;
          timer = setTimeout(function () {
            fetch("/api/v1/localities?q=" + encodeURIComponent(text), {credentials: "same-origin"})
              .then(function (response) { return response.ok ? response.json() : {localities: []}; })
              .then(function (answer) {
                list.replaceChildren();
                for (const unit of answer.localities || []) {
                  const option = document.createElement("option");
                  option.value = unit.code;
                  option.textContent = unit.name;
                  list.appendChild(option);
                }
              })
              .catch(function () {});
          }, 200);
        });
      }
      const bulk = document.getElementById("bulk");
      if (bulk) {
        const all = document.createElement("input");
        all.type = "checkbox";
        all.id = "select-all";
        all.addEventListener("change", function () {
          for (const box of document.querySelectorAll("input[name=id][form=bulk]")) box.checked = all.checked;
        });
        const label = document.createElement("label");
        label.appendChild(all);
        label.append(" " + bulk.dataset.all);
        bulk.prepend(label);
      }
    })();
    """

  /// The upload page: files or folders dropped or chosen are sent one at a time by
  /// `/static/upload.js`, each with its progress and its result.
  static func upload(context: WebContext) -> String {
    let language = context.language
    func t(_ label: Label) -> String { escape(label.text(language)) }
    // The script reads its words and the form token from these attributes (no inline script).
    let words = [("added", Label.uploadAdded), ("held", .held), ("failed", .failed), ("waiting", .waiting)]
      .map { "data-\($0.0)=\"\(t($0.1))\"" }.joined(separator: " ")
    let body = """
      <h1>\(t(.upload))</h1>
      <form id="upload" class="stacked" data-token="\(escape(context.signedIn?.formToken ?? ""))" \(words)>
      <div id="drop" class="drop">\(t(.uploadHint))</div>
      <label>\(t(.chooseFiles)) <input type="file" id="files" multiple></label>
      <label>\(t(.chooseFolder)) <input type="file" id="folder" webkitdirectory multiple></label>
      <fieldset><legend>\(t(.tagsForAll))</legend>
      <label>\(t(.language)) <input name="lang" size="8"></label>
      <label>\(t(.pillar)) <input name="pillar" size="24"></label>
      <label>\(t(.locality)) <input name="locality" size="24"></label></fieldset>
      </form>
      <table id="results"><tbody></tbody></table>
      <script src="/static/upload.js"></script>
      """
    return layout(Label.upload.text(language), body, language: language, signedIn: context.signedIn)
  }

  /// Sends each file chosen or dropped to `POST /api/v1/uploads`, one after another, and shows
  /// its progress and result. Plain JavaScript, served by the server (no build step).
  static let uploadScript = """
    "use strict";
    (function () {
      const form = document.getElementById("upload");
      const rows = document.querySelector("#results tbody");
      const queue = [];
      let busy = false;
      function add(file, name) {
        const row = rows.insertRow();
        row.insertCell().textContent = name;
        const state = row.insertCell();
        state.textContent = form.dataset.waiting;
        const progress = document.createElement("progress");
        progress.max = 1; progress.value = 0;
        row.insertCell().appendChild(progress);
        queue.push({file, name, state, progress, row});
        next();
      }
      function next() {
        if (busy || queue.length === 0) return;
        busy = true;
        const item = queue.shift();
        const query = new URLSearchParams({name: item.name});
        for (const field of ["lang", "pillar", "locality"]) {
          const value = form.elements[field].value.trim();
          if (value) query.set(field, value);
        }
        const request = new XMLHttpRequest();
        request.open("POST", "/api/v1/uploads?" + query.toString());
        request.setRequestHeader("X-Form-Token", form.dataset.token);
        request.upload.onprogress = (event) => {
          if (event.lengthComputable) item.progress.value = event.loaded / event.total;
        };
        request.onload = () => {
          let answer = {};
          try { answer = JSON.parse(request.responseText); } catch (error) { answer = {detail: request.statusText}; }
          if (request.status === 201 || request.status === 200) {
            item.state.textContent = request.status === 201 ? form.dataset.added : form.dataset.held;
            const link = document.createElement("a");
            link.href = "/assets/" + answer.id;
            link.textContent = answer.id.slice(0, 19);
            item.row.insertCell().appendChild(link);
            item.row.className = request.status === 201 ? "added" : "held";
          } else {
            item.state.textContent = form.dataset.failed + ": " + (answer.detail || request.status);
            item.row.className = "failed";
          }
          item.progress.value = 1;
          busy = false;
          next();
        };
        request.onerror = () => {
          item.state.textContent = form.dataset.failed;
          item.row.className = "failed";
          busy = false;
          next();
        };
        request.send(item.file);
      }
      function walk(entry, path) {
        if (entry.isFile) {
          entry.file((file) => add(file, path + file.name));
        } else if (entry.isDirectory) {
          const reader = entry.createReader();
          const read = () => reader.readEntries((entries) => {
            for (const child of entries) walk(child, path + entry.name + "/");
            if (entries.length > 0) read();
          });
          read();
        }
      }
      for (const id of ["files", "folder"]) {
        document.getElementById(id).addEventListener("change", (event) => {
          for (const file of event.target.files) add(file, file.webkitRelativePath || file.name);
          event.target.value = "";
        });
      }
      const drop = document.getElementById("drop");
      drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
      drop.addEventListener("dragleave", () => drop.classList.remove("over"));
      drop.addEventListener("drop", (event) => {
        event.preventDefault();
        drop.classList.remove("over");
        for (const item of event.dataTransfer.items) {
          const entry = item.webkitGetAsEntry && item.webkitGetAsEntry();
          if (entry) walk(entry, ""); else if (item.getAsFile()) add(item.getAsFile(), item.getAsFile().name);
        }
      });
    })();
    """

  /// The yearly report as a page: the totals, each table with its bars drawn in SVG by the
  /// server, the pillar × language grid, the recent imports and the report to download. Every
  /// number carries `data-key` (`total`, `pillar:culture-heritage`…) for the tests.
  /// What the dashboard shows beside the report.
  struct Activity: Sendable {
    var report: BankReport
    /// The last imports, newest first.
    var batches: [BatchRecord]
    /// The assets added last (imports, uploads, `add`), newest first.
    var recent: [AssetRecord]
    /// Nil in a province's view on the national bank.
    var sync: SyncStatus?
    /// The bank's province's communes, when the bank has a province.
    var map: ProvinceMap?
  }

  static func dashboard(_ activity: Activity, context: WebContext) -> String {
    let (report, batches) = (activity.report, activity.batches)
    let language = context.language
    func t(_ label: Label) -> String { escape(label.text(language)) }
    func label(_ row: BankReport.Row) -> String {
      escape(language == .vi ? row.labelVi ?? row.labelEn ?? row.key : row.labelEn ?? row.labelVi ?? row.key)
    }
    // On the national bank, one province's contribution: its name, and the way back.
    let source = report.sourceBank.map { "&amp;source=\(escape($0))" } ?? ""
    var body = "<h1>\(t(.dashboard)) \(report.year)"
    if let sourceBank = report.sourceBank, let province = report.provinceTitle {
      body += " — \(escape(province))</h1><p><a href=\"/dashboard?year=\(report.year)\">← \(t(.wholeCountry))</a>"
      body += " · <a href=\"/?source=\(escape(sourceBank))\">\(t(.library))</a></p>"
    } else {
      body += "</h1>"
    }
    body += "<p class=\"years\">\(t(.year)):"
    for year in (report.year - 4)...(report.year + 1) where (try? BankReport.checkYear(year)) != nil {
      body += year == report.year ? " <b>\(year)</b>" : " <a href=\"/dashboard?year=\(year)\(source)\">\(year)</a>"
    }
    body += "</p><dl class=\"totals\">"
    let totals: [(Label, String, Int?)] = [
      (.held_, "total", report.total), (.addedInYear, "added", report.added),
      (.capturedInYear, "captured", report.captured),
      (.retractedTotal, "retracted", report.retracted), (.deletedTotal, "deleted", report.deleted),
      (.unconfirmed, "unconfirmed", report.unconfirmed), (.damagedTotal, "damaged", report.damaged),
    ]
    for (name, key, value) in totals {
      guard let value else { continue }
      body += "<dt>\(t(name))</dt><dd data-key=\"\(key)\">\(value)</dd>"
    }
    body += "</dl>"
    /// A table of rows with a bar for each, as long as its share of the largest.
    func table(_ title: Label, _ prefix: String, _ rows: [BankReport.Row]) {
      guard !rows.isEmpty else { return }
      let largest = max(1, rows.map(\.total).max() ?? 1)
      body += "<h2>\(t(title))</h2><table class=\"bars\"><tbody>"
      for row in rows {
        let width = Int((Double(row.total) / Double(largest) * 300).rounded())
        body += """
          <tr><th>\(label(row))</th><td data-key="\(escape(prefix)):\(escape(row.key))">\(row.total)</td>\
          <td><svg width="300" height="14" role="img" aria-label="\(row.total)"><rect width="\(width)" height="14" \
          fill="#8b1c1c"/></svg></td><td class="added">+\(row.added)</td></tr>
          """
      }
      body += "</tbody></table>"
    }
    table(.kinds, "kind", report.kinds)
    table(.pillars, "pillar", report.pillars)
    table(.languages, "language", report.languages)
    table(.provinces, "province", report.provinces)
    table(.captureYears, "capture", report.captureYears)
    body += "<h2>\(t(.gaps))</h2><p>\(t(.gapsHint))</p>"
    body += gapHeatMap(
      pillars: report.pillars.filter { $0.parent == nil && $0.retired != true }.map(\.key), gaps: report.gaps,
      cells: report.pillarLanguages, label: t(.gaps))
    if let map = activity.map, !map.areas.isEmpty {
      let counts = Dictionary(report.communes.map { ($0.key, $0.total) }, uniquingKeysWith: +)
      body +=
        "<h2>\(t(.communeMap))</h2>"
        + areaMap(map, counts: counts, key: "commune", label: Label.communeMap.text(language), language: language)
    }
    body += "<h2>\(t(.recentlyAdded))</h2><ul class=\"grid small\">"
    for record in activity.recent {
      let title = shownTitle(record)
      let image = previewImage(record, title: title)
      body += """
        <li><a href="/assets/\(escape(record.id))">\(image)<span class="caption">\(escape(title)) \
        <small>\(escape(record.addedAt))</small></span></a></li>
        """
    }
    body += "</ul>"
    // The national bank's own sync and imports are not the province's.
    if report.sourceBank == nil {
      if let sync = activity.sync { body += syncSection(sync, language: language) }
      body += "<h2>\(t(.recentImports))</h2>"
      if batches.isEmpty {
        body += "<p>\(t(.none))</p>"
      } else {
        body += "<ul>"
        for batch in batches {
          body += """
            <li>#\(batch.id) \(escape(batch.startedAt)) — \(escape(batch.root)) (\(escape(batch.operator))): \
            +\(batch.added)</li>
            """
        }
        body += "</ul>"
      }
    }
    body += "<h2>\(t(.downloadReport))</h2><p class=\"downloads\">"
    for format in ["md", "csv", "json", "docx", "pdf"] {
      body +=
        "<a class=\"button\" href=\"/dashboard/report?year=\(report.year)\(source)&amp;format=\(format)\">\(format)</a> "
    }
    body += "</p>"
    return layout(Label.dashboard.text(language), body, language: language, signedIn: context.signedIn)
  }

  /// The national bank's dashboard: the totals; the map of the provinces shaded by the assets
  /// each contributes, each a link to its own view (`/dashboard?source=<code>`); a line per
  /// province of today's map (its assets by kind, pillar and language, its last bundle and how
  /// long ago, yellow when it sent nothing this year, red when nothing for 90 days); the pillar ×
  /// language and pillar × province heat maps; the records received month by month; the report
  /// to download. `pillars` are the national pillars in force, in the vocabulary's order. Numbers
  /// carry `data-key` for the tests.
  static func nationalDashboard(
    _ report: NationalReport, pillars: [String], map: ProvinceMap, context: WebContext
  ) -> String {
    let language = context.language
    func t(_ label: Label) -> String { escape(label.text(language)) }
    var body = "<h1>\(t(.nationalDashboard)) \(report.year)</h1><p class=\"years\">\(t(.year)):"
    for year in (report.year - 4)...(report.year + 1) where (try? BankReport.checkYear(year)) != nil {
      body += year == report.year ? " <b>\(year)</b>" : " <a href=\"/dashboard?year=\(year)\">\(year)</a>"
    }
    body += "</p><dl class=\"totals\">"
    let totals: [(Label, String, Int)] = [
      (.distinctAssets, "total", report.assets), (.provincesSending, "provinces", report.provinces.count),
      (.silentInYear, "silent", report.silent.count), (.quietFor, "quiet", report.quiet.count),
    ]
    for (name, key, value) in totals { body += "<dt>\(t(name))</dt><dd data-key=\"\(key)\">\(value)</dd>" }
    body += "</dl>"

    let byCode = Dictionary(report.provinces.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    let silent = Set(report.silent.map(\.code))
    let quiet = Set(report.quiet.map(\.code))
    func view(_ code: String) -> String { "/dashboard?year=\(report.year)&source=\(code)" }
    body +=
      "<h2>\(t(.provinceMap))</h2>"
      + areaMap(
        map, counts: byCode.mapValues(\.assets), key: "province", label: Label.provinceMap.text(language),
        language: language, link: { byCode[$0] == nil ? nil : view($0) })

    // Every province of today's map, then any other bank that sent bundles.
    var rows = map.areas.map { (code: $0.code, name: $0.name) }.sorted { $0.code < $1.code }
    for province in report.provinces where !rows.contains(where: { $0.code == province.code }) {
      rows.append((province.code, province.name ?? province.code))
    }
    let kinds = ["photo", "video", "story"]
    body += """
      <h2>\(t(.provinces))</h2><p>\(t(.silentHint))</p><table class="provinces"><thead><tr>\
      <th>\(t(.locality))</th><th>\(t(.assets))</th><th>+\(report.year)</th>
      """
    for kind in kinds {
      body += "<th>\(escape((BankReport.kindLabels[kind].map { language == .vi ? $0.vi : $0.en }) ?? kind))</th>"
    }
    body += "<th>\(t(.languages))</th><th>\(t(.bundles))</th><th>\(t(.lastBundle))</th></tr></thead><tbody>"
    for row in rows {
      let province = byCode[row.code]
      let state = quiet.contains(row.code) ? "quiet" : silent.contains(row.code) ? "silent" : "active"
      let name =
        province == nil
        ? "\(escape(row.code)) \(escape(row.name))"
        : "<a href=\"\(escape(view(row.code)))\">\(escape(row.code)) \(escape(row.name))</a>"
      let top = (province?.languages ?? [:]).sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(4)
      let last: String
      if let province, let at = province.lastReceivedAt {
        let days = province.daysSinceLast.map { " (\($0) \(t(.daysAgo)))" } ?? ""
        last = "\(escape(String(at.prefix(10))))\(days)"
      } else {
        last = t(.neverSent)
      }
      body += """
        <tr class="\(state)" data-province="\(escape(row.code))"><th>\(name)</th>\
        <td data-key="assets:\(escape(row.code))">\(province?.assets ?? 0)</td>\
        <td>\(province?.added ?? 0)</td>
        """
      for kind in kinds { body += "<td>\(province?.kinds[kind] ?? 0)</td>" }
      body += """
        <td>\(escape(top.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))</td>\
        <td>\(province?.bundles ?? 0)</td><td data-key="last:\(escape(row.code))">\(last)</td></tr>
        """
    }
    body += "</tbody></table>"

    body += "<h2>\(t(.gaps))</h2><p>\(t(.gapsHint))</p>"
    body += gapHeatMap(
      pillars: pillars, gaps: report.gaps, cells: report.pillarLanguages, label: Label.gaps.text(language))
    var byProvince: [String: Int] = [:]
    for province in report.provinces {
      for (pillar, count) in province.pillars { byProvince["\(pillar)|\(province.code)"] = count }
    }
    body += "<h2>\(t(.pillarByProvince))</h2><div class=\"wide\">"
    body += heatMap(
      rows: pillars, columns: rows.map { ($0.code, "\($0.code) \($0.name)") }, counts: byProvince,
      key: "pillar-province", label: Label.pillarByProvince.text(language))
    body += "</div>"

    let most = max(1, report.months.map(\.records).max() ?? 1)
    body += """
      <h2>\(t(.monthlyTrend))</h2><p>\(t(.recordsReceived))</p>\
      <svg width="\(44 * report.months.count + 10)" height="150" role="img" aria-label="\(t(.monthlyTrend))" class="trend">
      """
    for (index, month) in report.months.enumerated() {
      let height = Int((Double(month.records) / Double(most) * 110).rounded())
      let x = 10 + index * 44
      body += """
        <g data-key="month:\(escape(month.month))" data-records="\(month.records)">\
        <rect x="\(x)" y="\(120 - height)" width="34" height="\(height)"/>\
        <text x="\(x + 17)" y="\(115 - height)">\(month.records)</text>\
        <text x="\(x + 17)" y="136">\(escape(String(month.month.suffix(2))))</text>\
        <title>\(escape(month.month)): \(month.records) \(t(.records)), \(month.bundles) \(t(.bundles))</title></g>
        """
    }
    body += "</svg>"
    body += "<h2>\(t(.downloadReport))</h2><p class=\"downloads\">"
    for format in ["md", "csv", "json", "docx", "pdf"] {
      body += "<a class=\"button\" href=\"/dashboard/report?year=\(report.year)&amp;format=\(format)\">\(format)</a> "
    }
    body += "</p>"
    return layout(Label.nationalDashboard.text(language), body, language: language, signedIn: context.signedIn)
  }

  /// On the national bank, the view of a province of today's map that has sent nothing.
  static func neverSent(province: String, year: Int, context: WebContext) -> String {
    let language = context.language
    func t(_ label: Label) -> String { escape(label.text(language)) }
    let body = """
      <h1>\(t(.dashboard)) \(year) — \(escape(Localities.name(province: province, commune: nil)))</h1>\
      <p><a href="/dashboard?year=\(year)">← \(t(.wholeCountry))</a></p><p data-key="never-sent">\(t(.neverSent))</p>
      """
    return layout(Label.dashboard.text(language), body, language: language, signedIn: context.signedIn)
  }

  /// The areas of `map` (a province's communes, the country's provinces) shaded by their
  /// counts: white for none, darker for more (on a logarithmic scale), each with its name and
  /// count, and `data-key="<key>:<code>"`; an area for which `link` gives an address is a link to it.
  static func areaMap(
    _ map: ProvinceMap, counts: [String: Int], key: String, label: String, language: UILanguage,
    link: (String) -> String? = { _ in nil }
  ) -> String {
    let largest = max(1, counts.values.max() ?? 1)
    var svg = """
      <svg viewBox="0 0 \(map.width) \(map.height)" width="\(map.width)" height="\(map.height)" role="img" \
      aria-label="\(escape(label))" class="map">
      """
    for area in map.areas {
      let count = counts[area.code] ?? 0
      // 0 → #f4f1ea; the largest → #8b1c1c.
      let share = count == 0 ? 0 : 0.15 + 0.85 * log(Double(count) + 1) / log(Double(largest) + 1)
      func mix(_ low: Double, _ high: Double) -> Int { Int((low + (high - low) * share).rounded()) }
      let fill = String(format: "#%02x%02x%02x", mix(0xf4, 0x8b), mix(0xf1, 0x1c), mix(0xea, 0x1c))
      let path = """
        <path d="\(area.path)" fill="\(fill)" data-key="\(escape(key)):\(escape(area.code))" data-count="\(count)"><title>\(escape(area.name)): \(count)</title></path>
        """
      svg += link(area.code).map { "<a href=\"\(escape($0))\">\(path)</a>" } ?? path
    }
    svg += "</svg>"
    return
      "<figure class=\"map\">\(svg)<figcaption>0 … \(largest) \(escape(Label.assets.text(language)))</figcaption></figure>"
  }

  /// Where the bank's bundles went and whether their receipts came back; on a bank that receives,
  /// what each source sent last.
  static func syncSection(_ sync: SyncStatus, language: UILanguage) -> String {
    func t(_ label: Label) -> String { escape(label.text(language)) }
    var html = "<h2>\(t(.syncStatus))</h2>"
    if sync.destinations.isEmpty && sync.sources.isEmpty { return html + "<p>\(t(.noSync))</p>" }
    if !sync.destinations.isEmpty {
      html += """
        <table class="sync"><thead><tr><th>\(t(.destination))</th><th>\(t(.lastBundle))</th>\
        <th>\(t(.awaitingReceipt))</th><th>\(t(.pendingRecords))</th></tr></thead><tbody>
        """
      for destination in sync.destinations {
        html += """
          <tr><td>\(escape(destination.name))</td><td>\(escape(destination.lastBundle ?? "—")) \
          <small>\(escape(destination.lastExportedAt ?? ""))</small></td>\
          <td data-key="awaiting:\(escape(destination.name))">\(destination.awaitingReceipt.count)</td>\
          <td>\(destination.pendingRecords)</td></tr>
          """
      }
      html += "</tbody></table>"
    }
    if !sync.sources.isEmpty {
      html +=
        "<table class=\"sync\"><thead><tr><th>\(t(.sourceBank))</th><th>\(t(.lastBundle))</th><th>\(t(.assets))</th></tr></thead><tbody>"
      for source in sync.sources {
        html += """
          <tr><td>\(escape(source.bank))</td><td>\(escape(source.lastBundle ?? "—")) \
          <small>\(escape(source.lastReceivedAt ?? ""))</small></td><td>\(source.assets)</td></tr>
          """
      }
      html += "</tbody></table>"
    }
    return html
  }

  static func error(status: HTTPResponse.Status, detail: String, context: WebContext) -> String {
    let language = context.language
    let heading: Label = status == .notFound ? .notFound : status == .forbidden ? .forbidden : .notFound
    let title = status == .notFound || status == .forbidden ? heading.text(language) : "\(status.code)"
    return layout(
      title,
      "<h1>\(escape(title))</h1><p>\(escape(detail))</p><p><a href=\"/\">\(escape(Label.back.text(language)))</a></p>",
      language: language, signedIn: context.signedIn)
  }

  /// The one stylesheet, served by the server itself.
  static let stylesheet = """
    body { font-family: "Noto Sans", "DejaVu Sans", sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
    header { display: flex; gap: 1em; align-items: center; padding: .6em 1em; background: #8b1c1c; color: #fff; }
    header a, header button { color: #fff; }
    header .brand { font-weight: bold; text-decoration: none; margin-right: auto; }
    header button { background: none; border: 1px solid #fff; border-radius: 4px; cursor: pointer; }
    main { padding: 1em; max-width: 1400px; margin: auto; }
    form.inline { display: inline; }
    form.filters { display: flex; flex-wrap: wrap; gap: .5em; align-items: center; margin-bottom: 1em; }
    form.filters input[type=search] { flex: 1 1 20em; padding: .4em; }
    form.signin { display: grid; gap: .8em; max-width: 22em; }
    form.stacked { display: grid; gap: .5em; max-width: 40em; margin-bottom: 1.5em; }
    form.review button { font-size: .8em; }
    .drop { border: 2px dashed #8b1c1c; border-radius: 8px; padding: 2em; text-align: center; color: #555; }
    .drop.over { background: #fbe9e9; }
    #results td { padding: .2em .6em; } tr.failed { color: #8b1c1c; } tr.added { color: #1b5e20; }
    dl.totals { grid-template-columns: max-content max-content; }
    table.bars th { text-align: left; font-weight: normal; padding-right: 1em; }
    table.bars td { padding: 0 .5em; } table.bars td.added { color: #555; font-size: .85em; }
    p.downloads a { margin-right: .4em; }
    div.library { display: flex; gap: 1.5em; align-items: flex-start; }
    div.library section.results { flex: 1; min-width: 0; }
    aside.facets { flex: 0 0 15em; font-size: .9em; }
    aside.facets h3 { font-size: 1em; margin: 1em 0 .3em; }
    aside.facets ul { list-style: none; padding-left: 0; margin: 0; }
    aside.facets ul ul { padding-left: 1em; }
    aside.facets li { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0 .5em; }
    aside.facets li > a { flex: 1 1 0; min-width: 0; }
    aside.facets li > ul { flex-basis: 100%; }
    aside.facets li.on > a { font-weight: bold; }
    aside.facets .count { color: #666; flex: none; }
    form.bulk { display: flex; flex-wrap: wrap; gap: .5em; align-items: center; margin-bottom: .8em; }
    form.bulk fieldset { border: 1px solid #ccc; padding: .2em .5em; }
    button.danger { color: #fff; background: #a4161a; }
    ul.grid li { position: relative; }
    ul.grid li input[type=checkbox] { position: absolute; top: 6px; left: 6px; width: 1.3em; height: 1.3em; z-index: 1; }
    section.folder table, section.history table { border-collapse: collapse; width: 100%; }
    section.history td, section.history th { border-bottom: 1px solid #ddd; padding: .3em; text-align: left; font-size: .9em; }
    section.folder td, section.folder th { border-bottom: 1px solid #ddd; padding: .3em; text-align: left; }
    @media (max-width: 800px) { div.library { flex-direction: column; } aside.facets { flex: none; } }
    ul.grid.small { grid-template-columns: repeat(auto-fill, minmax(120px, 1fr)); }
    ul.grid.small img, ul.grid.small .nopreview { height: 90px; }
    figure.map svg { max-width: 100%; height: auto; background: #fff; }
    svg.map path { stroke: #777; stroke-width: .4; fill-rule: evenodd; }
    svg.gaps text { font-size: 11px; } svg.gaps g text { font-size: 10px; text-anchor: middle; fill: #1b1b1b; }
    svg.gaps rect { width: 32px; height: 20px; }
    svg.gaps .h0 rect { fill: #e57373; } svg.gaps .h1 rect { fill: #c8e6c9; } svg.gaps .h2 rect { fill: #a5d6a7; }
    svg.gaps .h3 rect { fill: #81c784; } svg.gaps .h4 rect { fill: #4caf50; } svg.gaps .h5 rect { fill: #2e7d32; }
    svg.gaps .h0 text, svg.gaps .h4 text, svg.gaps .h5 text { fill: #fff; }
    div.wide { overflow-x: auto; }
    svg.trend rect { fill: #8b1c1c; } svg.trend text { font-size: 10px; text-anchor: middle; }
    table.provinces { border-collapse: collapse; } table.provinces td { text-align: right; }
    table.provinces td, table.provinces th { padding: .2em .5em; border-bottom: 1px solid #ddd; }
    table.provinces th { text-align: left; font-weight: normal; }
    table.senders { border-collapse: collapse; } table.senders th.shown { background: #fbe9e9; }
    table.senders td, table.senders th { border-bottom: 1px solid #ddd; padding: .3em .6em; text-align: left; vertical-align: top; }
    table.provinces tr.silent { background: #fff4c2; } table.provinces tr.quiet { background: #fbe0e0; }
    table.sync td, table.sync th { padding: .3em .6em; text-align: left; border-bottom: 1px solid #ddd; }
    ul.grid { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 12px; }
    ul.grid li a { display: block; text-decoration: none; color: inherit; background: #fff; border-radius: 6px;
      box-shadow: 0 1px 3px rgba(0,0,0,.15); overflow: hidden; }
    ul.grid img, ul.grid .nopreview { display: block; width: 100%; height: 150px; object-fit: cover; background: #ddd; }
    ul.grid .nopreview { line-height: 150px; text-align: center; color: #555; }
    ul.grid .caption { display: block; padding: .4em .5em; font-size: .9em; overflow-wrap: anywhere; }
    .mark { color: #8b1c1c; font-size: .8em; }
    img.large, video.large { max-width: 100%; max-height: 70vh; display: block; margin: 1em 0; }
    article.story { max-width: 45em; line-height: 1.6; } .note { color: #555; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: .3em 1em; }
    dt { font-weight: bold; } dd { margin: 0; overflow-wrap: anywhere; }
    .error { color: #8b1c1c; font-weight: bold; }
    a.button { display: inline-block; padding: .4em .8em; background: #8b1c1c; color: #fff; border-radius: 4px; text-decoration: none; }
    """
}

/// Answers of the JSON API.
enum API {
  static let encoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()

  static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    Response(
      status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
      body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
  }

  /// A problem (RFC 9457), with the library's error code as `code` for programs.
  struct Problem: Encodable {
    var type = "about:blank"
    var title: String
    var status: Int
    var detail: String
    var code: String
    /// For a refused bundle: why, as `BundleError.Reason` names it (`sequence`, `badSignature`).
    var reason: String?
  }

  static func problem(
    status: HTTPResponse.Status, detail: String, code: String, reason: String? = nil, headers: HTTPFields = [:]
  ) -> Response {
    let problem = Problem(
      title: reasonPhrase(status), status: status.code, detail: detail, code: code, reason: reason)
    var fields: HTTPFields = [.contentType: "application/problem+json", .cacheControl: "no-store"]
    fields.append(contentsOf: headers)
    return Response(
      status: status, headers: fields,
      body: .init(byteBuffer: ByteBuffer(bytes: (try? encoder.encode(problem)) ?? Data())))
  }

  /// The standard phrase of a status (a status made from a number alone has none).
  static func reasonPhrase(_ status: HTTPResponse.Status) -> String {
    let known: [HTTPResponse.Status] = [
      .badRequest, .unauthorized, .forbidden, .notFound, .conflict, .contentTooLarge, .unprocessableContent,
      .tooManyRequests, .internalServerError, .notImplemented, .serviceUnavailable,
    ]
    if status.code == 507 { return "Insufficient Storage" }
    return known.first { $0.code == status.code }?.reasonPhrase ?? status.reasonPhrase
  }
}
