import BlobStore
import Catalog
import Crypto
import Foundation
import Glibc
import Metadata
import SystemIO
import Taxonomy

/// A value given with a file rather than read from it: on the command line (`explicit`), in a
/// folder's `metadata.csv` (`csv`) or in an XMP sidecar (`sidecar`).
struct GivenText: Equatable, Sendable {
  var field: String
  var language: String
  var value: String
  var source: String
}

/// A pillar, language or locality tag given with a file.
struct GivenTag: Equatable, Sendable {
  var facet: String
  var value: String
  var source: String
  /// What was stated when the value was resolved from a name, or a conflict.
  var note: String? = nil
}

/// Everything given with one file, besides its bytes.
struct Given: Sendable {
  var texts: [GivenText] = []
  var tags: [GivenTag] = []
  /// A capture date from `metadata.csv`, used when the file has none.
  var capturedAt: String?
  /// Problems with what was given (a sidecar that is not XML), recorded with the asset.
  var issues: [String] = []

  /// The sources (`csv`, `sidecar`) whose values this arrival gives: they replace the asset's
  /// earlier values of those sources. An arrival that gives none (the same bytes under another
  /// name, without a sidecar) leaves them alone.
  var replacedSources: Set<String> {
    Set(texts.map(\.source) + tags.map(\.source)).intersection(["csv", "sidecar"])
  }

  /// A digest of what comes with the file (its sidecar, its `metadata.csv` row), so that an
  /// import notices when one changed although the file did not. What the command line gives
  /// (`explicit`) is left out: a file unchanged since an earlier import is `unchanged` whatever
  /// the options of the new run.
  var digest: String {
    var canonical = ""
    for text in texts where text.source != "explicit" {
      canonical += "t\u{0}\(text.field)\u{0}\(text.language)\u{0}\(text.source)\u{0}\(text.value)\n"
    }
    for tag in tags where tag.source != "explicit" {
      canonical += "g\u{0}\(tag.facet)\u{0}\(tag.value)\u{0}\(tag.source)\n"
    }
    if let capturedAt { canonical += "c\u{0}\(capturedAt)\n" }
    for issue in issues { canonical += "i\u{0}\(issue)\n" }
    if canonical.isEmpty { return Self.emptyDigest }
    return Self.hex(SHA256.hash(data: Data(canonical.utf8)).prefix(16))
  }

  /// The digest of a file given nothing (most files): computed once.
  private static let emptyDigest = hex(SHA256.hash(data: Data()).prefix(16))

  /// `bytes` in lowercase hexadecimal digits.
  private static func hex(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    for byte in bytes { text += [digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]] }
    return String(decoding: text, as: UTF8.self)
  }

  /// Catalog rows for asset `id`; repeated values of a field, language and source (keywords)
  /// get increasing positions.
  func textRows(for id: String) -> [TextRow] {
    var positions: [String: Int] = [:]
    return texts.map { text in
      let key = "\(text.field)\u{0}\(text.language)\u{0}\(text.source)"
      defer { positions[key, default: 0] += 1 }
      return TextRow(
        assetId: id, field: text.field, language: text.language, position: positions[key, default: 0],
        value: text.value, source: text.source)
    }
  }
}

/// One file to ingest.
struct IngestSource: Sendable {
  var path: RawPath
  /// The folders between the import root and the file, shown as text; nil outside imports.
  var folder: String?
  var given: Given
  /// An import: remember the file in the import cache, and hand the staged objects, unflushed,
  /// to the writer (`Library.commitStaged`), which flushes them a group at a time.
  var cached: Bool
  /// The import cache was looked up for this file already (by the import, for many files at
  /// once) and does not know it unchanged: no need to ask again.
  var cacheChecked = false
  /// The name the file is known by when `path` is only where its bytes wait (a web upload: the
  /// relative path the browser gave): errors name it, provenance records it, and its extension
  /// is the one recognition reads.
  var shownAs: String? = nil
  /// The file is the bank's own (a web upload written under the store's temporary directory):
  /// stage it where it lies instead of copying it, so its bytes are written once.
  var adopt = false
}

