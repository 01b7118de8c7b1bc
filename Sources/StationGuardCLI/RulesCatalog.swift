// `stationguard rules catalog`: prints the journal message catalog for the rules' MESSAGE_IDs.
import ArgumentParser
import Rules

struct RulesCatalog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Print the journal message catalog (journalctl -x) for every rule, in English and Chinese.",
        discussion: """
        Explains every rule of every rule set in the layers, switched off ones included. \
        Install the output as /usr/lib/systemd/catalog/stationguard-rules.catalog and run \
        `journalctl --update-catalog`. Exit 1, printing nothing on stdout, when a rule file \
        cannot be read or two rules share a MESSAGE_ID.
        """
    )

    @OptionGroup var options: RuleOptions

    func run() throws {
        let catalog = RuleCatalog.make(layers: options.layers)
        // A catalog missing a rule's explanation must not be installable: print none.
        guard catalog.issues.isEmpty else {
            for issue in catalog.issues { printError(issue.description) }
            printError("\(catalog.issues.count) error\(catalog.issues.count == 1 ? "" : "s"); no catalog written")
            throw ExitCode(1)
        }
        if catalog.entries.isEmpty {
            printError("no rules in \(options.layers.directories.joined(separator: ", ")); no catalog written")
            throw ExitCode(1)
        }
        print(catalog.text, terminator: "")
    }
}
