import ArgumentParser
import WatchroomCore

/// How a console draws, the same for every command that opens one (`watchroom`,
/// `attach`, `drill`): ASCII only, the interface language, the bell.
struct ConsoleDisplayOptions: ParsableArguments {
    @Flag(help: "Draw with ASCII only.")
    var ascii = false

    @Option(name: .customLong("lang"), help: InterfaceLanguage.optionHelp, transform: InterfaceLanguage.argument)
    var lang: InterfaceLanguage?

    @Flag(name: .customLong("no-bell"), help: "No terminal bell for new priority-1 calls.")
    var noBell = false

    /// The interface language: `--lang`, else the locale's.
    var language: InterfaceLanguage { InterfaceLanguage.chosen(lang) }
}