/// What every file of one `add` or `import` shares: the bank's province and the taggers built
/// from the bank's vocabularies.
struct IngestContext: Sendable {
  /// The bank's province, the locality of last resort (`bank-default`).
  var bankProvince: String?
  let localities: LocalityTagger
  let pillars: PillarTagger
  let languages: LanguageTagger
  /// The bank's pillars, which `metadata.csv` values are checked against.
  let bankPillars: BankPillars
  /// The shipped data the taggers read, each part when first needed.
  let gazetteer: Gazetteer
  let detector: LanguageDetector

  /// Reads now the parts of the shipped data that tagging a file usually needs (the names of
  /// former units, the commune boundaries, the language profiles: together some tenths of a
  /// second). An import calls it on a thread of its own as its workers start, so that the data
  /// is read while they read and hash the first files, instead of both waiting for it at the
  /// first file they tag.
  func warmUp() {
    _ = gazetteer.resolve("Hà Nội")
    _ = gazetteer.locate(latitude: 21.0278, longitude: 105.8342)
    _ = detector.detect("Sương sớm trên mặt hồ Núi Cốc")
  }
}

/// What ingesting one file gave.
enum IngestOutcome: Sendable {
  /// The file's content, described and stored (whether it was new is decided when it is recorded).
  /// `objects` are staged objects the caller must commit before recording the arrival (an
  /// import's), empty when they are already stored (`add`).
  /// `revisit` is true when an earlier import stored the same content from the same path (the
  /// file was read again because its sidecar or `metadata.csv` row changed).
  case stored(Arrival, issues: [String], objects: [StagedObject], revisit: Bool = false)
  /// The file was imported before and has not changed since (not read again).
  case unchanged(id: String)
  /// Not a media file MediaBank takes (its content is not one and its name does not claim to
  /// be), with the reason an import counts it under: `not a media file`, `audio-only file`
  /// (interviews, radio: not in scope, whatever the file's name) or `not a selected kind`
  /// (`import --kind`).
  case notMedia(reason: String)
  /// A dry run recognised the file as media and would store it.
  case recognized(size: Int64)
}

extension IngestContext {
  /// The `embedded` tags of what a file states about itself (a story's front matter, `<html
  /// lang>`): its language, its pillars when they are the bank's, its locality when it names one
  /// unit. Each value that does not is an issue.
  func statedTags(_ stated: AssetDescription.Stated) -> (tags: [GivenTag], issues: [String]) {
    var tags = stated.languages.map { GivenTag(facet: "language", value: $0, source: "embedded") }
    var issues: [String] = []
    for pillar in stated.pillars {
      if let match = bankPillars.vocabulary.match(pillar) {
        tags.append(GivenTag(facet: "pillar", value: match.code, source: "embedded", note: pillar))
      } else {
        issues.append("the pillar '\(pillar)' the story states is not a pillar of this bank (mediabank pillars list)")
      }
    }
    if let locality = stated.locality {
      do {
        let match = try Localities.unit(locality)
        tags.append(
          GivenTag(
            facet: "locality", value: match.code, source: "embedded", note: Localities.statedNote(locality, match)))
      } catch {
        issues.append("the locality '\(locality)' the story states is not tagged: \(error.reason)")
      }
    }
    return (tags, issues)
  }
}

extension Library {
  /// The fewest hex digits of a front matter `translation_of` that waits for its story: as many
  /// as `list` shows, so that no story arriving later matches it by chance.
  static let waitingPrefixDigits = 12

  /// Whether story `story` is linked, or waits to be linked, to `original` as its translation.
  func translates(_ story: String, _ original: String) -> Bool {
    guard let link = try? catalog.translationLink(of: story) else { return false }
    if let linked = link.originalId { return linked == original }
    return link.reference.map { original.hasPrefix($0) } ?? false
  }

  /// The full id of the story `reference` names (an id or an unambiguous prefix); throws when
  /// it names no asset, several, or an asset that is not a story.
  public func storyID(_ reference: String) throws(MediaBankError) -> String {
    let record = try asset(reference)
    guard record.kind == "story" else {
      throw MediaBankError(.invalidInput, "\(record.id) is a \(record.kind), not a story")
    }
    return record.id
  }

