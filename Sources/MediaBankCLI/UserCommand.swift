import ArgumentParser
import Foundation
import MediaBank
import SystemIO

/// `mediabank user`: the accounts of the web library.
struct UserCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "user",
    abstract: "Manage the accounts of the web library (mediabank serve).",
    discussion: """
      Roles: viewer (browse, search, download), editor (also upload, edit, tag, review, retract), \
      admin (also delete, accounts, export, trust). Passwords have at least 10 characters; they \
      are kept as scrypt hashes. A new password ends the account's sessions (its API tokens stay \
      until revoked); removing the account ends both. Every change is logged with the name of the \
      person who made it ($USER). On the national bank, `user add NAME --province 19` makes a \
      province's account: a viewer of the whole national library, which stays one.
      """,
    subcommands: [
      UserAddCommand.self, UserListCommand.self, UserPasswdCommand.self, UserRoleCommand.self,
      UserRemoveCommand.self,
    ],
    defaultSubcommand: UserListCommand.self)
}

/// The password of `user add` and `user passwd`: a line of standard input with
/// --password-stdin, else asked twice at the terminal without echo.
struct PasswordOptions: ParsableArguments {
  @Flag(help: "Read the password from the first line of standard input (for scripts).")
  var passwordStdin = false

  func read(for name: String) throws -> String {
    if passwordStdin {
      guard let line = Swift.readLine(strippingNewline: true), !line.isEmpty else {
        throw ValidationError("--password-stdin: standard input has no password line")
      }
      return line
    }
    guard IO.standardInputIsTerminal else {
      throw ValidationError("standard input is not a terminal: give the password with --password-stdin")
    }
    func ask(_ prompt: String) throws -> String {
      do {
        guard let line = try IO.readSecretLine(prompt: prompt) else { throw ValidationError("no password given") }
        return line
      } catch let error as SystemError {
        printError(say(.error("\(error)")))
        throw Status.fatal
      }
    }
    let first = try ask(say(.passwordPrompt(name)))
    guard try ask(say(.passwordAgain)) == first else { throw ValidationError("the two passwords differ") }
    return first
  }
}

/// Who makes a change to an account or a token, for their logs: the login name of the process.
var actor: String {
  let name = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
  return name.isEmpty ? "unknown" : name
}

/// An account's role as the commands print it: `viewer`, or `viewer, 19 Tỉnh Thái Nguyên` for a
/// province's account.
func described(_ account: Account) -> String {
  [account.role.rawValue, account.province.map { Localities.name(province: $0, commune: nil) }].compactMap { $0 }
    .joined(separator: ", ")
}

/// A role named on the command line.
private func parseRole(_ text: String) throws -> Role {
  guard let role = Role(rawValue: text) else {
    throw ValidationError("'\(text)' is not a role: viewer, editor or admin")
  }
  return role
}

struct UserAddCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Add an account.",
    discussion: "A name is 1 to 64 lowercase letters, digits, '.', '_' or '-'.")

  @Argument(help: "The login name.") var name: String
  @Option(
    help: ArgumentHelp("viewer, editor or admin (a province's account is a viewer).", valueName: "role"),
    transform: parseRole)
  var role: Role?
  @Option(
    help: ArgumentHelp(
      "On the national bank: the account of this province (its code or name), which sees the whole national "
        + "library and edits nothing.", valueName: "province"))
  var province: String?
  @OptionGroup var password: PasswordOptions
  @OptionGroup var bankOptions: BankOptions

  func validate() throws {
    if role == nil, province == nil { throw ValidationError("give the account's --role (viewer, editor or admin)") }
  }

  func run() throws {
    let library = try bankOptions.open(create: false)
    let secret = try password.read(for: name)
    let account = try fatalOnError {
      try library.addAccount(name: name, role: role ?? .viewer, password: secret, province: province, by: actor)
    }
    print(say(.userAdded(name: account.name, role: described(account))))
  }
}

struct UserListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts and their roles.")

  @Flag(help: "Print JSON.") var json = false
  @OptionGroup var bankOptions: BankOptions

  func run() throws {
    let library = try bankOptions.open(create: false)
    let accounts = try fatalOnError { try library.accounts() }
    if json {
      let objects = accounts.map {
        ["name": $0.name, "role": $0.role.rawValue, "createdAt": $0.createdAt, "changedAt": $0.changedAt]
          .merging($0.province.map { ["province": $0] } ?? [:]) { a, _ in a }
      }
      print(String(decoding: try jsonEncoder.encode(objects), as: UTF8.self))
      return
    }
    if accounts.isEmpty { print(say(.noAccount)) }
    for account in accounts {
      print(
        [
          account.name.padding(toLength: max(16, account.name.count), withPad: " ", startingAt: 0),
          account.role.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0), say(.since(account.createdAt)),
        ].joined(separator: "  ")
          + (account.province.map { "  " + Localities.name(province: $0, commune: nil) } ?? ""))
    }
  }
}

struct UserPasswdCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "passwd", abstract: "Give an account a new password (and end its sessions).")

  @Argument(help: "The login name.") var name: String
  @OptionGroup var password: PasswordOptions
  @OptionGroup var bankOptions: BankOptions

  func run() throws {
    let library = try bankOptions.open(create: false)
    let secret = try password.read(for: name)
    let account = try fatalOnError { try library.setPassword(secret, of: name, by: actor) }
    print(say(.newPassword(account.name)))
  }
}

struct UserRoleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "role", abstract: "Change an account's role.")

  @Argument(help: "The login name.") var name: String
  @Argument(help: ArgumentHelp("viewer, editor or admin.", valueName: "role"), transform: parseRole) var role: Role
  @OptionGroup var bankOptions: BankOptions

  func run() throws {
    let library = try bankOptions.open(create: false)
    let account = try fatalOnError { try library.setRole(role, of: name, by: actor) }
    print(say(.roleNow(name: account.name, role: account.role.rawValue)))
  }
}

struct UserRemoveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove", abstract: "Remove an account, its sessions and its API tokens.")

  @Argument(help: "The login name.") var name: String
  @OptionGroup var bankOptions: BankOptions

  func run() throws {
    let library = try bankOptions.open(create: false)
    try fatalOnError { try library.removeAccount(name, by: actor) }
    print(say(.userRemoved(name)))
  }
}
