// swift-tools-version:6.1
// MediaBank: a content-addressed media asset library for Vietnam's provincial and national banks.
//
// Targets are grouped by layer, lowest first. No target depends on a target listed after it:
// system libraries → C shim → SystemIO (every POSIX call: EINTR retries, atomic writes, typed errno,
// fault injection for tests) → BlobStore / Catalog / Metadata / SyncBundle / Taxonomy → MediaBank (facade)
// → MediaBankServer (HTTP) → MediaBankCLI (whose `serve` starts the server) → mediabank.
import PackageDescription

let upcoming: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "MediaBank",
  products: [
    .executable(name: "mediabank", targets: ["mediabank"]),
    .library(name: "MediaBank", targets: ["MediaBank"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    // The web library (`mediabank serve`). Its default traits bring swift-configuration, which
    // MediaBank does not use. Its HummingbirdTLS product (`serve --tls-cert`) needs no trait.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    // TLS for `serve --tls-cert` (through HummingbirdTLS): certificates and keys, on its own BoringSSL.
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    // HTTP field names, which Hummingbird's requests and responses use, and its logger.
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    // NIO's HTTP/1 parts and file regions, below Hummingbird's codec, so that originals go out by
    // `sendfile` (SendFile.swift); both are Hummingbird's own dependencies already.
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
    .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
  ],
  targets: [
    // MARK: System libraries (Debian -dev packages). Only `Metadata` and the C shim use them.
    .systemLibrary(name: "CExif", pkgConfig: "libexif", providers: [.apt(["libexif-dev"])]),
    .systemLibrary(
      name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
    .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
    // Headers only, never linked (no pkgConfig: it would add -lheif, -lavformat…): CMediaShim loads
    // libheif and FFmpeg with dlopen on first use, so that a command that reads no HEIF image and no
    // video does not load them and the ~130 libraries they need. Headers from libheif-dev, and for
    // videos libavformat-dev (containers), libavcodec-dev (poster frame), libswscale-dev, libavutil-dev.
    .systemLibrary(name: "CHeif"),
    .systemLibrary(name: "CFFmpeg"),

    // MARK: C shim: the code that needs setjmp (libpng) or tight pixel loops, and the loader of
    // FFmpeg and libheif (dlopen, a table of their functions). Prefixed `mb_`.
    .target(
      name: "CMediaShim",
      dependencies: ["CPNG", "CHeif", "CFFmpeg"],
      linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("z")]
    ),

    // MARK: The POSIX layer: the only Swift target that makes file system calls itself (open, read,
    // write, fsync, rename, link, statvfs), retries them on EINTR, writes files atomically, runs
    // parallel maps, and lets tests inject faults (ENOSPC, EIO, EINTR, short writes).
    .target(
      name: "SystemIO",
      dependencies: [.product(name: "SystemPackage", package: "swift-system")],
      swiftSettings: upcoming
    ),

    // MARK: Storage and extraction layers (independent of each other).
    .target(
      name: "BlobStore",
      dependencies: ["SystemIO", .product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: upcoming
    ),
    .target(
      name: "Catalog",
      dependencies: ["SystemIO", .product(name: "GRDB", package: "GRDB.swift")],
      swiftSettings: upcoming
    ),
    .target(
      name: "Metadata",
      dependencies: [
        "CExif", "CTurboJPEG", "CHeif", "CMediaShim", "CFFmpeg", "SystemIO",
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ],
      swiftSettings: upcoming
    ),
    .target(
      name: "SyncBundle",
      dependencies: ["SystemIO", .product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: upcoming
    ),
    .target(
      name: "Taxonomy",
      resources: [.copy("Resources/vn-admin"), .copy("Resources/pillars"), .copy("Resources/languages")],
      swiftSettings: upcoming
    ),

    // MARK: Facade.
    .target(
      name: "MediaBank",
      dependencies: [
        "BlobStore", "Catalog", "Metadata", "Taxonomy", "SyncBundle", "SystemIO",
        .product(name: "Crypto", package: "swift-crypto"),
        // scrypt, for the web library's passwords.
        .product(name: "_CryptoExtras", package: "swift-crypto"),
        // Writes the yearly report as a Word document.
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ],
      swiftSettings: upcoming
    ),

    // MARK: Web server: a thin HTTP adapter over the facade, beside the command line.
    // The words of the web pages and of the command line, in Vietnamese and English.
    .target(name: "Messages", swiftSettings: upcoming),
    .target(
      name: "MediaBankServer",
      dependencies: [
        "MediaBank", "Messages", "SystemIO", .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTLS", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "SystemPackage", package: "swift-system"),
      ],
      swiftSettings: upcoming
    ),

    // MARK: Sync over HTTP: a province's bank sending its bundles to the national bank's server
    // (`mediabank sync`), with Foundation's URLSession (libcurl underneath; no package more).
    .target(name: "MediaBankSync", dependencies: ["MediaBank", "SyncBundle", "SystemIO"], swiftSettings: upcoming),

    // MARK: Command line.
    .target(
      name: "MediaBankCLI",
      dependencies: [
        "MediaBank", "MediaBankServer", "MediaBankSync", "Messages", "SystemIO",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: upcoming
    ),
    .executableTarget(name: "mediabank", dependencies: ["MediaBankCLI"], swiftSettings: upcoming),

    // MARK: Benchmark drivers (used by scripts/bench-*; not installed).
    .executableTarget(
      name: "mediabank-search-bench", dependencies: ["MediaBank", "BlobStore", "Catalog", "Taxonomy", "SystemIO"],
      swiftSettings: upcoming),
    .executableTarget(
      name: "mediabank-bench", dependencies: ["BlobStore", "Metadata"], swiftSettings: upcoming),
    // Used by scripts/bench-locality; not installed.
    .executableTarget(
      name: "mediabank-locality-bench", dependencies: ["Taxonomy", "SystemIO"], swiftSettings: upcoming),
    // Used by scripts/bench-language; not installed.
    .executableTarget(
      name: "mediabank-language-bench", dependencies: ["Taxonomy", "SystemIO"], swiftSettings: upcoming),
    // Used by scripts/bench-video; not installed.
    .executableTarget(name: "mediabank-video-bench", dependencies: ["Metadata"], swiftSettings: upcoming),

    // MARK: Tests.
    .testTarget(
      name: "SystemIOTests", dependencies: ["SystemIO", .product(name: "SystemPackage", package: "swift-system")],
      swiftSettings: upcoming),
    .testTarget(name: "BlobStoreTests", dependencies: ["BlobStore", "SystemIO"], swiftSettings: upcoming),
    .testTarget(name: "CatalogTests", dependencies: ["Catalog"], swiftSettings: upcoming),
    .testTarget(name: "MetadataTests", dependencies: ["Metadata"], swiftSettings: upcoming),
    .testTarget(name: "TaxonomyTests", dependencies: ["Taxonomy"], swiftSettings: upcoming),
    .testTarget(
      name: "SyncBundleTests",
      dependencies: ["SyncBundle", "SystemIO", .product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: upcoming
    ),
    .testTarget(
      name: "MediaBankTests",
      dependencies: ["MediaBank", "Catalog", "BlobStore", "Metadata", "SyncBundle", "SystemIO"],
      swiftSettings: upcoming),
    .testTarget(
      name: "MediaBankCLITests",
      dependencies: ["MediaBankCLI", "MediaBank", .product(name: "ArgumentParser", package: "swift-argument-parser")],
      swiftSettings: upcoming),
    .testTarget(
      // MediaBankServer: HTTPAPITests compares the routes its router registers with the API's
      // OpenAPI document.
      name: "EndToEndTests", dependencies: ["mediabank", "MediaBank", "MediaBankServer"],
      // The `--help` snapshots, which DocsTests reads from the source tree.
      exclude: ["Help"], swiftSettings: upcoming),
  ],
  swiftLanguageModes: [.v6]
)

// MARK: Fuzzing (`scripts/fuzz`, README "Tests"). The libFuzzer targets are declared only when
// MEDIABANK_FUZZ=1, so `swift build` and `swift test` neither build nor know them (they only link
// with -sanitize=fuzzer, which brings libFuzzer). They live in this package, not in a
// package of their own beside it, because they call the readers' `package` entry points
// (`MetadataFuzzing`, `SyncBundleFuzzing`, `MediaBankFuzzing`), which another package cannot see.
if Context.environment["MEDIABANK_FUZZ"] == "1" {
  package.targets.append(
    .executableTarget(
      name: "mediabank-fuzz", dependencies: ["MediaBank", "Metadata", "SyncBundle", "Taxonomy"],
      path: "Fuzz/Sources/mediabank-fuzz", swiftSettings: upcoming))
}
