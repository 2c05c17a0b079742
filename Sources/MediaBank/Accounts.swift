import Catalog
import Crypto
public import Foundation
import Glibc
import _CryptoExtras

/// What a person may do in the web library. Each role may do what the roles before it may.
public enum Role: String, CaseIterable, Comparable, Sendable {
  /// Browse, search, download.
  case viewer
  /// And upload, edit, tag, review, retract.
  case editor
  /// And delete, manage accounts, export, trust.
  case admin

  public static func < (a: Role, b: Role) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// A person who uses the web library (`mediabank user`).
public struct Account: Equatable, Sendable {
  public var name: String
  public var role: Role
  public var createdAt: String
  /// When the role or the password last changed.
  public var changedAt: String
  /// On the national bank, the 2-digit code of the province whose account it is: a viewer of the
  /// whole national library that edits nothing (the province edits in its own bank and syncs).
  public var province: String? = nil
}

/// A signed-in browser: the secret its cookie holds (known only to it and to this answer), the
/// token its forms send back, its account and when it ends. Or a script that sent an API token
/// (`byToken`): no cookie, so no form token to check.
public struct SignedIn: Sendable {
  public var secret: String
  public var formToken: String
  public var account: Account
  public var expiresAt: Date
  /// True for a request authenticated by an API token (`Authorization: Bearer`).
  public var byToken = false
}

/// A token a script uses to call the web library's API as an account (`mediabank token`).
public struct APIToken: Equatable, Sendable {
  public var id: Int64
  public var account: String
  public var name: String
  public var createdAt: String
}

/// Passwords as the catalog keeps them: `scrypt$<log2 N>$<r>$<p>$<salt>$<key>`, the salt (16
/// random bytes) and the 32-byte key in base64. scrypt is memory-hard: with N = 2^15 and r = 8
/// each guess costs 32 MiB and about a tenth of a second.
enum PasswordHash {
  static let logN = 15
  static let r = 8
  static let p = 1

  /// A new hash of `password`, with a new salt.
  static func make(_ password: String) throws(MediaBankError) -> String {
    var salt = [UInt8](repeating: 0, count: 16)
    var random = SystemRandomNumberGenerator()
    for index in salt.indices { salt[index] = random.next() }
    let key = try derive(password, salt: salt, logN: logN, r: r, p: p)
    return "scrypt$\(logN)$\(r)$\(p)$\(Data(salt).base64EncodedString())$\(Data(key).base64EncodedString())"
  }

  /// Whether `password` is the one `hash` was made of (false for a hash this version cannot read).
  static func check(_ password: String, against hash: String) -> Bool {
    let parts = hash.split(separator: "$", omittingEmptySubsequences: false)
    guard parts.count == 6, parts[0] == "scrypt", let logN = Int(parts[1]), let r = Int(parts[2]),
      let p = Int(parts[3]), (10...20).contains(logN), (1...16).contains(r), (1...4).contains(p),
      let salt = Data(base64Encoded: String(parts[4])), let expected = Data(base64Encoded: String(parts[5])),
      let key = try? derive(password, salt: Array(salt), logN: logN, r: r, p: p)
    else { return false }
    // Every byte compared, whatever the first difference.
    return key.count == expected.count && zip(key, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
  }

  private static func derive(_ password: String, salt: [UInt8], logN: Int, r: Int, p: Int) throws(MediaBankError)
    -> [UInt8]
  {
    do {
      let key = try KDF.Scrypt.deriveKey(
        from: Array(password.utf8), salt: salt, outputByteCount: 32, rounds: 1 << logN, blockSize: r,
        parallelism: p, maxMemory: (128 << logN) * r * p + (1 << 20))
      return key.withUnsafeBytes { Array($0) }
    } catch {
      throw MediaBankError("cannot hash the password: \(error)", wrapping: error, code: .internal)
    }
  }

  /// A hash of no one's password, checked when the name is unknown so that the answer takes as
  /// long as for a known name.
  static let decoy = "scrypt$15$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
}

extension Library {
  /// How long a sign-in lasts.
  public static let sessionLifetime: TimeInterval = 12 * 3600

  /// Every account, by name.
  public func accounts() throws(MediaBankError) -> [Account] {
    try catalogCall { () throws(CatalogError) in try catalog.accounts() }.compactMap(Self.account)
  }

