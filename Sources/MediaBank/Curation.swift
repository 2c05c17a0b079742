import BlobStore
import Catalog
import Foundation

extension Library {
  // MARK: Purging

  /// Removes from the store the objects deletions queued (`Catalog.delete`): each only if nothing
  /// came to need it since, its file unlinked and its directory flushed while the catalog is
  /// locked. Called after every deletion, and when the bank is opened (to finish the work of a
  /// deletion that was interrupted). Returns how many objects were removed.
  @discardableResult
  func purgeQueuedObjects() throws(MediaBankError) -> Int {
    let queued = try catalogCall { () throws(CatalogError) in try catalog.purgeQueue() }
    var removed = 0
    for object in queued {
      let purged = try catalogCall { () throws(CatalogError) in
        try catalog.purge(object) { object in
          guard let id = BlobID(object) else { return }
          try store.remove(id)
        }
      }
      if purged { removed += 1 }
    }
    return removed
  }
}
