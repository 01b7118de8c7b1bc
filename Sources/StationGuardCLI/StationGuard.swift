// stationguard: the one binary. Each subcommand lives in its own file and only
// composes the modules; no station logic is written here.
import ArgumentParser

@main
struct StationGuard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stationguard",
        abstract: "Keeps unsafe buses, drivers and luggage off the road: spool → rules → journal.",
        subcommands: [Run.self, Check.self, Submit.self, RulesCommand.self, Expr.self]
    )
}

/// Options shared by every command that reads rules or the station config.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: "A rule directory (repeatable; replaces the default search path, lowest layer first).")
    var ruleDirectories: [String] = []

    @Option(name: .customLong("config"), help: "The station config file.")
    var configFile: String = "/etc/stationguard/stationguard.yaml"
}

/// Options shared by every command that touches the spool.
struct SpoolOptions: ParsableArguments {
    @Option(name: .customLong("spool"), help: "The spool directory.")
    var spoolDirectory: String = "/var/spool/stationguard"
}
