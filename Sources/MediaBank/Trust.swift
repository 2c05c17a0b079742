import Catalog
import Crypto
import Foundation
import SyncBundle
import Taxonomy

/// A bank whose bundles or receipts this bank checks: a province (by its code) or `national`.
public struct TrustedBank: Codable, Equatable, Sendable {
  public var bank: String
  /// The key its bundles or receipts must be signed with now.
  public var keyId: String
  /// Since when that key is trusted: when it was registered, or when a bundle carried the
  /// rotation to it.
  public var addedAt: String
  /// The bank's key rotations this bank applied, oldest first.
  public var rotations: [KeyRotationEvent]
}

/// A bank replaced its signing key (`mediabank key rotate`).
public struct KeyRotationEvent: Codable, Equatable, Sendable {
  public var bank: String
  public var oldKeyId: String
  public var newKeyId: String
  /// When the bank replaced its key, as its statement says.
  public var rotatedAt: String
  /// When this bank recorded it.
  public var recordedAt: String
  /// The bundle that carried the statement; nil for this bank's own rotation.
  public var bundle: String?

  init(_ row: KeyRotationRow) {
    self.bank = row.bank
    self.oldKeyId = row.oldKeyId
    self.newKeyId = row.newKeyId
    self.rotatedAt = row.rotatedAt
    self.recordedAt = row.recordedAt
    self.bundle = row.bundle
  }
}

/// The keys a bundle may be signed with, each with the bank it belongs to when that is known, and
/// the keys replaced by a rotation (refused, with the reason). `receive` and `verify-bundle` look
/// keys up here, so both accept and refuse the same bundles.
public struct BundleKeys: Sendable {
  var keys: [String: (bank: String?, key: TrustedKey)] = [:]
  var replaced: [String: KeyRotationRow] = [:]

  /// Keys given by hand (`verify-bundle --public-key`), of no known bank.
  public init(_ keys: [TrustedKey] = []) {
    for key in keys { self.keys[key.keyId] = (nil, key) }
  }

  mutating func add(_ key: TrustedKey, bank: String) {
    keys[key.keyId] = (bank, key)
  }

  func key(_ id: String) -> Curve25519.Signing.PublicKey? { keys[id]?.key.key }

  /// The key registered for `bank`, if any.
  func key(ofBank bank: String) -> TrustedKey? { keys.values.first { $0.bank == bank }?.key }
}

extension Library {
  // MARK: Bank codes

  /// `code` if it names a bank MediaBank exchanges bundles with: one of the 34 provinces in force
  /// since 1 July 2025 (two digits), or `national`. A former province's code is refused naming
  /// the province it is part of now.
  public static func bankCode(_ code: String) throws(MediaBankError) -> String {
    if code == "national" { return code }
    let gazetteer: Gazetteer
    do {
      gazetteer = try Gazetteer.shared()
    } catch {
      throw MediaBankError("cannot load the locality data: \(error)", wrapping: error, code: .internal)
    }
    if gazetteer.province(code: code) != nil { return code }
    if let former = gazetteer.formerProvinces.first(where: { $0.code == code }),
      let now = gazetteer.provinces.first(where: { $0.formerProvinceCodes.contains(code) })
    {
      let name = former.name.replacingOccurrences(of: "Thành phố ", with: "").replacingOccurrences(
        of: "Tỉnh ", with: "")
      throw MediaBankError(
        .invalidInput, "\(code) is former \(name), now part of \(now.code) \(now.shortName); use \(now.code)")
    }
    throw MediaBankError(
      .invalidInput,
      "'\(code)' is not a bank: give one of the 34 provinces' 2-digit codes (01–\(gazetteer.provinces.last?.code ?? "96"), "
        + "e.g. 19 for Thái Nguyên; `mediabank locality resolve NAME` gives a province's code) or `national`")
  }

  // MARK: Trust

  /// Registers the public key (a `.pub` file) of `bank`: a province's code (one of the 34), or
  /// `national`. The same key again changes nothing; another key for a trusted bank is refused,
  /// and so is this bank's own key or a key registered for another bank.
  @discardableResult
  public func trust(bank: String, publicKeyFile: String) throws(MediaBankError) -> TrustedBank {
    let bank = try Self.bankCode(bank)
    let key = try TrustedKey.read(file: publicKeyFile)
    let identity = try identity()
    guard key.keyId != identity.keyId else {
      throw MediaBankError(
        .invalidInput, "this is this bank's own key; register the other bank's keys/bank.pub", path: publicKeyFile)
    }
    guard bank != identity.bundleSource else {
      throw MediaBankError(.invalidInput, "bank \(bank) is this bank; trust the banks it exchanges bundles with")
    }
    let row = TrustedBankRow(
      bank: bank, keyId: key.keyId, publicKey: key.raw.base64EncodedString(), addedAt: Self.timestamp())
    try catalogCall { () throws(CatalogError) in try catalog.trust(row) }
    return try trustedBanks().first { $0.bank == bank }
      ?? TrustedBank(bank: bank, keyId: key.keyId, addedAt: row.addedAt, rotations: [])
  }

