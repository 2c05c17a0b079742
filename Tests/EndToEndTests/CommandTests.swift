import Foundation
import Glibc
import Testing

/// The `mediabank` commands as a user runs them: output, JSON records, exit statuses, and what is
/// left on disk.
@Suite struct CommandTests {
  let scratch: ScratchDirectory
  let bank: String
  let cli = CLI()

  init() throws {
    scratch = try ScratchDirectory()
    bank = scratch.appending("bank")
  }

  /// Parses `added <id>  <file>` / `exists <id>  <file>` lines.
  func addedIDs(_ output: CLI.Output) -> [(verb: String, id: String, file: String)] {
    output.stdout.split(separator: "\n").compactMap { line in
      let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
      guard parts.count == 3, ["added", "exists"].contains(parts[0]) else { return nil }
      return (String(parts[0]), String(parts[1]), parts[2].trimmingCharacters(in: .whitespaces))
    }
  }

  /// `sha256:` and the digest that coreutils' `sha256sum` prints for `path`.
  func sha256sum(_ path: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return "sha256:" + (output.split(separator: " ").first ?? "")
  }

  /// The on-disk path of a stored object.
  func objectPath(_ id: String) -> String {
    let hex = id.dropFirst("sha256:".count)
    return "\(bank)/objects/sha256/\(hex.prefix(2))/\(hex.dropFirst(2))"
  }

