import Dispatch
import Foundation

/// A bounded, blocking queue between threads: an import's workers and its writer, a listing's
/// catalog reader and the thread that hands out its records.
final class Channel<Element: Sendable>: @unchecked Sendable {
  private let condition = NSCondition()
  private var items: [Element] = []
  private var closed = false
  private let capacity: Int

  init(capacity: Int) { self.capacity = capacity }

  /// Adds an element, waiting while the queue is full.
  func send(_ element: Element) {
    condition.lock()
    defer { condition.unlock() }
    while items.count >= capacity && !closed { condition.wait() }
    items.append(element)
    condition.broadcast()
  }

  /// The next element, waiting for one; nil once the channel is closed and empty.
  func receive() -> Element? {
    condition.lock()
    defer { condition.unlock() }
    while items.isEmpty && !closed { condition.wait() }
    guard !items.isEmpty else { return nil }
    let element = items.removeFirst()
    condition.broadcast()
    return element
  }

  /// Whether ``close()`` was called: a sender may stop making elements.
  var isClosed: Bool {
    condition.lock()
    defer { condition.unlock() }
    return closed
  }

  /// No more elements will be sent.
  func close() {
    condition.lock()
    closed = true
    condition.broadcast()
    condition.unlock()
  }
}

extension Channel {
  /// A channel that `produce` fills on a thread of its own, closed when `produce` returns.
  /// `produce` stops early once the channel ``isClosed`` (its reader stopped).
  static func filled(capacity: Int, by produce: @escaping @Sendable (Channel) -> Void) -> Channel {
    let channel = Channel(capacity: capacity)
    DispatchQueue.global().async {
      produce(channel)
      channel.close()
    }
    return channel
  }
}
