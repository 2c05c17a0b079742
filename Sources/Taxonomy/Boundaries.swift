internal import Foundation

/// Commune boundaries with a uniform grid index, for point-in-polygon look-ups.
///
/// Coordinates are kept as `Double` in units of 1e-5 degree (the 5-decimal grid of the source).
/// A *part* is one polygon of a commune (its outer ring and holes); a point is inside a part when
/// a ray from it crosses the part's rings an odd number of times, which handles holes and, part by
/// part, MultiPolygons.
struct Boundaries: Sendable {
  /// Interleaved x (longitude) and y (latitude) of every ring point, in 1e-5 degree.
  private let points: [Double]
  /// Point offsets (in points, not doubles) where each ring starts; one extra entry at the end.
  private let ringStart: [Int32]
  /// Ring offsets where each part starts; one extra entry at the end.
  private let partRingStart: [Int32]
  /// The commune index (in the gazetteer's commune list) of each part.
  let partCommune: [Int32]
  /// Bounding box of each part: minX, minY, maxX, maxY.
  private let partBox: [Double]
  /// The grid: origin, cell size (1e-5 degree), columns and rows.
  private let originX: Double
  private let originY: Double
  private let cellSize: Double
  private let columns: Int
  private let rows: Int
  /// Offsets into `cellParts` where each cell's part list starts; one extra entry at the end.
  private let cellStart: [Int32]
  /// Part indices per cell, ascending.
  private let cellParts: [Int32]

  /// Units per degree of the stored coordinates.
  static let scale = 100_000.0
  /// Metres per 1e-5 degree of latitude.
  private static let metresPerUnit = 1.11195

  /// Decodes a `communes.boundaries` file (Storage/gazetteer.md); `communeIndex` maps a commune code
  /// to its index in the gazetteer's list.
  init(data: Data, communeIndex: [String: Int], cellDegrees: Double = 0.05) throws(TaxonomyError) {
    let name = "communes.boundaries"
    let bytes = [UInt8](data)
    var offset = 0
    func fail(_ reason: String) -> TaxonomyError { TaxonomyError(reason, subject: name) }
    guard bytes.count >= 48, bytes[0..<4].elementsEqual("MBGZ".utf8) else { throw fail("not a boundaries file") }
    func uint(_ at: Int, _ count: Int) -> Int {
      (0..<count).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
    }
    guard uint(4, 2) == 1 else { throw fail("unsupported version \(uint(4, 2))") }
    guard uint(8, 4) == 100_000 else { throw fail("unsupported coordinate scale \(uint(8, 4))") }
    let featureCount = uint(12, 4)
    offset = 48
    func varint() throws(TaxonomyError) -> Int {
      var value = 0
      var shift = 0
      while true {
        guard offset < bytes.count, shift < 63 else { throw fail("truncated or corrupt at byte \(offset)") }
        let byte = bytes[offset]
        offset += 1
        value |= Int(byte & 0x7F) << shift
        if byte & 0x80 == 0 { return value }
        shift += 7
      }
    }
    func signed() throws(TaxonomyError) -> Int {
      let value = try varint()
      return (value >> 1) ^ -(value & 1)
    }
    var points: [Double] = []
    var ringStart: [Int32] = [0]
    var partRingStart: [Int32] = [0]
    var partCommune: [Int32] = []
    var partBox: [Double] = []
    points.reserveCapacity(900_000)
    for _ in 0..<featureCount {
      guard offset + 7 <= bytes.count else { throw fail("truncated feature header") }
      let code = String(decoding: bytes[offset..<offset + 5], as: UTF8.self)
      offset += 7  // code and province code; the province comes from communes.csv
      guard let commune = communeIndex[code] else { throw fail("boundary of unknown commune \(code)") }
      let partCount = try varint()
      for _ in 0..<partCount {
        let ringCount = try varint()
        guard ringCount > 0 else { throw fail("\(code): polygon without rings") }
        var box = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
        for _ in 0..<ringCount {
          let count = try varint()
          guard count >= 3 else { throw fail("\(code): ring with \(count) points") }
          var x = 0
          var y = 0
          for _ in 0..<count {
            x += try signed()
            y += try signed()
            let dx = Double(x)
            let dy = Double(y)
            points.append(dx)
            points.append(dy)
            box = (min(box.0, dx), min(box.1, dy), max(box.2, dx), max(box.3, dy))
          }
          ringStart.append(Int32(points.count / 2))
        }
        partRingStart.append(Int32(ringStart.count - 1))
        partCommune.append(Int32(commune))
        partBox += [box.0, box.1, box.2, box.3]
      }
    }
    guard offset == bytes.count else { throw fail("\(bytes.count - offset) trailing bytes") }
    guard !partCommune.isEmpty else { throw fail("no boundaries") }

    // The grid covers the bounding box of all parts.
    let cellSize = cellDegrees * Self.scale
    var minX = Double.infinity
    var minY = Double.infinity
    var maxX = -Double.infinity
    var maxY = -Double.infinity
    for part in partCommune.indices {
      minX = min(minX, partBox[4 * part])
      minY = min(minY, partBox[4 * part + 1])
      maxX = max(maxX, partBox[4 * part + 2])
      maxY = max(maxY, partBox[4 * part + 3])
    }
    let columns = Int((maxX - minX) / cellSize) + 1
    let rows = Int((maxY - minY) / cellSize) + 1
    var counts = [Int32](repeating: 0, count: columns * rows + 1)
    func cells(of part: Int) -> (ClosedRange<Int>, ClosedRange<Int>) {
      let c0 = Int((partBox[4 * part] - minX) / cellSize)
      let r0 = Int((partBox[4 * part + 1] - minY) / cellSize)
      let c1 = Int((partBox[4 * part + 2] - minX) / cellSize)
      let r1 = Int((partBox[4 * part + 3] - minY) / cellSize)
      return (r0...r1, c0...c1)
    }
    for part in partCommune.indices {
      let (rowRange, columnRange) = cells(of: part)
      for row in rowRange { for column in columnRange { counts[row * columns + column + 1] += 1 } }
    }
    for cell in 0..<columns * rows { counts[cell + 1] += counts[cell] }
    var fill = counts
    var cellParts = [Int32](repeating: 0, count: Int(counts[columns * rows]))
    for part in partCommune.indices {
      let (rowRange, columnRange) = cells(of: part)
      for row in rowRange {
        for column in columnRange {
          let cell = row * columns + column
          cellParts[Int(fill[cell])] = Int32(part)
          fill[cell] += 1
        }
      }
    }
    self.points = points
    self.ringStart = ringStart
    self.partRingStart = partRingStart
    self.partCommune = partCommune
    self.partBox = partBox
    self.originX = minX
    self.originY = minY
    self.cellSize = cellSize
    self.columns = columns
    self.rows = rows
    self.cellStart = counts
    self.cellParts = cellParts
  }