  /// The context of an `add` or `import`: read once, shared by every file.
  func ingestContext() throws(MediaBankError) -> IngestContext {
    try ingestContext(pillars: try pillars())
  }

  /// The context of an `add` or `import` whose bank's pillars are read already.
  func ingestContext(pillars: BankPillars) throws(MediaBankError) -> IngestContext {
    let gazetteer: Gazetteer
    let detector: LanguageDetector
    do {
      gazetteer = try Gazetteer.shared()
      detector = try LanguageDetector.shared()
    } catch {
      throw MediaBankError("cannot load the shipped data: \(error)", wrapping: error, code: .internal)
    }
    return IngestContext(
      bankProvince: try identity().province, localities: LocalityTagger(gazetteer: gazetteer),
      pillars: PillarTagger(vocabulary: pillars.vocabulary), languages: LanguageTagger(detector: detector),
      bankPillars: pillars, gazetteer: gazetteer, detector: detector)
  }

  /// Stores one file and describes it, without touching the catalog: the objects (original
  /// and preview) are in the store when this returns, the catalog rows are in the arrival.
  /// Safe to call from several threads at once.
  ///
  /// The steps: skip a file the import cache knows unchanged; open it (a regular file only);
  /// recognise its kind from its first bytes; stage its bytes in the store; compare with what
  /// the catalog knows of it (a tombstone, an earlier import of the same path); then either
  /// tag the content the bank already holds, or describe the new content and make its preview.
  func ingest(
    _ source: IngestSource, options: AddOptions, context: IngestContext, batchId: Int64? = nil,
    dryRun: Bool = false
  ) throws(MediaBankError) -> IngestOutcome {
    let file = IngestFile(source: source, batchId: batchId)
    if let id = try file.unchangedInCache(catalog) { return .unchanged(id: id) }
    let (descriptor, status) = try file.open()
    defer { IO.close(descriptor) }
    var cache = file.cacheRow(status)
    let size = Int64(status.st_size)
    let kind: any AssetKind.Type
    switch try file.recognize(descriptor, size: size, options: options) {
    case .media(let recognized): kind = recognized
    case .notMedia(let reason): return .notMedia(reason: reason)
    }
    if dryRun { return .recognized(size: size) }

    // `add` commits and flushes each object here; an import hands its objects, unflushed, to
    // the writer, which flushes a whole group at once before committing them.
    var objects = StagedObjects(store: store, handsOver: source.cached)
    defer { objects.discardUnlessDelivered() }
    let staged = try objects.stage(reading: descriptor, file: file)
    guard staged.size == size else {
      throw file.failure("the file changed while it was read (\(size) bytes, then \(staged.size))", code: .conflict)
    }
    let id = staged.id.description
    cache.assetId = id
    var given = source.given
    let revisit: Bool
    switch try earlierArrival(of: file, id: id, cache: cache, options: options) {
    case .unchanged: return .unchanged(id: id)
    case .new: revisit = false
    case .revisit:
      // Read again because its sidecar or CSV row changed: the options of this run are for the
      // files it adds or sees here for the first time.
      revisit = true
      given.texts.removeAll { $0.source == "explicit" }
      given.tags.removeAll { $0.source == "explicit" }
    }
    let now = Self.timestamp()
    var arrival = try newArrival(of: file, id: id, given: given, cache: cache, size: size, options: options, now: now)
    let tagging = IngestTagging(
      context: context, given: given, folder: source.folder, id: id, batchId: batchId, now: now)
    do {
      if try catalog.contains(id) {
        arrival.tags = tagging.rows(fileTexts: nil, stated: [], gps: nil, body: nil, bankProvince: nil)
        // Committing again restores an object that had been lost.
        return .stored(arrival, issues: [], objects: try objects.deliver(), revisit: revisit)
      }
    } catch let error as CatalogError {
      throw file.failure(error.description, wrapping: error)
    } catch let error as BlobStoreError {
      throw file.failure(error.errnoDescription, wrapping: error)
    } catch {
      throw file.failure("\(error)", wrapping: error)
    }
    let description: AssetDescription
    do {
      description = try kind.describe(
        staged.path, name: file.name, id: id, size: size, options: options, addedAt: now)
    } catch {
      // An MP4 or 3GP with audio streams only (a voice memo) is told by its streams.
      if source.cached && error.isAudioOnly { return .notMedia(reason: "audio-only file") }
      throw file.failure(error.reason, wrapping: error)
    }
    try describe(&arrival, as: description, file: file, objects: &objects, tagging: tagging)
    do {
      return .stored(arrival, issues: arrival.issues, objects: try objects.deliver())
    } catch {
      throw file.failure(error.errnoDescription, wrapping: error)
    }
  }

