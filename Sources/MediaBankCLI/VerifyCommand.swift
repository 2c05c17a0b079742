import ArgumentParser
import MediaBank

struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Re-hash every stored object and report missing or corrupt ones.",
    discussion: """
      Checks every object on disk and every object the catalog refers to, on all cores. Each \
      problem is printed with the object id. Exit status 1 when any object is missing or corrupt.
      """)

  @OptionGroup var bankOptions: BankOptions

  func run() throws {
    let library = try bankOptions.open(create: false)
    let report = try fatalOnError { try library.verify() }
    for problem in report.problems { print("\(problem.id): \(problem.problem)") }
    for id in report.unreferenced {
      print("\(id): unreferenced (no asset names it: left by an interrupted add or receive, or retracted; harmless)")
    }
    print(
      "Checked \(Terminal.count(report.checked, "object")): \(report.checked - report.problems.count) intact, "
        + "\(report.problems.count) with problems.")
    if !report.problems.isEmpty { throw Status.partialFailure }
  }
}
