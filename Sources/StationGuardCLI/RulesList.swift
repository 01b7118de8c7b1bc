// `stationguard rules list`: every rule with its set, layer and state.
import ArgumentParser
import Rules

struct RulesList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every rule with its set, layer directory and state.",
        discussion: "States: active, disabled (NAME.yaml.disabled or enabled: false), masked (NAME.yaml -> /dev/null), overridden (a higher layer has a file of the same name). ACTION is the action in force: the station config's actions: or strict_holiday_mode may change the file's (shown as HOLD (file: WARN))."
    )

    @OptionGroup var options: RuleOptions

    func run() throws {
        let config: StationConfig
        do { config = try options.stationConfig() } catch let e as RuleLoadError {
            printError(e.description)
            throw ExitCode(1)
        }
        let listing = RuleListing.make(layers: options.layers, config: config)
        var rows: [[String]] = [["RULE", "SET", "STATE", "KIND", "SEVERITY", "ACTION", "LAYER"]]
        for r in listing.rules {
            // The action in force; the file's own when the station config changes it.
            let action = r.action == r.declaredAction ? r.action : "\(r.action) (file: \(r.declaredAction))"
            rows.append([r.id, r.ruleset, r.state, r.kind, r.severity, action, r.directory])
        }
        for s in listing.setsWithoutRules {
            rows.append(["-", s.name, s.state.rawValue, "-", "-", "-", s.directory])
        }
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        for row in rows {
            print(row.enumerated().map { $0.offset == row.count - 1 ? $0.element : $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
        for issue in listing.issues { printError(issue.summary) }
        if !listing.issues.isEmpty { throw ExitCode(1) }
    }
}
