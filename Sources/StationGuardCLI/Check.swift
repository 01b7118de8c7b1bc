// `stationguard check RECORD…`: evaluate record files against the rules, without the spool
// or the journal; print the alerts that would be written and the trip decisions they cause.
// The records are one station's stream in the given order, through the same StationCheck the
// daemon uses (an in-memory trip store, or `--state DIR`'s).
import ArgumentParser
import Foundation
import Records
import Rules
import Trips

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Evaluate record files against the rules and print the alerts.",
        discussion: """
        The records are one station's stream, in the order given: each departure, and each later record of its trip, plate or driver recorded before the departure time, decides the trip (人车联检) again.
        Text: one line per alert, 'FILE: RULE SEVERITY ACTION: message' (a file without alerts says so), then one line per trip decision it caused, 'trip TRIP (PLATE): VERDICT [RULES]: message'.
        JSON (--format json): one object per alert per line, the journal fields with lower-case keys without SG_ (rule, ruleset, severity, action, record_id, message, …); a decision is {"verdict": "RELEASE"|"HOLD", "trip_id", "record_id" (the departure record), "plate", "reasons": [{"rule", "action", "message"}]}. The last line for a trip is its verdict.
        Times come from the records, never from the machine's clock.
        Exit 0: every record evaluated (alerts, if any, printed: firing is not a failure); 1: a record could not be read or is invalid (reason on stderr), or the rules do not load; 2: usage error.
        """
    )

    enum Format: String, ExpressibleByArgument { case text, json }

    @OptionGroup var options: RuleOptions
    @Option(help: "text or json") var format: Format = .text
    @Option(name: .customLong("state"), help: "Read and write the trip store in this directory (default: an in-memory store).")
    var stateDirectory: String?
    @Argument(help: "Record files (JSON).") var records: [String]

    func validate() throws {
        if records.isEmpty { throw ValidationError("give at least one record file") }
    }

    func run() throws {
        let generation = try options.loadGeneration(contentVersion: true)
        let station: StationCheck
        do {
            if let stateDirectory {
                try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
            }
            station = StationCheck(rules: generation, store: try TripStore(directory: stateDirectory))
        } catch {
            printError("\(stateDirectory ?? "memory"): cannot open the trip store: \(error)")
            throw ExitCode(1)
        }
        var failed = false
        for path in records {
            guard let data = FileManager.default.contents(atPath: path) else {
                printError("\(JournalText.clean(path)): cannot read the file"); failed = true; continue
            }
            let record: Record
            switch RecordDecoder.decode(Array(data), fileName: (path as NSString).lastPathComponent) {
            case .failure(let e): printError(JournalText.clean("\(path): invalid record: \(e.reason)")); failed = true; continue
            case .success(let r): record = r
            }
            for warning in record.unknownFieldWarnings { printError(JournalText.clean("\(path): warning: \(warning)")) }
            let result: StationCheck.Result
            do {
                result = try station.check(record, bytes: Array(data))
            } catch {
                printError("\(path): the trip store failed: \(error)"); failed = true; continue
            }
            // A record seen before (same bytes) decides nothing again.
            let decisions = result.outcome == .stored ? result.decisions : []
            switch format {
            case .json:
                for a in result.alerts { print(a.jsonLine) }
                for d in decisions { print(d.jsonLine) }
            case .text:
                // The file name may carry an ID number or control characters, like SG_SPOOL_FILE:
                // cleaned the same way (the messages are already clean: Alert.message).
                let shown = JournalText.clean(path)
                if result.alerts.isEmpty { print("\(shown): no alerts") }
                for a in result.alerts { print("\(shown): \(a.rule) \(a.severity.rawValue) \(a.action.rawValue): \(a.message)") }
                for d in decisions {
                    let rules = d.reasons.isEmpty ? "" : " [" + d.reasons.map(\.rule).joined(separator: " ") + "]"
                    print(JournalText.clean("trip \(d.tripID) (\(d.plate ?? "?")): \(d.verdict.rawValue)\(rules): \(d.message)"))
                }
            }
        }
        if failed { throw ExitCode(1) }
    }
}
