import Foundation
import GRDB
import Synchronization

/// Decodes a catalog row into a `Decodable` whose property names are its columns' names in
/// camel case (`media_type` → `mediaType`), as GRDB's `convertFromSnakeCase` strategy does, but
/// with the work per column done once per query shape instead of once per row.
///
/// GRDB's strategy converts the name of every column of every row it decodes and looks each key
/// up by name (a lower-casing and a linear search): on a listing of 100,000 assets, with their
/// texts, tags and provenance, that was most of the time. Here the first row of a shape (its
/// column names, in order) makes a plan, key → column index, that the next rows of the same shape
/// reuse.
struct CatalogRowDecoder: Decoder {
  let row: Row
  let plan: [String: Int]
  var codingPath: [any CodingKey] = []
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  /// Decodes `Value` from `row`.
  static func decode<Value: Decodable>(_ type: Value.Type, from row: Row) throws -> Value {
    try Value(from: CatalogRowDecoder(row: row, plan: plan(for: row, of: ObjectIdentifier(type))))
  }

  /// The last plan made for each type, with the column names it is for: the rows of one query
  /// come one after the other, of one shape.
  private static let plans = Mutex<[ObjectIdentifier: (columns: [String], plan: [String: Int])]>([:])

  private static func plan(for row: Row, of type: ObjectIdentifier) -> [String: Int] {
    if let last = plans.withLock({ $0[type] }), row.columnNames.elementsEqual(last.columns) { return last.plan }
    let columns = Array(row.columnNames)
    var plan: [String: Int] = [:]
    for (index, column) in columns.enumerated() where plan[camelCase(column)] == nil {
      plan[camelCase(column)] = index
    }
    plans.withLock { $0[type] = (columns, plan) }
    return plan
  }

  /// `media_type` → `mediaType`.
  static func camelCase(_ column: String) -> String {
    let parts = column.split(separator: "_")
    guard let first = parts.first else { return column }
    return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    KeyedDecodingContainer(Keyed<Key>(decoder: self))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    throw DecodingError.typeMismatch(
      [Any].self, .init(codingPath: codingPath, debugDescription: "a catalog row is not an array"))
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer {
    throw DecodingError.typeMismatch(
      Any.self, .init(codingPath: codingPath, debugDescription: "a catalog row is not a single value"))
  }

  private struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: CatalogRowDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { decoder.plan.keys.compactMap(Key.init(stringValue:)) }

    func contains(_ key: Key) -> Bool { decoder.plan[key.stringValue] != nil }

    private func value(_ key: Key) throws -> DatabaseValue {
      guard let index = decoder.plan[key.stringValue] else {
        throw DecodingError.keyNotFound(
          key, .init(codingPath: codingPath, debugDescription: "no column for \(key.stringValue)"))
      }
      return decoder.row[index] as DatabaseValue
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(key).isNull }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
      let value = try value(key)
      if let convertible = T.self as? any DatabaseValueConvertible.Type {
        guard let decoded = convertible.fromDatabaseValue(value) as? T else {
          throw DecodingError.typeMismatch(
            T.self, .init(codingPath: codingPath + [key], debugDescription: "column holds \(value)"))
        }
        return decoded
      }
      // A value stored as JSON text (a list of audio languages).
      guard let text = String.fromDatabaseValue(value) else {
        throw DecodingError.typeMismatch(
          T.self, .init(codingPath: codingPath + [key], debugDescription: "column holds \(value), not JSON"))
      }
      return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
      -> KeyedDecodingContainer<NestedKey>
    {
      throw DecodingError.typeMismatch(
        [String: Any].self, .init(codingPath: codingPath + [key], debugDescription: "a column is not an object"))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
      throw DecodingError.typeMismatch(
        [Any].self, .init(codingPath: codingPath + [key], debugDescription: "a column is not an array"))
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { decoder }
  }
}
