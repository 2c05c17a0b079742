import ArgumentParser
import MediaBank
import Messages

struct KeyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "key",
    abstract: "Show the bank's public key.",
    discussion: """
      Every bank has an Ed25519 key pair, made when the bank was created. The private key signs the \
      bank's sync bundles and receipts and never leaves the bank; the public key (keys/bank.pub) is \
      what another bank registers to check them (`mediabank trust add`). `key rotate` replaces \
      the key pair.
      """,
    subcommands: [ShowKeyCommand.self, RotateKeyCommand.self],
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
      print(say(.keyShown(keyId: key.keyId, publicKey: key.publicKey, path: key.path)))
    }
  }
}

struct RotateKeyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rotate",
    abstract: "Replace the bank's key pair; the next bundle tells the national bank.",
    discussion: """
      Makes a new Ed25519 key pair and a rotation statement signed by the old key, which every \
      later bundle carries (bundle format 3): the national bank checks it with the key it trusts, \
      switches to the new key when it receives the bundle, and refuses bundles signed by the old \
      key from then on. The old private key is destroyed; bundles it signed before the rotation \
      are still received, in order, since the national bank switches keys only with the first \
      bundle that carries the statement. On the national bank, the provinces register the new \
      keys/bank.pub by hand (`trust remove --bank national`, then `trust add`).
      """)

  @OptionGroup var bankOptions: BankOptions

  @Flag(help: "Print {bank, oldKeyId, newKeyId, rotatedAt, recordedAt} as JSON.")
  var json = false

  func run() throws {
    let library = try bankOptions.open(create: false)
    let rotation = try fatalOnError { try library.rotateKey() }
    if json {
      try printJSON(rotation)
      return
    }
    print(say(.keyRotated(bank: rotation.bank, old: rotation.oldKeyId, new: rotation.newKeyId)))
    print(say(.rotationNext(national: rotation.bank == "national")))
  }
}
