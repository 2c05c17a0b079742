import Foundation
import MediaBank
import Synchronization

/// A province's communes drawn as SVG paths: the shapes are the shipped boundaries, projected
/// once per province and kept (they never change); the dashboard shades each by its count.
struct ProvinceMap: Sendable {
  struct Commune: Sendable {
    var code: String
    var name: String
    /// The SVG path data of its rings, in the map's coordinates.
    var path: String
  }

  var width: Int
  var height: Int
  var communes: [Commune]

  /// Projects `outlines` into a box `width` wide: longitude scaled by the cosine of the middle
  /// latitude (so that the province keeps its shape), latitude growing upwards; points that fall
  /// on the same tenth of a pixel as the last are dropped.
  init(_ outlines: [Localities.Outline], width: Int = 420) {
    let points = outlines.flatMap { $0.rings.flatMap { $0 } }
    guard let minX = points.map(\.longitude).min(), let maxX = points.map(\.longitude).max(),
      let minY = points.map(\.latitude).min(), let maxY = points.map(\.latitude).max(), maxX > minX, maxY > minY
    else {
      self.width = width
      height = 0
      communes = []
      return
    }
    let k = cos((minY + maxY) / 2 * .pi / 180)
    let scale = Double(width - 4) / ((maxX - minX) * k)
    self.width = width
    height = Int(((maxY - minY) * scale).rounded(.up)) + 4
    communes = outlines.map { outline in
      var path = ""
      for ring in outline.rings {
        var last = (-1, -1)
        var first = true
        for point in ring {
          let x = Int(((point.longitude - minX) * k * scale + 2) * 10)
          let y = Int(((maxY - point.latitude) * scale + 2) * 10)
          guard (x, y) != last else { continue }
          path += "\(first ? "M" : "L")\(Double(x) / 10) \(Double(y) / 10)"
          last = (x, y)
          first = false
        }
        if !first { path += "Z" }
      }
      return Commune(code: outline.code, name: outline.name, path: path)
    }
  }
}

/// The maps of the provinces drawn so far (a bank draws its own: one, in practice).
final class ProvinceMaps: Sendable {
  private let maps = Mutex<[String: ProvinceMap]>([:])

  func map(of province: String) throws(MediaBankError) -> ProvinceMap {
    if let map = maps.withLock({ $0[province] }) { return map }
    let map = ProvinceMap(try Localities.outlines(ofProvince: province))
    maps.withLock { $0[province] = map }
    return map
  }
}
