import Catalog
import Foundation

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
    let contributed = try catalogCall { () throws(CatalogError) in try catalog.contributionCounts() }
    let banks = Set(received.map(\.source)).union(trusted.map(\.bank).filter { $0 != "national" })
    for bank in banks.sorted() {
      let theirs = received.filter { $0.source == bank }
      sources.append(
        SyncStatus.Source(
          bank: bank, bundles: theirs.count, lastBundle: theirs.last?.id, lastReceivedAt: theirs.last?.receivedAt,
          assets: contributed[bank] ?? 0))
    }
    return SyncStatus(destinations: destinations, sources: sources)
  }
}
