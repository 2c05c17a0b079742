// mediabank-video-bench: times MediaBank's video reader for `scripts/bench-video`.
//
//   mediabank-video-bench [--metadata-only] [--repeat N] FILE...
//
// For each file, in the order given, runs `VideoExtractor.read` (container and stream headers,
// tags) and then `VideoExtractor.posterFrame` (seek to 10% of the duration, at most 10 s, decode,
// skip near-black frames, scale to a long edge of 320, turn, encode a JPEG): the work an import
// does for a video besides hashing and copying it. `--metadata-only` skips the poster frame.
//
// Runs the whole list N times (default 1) on one thread and keeps, for each file, its fastest
// pass. Prints ONE line of `key=value` pairs per file and a total line, on standard output:
//
//   file seconds=0.0421 metadata_seconds=0.0012 poster_seconds=0.0409 width=1920 height=1080 …
//     poster_bytes=10642 … path=/tmp/clip one.mp4
//   total files=7 failed=0 seconds=0.2210 metadata_seconds=0.0101 poster_seconds=0.2109 passes=3
//
// `path=` comes last and runs to the end of the line (a path may hold spaces). Times are measured
// with `ContinuousClock` inside the process: process start-up is not included. A file that fails
// prints `file error=<reason, spaces as _> path=…` and its reason on standard error, is counted in
// `failed=` and makes the exit status 1 (2 on a usage error).
import Glibc
import Metadata

/// What the command line asks for.
struct Invocation {
  /// The files, in order.
  var files: [String] = []
  /// How many full passes over the files to time; each file keeps its fastest.
  var passes = 1
  /// Whether to skip the poster frame.
  var metadataOnly = false

  /// Parses `arguments` (without the program name), or returns nil when they are not valid.
  init?(_ arguments: [String]) {
    var rest = arguments[...]
    while let argument = rest.popFirst() {
      switch argument {
      case "--repeat":
        guard let value = rest.popFirst().flatMap({ Int($0) }), value > 0 else { return nil }
        passes = value
      case "--metadata-only":
        metadataOnly = true
      case "--":
        files += rest
        rest = []
      default:
        guard !argument.hasPrefix("--") else { return nil }
        files.append(argument)
      }
    }
    guard !files.isEmpty else { return nil }
  }
}

/// One file's fastest pass.
struct Measurement {
  var metadata: Duration
  var poster: Duration
  var total: Duration { metadata + poster }
  var video: VideoMetadata
  var thumbnail: Thumbnail?
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

/// Reads `file` (and makes its poster frame unless `metadataOnly`) once, timing each step.
func measure(_ file: String, metadataOnly: Bool) throws(MetadataError) -> Measurement {
  let clock = ContinuousClock()
  var start = clock.now
  let video = try VideoExtractor.read(file)
  let metadata = clock.now - start
  guard !metadataOnly else { return Measurement(metadata: metadata, poster: .zero, video: video) }
  start = clock.now
  let thumbnail = try VideoExtractor.posterFrame(file, metadata: video)
  return Measurement(metadata: metadata, poster: clock.now - start, video: video, thumbnail: thumbnail)
}

let usage = """
  usage: mediabank-video-bench [--metadata-only] [--repeat N] FILE...
  Prints one `file seconds= metadata_seconds= poster_seconds= … path=` line per file, then
  `total files= failed= seconds= metadata_seconds= poster_seconds= passes=`.

  """

guard let invocation = Invocation(Array(CommandLine.arguments.dropFirst())) else {
  printError(usage)
  exit(2)
}

var best = [Measurement?](repeating: nil, count: invocation.files.count)
var errors = [String?](repeating: nil, count: invocation.files.count)
for _ in 0..<invocation.passes {
  for (index, file) in invocation.files.enumerated() where errors[index] == nil {
    do {
      let measurement = try measure(file, metadataOnly: invocation.metadataOnly)
      if best[index].map({ measurement.total < $0.total }) ?? true { best[index] = measurement }
    } catch {
      errors[index] = "\(error)"
    }
  }
}

var total = (metadata: Duration.zero, poster: Duration.zero, posterBytes: 0)
for (index, file) in invocation.files.enumerated() {
  if let error = errors[index] {
    print("file error=\(error.split(whereSeparator: \.isWhitespace).joined(separator: "_")) path=\(file)")
    printError("mediabank-video-bench: \(file): \(error)\n")
    continue
  }
  guard let measurement = best[index] else { continue }
  let video = measurement.video
  total.metadata += measurement.metadata
  total.poster += measurement.poster
  var fields = [
    "file", "seconds=\(seconds(measurement.total))", "metadata_seconds=\(seconds(measurement.metadata))",
    "poster_seconds=\(seconds(measurement.poster))", "container=\(video.container)", "codec=\(video.videoCodec)",
    "width=\(video.width)", "height=\(video.height)", "rotation=\(video.rotation)",
    "duration=\(video.durationSeconds.map { "\($0)" } ?? "none")",
  ]
  if let thumbnail = measurement.thumbnail {
    total.posterBytes += thumbnail.jpeg.count
    fields += [
      "poster_bytes=\(thumbnail.jpeg.count)", "poster_width=\(thumbnail.width)",
      "poster_height=\(thumbnail.height)",
    ]
  }
  print((fields + ["path=\(file)"]).joined(separator: " "))
}
let failed = errors.count { $0 != nil }
print(
  [
    "total", "files=\(invocation.files.count)", "failed=\(failed)",
    "seconds=\(seconds(total.metadata + total.poster))", "metadata_seconds=\(seconds(total.metadata))",
    "poster_seconds=\(seconds(total.poster))", "poster_bytes=\(total.posterBytes)",
    "passes=\(invocation.passes)", "threads=1",
  ].joined(separator: " "))
if failed > 0 { exit(1) }