  @Test("init, add, show --json, list --json and verify work together")
  func mainFlow() throws {
    let initialized = try cli("init", "--bank", bank, "--province", "19", "--name", "Sở VHTTDL Thái Nguyên")
    #expect(initialized.status == 0, "\(initialized.stderr)")
    #expect(initialized.stdout.contains("province  19"))

    let added = try cli(
      "add", "--bank", bank, CLI.photo("nui-coc-vi-en.jpg"), CLI.photo("scan.png"), CLI.photo("iphone.heic"),
      "--title", "Hồ Núi Cốc", "--lang", "vi", "--operator", "Nguyễn Văn A")
    #expect(added.status == 0, "\(added.stderr)")
    let lines = addedIDs(added)
    #expect(lines.map(\.verb) == ["added", "added", "added"])
    #expect(lines.allSatisfy { $0.id.hasPrefix("sha256:") && $0.id.count == 71 })

    // The id is the SHA-256 of the file's bytes, as sha256sum computes it.
    let nuiCoc = try #require(lines.first).id
    #expect(try sha256sum(CLI.photo("nui-coc-vi-en.jpg")) == nuiCoc)
    #expect(FileManager.default.contentsEqual(atPath: objectPath(nuiCoc), andPath: CLI.photo("nui-coc-vi-en.jpg")))

    // show --json with an abbreviated id gives the shared record keys.
    let shown = try cli("show", String(nuiCoc.prefix(7 + 10)), "--json", "--bank", bank)
    #expect(shown.status == 0, "\(shown.stderr)")
    let record = try #require(try shown.json() as? [String: Any])
    #expect(record["id"] as? String == nuiCoc)
    #expect(record["kind"] as? String == "photo")
    #expect(record["mediaType"] as? String == "image/jpeg")
    #expect(record["width"] as? Int == 640 && record["height"] as? Int == 480)
    #expect(record["capturedAt"] as? String == "2024-03-15T06:30:00+07:00")
    #expect((record["camera"] as? [String: String]) == ["make": "Canon", "model": "Canon EOS R6", "source": "exif"])
    #expect(record["capturedAtSource"] as? String == "exif")
    let gps = try #require(record["gps"] as? [String: Any])
    let latitude = try #require(gps["latitude"] as? Double)
    let longitude = try #require(gps["longitude"] as? Double)
    #expect(abs(latitude - 21.6125) < 1e-6 && abs(longitude - 105.716) < 1e-6)
    #expect(gps["altitude"] as? Double == 45.5 && gps["source"] as? String == "exif")
    // --title --lang vi overrides the file's Vietnamese title; the English one survives.
    let title = try #require(record["title"] as? [String: String])
    #expect(title["vi"] == "Hồ Núi Cốc")
    #expect(title["en"] == "Nui Coc Lake at dawn")
    #expect((record["keywords"] as? [String]) == ["hồ Núi Cốc", "du lịch", "Thái Nguyên"])
    #expect((record["originalNames"] as? [String]) == ["nui-coc-vi-en.jpg"])
    #expect((record["rights"] as? [String: String])?["copyright"] == "© 2024 Sở VHTTDL Thái Nguyên")
    // Absent values are omitted, never invented.
    #expect(record["description"] != nil && record["orientation"] as? Int == 1)
    let heic = try cli("show", lines[2].id, "--json", "--bank", bank).json() as? [String: Any]
    #expect((heic?["gps"] as? [String: Double])?["altitude"] == nil)

    // list --json: every asset, oldest first; --kind filters.
    let listed = try cli("list", "--json", "--bank", bank)
    let records = try #require(try listed.json() as? [[String: Any]])
    #expect(records.map { $0["id"] as? String } == lines.map(\.id))
    // Printed one record at a time, exactly as the whole array would be: each record as `show
    // --json` prints it, indented.
    let each = try lines.map { try cli("show", $0.id, "--json", "--bank", bank).stdout.dropLast() }
    let indented = each.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 } }
    #expect(listed.stdout == "[\n" + indented.map { $0.joined(separator: "\n") }.joined(separator: ",\n") + "\n]\n")
    let videos = try cli("list", "--kind", "video", "--json", "--bank", bank).json() as? [Any]
    #expect(videos?.isEmpty == true)
    let human = try cli("list", "--bank", bank)
    #expect(human.stdout.split(separator: "\n").count == 3)

    let verified = try cli("verify", "--bank", bank)
    #expect(verified.status == 0, "\(verified.stdout)")
    // Three originals and three previews.
    #expect(verified.stdout.contains("Checked 6 objects: 6 intact, 0 with problems."))
  }

  @Test("adding the same bytes again reports `exists` and stores nothing new")
  func duplicate() throws {
    let first = try cli("add", "--bank", bank, CLI.photo("gps-southwest.jpg"))
    let copy = scratch.appending("renamed copy.jpg")
    try FileManager.default.copyItem(atPath: CLI.photo("gps-southwest.jpg"), toPath: copy)
    let objectsBefore = scratch.files(under: "bank/objects")
    let second = try cli("add", "--bank", bank, copy)
    #expect(second.status == 0)
    #expect(addedIDs(second).map(\.verb) == ["exists"])
    #expect(addedIDs(second).first?.id == addedIDs(first).first?.id)
    #expect(scratch.files(under: "bank/objects") == objectsBefore)
    // Both names are remembered.
    let record = try cli("show", addedIDs(first)[0].id, "--json", "--bank", bank).json() as? [String: Any]
    #expect(Set(record?["originalNames"] as? [String] ?? []) == ["gps-southwest.jpg", "renamed copy.jpg"])
  }

  @Test("a bad file is named with its reason, the rest of the batch is stored, and the status is 1")
  func partialFailure() throws {
    let result = try cli(
      "add", "--bank", bank, CLI.photo("orientation-6.jpg"), CLI.bad("truncated.jpg"), CLI.bad("not-a-photo.jpg"),
      CLI.bad("empty.jpg"), CLI.photo("wrong-extension.png"))
    #expect(result.status == 1)
    // The truncated JPEG is a damaged photo: stored, with its partial preview.
    #expect(
      addedIDs(result).map(\.file) == [
        CLI.photo("orientation-6.jpg"), CLI.bad("truncated.jpg"), CLI.photo("wrong-extension.png"),
      ])
    #expect(result.stdout.contains("damaged: truncated JPEG (the image data ends early: Premature end of JPEG file)"))
    #expect(result.stderr.contains("mediabank: \(CLI.bad("not-a-photo.jpg")): not a JPEG file"))
    #expect(result.stderr.contains("mediabank: \(CLI.bad("empty.jpg")): empty file (0 bytes)"))
    #expect(result.stderr.contains("2 of 5 files failed"))
    // Nothing of the refused files remains: three originals, three previews, no temporary files.
    #expect(scratch.files(under: "bank/objects").count == 6)
    #expect(scratch.files(under: "bank/objects/tmp").isEmpty)
    let listed = try cli("list", "--json", "--bank", bank).json() as? [Any]
    #expect(listed?.count == 3)
  }

  @Test("a decompression bomb is refused before decoding; --max-megapixels sets the limit")
  func bomb() throws {
    let result = try cli("add", "--bank", bank, CLI.bad("bomb.png"))
    #expect(result.status == 1)
    #expect(result.stderr.contains("above the limit of 200 megapixels"))
    let lowered = try cli("add", "--bank", bank, "--max-megapixels", "1", CLI.photo("scan.png"))
    #expect(lowered.status == 0, "scan.png is 0.12 megapixels: \(lowered.stderr)")
  }

  @Test("verify names each corrupt and missing object and exits 1")
  func verifyFindsDamage() throws {
    let added = try cli("add", "--bank", bank, CLI.photo("orientation-1.jpg"), CLI.photo("iptc-utf8.jpg"))
    let ids = addedIDs(added).map(\.id)
    #expect(ids.count == 2)

    // Flip one byte of the first object.
    let damaged = objectPath(ids[0])
    #expect(chmod(damaged, 0o644) == 0)
    var bytes = try Data(contentsOf: URL(fileURLWithPath: damaged))
    bytes[100] ^= 0x01
    try bytes.write(to: URL(fileURLWithPath: damaged))
    // Lose the second.
    #expect(chmod(objectPath(ids[1]), 0o644) == 0)
    try FileManager.default.removeItem(atPath: objectPath(ids[1]))

    let verified = try cli("verify", "--bank", bank)
    #expect(verified.status == 1)
    #expect(verified.stdout.contains("\(ids[0]): corrupt (its bytes hash to sha256:"))
    #expect(verified.stdout.contains("\(ids[1]): missing"))
    #expect(verified.stdout.contains("2 with problems"))

    // Adding the original again restores the lost object.
    #expect(try cli("add", "--bank", bank, CLI.photo("iptc-utf8.jpg")).status == 0)
    #expect(FileManager.default.contentsEqual(atPath: objectPath(ids[1]), andPath: CLI.photo("iptc-utf8.jpg")))
  }

  @Test("usage errors exit 64; commands other than add and init need a bank (exit 2)")
  func statuses() throws {
    let badLanguage = try cli("add", "--bank", bank, "--lang", "not a tag", CLI.photo("scan.png"))
    #expect(badLanguage.status == 64)
    #expect(badLanguage.stderr.contains("is not a BCP 47 language tag"))
    #expect(try cli("list", "--kind", "sound", "--bank", bank).status == 64)
    #expect(try cli("frobnicate").status == 64)

    for command in [["list"], ["verify"], ["show", "sha256:0000"]] {
      let result = try cli.run(command + ["--bank", bank])
      #expect(result.status == 2, "\(command)")
      #expect(result.stderr.contains("no bank here"), "\(command): \(result.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: bank), "a read-only command must not create a bank")

    try cli("add", "--bank", bank, CLI.photo("scan.png"))
    let unknown = try cli("show", "sha256:0123456789", "--bank", bank)
    #expect(unknown.status == 2)
    #expect(!unknown.stderr.isEmpty)

    let province = try cli("init", "--bank", bank, "--province", "19")
    #expect(province.status == 0)
    let changed = try cli("init", "--bank", bank, "--province", "01")
    #expect(changed.status == 2)
    #expect(changed.stderr.contains("cannot change"))
  }

  @Test("the bank is found by MEDIABANK_PATH, else XDG_DATA_HOME, else ~/.local/share")
  func bankLocation() throws {
    let home = scratch.appending("home")
    let fromHome = CLI(environment: ["HOME": home])
    #expect(try fromHome("add", CLI.photo("scan.png")).status == 0)
    #expect(FileManager.default.fileExists(atPath: "\(home)/.local/share/mediabank/bank.json"))

    let xdg = scratch.appending("xdg")
    let fromXDG = CLI(environment: ["HOME": home, "XDG_DATA_HOME": xdg])
    #expect(try fromXDG("add", CLI.photo("scan.png")).status == 0)
    #expect(FileManager.default.fileExists(atPath: "\(xdg)/mediabank/bank.json"))

    let fromVariable = CLI(environment: ["HOME": home, "XDG_DATA_HOME": xdg, "MEDIABANK_PATH": bank])
    #expect(try fromVariable("add", CLI.photo("scan.png")).status == 0)
    #expect(FileManager.default.fileExists(atPath: "\(bank)/bank.json"))
    // --bank wins over all of them.
    let other = scratch.appending("other")
    #expect(try fromVariable("list", "--bank", other).status == 2)
  }
}
