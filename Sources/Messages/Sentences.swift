/// The sentences of the command line that carry values, in each language. As with ``Label``, the
/// switch of `text(_:)` is exhaustive: a sentence cannot be added without both translations.
/// Values are inserted as they are: the caller makes them safe for a terminal first.
public enum Sentence: Sendable {
  /// The first line of an import's summary.
  case imported(root: String, batch: Int64?, seconds: String)
  case wouldImport(root: String, seconds: String)
  case stopped
  /// An import's added line: how many, of which damaged, how much read.
  case addedCount(Int, damaged: Int, read: String)
  case sameBytes(Int)
  case sameFile(Int)
  case updatedCount(Int)
  case unchangedCount(Int)
  case unchangedSinceBatch(files: Int?, batch: Int64)
  case unfinished(String)
  /// `N of M files failed` (add).
  case filesFailed(Int, of: Int)
  /// The progress line of an import.
  case progress(done: Int, total: Int, bytesDone: String, bytesTotal: String, rate: String)
  case timeLeft(String)
  case failedSoFar(Int)
  /// A file `add` stored although its pixels are damaged.
  case damagedStored(String)
  case note(String)
  case error(String)
  /// The line `serve` prints when it listens.
  case listening(url: String, bank: String)
  case noAccountYet

  // MARK: Errors

  /// A failure of the library, on the error line: `lỗi: không tìm thấy — DETAIL` in Vietnamese,
  /// `error: DETAIL` in English (the detail, from the library, is English).
  case failure(ErrorKind, String)
  /// A failure without the `error:` prefix (a file `add` could not take, a bundle refused):
  /// `FILE: REASON`, in Vietnamese `FILE: không tìm thấy — REASON`.
  case problem(file: String?, kind: ErrorKind, detail: String)
  /// A file or folder named on the command line that cannot be read.
  case cannotRead(String)
  /// A list of ids (`--ids-from`) that cannot be used; `file` nil for standard input.
  case idList(file: String?, IDListProblem)
  /// The report that could not be written to `out` (nil: standard output); the reason follows.
  case reportNotWritten(out: String?)
  case noSuchPlace(String)
  case notInVietnam(latitude: String, longitude: String)
  /// What the first Ctrl-C of an import says.
  case stopping

  // MARK: init, key

  /// The bank's identity, as `init` prints it (four lines).
  case bankIdentity(path: String, province: String?, national: Bool, name: String?, keyId: String)
  /// `key show` (three lines).
  case keyShown(keyId: String, publicKey: String, path: String)
  case keyRotated(bank: String, old: String, new: String)
  /// What to do after `key rotate`: on the national bank, or on a province's.
  case rotationNext(national: Bool)

  // MARK: tag, retract, edit, history, delete

  case tagWould(remove: Bool, assets: Int, changes: Int)
  case taggedAsset(remove: Bool, id: String)
  case tagged(remove: Bool, assets: Int, changes: Int)
  case retractedAsset(String)
  case alreadyRetracted(id: String, since: String, reason: String)
  case unretractedAsset(id: String, since: String, reason: String)
  case notRetracted(String)
  case edited(String)
  case nothingChanged
  case changesRecorded(Int)
  case noChangeSinceAdded
  /// A value a change removed, in a line of history (quoted by the caller).
  case removedValue(String)
  /// The batch a change of history came with: `[batch 3]`.
  case inBatch(Int64)
  /// A line of `delete`: `deleted ID  KIND  TITLE  SIZE`, and the destinations told of it.
  case deletedAsset(dryRun: Bool, line: String, destinations: String?)
  case deleted(dryRun: Bool, assets: Int, objects: Int, freed: String)

  // MARK: verify

  case catalogProblem(String)
  case moreCatalogProblems(Int)
  case unreferenced(String)
  case checked(objects: Int, problems: Int)
  case catalogIntact
  case catalogProblems(Int)

  // MARK: list, search, show

  case noAssetMatches
  case showing(shown: Int, total: Int, exact: Bool)
  case sentByBanks(id: String, banks: Int, codes: String)
  /// The line of `show` that counts an asset's changes (padded as the record's fields).
  case recentChanges(count: Int, id: String)

  // MARK: batches, undo

  case batchLine(
    id: Int64, started: String, state: BatchState, added: Int, held: Int, unchanged: Int, skipped: Int, failed: Int,
    root: String)
  case batchTitle(id: Int64, root: String)
  case notFinished
  case removedAsset(dryRun: Bool, id: String)
  case keptAsset(dryRun: Bool, id: String)
  case undid(dryRun: Bool, batch: Int64, removed: Int, kept: Int, tags: Int, objects: Int)

  // MARK: backup, restore

  /// `backup`'s summary (four or five lines); `contributions` nil when not shown.
  case backedUp(
    national: Bool, province: String?, path: String, assets: Int, contributions: Int?, objects: Int, bytes: Int)
  /// `restore`'s summary (three or four lines).
  case restored(
    national: Bool, province: String?, bank: String, backedUpAt: String, assets: Int, contributions: Int?, objects: Int)

  // MARK: export, verify-bundle, receive, receipts, sync status, trust

