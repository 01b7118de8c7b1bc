// `stationguard run`: the daemon (systemd Type=notify). Parses options and hands over to Daemon.
import ArgumentParser
import Daemon
import Rules

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: spool → records → rules → journal.",
        discussion: """
        Claims records from the spool's new/, evaluates them against the rules and writes one journal entry per alert; settles each record in done/DATE/ or quarantine/. Reloads the rules when their files change and on SIGHUP; stops on SIGTERM or SIGINT.
        Exit 0 after a stop; 1 when the spool is in use by another daemon or unusable, or the config or rules do not load (file:line:col on stderr).
        """
    )

    @OptionGroup var rules: RuleOptions
    @OptionGroup var spool: SpoolOptions
    @Option(name: .customLong("state"), help: "The state directory holding the trip store (trips.sqlite).")
    var stateDirectory: String = "/var/lib/stationguard"

    func run() throws {
        let daemon = Daemon(DaemonConfiguration(
            spoolRoot: spool.spoolDirectory,
            ruleDirectories: rules.layers.directories,
            configPath: rules.configFile,
            configMustExist: rules.configFile != StationConfig.defaultPath,
            stateDirectory: stateDirectory,
            strictModes: !rules.insecureRules))
        let status = daemon.run()
        if status != 0 { throw ExitCode(status) }
    }
}
