// `stationguard reload`: the unit's ExecReload. Checks the rules as the daemon would load them,
// then sends SIGHUP to the daemon; no /bin/kill (procps) needed on a minimal system.
import ArgumentParser
import Foundation
import Glibc

struct Reload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Check the rules, then tell the running daemon to reload them (SIGHUP).",
        discussion: """
        Loads and checks every rule file and the station config first; if anything does not load, prints every problem as file:line:col: message, signals nothing and exits 1 (the daemon keeps the rules in force). Otherwise sends SIGHUP to the daemon: --pid, or $MAINPID, which systemd sets for ExecReload=. Exit 0: signalled; 1: rules do not load or the signal could not be sent; 2: no pid given.
        """
    )

    @OptionGroup var options: RuleOptions

    @Option(name: .customLong("pid"), help: "The daemon's process id (default: $MAINPID).")
    var pid: Int32?

    func validate() throws {
        if pid == nil && ProcessInfo.processInfo.environment["MAINPID"].flatMap(Int32.init) == nil {
            throw ValidationError("no daemon to signal: give --pid or set MAINPID (systemd does for ExecReload=)")
        }
        if let pid, pid <= 0 { throw ValidationError("--pid must be a process id above 0, got \(pid)") }
    }

    func run() throws {
        let target = pid ?? ProcessInfo.processInfo.environment["MAINPID"].flatMap(Int32.init) ?? 0
        let generation = try options.loadGeneration()
        guard kill(target, SIGHUP) == 0 else {
            printError("stationguard reload: cannot signal process \(target): \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
        print("rules checked (\(generation.rules.count) rules, version \(generation.version)); reload requested from process \(target)")
    }
}