  /// How many polygons (parts of communes) the index holds.
  var partCount: Int { partCommune.count }

  /// The rings of every part of the communes in `communes` (indices), as (longitude, latitude)
  /// points in degrees, each ring with its commune's index.
  func rings(ofCommunes communes: Set<Int>) -> [(commune: Int, ring: [(longitude: Double, latitude: Double)])] {
    var result: [(commune: Int, ring: [(longitude: Double, latitude: Double)])] = []
    for part in 0..<partCount where communes.contains(Int(partCommune[part])) {
      for ring in Int(partRingStart[part])..<Int(partRingStart[part + 1]) {
        let points = (Int(ringStart[ring])..<Int(ringStart[ring + 1])).map {
          (longitude: self.points[2 * $0] / Self.scale, latitude: self.points[2 * $0 + 1] / Self.scale)
        }
        result.append((Int(partCommune[part]), points))
      }
    }
    return result
  }

  /// The commune (index) whose boundary contains the point, else the nearest one whose boundary
  /// is within `maxDistance` metres, with the distance (0 inside).
  func locate(latitude: Double, longitude: Double, maxDistance: Double) -> (commune: Int, distance: Double)? {
    guard latitude.isFinite, longitude.isFinite else { return nil }
    let x = longitude * Self.scale
    let y = latitude * Self.scale
    if let cell = cell(x: x, y: y) {
      for slot in Int(cellStart[cell])..<Int(cellStart[cell + 1]) {
        let part = Int(cellParts[slot])
        if contains(part: part, x: x, y: y) { return (Int(partCommune[part]), 0) }
      }
    }
    guard maxDistance > 0 else { return nil }
    return nearest(x: x, y: y, latitude: latitude, maxDistance: maxDistance)
  }

