// `stationguard check RECORD…`: evaluate record files against the rules, without the spool
// or the journal; print the alerts that would be written.
import ArgumentParser
import Foundation
import Records
import Rules

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Evaluate record files against the rules and print the alerts.",
        discussion: """
        Text: one line per alert, 'FILE: RULE SEVERITY ACTION: message'; a file without alerts says so.
        JSON (--format json): one object per alert per line, the journal fields with lower-case keys without SG_ (rule, ruleset, severity, action, record_id, message, …).
        Exit 0: every record evaluated (alerts, if any, printed: firing is not a failure); 1: a record could not be read or is invalid (reason on stderr), or the rules do not load; 2: usage error.
        """
    )

    enum Format: String, ExpressibleByArgument { case text, json }

    @OptionGroup var options: RuleOptions
    @Option(help: "text or json") var format: Format = .text
    @Argument(help: "Record files (JSON).") var records: [String]

    func validate() throws {
        if records.isEmpty { throw ValidationError("give at least one record file") }
    }

    func run() throws {
        let generation = try options.loadGeneration()
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
            let alerts = generation.evaluate(record)
            switch format {
            case .json:
                for a in alerts { print(a.jsonLine) }
            case .text:
                // The file name may carry an ID number or control characters, like SG_SPOOL_FILE:
                // cleaned the same way (the message is already clean: Alert.message).
                let shown = JournalText.clean(path)
                if alerts.isEmpty { print("\(shown): no alerts") }
                for a in alerts { print("\(shown): \(a.rule) \(a.severity.rawValue) \(a.action.rawValue): \(a.message)") }
            }
        }
        if failed { throw ExitCode(1) }
    }
}
