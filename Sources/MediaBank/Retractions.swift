import Catalog

/// What `retract` or `unretract` did to one asset.
public struct RetractionChange: Codable, Equatable, Sendable {
  /// The full id.
  public var id: String
  /// False when there was nothing to do: the asset was already retracted (`retract`), or was
  /// not retracted (`unretract`).
  public var changed: Bool
  /// For `retract`, the retraction the asset already had; for `unretract`, the one removed.
  public var retraction: AssetRecord.Retraction?
}

extension Library {
  /// Withdraws assets (ids or unambiguous prefixes) from what the bank shares, in one
  /// transaction: they stay in the bank, and the next bundles carry a `retract` line for them
  /// instead of their record. Each retraction is audited (`retract`, by `operatorName`, else the
  /// login name). An asset already retracted keeps its first retraction (its change says so).
  @discardableResult
  public func retract(_ references: [String], reason: String, operatorName: String? = nil) throws(MediaBankError)
    -> [RetractionChange]
  {
    guard let reason = reason.cleanedText else {
      throw MediaBankError(.invalidInput, "give the reason for the retraction")
    }
    let ids = try ids(references)
    let earlier = try catalogCall { () throws(CatalogError) in
      try catalog.retract(ids, reason: reason, by: Self.actor(operatorName))
    }
    return zip(ids, earlier).map { id, earlier in
      RetractionChange(id: id, changed: earlier == nil, retraction: earlier.map(Self.retraction))
    }
  }

  /// Shares retracted assets (ids or unambiguous prefixes) again, in one transaction: their
  /// retractions go, so the next bundle carries their records again. Each is audited
  /// (`unretract`, by `operatorName`, else the login name). An asset that is not retracted is
  /// left as it is (its change says so).
  @discardableResult
  public func unretract(_ references: [String], operatorName: String? = nil) throws(MediaBankError)
    -> [RetractionChange]
  {
    let ids = try ids(references)
    let removed = try catalogCall { () throws(CatalogError) in
      try catalog.unretract(ids, by: Self.actor(operatorName))
    }
    return zip(ids, removed).map { id, removed in
      RetractionChange(id: id, changed: removed != nil, retraction: removed.map(Self.retraction))
    }
  }

  private static func retraction(_ row: RetractionRow) -> AssetRecord.Retraction {
    AssetRecord.Retraction(reason: row.reason, retractedAt: row.retractedAt)
  }
}