  /// Forgets the key of `bank`: its next bundle (or receipt) is refused until a key is registered
  /// again. What it sent stays. Returns what was trusted.
  @discardableResult
  public func untrust(bank: String) throws(MediaBankError) -> TrustedBank {
    let removed = try catalogCall { () throws(CatalogError) in try catalog.untrust(bank: bank) }
    guard let removed else {
      throw MediaBankError(.notFound, "bank \(bank) is not trusted here (`mediabank trust list`)")
    }
    return TrustedBank(bank: removed.bank, keyId: removed.keyId, addedAt: removed.addedAt, rotations: [])
  }

  /// The banks this bank trusts, with the key rotations their bundles carried.
  public func trustedBanks() throws(MediaBankError) -> [TrustedBank] {
    let (rows, rotations) = try catalogCall { () throws(CatalogError) in
      (try catalog.trustedBanks(), try catalog.keyRotations())
    }
    return rows.map { row in
      TrustedBank(
        bank: row.bank, keyId: row.keyId, addedAt: row.addedAt,
        rotations: rotations.filter { $0.bank == row.bank && $0.bundle != nil }.map(KeyRotationEvent.init))
    }
  }

  /// The trusted keys, by bank.
  func trustedKeys() throws(MediaBankError) -> [String: TrustedKey] {
    var keys: [String: TrustedKey] = [:]
    for row in try catalogCall({ () throws(CatalogError) in try catalog.trustedBanks() }) {
      keys[row.bank] = try TrustedKey(base64: row.publicKey, name: "the key of bank \(row.bank)")
    }
    return keys
  }

  /// The keys bundles may be signed with in this bank: every trusted bank's, this bank's own, and
  /// `extra` (given by hand); with the keys rotations replaced.
  public func bundleKeys(extra: [TrustedKey] = []) throws(MediaBankError) -> BundleKeys {
    var keys = BundleKeys(extra)
    let identity = try identity()
    keys.add(try TrustedKey(base64: identity.publicKey, name: "bank.json"), bank: identity.bundleSource)
    for (bank, key) in try trustedKeys() { keys.add(key, bank: bank) }
    for rotation in try catalogCall({ () throws(CatalogError) in try catalog.keyRotations() }) {
      keys.replaced[rotation.oldKeyId] = rotation
    }
    return keys
  }

  /// Verifies the bundle at `path` (`BundleReader.verify`) with `keys`, and that the key that
  /// signed it, or the key its rotation statements start from, is the key of the bundle's source
  /// bank when `keys` knows whose it is. A bundle signed by a key a rotation replaced is refused
  /// as such.
  static func verifiedBundle(at path: String, keys: BundleKeys, workDirectory: URL? = nil) throws(MediaBankError)
    -> VerifiedBundle
  {
    let verified: VerifiedBundle
    do {
      verified = try BundleReader.verify(
        URL(fileURLWithPath: path), keys: { keys.key($0) }, workDirectory: workDirectory)
    } catch {
      if error.reason == .unknownKey, let signer = keys.replaced.keys.first(where: { error.message.contains($0) }),
        let rotation = keys.replaced[signer]
      {
        throw MediaBankError(
          "\(error.bundle): signed by \(signer), the key bank \(rotation.bank) replaced with \(rotation.newKeyId) "
            + "on \(rotation.rotatedAt); a bundle signed by a replaced key is refused", wrapping: error)
      }
      throw MediaBankError(error.description, wrapping: error)
    }
    let info = verified.info
    let start = verified.rotations.first?.oldKeyId ?? verified.signingKeyId
    if let owner = keys.keys[start]?.bank, owner != info.sourceBank {
      verified.cleanup()
      throw MediaBankError(
        .refused(.badSignature),
        "signed by \(start), the key of bank \(owner), but the bundle says it comes from bank \(info.sourceBank)",
        path: info.bundleId)
    }
    if let stranger = verified.rotations.first(where: {
      $0.bank != info.sourceBank || $0.bankId != info.sourceBankId
    }) {
      verified.cleanup()
      throw MediaBankError(
        .refused(.badSignature),
        "its key rotation statement is bank \(stranger.bank)'s (\(stranger.bankId)), not the source bank's",
        path: info.bundleId)
    }
    return verified
  }
}

extension BankIdentity {
  /// The name bundles and receipts give this bank: its province code, or `national`.
  var bundleSource: String { national == true ? "national" : province ?? "" }
}
