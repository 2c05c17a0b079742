import ArgumentParser
import MediaBank
import Messages

struct InitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: "Create a bank, or set the province and name of an existing one.",
    discussion: """
      Creates the bank directory with its Ed25519 key pair if there is none. A bank created by \
      a first `add` has no province: `init --province` sets it later. A province, once set, \
      cannot change. `init --national` makes the bank the national bank, which registers the \
      provinces' keys (`trust add`) and receives their bundles (`receive`).
      """)

  @OptionGroup var bankOptions: BankOptions

  @Option(help: ArgumentHelp("The official 2-digit code of the province the bank serves (e.g. 19).", valueName: "code"))
  var province: String?

  @Option(help: ArgumentHelp("A human name for the bank.", valueName: "name"))
  var name: String?

  @Flag(help: "Make this the national bank (no province; receives the provinces' bundles).")
  var national = false

  func validate() throws {
    if national && province != nil { throw ValidationError("give --province or --national, not both") }
  }

  func run() throws {
    let library = try bankOptions.open(create: true)
    let identity = try fatalOnError { try library.initialize(province: province, name: name, national: national) }
    print(
      say(
        .bankIdentity(
          path: library.root.path, province: identity.province, national: identity.national == true,
          name: identity.name, keyId: identity.keyId)))
  }
}
