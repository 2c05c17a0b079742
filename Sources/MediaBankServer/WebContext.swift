public import Hummingbird
import MediaBank
import Messages

/// What the server knows of a request beyond its bytes: who sent it (a session, when signed in)
/// and in which language to answer.
public struct WebContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// The session of the request's cookie, once `Authenticate` found it valid.
  var signedIn: SignedIn?
  /// The language of the pages: the `ui` cookie's, else Vietnamese.
  var language: UILanguage = .vi

  /// The address the request came from (the proxy's, behind a reverse proxy), for counting
  /// failed sign-ins.
  var remoteAddress: String

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
  }

  /// A form or a JSON body is small: an upload streams to disk instead (64 KiB).
  public var maxUploadSize: Int { 64 * 1024 }
}
