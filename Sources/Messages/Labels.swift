/// The languages MediaBank speaks: Vietnamese first, English second.
public enum UILanguage: String, CaseIterable, Sendable {
  case vi, en

  /// The language of the command line: Vietnamese when the locale of messages is Vietnamese
  /// (`LC_ALL`, else `LC_MESSAGES`, else `LANG`, as POSIX orders them: `vi_VN.UTF-8`, `vi`),
  /// else English.
  public static func ofLocale(_ environment: [String: String]) -> UILanguage {
    let locale = [environment["LC_ALL"], environment["LC_MESSAGES"], environment["LANG"]]
      .compactMap { $0 }.first { !$0.isEmpty }
    guard let locale, locale.hasPrefix("vi") else { return .en }
    return locale.count == 2 || ["_", ".", "@", "-"].contains(locale.dropFirst(2).first.map(String.init)) ? .vi : .en
  }
}

/// Every label the web library and the command line show, in each of its languages. The switch of `pair` is
/// exhaustive, so a label cannot be added without both of its translations.
public enum Label: CaseIterable, Sendable {
  case appName, library, signIn, signOut, name, password, wrongPassword, tooManyAttempts, search, searchPlaceholder
  case allKinds, photo, video, story, pillar, language, locality, anyValue, apply, newestFirst, oldestFirst
  case capturedNewestFirst, capturedOldestFirst
  case next, noAsset, assets, download, kind, mediaType, size, dimensions, captured, added, title, description
  case keywords, pillars, languages, provenance, suggested, confirmed, source, retracted, damaged, notFound
  case forbidden, signedInAs, role, switchLanguage, results, back
  case editTexts, textLanguage, save, addKeywords, addTags, addTag, accept, reject
  case upload, uploadHint, chooseFiles, chooseFolder, tagsForAll, uploadAdded, held, failed, waiting
  case dashboard, year, held_, addedInYear, capturedInYear, retractedTotal, deletedTotal, unconfirmed
  case damagedTotal, kinds, captureYears, provinces, gaps, gapsHint, recentImports, downloadReport, none
  case captureYear, state, notRetracted, bulkHint, retract, reason, delete, review, reviewHint, acceptAll, rejectAll
  case communeMap, recentlyAdded, syncStatus, noSync, destination, lastBundle, awaitingReceipt, pendingRecords
  case addedCount, wouldImportCount, alreadyHeld, updatedCount, unchangedCount, skippedCount, failedCount
  case creator, credit, camera, position, overridden, history, when, who, change, before, after
  case unfinishedCount, exists, sourceBank, folder, selectAll, noSuggestion, whySuggested, everySuggestionFrom, value,
    asset, changed, translations, translationOf, cannotPlay, textCut
  case operatorName, started, finished, options, undone
  case nationalDashboard, distinctAssets, provincesSending, silentInYear, quietFor, provinceMap, pillarByProvince
  case monthlyTrend, bundles, daysAgo, neverSent, wholeCountry, records, recordsReceived, silentHint
  case eachProvinceRecord, received

