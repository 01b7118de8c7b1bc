// `stationguard rules check`: load and compile every rule set; list every problem.
import ArgumentParser
import Rules

struct RulesCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the rule files and the station config.",
        discussion: "Prints every problem as file:line:col: message. Exit 0: all rules load; 1: any problem."
    )

    @OptionGroup var options: RuleOptions

    func run() throws {
        let generation = try options.loadGeneration()
        let enabled = generation.rules.filter(\.enabled).count
        print("OK: \(generation.files.count) rule sets, \(generation.rules.count) rules (\(enabled) enabled), version \(generation.version)")
    }
}
