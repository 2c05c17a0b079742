// mediabank-bench: times MediaBank's own code paths for `scripts/bench-add`.
//
//   mediabank-bench hash FILE [--repeat N]
//   mediabank-bench metadata [--repeat N] FILE...
//   mediabank-bench thumbnail [--repeat N] FILE...
//   mediabank-bench fields FILE...
//
// Each command runs its whole pass N times (default 3) on one thread, keeps the fastest pass and
// prints ONE line of `key=value` pairs on standard output, for example
//
//   hash seconds=0.8123 bytes=1073741824 passes=3 threads=1 digest=sha256:…
//
// `seconds` is the best pass, measured with `ContinuousClock` inside the process (no process
// start-up). Files that fail are counted in `failed=` and the first error is written to standard
// error; the exit status is then 1 (2 on a usage error).
//
// `fields` times nothing: it prints one JSON object per file (one per line) with what
// `PhotoExtractor.read` found — `path`, `width`, `height` (as stored), `orientation`, `make`,
// `model`, `capturedAt`, `latitude`, `longitude` and their sources, or `error` — for
// `scripts/compare-metadata`.
import BlobStore
import Glibc
import Metadata

/// What the command line asks for.
struct Invocation {
  /// `hash`, `metadata` or `thumbnail`.
  var command: String
  /// The files to process, in order.
  var files: [String] = []
  /// How many full passes to time; the fastest is reported.
  var passes = 3

  /// Parses `arguments` (without the program name), or returns nil when they are not valid.
  init?(_ arguments: [String]) {
    guard let command = arguments.first else { return nil }
    self.command = command
    var rest = arguments.dropFirst()
    while let argument = rest.popFirst() {
      if argument == "--repeat" {
        guard let value = rest.popFirst().flatMap({ Int($0) }), value > 0 else { return nil }
        passes = value
      } else {
        files.append(argument)
      }
    }
    guard !files.isEmpty, command != "hash" || files.count == 1 else { return nil }
  }
}

/// The outcome of timing one command.
struct Measurement {
  /// The fastest pass.
  var best: Duration
  /// Input bytes processed per pass (file sizes).
  var bytes: Int
  /// The errors of one pass, as `path: reason`.
  var errors: [String]
  /// Extra `key=value` pairs describing the results, so the work cannot be optimised away and
  /// the script can check it (e.g. the digest).
  var details: [String]
}

/// Runs `pass` `count` times and returns the fastest duration.
func fastest(of count: Int, _ pass: () -> Void) -> Duration {
  let clock = ContinuousClock()
  var best = Duration.seconds(Int64.max)
  for _ in 0..<count {
    best = min(best, clock.measure(pass))
  }
  return best
}

/// The size of the file at `path` in bytes, or 0 when it cannot be inspected.
func fileSize(_ path: String) -> Int {
  var status = stat()
  return stat(path, &status) == 0 ? Int(status.st_size) : 0
}

/// Hashes one file with `BlobStore.hash(fileAt:)` (streaming SHA-256, 1 MiB reads).
func benchmarkHash(_ file: String, passes: Int) -> Measurement {
  var digest = ""
  var errors: [String] = []
  let best = fastest(of: passes) {
    errors = []
    do {
      digest = try BlobStore.hash(fileAt: file).description
    } catch {
      errors.append("\(file): \(error)")
    }
  }
  return Measurement(
    best: best, bytes: fileSize(file), errors: errors, details: ["digest=\(digest)"])
}

/// Reads the metadata of every file with `PhotoExtractor.read` (no pixel decoding).
func benchmarkMetadata(_ files: [String], passes: Int) -> Measurement {
  var texts = 0
  var pixels = 0
  var errors: [String] = []
  let best = fastest(of: passes) {
    texts = 0
    pixels = 0
    errors = []
    for file in files {
      do {
        let metadata = try PhotoExtractor.read(file)
        texts += metadata.texts.count
        pixels += metadata.storedWidth * metadata.storedHeight
      } catch {
        errors.append("\(file): \(error)")
      }
    }
  }
  return Measurement(
    best: best, bytes: files.reduce(0) { $0 + fileSize($1) }, errors: errors,
    details: ["texts=\(texts)", "megapixels=\(pixels / 1_000_000)"])
}

