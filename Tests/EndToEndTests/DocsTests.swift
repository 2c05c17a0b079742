import Foundation
import Testing

/// The documentation a user reads, checked against the program (issue 15, item 13): every
/// command's `--help` as committed under `Tests/EndToEndTests/Help/` (a change to a help text shows
/// in review), the README's command tables against the commands and their options, the README's
/// architecture table against `Package.swift`, and `--version` against the CHANGELOG.
///
/// After changing a help text on purpose: `MEDIABANK_UPDATE_HELP=1 swift test --filter DocsTests`,
/// then review the diff of `Tests/EndToEndTests/Help/`.
@Suite struct DocsTests {
  static let root = CLI.fixtures.deletingLastPathComponent()
  static let snapshots = root.appendingPathComponent("Tests/EndToEndTests/Help")
  // A fixed width, so that the help is wrapped the same on every machine.
  let cli = CLI(environment: ["COLUMNS": "100"])

  /// A command as `--experimental-dump-help` describes it: its path and its option names.
  struct Command {
    var path: [String]
    var options: Set<String>
    var isGroup: Bool
  }

  /// Every command of `mediabank`, groups included, `help` left out.
  func commands() throws -> [Command] {
    let dump = try cli("--experimental-dump-help")
    #expect(dump.status == 0)
    let tool = try #require(try dump.json() as? [String: Any])
    var found: [Command] = []
    func walk(_ command: [String: Any], _ path: [String]) {
      let arguments = command["arguments"] as? [[String: Any]] ?? []
      let names = arguments.flatMap { ($0["names"] as? [[String: Any]] ?? []) }
        .filter { ($0["kind"] as? String) == "long" }.compactMap { $0["name"] as? String }
      let subcommands = command["subcommands"] as? [[String: Any]] ?? []
      found.append(Command(path: path, options: Set(names.map { "--" + $0 }), isGroup: !subcommands.isEmpty))
      for sub in subcommands {
        guard let name = sub["commandName"] as? String, name != "help" else { continue }
        walk(sub, path + [name])
      }
    }
    walk(try #require(tool["command"] as? [String: Any]), [])
    return found
  }

  func snapshotName(_ path: [String]) -> String { (["mediabank"] + path).joined(separator: "-") + ".txt" }

  @Test("every command's --help is the committed snapshot, and no snapshot is left of a command that went")
  func helpSnapshots() throws {
    let update = ProcessInfo.processInfo.environment["MEDIABANK_UPDATE_HELP"] == "1"
    let commands = try commands()
    #expect(commands.count > 40, "the dump lists the commands")
    if update { try FileManager.default.createDirectory(at: Self.snapshots, withIntermediateDirectories: true) }
    for command in commands {
      let help = try cli.run(command.path + ["--help"])
      #expect(help.status == 0, "\(command.path)")
      let file = Self.snapshots.appendingPathComponent(snapshotName(command.path))
      if update {
        try Data(help.stdout.utf8).write(to: file)
        continue
      }
      let committed = (try? String(contentsOf: file, encoding: .utf8)) ?? "(no snapshot: \(file.lastPathComponent))"
      #expect(
        help.stdout == committed,
        "`mediabank \(command.path.joined(separator: " ")) --help` changed; MEDIABANK_UPDATE_HELP=1 to accept it")
    }
    let expected = Set(commands.map { snapshotName($0.path) })
    let present = Set(try FileManager.default.contentsOfDirectory(atPath: Self.snapshots.path))
    #expect(present.subtracting(expected).isEmpty, "snapshots of commands that no longer exist")
  }

