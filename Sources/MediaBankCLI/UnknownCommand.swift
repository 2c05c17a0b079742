import ArgumentParser
import Foundation
import MediaBank
import SystemIO

@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
extension MediaBankCommand {
  /// Parses the process's arguments and runs the command they name (`serve` runs until it is
  /// interrupted); exits with the command's status. The executable's entry point. A word in the
  /// place of a command that names none (`mediabank frobnicate`) is a usage error (exit status
  /// 64) that says so and lists the commands, rather than ArgumentParser's "unexpected argument".
  public static func start() async {
    if let message = unknownCommand(in: Array(CommandLine.arguments.dropFirst())) {
      IO.writeToStandardError(message)
      Self.exit(withError: ExitCode.validationFailure)
    }
    await main(nil)
  }

  /// The message for the first argument that stands where a command is expected and names
  /// none, or nil when the arguments name commands (or there is no such place: an option comes
  /// first, or the command has a default subcommand that takes what follows).
  static func unknownCommand(in arguments: [String]) -> String? {
    var command: any ParsableCommand.Type = MediaBankCommand.self
    var path = ["mediabank"]
    for argument in arguments {
      let subcommands = command.configuration.subcommands
      guard !argument.hasPrefix("-"), argument != "help", !subcommands.isEmpty else { return nil }
      if let next = subcommands.first(where: {
        $0._commandName == argument || $0.configuration.aliases.contains(argument)
      }) {
        command = next
        path.append(argument)
        continue
      }
      guard command.configuration.defaultSubcommand == nil else { return nil }
      let names = subcommands.map { $0._commandName }
      let closest = Closest.values(
        to: argument, among: names.map { Closest.Candidate(shown: "'\($0)'", keys: [$0]) }, limit: 1)
      let parent = path.joined(separator: " ")
      let unknown = (path.dropFirst() + [argument]).joined(separator: " ")
      return "mediabank: unknown command '\(Terminal.safe(unknown))'"
        + (closest.first.map { "; did you mean \($0)?" } ?? "") + "\n"
        + (path.count == 1 ? "Commands: " : "Commands of '\(parent)': ") + names.joined(separator: ", ") + "\n"
        + "See '\(parent) --help'.\n"
    }
    return nil
  }
}
