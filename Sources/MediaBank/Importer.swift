import BlobStore
import Catalog
import Dispatch
public import Foundation
import Glibc
import Synchronization
import SystemIO

/// How to import a folder.
public struct ImportOptions: Sendable {
  /// What the user says about every file (operator, language, pillar, locality, limits).
  public var add: AddOptions
  /// Files processed at once (default: the number of cores).
  public var jobs: Int
  /// Walk and recognise the files, write nothing.
  public var dryRun: Bool
  /// Follow symbolic links (loops are detected).
  public var followLinks: Bool
  /// Where to write every file's outcome as JSON.
  public var reportPath: String?

  public init(
    add: AddOptions = AddOptions(), jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
    dryRun: Bool = false, followLinks: Bool = false, reportPath: String? = nil
  ) {
    self.add = add
    self.jobs = max(1, jobs)
    self.dryRun = dryRun
    self.followLinks = followLinks
    self.reportPath = reportPath
  }
}

/// What an import did.
public struct ImportSummary: Codable, Equatable, Sendable {
  /// One file that could not be imported.
  public struct Failure: Codable, Equatable, Sendable {
    public var path: String
    public var reason: String
  }

  /// The batch id in the catalog (none for a dry run).
  public var batch: Int64?
  public var root: String
  public var dryRun: Bool
  /// True when the import was stopped (Ctrl-C) before every file was seen.
  public var interrupted = false
  /// New content stored (for a dry run: files that would be read).
  public var added = 0
  /// Of `added`, the photos stored although their pixel data is truncated or corrupt
  /// (`list --damaged` lists them). A dry run decodes nothing, so counts none.
  public var damaged = 0
  /// Files whose bytes were already in the bank under another name (a provenance entry was
  /// added).
  public var duplicates = 0
  /// Files already in the bank under the same name, found in another folder (a provenance entry
  /// was added; counted with `duplicates` in the batch's counts).
  public var copies = 0
  /// Files imported before from the same path, read again because their sidecar or
  /// `metadata.csv` row changed (counted with `duplicates` in the batch's counts).
  public var updated = 0
  /// Files imported before and unchanged since; not read again.
  public var unchanged = 0
  public var skipped = 0
  public var skippedByReason: [String: Int] = [:]
  public var failed = 0
  public var failures: [Failure] = []
  /// Failures of files that failed for the same reason in an earlier batch and have not changed
  /// since, by that batch.
  public struct EarlierFailures: Codable, Equatable, Sendable {
    public var batch: Int64
    public var files: Int
  }

  /// Of the failures, those of files that failed for the same reason in an earlier batch and
  /// have not changed since, by batch (oldest first). An import whose only failures are such is
  /// not a failure (exit status 0).
  public var failedBefore: [EarlierFailures] = []

  /// How many failures are of files that failed the same way before.
  public var repeatedFailures: Int { failedBefore.reduce(0) { $0 + $1.files } }
  /// True when the run changed nothing (nothing added, already held, updated, nor newly failed):
  /// no batch is kept for it.
  public var nothingNew = false
  /// Why the batch was left unfinished although every file was seen (the disk filled up):
  /// the same command resumes it.
  public var unfinished: String?
  /// Why the `--report` file could not be written, if it could not.
  public var reportFailure: String?
  /// Bytes of the files read.
  public var bytes: Int64 = 0
  public var seconds = 0.0
}

/// Where an import stands, for a progress line.
public struct ImportProgress: Sendable {
  public var filesDone: Int
  public var filesTotal: Int
  public var bytesDone: Int64
  public var bytesTotal: Int64
  public var failed: Int
  public var seconds: Double
}

/// Lets another thread (a signal handler) stop an import between files.
public final class ImportControl: Sendable {
  private let cancelled = Atomic<Bool>(false)

  public init() {}

  /// Asks the import to stop: files under way finish and are recorded, no new file starts.
  public func cancel() { cancelled.store(true, ordering: .relaxed) }

  public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }
}

