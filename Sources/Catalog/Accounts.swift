import GRDB

/// A person who uses the web library (`mediabank user`), as the catalog holds them.
public struct AccountRow: Codable, Equatable, Sendable {
  /// The login name: 1 to 64 lowercase letters, digits, `.`, `_` and `-`.
  public var name: String
  /// `viewer`, `editor` or `admin`.
  public var role: String
  /// The password's scrypt hash with its parameters and salt (see `Storage/catalog.md`).
  public var passwordHash: String
  public var createdAt: String
  /// When the role or the password last changed.
  public var changedAt: String
  /// On the national bank, the 2-digit code of the province whose account it is (a viewer).
  public var province: String?

  public init(name: String, role: String, passwordHash: String, createdAt: String, province: String? = nil) {
    self.name = name
    self.role = role
    self.passwordHash = passwordHash
    self.createdAt = createdAt
    self.changedAt = createdAt
    self.province = province
  }

}

/// A signed-in browser: the SHA-256 of its cookie's secret (the secret itself is never stored),
/// whose account, and until when.
public struct SessionRow: Codable, Equatable, Sendable {
  /// Lowercase hex SHA-256 of the session secret.
  public var secretHash: String
  public var account: String
  /// The token every form of the session sends back (CSRF).
  public var formToken: String
  public var createdAt: String
  public var expiresAt: String

  public init(secretHash: String, account: String, formToken: String, createdAt: String, expiresAt: String) {
    self.secretHash = secretHash
    self.account = account
    self.formToken = formToken
    self.createdAt = createdAt
    self.expiresAt = expiresAt
  }

}

extension Catalog {
  /// Every account, by name.
  public func accounts() throws(CatalogError) -> [AccountRow] {
    try read { db in try AccountRow.order(Column("name")).fetchAll(db) }
  }

  /// The account `name`, if there is one.
  public func account(named name: String) throws(CatalogError) -> AccountRow? {
    try read { db in try AccountRow.fetchOne(db, key: name) }
  }

  /// Adds `account`, and its event done by `by`. Throws (a constraint) when the name is taken.
  public func addAccount(_ account: AccountRow, by actor: String) throws(CatalogError) {
    try write { db in
      try account.insert(db)
      try Self.accountEvent(
        db, at: account.createdAt, by: actor, account: account.name, action: "add", role: account.role)
    }
  }

  /// Changes the role and/or the password hash of the account `name` at `at`; a new password
  /// ends its sessions. Returns the account as it is now, nil when there is none.
  public func updateAccount(
    _ name: String, role: String? = nil, passwordHash: String? = nil, at: String, by actor: String
  ) throws(CatalogError) -> AccountRow? {
    try write { db in
      guard var account = try AccountRow.fetchOne(db, key: name) else { return nil }
      if let role, role != account.role {
        account.role = role
        try Self.accountEvent(db, at: at, by: actor, account: name, action: "role", role: role)
      }
      if let passwordHash {
        account.passwordHash = passwordHash
        try SessionRow.filter(Column("account") == name).deleteAll(db)
        try Self.accountEvent(db, at: at, by: actor, account: name, action: "password", role: nil)
      }
      account.changedAt = at
      try account.update(db)
      return account
    }
  }

  /// Removes the account `name` and its sessions; false when there is none.
  public func removeAccount(_ name: String, at: String, by actor: String) throws(CatalogError) -> Bool {
    try write { db in
      guard try AccountRow.deleteOne(db, key: name) else { return false }
      try Self.accountEvent(db, at: at, by: actor, account: name, action: "remove", role: nil)
      return true
    }
  }

  /// Starts `session`, and removes the sessions that expired before it began.
  public func addSession(_ session: SessionRow) throws(CatalogError) {
    try write { db in
      try SessionRow.filter(Column("expires_at") <= session.createdAt).deleteAll(db)
      try session.insert(db)
    }
  }

