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
    }
  }
}
