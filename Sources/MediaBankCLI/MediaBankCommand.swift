public import ArgumentParser

/// The `mediabank` command: a shared media asset library for provincial and national banks.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct MediaBankCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "mediabank",
    abstract: "A content-addressed bank of photos, videos and stories.",
    discussion: """
      The bank is found by --bank PATH, else $MEDIABANK_PATH, else $XDG_DATA_HOME/mediabank \
      (~/.local/share/mediabank). `add` creates it on first use.

      Exit status: 0 success; 1 some files or objects failed (the rest was done); \
      2 fatal error (nothing was done); 64 usage error; 75 another command held the bank (nothing \
      was done; run again).
      """,
    // The version of the CHANGELOG's newest section (DocsTests checks it).
    version: "0.1.0",
    subcommands: [
      InitCommand.self, AddCommand.self, ImportCommand.self, ShowCommand.self, ListCommand.self, SearchCommand.self,
      BatchesCommand.self, TagCommand.self, EditCommand.self, HistoryCommand.self, DeleteCommand.self,
      ReviewCommand.self, ReportCommand.self, VerifyCommand.self, BackupCommand.self, RestoreCommand.self,
      LocalityCommand.self, PillarsCommand.self, RetractCommand.self, UnretractCommand.self, KeyCommand.self,
      ExportCommand.self, VerifyBundleCommand.self, ReceiveCommand.self, ReceiptCommand.self, TrustCommand.self,
      SyncStatusCommand.self, RemoteCommand.self, SyncCommand.self, UserCommand.self, TokenCommand.self,
      ServeCommand.self,
    ]
  )

  public init() {}
}