  case nothingToExport(String)
  case wroteBundle(bundle: String, kind: String, group: String?, path: String)
  case bundleCounts(records: Int, retractions: Int, deletions: Int, objects: Int, size: String)
  case bundleIntact(bundle: String, signedBy: String)
  case keyRotation(String)
  case bundleRoute(source: String, destination: String, sequence: Int, kind: String, format: Int)
  case bundleContents(records: Int, objects: Int, size: String)
  case wouldReject(id: String, revision: Int, reason: String)
  case alreadyReceived(bundle: String, source: String, at: String)
  case received(bundle: String, source: String, accepted: Int, rejected: Int, unchanged: Int, newObjects: Int)
  case deletionsReceived(deletions: Int, purged: Int)
  case rejectedRecord(id: String, reason: String)
  case moreRejected(Int)
  case receiptPath(String)
  case receiptNotWritten(applied: Bool, reason: String?, source: String, sequence: Int)
  case receiptApplied(bundle: String, destination: String, accepted: Int, rejected: Int, unchanged: Int, held: Int)
  case syncTo(destination: String, bundles: Int, last: String?, at: String?)
  case pendingRecords(records: Int, deletions: Int)
  case awaitingReceipt([String])
  case heldThere(Int)
  case syncFrom(source: String, bundles: Int, last: String?, at: String?, assets: Int)
  case noBundles
  case trustedKey(bank: String, keyId: String)
  case untrustedKey(bank: String, keyId: String)
  case noTrustedBanks
  case rotatedFrom(keyId: String, at: String, bundle: String?)
  /// `since DATE`, at the end of a line of `user list`, `token list`, `trust list`.
  case since(String)

  // MARK: localities, pillars, review

  case ambiguousPlace(String, candidates: Int)
  case nearestOutside(meters: Int)
  case pillarVocabulary(version: String, national: Int, local: Int)
  case issuedBy(String)
  /// When the bank's pillars were loaded, or nil when they are the shipped ones.
  case loadedAt(String?)
  case retiredNote
  case noPillar(String)
  case suggests(String)
  case pillarHint(code: String, label: String, hits: Int, hint: String)
  case vocabularyUpdated(from: String, to: String)
  case pillarsAdded([String])
  /// A retired pillar and the assets that keep it; nil: none was retired.
  case pillarRetired(code: String?, assets: Int)
  case localPillarAdded(code: String, vi: String, en: String, parent: String)
  case nothingToReview
  case reviewSummary(suggestions: Int, assets: Int, folders: Int)
  case decided(accept: Bool, count: Int)

  // MARK: users, tokens

  case passwordPrompt(String)
  case passwordAgain
  case userAdded(name: String, role: String)
  case noAccount
  case newPassword(String)
  case roleNow(name: String, role: String)
  case userRemoved(String)
  case tokenMade(id: Int64, name: String, user: String)
  case noToken
  case tokenRevoked(Int64)
  /// `remote add`: the remote, its URL, its key id.
  case remoteAdded(name: String, url: String, keyId: String)
  case remoteLine(name: String, url: String, keyId: String?)
  case noRemote
  case remoteRemoved(String)
  /// `sync`: a bundle sent (`sent` the size sent, nil when the remote had it already).
  case bundleSent(bundle: String, remote: String, sent: String?, accepted: Int, refused: Int)
  case resynchronised(remote: String)

  public func text(_ language: UILanguage) -> String {
    switch language {
    case .vi: vietnamese
    case .en: english
    }
  }

