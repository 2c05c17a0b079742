import ArgumentParser
import Foundation
import MediaBank

/// `mediabank token`: the API tokens scripts use with the web library.
struct TokenCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "token",
    abstract: "Manage the tokens scripts use to call the web library's API.",
    discussion: """
      A script sends its token as `Authorization: Bearer mbt_…` to the routes under /api/ and acts \
      as the token's account, with its role. A token is shown once, when it is made; the bank \
      keeps only its hash. Revoking it, or removing its account, ends it at once.
      """,
    subcommands: [TokenCreateCommand.self, TokenListCommand.self, TokenRevokeCommand.self],
    defaultSubcommand: TokenListCommand.self)
}

struct TokenCreateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create", abstract: "Make a token for an account and print it (once).")

  @Option(help: ArgumentHelp("The account the token acts as.", valueName: "name")) var user: String
  @Option(help: ArgumentHelp("A name for the token, unique for the account (e.g. ci).", valueName: "label"))
  var name: String
  @OptionGroup var bankOptions: BankOptions

  func run() throws {
    let library = try bankOptions.open(create: false)
    let made = try fatalOnError { try library.createToken(account: user, name: name, by: actor) }
    print(made.secret)
    printError(say(.tokenMade(id: made.token.id, name: Terminal.safe(name), user: user)))
  }
}

struct TokenListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the tokens (never their secrets).")

  @Flag(help: "Print JSON.") var json = false
  @OptionGroup var bankOptions: BankOptions

  func run() throws {
    let library = try bankOptions.open(create: false)
    let tokens = try fatalOnError { try library.tokens() }
    if json {
      let objects: [[String: String]] = tokens.map {
        ["id": String($0.id), "account": $0.account, "name": $0.name, "createdAt": $0.createdAt]
      }
      try printJSON(objects)
      return
    }
    if tokens.isEmpty { print(say(.noToken)) }
    for token in tokens {
      print("\(token.id)  \(token.account)  \(Terminal.safe(token.name))  " + say(.since(token.createdAt)))
    }
  }
}

struct TokenRevokeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token at once.")

  @Argument(help: "The token's id (from `token list`).") var id: Int64
  @OptionGroup var bankOptions: BankOptions

  func run() throws {
    let library = try bankOptions.open(create: false)
    try fatalOnError { try library.revokeToken(id, by: actor) }
    print(say(.tokenRevoked(id)))
  }
}
