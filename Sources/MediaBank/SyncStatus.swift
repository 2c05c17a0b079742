import Catalog
import Foundation
import Taxonomy

/// Where a bank stands with the banks it exchanges bundles with (`mediabank sync-status`).
public struct SyncStatus: Codable, Equatable, Sendable {
  /// A destination this bank exports to.
  public struct Destination: Codable, Equatable, Sendable {
    public var name: String
    public var bundles: Int
    public var lastBundle: String?
    public var lastExportedAt: String?
    /// Bundles whose receipt has not been applied yet.
    public var awaitingReceipt: [String]
    /// Assets whose changes are in no bundle yet: the next export's records (deletions included).
    public var pendingRecords: Int
    /// Of those, the deletions the destination has not been told of.
    public var pendingDeletions: Int
    /// Content objects the destination holds according to its receipts.
    public var heldObjects: Int
    /// Records the destination rejected, with the reason, while no later bundle resolved them.
    public var rejected: [Receipt.Rejection]
  }

  /// A bank this bank receives bundles from (the national bank's view of a province).
  public struct Source: Codable, Equatable, Sendable {
    public var bank: String
    public var bundles: Int
    public var lastBundle: String?
    public var lastReceivedAt: String?
    /// Assets it contributes now (retracted ones not counted).
    public var assets: Int
  }

  public var destinations: [Destination]
  public var sources: [Source]
}

/// The ministry's view of who contributes what (`mediabank report --national`).
public struct NationalReport: Codable, Equatable, Sendable {
  public struct Province: Codable, Equatable, Sendable {
    public var code: String
    public var name: String?
    /// Assets it contributes at the end of the year, and those received during it.
    public var assets: Int
    public var added: Int
    public var bundles: Int
    public var lastReceivedAt: String?
    /// Assets it had retracted by the end of the year: not counted in `assets`.
    public var retracted: Int = 0
    /// Confirmed tags only; local sub-pillars count under their national pillar.
    public var pillars: [String: Int]
    public var languages: [String: Int]
    public var kinds: [String: Int]
  }

  /// A province that sent no bundle during the year.
  public struct Silent: Codable, Equatable, Sendable {
    public var code: String
    public var name: String
  }

  public var year: Int
  /// Distinct assets (the same content from two provinces counts once).
  public var assets: Int
  public var provinces: [Province]
  /// The provinces of today's map that sent nothing during the year, by code.
  public var silent: [Silent]
}

extension Library {
  /// The bundles exported to each destination and received from each source, what waits for a
  /// receipt, and what the next export would carry.
  public func syncStatus() throws(MediaBankError) -> SyncStatus {
    let identity = try identity()
    let (bundles, received, trusted) = try catalogCall { () throws(CatalogError) in
      (try catalog.exportBundles(), try catalog.receivedBundles(), try catalog.trustedBanks())
    }
    var names = Set(bundles.map(\.destination))
    if identity.province != nil { names.insert("national") }
    var destinations: [SyncStatus.Destination] = []
    for name in names.sorted() {
      let mine = bundles.filter { $0.destination == name }
      let (pending, held) = try catalogCall { () throws(CatalogError) in
        (
          try catalog.exportCandidates(destination: name, full: false),
          try catalog.heldObjects(destination: name).count
        )
      }
      let rejected = try catalogCall { () throws(CatalogError) in try catalog.unresolvedRejections(destination: name) }
      destinations.append(
        SyncStatus.Destination(
          name: name, bundles: mine.count, lastBundle: mine.last?.id, lastExportedAt: mine.last?.createdAt,
          awaitingReceipt: mine.filter { $0.receiptAppliedAt == nil }.map(\.id), pendingRecords: pending.count,
          pendingDeletions: pending.filter { $0.deletion != nil }.count, heldObjects: held,
          rejected: rejected.map {
            Receipt.Rejection(id: $0.assetId, revision: $0.revision, reason: $0.reason ?? "")
          }))
    }
    var sources: [SyncStatus.Source] = []
    let contributed = try contributedRecords()
    let banks = Set(received.map(\.source)).union(trusted.map(\.bank).filter { $0 != "national" })
    for bank in banks.sorted() {
      let theirs = received.filter { $0.source == bank }
      sources.append(
        SyncStatus.Source(
          bank: bank, bundles: theirs.count, lastBundle: theirs.last?.id, lastReceivedAt: theirs.last?.receivedAt,
          assets: contributed.filter { $0.sourceBank == bank }.count))
    }
    return SyncStatus(destinations: destinations, sources: sources)
  }

  /// The national report for `year`: per province, the assets it contributes per pillar,
  /// language and kind, the bundles received and the date of the last one; and the provinces
  /// that sent nothing during the year. Throws on a bank that is not the national bank, and for a
  /// year that has not begun.
  public func nationalReport(year: Int) throws(MediaBankError) -> NationalReport {
    try BankReport.checkYear(year)
    let identity = try identity()
    guard identity.national == true else {
      let which = identity.province.map { "the bank of province \($0)" } ?? "this bank"
      throw MediaBankError(
        .conflict, "--national is for the national bank; \(which) makes its report with `mediabank report`")
    }
    let received = try catalogCall { () throws(CatalogError) in try catalog.receivedBundles() }
    let records = try contributedRecords()
    let retracted = try catalogCall { () throws(CatalogError) in try catalog.retractedContributions() }
    let gazetteer = try? Gazetteer.shared()
    let yearPrefix = String(year)
    var provinces: [NationalReport.Province] = []
    var distinct: Set<String> = []
    for code in Set(received.map(\.source)).sorted() {
      let bundles = received.filter { $0.source == code && $0.receivedAt.prefix(4) <= yearPrefix }
      var province = NationalReport.Province(
        code: code, name: gazetteer?.province(code: code)?.name, assets: 0, added: 0, bundles: bundles.count,
        lastReceivedAt: bundles.last?.receivedAt, pillars: [:], languages: [:], kinds: [:])
      for record in records where record.sourceBank == code && (record.receivedAt ?? "").prefix(4) <= yearPrefix {
        province.assets += 1
        distinct.insert(record.id)
        if record.receivedAt?.hasPrefix(yearPrefix) == true { province.added += 1 }
        province.kinds[record.kind, default: 0] += 1
        for pillar in Set((record.pillars ?? []).filter(\.confirmed).map { $0.parent ?? $0.code }) {
          province.pillars[pillar, default: 0] += 1
        }
        for language in Set((record.languages ?? []).filter(\.confirmed).map { $0.tag.lowercased() }) {
          province.languages[language, default: 0] += 1
        }
      }
      province.retracted = retracted.filter { $0.source == code && $0.receivedAt.prefix(4) <= yearPrefix }.count
      provinces.append(province)
    }
    let sent = Set(received.filter { $0.receivedAt.hasPrefix(yearPrefix) }.map(\.source))
    let silent = (gazetteer?.provinces ?? []).filter { !sent.contains($0.code) }.sorted { $0.code < $1.code }.map {
      NationalReport.Silent(code: $0.code, name: $0.name)
    }
    return NationalReport(year: year, assets: distinct.count, provinces: provinces, silent: silent)
  }
}
