import Foundation
import Testing

/// Fatal errors exit with the status of their code (README.md, "Exit status"), whatever the
/// message says.
@Suite struct ErrorStatusTests {
  let scratch: ScratchDirectory
  let bank: String
  let cli = CLI()

  init() throws {
    scratch = try ScratchDirectory()
    bank = scratch.appending("bank")
  }

  @Test("notFound, invalidInput and conflict exit 2 with the message as before")
  func fatalCodes() throws {
    #expect(try cli("init", "--bank", bank, "--province", "19").status == 0)
    let unknown = try cli("show", "sha256:ffff", "--bank", bank)
    #expect(unknown.status == 2)
    #expect(unknown.stderr == "mediabank: error: no asset sha256:ffff in this bank\n")
    let malformed = try cli("show", "sha256:zz", "--bank", bank)
    #expect(malformed.status == 2)
    #expect(malformed.stderr.contains("'sha256:zz' is not an asset id"))
    let province = try cli("init", "--bank", bank, "--province", "75")
    #expect(province.status == 2)
    #expect(province.stderr.contains("a bank's province cannot change"))
    let nowhere = try cli("list", "--bank", scratch.appending("none"))
    #expect(nowhere.status == 2)
    #expect(nowhere.stderr.contains("no bank here"))
  }
}
