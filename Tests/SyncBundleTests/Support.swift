import Crypto
import Foundation
import SyncBundle

#if canImport(Glibc)
  import Glibc
#endif

/// A temporary directory removed when the value is released.
final class Scratch {
  let url: URL
  var path: String { url.path }

  init() {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("syncbundle-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// Creates `name` holding `bytes` and returns its path.
  @discardableResult
  func file(_ name: String, _ bytes: [UInt8]) -> String {
    let path = url.appendingPathComponent(name).path
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
  }
}

/// The SHA-256 of `bytes` in lowercase hex.
func sha256(_ bytes: some DataProtocol) -> String {
  SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
}

/// The SHA-256 of a file, read in 1 MiB chunks.
func sha256(fileAt path: String) throws -> String {
  let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
  defer { try? handle.close() }
  var hasher = SHA256()
  while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
  return hasher.finalize().map { String(format: "%02x", $0) }.joined()
}

/// Runs a program and returns its exit status and output.
@discardableResult
func run(_ arguments: [String], in directory: String? = nil) throws -> (status: Int32, output: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = arguments
  if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = pipe
  try process.run()
  let output = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

/// A small bundle's inputs: a key, bag-info fields, three records and four objects (one larger
/// than the 1 MiB chunk, one empty).
struct Fixture {
  let scratch = Scratch()
  let key = Curve25519.Signing.PrivateKey()
  var info: BagInfo
  var records: [Data]
  var objects: [(id: String, path: String)]
  var objectBytes: [String: [UInt8]] = [:]

  init(sequence: Int = 7, destination: String = "national") {
    info = BagInfo(
      sourceOrganization: "Sở VHTTDL Thái Nguyên", sourceBank: "19",
      sourceBankId: "5542ab9e-45dc-4d48-bd29-10be71f3241e", destination: destination, sequence: sequence,
      kind: .incremental, createdAt: Date(timeIntervalSince1970: 1_780_000_000.75),
      signingKeyId: BundleSignature.keyId(of: key.publicKey))
    let contents: [[UInt8]] = [
      Array(String(repeating: "0123456789abcdef", count: (3 << 20) / 16).utf8) + Array("and a tail".utf8),
      Array("a preview".utf8),
      [],
      Array(repeating: 0xab, count: 4096),
    ]
    objects = []
    for (index, bytes) in contents.enumerated() {
      let hex = sha256(bytes)
      let path = scratch.file("object-\(index)", bytes)
      objects.append((id: index == 0 ? "sha256:" + hex : hex, path: path))
      objectBytes[hex] = bytes
    }
    let ids = contents.map { "sha256:" + sha256($0) }
    records = [
      #"{"id":"\#(ids[0])","op":"upsert","record":{"id":"\#(ids[0])","kind":"photo","mediaType":"image/jpeg","thumbnail":"\#(ids[1])"},"revision":3}"#,
      #"{"id":"\#(ids[2])","op":"upsert","record":{"id":"\#(ids[2])","kind":"story","title":{"vi":"Chè Tân Cương"}},"revision":1}"#,
      #"{"id":"\#(ids[3])","op":"retract","reason":"rights withdrawn by the photographer","revision":7}"#,
    ].map { Data($0.utf8) }
  }

  /// The public key, as a receiver knows it by its id.
  func keys(_ id: String) -> Curve25519.Signing.PublicKey? {
    id == BundleSignature.keyId(of: key.publicKey) ? key.publicKey : nil
  }

  /// Writes the bundle as a directory under the scratch directory.
  func writeDirectory() throws -> URL {
    try BundleWriter.write(
      info: info, records: records, objects: objects, key: key, to: .directory(parent: scratch.url))
  }

  /// Writes the bundle as a tar file in the scratch directory.
  func writeTar(_ name: String = "bundle.tar") throws -> URL {
    try BundleWriter.write(
      info: info, records: records, objects: objects, key: key,
      to: .tar(file: scratch.url.appendingPathComponent(name)))
  }
}

/// Every path under `directory`, relative to it, sorted; directories end with `/`.
func tree(_ directory: URL) throws -> [String] {
  var paths: [String] = []
  func walk(_ relative: String) throws {
    let base = relative.isEmpty ? directory.path : directory.path + "/" + relative
    for name in try FileManager.default.contentsOfDirectory(atPath: base) {
      let path = relative.isEmpty ? name : relative + "/" + name
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: directory.path + "/" + path, isDirectory: &isDirectory)
      if isDirectory.boolValue {
        paths.append(path + "/")
        try walk(path)
      } else {
        paths.append(path)
      }
    }
  }
  try walk("")
  return paths.sorted()
}

/// Rewrites a bag's manifests, `Payload-Oxum` and signature after a test has changed it, so that
/// only the change under test is wrong. `editInfo` changes `bag-info.txt` first; the signature
/// is by `key`, with `keyId` written as its key id (default: `key`'s).
func reseal(
  _ bag: URL, key: Curve25519.Signing.PrivateKey, keyId: String? = nil, editInfo: (String) -> String = { $0 }
) throws {
  let manager = FileManager.default
  var payload: [(path: String, size: Int64)] = []
  for path in try tree(bag.appendingPathComponent("data")) where !path.hasSuffix("/") {
    let size = try manager.attributesOfItem(atPath: bag.path + "/data/" + path)[.size] as! Int64
    payload.append(("data/" + path, size))
  }
  payload.sort { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
  let manifest = try payload.map { "\(try sha256(fileAt: bag.path + "/" + $0.path))  \($0.path)\n" }.joined()
  try manifest.write(to: bag.appendingPathComponent("manifest-sha256.txt"), atomically: false, encoding: .utf8)
  let oxum = "\(payload.map(\.size).reduce(0, +)).\(payload.count)"
  var info = try String(contentsOf: bag.appendingPathComponent("bag-info.txt"), encoding: .utf8)
  info =
    info.split(separator: "\n").map { $0.hasPrefix("Payload-Oxum: ") ? "Payload-Oxum: \(oxum)" : String($0) }
    .joined(separator: "\n") + "\n"
  info = editInfo(info)
  try info.write(to: bag.appendingPathComponent("bag-info.txt"), atomically: false, encoding: .utf8)
  var tagManifest = ""
  for name in ["bagit.txt", "bag-info.txt", "manifest-sha256.txt"] {
    tagManifest += "\(try sha256(fileAt: bag.path + "/" + name))  \(name)\n"
  }
  try tagManifest.write(to: bag.appendingPathComponent("tagmanifest-sha256.txt"), atomically: false, encoding: .utf8)
  var signature = try BundleSignature(signing: Data(tagManifest.utf8), with: key)
  if let keyId { signature.keyId = keyId }
  try signature.rendered().write(
    to: bag.appendingPathComponent(BundleSignature.fileName), atomically: false, encoding: .utf8)
}
