// `stationguard board [--date D] [--watch]`: the station day's trips for the gate officer's
// screen (DutyBoard: held buses first, 80 columns, Chinese aligned by display width). Reads the
// trip store read-only, safe while the daemon writes; `--watch` redraws every 2 seconds.
import ArgumentParser
import Foundation
import Records
import Rules
import Trips

struct Board: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "board",
        abstract: "The day's trips at the gate: held buses first, then by departure time.",
        discussion: """
        One line per trip: departure time (actual, else scheduled), verdict, trip, plate, drivers, the rule ids of its reasons; under a held trip, its first reason in the officer's words. Fits 80 columns; Chinese counts two columns a character. HOLD is red and RELEASE green when standard output is a terminal and NO_COLOR is not set.
        --date D: the station day (default today at the station, in the config's time zone). --watch: redraw every 2 seconds (clearing the screen on a terminal) until interrupted (Ctrl-C).
        Reads DIR/trips.sqlite read-only (--state, default /var/lib/stationguard); safe while the daemon runs.
        Exit 0: the board was shown; 4: the store or config cannot be read (reason on stderr); 2: usage error.
        """
    )

    @Option(help: ArgumentHelp("The station day; default today at the station.", valueName: "YYYY-MM-DD")) var date: String?
    @Flag(help: "Redraw every 2 seconds until interrupted.") var watch = false
    @OptionGroup var gate: GateOptions

    func validate() throws {
        if let date { _ = try parseStationDay(date) }
    }

    func run() throws {
        let config = try gate.config()
        let clock = StationClock(timeZone: config.timeZone)
        let terminal = isatty(STDOUT_FILENO) == 1
        // no-color.org: set to anything but the empty string, it turns colour off.
        let colour = terminal && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        guard watch else {
            let store = try gate.openStore()
            do {
                print(try board(store, config: config, clock: clock).lines(colour: colour).joined(separator: "\n"))
            } catch {
                printError("\(gate.storePath): cannot read the trip store: \(error)")
                throw ExitCode(GateAnswer.noAnswer.rawValue)
            }
            return
        }
        while true {
            // Opened afresh each time: the daemon may have moved a corrupt store aside and made a new one.
            var lines: [String]
            do {
                let store = try TripStore(directory: gate.stateDirectory, readOnly: true)
                lines = try board(store, config: config, clock: clock).lines(colour: colour, updated: clock.now())
            } catch let e as TripStoreError {
                lines = ["\(clock.now())  \(e.description)"]
            } catch {
                lines = ["\(clock.now())  \(gate.storePath): cannot read the trip store: \(error)"]
            }
            // On a terminal: cursor home, each line over the old one (cleared to its end), then the
            // rest of the screen cleared: a new board without the flicker of a blank screen. A pipe
            // gets one board after another.
            let text = terminal ? "\u{1B}[H" + lines.map { $0 + "\u{1B}[K\n" }.joined() + "\u{1B}[J" : lines.joined(separator: "\n") + "\n\n"
            FileHandle.standardOutput.write(Data(text.utf8))
            Thread.sleep(forTimeInterval: 2)
        }
    }

    /// The board of `--date`, or of today at the station (asked each time: `--watch` runs past midnight).
    private func board(_ store: TripStore, config: StationConfig, clock: StationClock) throws -> DutyBoard {
        let day = try date.map(parseStationDay) ?? clock.today()
        return DutyBoard(day: day.description, station: config.stationCode, decisions: try store.board(day: day))
    }
}
