internal import Foundation

/// The outlines of the 34 provinces (`provinces_simplified.geojson`, shipped as the reference
/// folder has it: about 300 KB, 15,700 points, Hoàng Sa and Trường Sa included), for the
/// national map. Read on first use, in about 20 ms.
struct ProvinceOutlines: Sendable {
  static let file = "provinces_simplified.geojson"

  /// Each province's rings (outer rings and holes alike) as (longitude, latitude) points, by code.
  let rings: [String: [[(longitude: Double, latitude: Double)]]]

  /// Reads a GeoJSON FeatureCollection of Polygons and MultiPolygons whose features carry
  /// `properties.code`.
  init(data: Data) throws(TaxonomyError) {
    struct Collection: Decodable {
      struct Feature: Decodable {
        struct Properties: Decodable { var code: String }
        struct Geometry: Decodable {
          var type: String
          var coordinates: Coordinates
        }
        var properties: Properties
        var geometry: Geometry
      }
      var features: [Feature]
    }
    /// A Polygon's rings, or a MultiPolygon's polygons' rings, as one list of rings.
    struct Coordinates: Decodable {
      var rings: [[[Double]]]
      init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let polygons = try? container.decode([[[[Double]]]].self) {
          rings = polygons.flatMap { $0 }
        } else {
          rings = try container.decode([[[Double]]].self)
        }
      }
    }
    let collection: Collection
    do {
      collection = try JSONDecoder().decode(Collection.self, from: data)
    } catch {
      throw TaxonomyError("not a GeoJSON collection of provinces (\(error))", subject: Self.file)
    }
    var rings: [String: [[(longitude: Double, latitude: Double)]]] = [:]
    for feature in collection.features {
      for ring in feature.geometry.coordinates.rings {
        guard ring.count >= 3, ring.allSatisfy({ $0.count >= 2 }) else {
          throw TaxonomyError("province \(feature.properties.code): a ring of fewer than 3 points", subject: Self.file)
        }
        rings[feature.properties.code, default: []].append(ring.map { (longitude: $0[0], latitude: $0[1]) })
      }
    }
    self.rings = rings
  }
}
