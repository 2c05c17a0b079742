import Catalog
import Foundation
import Testing

@testable import MediaBank

/// The web library's accounts through the facade: names, passwords, roles, sessions and the
/// account log.
@Suite struct AccountTests {
  let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("accounts-\(UUID())")
  let library: Library

  init() throws {
    library = try Library.open(at: scratch.appendingPathComponent("bank"), create: true)
  }

  @Test("an account signs in with its password only; a wrong name or password gets the same answer")
  func signIn() throws {
    let lan = try library.addAccount(name: "lan", role: .editor, password: "mật khẩu đủ dài", by: "root")
    #expect(lan.role == .editor)
    let signedIn = try library.signIn(name: "lan", password: "mật khẩu đủ dài")
    #expect(signedIn.account.name == "lan")
    #expect(signedIn.secret.count == 43 && signedIn.formToken.count == 43 && signedIn.secret != signedIn.formToken)
    let found = try #require(try library.session(secret: signedIn.secret))
    #expect(found.account == lan && found.formToken == signedIn.formToken)
    #expect(try library.session(secret: String(signedIn.secret.reversed())) == nil)
    #expect(try library.session(secret: "short") == nil)
    for (name, password) in [("lan", "mat khau du dai"), ("mai", "mật khẩu đủ dài")] {
      let error = try #require(throws: MediaBankError.self) { try library.signIn(name: name, password: password) }
      #expect(error.code == .permissionDenied && error.description == "wrong name or password")
    }
    // The catalog keeps a salted scrypt hash, never the password.
    let row = try #require(try library.catalog.account(named: "lan"))
    #expect(row.passwordHash.hasPrefix("scrypt$15$8$1$") && !row.passwordHash.contains("mật"))
    try library.signOut(secret: signedIn.secret)
    #expect(try library.session(secret: signedIn.secret) == nil)
  }

  @Test("a session ends after its lifetime")
  func expiry() throws {
    try library.addAccount(name: "lan", role: .viewer, password: "0123456789", by: "root")
    let start = Date()
    let signedIn = try library.signIn(name: "lan", password: "0123456789", at: start)
    #expect(
      try library.session(secret: signedIn.secret, at: start.addingTimeInterval(Library.sessionLifetime - 60)) != nil)
    #expect(
      try library.session(secret: signedIn.secret, at: start.addingTimeInterval(Library.sessionLifetime + 1)) == nil)
  }

  @Test("a session's end is read back from the catalog's timestamp to the second")
  func timestamps() {
    let date = Date(timeIntervalSince1970: 1_796_593_420)
    #expect(Library.timestamp(of: date) == "2026-12-06T21:43:40Z")
    #expect(Library.date("2026-12-06T21:43:40Z") == date)
    #expect(Library.date(Library.timestamp(of: Date(timeIntervalSince1970: 0))) == Date(timeIntervalSince1970: 0))
    for text in ["2026-12-06 22:23:40Z", "2026-12-06T22:23:40", "2026-12-06T22:23:4xZ", ""] {
      #expect(Library.date(text) == nil, "\(text)")
    }
  }

  @Test("names, passwords and duplicates are checked")
  func checks() throws {
    for name in ["", "Lan", "lan nguyen", "lan/..", "lân", String(repeating: "a", count: 65)] {
      let error = try #require(throws: MediaBankError.self, "\(name)") {
        try library.addAccount(name: name, role: .viewer, password: "0123456789", by: "root")
      }
      #expect(error.code == .invalidInput)
    }
    let short = try #require(throws: MediaBankError.self) {
      try library.addAccount(name: "lan", role: .viewer, password: "123456789", by: "root")
    }
    #expect(short.description == "a password has at least 10 characters")
    try library.addAccount(name: "lan.nguyen_2-b", role: .viewer, password: "0123456789", by: "root")
    let taken = try #require(throws: MediaBankError.self) {
      try library.addAccount(name: "lan.nguyen_2-b", role: .admin, password: "0123456789", by: "root")
    }
    #expect(taken.code == .alreadyExists)
    #expect(try library.accounts().map(\.role) == [.viewer])
  }

  @Test("a new password or a removal signs the account out; every change is in the account log")
  func changes() throws {
    try library.addAccount(name: "lan", role: .viewer, password: "0123456789", by: "root")
    let first = try library.signIn(name: "lan", password: "0123456789")
    #expect(try library.setRole(.admin, of: "lan", by: "mai").role == .admin)
    #expect(try library.session(secret: first.secret)?.account.role == .admin, "a role change keeps the session")
    try library.setPassword("abcdefghijk", of: "lan", by: "lan")
    #expect(try library.session(secret: first.secret) == nil)
    #expect(throws: MediaBankError.self) { try library.signIn(name: "lan", password: "0123456789") }
    let second = try library.signIn(name: "lan", password: "abcdefghijk")
    try library.removeAccount("lan", by: "root")
    #expect(try library.session(secret: second.secret) == nil)
    #expect(try library.accounts().isEmpty)
    let missing = try #require(throws: MediaBankError.self) { try library.removeAccount("lan", by: "root") }
    #expect(missing.code == .notFound)
    let log = try library.catalog.accountEvents()
    #expect(log.map(\.action) == ["add", "role", "password", "remove"])
    #expect(log.map(\.actor) == ["root", "mai", "lan", "root"])
    #expect(log.map(\.role) == ["viewer", "admin", nil, nil])
  }
}