  /// What the catalog knows of a file's content before this arrival.
  private enum EarlierArrival { case new, revisit, unchanged }

  /// Whether the content `id` of `file` may be taken (not deleted, or `--allow-deleted`), and
  /// whether an earlier import stored it from the same path: unchanged when only the file's time
  /// or inode changed (its cache entry is refreshed), a revisit when its sidecar or CSV row did.
  private func earlierArrival(
    of file: IngestFile, id: String, cache: CacheRow, options: AddOptions
  ) throws(MediaBankError) -> EarlierArrival {
    let tombstone: TombstoneRow?
    var result = EarlierArrival.new
    do {
      tombstone = try catalog.tombstone(id)
      if file.source.cached, let earlier = try catalog.cacheEntry(path: file.cachePath), earlier.assetId == id {
        if earlier.givenDigest == file.givenDigest {
          var refreshed = cache
          refreshed.batchId = earlier.batchId
          try catalog.refreshCache(refreshed)
          return .unchanged
        }
        result = .revisit
      }
    } catch {
      throw file.failure(error.description, wrapping: error)
    }
    if let tombstone, tombstone.kind == "delete", !options.allowDeleted {
      throw file.failure(
        "deleted before on \(tombstone.deletedAt.prefix(10)) (\(tombstone.reason)); use --allow-deleted to add it again",
        code: .conflict)
    }
    return result
  }

  /// The arrival of `file` as content `id`: its provenance, given texts, cache entry, and the
  /// translation link `--translation-of` asks for.
  private func newArrival(
    of file: IngestFile, id: String, given: Given, cache: CacheRow, size: Int64, options: AddOptions, now: String
  ) throws(MediaBankError) -> Arrival {
    let source = file.source
    var arrival = Arrival(
      asset: nil, givenTexts: given.textRows(for: id),
      tags: [],
      provenance: ProvenanceRow(
        assetId: id, addedAt: now,
        originalPath: source.shownAs.map { "upload:" + $0 } ?? Self.absolute(source.path).display,
        originalName: file.name,
        operator: options.operatorName, batchId: file.batchId, folder: source.folder),
      cache: source.cached ? cache : nil, replacesSources: source.cached ? source.given.replacedSources : [],
      byteSize: size)
    if let original = options.translationOf {
      guard original != id else { throw file.failure("a story cannot be a translation of itself") }
      // Linking back to one's own translation would make each say it translates the other.
      if translates(original, id) {
        throw file.failure(
          "\(original) is a translation of this story, so this story cannot be its translation", code: .conflict)
      }
      arrival.translation = TranslationRow(assetId: id, originalId: original, source: "explicit", addedAt: now)
    }
    return arrival
  }

  /// Fills `arrival` for new content from its `description`: the asset row with its preview
  /// (staged in `objects`), the file's texts, its tags, its issues, and the translation its
  /// document states.
  private func describe(
    _ arrival: inout Arrival, as description: AssetDescription, file: IngestFile, objects: inout StagedObjects,
    tagging: IngestTagging
  ) throws(MediaBankError) {
    let id = arrival.provenance.assetId
    var asset = description.asset
    if asset.capturedAt == nil { asset.capturedAt = file.source.given.capturedAt }
    if let preview = description.preview {
      do {
        asset.thumbnailId = try objects.stage(preview: preview).id.description
      } catch {
        throw file.failure(error.errnoDescription, wrapping: error)
      }
    }
    let stated = tagging.context.statedTags(description.stated)
    var issues = description.issues + stated.issues + file.source.given.issues
    if arrival.translation == nil, let reference = description.stated.translationOf {
      issues += statedTranslation(reference, of: id, into: &arrival, now: tagging.now)
    }
    arrival.tags = tagging.rows(
      fileTexts: description.texts, stated: stated.tags,
      gps: asset.gpsLatitude.flatMap { latitude in asset.gpsLongitude.map { (latitude, $0) } },
      body: description.body, bankProvince: tagging.context.bankProvince)
    arrival.asset = asset
    arrival.fileTexts = description.texts.map { TextRow($0, assetId: id, all: description.texts) }
    arrival.body = description.body
    arrival.issues = issues
  }

