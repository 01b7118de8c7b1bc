import ArgumentParser

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check, list, test, enable and disable rule sets.",
        subcommands: []
    )
}
