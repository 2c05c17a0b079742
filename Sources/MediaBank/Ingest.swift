import BlobStore
import Catalog
import Crypto
import Foundation
import Glibc
import Metadata
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
    return SHA256.hash(data: Data(canonical.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
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
  /// to the writer (`Library.commitStaged`), which flushes them once per transaction.
  var cached: Bool
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
    let pillars = try pillars()
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
      bankPillars: pillars)
  }

  /// Stores one file and describes it, without touching the catalog: the objects (original
  /// and preview) are in the store when this returns, the catalog rows are in the arrival.
  /// Safe to call from several threads at once.
  func ingest(
    _ source: IngestSource, options: AddOptions, context: IngestContext, batchId: Int64? = nil,
    dryRun: Bool = false
  ) throws(MediaBankError) -> IngestOutcome {
    let display = source.path.display
    func failure(_ code: MediaBankError.Code, _ reason: String) -> MediaBankError {
      MediaBankError(code, reason, path: display)
    }
    let cachePath = Data(Self.absolute(source.path).bytes)
    let givenDigest = source.given.digest
    func cacheRow(_ status: stat) -> CacheRow {
      CacheRow(
        path: cachePath, size: Int64(status.st_size),
        mtimeNs: Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec),
        inode: Int64(bitPattern: UInt64(status.st_ino)), givenDigest: givenDigest, assetId: "", batchId: batchId)
    }
    var status = stat()
    // The cache is checked before the file is opened: an unchanged file costs one stat.
    if source.cached, source.path.withCString({ stat($0, &status) }) == 0 {
      do {
        if let id = try catalog.cachedAsset(cacheRow(status)) { return .unchanged(id: id) }
      } catch {
        throw MediaBankError(error.description, path: display, wrapping: error)
      }
    }
    // Non-blocking: opening a FIFO for reading would wait for a writer for ever.
    let descriptor = source.path.withCString { Glibc.open($0, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }
    guard descriptor >= 0 else {
      throw failure(
        .init(errno: errno),
        errno == ENOENT
          ? "the file vanished before it could be read" : "cannot open: \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    guard fstat(descriptor, &status) == 0 else {
      throw failure(.init(errno: errno), "cannot read: \(String(cString: strerror(errno)))")
    }
    guard status.st_mode & S_IFMT == S_IFREG else {
      throw failure(.invalidInput, "not a regular file (\(fileType(status)))")
    }
    let size = Int64(status.st_size)
    var cache = cacheRow(status)
    var head = [UInt8](repeating: 0, count: headSize)
    let headCount = head.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, headSize, 0) }
    guard headCount >= 0 else { throw failure(.init(errno: errno), "cannot read: \(String(cString: strerror(errno)))") }
    head.removeSubrange(Int(headCount)...)
    let name = RawPath.display(source.path.name)
    let kind: any AssetKind.Type
    do {
      kind = try recognizeKind(head: head, size: size, name: name)
    } catch {
      // An import skips what is not media, and audio recordings whatever their name.
      if source.cached && (error.isAudioOnly || !mediaExtensions.contains(fileExtension(of: name))) {
        return .notMedia(reason: error.isAudioOnly ? "audio-only file" : "not a media file")
      }
      throw MediaBankError(error.reason, path: display, wrapping: error)
    }
    if let kinds = options.kinds, !kinds.contains(kind.name) {
      if source.cached { return .notMedia(reason: "not a selected kind") }
      throw failure(.invalidInput, "a \(kind.name), and only \(kinds.sorted().joined(separator: ", ")) files are taken")
    }
    // An archive's text files are stories only with MediaBank front matter (or `--kind story`).
    // (HTML cannot carry it.)
    if source.cached, kind.name == StoryKind.name, options.kinds?.contains(StoryKind.name) != true {
      let nameExtension = fileExtension(of: name)
      let isNote =
        ["html", "htm"].contains(nameExtension)
        || (["md", "markdown", "txt"].contains(nameExtension) && !StoryExtractor.hasFrontMatter(head: head))
      if isNote { return .notMedia(reason: "text file without story front matter") }
    }
    if options.translationOf != nil, kind.name != StoryKind.name {
      throw failure(.invalidInput, "--translation-of links stories, and this file is not one")
    }
    if dryRun { return .recognized(size: size) }

    // `add` commits and flushes each object here; an import hands its objects, unflushed, to
    // the writer, which flushes a whole group with one syncfs before committing them.
    let handsOver = source.cached
    var owned: [StagedObject] = []
    var handedOver = false
    defer { if !handedOver { owned.forEach(store.discard) } }
    let staged: StagedObject
    do throws(BlobStoreError) {
      staged = try store.stage(reading: descriptor, name: display, flush: !handsOver)
      owned.append(staged)
    } catch {
      throw MediaBankError(error.errnoDescription, path: display, wrapping: error)
    }
    guard staged.size == size else {
      throw failure(.conflict, "the file changed while it was read (\(size) bytes, then \(staged.size))")
    }
    let id = staged.id.description
    let now = Self.timestamp()
    cache.assetId = id
    let tombstone: TombstoneRow?
    var given = source.given
    var revisit = false
    do {
      tombstone = try catalog.tombstone(id)
      // A file seen at this path before, read again because its sidecar or CSV row changed: the
      // options of this run are for the files it adds or sees here for the first time.
      if source.cached, let earlier = try catalog.cacheEntry(path: cachePath), earlier.assetId == id {
        if earlier.givenDigest == givenDigest {
          // Only its time or inode changed (a touch, a copy): nothing new to record.
          cache.batchId = earlier.batchId
          try catalog.refreshCache(cache)
          return .unchanged(id: id)
        }
        revisit = true
        given.texts.removeAll { $0.source == "explicit" }
        given.tags.removeAll { $0.source == "explicit" }
      }
    } catch {
      throw MediaBankError(error.description, path: display, wrapping: error)
    }
    if let tombstone, tombstone.kind == "delete", !options.allowDeleted {
      throw failure(
        .conflict,
        "deleted before on \(tombstone.deletedAt.prefix(10)) (\(tombstone.reason)); use --allow-deleted to add it again"
      )
    }
    var arrival = Arrival(
      asset: nil, givenTexts: given.textRows(for: id),
      tags: [],
      provenance: ProvenanceRow(
        assetId: id, addedAt: now, originalPath: Self.absolute(source.path).display, originalName: name,
        operator: options.operatorName, batchId: batchId, folder: source.folder),
      cache: source.cached ? cache : nil, replacesSources: source.cached ? source.given.replacedSources : [],
      byteSize: size)
    if let original = options.translationOf {
      guard original != id else { throw failure(.invalidInput, "a story cannot be a translation of itself") }
      // Linking back to one's own translation would make each say it translates the other.
      if translates(original, id) {
        throw failure(.conflict, "\(original) is a translation of this story, so this story cannot be its translation")
      }
      arrival.translation = TranslationRow(assetId: id, originalId: original, source: "explicit", addedAt: now)
    }
    /// The objects for the caller to commit (import), or none once committed here (add).
    func deliver() throws(BlobStoreError) -> [StagedObject] {
      handedOver = true
      if handsOver { return owned }
      for object in owned { try store.commit(object) }
      return []
    }
    let tagger = context.localities
    let pillarTagger = context.pillars
    func tagRows(_ tags: [GivenTag]) -> [TagRow] {
      (given.tags.filter { $0.facet != "locality" } + tags).map {
        // The batch owns what it gave (its options, metadata.csv, sidecars) and what its folders
        // suggested; what the file itself says (embedded, GPS, text) belongs to the asset.
        TagRow(
          assetId: id, facet: $0.facet, value: $0.value, source: $0.source, note: $0.note, addedAt: now,
          batchId: TagRow.batchSources.contains($0.source) ? batchId : nil)
      }
    }
    do {
      if try catalog.contains(id) {
        arrival.tags = tagRows(
          tagger.tags(given: given, fileTexts: nil, gps: nil, folder: source.folder, bankProvince: nil)
            + pillarTagger.tags(given: given, fileTexts: nil, folder: source.folder)
            + context.languages.tags(given: given, fileTexts: nil))
        // Committing again restores an object that had been lost.
        return .stored(arrival, issues: [], objects: try deliver(), revisit: revisit)
      }
      let description: AssetDescription
      do {
        description = try kind.describe(staged.path, name: name, id: id, size: size, options: options, addedAt: now)
      } catch {
        // An MP4 or 3GP with audio streams only (a voice memo) is told by its streams.
        if source.cached && error.isAudioOnly { return .notMedia(reason: "audio-only file") }
        throw MediaBankError(error.reason, path: display, wrapping: error)
      }
      var asset = description.asset
      if asset.capturedAt == nil { asset.capturedAt = source.given.capturedAt }
      if let preview = description.preview {
        let stagedPreview = try store.stage(bytes: preview, flush: !handsOver)
        owned.insert(stagedPreview, at: 0)
        asset.thumbnailId = stagedPreview.id.description
      }
      let stated = context.statedTags(description.stated)
      var issues = description.issues + stated.issues + source.given.issues
      if arrival.translation == nil, let reference = description.stated.translationOf {
        switch Self.idPrefix(reference) {
        case nil:
          issues.append("translation_of '\(reference)' is not an asset id (sha256:<hex>, at least 4 hex digits)")
        case let prefix? where id.hasPrefix(prefix):
          issues.append("translation_of '\(reference)' is this story's own id")
        case let prefix? where prefix.utf8.count < "sha256:".utf8.count + Self.waitingPrefixDigits:
          // Too short to wait for: a story that arrives later could match it by chance.
          do throws(MediaBankError) {
            let original = try storyID(reference)
            guard !translates(original, id) else {
              throw MediaBankError(.conflict, "\(original) is a translation of this story")
            }
            arrival.translation = TranslationRow(assetId: id, originalId: original, source: "document", addedAt: now)
          } catch {
            issues.append(
              "translation_of '\(reference)' is not linked: \(error.reason) (give at least \(Self.waitingPrefixDigits)"
                + " hex digits to link a story that arrives later)")
          }
        case let prefix?:
          // Linked by the catalog, now or when the story it names arrives (later in an import).
          arrival.translation = TranslationRow(assetId: id, reference: prefix, addedAt: now)
        }
      }
      arrival.tags = tagRows(
        tagger.tags(
          given: given, fileTexts: description.texts, stated: stated.tags,
          gps: asset.gpsLatitude.flatMap { latitude in asset.gpsLongitude.map { (latitude, $0) } },
          folder: source.folder, bankProvince: context.bankProvince)
          + pillarTagger.tags(
            given: given, fileTexts: description.texts, stated: stated.tags, folder: source.folder)
          + context.languages.tags(
            given: given, fileTexts: description.texts, stated: stated.tags, body: description.body))
      arrival.asset = asset
      arrival.fileTexts = description.texts.map { TextRow($0, assetId: id, all: description.texts) }
      arrival.body = description.body
      arrival.issues = issues
      return .stored(arrival, issues: issues, objects: try deliver())
    } catch let error as MediaBankError {
      throw error
    } catch let error as BlobStoreError {
      throw MediaBankError(error.errnoDescription, path: display, wrapping: error)
    } catch {
      throw MediaBankError("\(error)", path: display, wrapping: error)
    }
  }

  /// Stores the objects that import workers staged without flushing them: one flush for the
  /// whole group, then their names, then one `fsync` per directory. After this the catalog may
  /// name them.
  func commitStaged(_ objects: [StagedObject]) throws(MediaBankError) {
    guard !objects.isEmpty else { return }
    do {
      store.flushStagedObjects()
      for object in objects { try store.commit(object, syncDirectory: false) }
      try store.syncDirectories(of: objects.map(\.id))
    } catch {
      throw MediaBankError(error.errnoDescription, wrapping: error)
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
  /// The message with the system's reason, e.g. `cannot read …: Input/output error`.
  var errnoDescription: String {
    "\(message)\(errno.map { ": " + String(cString: strerror($0)) } ?? "")"
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