  /// Links story `id` to the story its document's `translation_of` names (now, or when that
  /// story arrives); returns the issue when the reference cannot be used.
  private func statedTranslation(
    _ reference: String, of id: String, into arrival: inout Arrival, now: String
  ) -> [String] {
    switch Self.idPrefix(reference) {
    case nil:
      return ["translation_of '\(reference)' is not an asset id (sha256:<hex>, at least 4 hex digits)"]
    case let prefix? where id.hasPrefix(prefix):
      return ["translation_of '\(reference)' is this story's own id"]
    case let prefix? where prefix.utf8.count < "sha256:".utf8.count + Self.waitingPrefixDigits:
      // Too short to wait for: a story that arrives later could match it by chance.
      do throws(MediaBankError) {
        let original = try storyID(reference)
        guard !translates(original, id) else {
          throw MediaBankError(.conflict, "\(original) is a translation of this story")
        }
        arrival.translation = TranslationRow(assetId: id, originalId: original, source: "document", addedAt: now)
        return []
      } catch {
        return [
          "translation_of '\(reference)' is not linked: \(error.reason) (give at least \(Self.waitingPrefixDigits)"
            + " hex digits to link a story that arrives later)"
        ]
      }
    case let prefix?:
      // Linked by the catalog, now or when the story it names arrives (later in an import).
      arrival.translation = TranslationRow(assetId: id, reference: prefix, addedAt: now)
      return []
    }
  }

  /// Stores the objects that import workers staged without flushing them, durably
  /// (`BlobStore.commit(_:)`: their bytes flushed several at a time, then their names, then their
  /// directories). After this the catalog may name them.
  /// Returns the ids of the objects that were new to the store.
  @discardableResult
  func commitStaged(_ objects: [StagedObject]) throws(ImportWriteError) -> [String] {
    do {
      return zip(objects, try store.commit(objects)).compactMap { object, isNew in isNew ? object.id.description : nil }
    } catch {
      throw error.isDiskFull
        ? .diskFull(error.errnoDescription) : .fatal(MediaBankError(error.errnoDescription, wrapping: error))
    }
  }

  /// Deletes staged objects that will not be committed.
  func discardStaged(_ objects: [StagedObject]) { objects.forEach(store.discard) }

  /// `path` made absolute against the current directory, `.` and `..` removed.
  static func absolute(_ path: RawPath) -> RawPath {
    var bytes = path.bytes
    if bytes.first != 0x2f {
      bytes = Array(FileManager.default.currentDirectoryPath.utf8) + [0x2f] + bytes
    }
    var components: [ArraySlice<UInt8>] = []
    for component in bytes.split(separator: 0x2f) {
      if component.elementsEqual([0x2e]) { continue }
      if component.elementsEqual([0x2e, 0x2e]) {
        _ = components.popLast()
        continue
      }
      components.append(component)
    }
    return RawPath([0x2f] + Array(components.joined(separator: [0x2f])))
  }
}

extension BlobStoreError {
  /// The message with the system's reason, e.g. `cannot read: Input/output error`; on a full
  /// disk, `disk full (N bytes free on DEVICE)` alone.
  var errnoDescription: String {
    if isDiskFull, let systemReason { return systemReason }
    return "\(message)\(systemReason.map { ": " + $0 } ?? "")"
  }
}

