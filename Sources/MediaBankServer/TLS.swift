public import MediaBank
import NIOSSL
import SystemIO
import SystemPackage

/// The certificate and private key that `mediabank serve` answers HTTPS with (`--tls-cert`,
/// `--tls-key`), read and checked before the server listens.
public struct TLSCredentials: Sendable {
  /// The server's TLS settings: the certificate chain and its key, TLS 1.2 or later.
  let configuration: TLSConfiguration

  /// Reads the PEM certificate chain at `certificate` (the server's certificate first, then any
  /// intermediate ones) and the unencrypted PEM private key at `key`, and checks that the key is
  /// the certificate's.
  ///
  /// Throws a `MediaBankError` naming the file: `notFound`, `permissionDenied` or `io` when it
  /// cannot be read; `invalidInput` when it is not a regular file, holds no PEM certificate, no
  /// unencrypted PEM private key, or the key of another certificate.
  public init(certificate: String, key: String) throws(MediaBankError) {
    let certificateBytes = try Self.read(certificate, "the TLS certificate")
    let keyBytes = try Self.read(key, "the TLS private key")
    guard let chain = try? NIOSSLCertificate.fromPEMBytes(certificateBytes), !chain.isEmpty else {
      throw MediaBankError(
        .invalidInput, "not a PEM certificate (-----BEGIN CERTIFICATE-----), which --tls-cert takes",
        path: certificate)
    }
    guard let privateKey = try? NIOSSLPrivateKey(bytes: keyBytes, format: .pem) else {
      throw MediaBankError(
        .invalidInput,
        "not a PEM private key (-----BEGIN PRIVATE KEY-----), which --tls-key takes, or one encrypted with a "
          + "passphrase (decrypt it: openssl pkey -in KEY -out PLAIN)", path: key)
    }
    var configuration = TLSConfiguration.makeServerConfiguration(
      certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
    configuration.minimumTLSVersion = .tlsv12
    // The server makes this context from the settings when it starts; making it now checks, before
    // anything listens, that the key is the one of the certificate.
    do {
      _ = try NIOSSLContext(configuration: configuration)
    } catch NIOSSLError.failedToLoadPrivateKey {
      throw MediaBankError(.invalidInput, "not the private key of the certificate in \(certificate)", path: key)
    } catch {
      throw MediaBankError(.invalidInput, "cannot serve TLS with this certificate and key: \(error)", path: certificate)
    }
    self.configuration = configuration
  }

  /// The content of the file at `path`, which holds `what`: at most 1 MiB, as a PEM file is
  /// a few KiB.
  private static func read(_ path: String, _ what: String) throws(MediaBankError) -> [UInt8] {
    do {
      return try IO.readFile(FilePath(path), limit: 1 << 20)
    } catch {
      // `cannot open`, `cannot read`: the system's reason; else what is wrong with the file.
      guard error.operation.hasPrefix("cannot ") else {
        throw MediaBankError("\(what): \(error.operation)", path: path, wrapping: error, code: .invalidInput)
      }
      throw MediaBankError("\(error.operation) \(what): \(error.reason)", path: path, wrapping: error)
    }
  }
}
