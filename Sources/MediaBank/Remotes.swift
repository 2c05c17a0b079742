import Catalog
import Foundation

/// A bank this bank sends its bundles to over HTTP (`mediabank remote add`, `mediabank sync`).
public struct Remote: Codable, Equatable, Sendable {
  /// The destination's name, which its bundles are exported to (`national`).
  public var name: String
  /// Its server: `https://national.example.vn` (a path, if given, is where its API is mounted).
  public var url: String
  /// The key its receipts are signed with (a trusted bank's key), when it is trusted.
  public var keyId: String?
  public var addedAt: String
}

extension Library {
  /// Adds the remote `name` at `url`, whose receipts are signed with the key in
  /// `publicKeyFile` (registered as with `trust add --bank NAME`): `name` is the destination its
  /// bundles are exported to, `national` for the national bank. The same name again changes its
  /// URL (and registers the key, if it was not).
  @discardableResult
  public func addRemote(name: String, url: String, publicKeyFile: String?) throws(MediaBankError) -> Remote {
    let name = try Self.bankCode(name)
    guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme), parsed.host?.isEmpty == false,
      parsed.query == nil, parsed.fragment == nil, url.utf8.count <= 2048
    else {
      throw MediaBankError(.invalidInput, "'\(url)' is not the URL of a server (https://national.example.vn)")
    }
    if let publicKeyFile, try trustedBanks().first(where: { $0.bank == name }) == nil {
      try trust(bank: name, publicKeyFile: publicKeyFile)
    }
    guard try trustedBanks().contains(where: { $0.bank == name }) else {
      throw MediaBankError(
        .invalidInput, "give the key of \(name)'s receipts (--key FILE, its keys/bank.pub)")
    }
    let trimmed = url.hasSuffix("/") ? String(url.dropLast()) : url
    try catalogCall { () throws(CatalogError) in
      try catalog.setRemote(RemoteRow(name: name, url: trimmed, addedAt: Self.timestamp()))
    }
    return try remote(name)
  }

  /// The remotes, by name.
  public func remotes() throws(MediaBankError) -> [Remote] {
    let rows = try catalogCall { () throws(CatalogError) in try catalog.remotes() }
    let keys = Dictionary(try trustedBanks().map { ($0.bank, $0.keyId) }) { first, _ in first }
    return rows.map { Remote(name: $0.name, url: $0.url, keyId: keys[$0.name], addedAt: $0.addedAt) }
  }

  /// The remote `name`.
  public func remote(_ name: String) throws(MediaBankError) -> Remote {
    guard let remote = try remotes().first(where: { $0.name == name }) else {
      throw MediaBankError(.notFound, "there is no remote \(name) (`mediabank remote list`)")
    }
    return remote
  }

  /// Forgets the remote `name` (its key stays trusted: `trust remove` forgets it).
  @discardableResult
  public func removeRemote(_ name: String) throws(MediaBankError) -> Remote {
    let remote = try remote(name)
    _ = try catalogCall { () throws(CatalogError) in try catalog.removeRemote(name) }
    return remote
  }
}

/// A bundle this bank exported to a destination, and whether the destination's receipt for it
/// has been applied.
public struct ExportedBundle: Codable, Equatable, Sendable {
  public var id: String
  public var sequence: Int
  public var receiptApplied: Bool

  public init(id: String, sequence: Int, receiptApplied: Bool) {
    self.id = id
    self.sequence = sequence
    self.receiptApplied = receiptApplied
  }
}

extension Library {
  /// The bundles exported to `destination`, in order of sequence.
  public func exportedBundles(to destination: String) throws(MediaBankError) -> [ExportedBundle] {
    try catalogCall { () throws(CatalogError) in try catalog.exportBundles(destination: destination) }.map {
      ExportedBundle(id: $0.id, sequence: $0.sequence, receiptApplied: $0.receiptAppliedAt != nil)
    }
  }

  /// The file `mediabank sync` locks while it sends to `remote` (one sync at a time).
  public func syncLockPath(_ remote: String) -> String {
    root.appendingPathComponent("outbox/\(remote).lock").path
  }

  /// The directory of the bundles `mediabank sync` made for `remote` and has not seen received.
  public func outbox(_ remote: String) -> String {
    root.appendingPathComponent("outbox/\(remote)").path
  }
}
