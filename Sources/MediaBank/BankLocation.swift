public import Foundation

/// Where the bank lives: `--bank PATH`, else `MEDIABANK_PATH`, else the XDG data directory
/// (`$XDG_DATA_HOME/mediabank`, by default `~/.local/share/mediabank`).
public enum BankLocation {
  /// Resolves the bank directory from an explicit path and the environment.
  public static func resolve(
    explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> URL {
    if let explicit, !explicit.isEmpty { return URL(fileURLWithPath: explicit).standardizedFileURL }
    if let path = environment["MEDIABANK_PATH"], !path.isEmpty {
      return URL(fileURLWithPath: path).standardizedFileURL
    }
    if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
      return URL(fileURLWithPath: data).appendingPathComponent("mediabank")
    }
    let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
    return URL(fileURLWithPath: home).appendingPathComponent(".local/share/mediabank")
  }
}
