import ArgumentParser
import MediaBank

struct KeyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "key",
    abstract: "Show the bank's public key.",
    discussion: """
      Every bank has an Ed25519 key pair, made when the bank was created. The private key signs the \
      bank's sync bundles and receipts and never leaves the bank; the public key (keys/bank.pub) is \
      what another bank registers to check them (`mediabank trust add`).
      """,
    subcommands: [ShowKeyCommand.self],
    defaultSubcommand: ShowKeyCommand.self)
}

struct ShowKeyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Print the key id, the public key (base64) and the path of the .pub file.")

  @OptionGroup var bankOptions: BankOptions

  @Flag(help: "Print {keyId, publicKey, path} as JSON.")
  var json = false

  func run() throws {
    let library = try bankOptions.open(create: false)
    let key = try fatalOnError { try library.key() }
    if json {
      try printJSON(key)
    } else {
      print("Key id:     \(key.keyId)")
      print("Public key: \(key.publicKey)")
      print("File:       \(key.path)")
    }
  }
}
