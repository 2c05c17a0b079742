import Foundation
import MediaBank
import Synchronization

/// A province's communes, or the country's provinces, drawn as SVG paths: the shapes are the
/// shipped boundaries, projected once and kept (they never change); the dashboard shades each by
/// its count.
struct ProvinceMap: Sendable {
  /// A commune, or a province on the country's map.
  struct Area: Sendable {
    var code: String
    var name: String
    /// The SVG path data of its rings, in the map's coordinates.
    var path: String
  }

  var width: Int
  var height: Int
  var areas: [Area]

  /// Projects `outlines` into a box `width` wide: longitude scaled by the cosine of the middle
  /// latitude (so that the province keeps its shape), latitude growing upwards; points are
  /// rounded to `grain` pixels, and one that falls where the last fell is dropped; a ring left
  /// with fewer than 3 points (an island) is drawn as a small square.
  init(_ outlines: [Localities.Outline], width: Int = 420, grain: Double = 0.1) {
    let points = outlines.flatMap { $0.rings.flatMap { $0 } }
    guard let minX = points.map(\.longitude).min(), let maxX = points.map(\.longitude).max(),
      let minY = points.map(\.latitude).min(), let maxY = points.map(\.latitude).max(), maxX > minX, maxY > minY
    else {
      self.width = width
      height = 0
      areas = []
      return
    }
    let k = cos((minY + maxY) / 2 * .pi / 180)
    let scale = Double(width - 4) / ((maxX - minX) * k)
    self.width = width
    height = Int(((maxY - minY) * scale).rounded(.up)) + 4
    areas = outlines.map { outline in
      var path = ""
      for ring in outline.rings {
        var points: [(Int, Int)] = []
        for point in ring {
          let x = Int((((point.longitude - minX) * k * scale + 2) / grain).rounded())
          let y = Int((((maxY - point.latitude) * scale + 2) / grain).rounded())
          if let last = points.last, last == (x, y) { continue }
          points.append((x, y))
        }
        if points.count >= 3 {
          for (index, (x, y)) in points.enumerated() {
            path += "\(index == 0 ? "M" : "L")\(Self.number(Double(x) * grain)) \(Self.number(Double(y) * grain))"
          }
          path += "Z"
        } else if let (x, y) = points.first {
          // An island smaller than the grain: a square of 1.5 pixels, so that it is seen.
          path += "M\(Self.number(Double(x) * grain - 0.75)) \(Self.number(Double(y) * grain - 0.75))h1.5v1.5h-1.5Z"
        }
      }
      return Area(code: outline.code, name: outline.name, path: path)
    }
  }
}

extension ProvinceMap {
  /// `12.0` as `12`, `12.5` as `12.5`: the shortest form of a coordinate in a path.
  static func number(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
  }
}

/// The maps of the provinces drawn so far (a bank draws its own: one, in practice).
final class ProvinceMaps: Sendable {
  private let maps = Mutex<[String: ProvinceMap]>([:])

  /// The 34 provinces, drawn once.
  func country() throws(MediaBankError) -> ProvinceMap {
    if let map = maps.withLock({ $0[""] }) { return map }
    let map = ProvinceMap(try Localities.outlinesOfProvinces(), width: 520, grain: 1)
    maps.withLock { $0[""] = map }
    return map
  }

  func map(of province: String) throws(MediaBankError) -> ProvinceMap {
    if let map = maps.withLock({ $0[province] }) { return map }
    let map = ProvinceMap(try Localities.outlines(ofProvince: province))
    maps.withLock { $0[province] = map }
    return map
  }
}