  /// The session whose secret hashes to `secretHash` and its account, when it has not expired
  /// at `now`.
  public func session(secretHash: String, now: String) throws(CatalogError) -> (SessionRow, AccountRow)? {
    try readOneStatement { db in
      // Asked by every request of a signed-in browser (each preview of a page): one statement,
      // prepared once per connection, read by column.
      let statement = try db.cachedStatement(
        sql: """
          SELECT session.form_token, session.created_at, session.expires_at, \(Self.accountColumns)
          FROM session JOIN account ON account.name = session.account
          WHERE session.secret_hash = ? AND session.expires_at > ?
          """)
      guard let row = try Row.fetchOne(statement, arguments: [secretHash, now]) else { return nil }
      let account = Self.account(row, from: 3)
      let session = SessionRow(
        secretHash: secretHash, account: account.name, formToken: row[0], createdAt: row[1], expiresAt: row[2])
      return (session, account)
    }
  }

  /// The columns of an account that `account(_:from:)` reads, in its order.
  private static let accountColumns =
    "account.name, account.role, account.password_hash, account.created_at, account.changed_at, account.province"

  /// The account in the columns `accountColumns` of `row`, from column `first`.
  private static func account(_ row: Row, from first: Int) -> AccountRow {
    var account = AccountRow(
      name: row[first], role: row[first + 1], passwordHash: row[first + 2], createdAt: row[first + 3],
      province: row[first + 5])
    account.changedAt = row[first + 4]
    return account
  }

  /// Ends the session whose secret hashes to `secretHash` (nothing when there is none).
  public func removeSession(secretHash: String) throws(CatalogError) {
    try write { db in _ = try SessionRow.deleteOne(db, key: secretHash) }
  }

  private static func accountEvent(
    _ db: Database, at: String, by actor: String, account: String, action: String, role: String?
  ) throws {
    try db.execute(
      sql: "INSERT INTO account_event (at, actor, account, action, role) VALUES (?, ?, ?, ?, ?)",
      arguments: [at, actor, account, action, role])
  }

  /// The changes to accounts, oldest first: when, by whom, which account, what (`add`, `role`,
  /// `password`, `remove`) and the new role.
  public func accountEvents() throws(CatalogError) -> [(
    at: String, actor: String, account: String, action: String, role: String?
  )] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT at, actor, account, action, role FROM account_event ORDER BY id").map {
        ($0[0], $0[1], $0[2], $0[3], $0[4])
      }
    }
  }

  // MARK: API tokens

  /// Adds a token of `account` named `name` whose secret hashes to `secretHash`; returns its id.
  /// Throws (a constraint) when the account has a token of that name, or has no account.
  public func addToken(account: String, name: String, secretHash: String, at: String, by actor: String)
    throws(CatalogError) -> Int64
  {
    try write { db in
      try db.execute(
        sql: "INSERT INTO api_token (account, name, secret_hash, created_at) VALUES (?, ?, ?, ?)",
        arguments: [account, name, secretHash, at])
      let id = db.lastInsertedRowID
      try db.execute(
        sql: "INSERT INTO token_event (at, actor, account, token, action) VALUES (?, ?, ?, ?, 'create')",
        arguments: [at, actor, account, name])
      return id
    }
  }

  /// Every token: its id, account, name and creation time, by id.
  public func tokens() throws(CatalogError) -> [(id: Int64, account: String, name: String, createdAt: String)] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT id, account, name, created_at FROM api_token ORDER BY id").map {
        ($0[0], $0[1], $0[2], $0[3])
      }
    }
  }

  /// Deletes the token `id`; false when there is none.
  public func removeToken(_ id: Int64, at: String, by actor: String) throws(CatalogError) -> Bool {
    try write { db in
      guard let row = try Row.fetchOne(db, sql: "SELECT account, name FROM api_token WHERE id = ?", arguments: [id])
      else { return false }
      try db.execute(sql: "DELETE FROM api_token WHERE id = ?", arguments: [id])
      try db.execute(
        sql: "INSERT INTO token_event (at, actor, account, token, action) VALUES (?, ?, ?, ?, 'revoke')",
        arguments: [at, actor, row[0] as String, row[1] as String])
      return true
    }
  }

  /// The account of the token whose secret hashes to `secretHash`, if there is one.
  public func tokenAccount(secretHash: String) throws(CatalogError) -> AccountRow? {
    try readOneStatement { db in
      let statement = try db.cachedStatement(
        sql: """
          SELECT \(Self.accountColumns) FROM api_token JOIN account ON account.name = api_token.account
          WHERE api_token.secret_hash = ?
          """)
      return try Row.fetchOne(statement, arguments: [secretHash]).map { Self.account($0, from: 0) }
    }
  }
}