/// What kind of file a `stat` describes, in words: `fifo`, `socket`, `directory`…
func fileType(_ status: stat) -> String {
  switch status.st_mode & S_IFMT {
  case S_IFREG: "regular file"
  case S_IFDIR: "directory"
  case S_IFIFO: "fifo"
  case S_IFSOCK: "socket"
  case S_IFCHR: "character device"
  case S_IFBLK: "block device"
  case S_IFLNK: "symbolic link"
  default: "unknown type"
  }
}

/// One file being ingested: its names and what the import cache knows it by.
private struct IngestFile {
  let source: IngestSource
  let batchId: Int64?
  /// The path as shown (invalid UTF-8 bytes escaped).
  let display: String
  /// The file's name, as shown.
  let name: String
  /// The absolute path's bytes, the import cache's key.
  let cachePath: Data
  let givenDigest: String

  init(source: IngestSource, batchId: Int64?) {
    self.source = source
    self.batchId = batchId
    display = source.shownAs ?? source.path.display
    name =
      source.shownAs.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? RawPath.display(source.path.name)
    cachePath = Data(Library.absolute(source.path).bytes)
    givenDigest = source.given.digest
  }

  /// An error naming the file: of the kind of `error` when there is one (classified), else `code`.
  func failure(
    _ reason: String, wrapping error: (any Error)? = nil, code: MediaBankError.Code = .invalidInput
  ) -> MediaBankError {
    guard let error else { return MediaBankError(code, reason, path: display) }
    return MediaBankError(reason, path: display, wrapping: error)
  }

  func cacheRow(_ status: stat) -> CacheRow {
    CacheRow(
      path: cachePath, size: Int64(status.st_size),
      mtimeNs: Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec),
      inode: Int64(bitPattern: UInt64(status.st_ino)), givenDigest: givenDigest, assetId: "", batchId: batchId)
  }

  /// The id of the asset an earlier import stored from this path, when the file has not changed
  /// since (checked before the file is opened: an unchanged file costs one stat).
  func unchangedInCache(_ catalog: Catalog) throws(MediaBankError) -> String? {
    var status = stat()
    guard source.cached, !source.cacheChecked, source.path.withCString({ stat($0, &status) }) == 0 else {
      return nil
    }
    do {
      return try catalog.cachedAsset(cacheRow(status))
    } catch {
      throw failure(error.description, wrapping: error)
    }
  }

  /// Opens the file for reading, non-blocking (opening a FIFO for reading would wait for a
  /// writer for ever), and refuses anything but a regular file.
  func open() throws(MediaBankError) -> (FileDescriptor, stat) {
    let descriptor: FileDescriptor
    do {
      descriptor = try IO.open(source.path.filePath, .readOnly, options: .nonBlocking)
    } catch {
      throw failure(
        error.errno == .noSuchFileOrDirectory
          ? "the file vanished before it could be read" : "\(error.operation): \(error.reason)", wrapping: error)
    }
    do {
      let status = try IO.status(of: descriptor, path: display)
      guard status.st_mode & S_IFMT == S_IFREG else {
        IO.close(descriptor)
        throw failure("not a regular file (\(fileType(status)))")
      }
      return (descriptor, status)
    } catch let error as MediaBankError {
      throw error
    } catch {
      IO.close(descriptor)
      throw failure("cannot read: \(error)", wrapping: error)
    }
  }

  enum Recognition {
    case media(any AssetKind.Type)
    case notMedia(String)
  }

  /// The kind of the file, told by its first bytes and its name; an import skips what is not
  /// media (audio recordings whatever their name, text files without story front matter, kinds
  /// not selected), `add` refuses it.
  func recognize(_ descriptor: FileDescriptor, size: Int64, options: AddOptions) throws(MediaBankError) -> Recognition {
    var head = [UInt8](repeating: 0, count: headSize)
    do {
      let count = try head.withUnsafeMutableBytes { buffer in
        Result { () throws(SystemError) in try IO.read(descriptor, into: buffer, at: 0, path: display) }
      }.get()
      head.removeSubrange(count...)
    } catch {
      throw failure("\(error.operation): \(error.reason)", wrapping: error)
    }
    let kind: any AssetKind.Type
    do {
      kind = try recognizeKind(head: head, size: size, name: name)
    } catch {
      if source.cached && (error.isAudioOnly || !mediaExtensions.contains(fileExtension(of: name))) {
        return .notMedia(error.isAudioOnly ? "audio-only file" : "not a media file")
      }
      throw failure(error.reason, wrapping: error)
    }
    if let kinds = options.kinds, !kinds.contains(kind.name) {
      if source.cached { return .notMedia("not a selected kind") }
      throw failure("a \(kind.name), and only \(kinds.sorted().joined(separator: ", ")) files are taken")
    }
    // An archive's text files are stories only with MediaBank front matter (or `--kind story`).
    // (HTML cannot carry it.)
    if source.cached, kind.name == StoryKind.name, options.kinds?.contains(StoryKind.name) != true {
      let nameExtension = fileExtension(of: name)
      let isNote =
        ["html", "htm"].contains(nameExtension)
        || (["md", "markdown", "txt"].contains(nameExtension) && !StoryExtractor.hasFrontMatter(head: head))
      if isNote { return .notMedia("text file without story front matter") }
    }
    if options.translationOf != nil, kind.name != StoryKind.name {
      throw failure("--translation-of links stories, and this file is not one")
    }
    return .media(kind)
  }
}