  /// Adds an account; `actor` names who does it (in the account log). Throws for a name that is
  /// not 1 to 64 lowercase letters, digits, `.`, `_` or `-`, a name taken, or a password shorter
  /// than 10 characters. With `province` (a province's code or name, on the national bank only),
  /// the account is that province's: a viewer, and it stays one.
  @discardableResult
  public func addAccount(
    name: String, role: Role, password: String, province: String? = nil, by actor: String
  ) throws(MediaBankError) -> Account {
    try Self.checkAccountName(name)
    try Self.checkPassword(password)
    var code: String?
    if let province {
      guard try identity().national == true else {
        throw MediaBankError(
          .conflict, "a province's account is for the national bank; this bank's people are its own accounts")
      }
      guard role == .viewer else {
        throw MediaBankError(
          .invalidInput,
          "a province's account is a viewer: the province edits its records in its own bank and syncs them")
      }
      code = try Localities.province(province)
    }
    let row = AccountRow(
      name: name, role: role.rawValue, passwordHash: try PasswordHash.make(password), createdAt: Self.timestamp(),
      province: code)
    do {
      try catalog.addAccount(row, by: actor)
    } catch {
      if error.kind == .conflict { throw MediaBankError(.alreadyExists, "there is already an account \(name)") }
      throw MediaBankError(error.description, wrapping: error)
    }
    return Self.account(row)!
  }

  /// Gives the account `name` the role `role`.
  @discardableResult
  public func setRole(_ role: Role, of name: String, by actor: String) throws(MediaBankError) -> Account {
    if role != .viewer, let province = try accounts().first(where: { $0.name == name })?.province {
      throw MediaBankError(
        .conflict,
        "\(name) is the account of province \(province): a viewer, since the province edits its records in "
          + "its own bank and syncs them")
    }
    return try updateAccount(name, by: actor) { () throws(CatalogError) in
      try catalog.updateAccount(name, role: role.rawValue, at: Self.timestamp(), by: actor)
    }
  }

  /// Gives the account `name` a new password, and ends its sessions (its API tokens stay).
  @discardableResult
  public func setPassword(_ password: String, of name: String, by actor: String) throws(MediaBankError) -> Account {
    try Self.checkPassword(password)
    let hash = try PasswordHash.make(password)
    return try updateAccount(name, by: actor) { () throws(CatalogError) in
      try catalog.updateAccount(name, passwordHash: hash, at: Self.timestamp(), by: actor)
    }
  }

  /// Removes the account `name`, its sessions and its API tokens.
  public func removeAccount(_ name: String, by actor: String) throws(MediaBankError) {
    guard
      try catalogCall({ () throws(CatalogError) in try catalog.removeAccount(name, at: Self.timestamp(), by: actor) })
    else {
      throw MediaBankError(.notFound, "there is no account \(name)")
    }
  }

  /// Signs `name` in with `password`: a new session of `sessionLifetime`. Throws
  /// `.permissionDenied` with the same message whether the name or the password is wrong, after
  /// the same work.
  public func signIn(name: String, password: String, at date: Date = Date()) throws(MediaBankError) -> SignedIn {
    let row = try catalogCall { () throws(CatalogError) in try catalog.account(named: name) }
    guard PasswordHash.check(password, against: row?.passwordHash ?? PasswordHash.decoy), let row,
      let account = Self.account(row)
    else { throw MediaBankError(.permissionDenied, "wrong name or password") }
    let secret = Self.randomToken()
    let expires = date.addingTimeInterval(Self.sessionLifetime)
    let session = SessionRow(
      secretHash: Self.secretHash(secret), account: name, formToken: Self.randomToken(),
      createdAt: Self.timestamp(of: date), expiresAt: Self.timestamp(of: expires))
    try catalogCall { () throws(CatalogError) in try catalog.addSession(session) }
    return SignedIn(secret: secret, formToken: session.formToken, account: account, expiresAt: expires)
  }

  /// The session whose cookie holds `secret`, if it is still valid at `date`.
  public func session(secret: String, at date: Date = Date()) throws(MediaBankError) -> SignedIn? {
    guard secret.utf8.count == 43 else { return nil }
    let found = try catalogCall { () throws(CatalogError) in
      try catalog.session(secretHash: Self.secretHash(secret), now: Self.timestamp(of: date))
    }
    guard let (session, row) = found, let account = Self.account(row), let expires = Self.date(session.expiresAt)
    else { return nil }
    return SignedIn(secret: secret, formToken: session.formToken, account: account, expiresAt: expires)
  }

  /// Ends the session whose cookie holds `secret`.
  public func signOut(secret: String) throws(MediaBankError) {
    try catalogCall { () throws(CatalogError) in try catalog.removeSession(secretHash: Self.secretHash(secret)) }
  }

