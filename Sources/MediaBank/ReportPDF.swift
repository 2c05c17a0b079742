public import Foundation

extension ReportDocument {
  /// The LibreOffice program that converts documents (`soffice`), from `PATH`; nil when
  /// LibreOffice is not installed.
  public static func officeProgram(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
    let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for directory in path.split(separator: ":") where !directory.isEmpty {
      let candidate = "\(directory)/soffice"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// The PDF of a `.docx` document, converted by LibreOffice in headless mode
  /// (`soffice --headless --convert-to pdf`) in a temporary directory, with a profile of its own
  /// so that conversions may run beside an open LibreOffice. Throws, saying what to install, when
  /// LibreOffice is not there.
  public static func pdf(fromDOCX document: Data) throws(MediaBankError) -> Data {
    guard let soffice = officeProgram() else {
      throw MediaBankError(
        .unavailable,
        "--format pdf needs LibreOffice, which is not installed: install the Debian package "
          + "libreoffice-writer-nogui (scripts/setup does), or write --format docx and convert it elsewhere")
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mediabank-report-\(UUID())")
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = directory.appendingPathComponent("report.docx")
    let log = directory.appendingPathComponent("soffice.log")
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try document.write(to: source)
      _ = FileManager.default.createFile(atPath: log.path, contents: nil)
      let process = Process()
      process.executableURL = URL(fileURLWithPath: soffice)
      process.arguments = [
        "-env:UserInstallation=\(directory.appendingPathComponent("profile").absoluteString)", "--headless",
        "--convert-to", "pdf", "--outdir", directory.path, source.path,
      ]
      var environment = ProcessInfo.processInfo.environment
      environment["HOME"] = directory.path
      process.environment = environment
      let output = try FileHandle(forWritingTo: log)
      defer { try? output.close() }
      process.standardOutput = output
      process.standardError = output
      process.standardInput = FileHandle.nullDevice
      try process.run()
      process.waitUntilExit()
      let result = directory.appendingPathComponent("report.pdf")
      guard process.terminationStatus == 0, let pdf = try? Data(contentsOf: result), !pdf.isEmpty else {
        let said = (try? String(contentsOf: log, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        throw MediaBankError(
          .internal,
          "LibreOffice could not convert the report to PDF (status \(process.terminationStatus))"
            + (said.map { $0.isEmpty ? "" : ": \($0)" } ?? ""))
      }
      return pdf
    } catch let error as MediaBankError {
      throw error
    } catch {
      throw MediaBankError("cannot convert the report to PDF: \(error)", wrapping: error)
    }
  }
}
