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
}
