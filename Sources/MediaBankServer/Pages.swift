import Foundation
import Hummingbird
import MediaBank

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
      header += "<a href=\"/upload\">\(t(.upload))</a>"
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

  static func library(query: LibraryQuery, result: LibraryQuery.Result, context: WebContext) -> String {
    let language = context.language
    func t(_ label: Label) -> String { escape(label.text(language)) }
    func option(_ value: String, _ label: String, selected: String?) -> String {
      "<option value=\"\(escape(value))\"\(selected == value ? " selected" : "")>\(escape(label))</option>"
    }
    let kinds = [("", Label.allKinds), ("photo", .photo), ("video", .video), ("story", .story)]
    var body = """
      <form method="get" action="/" class="filters">
      <input type="search" name="q" value="\(escape(query.text ?? ""))" placeholder="\(t(.searchPlaceholder))">
      <select name="kind">\(kinds.map { option($0.0, $0.1.text(language), selected: query.filter.kind ?? "") }.joined())</select>
      <label>\(t(.pillar)) <input name="pillar" value="\(escape(query.filter.pillar ?? ""))" size="16"></label>
      <label>\(t(.language)) <input name="lang" value="\(escape(query.filter.language ?? ""))" size="5"></label>
      <label>\(t(.locality)) <input name="locality" value="\(escape(query.filter.locality ?? ""))" size="16"></label>
      <select name="order">\(option("newest", Label.newestFirst.text(language), selected: query.newestFirst ? "newest" : "oldest"))\
      \(option("oldest", Label.oldestFirst.text(language), selected: query.newestFirst ? "newest" : "oldest"))</select>
      <button type="submit">\(t(query.text == nil ? .apply : .search))</button>
      </form>
      """
    if result.records.isEmpty {
      body += "<p class=\"empty\">\(t(.noAsset))</p>"
    } else {
      body += "<ul class=\"grid\">"
      for record in result.records {
        let title = AssetRecord.bestText(record.title) ?? record.originalNames.first ?? record.id
        let image =
          record.thumbnail == nil
          ? "<span class=\"nopreview\">\(escape(record.kind))</span>"
          : "<img src=\"/assets/\(escape(record.id))/preview\" alt=\"\(escape(title))\" loading=\"lazy\">"
        var marks = ""
        if record.retraction != nil { marks += " <em class=\"mark\">\(t(.retracted))</em>" }
        if record.damaged != nil { marks += " <em class=\"mark\">\(t(.damaged))</em>" }
        body += """
          <li><a href="/assets/\(escape(record.id))">\(image)<span class="caption">\(escape(title))\(marks)</span></a></li>
          """
      }
      body += "</ul>"
    }
    if let next = result.next {
      body +=
        "<p class=\"more\"><a rel=\"next\" href=\"\(escape(query.link(["after": next.token])))\">\(t(.next))</a></p>"
    }
    return layout(Label.library.text(language), body, language: language, signedIn: context.signedIn)
  }

  /// An asset's page; `story` is a story's text.
  static func asset(_ record: AssetRecord, story: String? = nil, context: WebContext) -> String {
    let language = context.language
    func t(_ label: Label) -> String { escape(label.text(language)) }
    let title = AssetRecord.bestText(record.title) ?? record.originalNames.first ?? record.id
    let kind = ["photo": Label.photo, "video": .video, "story": .story][record.kind].map(t) ?? escape(record.kind)
    var rows: [(Label, String)] = [(.kind, kind), (.mediaType, escape(record.mediaType))]
    rows.append((.size, escape(ByteCountFormatter.string(fromByteCount: record.byteSize, countStyle: .file))))
    if let width = record.width, let height = record.height { rows.append((.dimensions, "\(width) × \(height)")) }
    if let captured = record.capturedAt { rows.append((.captured, escape(captured))) }
    rows.append((.added, escape(record.addedAt)))
    for (language, text) in (record.title ?? [:]).sorted(by: { $0.key < $1.key }) {
      rows.append(
        (.title, "<span lang=\"\(escape(language))\">\(escape(text))</span> <small>\(escape(language))</small>"))
    }
    for (language, text) in (record.description ?? [:]).sorted(by: { $0.key < $1.key }) {
      rows.append(
        (.description, "<span lang=\"\(escape(language))\">\(escape(text))</span> <small>\(escape(language))</small>"))
    }
    if let keywords = record.keywords, !keywords.isEmpty {
      rows.append((.keywords, keywords.map(escape).joined(separator: ", ")))
    }
    let editor = (context.signedIn?.account.role ?? .viewer) >= .editor
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
      rows.append((.pillars, "\(escape(pillar.code)) \(state("pillar", pillar.confirmed, pillar.source))"))
    }
    for tag in record.languages ?? [] {
      rows.append((.languages, "\(escape(tag.tag)) \(state("language", tag.confirmed, tag.source))"))
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
        <label>\(t(.pillar)) <input name="pillar" size="24"></label>
        <label>\(t(.language)) <input name="language" size="8"></label>
        <label>\(t(.locality)) <input name="locality" size="24"></label>
        <button type="submit">\(t(.addTag))</button></form></section>
        """
    }
    return layout(title, body, language: language, signedIn: context.signedIn)
  }

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
  static func dashboard(_ report: BankReport, batches: [BatchRecord], context: WebContext) -> String {
    let language = context.language
    func t(_ label: Label) -> String { escape(label.text(language)) }
    func label(_ row: BankReport.Row) -> String {
      escape(language == .vi ? row.labelVi ?? row.labelEn ?? row.key : row.labelEn ?? row.labelVi ?? row.key)
    }
    var body = "<h1>\(t(.dashboard)) \(report.year)</h1><p class=\"years\">\(t(.year)):"
    for year in (report.year - 4)...(report.year + 1) where (try? BankReport.checkYear(year)) != nil {
      body += year == report.year ? " <b>\(year)</b>" : " <a href=\"/dashboard?year=\(year)\">\(year)</a>"
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
    // The pillar × language grid: the cells the report names as gaps are empty.
    let pillars = report.pillars.filter { $0.parent == nil && $0.retired != true }
    let languages =
      BankReport.gapLanguages + Set(report.gaps.map(\.language)).subtracting(BankReport.gapLanguages).sorted()
    let gaps = Set(report.gaps.map { "\($0.pillar)|\($0.language)" })
    let cell = 22
    var svg = """
      <svg width="\(160 + cell * languages.count)" height="\(24 + cell * pillars.count)" role="img" \
      aria-label="\(t(.gaps))" class="gaps">
      """
    for (column, tag) in languages.enumerated() {
      svg += "<text x=\"\(160 + column * cell + 4)\" y=\"16\" font-size=\"11\">\(escape(tag))</text>"
    }
    for (line, pillar) in pillars.enumerated() {
      let y = 24 + line * cell
      svg += "<text x=\"0\" y=\"\(y + 15)\" font-size=\"11\">\(escape(pillar.key))</text>"
      for (column, tag) in languages.enumerated() {
        let gap = gaps.contains("\(pillar.key)|\(tag)")
        svg += """
          <rect x="\(160 + column * cell)" y="\(y)" width="\(cell - 2)" height="\(cell - 2)" \
          fill="\(gap ? "#e57373" : "#66bb6a")" data-key="gap:\(escape(pillar.key))|\(escape(tag))" \
          data-gap="\(gap)"><title>\(escape(pillar.key)) × \(escape(tag))</title></rect>
          """
      }
    }
    svg += "</svg>"
    body += "<h2>\(t(.gaps))</h2><p>\(t(.gapsHint))</p>\(svg)"
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
    body += "<h2>\(t(.downloadReport))</h2><p class=\"downloads\">"
    for format in ["md", "csv", "json", "docx", "pdf"] {
      body += "<a class=\"button\" href=\"/dashboard/report?year=\(report.year)&amp;format=\(format)\">\(format)</a> "
    }
    body += "</p>"
    return layout(Label.dashboard.text(language), body, language: language, signedIn: context.signedIn)
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
  }

  static func problem(status: HTTPResponse.Status, detail: String, code: String) -> Response {
    let problem = Problem(title: reasonPhrase(status), status: status.code, detail: detail, code: code)
    return Response(
      status: status, headers: [.contentType: "application/problem+json", .cacheControl: "no-store"],
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
