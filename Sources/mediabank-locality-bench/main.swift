// mediabank-locality-bench: times the locality gazetteer for `scripts/bench-locality`.
//
//   mediabank-locality-bench load [--repeat N]
//   mediabank-locality-bench resolve [--repeat N]
//   mediabank-locality-bench gps bbox|land [--points N] [--repeat N]
//
// `load` builds the gazetteer from the shipped data. `resolve` resolves a fixed set of texts (every
// province and commune name with and without diacritics, every former province and a sample of
// former districts and communes, codes, aliases, "commune, province" pairs). `gps bbox` looks up
// random points over Vietnam's bounding box (mostly sea: the fast empty-cell and fallback paths);
// `gps land` random points inside random communes' bounding boxes (mostly land: point-in-polygon).
// Points come from a fixed-seed generator, so runs are comparable.
//
// Each command runs its pass N times (default 5) on one thread, keeps the fastest and prints ONE
// line of `key=value` pairs, e.g. `gps seconds=0.0123 lookups=100000 found=31234 passes=5`.
import Foundation
import SystemIO
import Taxonomy

/// A small fixed-seed generator (SplitMix64), so every run times the same points.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

func fail(_ message: String, status: Int32 = 2) -> Never {
  IO.writeToStandardError("mediabank-locality-bench: \(message)\n")
  exit(status)
}

/// Runs `pass` `passes` times and returns the fastest time in seconds and the last result.
func best<T>(_ passes: Int, _ pass: () -> T) -> (seconds: Double, result: T) {
  var fastest = Double.infinity
  var result: T? = nil
  for _ in 0..<passes {
    let start = ContinuousClock.now
    let value = pass()
    let elapsed = ContinuousClock.now - start
    fastest = min(fastest, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    result = value
  }
  return (fastest, result!)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else {
  fail("usage: mediabank-locality-bench load|resolve|gps bbox|land [--points N] [--repeat N]")
}
arguments.removeFirst()
var passes = 5
var pointCount = 100_000
var mode = "land"
while let argument = arguments.first {
  arguments.removeFirst()
  switch argument {
  case "--repeat":
    guard let value = arguments.first.flatMap({ Int($0) }), value > 0 else { fail("--repeat needs a count") }
    passes = value
    arguments.removeFirst()
  case "--points":
    guard let value = arguments.first.flatMap({ Int($0) }), value > 0 else { fail("--points needs a count") }
    pointCount = value
    arguments.removeFirst()
  case "bbox", "land":
    mode = argument
  default:
    fail("unknown argument '\(argument)'")
  }
}

switch command {
case "load":
  let (seconds, gazetteer) = best(passes) { () -> Gazetteer? in try? Gazetteer() }
  guard let gazetteer else { fail("cannot load the gazetteer", status: 1) }
  print(
    "load seconds=\(seconds) provinces=\(gazetteer.provinces.count) communes=\(gazetteer.communes.count) passes=\(passes)"
  )

case "resolve":
  let gazetteer: Gazetteer
  do { gazetteer = try Gazetteer.shared() } catch { fail("\(error)", status: 1) }
  var texts: [String] = []
  for province in gazetteer.provinces {
    texts += [province.name, province.shortName, province.englishName, province.code]
  }
  for former in gazetteer.formerProvinces { texts += [former.name, former.code] }
  for (index, commune) in gazetteer.communes.enumerated() {
    texts.append(index % 2 == 0 ? commune.name : commune.englishName)
    if index % 3 == 0 {
      let province = gazetteer.province(code: commune.provinceCode)!
      texts.append("\(commune.shortName), \(province.shortName)")
    }
    if index % 5 == 0 { texts.append(commune.code) }
  }
  texts += ["TP HCM", "HCMC", "Sài Gòn", "Huế", "Thừa Thiên Huế", "Quận 1", "Huyện Ba Bể", "Phường Phúc Xá", "nowhere"]
  let (seconds, counts) = best(passes) { () -> (Int, Int, Int) in
    var resolved = 0
    var ambiguous = 0
    var notFound = 0
    for text in texts {
      switch gazetteer.resolve(text) {
      case .resolved: resolved += 1
      case .ambiguous: ambiguous += 1
      case .notFound: notFound += 1
      }
    }
    return (resolved, ambiguous, notFound)
  }
  print(
    "resolve seconds=\(seconds) lookups=\(texts.count) resolved=\(counts.0) ambiguous=\(counts.1) "
      + "not_found=\(counts.2) passes=\(passes)")

case "gps":
  let gazetteer: Gazetteer
  do { gazetteer = try Gazetteer.shared() } catch { fail("\(error)", status: 1) }
  var generator = SplitMix(state: 2025)
  var points: [(Double, Double)] = []
  points.reserveCapacity(pointCount)
  if mode == "bbox" {
    // Vietnam's bounding box, islands included.
    for _ in 0..<pointCount {
      points.append(
        (Double.random(in: 7.1...23.4, using: &generator), Double.random(in: 102.1...117.9, using: &generator)))
    }
  } else {
    // Around random communes' representative points (±0.05°, about 5 km): mostly land.
    for _ in 0..<pointCount {
      let commune = gazetteer.communes.randomElement(using: &generator)!
      points.append(
        (
          commune.latitude + Double.random(in: -0.05...0.05, using: &generator),
          commune.longitude + Double.random(in: -0.05...0.05, using: &generator)
        ))
    }
  }
  let (seconds, counts) = best(passes) { () -> (Int, Int) in
    var inside = 0
    var fallback = 0
    for (latitude, longitude) in points {
      if let location = gazetteer.locate(latitude: latitude, longitude: longitude) {
        if location.isInside { inside += 1 } else { fallback += 1 }
      }
    }
    return (inside, fallback)
  }
  print(
    "gps mode=\(mode) seconds=\(seconds) lookups=\(points.count) inside=\(counts.0) fallback=\(counts.1) "
      + "outside=\(points.count - counts.0 - counts.1) passes=\(passes)")

default:
  fail("unknown command '\(command)'")
}
