import Catalog
import Foundation

extension Library {
  /// The records shown for the asset `reference` (an id or an unambiguous prefix of 4 or more
  /// hex digits): the bank's own asset, one record; or, on the national bank, the record of every
  /// province that sent the asset, each with its `sourceBank` and `receivedAt`, oldest first. Two
  /// provinces that sent the same photo each keep their title, tags and locality.
  ///
  /// `sourceBank` (a province code, as ``resolve(_:)`` makes it) keeps that province's record
  /// only; it is an error when that province sent no record of the asset.
  public func records(of reference: String, sourceBank: String? = nil) throws(MediaBankError) -> [AssetRecord] {
    let prefix = try Self.requiredPrefix(reference)
    let own = try catalogCall { () throws(CatalogError) in try catalog.ids(startingWith: prefix) }
    if sourceBank == nil, !own.isEmpty { return [try asset(reference)] }
    let rows = try catalogCall { () throws(CatalogError) in try catalog.contributions(assetIdPrefix: prefix) }
    let records = rows.compactMap(Self.record)
    guard let id = try Self.atMostOne(Array(Set(records.map(\.id))).sorted(), for: reference) else {
      throw MediaBankError(.notFound, "no asset \(reference) in this bank")
    }
    guard let sourceBank else { return records }
    let theirs = records.filter { $0.sourceBank == sourceBank }
    guard !theirs.isEmpty else {
      let senders = records.compactMap(\.sourceBank).joined(separator: ", ")
      throw MediaBankError(.notFound, "bank \(sourceBank) sent no record of \(id) (it was sent by \(senders))")
    }
    return theirs
  }
}