  private var vietnamese: String {
    switch self {
    case .imported(let root, let batch, let seconds):
      "Đã nhập \(root)" + (batch.map { " thành đợt \($0)" } ?? " (không có gì mới: không ghi đợt nào)")
        + " trong \(seconds)"
    case .wouldImport(let root, let seconds): "Sẽ nhập \(root) (chạy thử: không ghi gì; \(seconds))"
    case .stopped: "Đã dừng (chạy lại đúng lệnh này để tiếp tục). "
    case .addedCount(let count, let damaged, let read):
      "\(count) (" + (damaged > 0 ? "\(damaged) tệp hỏng; " : "") + "đã đọc \(read))"
    case .sameBytes(let count): "\(count) (cùng nội dung, tên khác)"
    case .sameFile(let count): "\(count) (cùng tệp ở thư mục khác)"
    case .updatedCount(let count): "\(count) (đọc lại: tệp kèm hoặc dòng metadata.csv đã đổi)"
    case .unchangedCount(let count): "\(count) (đã nhập trước đây, không đọc lại)"
    case .unchangedSinceBatch(let files, let batch):
      (files.map { "\($0) tệp " } ?? "") + "không đổi từ đợt \(batch)"
    case .unfinished(let count): "\(count); chạy lại đúng lệnh này để làm nốt"
    case .filesFailed(let failed, let total): "\(failed) trong \(total) tệp bị lỗi"
    case .progress(let done, let total, let bytesDone, let bytesTotal, let rate):
      "\(done)/\(total) tệp, \(bytesDone) / \(bytesTotal), \(rate) tệp/giây"
    case .timeLeft(let time): ", còn \(time)"
    case .failedSoFar(let count): ", \(count) lỗi"
    case .damagedStored(let reason): "hỏng: \(reason) (đã lưu cùng siêu dữ liệu đọc được)"
    case .note(let text): "ghi chú: \(text)"
    case .error(let text): "lỗi: \(text)"
    case .listening(let url, let bank): "Thư viện web MediaBank: \(url) (kho \(bank))"
    case .noAccountYet: "chưa có tài khoản nào: thêm bằng `mediabank user add TÊN --role admin`"
    case .failure(let kind, let detail): "lỗi: \(kind.vietnamese) — \(detail)"
    case .problem(let file, let kind, let detail): (file.map { "\($0): " } ?? "") + "\(kind.vietnamese) — \(detail)"
    case .cannotRead(let file): "\(file): không đọc được (không có tệp hay thư mục này, hoặc không có quyền đọc)"
    case .idList(let file, let problem):
      "\(file ?? "đầu vào chuẩn"): "
        + {
          switch problem {
          case .unreadable: "không đọc được danh sách mã tư liệu"
          case .tooMany(let most): "nhiều hơn \(most) mã; hãy chia nhỏ danh sách"
          case .lineTooLong: "có dòng dài quá 4 KiB: đây không phải danh sách mã tư liệu"
          case .empty: "không có mã nào"
          }
        }()
    case .reportNotWritten(let out): "\(out ?? "đầu ra chuẩn"): không ghi được báo cáo"
    case .noSuchPlace(let text): "không có tỉnh hay xã, phường nào (hiện nay hoặc trước đây) tên là '\(text)'"
    case .notInVietnam(let latitude, let longitude):
      "\(latitude), \(longitude) không thuộc Việt Nam (cũng không cách ranh giới trong vòng 2 km)"
    case .stopping: "đang dừng sau khi xong các tệp đang xử lý (bấm Ctrl-C lần nữa để dừng ngay)"
    case .bankIdentity(let path, let province, let national, let name, let keyId):
      """
      Kho tại \(path)
        tỉnh      \(national ? "(kho quốc gia)" : province ?? "(chưa đặt)")
        tên       \(name ?? "(chưa đặt)")
        khóa      \(keyId)
      """
    case .keyShown(let keyId, let publicKey, let path):
      """
      Mã khóa:        \(keyId)
      Khóa công khai: \(publicKey)
      Tệp:            \(path)
      """
    case .keyRotated(let bank, let old, let new): "Đã thay khóa của kho \(bank): \(old) → \(new)"
    case .rotationNext(let national):
      national
        ? "Hãy gửi các tỉnh tệp keys/bank.pub mới: `trust remove --bank national`, rồi `trust add`."
        : "Gói đồng bộ tiếp theo mang theo việc thay khóa; kho quốc gia chuyển sang khóa mới khi nhận gói đó."
    case .tagWould(let remove, let assets, let changes):
      "Sẽ \(remove ? "gỡ thẻ khỏi" : "gắn thẻ cho") \(assets) tư liệu: \(changes) thay đổi."
    case .taggedAsset(let remove, let id): "\(remove ? "đã gỡ thẻ" : "đã gắn thẻ") \(id)"
    case .tagged(let remove, let assets, let changes):
      "Đã \(remove ? "gỡ thẻ khỏi" : "gắn thẻ cho") \(assets) tư liệu: \(changes) thay đổi."
    case .retractedAsset(let id): "đã rút lại \(id)"
    case .alreadyRetracted(let id, let since, let reason): "\(id) đã được rút lại trước đó (từ \(since): \(reason))"
    case .unretractedAsset(let id, let since, let reason): "đã chia sẻ lại \(id) (đã rút lại từ \(since): \(reason))"
    case .notRetracted(let id): "\(id) không bị rút lại"
    case .edited(let id): "đã sửa \(id)"
    case .nothingChanged: "Không có gì thay đổi: các giá trị vốn đã như vậy."
    case .changesRecorded(let count): "Đã ghi nhận \(count) thay đổi."
    case .noChangeSinceAdded: "Chưa có thay đổi nào kể từ khi tư liệu được thêm vào."
    case .removedValue(let value): "đã gỡ \(value)"
    case .inBatch(let batch): "[đợt \(batch)]"
    case .deletedAsset(let dryRun, let line, let destinations):
      "\(dryRun ? "sẽ xóa" : "đã xóa") \(line)"
        + (destinations.map { "; gói đồng bộ tiếp theo gửi \($0) \(dryRun ? "sẽ báo" : "báo") việc này" } ?? "")
    case .deleted(let dryRun, let assets, let objects, let freed):
      dryRun
        ? "Sẽ xóa \(assets) tư liệu và gỡ \(objects) đối tượng khỏi bộ lưu trữ."
        : "Đã xóa \(assets) tư liệu; đã gỡ \(objects) đối tượng khỏi bộ lưu trữ (giải phóng \(freed) nội dung)."
    case .catalogProblem(let problem): "danh mục: \(problem)"
    case .moreCatalogProblems(let count): "danh mục: … và \(count) lỗi khác"
    case .unreferenced(let id):
      "\(id): không được tham chiếu (không tư liệu nào dùng đến: còn lại sau một lần add hay receive bị ngắt, "
        + "hoặc đã rút lại; vô hại)"
    case .checked(let objects, let problems):
      "Đã kiểm tra \(objects) đối tượng: \(objects - problems) nguyên vẹn, \(problems) có lỗi."
    case .catalogIntact: "Danh mục: nguyên vẹn (đã kiểm tra tính toàn vẹn và khóa ngoại)."
    case .catalogProblems(let count): "Danh mục: \(count) lỗi."
    case .noAssetMatches: "Không có tư liệu nào phù hợp."
    case .showing(let shown, let total, let exact):
      "đang hiện \(shown) trong \(exact ? "" : "ít nhất ")\(total); dùng --limit N để xem thêm"
    case .sentByBanks(let id, let banks, let codes):
      "\(id): do \(banks) kho gửi (\(codes)); dùng --source-bank MÃ để xem bản của một kho\n"
    case .recentChanges(let count, let id): "  thay đổi          \(count) thay đổi (mediabank history \(id))"
    case .batchLine(
      let id, let started, let state, let added, let held, let unchanged, let skipped, let failed, let root):
      "\(id)  \(started)  \(state.vietnamese)  đã thêm \(added), đã có \(held), "
        + "không đổi \(unchanged), bỏ qua \(skipped), lỗi \(failed)  \(root)"
    case .batchTitle(let id, let root): "đợt \(id)  \(root)"
    case .notFinished: "chưa (bị ngắt, hoặc vẫn đang chạy)"
    case .removedAsset(let dryRun, let id): "\(dryRun ? "sẽ gỡ" : "đã gỡ") \(id)"
    case .keptAsset(let dryRun, let id):
      "\(dryRun ? "sẽ giữ" : "đã giữ") \(id) (một lần nhập hay add khác cũng mang nó vào)"
    case .undid(let dryRun, let batch, let removed, let kept, let tags, let objects):
      "\(dryRun ? "Sẽ hoàn tác" : "Đã hoàn tác") đợt \(batch): gỡ \(removed) tư liệu, giữ \(kept) tư liệu, "
        + "thu hồi \(tags) thẻ" + (dryRun ? "." : ", gỡ \(objects) đối tượng khỏi bộ lưu trữ.")
    case .backedUp(let national, let province, let path, let assets, let contributions, let objects, let bytes):
      (["Đã sao lưu \(Self.bankVietnamese(national, province)) vào \(path)", "  tư liệu        \(assets)"]
        + (contributions.map { ["  đóng góp       \($0)"] } ?? []) + [
          "  đối tượng      \(objects) (\(bytes) byte)",
          "Bản sao lưu chứa khóa bí mật của kho: hãy giữ nó an toàn như chính kho.",
        ]).joined(separator: "\n")
    case .restored(let national, let province, let bank, let backedUpAt, let assets, let contributions, let objects):
      ([
        "Đã khôi phục \(Self.bankVietnamese(national, province)) vào \(bank) (bản sao lưu lúc \(backedUpAt))",
        "  tư liệu        \(assets)",
      ] + (contributions.map { ["  đóng góp       \($0)"] } ?? []) + [
        "  đối tượng      \(objects), từng đối tượng đã được đối chiếu với bản kê"
      ]).joined(separator: "\n")
    case .nothingToExport(let destination):
      "Không có gì để xuất cho \(destination): mọi thay đổi đều đã nằm trong một gói đồng bộ."
    case .wroteBundle(let bundle, let kind, let group, let path):
      "Đã ghi \(bundle) (\(kind)\(group.map { ", nhóm \($0)" } ?? "")) vào \(path)"
    case .bundleCounts(let records, let retractions, let deletions, let objects, let size):
      "  \(records) bản ghi, \(retractions) lệnh rút lại, \(deletions) lệnh xóa, \(objects) đối tượng (\(size))"
    case .bundleIntact(let bundle, let signedBy): "\(bundle): nguyên vẹn, ký bằng khóa \(signedBy)"
    case .keyRotation(let rotation): "  thay khóa: \(rotation)"
    case .bundleRoute(let source, let destination, let sequence, let kind, let format):
      "  từ \(source) đến \(destination), gói số \(sequence) (\(kind), định dạng \(format))"
    case .bundleContents(let records, let objects, let size): "  \(records) bản ghi, \(objects) đối tượng, \(size)"
    case .wouldReject(let id, let revision, let reason): "  receive sẽ từ chối \(id) phiên bản \(revision): \(reason)"
    case .alreadyReceived(let bundle, let source, let at):
      "\(bundle) từ \(source) đã được nhận lúc \(at); không áp dụng lại gì"
    case .received(let bundle, let source, let accepted, let rejected, let unchanged, let newObjects):
      "Đã nhận \(bundle) từ \(source): chấp nhận \(accepted) bản ghi, từ chối \(rejected)"
        + (unchanged > 0 ? ", \(unchanged) không đổi" : "") + ", \(newObjects) đối tượng mới"
    case .deletionsReceived(let deletions, let purged):
      "  \(deletions) lệnh xóa: đã gỡ các bản ghi, và gỡ khỏi bộ lưu trữ \(purged) đối tượng không bản ghi nào khác cần"
    case .rejectedRecord(let id, let reason): "  từ chối \(id): \(reason)"
    case .moreRejected(let count): "  … và \(count) bản ghi khác bị từ chối: biên nhận liệt kê đủ"
    case .receiptPath(let path): "Biên nhận: \(path)"
    case .receiptNotWritten(let applied, let reason, let source, let sequence):
      "gói \(applied ? "đã được áp dụng" : "đã được nhận trước đó"); chưa ghi được biên nhận: "
        + "\(reason ?? "lỗi không rõ"); mediabank receipt export \(source) \(sequence) --out ĐƯỜNG_DẪN"
    case .receiptApplied(let bundle, let destination, let accepted, let rejected, let unchanged, let held):
      "Đã áp dụng biên nhận của \(bundle) từ \(destination): chấp nhận \(accepted) bản ghi, từ chối \(rejected), "
        + (unchanged > 0 ? "\(unchanged) không đổi, " : "") + "\(held) đối tượng đã lưu ở nơi nhận"
    case .syncTo(let destination, let bundles, let last, let at):
      "Gửi \(destination): \(bundles) gói" + (last.map { ", gói gần nhất \($0) lúc \(at ?? "?")" } ?? "")
    case .pendingRecords(let records, let deletions):
      "  chưa gửi: \(records) bản ghi chưa vào gói nào" + (deletions > 0 ? " (\(deletions) lệnh xóa)" : "")
    case .awaitingReceipt(let bundles):
      "  chờ biên nhận: " + (bundles.isEmpty ? "không có" : bundles.joined(separator: ", "))
    case .heldThere(let objects): "  đã lưu ở nơi nhận: \(objects) đối tượng"
    case .syncFrom(let source, let bundles, let last, let at, let assets):
      "Nhận từ \(source): \(bundles) gói" + (last.map { ", gói gần nhất \($0) lúc \(at ?? "?")" } ?? "")
        + ", \(assets) tư liệu"
    case .noBundles: "Chưa xuất hay nhận gói đồng bộ nào."
    case .trustedKey(let bank, let keyId): "đã tin cậy \(bank) \(keyId)"
    case .untrustedKey(let bank, let keyId): "không còn tin cậy: \(bank) \(keyId)"
    case .noTrustedBanks: "Chưa tin cậy kho nào (`mediabank trust add --bank MÃ --public-key TỆP`)."
    case .rotatedFrom(let keyId, let at, let bundle):
      "          thay từ khóa \(keyId) lúc \(at)" + (bundle.map { " (theo gói \($0))" } ?? "")
    case .since(let date): "từ \(date)"
    case .ambiguousPlace(let text, let candidates): "\(text) chưa rõ là nơi nào; \(candidates) nơi phù hợp:"
    case .nearestOutside(let meters): " (gần nhất, cách ranh giới \(meters) m)"
    case .pillarVocabulary(let version, let national, let local):
      "Trụ cột hình ảnh: bộ danh mục \(version), \(national) trụ cột quốc gia"
        + (local > 0 ? ", \(local) trụ cột địa phương" : "")
    case .issuedBy(let issuer): "Ban hành: \(issuer)"
    case .loadedAt(let date): date.map { "Nạp vào kho này lúc: \($0)" } ?? "Đi kèm mediabank"
    case .retiredNote: " — ngừng dùng"
    case .noPillar(let text): "\(text): không có trụ cột nào"
    case .suggests(let text): "\(text): gợi ý"
    case .pillarHint(let code, let label, let hits, let hint):
      "  \(code)\(label): \(hits) lần khớp, đầu tiên \"\(hint)\""
    case .vocabularyUpdated(let from, let to): "Bộ danh mục trụ cột \(from) → \(to)"
    case .pillarsAdded(let codes): "  đã thêm: " + (codes.isEmpty ? "không có" : codes.joined(separator: ", "))
    case .pillarRetired(let code, let assets):
      "  ngừng dùng: " + (code.map { "\($0) (\(assets) tư liệu vẫn giữ trụ cột này)" } ?? "không có")
    case .localPillarAdded(let code, let vi, let en, let parent): "đã thêm \(code) \(vi) (\(en)) thuộc \(parent)"
    case .nothingToReview: "không có gì để duyệt"
    case .reviewSummary(let suggestions, let assets, let folders):
      "\n\(suggestions) gợi ý cho \(assets) tư liệu trong \(folders) thư mục"
    case .decided(let accept, let count): "\(accept ? "đã chấp nhận" : "đã bỏ") \(count) gợi ý"
    case .passwordPrompt(let name): "mật khẩu cho \(name): "
    case .passwordAgain: "nhập lại: "
    case .userAdded(let name, let role): "đã thêm \(name) (\(role))"
    case .noAccount: "chưa có tài khoản nào (thêm bằng `mediabank user add TÊN --role admin`)"
    case .newPassword(let name): "đã đặt mật khẩu mới cho \(name)"
    case .roleNow(let name, let role): "\(name) giờ có vai trò \(role)"
    case .userRemoved(let name): "đã xóa \(name)"
    case .tokenMade(let id, let name, let user):
      "mã truy cập \(id) '\(name)' cho \(user): hãy lưu lại ngay; mã này sẽ không hiện lại"
    case .noToken: "chưa có mã truy cập nào (tạo bằng `mediabank token create --user TÊN --name NHÃN`)"
    case .tokenRevoked(let id): "đã thu hồi mã truy cập \(id)"
    case .remoteAdded(let name, let url, let keyId): "kho nhận \(name) tại \(url) (khóa \(keyId))"
    case .remoteLine(let name, let url, let keyId): "\(name)  \(url)  khóa \(keyId ?? "chưa tin cậy")"
    case .noRemote: "chưa có kho nhận nào (thêm bằng `mediabank remote add national URL --key TỆP`)"
    case .remoteRemoved(let name): "đã bỏ kho nhận \(name)"
    case .bundleSent(let bundle, let remote, let sent, let accepted, let refused):
      "\(bundle) → \(remote): " + (sent.map { "đã gửi \($0)" } ?? "đã nhận từ trước")
        + ", \(accepted) bản ghi được chấp nhận"
        + (refused > 0 ? ", \(refused) bị từ chối (`mediabank sync-status` cho biết lý do)" : "")
    case .resynchronised(let remote):
      "\(remote) chờ một gói sau gói cuối kho này đã làm (kho được khôi phục từ bản sao lưu?): đã gửi một gói đầy đủ"
    }
  }