/// The objects one file stages (its content, its preview): discarded unless delivered, that is
/// committed here (`add`) or handed to the import's writer.
private struct StagedObjects {
  let store: BlobStore
  let handsOver: Bool
  private var owned: [StagedObject] = []
  private var delivered = false

  init(store: BlobStore, handsOver: Bool) {
    self.store = store
    self.handsOver = handsOver
  }

  /// Stages the file's bytes, read from `descriptor`: a copy of them, or the file itself when
  /// the source is adopted.
  mutating func stage(reading descriptor: FileDescriptor, file: IngestFile) throws(MediaBankError) -> StagedObject {
    do {
      let staged =
        file.source.adopt
        ? try store.stage(
          adopting: String(decoding: file.source.path.bytes, as: UTF8.self), reading: descriptor.rawValue,
          flush: !handsOver)
        : try store.stage(reading: descriptor.rawValue, name: file.display, flush: !handsOver)
      owned.append(staged)
      return staged
    } catch {
      throw file.failure(error.errnoDescription, wrapping: error)
    }
  }

  /// Stages a preview.
  mutating func stage(preview: [UInt8]) throws(BlobStoreError) -> StagedObject {
    let staged = try store.stage(bytes: preview, flush: !handsOver)
    owned.insert(staged, at: 0)
    return staged
  }

  /// The objects for the caller to commit (import), or none once committed here (add).
  mutating func deliver() throws(BlobStoreError) -> [StagedObject] {
    delivered = true
    if handsOver { return owned }
    for object in owned { try store.commit(object) }
    return []
  }

  func discardUnlessDelivered() {
    if !delivered { owned.forEach(store.discard) }
  }
}

/// Makes an arrival's tag rows: the locality, pillar and language taggers over what was given
/// and what the file says.
private struct IngestTagging {
  let context: IngestContext
  let given: Given
  let folder: String?
  let id: String
  let batchId: Int64?
  let now: String

  func rows(
    fileTexts: [EmbeddedText]?, stated: [GivenTag], gps: (Double, Double)?, body: String?, bankProvince: String?
  ) -> [TagRow] {
    let suggested =
      context.localities.tags(
        given: given, fileTexts: fileTexts, stated: stated, gps: gps, folder: folder, bankProvince: bankProvince)
      + context.pillars.tags(given: given, fileTexts: fileTexts, stated: stated, folder: folder)
      + context.languages.tags(given: given, fileTexts: fileTexts, stated: stated, body: body)
    return (given.tags.filter { $0.facet != "locality" } + suggested).map {
      // The batch owns what it gave (its options, metadata.csv, sidecars) and what its folders
      // suggested; what the file itself says (embedded, GPS, text) belongs to the asset.
      TagRow(
        assetId: id, facet: $0.facet, value: $0.value, source: $0.source, note: $0.note, addedAt: now,
        batchId: TagRow.batchSources.contains($0.source) ? batchId : nil)
    }
  }
}