extension Library {
  /// Imports every media file under `folder`.
  ///
  /// Files are read, described and stored by `options.jobs` workers at once; one writer records
  /// them in the catalog in transactions of up to 200 files, with the batch's progress and the
  /// file cache, so that an import killed at any moment and run again ends with the same bank
  /// as an uninterrupted one. `progress` is called on the calling thread after each file.
  public func importFolder(
    _ folder: String, options: ImportOptions, control: ImportControl = ImportControl(),
    progress: (ImportProgress) -> Void = { _ in }
  ) throws(MediaBankError) -> ImportSummary {
    let clock = ContinuousClock()
    let start = clock.now
    let root = RawPath(URL(fileURLWithPath: folder).standardizedFileURL.path)
    let bankPillars = try pillars()
    let options = try { () throws(MediaBankError) in
      var resolved = options
      resolved.add = try resolvingTranslation(options.add)
      return resolved
    }()
    if let pillar = options.add.pillar, let reason = bankPillars.problem(with: pillar) {
      throw MediaBankError(.invalidInput, reason)
    }
    let walk = ArchiveWalker(root: root, followLinks: options.followLinks, pillars: bankPillars).walk()
    if walk.candidates.isEmpty, walk.skipped.isEmpty, let failure = walk.failures.first, failure.path == root.display {
      throw MediaBankError(.notFound, failure.reason, path: folder)
    }
    // The files an earlier import stored and that have not changed since: told by the import
    // cache, looked up for all files at once, and never opened. The others go to the workers,
    // and only then are the taggers (the gazetteer, the language profiles) loaded.
    let candidates = walk.candidates
    let explicit = options.add.given
    let givens = candidates.map { candidate in
      var given = explicit
      given.texts += candidate.given.texts
      given.tags += candidate.given.tags
      given.capturedAt = candidate.given.capturedAt
      given.issues = candidate.given.issues
      return given
    }
    let unchanged = try unchangedFiles(candidates, givens: givens, root: root)
    let work = unchanged.indices.filter { unchanged[$0] == nil }
    let context = work.isEmpty ? nil : try ingestContext(pillars: bankPillars)
    var summary = ImportSummary(root: root.display, dryRun: options.dryRun)
    var report = try options.reportPath.map { path throws(MediaBankError) in try ReportWriter(path: path) }
    var batch: BatchProgress?
    if !options.dryRun {
      do {
        let id = try catalog.startBatch(
          root: root.display, operator: options.add.operatorName, startedAt: Self.timestamp(),
          options: options.add.batchOptions)
        batch = BatchProgress(id: id, counts: BatchCounts(), skips: [:], newFailures: [])
        summary.batch = id
      } catch {
        throw MediaBankError(error.description, wrapping: error)
      }
    }

    func skip(_ path: String, _ reason: String) {
      summary.skipped += 1
      summary.skippedByReason[reason, default: 0] += 1
      report?.append(path: path, outcome: "skipped", reason: reason)
    }
    var earlierFailures: [Int64: Int] = [:]
    func fail(_ path: String, _ reason: String, file: RawPath? = nil) {
      if let file, let earlier = failedBefore(file, display: path, reason: reason, batch: batch?.id) {
        earlierFailures[earlier, default: 0] += 1
      }
      summary.failed += 1
      summary.failures.append(ImportSummary.Failure(path: path, reason: reason))
      batch?.newFailures.append((path, reason))
      report?.append(path: path, outcome: "failed", reason: reason)
    }
    for (path, reason) in walk.skipped { skip(path, reason) }
    for (path, reason) in walk.failures { fail(path, reason) }

    var done = 0
    var bytesDone: Int64 = 0
    for (index, id) in unchanged.enumerated() {
      guard let id else { continue }
      done += 1
      bytesDone += candidates[index].size
      summary.unchanged += 1
      report?.append(path: candidates[index].path.display, outcome: "unchanged", id: id)
    }
    if done > 0 {
      progress(
        ImportProgress(
          filesDone: done, filesTotal: candidates.count, bytesDone: bytesDone, bytesTotal: walk.bytes,
          failed: summary.failed, seconds: (clock.now - start) / .seconds(1)))
    }

    // Workers: each takes the next candidate, ingests it and hands the outcome to the writer.
    let batchId = batch?.id
    let outcomes = Channel<(Int, Result<IngestOutcome, MediaBankError>)>(capacity: Self.outcomesInFlight)
    if let context {
      DispatchQueue.global().async { context.warmUp() }
      startWorkers(
        work, candidates: candidates, givens: givens, options: options, context: context, batchId: batchId,
        control: control, outcomes: outcomes)
    } else {
      outcomes.close()
    }

    // The writer: this thread.
    var pending: [(index: Int, arrival: Arrival, objects: [StagedObject], revisit: Bool)] = []
    var lastFlush = clock.now
    var groupSize = 200
    var fatal: MediaBankError?

    func flush() {
      guard !pending.isEmpty || batch?.newFailures.isEmpty == false else { return }
      let recorded: [Result<Recorded, MediaBankError>]
      var committed: [String] = []
      do throws(ImportWriteError) {
        committed = try commitStaged(pending.flatMap(\.objects))
        recorded = try record(pending.map(\.arrival), batch: &batch, summary: summary)
      } catch {
        discardStaged(pending.flatMap(\.objects))
        switch error {
        case .diskFull(let reason):
          // The files of this group fail, and the objects they brought go again (unless something
          // needs them, checked with the catalog locked): the batch goes on, a later group may fit.
          _ = try? catalog.purge(committed) { objects in try store.remove(objects.compactMap { BlobID($0) }) }
          for item in pending { fail(candidates[item.index].path.display, reason) }
          // From now on each file is recorded alone, so that those that fit are kept.
          groupSize = 1
        case .fatal(let error): fatal = error
        }
        pending = []
        return
      }
      for (item, result) in zip(pending, recorded) {
        let path = candidates[item.index].path.display
        switch result {
        case .success(let recorded):
          let isNew = recorded == .added
          let outcome = isNew ? "added" : item.revisit ? "updated" : "duplicate"
          switch recorded {
          case .added: summary.added += 1
          case .held where item.revisit: summary.updated += 1
          case .held(sameName: true): summary.copies += 1
          case .held(sameName: false): summary.duplicates += 1
          }
          if isNew, item.arrival.asset?.damaged != nil { summary.damaged += 1 }
          summary.bytes += item.arrival.byteSize
          report?.append(path: path, outcome: outcome, id: item.arrival.provenance.assetId)
        case .failure(let error):
          fail(path, error.reason)
        }
      }
      pending = []
      lastFlush = clock.now
    }

    while let (index, outcome) = outcomes.receive() {
      if fatal != nil {
        control.cancel()
        if case .success(.stored(_, _, let objects, _)) = outcome { discardStaged(objects) }
        continue
      }
      let candidate = candidates[index]
      done += 1
      switch outcome {
      case .success(.stored(let arrival, _, let objects, let revisit)):
        pending.append((index, arrival, objects, revisit))
      case .success(.unchanged(let id)):
        summary.unchanged += 1
        report?.append(path: candidate.path.display, outcome: "unchanged", id: id)
      case .success(.notMedia(let reason)):
        skip(candidate.path.display, reason)
      case .success(.recognized(let size)):
        summary.added += 1
        summary.bytes += size
        report?.append(path: candidate.path.display, outcome: "would import")
      case .failure(let error):
        fail(candidate.path.display, error.reason, file: candidate.path)
      }
      bytesDone += candidate.size
      if pending.count >= groupSize || clock.now - lastFlush > Self.groupInterval { flush() }
      progress(
        ImportProgress(
          filesDone: done, filesTotal: candidates.count, bytesDone: bytesDone, bytesTotal: walk.bytes,
          failed: summary.failed, seconds: (clock.now - start) / .seconds(1)))
    }
    flush()
    if let fatal { throw fatal }
    summary.interrupted = control.isCancelled && done < candidates.count
    summary.seconds = (clock.now - start) / .seconds(1)
    summary.failedBefore = earlierFailures.sorted { $0.key < $1.key }.map {
      ImportSummary.EarlierFailures(batch: $0.key, files: $0.value)
    }
    summary.nothingNew =
      !summary.interrupted && summary.added == 0 && summary.duplicates == 0 && summary.copies == 0
      && summary.updated == 0
      && summary.failed == summary.repeatedFailures
    if var batch {
      batch.counts = BatchCounts(summary)
      batch.skips = summary.skippedByReason
      do {
        if summary.nothingNew {
          // A run that changed nothing leaves no empty batch behind.
          try catalog.discardBatch(batch.id)
          summary.batch = nil
        } else if summary.interrupted {
          try catalog.record([], batch: batch)
        } else {
          try catalog.finishBatch(batch, finishedAt: Self.timestamp())
        }
      } catch {
        guard error.isDiskFull else { throw MediaBankError(error.description, wrapping: error) }
        // What was recorded stays; the batch is left unfinished, as an interrupted one, and the
        // same command resumes it once there is room.
        summary.unfinished = "the batch could not be closed: \(diskFullReason)"
      }
    }
    do throws(MediaBankError) {
      try report?.finish()
    } catch {
      summary.reportFailure = error.description
    }
    return summary
  }

