// mediabank-fuzz: the libFuzzer targets of MediaBank's readers of untrusted input, in one
// executable. `MEDIABANK_FUZZ_TARGET` names the reader to fuzz (`scripts/fuzz` sets it):
//
//   MEDIABANK_FUZZ_TARGET=png .build-fuzz/debug/mediabank-fuzz CORPUS_DIR   # fuzz
//   MEDIABANK_FUZZ_TARGET=png .build-fuzz/debug/mediabank-fuzz CRASH_FILE   # reproduce
//
// One executable rather than one per reader: every target links the same modules (the facade
// pulls in GRDB, swift-crypto and the C libraries), so thirteen executables would be thirteen
// sanitized links of the same code for nothing, minutes of the fuzz build's time budget in CI;
// and a switch in one file keeps each target to a few lines. libFuzzer rejects unknown `-flags`
// and takes other arguments as corpus paths, so the target is chosen by an environment
// variable, not by an argument.
//
// Built only by `scripts/fuzz` (see Package.swift: the target exists when MEDIABANK_FUZZ=1).
import Foundation
import MediaBank
import Metadata
import SyncBundle
import Taxonomy

#if canImport(Glibc)
  import Glibc
#endif

/// The targets, by name: each takes one input and returns (a crash, a hang or a leak is the
/// finding). Readers that take a path get the input written to a file first.
enum Targets {
  static let all: [String: @Sendable ([UInt8]) -> Void] = [
    // The bundle tar: ustar, pax (`x`) and GNU long name (`L`) entries, extracted to a directory.
    "tar": { bytes in
      let input = Scratch.write(bytes, to: "bundle.tar")
      let work = Scratch.directory("work")
      _ = try? Archive.unpack(URL(fileURLWithPath: input), into: URL(fileURLWithPath: work))
      Archive.removeTree(work)
    },
    "bag-info": { bytes in _ = try? BagInfo(parsing: bytes, bundle: "fuzz") },
    // `data/records.jsonl`: split into lines, each checked as the bundle reader and `receive` do.
    "records": { bytes in
      let path = Scratch.write(bytes, to: "records.jsonl")
      guard let lines = try? RecordLines(path: URL(fileURLWithPath: path)) else { return }
      while let line = try? lines.next() {
        _ = SyncBundleFuzzing.recordProblem(line, formatVersion: BagInfo.currentFormatVersion)
        _ = SyncBundleFuzzing.recordProblem(line, formatVersion: 1)
        MediaBankFuzzing.recordLine(line)
      }
    },
    "receipt": { bytes in MediaBankFuzzing.receipt(Data(bytes)) },
    "front-matter": { bytes in MetadataFuzzing.frontMatter(bytes) },
    // Markdown stories (front matter included), and the same bytes as a plain text story.
    "markdown": { bytes in
      MetadataFuzzing.story(bytes, format: .markdown)
      MetadataFuzzing.story(bytes, format: .text)
    },
    "html": { bytes in MetadataFuzzing.story(bytes, format: .html) },
    // A .docx: recognised from its first bytes, then its ZIP parts and their XML read.
    "docx": { bytes in
      let path = Scratch.write(bytes, to: "story.docx")
      guard let format = try? StoryExtractor.format(of: path, name: "story.docx") else { return }
      _ = try? StoryExtractor.read(path, format: format)
    },
    // The `metadata.csv` of an import folder: Taxonomy's CSV reader, then the columns' rules.
    "csv": { bytes in
      _ = try? CSVTable(bytes, name: "metadata.csv")
      let path = Scratch.write(bytes, to: "metadata.csv")
      MediaBankFuzzing.metadataCSV(path: path, names: ["a.jpg", "b.png", "Ảnh 1.jpg", "story.md"])
    },
    "xmp": { bytes in _ = PhotoExtractor.readSidecar(bytes) },
    "iptc": { bytes in MetadataFuzzing.iptc(bytes) },
    "png": { bytes in MetadataFuzzing.png(path: Scratch.write(bytes, to: "photo.png")) },
    // An EXIF block (TIFF structure, with or without `Exif\0\0`): libexif, then `TIFFReader`.
    "tiff": { bytes in MetadataFuzzing.exif(bytes) },
  ]

  /// The target `MEDIABANK_FUZZ_TARGET` names; exits with the list when there is none.
  static let selected: @Sendable ([UInt8]) -> Void = {
    let name = ProcessInfo.processInfo.environment["MEDIABANK_FUZZ_TARGET"] ?? ""
    guard let target = all[name] else {
      let names = all.keys.sorted().joined(separator: " ")
      FileHandle.standardError.write(Data("mediabank-fuzz: set MEDIABANK_FUZZ_TARGET to one of: \(names)\n".utf8))
      exit(2)
    }
    return target
  }()
}

/// A directory of this process's own for the inputs that readers take as files, removed at exit
/// (not after a crash, which leaves one `mediabank-fuzz-*` directory behind).
enum Scratch {
  static let root: String = {
    // In memory when the machine has /dev/shm: a disk file system can make these targets
    // fifty times slower.
    let environment = ProcessInfo.processInfo.environment
    let candidates: [String] = ["/dev/shm", environment["TMPDIR"] ?? ""]
    let base = candidates.first { !$0.isEmpty && access($0, W_OK) == 0 } ?? "/tmp"
    var template = Array((base + "/mediabank-fuzz-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else {
      perror("mediabank-fuzz: mkdtemp")
      exit(2)
    }
    atexit { Archive.removeTree(Scratch.root) }
    return String(cString: made)
  }()

  /// Writes `bytes` to the file `name` (replacing it) and returns its path.
  static func write(_ bytes: [UInt8], to name: String) -> String {
    let path = root + "/" + name
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      perror("mediabank-fuzz: open")
      exit(2)
    }
    defer { close(descriptor) }
    var written = 0
    while written < bytes.count {
      let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
      guard count > 0 else {
        perror("mediabank-fuzz: write")
        exit(2)
      }
      written += count
    }
    return path
  }

  /// An empty directory `name` (removed first when it exists) and its path.
  static func directory(_ name: String) -> String {
    let path = root + "/" + name
    Archive.removeTree(path)
    guard mkdir(path, 0o700) == 0 else {
      perror("mediabank-fuzz: mkdir")
      exit(2)
    }
    return path
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  Targets.selected(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
  return 0
}

/// libFuzzer's driver, called with the command line and the target. `main` is this file's (a
/// debug build of SwiftPM renames it to link tests against executables, so libFuzzer's own `main`
/// cannot be used); the declaration matches `int LLVMFuzzerRunDriver(int *argc, char ***argv,
/// int (*UserCb)(const uint8_t *Data, size_t Size))`.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
  _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

_ = Targets.selected  // An unknown target fails before libFuzzer starts.
// What a reader loads once per process is loaded before libFuzzer times the inputs: for `csv`,
// the gazetteer (seconds under AddressSanitizer) and the pillars.
if ProcessInfo.processInfo.environment["MEDIABANK_FUZZ_TARGET"] == "csv" {
  Targets.selected(Array("file,pillar,language,locality,captured\na.jpg,culture-heritage,vi,19,2019\n".utf8))
}
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runDriver(&argc, &argv, fuzzOneInput))