  /// The code spans of the first cell of each row of the README's command tables (rows whose first
  /// cell starts with `` `mediabank ``), a span without `mediabank` taking the group of the span
  /// before it in its cell (`` `trust add …`, `trust remove …` ``).
  static func readmeCommandSpans() throws -> [String] {
    let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
    var spans: [String] = []
    for line in readme.split(separator: "\n") where line.hasPrefix("| `mediabank ") {
      // The first cell ends at the first `|` that is outside a code span.
      var inCode = false, cell = ""
      var previous: Character = " "
      for character in line.dropFirst(2) {
        if character == "`" { inCode.toggle() }
        if character == "|" && !inCode && previous != "\\" { break }
        cell.append(character)
        previous = character
      }
      var group = ""
      for (index, span) in cell.split(separator: "`", omittingEmptySubsequences: false).enumerated()
      where index % 2 == 1 {
        let words = span.replacingOccurrences(of: "\\|", with: "|").split(separator: " ").map(String.init)
        if words.first == "mediabank" {
          group = words.count > 1 ? words[1] : ""
          spans.append(words.joined(separator: " "))
        } else {
          spans.append((["mediabank"] + (words.first == group ? [] : [group]) + words).joined(separator: " "))
        }
      }
    }
    return spans
  }

  @Test("the README's command tables name every command, only commands that exist, and only their options")
  func readmeCommandTable() throws {
    let commands = try commands()
    let byPath = Dictionary(uniqueKeysWithValues: commands.map { ($0.path.joined(separator: " "), $0) })
    let spans = try Self.readmeCommandSpans()
    #expect(spans.count > 35)
    var documented: Set<String> = []
    for span in spans {
      // The command is the longest run of words after `mediabank` that names one; `[list]` is a
      // group's default subcommand, and `accept|reject` names two.
      let words = span.split(separator: " ").dropFirst().map(String.init)
      var paths: [[String]] = [[]]
      for word in words {
        let bare = word.hasPrefix("[") && word.hasSuffix("]") ? String(word.dropFirst().dropLast()) : word
        let alternatives = bare.split(separator: "|").map(String.init)
        let extended = paths.flatMap { path in alternatives.map { path + [$0] } }
          .filter { byPath[$0.joined(separator: " ")] != nil }
        guard !extended.isEmpty else { break }
        paths = bare == word ? extended : paths + extended
      }
      let named = paths.filter { !$0.isEmpty }
      #expect(!named.isEmpty, "README names a command that does not exist: `\(span)`")
      for path in named {
        let command = try #require(byPath[path.joined(separator: " ")])
        documented.insert(path.joined(separator: " "))
        guard path.count == named.map(\.count).max() else { continue }
        let options = span.split(whereSeparator: { " []|=…".contains($0) }).map(String.init)
          .filter { $0.hasPrefix("--") && $0.count > 2 }
        for option in options where !command.options.contains(option) && command.isGroup == false {
          Issue.record(
            "README gives `\(option)` to `mediabank \(path.joined(separator: " "))`, which has no such option")
        }
      }
    }
    for command in commands where !command.isGroup && !command.path.isEmpty {
      let path = command.path.joined(separator: " ")
      #expect(documented.contains(path), "`mediabank \(path)` is missing from the README's command tables")
    }
  }

  @Test("the README's architecture table names every target of Package.swift")
  func architectureTable() throws {
    let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
    let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
    let section =
      try #require(readme.components(separatedBy: "## How it is built").dropFirst().first)
      .components(separatedBy: "\n## ").first ?? ""
    let declaration = try Regex(#"\.(target|executableTarget|systemLibrary)\(\s*name:\s*"([^"]+)""#)
    let targets = manifest.matches(of: declaration).compactMap { $0.output[2].substring.map(String.init) }
    #expect(targets.count >= 15)
    for target in targets {
      #expect(section.contains("`\(target)`"), "the README's architecture section does not name `\(target)`")
    }
  }

  @Test("--version is the version of the CHANGELOG's newest section")
  func versionFromChangelog() throws {
    let changelog = try String(contentsOf: Self.root.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
    let heading = try #require(changelog.split(separator: "\n").first { $0.hasPrefix("## [") })
    let version = try #require(heading.dropFirst(4).split(separator: "]").first).description
    #expect(version.wholeMatch(of: /[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?/) != nil, "\(heading)")
    #expect(heading.hasSuffix(" - Unreleased") || heading.wholeMatch(of: /## \[.*\] - \d{4}-\d{2}-\d{2}/) != nil)
    let printed = try cli("--version")
    #expect(printed.stdout == version + "\n")
  }
}
