public import Catalog

/// The orders of a listing: when the assets were added, or when they were captured.
public typealias AssetOrder = ListingOrder
