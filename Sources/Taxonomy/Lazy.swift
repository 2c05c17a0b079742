import Synchronization

/// A value made on first use, then kept: the shipped data a command may not need (the names of
/// former units, the commune boundaries, the language profiles) is read only by the commands that
/// use it. The first thread to ask makes the value, the others wait for it; a failure is kept too.
final class Lazy<Value: Sendable>: Sendable {
  private enum State {
    case pending(@Sendable () throws(TaxonomyError) -> Value)
    case made(Result<Value, TaxonomyError>)
  }

  private let state: Mutex<State>

  /// A value that `make` makes on first use.
  init(_ make: @escaping @Sendable () throws(TaxonomyError) -> Value) {
    state = Mutex(.pending(make))
  }

  /// A value made already.
  init(made value: Value) {
    state = Mutex(.made(.success(value)))
  }

  /// The value, made now if it is the first use; the error that making it threw, every time.
  func get() throws(TaxonomyError) -> Value {
    try state.withLock { state in
      switch state {
      case .made(let result):
        return result
      case .pending(let make):
        let result = Result { () throws(TaxonomyError) -> Value in try make() }
        state = .made(result)
        return result
      }
    }.get()
  }

  /// The value of shipped data whose files were found when the value was set up: they were
  /// checked by the tests, so a failure to read them now means a damaged installation, and stops
  /// the program with the reason.
  var shipped: Value {
    do {
      return try get()
    } catch {
      fatalError("the data shipped with mediabank is damaged (\(error)); reinstall mediabank")
    }
  }
}