  private var english: String {
    switch self {
    case .imported(let root, let batch, let seconds):
      "Imported \(root)" + (batch.map { " as batch \($0)" } ?? " (nothing new: no batch recorded)") + " in \(seconds)"
    case .wouldImport(let root, let seconds): "Would import \(root) (dry run: nothing was written; \(seconds))"
    case .stopped: "Stopped (run the same command again to resume). "
    case .addedCount(let count, let damaged, let read):
      "\(count) (" + (damaged > 0 ? "\(damaged) damaged; " : "") + "\(read) read)"
    case .sameBytes(let count): "\(count) (same bytes under another name)"
    case .sameFile(let count): "\(count) (same file in another folder)"
    case .updatedCount(let count): "\(count) (read again: a sidecar or metadata.csv row changed)"
    case .unchangedCount(let count): "\(count) (imported before, not read again)"
    case .unchangedSinceBatch(let files, let batch): (files.map { "\($0) " } ?? "") + "unchanged since batch \(batch)"
    case .unfinished(let count): "\(count); run the same command again to finish it"
    case .filesFailed(let failed, let total): "\(failed) of \(total) \(total == 1 ? "file" : "files") failed"
    case .progress(let done, let total, let bytesDone, let bytesTotal, let rate):
      "\(done)/\(total) files, \(bytesDone) of \(bytesTotal), \(rate) files/s"
    case .timeLeft(let time): ", \(time) left"
    case .failedSoFar(let count): ", \(count) failed"
    case .damagedStored(let reason): "damaged: \(reason) (stored with the metadata that could be read)"
    case .note(let text): "note: \(text)"
    case .error(let text): "error: \(text)"
    case .listening(let url, let bank): "MediaBank web library: \(url) (bank \(bank))"
    case .noAccountYet: "no account yet: add one with `mediabank user add NAME --role admin`"
    case .failure(_, let detail): "error: \(detail)"
    case .problem(let file, _, let detail): (file.map { "\($0): " } ?? "") + detail
    case .cannotRead(let file): "\(file): cannot be read (no such file or folder, or no permission)"
    case .idList(let file, let problem):
      "\(file ?? "standard input"): "
        + {
          switch problem {
          case .unreadable: "cannot read the list of ids"
          case .tooMany(let most): "more than \(most) ids; split the list"
          case .lineTooLong: "a line is longer than 4 KiB: not a list of ids"
          case .empty: "no ids"
          }
        }()
    case .reportNotWritten(let out): "\(out ?? "standard output"): cannot write the report"
    case .noSuchPlace(let text): "no province or commune, today's or former, is called '\(text)'"
    case .notInVietnam(let latitude, let longitude):
      "\(latitude), \(longitude) is not in Vietnam (nor within 2 km of its boundaries)"
    case .stopping: "stopping after the files under way (Ctrl-C again to stop at once)"
    case .bankIdentity(let path, let province, let national, let name, let keyId):
      """
      Bank at \(path)
        province  \(national ? "(national bank)" : province ?? "(not set)")
        name      \(name ?? "(not set)")
        key       \(keyId)
      """
    case .keyShown(let keyId, let publicKey, let path):
      """
      Key id:     \(keyId)
      Public key: \(publicKey)
      File:       \(path)
      """
    case .keyRotated(let bank, let old, let new): "Rotated the key of bank \(bank): \(old) → \(new)"
    case .rotationNext(let national):
      national
        ? "Give the provinces the new keys/bank.pub: `trust remove --bank national`, then `trust add`."
        : "The next bundle carries the rotation; the national bank switches keys when it receives it."
    case .tagWould(let remove, let assets, let changes):
      "Would \(remove ? "untag" : "tag") \(count(assets, "asset")): \(count(changes, "change"))."
    case .taggedAsset(let remove, let id): "\(remove ? "untagged" : "tagged") \(id)"
    case .tagged(let remove, let assets, let changes):
      "\(remove ? "Untagged" : "Tagged") \(count(assets, "asset")): \(count(changes, "change"))."
    case .retractedAsset(let id): "retracted \(id)"
    case .alreadyRetracted(let id, let since, let reason): "\(id) is already retracted (since \(since): \(reason))"
    case .unretractedAsset(let id, let since, let reason): "unretracted \(id) (retracted since \(since): \(reason))"
    case .notRetracted(let id): "\(id) is not retracted"
    case .edited(let id): "edited \(id)"
    case .nothingChanged: "Nothing changed: the values were already these."
    case .changesRecorded(let changes): "\(count(changes, "change")) recorded."
    case .noChangeSinceAdded: "No change was made to it since it was added."
    case .removedValue(let value): "\(value) removed"
    case .inBatch(let batch): "[batch \(batch)]"
    case .deletedAsset(let dryRun, let line, let destinations):
      "\(dryRun ? "would delete" : "deleted") \(line)"
        + (destinations.map { "; the next bundle to \($0) \(dryRun ? "would tell" : "tells") of it" } ?? "")
    case .deleted(let dryRun, let assets, let objects, let freed):
      dryRun
        ? "Would delete \(count(assets, "asset")) and remove \(count(objects, "object")) from the store."
        : "Deleted \(count(assets, "asset")); \(count(objects, "object")) removed from the store "
          + "(\(freed) of content freed)."
    case .catalogProblem(let problem): "catalog: \(problem)"
    case .moreCatalogProblems(let more): "catalog: … and \(more) more problems"
    case .unreferenced(let id):
      "\(id): unreferenced (no asset names it: left by an interrupted add or receive, or retracted; harmless)"
    case .checked(let objects, let problems):
      "Checked \(count(objects, "object")): \(objects - problems) intact, \(problems) with problems."
    case .catalogIntact: "Catalog: intact (integrity and foreign keys checked)."
    case .catalogProblems(let problems): "Catalog: \(count(problems, "problem"))."
    case .noAssetMatches: "No asset matches."
    case .showing(let shown, let total, let exact):
      "showing \(shown) of \(exact ? "" : "at least ")\(total); --limit N for more"
    case .sentByBanks(let id, let banks, let codes):
      "\(id): sent by \(banks) banks (\(codes)); --source-bank CODE shows one\n"
    case .recentChanges(let changes, let id):
      "  changes           \(count(changes, "change")) (mediabank history \(id))"
    case .batchLine(
      let id, let started, let state, let added, let held, let unchanged, let skipped, let failed, let root):
      "\(id)  \(started)  \(state.english)  added \(added), already held \(held), "
        + "unchanged \(unchanged), skipped \(skipped), failed \(failed)  \(root)"
    case .batchTitle(let id, let root): "batch \(id)  \(root)"
    case .notFinished: "no (interrupted, or still running)"
    case .removedAsset(let dryRun, let id): "\(dryRun ? "would remove" : "removed") \(id)"
    case .keptAsset(let dryRun, let id):
      "\(dryRun ? "would keep" : "kept") \(id) (also brought by another import or add)"
    case .undid(let dryRun, let batch, let removed, let kept, let tags, let objects):
      "\(dryRun ? "Would undo" : "Undid") batch \(batch): \(count(removed, "asset")) removed, "
        + "\(count(kept, "asset")) kept, \(count(tags, "tag")) taken back"
        + (dryRun ? "." : ", \(count(objects, "object")) removed from the store.")
    case .backedUp(let national, let province, let path, let assets, let contributions, let objects, let bytes):
      (["Backed up \(Self.bankEnglish(national, province)) to \(path)", "  assets         \(assets)"]
        + (contributions.map { ["  contributions  \($0)"] } ?? []) + [
          "  objects        \(objects) (\(count(bytes, "byte")))",
          "It holds the bank's private key: keep it as safe as the bank.",
        ]).joined(separator: "\n")
    case .restored(let national, let province, let bank, let backedUpAt, let assets, let contributions, let objects):
      ([
        "Restored \(Self.bankEnglish(national, province)) to \(bank) (backup of \(backedUpAt))",
        "  assets         \(assets)",
      ] + (contributions.map { ["  contributions  \($0)"] } ?? []) + [
        "  objects        \(objects), each checked against the manifest"
      ]).joined(separator: "\n")
    case .nothingToExport(let destination):
      "Nothing to export to \(destination): every change is in a bundle already."
    case .wroteBundle(let bundle, let kind, let group, let path):
      "Wrote \(bundle) (\(kind)\(group.map { ", group \($0)" } ?? "")) to \(path)"
    case .bundleCounts(let records, let retractions, let deletions, let objects, let size):
      "  \(count(records, "record")), \(count(retractions, "retraction")), "
        + "\(count(deletions, "deletion")), \(count(objects, "object")) (\(size))"
    case .bundleIntact(let bundle, let signedBy): "\(bundle): intact, signed by \(signedBy)"
    case .keyRotation(let rotation): "  key rotation: \(rotation)"
    case .bundleRoute(let source, let destination, let sequence, let kind, let format):
      "  from \(source) to \(destination), bundle \(sequence) (\(kind), format \(format))"
    case .bundleContents(let records, let objects, let size):
      "  \(count(records, "record")), \(count(objects, "object")), \(size)"
    case .wouldReject(let id, let revision, let reason): "  receive would reject \(id) revision \(revision): \(reason)"
    case .alreadyReceived(let bundle, let source, let at):
      "\(bundle) from \(source) was already received on \(at); nothing applied again"
    case .received(let bundle, let source, let accepted, let rejected, let unchanged, let newObjects):
      "Received \(bundle) from \(source): \(count(accepted, "record")) accepted, \(rejected) rejected"
        + (unchanged > 0 ? ", \(unchanged) unchanged" : "") + ", \(count(newObjects, "new object"))"
    case .deletionsReceived(let deletions, let purged):
      "  \(count(deletions, "deletion")): the records removed, "
        + "\(count(purged, "object")) no other record needs removed from the store"
    case .rejectedRecord(let id, let reason): "  rejected \(id): \(reason)"
    case .moreRejected(let more): "  … and \(more) more rejected: the receipt lists them all"
    case .receiptPath(let path): "Receipt: \(path)"
    case .receiptNotWritten(let applied, let reason, let source, let sequence):
      "bundle \(applied ? "applied" : "already received"); receipt not written: "
        + "\(reason ?? "unknown error"); mediabank receipt export \(source) \(sequence) --out PATH"
    case .receiptApplied(let bundle, let destination, let accepted, let rejected, let unchanged, let held):
      "Applied the receipt for \(bundle) from \(destination): \(count(accepted, "record")) accepted, \(rejected) rejected, "
        + (unchanged > 0 ? "\(unchanged) unchanged, " : "") + "\(count(held, "object")) held"
    case .syncTo(let destination, let bundles, let last, let at):
      "To \(destination): \(count(bundles, "bundle"))" + (last.map { ", last \($0) on \(at ?? "?")" } ?? "")
    case .pendingRecords(let records, let deletions):
      "  pending: \(count(records, "record")) not yet in a bundle"
        + (deletions > 0 ? " (\(count(deletions, "deletion")))" : "")
    case .awaitingReceipt(let bundles):
      "  awaiting a receipt: " + (bundles.isEmpty ? "none" : bundles.joined(separator: ", "))
    case .heldThere(let objects): "  held there: \(count(objects, "object"))"
    case .syncFrom(let source, let bundles, let last, let at, let assets):
      "From \(source): \(count(bundles, "bundle"))" + (last.map { ", last \($0) on \(at ?? "?")" } ?? "")
        + ", \(count(assets, "asset"))"
    case .noBundles: "No bundles exported or received."
    case .trustedKey(let bank, let keyId): "trusted \(bank) \(keyId)"
    case .untrustedKey(let bank, let keyId): "no longer trusted: \(bank) \(keyId)"
    case .noTrustedBanks: "No trusted banks (`mediabank trust add --bank CODE --public-key FILE`)."
    case .rotatedFrom(let keyId, let at, let bundle):
      "          rotated from \(keyId) on \(at)" + (bundle.map { " (carried by \($0))" } ?? "")
    case .since(let date): "since \(date)"
    case .ambiguousPlace(let text, let candidates): "\(text) is ambiguous; \(candidates) candidates:"
    case .nearestOutside(let meters): " (nearest, \(meters) m outside its boundary)"
    case .pillarVocabulary(let version, let national, let local):
      "Image pillars: vocabulary \(version), \(national) national pillars" + (local > 0 ? ", \(local) local" : "")
    case .issuedBy(let issuer): "Issued by: \(issuer)"
    case .loadedAt(let date): date.map { "Loaded into this bank: \($0)" } ?? "Shipped with mediabank"
    case .retiredNote: " — retired"
    case .noPillar(let text): "\(text): no pillar"
    case .suggests(let text): "\(text): suggests"
    case .pillarHint(let code, let label, let hits, let hint):
      "  \(code)\(label): \(count(hits, "hit")), first \"\(hint)\""
    case .vocabularyUpdated(let from, let to): "Pillar vocabulary \(from) → \(to)"
    case .pillarsAdded(let codes): "  added: " + (codes.isEmpty ? "none" : codes.joined(separator: ", "))
    case .pillarRetired(let code, let assets):
      "  retired: "
        + (code.map { "\($0) (\(assets == 1 ? "1 asset keeps" : "\(assets) assets keep") it)" } ?? "none")
    case .localPillarAdded(let code, let vi, let en, let parent): "added \(code) \(vi) (\(en)) under \(parent)"
    case .nothingToReview: "nothing to review"
    case .reviewSummary(let suggestions, let assets, let folders):
      "\n\(count(suggestions, "suggestion")) for \(count(assets, "asset")) in " + count(folders, "folder")
    case .decided(let accept, let decided):
      "\(accept ? "accepted" : "rejected") \(decided) suggestion\(decided == 1 ? "" : "s")"
    case .passwordPrompt(let name): "password for \(name): "
    case .passwordAgain: "again: "
    case .userAdded(let name, let role): "added \(name) (\(role))"
    case .noAccount: "no account (add one with `mediabank user add NAME --role admin`)"
    case .newPassword(let name): "new password for \(name)"
    case .roleNow(let name, let role): "\(name) is now \(role)"
    case .userRemoved(let name): "removed \(name)"
    case .tokenMade(let id, let name, let user):
      "token \(id) '\(name)' for \(user): keep it now; it is not shown again"
    case .noToken: "no token (make one with `mediabank token create --user NAME --name LABEL`)"
    case .tokenRevoked(let id): "revoked token \(id)"
    case .remoteAdded(let name, let url, let keyId): "remote \(name) at \(url) (key \(keyId))"
    case .remoteLine(let name, let url, let keyId): "\(name)  \(url)  key \(keyId ?? "not trusted")"
    case .noRemote: "no remote (add one with `mediabank remote add national URL --key FILE`)"
    case .remoteRemoved(let name): "removed remote \(name)"
    case .bundleSent(let bundle, let remote, let sent, let accepted, let refused):
      "\(bundle) → \(remote): " + (sent.map { "sent \($0)" } ?? "received before")
        + ", \(accepted) records accepted"
        + (refused > 0 ? ", \(refused) refused (`mediabank sync-status` says why)" : "")
    case .resynchronised(let remote):
      "\(remote) expected a later bundle than this bank had made (restored from a backup?): sent a full one"
    }
  }

