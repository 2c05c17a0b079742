import MediaBankCLI

MediaBankCommand.main()