  /// The longest the writer lets files wait before it stores and records them (then up to 200 at
  /// once): short enough that recording a group overlaps with reading the next files, so that
  /// little is left to record once the last file is read.
  static let groupInterval = Duration.milliseconds(250)

  /// How many outcomes the workers may hand over before the writer takes them: enough that they
  /// go on reading and hashing while the writer flushes a group to disk and records it.
  static let outcomesInFlight = 256

  /// Starts the workers on `work` (indices of `candidates`): each takes the next file, ingests it
  /// and hands the outcome to the writer through `outcomes`, which is closed once all are done.
  private func startWorkers(
    _ work: [Int], candidates: [ArchiveWalker.Candidate], givens: [Given], options: ImportOptions,
    context: IngestContext, batchId: Int64?, control: ImportControl,
    outcomes: Channel<(Int, Result<IngestOutcome, MediaBankError>)>
  ) {
    DispatchQueue.global().async {
      _ = IO.parallelMap(work.count, concurrency: options.jobs, stop: { control.isCancelled }) { next in
        let index = work[next]
        let candidate = candidates[index]
        let source = IngestSource(
          path: candidate.path, folder: candidate.folder, given: givens[index], cached: true, cacheChecked: true)
        let outcome = Result { () throws(MediaBankError) in
          try self.ingest(
            source, options: options.add, context: context, batchId: batchId, dryRun: options.dryRun)
        }
        outcomes.send((index, outcome))
      }
      outcomes.close()
    }
  }