  /// The bank a backup holds, in English: `the national bank`, `bank 19`.
  private static func bankEnglish(_ national: Bool, _ province: String?) -> String {
    national ? "the national bank" : "bank \(province ?? "(no province)")"
  }

  /// The bank a backup holds, in Vietnamese: `kho quốc gia`, `kho 19`.
  private static func bankVietnamese(_ national: Bool, _ province: String?) -> String {
    national ? "kho quốc gia" : "kho \(province ?? "(chưa có tỉnh)")"
  }
}

/// `1 asset`, `0 assets`: a count with an English noun (Vietnamese nouns do not change).
private func count(_ number: Int, _ singular: String) -> String {
  "\(number) \(number == 1 ? singular : singular + "s")"
}

/// The kind of a failure, as the command line states it in Vietnamese before the library's
/// English detail: one for each code of `MediaBankError` (the command line maps them).
public enum ErrorKind: CaseIterable, Sendable {
  /// The codes of the same names (`io` is any `io(errno:)`, `refused` any refusal).
  case notFound, ambiguous, invalidInput, alreadyExists, conflict, busy, diskFull, permissionDenied, io
  /// The codes of the same names.
  case newerCatalog, refused, damaged, unavailable, `internal`

  /// The kind in Vietnamese: `không tìm thấy`.
  public var vietnamese: String {
    switch self {
    case .notFound: "không tìm thấy"
    case .ambiguous: "chưa rõ là cái nào (khớp nhiều mục)"
    case .invalidInput: "giá trị không hợp lệ"
    case .alreadyExists: "đã tồn tại"
    case .conflict: "xung đột với tình trạng của kho"
    case .busy: "kho đang bận, hãy chạy lại"
    case .diskFull: "đầy ổ đĩa"
    case .permissionDenied: "không có quyền truy cập"
    case .io: "lỗi đọc ghi"
    case .newerCatalog: "cần phiên bản mediabank mới hơn"
    case .refused: "bị từ chối"
    case .damaged: "dữ liệu bị hỏng"
    case .unavailable: "thiếu chương trình cần thiết"
    case .internal: "lỗi của chính MediaBank"
    }
  }
}

/// Why a list of ids (`--ids-from`) cannot be used.
public enum IDListProblem: Sendable, Equatable {
  /// The file cannot be opened.
  case unreadable
  /// More ids than the command takes at once.
  case tooMany(Int)
  /// A line longer than 4 KiB: not a list of ids.
  case lineTooLong
  /// No id at all.
  case empty
}

/// The state of an import batch in `batches`.
public enum BatchState: Sendable {
  /// The import ran to its end.
  case finished
  /// The import stopped before its end (Ctrl-C, a crash), or is still running.
  case interrupted
  /// `batches undo` took it back.
  case undone

  var english: String {
    switch self {
    case .finished: "finished"
    case .interrupted: "interrupted"
    case .undone: "undone"
    }
  }

  var vietnamese: String {
    switch self {
    case .finished: "đã xong"
    case .interrupted: "bị ngắt"
    case .undone: "đã hoàn tác"
    }
  }
}
