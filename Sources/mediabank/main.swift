import MediaBankCLI

await MediaBankCommand.start()
