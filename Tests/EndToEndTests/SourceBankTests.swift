import Foundation
import Testing

/// The national bank shows who sent what: two provinces send the same photo, each with its own
/// title, tags and locality, and `show`, `list` and `search` keep the two records apart.
@Suite struct SourceBankTests {
  let scratch: ScratchDirectory
  let national: String
  let cli = CLI()
  let photo = "sha256:b8119e0d3c4854b7384983f66c7920759050b96d6d8a317de4d4ad0dc309c414"

  init() throws {
    scratch = try ScratchDirectory()
    national = scratch.appending("national")
    #expect(try cli("init", "--bank", national, "--national").status == 0)
    let usb = scratch.appending("usb")
    // Thái Nguyên (19) and Tuyên Quang (08) send the same photo, described differently.
    let provinces = [
      ("19", ["--title", "Hồ Núi Cốc", "--lang", "vi", "--pillar", "tourism-landscape"]),
      ("08", ["--title", "Lake at dawn", "--lang", "en", "--locality", "08"]),
    ]
    for (code, options) in provinces {
      let bank = scratch.appending("province-\(code)")
      #expect(try cli("init", "--bank", bank, "--province", code).status == 0)
      #expect(
        try cli("trust", "add", "--bank", code, "--public-key", bank + "/keys/bank.pub", "--bank-path", national)
          .status == 0)
      #expect(try cli.run(["add", CLI.photo("nui-coc-vi-en.jpg"), "--bank", bank] + options).status == 0)
      #expect(try cli("export", "--out", usb, "--bank", bank).status == 0)
      let received = try cli("receive", usb + "/mediabank-\(code)-000001", "--bank", national)
      #expect(received.status == 0, "\(received.stderr)")
    }
  }

  @Test("show lists every province's record; --source-bank one of them; JSON is an array, or one record")
  func show() throws {
    let shown = try cli("show", String(photo.prefix(12)), "--bank", national)
    #expect(shown.status == 0, "\(shown.stderr)")
    // In the order received: by the second, then by source (both bundles may come in one second).
    #expect(shown.stdout.contains("sent by 2 banks (19, 08)") || shown.stdout.contains("sent by 2 banks (08, 19)"))
    #expect(shown.stdout.contains("source bank       19 Tỉnh Thái Nguyên, received "))
    #expect(shown.stdout.contains("source bank       08 Tỉnh Tuyên Quang, received "))
    #expect(shown.stdout.contains("title [vi]        Hồ Núi Cốc (explicit)"))
    #expect(shown.stdout.contains("title [en]        Lake at dawn (explicit)"))
    #expect(shown.stdout.contains("pillar            tourism-landscape (explicit)"))
    #expect(shown.stdout.contains("locality          08 Tỉnh Tuyên Quang (explicit)"))

    let one = try cli("show", photo, "--source-bank", "08", "--bank", national)
    #expect(one.status == 0 && one.stdout.contains("Lake at dawn") && !one.stdout.contains("Hồ Núi Cốc (explicit)"))
    #expect(!one.stdout.contains("sent by"))
    // A province given by name, as --source-bank of `list` takes it.
    let byName = try cli("show", photo, "--source-bank", "Thái Nguyên", "--json", "--bank", national)
    let record = try #require(try byName.json() as? [String: Any])
    #expect(record["sourceBank"] as? String == "19")
    #expect((record["title"] as? [String: String])?["vi"] == "Hồ Núi Cốc")

    let all = try #require(try cli("show", photo, "--json", "--bank", national).json() as? [[String: Any]])
    #expect(Set(all.compactMap { $0["sourceBank"] as? String }) == ["19", "08"] && all.count == 2)
    #expect(all.allSatisfy { $0["id"] as? String == photo && $0["receivedAt"] is String })

    let unknown = try cli("show", photo, "--source-bank", "31", "--bank", national)
    #expect(unknown.status == 64 && unknown.stderr.contains("--source-bank: no bank '31'"), "\(unknown.stderr)")
  }

  @Test("list and search print the source bank column; --ids gives the asset once")
  func listAndSearch() throws {
    // In the order received: by the second, then by source (both bundles may come in one second).
    let lines = try cli("list", "--bank", national).stdout.split(separator: "\n")
    #expect(lines.count == 2)
    let thaiNguyen = try #require(lines.first { $0.hasPrefix("\(photo.prefix(19))  19  photo  640x480") })
    #expect(thaiNguyen.contains("Hồ Núi Cốc"))
    let tuyenQuang = try #require(lines.first { $0.hasPrefix("\(photo.prefix(19))  08  photo  640x480") })
    #expect(tuyenQuang.contains("08 Tỉnh Tuyên Quang"))
    #expect(try cli("list", "--ids", "--bank", national).stdout == photo + "\n")
    let only = try cli("list", "--source-bank", "08", "--bank", national).stdout.split(separator: "\n")
    #expect(only.count == 1 && only[0].contains("  08  photo"))

    let found = try cli("search", "nui", "coc", "--bank", national)
    #expect(found.status == 0)
    let rows = found.stdout.split(separator: "\n").filter { $0.hasPrefix("sha256:") }
    #expect(rows.map { $0.split(separator: " ", omittingEmptySubsequences: true)[1] }.sorted() == ["08", "19"])
  }

  @Test("a provincial bank's list and show are as before: no source bank column")
  func provincial() throws {
    let bank = scratch.appending("province-19")
    let line = try cli("list", "--bank", bank).stdout
    #expect(line.hasPrefix("\(photo.prefix(19))  photo  640x480"))
    let record = try #require(try cli("show", photo, "--json", "--bank", bank).json() as? [String: Any])
    #expect(record["id"] as? String == photo && record["sourceBank"] == nil)
    let refused = try cli("show", photo, "--source-bank", "19", "--bank", bank)
    #expect(refused.status == 64, "\(refused.stderr)")
  }
}