  /// For each candidate (a file under `root`), the asset an earlier import stored from the same
  /// path when the file has not changed since (the size, modification time and inode the walk
  /// saw, and what is given with it, match the import cache), else nil. One catalog query for
  /// all of them (`Catalog.cachedAssets(_:under:)`).
  private func unchangedFiles(
    _ candidates: [ArchiveWalker.Candidate], givens: [Given], root: RawPath
  ) throws(MediaBankError) -> [String?] {
    // The cache knows files by their absolute path without `.` or `..`, as the walk names them
    // when the root is named so (a standardized path always is).
    let absoluteRoot = Self.absolute(root)
    let walkNamesAbsolute = absoluteRoot == root
    let entries = zip(candidates, givens).map { candidate, given in
      CacheRow(
        path: Data(walkNamesAbsolute ? candidate.path.bytes : Self.absolute(candidate.path).bytes),
        size: candidate.size, mtimeNs: candidate.modifiedNs, inode: candidate.inode, givenDigest: given.digest,
        assetId: "", batchId: nil)
    }
    let prefix = absoluteRoot.bytes.last == 0x2f ? absoluteRoot.bytes : absoluteRoot.bytes + [0x2f]
    do {
      return try catalog.cachedAssets(entries, under: Data(prefix))
    } catch {
      throw MediaBankError(error.description, wrapping: error)
    }
  }

  /// The earlier batch in which the file at `file` failed for the same reason, when the file has
  /// not changed since that batch started; nil otherwise.
  private func failedBefore(_ file: RawPath, display: String, reason: String, batch: Int64?) -> Int64? {
    guard let earlier = try? catalog.lastFailure(path: display, before: batch), earlier.reason == reason else {
      return nil
    }
    var status = stat()
    guard file.withCString({ stat($0, &status) }) == 0 else {
      // A file that vanished or cannot be read fails the same way again.
      return earlier.batch
    }
    let modified = Self.timestamp(of: Date(timeIntervalSince1970: TimeInterval(status.st_mtim.tv_sec)))
    return modified <= earlier.startedAt ? earlier.batch : nil
  }

