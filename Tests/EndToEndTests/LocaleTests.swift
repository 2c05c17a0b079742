import Foundation
import Testing

/// The command line speaks Vietnamese under a Vietnamese locale, with the words of the web pages.
@Suite struct LocaleTests {
  @Test("under LANG=vi_VN.UTF-8, import, add and errors speak Vietnamese; under LC_ALL=C.UTF-8, English")
  func vietnamese() throws {
    let scratch = try ScratchDirectory()
    let vi = CLI(environment: ["LANG": "vi_VN.UTF-8"])
    let bank = scratch.appending("bank")
    try #require(try vi("init", "--bank", bank, "--province", "19").status == 0)
    let folder = scratch.appending("ảnh")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: CLI.photo("orientation-1.jpg"), toPath: folder + "/a.jpg")
    try Data("not a photo".utf8).write(to: URL(fileURLWithPath: folder + "/giả.jpg"))
    let imported = try vi("import", folder, "--bank", bank)
    #expect(imported.status == 1, "one file failed: \(imported.stderr)")
    #expect(imported.stdout.contains("Đã nhập \(folder) thành đợt 1 trong "), "\(imported.stdout)")
    #expect(imported.stdout.contains("  đã thêm       1 (đã đọc "), "\(imported.stdout)")
    #expect(imported.stdout.contains("  lỗi           1"), "\(imported.stdout)")
    let again = try vi("add", CLI.photo("orientation-1.jpg"), scratch.appending("none.jpg"), "--bank", bank)
    #expect(again.stdout.hasPrefix("đã có  sha256:"), "\(again.stdout)")
    #expect(again.stderr.contains("mediabank: 1 trong 2 tệp bị lỗi"), "\(again.stderr)")
    // LC_ALL wins over LANG, as POSIX says.
    let english = try CLI(environment: ["LANG": "vi_VN.UTF-8", "LC_ALL": "C.UTF-8"])(
      "import", folder, "--bank", bank)
    #expect(english.stdout.contains("Imported \(folder) (nothing new: no batch recorded)"), "\(english.stdout)")
    #expect(english.stdout.contains("  unchanged     1 (imported before, not read again)"), "\(english.stdout)")
    let unknown = try vi("show", "ffff", "--bank", bank)
    #expect(unknown.stderr.hasPrefix("mediabank: lỗi: "), "\(unknown.stderr)")
  }

  /// The language of a run: the locale given, and the text expected in it.
  enum Language: String, CustomTestStringConvertible {
    case vi, en

    var testDescription: String { self == .vi ? "LANG=vi_VN.UTF-8" : "no locale" }
    var cli: CLI { CLI(environment: self == .vi ? ["LANG": "vi_VN.UTF-8"] : [:]) }
    func text(_ vietnamese: String, _ english: String) -> String { self == .vi ? vietnamese : english }
  }

  @Test(
    "the results of init, add, tag, edit, retract, verify, list and export are in the locale's language",
    arguments: [Language.vi, .en])
  func commands(_ language: Language) throws {
    let scratch = try ScratchDirectory()
    let cli = language.cli
    let say = language.text
    let bank = scratch.appending("bank")
    let made = try cli("init", "--bank", bank, "--province", "19", "--name", "Sở Văn hóa")
    #expect(made.status == 0, "\(made.stderr)")
    let lines = made.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    try #require(lines.count == 5, "\(made.stdout)")
    #expect(lines[0] == say("Kho tại \(bank)", "Bank at \(bank)"))
    #expect(lines[1] == say("  tỉnh      19", "  province  19"))
    #expect(lines[2] == say("  tên       Sở Văn hóa", "  name      Sở Văn hóa"))
    #expect(lines[3].hasPrefix(say("  khóa      ", "  key       ")), "\(lines[3])")

    let quiet = try cli("export", "--out", scratch.appending("usb"), "--bank", bank)
    #expect(quiet.status == 0, "\(quiet.stderr)")
    #expect(
      quiet.stdout
        == say(
          "Không có gì để xuất cho national: mọi thay đổi đều đã nằm trong một gói đồng bộ.\n",
          "Nothing to export to national: every change is in a bundle already.\n"))

    let added = try cli("add", CLI.photo("orientation-1.jpg"), "--bank", bank)
    #expect(added.status == 0, "\(added.stderr)")
    let id = try #require(added.stdout.split(separator: " ").first { $0.hasPrefix("sha256:") }.map(String.init))
    #expect(added.stdout.hasPrefix(say("đã thêm \(id)  ", "added  \(id)  ")), "\(added.stdout)")

    let tagged = try cli("tag", id, "--pillar", "tourism-landscape", "--bank", bank)
    #expect(tagged.status == 0, "\(tagged.stderr)")
    #expect(
      tagged.stdout
        == say(
          "đã gắn thẻ \(id)\nĐã gắn thẻ cho 1 tư liệu: 1 thay đổi.\n", "tagged \(id)\nTagged 1 asset: 1 change.\n"))
    let untagged = try cli("tag", id, "--pillar", "tourism-landscape", "--remove", "--dry-run", "--bank", bank)
    #expect(
      untagged.stdout == say("Sẽ gỡ thẻ khỏi 1 tư liệu: 1 thay đổi.\n", "Would untag 1 asset: 1 change.\n"))

    let edited = try cli("edit", id, "--title", "Hồ Núi Cốc", "--lang", "vi", "--bank", bank)
    #expect(edited.status == 0, "\(edited.stderr)")
    #expect(edited.stdout == say("đã sửa \(id)\nĐã ghi nhận 1 thay đổi.\n", "edited \(id)\n1 change recorded.\n"))
    let again = try cli("edit", id, "--title", "Hồ Núi Cốc", "--lang", "vi", "--bank", bank)
    #expect(
      again.stdout
        == say(
          "đã sửa \(id)\nKhông có gì thay đổi: các giá trị vốn đã như vậy.\n",
          "edited \(id)\nNothing changed: the values were already these.\n"))

    let retracted = try cli("retract", id, "--reason", "ảnh trùng", "--bank", bank)
    #expect(retracted.status == 0, "\(retracted.stderr)")
    #expect(retracted.stdout == say("đã rút lại \(id)\n", "retracted \(id)\n"))
    let twice = try cli("retract", id, "--reason", "lần hai", "--bank", bank)
    #expect(
      twice.stdout.hasPrefix(say("\(id) đã được rút lại trước đó (từ ", "\(id) is already retracted (since ")),
      "\(twice.stdout)")
    #expect(twice.stdout.hasSuffix(": ảnh trùng)\n"), "\(twice.stdout)")

    let verified = try cli("verify", "--bank", bank)
    #expect(verified.status == 0, "\(verified.stderr)")
    #expect(
      verified.stdout
        == say(
          "Đã kiểm tra 2 đối tượng: 2 nguyên vẹn, 0 có lỗi.\n"
            + "Danh mục: nguyên vẹn (đã kiểm tra tính toàn vẹn và khóa ngoại).\n",
          "Checked 2 objects: 2 intact, 0 with problems.\nCatalog: intact (integrity and foreign keys checked).\n"))

    let listed = try cli("list", "--bank", bank)
    #expect(listed.stdout.hasSuffix(say("  [đã rút lại]\n", "  [retracted]\n")), "\(listed.stdout)")
    let none = try cli("list", "--kind", "video", "--bank", bank)
    #expect(none.status == 1)
    #expect(none.stdout == say("Không có tư liệu nào phù hợp.\n", "No asset matches.\n"))
    // Machine formats are the same in every locale.
    let ids = try cli("list", "--ids", "--bank", bank)
    #expect(ids.stdout == "\(id)\n")
  }

  @Test("accounts and tokens are reported in the locale's language", arguments: [Language.vi, .en])
  func accounts(_ language: Language) throws {
    let scratch = try ScratchDirectory()
    let cli = language.cli
    let say = language.text
    let bank = scratch.appending("bank")
    try #require(try cli("init", "--bank", bank, "--province", "19").status == 0)
    let none = try cli("user", "list", "--bank", bank)
    #expect(
      none.stdout
        == say(
          "chưa có tài khoản nào (thêm bằng `mediabank user add TÊN --role admin`)\n",
          "no account (add one with `mediabank user add NAME --role admin`)\n"))
    let added = try cli.run(
      ["user", "add", "lan", "--role", "admin", "--password-stdin", "--bank", bank], input: "mật khẩu rất dài\n")
    #expect(added.status == 0, "\(added.stderr)")
    #expect(added.stdout == say("đã thêm lan (admin)\n", "added lan (admin)\n"))
    let listed = try cli("user", "list", "--bank", bank)
    #expect(listed.stdout.hasPrefix("lan               admin    " + say("từ ", "since ")), "\(listed.stdout)")

    let token = try cli("token", "create", "--user", "lan", "--name", "ci", "--bank", bank)
    #expect(token.status == 0, "\(token.stderr)")
    #expect(!token.stdout.isEmpty && !token.stdout.contains(" "), "the secret alone: \(token.stdout)")
    #expect(
      token.stderr
        == say(
          "mediabank: mã truy cập 1 'ci' cho lan: hãy lưu lại ngay; mã này sẽ không hiện lại\n",
          "mediabank: token 1 'ci' for lan: keep it now; it is not shown again\n"))
    let revoked = try cli("token", "revoke", "1", "--bank", bank)
    #expect(revoked.status == 0, "\(revoked.stderr)")
    #expect(revoked.stdout == say("đã thu hồi mã truy cập 1\n", "revoked token 1\n"))
    let tokens = try cli("token", "list", "--bank", bank)
    #expect(
      tokens.stdout
        == say(
          "chưa có mã truy cập nào (tạo bằng `mediabank token create --user TÊN --name NHÃN`)\n",
          "no token (make one with `mediabank token create --user NAME --name LABEL`)\n"))
  }

  @Test("remotes and what sync sent are reported in the locale's language", arguments: [Language.vi, .en])
  func remotes(_ language: Language) throws {
    let scratch = try ScratchDirectory()
    let cli = language.cli
    let say = language.text
    let (bank, national) = (scratch.appending("bank"), scratch.appending("national"))
    try #require(try cli("init", "--bank", bank, "--province", "19").status == 0)
    try #require(try cli("init", "--bank", national, "--national").status == 0)
    #expect(
      try cli("remote", "--bank", bank).stdout
        == say(
          "chưa có kho nhận nào (thêm bằng `mediabank remote add national URL --key TỆP`)\n",
          "no remote (add one with `mediabank remote add national URL --key FILE`)\n"))
    let trust = try cli(
      "trust", "add", "--bank", "19", "--public-key", bank + "/keys/bank.pub", "--bank-path", national)
    try #require(trust.status == 0)
    let server = try RunningServer(bank: national)
    let added = try cli("remote", "add", "national", server.base, "--key", national + "/keys/bank.pub", "--bank", bank)
    let key = try #require(added.stdout.split(separator: "(").last?.dropLast(2).split(separator: " ").last)
    #expect(
      added.stdout
        == say(
          "kho nhận national tại \(server.base) (khóa \(key))\n", "remote national at \(server.base) (key \(key))\n"))
    try #require(try cli("add", CLI.photo("orientation-1.jpg"), "--bank", bank).status == 0)
    let synced = try cli("sync", "--bank", bank)
    #expect(synced.status == 0, "\(synced.stderr)")
    #expect(
      synced.stdout.hasPrefix(say("mediabank-19-000001 → national: đã gửi ", "mediabank-19-000001 → national: sent "))
        && synced.stdout.hasSuffix(say(", 1 bản ghi được chấp nhận\n", ", 1 records accepted\n")), "\(synced.stdout)")
  }

  @Test(
    "an error line states the kind of failure in Vietnamese before the library's English detail",
    arguments: [Language.vi, .en])
  func errors(_ language: Language) throws {
    let scratch = try ScratchDirectory()
    let cli = language.cli
    let say = language.text
    let bank = scratch.appending("bank")
    try #require(try cli("init", "--bank", bank, "--province", "19").status == 0)

    // The detail is the library's, in English, in both.
    let english = try CLI()("show", "sha256:ffff", "--bank", bank).stderr
    let detail = try #require(english.split(separator: "mediabank: error: ").first.map(String.init))
    #expect(english == "mediabank: error: \(detail)")
    let unknown = try cli("show", "sha256:ffff", "--bank", bank)
    #expect(unknown.status == 2)
    #expect(unknown.stderr == say("mediabank: lỗi: không tìm thấy — ", "mediabank: error: ") + detail)

    let province = try cli("init", "--bank", bank, "--province", "20")
    #expect(province.status == 2)
    #expect(
      province.stderr.hasPrefix(say("mediabank: lỗi: xung đột với tình trạng của kho — ", "mediabank: error: ")),
      "\(province.stderr)")

    let input = "0123456789\n"
    try #require(
      try cli.run(["user", "add", "lan", "--role", "viewer", "--password-stdin", "--bank", bank], input: input).status
        == 0)
    let twice = try cli.run(
      ["user", "add", "lan", "--role", "viewer", "--password-stdin", "--bank", bank], input: input)
    #expect(twice.status == 2)
    #expect(
      twice.stderr.hasPrefix(say("mediabank: lỗi: đã tồn tại — ", "mediabank: error: ")), "\(twice.stderr)")

    // A file add cannot take: its name, then the kind of failure.
    let missing = scratch.appending("không có.jpg")
    let add = try cli("add", missing, "--bank", bank)
    #expect(add.status == 1)
    #expect(
      add.stderr.hasPrefix(say("mediabank: \(missing): không tìm thấy — ", "mediabank: \(missing): ")),
      "\(add.stderr)")
  }
}
