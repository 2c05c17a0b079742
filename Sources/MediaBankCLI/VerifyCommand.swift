import ArgumentParser
import MediaBank
import Messages

struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check the catalog, re-hash every stored object and report what is wrong.",
    discussion: """
      Checks the catalog with SQLite's integrity check and foreign key check, then every object \
      on disk and every object the catalog refers to, on all cores. Each problem is printed, \
      objects with their id. Unreferenced objects are listed but are not problems. Exit status 1 \
      when the catalog is inconsistent or any object is missing or corrupt.
      """)

  @OptionGroup var bankOptions: BankOptions

  func run() throws {
    let library = try bankOptions.open(create: false)
    let report = try fatalOnError { try library.verify() }
    for problem in report.catalogProblems { print(say(.catalogProblem(Terminal.safe(problem)))) }
    if report.catalogProblemCount > report.catalogProblems.count {
      print(say(.moreCatalogProblems(report.catalogProblemCount - report.catalogProblems.count)))
    }
    for problem in report.problems { print("\(problem.id): \(problem.problem)") }
    for id in report.unreferenced { print(say(.unreferenced(id))) }
    print(say(.checked(objects: report.checked, problems: report.problems.count)))
    print(say(report.catalogProblemCount == 0 ? .catalogIntact : .catalogProblems(report.catalogProblemCount)))
    if !report.isSound { throw Status.partialFailure }
  }
}
