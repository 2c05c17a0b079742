import GRDB

/// A bank this bank sends its bundles to over HTTP: its destination name and its server's URL.
public struct RemoteRow: Codable, Equatable, Sendable {
  public var name: String
  public var url: String
  public var addedAt: String

  public init(name: String, url: String, addedAt: String) {
    self.name = name
    self.url = url
    self.addedAt = addedAt
  }
}

extension Catalog {
  /// Adds `remote`, or changes the URL of the remote of its name.
  public func setRemote(_ remote: RemoteRow) throws(CatalogError) {
    try write { db in
      try db.execute(
        sql:
          "INSERT INTO remote (name, url, added_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET url = excluded.url",
        arguments: [remote.name, remote.url, remote.addedAt])
    }
  }

  /// The remotes, by name.
  public func remotes() throws(CatalogError) -> [RemoteRow] {
    try read { db in try RemoteRow.fetchAll(db, sql: "SELECT * FROM remote ORDER BY name") }
  }

  /// Removes the remote `name`; false when there was none.
  public func removeRemote(_ name: String) throws(CatalogError) -> Bool {
    try write { db in try RemoteRow.deleteOne(db, key: name) }
  }
}
