// `stationguard rules list`: every rule with its set, layer and state.
import ArgumentParser
import Rules

struct RulesList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every rule with its set, layer directory and state.",
        discussion: "States: active, disabled (NAME.yaml.disabled or enabled: false), masked (NAME.yaml -> /dev/null), overridden (a higher layer has a file of the same name)."
    )

    @OptionGroup var options: RuleOptions

    func run() throws {
        let listing = RuleListing.make(layers: options.layers)
        var rows: [[String]] = [["RULE", "SET", "STATE", "KIND", "SEVERITY", "ACTION", "LAYER"]]
        for r in listing.rules {
            rows.append([r.id, r.ruleset, r.state, r.kind, r.severity, r.action, r.directory])
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
