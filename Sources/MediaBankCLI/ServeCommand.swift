import ArgumentParser
import Foundation
import MediaBank
import MediaBankServer
import SystemIO

/// `mediabank serve`: the web library over the bank.
struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the web library: browse, search and download the bank's assets in a browser.",
    discussion: """
      Prints the URL once it listens, and serves until interrupted (Ctrl-C or SIGTERM: the \
      requests in flight finish first). Everyone signs in with an account of `mediabank user`; \
      each route checks the account's role. Commands may run on the same bank meanwhile. \
      Listening on another address than the loopback exposes the bank to the network: serve \
      HTTPS with --tls-cert and --tls-key (the session cookie is then sent over HTTPS only), or \
      put it behind a reverse proxy with TLS (README, "Web interface") and pass --secure-cookies. \
      The certificate and key are read once, at the start: restart after renewing them.
      """)

  @Option(help: ArgumentHelp("The address and port to listen on (port 0: any free port).", valueName: "host:port"))
  var listen = "127.0.0.1:8080"

  @Option(
    help: ArgumentHelp(
      "Serve HTTPS with this PEM certificate, followed in the file by its intermediate certificates if any.",
      valueName: "file"))
  var tlsCert: String?

  @Option(help: ArgumentHelp("The PEM private key of --tls-cert's certificate, unencrypted.", valueName: "file"))
  var tlsKey: String?

  @Flag(help: "Send the session cookie over HTTPS only (behind a TLS reverse proxy; implied by --tls-cert).")
  var secureCookies = false

  @Option(help: ArgumentHelp("The largest file an upload may send, in MB (10^6 bytes).", valueName: "mb"))
  var maxUploadMb: Int64 = 4096

  @OptionGroup var bankOptions: BankOptions

  func validate() throws {
    if (tlsCert == nil) != (tlsKey == nil) {
      throw ValidationError(
        "\(tlsCert == nil ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key"): give both for HTTPS, "
          + "or neither for HTTP")
    }
  }

  func run() async throws {
    guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
      (0...65535).contains(port)
    else { throw ValidationError("--listen '\(listen)' is not host:port (e.g. 127.0.0.1:8080)") }
    var host = String(listen[..<colon])
    if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    guard !host.isEmpty else { throw ValidationError("--listen '\(listen)' names no host") }
    let library = try bankOptions.open(create: false)
    let accounts = try fatalOnError { try library.accounts() }
    guard (1...1_000_000).contains(maxUploadMb) else { throw ValidationError("--max-upload-mb is 1 to 1000000") }
    // Read and checked before anything listens: a bad file stops here, named.
    var tls: TLSCredentials?
    if let tlsCert, let tlsKey { tls = try fatalOnError { try TLSCredentials(certificate: tlsCert, key: tlsKey) } }
    let server = WebServer(
      library: library, secureCookies: secureCookies, maxUploadBytes: maxUploadMb * 1_000_000, tls: tls)
    let bank = library.root.path
    try await server.run(host: host, port: port) { url in
      // Written at once, unbuffered: a script waits for this line to know where to connect.
      var text = say(.listening(url: url, bank: bank)) + "\n"
      if accounts.isEmpty { text += say(.noAccountYet) + "\n" }
      try? IO.writeToStandardOutput(Array(text.utf8))
    }
  }
}
