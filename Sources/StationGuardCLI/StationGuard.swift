// stationguard: the one binary. Each subcommand lives in its own file and only
// composes the modules; no station logic is written here.
import ArgumentParser
import Foundation

@main
struct StationGuard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stationguard",
        abstract: "Keeps unsafe buses, drivers and luggage off the road: spool → rules → journal.",
        subcommands: [Run.self, Reload.self, Check.self, Status.self, Board.self, Submit.self, RulesCommand.self, Expr.self]
    )

    /// interfaces.md §4 promises exit 2 for a usage error; swift-argument-parser's own
    /// code for one is 64 (EX_USAGE), so it is translated here, once, for every subcommand.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                let text = fullMessage(for: error)
                if !text.isEmpty { FileHandle.standardError.write(Data((text + "\n").utf8)) }
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Options shared by every command that reads rules or the station config.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: "A rule directory (repeatable; replaces the default search path, lowest layer first).")
    var ruleDirectories: [String] = []

    @Option(name: .customLong("config"), help: "The station config file.")
    var configFile: String = "/etc/stationguard/stationguard.yaml"

    /// Tests only (never in the unit): rule and config files are refused when anyone but root or
    /// this user can write them (StrictModes); this flag loads them anyway.
    @Flag(name: .customLong("insecure-rules"), help: ArgumentHelp("Tests only: load rule and config files whoever can write them.", visibility: .hidden))
    var insecureRules = false
}

/// Options shared by every command that touches the spool.
struct SpoolOptions: ParsableArguments {
    @Option(name: .customLong("spool"), help: "The spool directory.")
    var spoolDirectory: String = "/var/spool/stationguard"
}