  /// The label in Vietnamese and in English.
  public var pair: (vi: String, en: String) {
    switch self {
    case .appName: ("Ngân hàng tư liệu", "MediaBank")
    case .library: ("Thư viện", "Library")
    case .signIn: ("Đăng nhập", "Sign in")
    case .signOut: ("Đăng xuất", "Sign out")
    case .name: ("Tên đăng nhập", "Name")
    case .password: ("Mật khẩu", "Password")
    case .wrongPassword: ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong name or password.")
    case .tooManyAttempts:
      ("Quá nhiều lần đăng nhập sai. Hãy thử lại sau 15 phút.", "Too many failed sign-ins. Try again in 15 minutes.")
    case .search: ("Tìm", "Search")
    case .searchPlaceholder: ("Tìm theo tiêu đề, mô tả, từ khóa (không cần dấu)", "Titles, descriptions, keywords")
    case .allKinds: ("Mọi loại", "All kinds")
    case .photo: ("Ảnh", "Photos")
    case .video: ("Video", "Videos")
    case .story: ("Bài viết", "Stories")
    case .pillar: ("Trụ cột hình ảnh", "Image pillar")
    case .language: ("Ngôn ngữ", "Language")
    case .locality: ("Địa phương", "Locality")
    case .anyValue: ("(tất cả)", "(any)")
    case .apply: ("Lọc", "Filter")
    case .newestFirst: ("Mới thêm gần nhất trước", "Newest added first")
    case .oldestFirst: ("Thêm lâu nhất trước", "Oldest added first")
    case .capturedNewestFirst: ("Chụp gần nhất trước", "Newest captured first")
    case .capturedOldestFirst: ("Chụp lâu nhất trước", "Oldest captured first")
    case .next: ("Trang sau", "Next page")
    case .noAsset: ("Không có tư liệu nào.", "No asset.")
    case .assets: ("tư liệu", "assets")
    case .download: ("Tải bản gốc", "Download the original")
    case .kind: ("Loại", "Kind")
    case .mediaType: ("Định dạng", "Media type")
    case .size: ("Dung lượng", "Size")
    case .dimensions: ("Kích thước", "Dimensions")
    case .captured: ("Thời điểm chụp", "Captured")
    case .added: ("Ngày nhập", "Added")
    case .title: ("Tiêu đề", "Title")
    case .description: ("Mô tả", "Description")
    case .keywords: ("Từ khóa", "Keywords")
    case .pillars: ("Trụ cột", "Pillars")
    case .languages: ("Ngôn ngữ", "Languages")
    case .provenance: ("Nguồn gốc", "Provenance")
    case .suggested: ("gợi ý", "suggested")
    case .confirmed: ("đã xác nhận", "confirmed")
    case .source: ("nguồn", "source")
    case .retracted: ("đã rút lại", "retracted")
    case .damaged: ("tệp hỏng", "damaged")
    case .notFound: ("Không tìm thấy.", "Not found.")
    case .forbidden: ("Bạn không có quyền làm việc này.", "You may not do this.")
    case .signedInAs: ("Đăng nhập với tên", "Signed in as")
    case .role: ("vai trò", "role")
    case .switchLanguage: ("English", "Tiếng Việt")
    case .results: ("kết quả", "results")
    case .back: ("Quay lại thư viện", "Back to the library")
    case .editTexts: ("Sửa thông tin", "Edit")
    case .textLanguage: ("Ngôn ngữ của tiêu đề và mô tả", "Language of the title and description")
    case .save: ("Lưu", "Save")
    case .addKeywords: ("Thêm từ khóa (cách nhau bởi dấu phẩy)", "Add keywords (separated by commas)")
    case .addTags: ("Gắn thẻ", "Tags")
    case .addTag: ("Gắn", "Add")
    case .accept: ("Chấp nhận", "Accept")
    case .reject: ("Bỏ", "Reject")
    case .upload: ("Tải lên", "Upload")
    case .uploadHint:
      ("Kéo thả tệp hoặc thư mục vào đây, hoặc chọn bên dưới.", "Drop files or folders here, or choose them below.")
    case .chooseFiles: ("Chọn tệp", "Choose files")
    case .chooseFolder: ("Chọn thư mục", "Choose a folder")
    case .tagsForAll: ("Gắn cho mọi tệp", "Tags for every file")
    case .uploadAdded: ("đã thêm", "added")
    case .held: ("đã có trong kho", "already held")
    case .failed: ("lỗi", "failed")
    case .waiting: ("đang chờ", "waiting")
    case .dashboard: ("Tổng quan", "Dashboard")
    case .year: ("Năm", "Year")
    case .held_: ("Đang lưu giữ cuối năm", "Held at year end")
    case .addedInYear: ("Bổ sung trong năm", "Added during the year")
    case .capturedInYear: ("Chụp/ghi trong năm", "Captured during the year")
    case .retractedTotal: ("Đã rút lại", "Retracted")
    case .deletedTotal: ("Đã xóa", "Deleted")
    case .unconfirmed: ("Chỉ có gợi ý, chưa xác nhận", "Only suggestions, not confirmed")
    case .damagedTotal: ("Tệp hỏng", "Damaged files")
    case .kinds: ("Theo loại", "By kind")
    case .captureYears: ("Theo năm chụp", "By year of capture")
    case .provinces: ("Theo tỉnh", "By province")
    case .gaps: ("Trụ cột × ngôn ngữ", "Pillar × language")
    case .gapsHint: ("Ô đỏ: chưa có tư liệu nào.", "Red cells: no asset yet.")
    case .recentImports: ("Các đợt nhập gần đây", "Recent imports")
    case .downloadReport: ("Tải báo cáo", "Download the report")
    case .none: ("không có", "none")
    case .captureYear: ("Năm chụp/ghi", "Year of capture")
    case .state: ("Tình trạng", "State")
    case .notRetracted: ("đang chia sẻ", "shared")
    case .bulkHint: ("Đánh dấu tư liệu trong lưới, rồi:", "Tick assets in the grid, then:")
    case .retract: ("Rút lại", "Retract")
    case .reason: ("Lý do", "Reason")
    case .delete: ("Xóa hẳn", "Delete")
    case .review: ("Duyệt gợi ý", "Review")
    case .reviewHint:
      (
        "Các thẻ được gợi ý từ tên thư mục, nội dung hoặc tỉnh của kho, theo thư mục nguồn.",
        "Tags suggested by folder names, texts or the bank's province, by the folder they came from."
      )
    case .acceptAll: ("Chấp nhận tất cả", "Accept all")
    case .rejectAll: ("Bỏ tất cả", "Reject all")
    case .communeMap: ("Tư liệu theo xã, phường", "Assets by commune")
    case .recentlyAdded: ("Mới thêm gần đây", "Added lately")
    case .syncStatus: ("Đồng bộ", "Sync")
    case .noSync: ("Chưa gửi hay nhận gói đồng bộ nào.", "No bundle sent or received yet.")
    case .destination: ("Nơi nhận", "Destination")
    case .lastBundle: ("Gói gần nhất", "Last bundle")
    case .awaitingReceipt: ("Chờ biên nhận", "Awaiting receipt")
    case .pendingRecords: ("Chưa gửi", "Not sent yet")
    case .sourceBank: ("Kho gửi", "Sending bank")
    case .addedCount: ("đã thêm", "added")
    case .wouldImportCount: ("sẽ nhập", "would import")
    case .alreadyHeld: ("đã có", "already held")
    case .updatedCount: ("cập nhật", "updated")
    case .unchangedCount: ("không đổi", "unchanged")
    case .skippedCount: ("bỏ qua", "skipped")
    case .failedCount: ("lỗi", "failed")
    case .unfinishedCount: ("chưa xong", "unfinished")
    case .exists: ("đã có", "exists")
    case .creator: ("Tác giả", "Creator")
    case .credit: ("Nguồn cung cấp", "Credit")
    case .camera: ("Máy ảnh", "Camera")
    case .position: ("Vị trí GPS", "GPS position")
    case .overridden: ("Giá trị bị thay thế", "Overridden")
    case .history: ("Lịch sử thay đổi", "History")
    case .when: ("Thời điểm", "When")
    case .who: ("Người thực hiện", "Who")
    case .change: ("Thay đổi", "Change")
    case .before: ("Trước", "Before")
    case .after: ("Sau", "After")
    case .folder: ("Thư mục", "Folder")
    case .selectAll: ("Chọn tất cả", "Select all")
    case .noSuggestion: ("Không còn gợi ý nào chờ duyệt.", "No suggestion waits for review.")
    case .whySuggested: ("Lý do gợi ý", "Why")
    case .everySuggestionFrom: ("Mọi gợi ý từ nguồn", "Every suggestion from")
    case .value: ("Giá trị", "Value")
    case .asset: ("Tư liệu", "Asset")
    case .changed: ("Đã cập nhật", "Changed")
    case .translations: ("Bản dịch", "Translations")
    case .translationOf: ("Bản dịch của", "Translation of")
    case .cannotPlay:
      (
        "Trình duyệt không phát được định dạng video này; hãy tải bản gốc để xem.",
        "Browsers cannot play this video's format; download the original to watch it."
      )
    case .operatorName: ("người nhập", "operator")
    case .started: ("bắt đầu", "started")
    case .finished: ("kết thúc", "finished")
    case .options: ("tùy chọn", "options")
    case .undone: ("hoàn tác lúc", "undone")
    case .nationalDashboard: ("Tổng quan quốc gia", "National dashboard")
    case .distinctAssets: ("Tư liệu khác nhau", "Distinct assets")
    case .provincesSending: ("Tỉnh đã gửi", "Provinces contributing")
    case .silentInYear: ("Không gửi gì trong năm", "Sent nothing this year")
    case .quietFor: ("Không gửi gì trong 90 ngày", "Sent nothing for 90 days")
    case .provinceMap: ("Tư liệu theo tỉnh, thành phố", "Assets by province")
    case .pillarByProvince: ("Trụ cột × tỉnh", "Pillar × province")
    case .monthlyTrend: ("Đóng góp theo tháng", "Contributions by month")
    case .bundles: ("Gói", "Bundles")
    case .daysAgo: ("ngày trước", "days ago")
    case .neverSent: ("chưa từng gửi", "never sent")
    case .wholeCountry: ("Toàn quốc", "Whole country")
    case .records: ("bản ghi", "records")
    case .recordsReceived: ("Bản ghi nhận được (mới, sửa, rút lại)", "Records received (new, changed, retracted)")
    case .eachProvinceRecord: ("Bản ghi của từng tỉnh đã gửi", "Each sending province's record")
    case .received: ("Nhận lúc", "Received")
    case .silentHint:
      (
        "Tô vàng: không gửi gì trong năm; tô đỏ: không gửi gì trong 90 ngày.",
        "Yellow: sent nothing this year; red: sent nothing for 90 days."
      )
    case .textCut:
      (
        "Bài viết dài: chỉ hiện phần đầu; hãy tải bản gốc để đọc hết.",
        "A long story: only its beginning is shown; download the original to read it all."
      )
    }
  }

  /// The label in `language`.
  public func text(_ language: UILanguage) -> String {
    switch language {
    case .vi: pair.vi
    case .en: pair.en
    }
  }
}
