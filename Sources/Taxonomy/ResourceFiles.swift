internal import Foundation

/// Reads the data files shipped in the module's `vn-admin` resource folder.
enum ResourceFiles {
  /// The folder holding the shipped data (`Resources/vn-admin` in the source tree).
  static func directory() throws(TaxonomyError) -> URL {
    guard let url = Bundle.module.url(forResource: "vn-admin", withExtension: nil) else {
      throw TaxonomyError("the locality data is missing from the installation", subject: "vn-admin")
    }
    return url
  }

  /// Whether `name` is in `directory` (a cheap check when the file is read later).
  static func exists(_ name: String, in directory: URL) -> Bool {
    FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path)
  }

  /// The bytes of `name`.
  static func data(_ name: String, in directory: URL) throws(TaxonomyError) -> Data {
    do {
      return try Data(contentsOf: directory.appendingPathComponent(name), options: .mappedIfSafe)
    } catch {
      throw TaxonomyError("cannot read the shipped data file (\(error.localizedDescription))", subject: name)
    }
  }

  /// `name` parsed as a CSV table.
  static func table(_ name: String, in directory: URL) throws(TaxonomyError) -> CSVTable {
    try CSVTable(try data(name, in: directory), name: name)
  }
}