  private func cell(x: Double, y: Double) -> Int? {
    let column = ((x - originX) / cellSize).rounded(.down)
    let row = ((y - originY) / cellSize).rounded(.down)
    guard column >= 0, row >= 0, column < Double(columns), row < Double(rows) else { return nil }
    return Int(row) * columns + Int(column)
  }

  /// Even-odd rule over all rings of the part (outer ring and holes).
  private func contains(part: Int, x: Double, y: Double) -> Bool {
    partBox.withUnsafeBufferPointer { box in
      guard x >= box[4 * part], y >= box[4 * part + 1], x <= box[4 * part + 2], y <= box[4 * part + 3] else {
        return false
      }
      return points.withUnsafeBufferPointer { p in
        var inside = false
        for ring in Int(partRingStart[part])..<Int(partRingStart[part + 1]) {
          let start = Int(ringStart[ring])
          let end = Int(ringStart[ring + 1])
          var j = end - 1
          var xj = p[2 * j]
          var yj = p[2 * j + 1]
          for i in start..<end {
            let xi = p[2 * i]
            let yi = p[2 * i + 1]
            if (yi > y) != (yj > y), x < (xj - xi) * (y - yi) / (yj - yi) + xi { inside.toggle() }
            j = i
            xj = xi
            yj = yi
          }
        }
        return inside
      }
    }
  }

  /// The part nearest to the point within `maxDistance` metres (equirectangular distance to its
  /// rings' edges), as a commune index and a distance in metres.
  private func nearest(x: Double, y: Double, latitude: Double, maxDistance: Double) -> (commune: Int, distance: Double)?
  {
    let k = cos(latitude * .pi / 180)  // shrinks longitude differences to distances
    guard k > 0.01 else { return nil }
    let reachY = maxDistance / Self.metresPerUnit
    let reachX = reachY / k
    let c0 = max(0, Int(((x - reachX - originX) / cellSize).rounded(.down)))
    let c1 = min(columns - 1, Int(((x + reachX - originX) / cellSize).rounded(.down)))
    let r0 = max(0, Int(((y - reachY - originY) / cellSize).rounded(.down)))
    let r1 = min(rows - 1, Int(((y + reachY - originY) / cellSize).rounded(.down)))
    guard c0 <= c1, r0 <= r1 else { return nil }
    var best: (part: Int, squared: Double)? = nil
    var limit = reachY * reachY  // squared, in latitude units
    var seen: [Int32] = []
    for row in r0...r1 {
      for column in c0...c1 {
        let cell = row * columns + column
        for slot in Int(cellStart[cell])..<Int(cellStart[cell + 1]) {
          let part = cellParts[slot]
          if seen.contains(part) { continue }
          seen.append(part)
          let p = Int(part)
          // Distance from the point to the part's box, as a lower bound.
          let bx = max(partBox[4 * p] - x, 0, x - partBox[4 * p + 2]) * k
          let by = max(partBox[4 * p + 1] - y, 0, y - partBox[4 * p + 3])
          if bx * bx + by * by > limit { continue }
          let squared = squaredDistance(part: p, x: x, y: y, k: k)
          if squared <= limit, best == nil || squared < best!.squared {
            best = (p, squared)
            limit = squared
          }
        }
      }
    }
    guard let best else { return nil }
    return (Int(partCommune[best.part]), best.squared.squareRoot() * Self.metresPerUnit)
  }

  /// Squared distance from the point to the nearest edge of the part, with x scaled by `k`.
  private func squaredDistance(part: Int, x: Double, y: Double, k: Double) -> Double {
    points.withUnsafeBufferPointer { p in
      var best = Double.infinity
      for ring in Int(partRingStart[part])..<Int(partRingStart[part + 1]) {
        let start = Int(ringStart[ring])
        let end = Int(ringStart[ring + 1])
        var j = end - 1
        for i in start..<end {
          let ax = (p[2 * j] - x) * k
          let ay = p[2 * j + 1] - y
          let bx = (p[2 * i] - x) * k
          let by = p[2 * i + 1] - y
          let dx = bx - ax
          let dy = by - ay
          let length = dx * dx + dy * dy
          var t = length > 0 ? -(ax * dx + ay * dy) / length : 0
          t = min(max(t, 0), 1)
          let cx = ax + t * dx
          let cy = ay + t * dy
          best = min(best, cx * cx + cy * cy)
          j = i
        }
      }
      return best
    }
  }
}
