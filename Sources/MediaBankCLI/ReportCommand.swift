import ArgumentParser
import Foundation
import Glibc
import MediaBank
import SystemIO

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "The yearly report to the ministry: assets per pillar, language, locality and kind.",
    discussion: """
      Counts the assets held at the end of the year, those added during it and those captured \
      during it (by capture date, else by a year in their folder names: an archive imported this \
      year is not this year's production), per image pillar, language, province, commune, kind \
      and year of capture, and lists the pillar × language cells with no asset (the gap table: \
      what to produce next). Retracted and deleted assets are not held: they have their own \
      line. Province and commune rows carry their names, and a `chưa xác định (no locality)` row \
      makes each table add up to the assets held. Only confirmed tags count; assets whose tags \
      are still suggestions are counted apart (see `mediabank review`).

      Formats: md (Vietnamese, English in parentheses), csv (UTF-8 with a byte order mark, the \
      totals as `summary` rows), json, docx (a Word document in the administrative format of \
      Decree 30/2020/NĐ-CP: issuing body, national title and motto, number, place and date, \
      subject, sections with tables, recipients, signature block) and pdf (the same document \
      converted by LibreOffice, `soffice --headless`; Debian package libreoffice-writer-nogui). \
      docx and pdf are written to --out FILE, or to standard output when it is not a terminal.

      A provincial bank reports on itself. The national bank reports on the provinces \
      (--national: what each contributes, and the provinces that sent nothing in the year), or on \
      one province's contribution (--source-bank CODE); with --format csv, --national lists every \
      province's rows with the provincial columns and `source_bank`. A year that has not begun is \
      refused.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case md, csv, json, docx, pdf

    var isBinary: Bool { self == .docx || self == .pdf }
  }

  @OptionGroup var bankOptions: BankOptions

  @Option(help: ArgumentHelp("The reporting year (this year or an earlier one).", valueName: "year"))
  var year: Int = Calendar(identifier: .gregorian).component(.year, from: Date())

  @Option(help: "Output format: md, csv, json, docx or pdf.")
  var format: Format = .md

  @Option(
    help: ArgumentHelp(
      "Write the report to this file instead of standard output (needed for docx and pdf on a terminal).",
      valueName: "file"))
  var out: String?

  @Flag(
    help:
      "On the national bank: per province, assets per pillar, language and kind, bundles received; the provinces that sent nothing."
  )
  var national = false

  @Option(
    name: .customLong("source-bank"),
    help: ArgumentHelp("On the national bank: the report of what this province contributed.", valueName: "code"))
  var sourceBank: String?

  func validate() throws {
    guard (2000...2100).contains(year) else { throw ValidationError("--year must be a year such as 2026") }
    do {
      try BankReport.checkYear(year)
    } catch {
      throw ValidationError("--year: \(error.reason)")
    }
    if national, sourceBank != nil { throw ValidationError("give --national or --source-bank, not both") }
    if format.isBinary, out == nil, isatty(STDOUT_FILENO) == 1 {
      throw ValidationError(
        "--format \(format.rawValue) writes a binary document: give --out FILE, or redirect the output")
    }
  }

  func run() throws {
    let library = try bankOptions.open(create: false)
    let output: Data
    if national {
      let report = try fatalOnError { try library.nationalReport(year: year) }
      switch format {
      case .json: output = try ReportFormatter.json(report)
      case .csv:
        let reports = try fatalOnError { try library.contributionReports(of: report) }
        output = Data(ReportFormatter.csv(report, provinces: reports).utf8)
      case .md: output = Data(ReportFormatter.markdown(report).utf8)
      case .docx, .pdf:
        let name = try fatalOnError { try library.identity().name }
        output = try fatalOnError { try document(ReportDocument.docx(report, bankName: name)) }
      }
    } else {
      let report = try fatalOnError { try library.report(year: year, sourceBank: sourceBank) }
      switch format {
      case .json: output = try ReportFormatter.json(report)
      case .csv: output = Data(ReportFormatter.csv(report).utf8)
      case .md: output = Data(ReportFormatter.markdown(report).utf8)
      case .docx, .pdf: output = try fatalOnError { try document(ReportDocument.docx(report)) }
      }
    }
    do {
      if let out {
        try IO.writeAtomically(output, to: out)
      } else {
        try IO.writeToStandardOutput(output)
      }
    } catch {
      printError(say(.error(say(.reportNotWritten(out: out)) + ": \(error.reason)")))
      throw Status.fatal
    }
  }

  /// The document in the chosen format: the `.docx` as it is, or converted to PDF.
  private func document(_ docx: Data) throws(MediaBankError) -> Data {
    format == .pdf ? try ReportDocument.pdf(fromDOCX: docx) : docx
  }
}
