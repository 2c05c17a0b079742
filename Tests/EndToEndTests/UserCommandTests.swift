import Foundation
import Testing

/// `mediabank user`: the accounts of the web library, as an administrator types them.
@Suite struct UserCommandTests {
  let scratch: ScratchDirectory
  let cli = CLI()
  var bank: String { scratch.appending("bank") }

  init() throws {
    scratch = try ScratchDirectory()
    try #require(try cli("init", "--bank", scratch.appending("bank")).status == 0)
  }

  @Test("add, list, role, passwd and remove an account; the log names who did each")
  func lifecycle() throws {
    let added = try cli.run(
      ["user", "add", "lan", "--role", "admin", "--password-stdin", "--bank", bank], input: "mật khẩu rất dài\n")
    #expect(added.status == 0, "\(added.stderr)")
    #expect(added.stdout == "added lan (admin)\n")
    try #require(
      try cli.run(
        ["user", "add", "mai", "--role", "viewer", "--password-stdin", "--bank", bank], input: "0123456789\n"
      ).status == 0)
    let list = try cli("user", "list", "--bank", bank)
    let lines = list.stdout.split(separator: "\n")
    #expect(lines.count == 2 && lines[0].hasPrefix("lan ") && lines[0].contains("admin") && lines[1].contains("viewer"))
    #expect(try cli("user", "--bank", bank).stdout == list.stdout, "list is the default")
    let json = try #require(try cli("user", "list", "--json", "--bank", bank).json() as? [[String: String]])
    #expect(json.map { $0["name"] } == ["lan", "mai"] && json.map { $0["role"] } == ["admin", "viewer"])
    #expect(try cli("user", "role", "mai", "editor", "--bank", bank).stdout == "mai is now editor\n")
    let passwd = try cli.run(["user", "passwd", "mai", "--password-stdin", "--bank", bank], input: "abcdefghijkl\n")
    #expect(passwd.stdout == "new password for mai\n")
    #expect(try cli("user", "remove", "mai", "--bank", bank).stdout == "removed mai\n")
    let log = try CLI.sqlite(
      scratch.appending("bank/catalog.sqlite"),
      "SELECT account, action, ifnull(role, '-') FROM account_event ORDER BY id")
    #expect(log == "lan|add|admin\nmai|add|viewer\nmai|role|editor\nmai|password|-\nmai|remove|-")
    // The catalog holds no password.
    let hashes = try CLI.sqlite(scratch.appending("bank/catalog.sqlite"), "SELECT password_hash FROM account")
    #expect(hashes.hasPrefix("scrypt$15$8$1$") && !hashes.contains("rất"))
  }

  @Test("bad names, short passwords, unknown roles and accounts are refused with their reason")
  func refusals() throws {
    let badName = try cli.run(
      ["user", "add", "Lan Anh", "--role", "viewer", "--password-stdin", "--bank", bank], input: "0123456789\n")
    #expect(badName.status == 2 && badName.stderr.contains("an account name is 1 to 64 lowercase letters"))
    let short = try cli.run(
      ["user", "add", "lan", "--role", "viewer", "--password-stdin", "--bank", bank], input: "short\n")
    #expect(short.status == 2 && short.stderr == "mediabank: error: a password has at least 10 characters\n")
    let role = try cli.run(
      ["user", "add", "lan", "--role", "owner", "--password-stdin", "--bank", bank], input: "0123456789\n")
    #expect(role.status == 64 && role.stderr.contains("'owner' is not a role: viewer, editor or admin"))
    let empty = try cli.run(["user", "add", "lan", "--role", "viewer", "--password-stdin", "--bank", bank], input: "")
    #expect(empty.status == 64 && empty.stderr.contains("standard input has no password line"))
    let noTerminal = try cli.run(["user", "add", "lan", "--role", "viewer", "--bank", bank], input: "0123456789\n")
    #expect(noTerminal.status == 64 && noTerminal.stderr.contains("give the password with --password-stdin"))
    #expect(
      try cli.run(
        ["user", "add", "lan", "--role", "viewer", "--password-stdin", "--bank", bank], input: "0123456789\n"
      ).status == 0)
    let taken = try cli.run(
      ["user", "add", "lan", "--role", "admin", "--password-stdin", "--bank", bank], input: "0123456789\n")
    #expect(taken.status == 2 && taken.stderr == "mediabank: error: there is already an account lan\n")
    let unknown = try cli("user", "role", "mai", "admin", "--bank", bank)
    #expect(unknown.status == 2 && unknown.stderr == "mediabank: error: there is no account mai\n")
    #expect(try cli("user", "list", "--json", "--bank", bank).stdout.contains("\"role\" : \"viewer\""))
  }
}