/// Makes a 320-pixel preview of every file with `Thumbnailer.thumbnail`.
///
/// The metadata each call needs is read once before timing; only the thumbnails are timed.
func benchmarkThumbnail(_ files: [String], passes: Int) -> Measurement {
  var inputs: [(file: String, metadata: PhotoMetadata)] = []
  var unreadable: [String] = []
  for file in files {
    do {
      inputs.append((file, try PhotoExtractor.read(file)))
    } catch {
      unreadable.append("\(file): \(error)")
    }
  }
  var outputBytes = 0
  var sizes: Set<String> = []
  var errors: [String] = []
  let best = fastest(of: passes) {
    outputBytes = 0
    errors = []
    for input in inputs {
      do {
        let thumbnail = try Thumbnailer.thumbnail(of: input.file, metadata: input.metadata)
        outputBytes += thumbnail.jpeg.count
        sizes.insert("\(thumbnail.width)x\(thumbnail.height)")
      } catch {
        errors.append("\(input.file): \(error)")
      }
    }
  }
  return Measurement(
    best: best, bytes: files.reduce(0) { $0 + fileSize($1) }, errors: unreadable + errors,
    details: [
      "thumb_bytes=\(outputBytes)", "thumb_sizes=\(sizes.sorted().joined(separator: ","))",
    ])
}

/// `text` as a JSON string literal.
func json(_ text: String) -> String {
  var out = "\""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    case let control where control.value < 0x20:
      out += "\\u00" + (control.value < 0x10 ? "0" : "") + String(control.value, radix: 16)
    default: out.unicodeScalars.append(scalar)
    }
  }
  return out + "\""
}

/// Prints, per file, the fields `scripts/compare-metadata` compares with exiftool.
func printFields(_ files: [String]) {
  for file in files {
    var pairs = [("path", json(file))]
    do {
      let metadata = try PhotoExtractor.read(file)
      pairs += [("width", "\(metadata.storedWidth)"), ("height", "\(metadata.storedHeight)")]
      if let orientation = metadata.orientation { pairs.append(("orientation", "\(orientation)")) }
      if let make = metadata.cameraMake { pairs.append(("make", json(make))) }
      if let model = metadata.cameraModel { pairs.append(("model", json(model))) }
      if let source = metadata.cameraSource { pairs.append(("cameraSource", json(source.rawValue))) }
      if let date = metadata.capturedAt { pairs.append(("capturedAt", json(date))) }
      if let source = metadata.capturedAtSource { pairs.append(("capturedAtSource", json(source.rawValue))) }
      if let gps = metadata.gps {
        pairs += [("latitude", "\(gps.latitude)"), ("longitude", "\(gps.longitude)")]
      }
      if let source = metadata.gpsSource { pairs.append(("gpsSource", json(source.rawValue))) }
    } catch {
      pairs.append(("error", json(error.reason)))
    }
    print("{" + pairs.map { "\(json($0.0)): \($0.1)" }.joined(separator: ", ") + "}")
  }
}

/// `Duration` as decimal seconds.
func seconds(_ duration: Duration) -> Double {
  let (whole, fraction) = duration.components
  return Double(whole) + Double(fraction) / 1e18
}

/// Writes `text` to standard error.
func printError(_ text: String) {
  var text = text
  text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
}

let usage = """
  usage: mediabank-bench hash FILE [--repeat N]
         mediabank-bench metadata [--repeat N] FILE...
         mediabank-bench thumbnail [--repeat N] FILE...
         mediabank-bench fields FILE...
  Prints one line: <command> seconds=<best pass> files= bytes= passes= threads=1 failed= ...

  """

guard let invocation = Invocation(Array(CommandLine.arguments.dropFirst())) else {
  printError(usage)
  exit(2)
}
if invocation.command == "fields" {
  printFields(invocation.files)
  exit(0)
}
let measurement: Measurement
switch invocation.command {
case "hash":
  measurement = benchmarkHash(invocation.files[0], passes: invocation.passes)
case "metadata":
  measurement = benchmarkMetadata(invocation.files, passes: invocation.passes)
case "thumbnail":
  measurement = benchmarkThumbnail(invocation.files, passes: invocation.passes)
default:
  printError(usage)
  exit(2)
}
let fields = [
  invocation.command, "seconds=\(seconds(measurement.best))", "files=\(invocation.files.count)",
  "bytes=\(measurement.bytes)", "passes=\(invocation.passes)", "threads=1",
  "failed=\(measurement.errors.count)",
]
print((fields + measurement.details).joined(separator: " "))
if let firstError = measurement.errors.first {
  printError("mediabank-bench: \(measurement.errors.count) failed; first: \(firstError)\n")
  exit(1)
}