  /// Records arrivals in one transaction with the batch progress; when that fails (a row the
  /// catalog refuses), records them one by one so only the bad ones fail. A full disk fails the
  /// whole group (`ImportWriteError.diskFull`): its batch progress is written with the next group.
  private func record(
    _ arrivals: [Arrival], batch: inout BatchProgress?, summary: ImportSummary
  ) throws(ImportWriteError) -> [Result<Recorded, MediaBankError>] {
    if var progress = batch {
      progress.counts = BatchCounts(summary)
      progress.skips = summary.skippedByReason
      batch = progress
    }
    do {
      let results = try catalog.record(arrivals, batch: batch, isStored: isStored).map {
        Result<Recorded, MediaBankError>.success($0)
      }
      batch?.newFailures = []
      return results
    } catch {
      if error.isDiskFull { throw .diskFull(diskFullReason) }
      guard arrivals.count > 1 else {
        if arrivals.isEmpty { throw .fatal(MediaBankError(error.description, wrapping: error)) }
        return [.failure(MediaBankError(error.description, wrapping: error))]
      }
    }
    var results: [Result<Recorded, MediaBankError>] = []
    for arrival in arrivals {
      do {
        results.append(.success(try catalog.record([arrival], isStored: isStored)[0]))
      } catch {
        results.append(.failure(MediaBankError(error.isDiskFull ? diskFullReason : error.description, wrapping: error)))
      }
    }
    do {
      try catalog.record([], batch: batch)
    } catch {
      if error.isDiskFull { return results }  // Written with the next group.
      throw .fatal(MediaBankError(error.description, wrapping: error))
    }
    batch?.newFailures = []
    return results
  }

  /// `disk full (N bytes free on DEVICE)` for the bank's file system.
  var diskFullReason: String { DiskSpace.fullReason(near: root.path) }
}

/// Why a group of an import's files could not be recorded.
enum ImportWriteError: Error {
  /// The disk is full: the group's files fail with this reason, the import goes on.
  case diskFull(String)
  /// Anything else stops the import.
  case fatal(MediaBankError)
}

extension BatchCounts {
  init(_ summary: ImportSummary) {
    self.init(
      added: summary.added, duplicates: summary.duplicates + summary.copies + summary.updated,
      unchanged: summary.unchanged,
      skipped: summary.skipped,
      failed: summary.failed, bytes: summary.bytes)
  }
}

/// Streams every file's outcome to a JSON array, replaced atomically at the end (`AtomicFile`).
/// A write that fails (a full disk) stops the report, not the import: `finish()` says why.
struct ReportWriter {
  let path: String
  private let file: AtomicFile?
  private var failure: SystemError?
  private var first = true

  init(path: String) throws(MediaBankError) {
    self.path = path
    do {
      let file = try AtomicFile(path: path)
      try file.write(Array("[".utf8))
      self.file = file
    } catch {
      throw MediaBankError("cannot write the report: \(error.reason)", path: path, wrapping: error)
    }
  }

  mutating func append(path: String, outcome: String, id: String? = nil, reason: String? = nil) {
    var entry = ["path": path, "outcome": outcome]
    entry["id"] = id
    entry["reason"] = reason
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let json = (try? encoder.encode(entry)) ?? Data()
    write(Array((first ? "\n" : ",\n").utf8) + json)
    first = false
  }

  private mutating func write(_ bytes: [UInt8]) {
    guard let file, failure == nil else { return }
    do {
      try file.write(bytes)
    } catch {
      failure = error  // The temporary file is removed; the report stops here.
    }
  }

  /// Ends the array and puts the report in place; throws when it could not be written.
  mutating func finish() throws(MediaBankError) {
    write(Array("\n]\n".utf8))
    do throws(SystemError) {
      if let failure { throw failure }
      try file?.commit()
    } catch {
      throw MediaBankError("cannot write the report: \(error.reason)", path: path, wrapping: error)
    }
  }
}
