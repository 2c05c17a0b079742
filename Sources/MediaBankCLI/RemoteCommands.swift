import ArgumentParser
import Foundation
import MediaBank
import MediaBankSync
import SystemIO

/// `mediabank remote`: the banks this bank sends its bundles to over HTTP.
struct RemoteCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remote",
    abstract: "Manage the banks `mediabank sync` sends bundles to over HTTP.",
    discussion: """
      A remote is a destination (its name: `national` for the national bank) and the URL of its \
      `mediabank serve`. Its receipts are checked with its key, registered as `trust add` does.
      """,
    subcommands: [RemoteAddCommand.self, RemoteListCommand.self, RemoteRemoveCommand.self],
    defaultSubcommand: RemoteListCommand.self)
}

struct RemoteAddCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Add a remote, or change its URL.")

  @Argument(help: "The destination's name: national.") var name: String
  @Argument(help: "The URL of its server (https://national.example.vn).") var url: String
  @Option(
    help: ArgumentHelp("The remote bank's public key (its keys/bank.pub), unless trusted already.", valueName: "file"))
  var key: String?
  @OptionGroup var bankOptions: BankOptions

  func run() throws {
    let library = try bankOptions.open(create: false)
    let remote = try fatalOnError { try library.addRemote(name: name, url: url, publicKeyFile: key) }
    print(say(.remoteAdded(name: remote.name, url: Terminal.safe(remote.url), keyId: remote.keyId ?? "?")))
  }
}

struct RemoteListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List the remotes.")

  @Flag(help: "Print JSON.") var json = false
  @OptionGroup var bankOptions: BankOptions

  func run() throws {
    let library = try bankOptions.open(create: false)
    let remotes = try fatalOnError { try library.remotes() }
    if json { return try printJSON(remotes) }
    if remotes.isEmpty { print(say(.noRemote)) }
    for remote in remotes {
      print(say(.remoteLine(name: remote.name, url: Terminal.safe(remote.url), keyId: remote.keyId)))
    }
  }
}

struct RemoteRemoveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove", abstract: "Forget a remote (its key stays trusted; `trust remove` forgets it).")

  @Argument(help: "The remote's name.") var name: String
  @OptionGroup var bankOptions: BankOptions

  func run() throws {
    let library = try bankOptions.open(create: false)
    let remote = try fatalOnError { try library.removeRemote(name) }
    print(say(.remoteRemoved(remote.name)))
  }
}