  /// Makes a token for the account `account`, named `name` (1 to 64 characters, unique for the
  /// account), and returns it with its secret, `mbt_` and 43 characters: shown once, kept only
  /// as its hash.
  public func createToken(account: String, name: String, by actor: String) throws(MediaBankError)
    -> (token: APIToken, secret: String)
  {
    guard (1...64).contains(name.count), !name.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
      throw MediaBankError(.invalidInput, "a token's name is 1 to 64 characters")
    }
    guard try catalogCall({ () throws(CatalogError) in try catalog.account(named: account) }) != nil else {
      throw MediaBankError(.notFound, "there is no account \(account)")
    }
    let secret = "mbt_" + Self.randomToken()
    let at = Self.timestamp()
    let id: Int64
    do {
      id = try catalog.addToken(account: account, name: name, secretHash: Self.secretHash(secret), at: at, by: actor)
    } catch {
      if error.kind == .conflict {
        throw MediaBankError(.alreadyExists, "\(account) has a token named \(name) already")
      }
      throw MediaBankError(error.description, wrapping: error)
    }
    return (APIToken(id: id, account: account, name: name, createdAt: at), secret)
  }

  /// Every token (never their secrets), by id.
  public func tokens() throws(MediaBankError) -> [APIToken] {
    try catalogCall { () throws(CatalogError) in try catalog.tokens() }.map {
      APIToken(id: $0.id, account: $0.account, name: $0.name, createdAt: $0.createdAt)
    }
  }

  /// Revokes the token `id`: the next request that sends it gets 401.
  public func revokeToken(_ id: Int64, by actor: String) throws(MediaBankError) {
    guard try catalogCall({ () throws(CatalogError) in try catalog.removeToken(id, at: Self.timestamp(), by: actor) })
    else { throw MediaBankError(.notFound, "there is no token \(id)") }
  }

  /// The account a request that sent the API token `secret` acts as; nil for a token that is
  /// not one (revoked, or never made).
  public func session(token secret: String) throws(MediaBankError) -> SignedIn? {
    guard secret.hasPrefix("mbt_"), secret.utf8.count == 47 else { return nil }
    let row = try catalogCall { () throws(CatalogError) in try catalog.tokenAccount(secretHash: Self.secretHash(secret))
    }
    guard let row, let account = Self.account(row) else { return nil }
    return SignedIn(secret: "", formToken: "", account: account, expiresAt: .distantFuture, byToken: true)
  }

  private func updateAccount(
    _ name: String, by actor: String, _ change: () throws(CatalogError) -> AccountRow?
  ) throws(MediaBankError) -> Account {
    guard let row = try catalogCall(change), let account = Self.account(row) else {
      throw MediaBankError(.notFound, "there is no account \(name)")
    }
    return account
  }

  private static func account(_ row: AccountRow) -> Account? {
    Role(rawValue: row.role).map {
      Account(name: row.name, role: $0, createdAt: row.createdAt, changedAt: row.changedAt, province: row.province)
    }
  }

  private static func checkAccountName(_ name: String) throws(MediaBankError) {
    guard (1...64).contains(name.utf8.count),
      name.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || "._-".utf8.contains($0) })
    else {
      throw MediaBankError(
        .invalidInput, "an account name is 1 to 64 lowercase letters, digits, '.', '_' or '-'")
    }
  }

  private static func checkPassword(_ password: String) throws(MediaBankError) {
    guard password.count >= 10 else { throw MediaBankError(.invalidInput, "a password has at least 10 characters") }
    guard password.utf8.count <= 1024 else {
      throw MediaBankError(.invalidInput, "a password has at most 1,024 bytes")
    }
  }

  /// 32 random bytes in base64url without padding (43 characters).
  static func randomToken() -> String {
    var random = SystemRandomNumberGenerator()
    let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
    return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
  }

  private static func secretHash(_ secret: String) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var hex: [UInt8] = []
    hex.reserveCapacity(64)
    for byte in SHA256.hash(data: Array(secret.utf8)) {
      hex.append(digits[Int(byte >> 4)])
      hex.append(digits[Int(byte & 0xF)])
    }
    return String(decoding: hex, as: UTF8.self)
  }

  /// The time a ``timestamp(of:)`` wrote (`2026-12-06T22:13:27Z`), read without a date
  /// formatter (making one per request was a quarter of the web server's time); nil for other
  /// text.
  static func date(_ timestamp: String) -> Date? {
    let bytes = Array(timestamp.utf8)
    guard bytes.count == 20, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54, bytes[13] == 0x3A,
      bytes[16] == 0x3A, bytes[19] == 0x5A
    else { return nil }
    func number(_ range: Range<Int>) -> Int32? {
      var value: Int32 = 0
      for byte in bytes[range] {
        guard (0x30...0x39).contains(byte) else { return nil }
        value = value * 10 + Int32(byte - 0x30)
      }
      return value
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
      let minute = number(14..<16), let second = number(17..<19)
    else { return nil }
    var parts = tm()
    parts.tm_year = year - 1900
    parts.tm_mon = month - 1
    parts.tm_mday = day
    parts.tm_hour = hour
    parts.tm_min = minute
    parts.tm_sec = second
    return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
  }

}
