import Foundation
import SystemIO
import Testing

@testable import SyncBundle

/// A full disk or a failing device while a bundle is written (faults injected at the POSIX
/// layer, issue 15 item 6): the writer fails with the system's reason and leaves no partial
/// bundle behind.
@Suite struct BundleFaultTests {
  /// What is in the scratch directory besides the fixture's object files.
  static func leftovers(_ fixture: Fixture) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: fixture.scratch.url.path).filter { !$0.hasPrefix("object-") }
      .sorted()
  }

  @Test(
    "ENOSPC or EIO while a bundle is written fails it and removes what was written",
    arguments: [(Call.write, Errno.noSpace, 0), (.write, .noSpace, 3), (.fsync, .ioError, 0), (.fsync, .noSpace, 0)])
  func faultWhileWriting(call: Call, errno: Errno, after: Int) throws {
    for tar in [false, true] {
      let fixture = Fixture()
      // The writer names files by their place in the bag: the fault is scoped to this thread.
      let error = try #require(throws: BundleError.self) {
        try FaultInjection.with([Fault(call, thisThread: .fail(errno), after: after)]) {
          _ = tar ? try fixture.writeTar() : try fixture.writeDirectory()
        }
      }
      #expect(error.reason == .io)
      #expect(error.errno == errno.rawValue)
      #expect(try Self.leftovers(fixture) == [], "tar: \(tar)")
    }
  }

  @Test("short writes and EINTR while a bundle is written still give a bundle that verifies")
  func interruptedWriting() throws {
    let fixture = Fixture()
    let bag = try FaultInjection.with([
      Fault(.write, thisThread: .shortWrite, times: 20),
      Fault(.write, thisThread: .fail(.interrupted), times: 5),
      Fault(.fsync, thisThread: .fail(.interrupted), times: 5),
    ]) {
      try fixture.writeDirectory()
    }
    _ = try BundleReader.verify(bag, keys: fixture.keys)
  }
}