/// `mediabank sync`: sends what changed to the remotes, over HTTP.
struct SyncCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sync",
    abstract: "Send this bank's changes to its remotes over HTTP, and apply their receipts.",
    discussion: """
      For each remote (or the one --to names, by name or URL): asks it which bundle it expects, \
      sends again the bundles whose receipt is missing, exports what changed and sends it, in \
      pieces that resume where the remote's bytes end after a dropped connection, and applies \
      each receipt. A bank restored from a backup sends one full bundle numbered as the remote \
      expects. Nothing to send: no output, exit 0. One sync of a remote at a time: a second one \
      started meanwhile stops at once with exit 75. Progress goes to standard error on a terminal.

      Exit status: 0 when everything was sent (or nothing was to send), 2 when a remote refused a \
      bundle or could not be reached (the next run starts where this one stopped), 75 when \
      another sync of the remote was running.
      """)

  @Option(help: ArgumentHelp("The remote to send to, by name or URL (default: every remote).", valueName: "remote"))
  var to: String?
  @Flag(help: "Sync once and exit (the default).") var once = false
  @Option(
    help: ArgumentHelp(
      "Sync again after each interval (30s, 15m, 1h) until stopped; a failed run is reported and retried.",
      valueName: "interval"))
  var every: String?
  @Flag(help: "Print what was sent as JSON.") var json = false
  @Option(
    help: ArgumentHelp(
      "How many times a request that gets no answer is tried again, waiting 1, 2, 4… s (default 4).",
      valueName: "n"))
  var retries = 4
  @OptionGroup var bankOptions: BankOptions

  func validate() throws {
    guard (0...10).contains(retries) else { throw ValidationError("--retries is 0 to 10") }
    if once && every != nil { throw ValidationError("--once and --every do not go together") }
    if let every, Self.seconds(every) == nil {
      throw ValidationError("--every '\(every)' is not an interval (30s, 15m, 1h; at least 10s)")
    }
  }

  /// `every` in seconds: a number and `s`, `m` or `h`, at least 10 s.
  static func seconds(_ text: String) -> Int? {
    guard let unit = text.last, let number = Int(text.dropLast()), number > 0 else { return nil }
    let seconds: Int? =
      switch unit {
      case "s": number
      case "m": number * 60
      case "h": number * 3600
      default: nil
      }
    return seconds.flatMap { $0 >= 10 ? $0 : nil }
  }

  func run() async throws {
    let library = try bankOptions.open(create: false)
    let remotes = try fatalOnError { () throws(MediaBankError) in try Self.remotes(library, to) }
    guard let every, let interval = Self.seconds(every) else {
      let status = await syncOnce(library, remotes)
      if status != .success { throw status }
      return
    }
    while true {
      _ = await syncOnce(library, remotes)
      try await Task.sleep(for: .seconds(interval))
    }
  }

  /// The remotes `to` names (a name or a URL), or all of them.
  static func remotes(_ library: Library, _ to: String?) throws(MediaBankError) -> [Remote] {
    let all = try library.remotes()
    guard let to else {
      guard !all.isEmpty else {
        throw MediaBankError(
          .notFound, "this bank has no remote: `mediabank remote add national URL --key FILE` adds the national bank")
      }
      return all
    }
    let trimmed = to.hasSuffix("/") ? String(to.dropLast()) : to
    guard let remote = all.first(where: { $0.name == to || $0.url == trimmed }) else {
      throw MediaBankError(
        .notFound, "no remote is \(to): `mediabank remote add NAME URL --key FILE` adds it (`remote list`)")
    }
    return [remote]
  }

  /// Syncs each remote; reports what was sent and each failure. The exit status of the worst.
  private func syncOnce(_ library: Library, _ remotes: [Remote]) async -> ExitCode {
    var status = ExitCode.success
    var outcomes: [SyncOutcome] = []
    for remote in remotes {
      var syncer = Syncer(library: library, remote: remote)
      syncer.retries = retries
      let line = TransferLine(enabled: !json && isatty(STDERR_FILENO) == 1)
      syncer.progress = { id, done, total in line.update(id, done, total) }
      do {
        let outcome = try await syncer.run()
        line.finish()
        outcomes.append(outcome)
        if !json { print(Self.text(outcome), terminator: "") }
      } catch {
        line.finish()
        printError(say(error))
        if status == .success || error.code == .busy { status = Status.of(error.code) }
      }
    }
    if json { try? printJSON(outcomes) }
    return status
  }

  /// One line per bundle sent: nothing when nothing was.
  static func text(_ outcome: SyncOutcome) -> String {
    var text = outcome.resynchronised ? say(.resynchronised(remote: outcome.remote)) + "\n" : ""
    for sent in outcome.sent {
      let size = sent.alreadyReceived ? nil : Terminal.size(sent.sentBytes)
      text +=
        say(
          .bundleSent(
            bundle: sent.bundle, remote: outcome.remote, sent: size, accepted: sent.accepted, refused: sent.rejected))
        + "\n"
    }
    return text
  }
}

/// The progress of a bundle's upload on a terminal: its id, the bytes the remote holds, its size.
final class TransferLine: Sendable {
  private let enabled: Bool

  init(enabled: Bool) { self.enabled = enabled }

  func update(_ id: String, _ done: Int64, _ total: Int64) {
    guard enabled else { return }
    let percent = total > 0 ? done * 100 / total : 100
    IO.writeToStandardError("\r\u{1B}[K\(id): \(Terminal.size(done)) / \(Terminal.size(total)) (\(percent)%)")
  }

  func finish() {
    if enabled { IO.writeToStandardError("\r\u{1B}[K") }
  }
}
