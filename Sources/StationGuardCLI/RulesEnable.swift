// `stationguard rules enable|disable NAME`: switch a rule set in the admin (highest) directory.
import ArgumentParser
import Rules

struct RulesEnable: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable",
        abstract: "Switch a rule set back on in the admin directory.",
        discussion: "Removes the admin directory's NAME.yaml -> /dev/null mask, or renames NAME.yaml.disabled back. Exit 0: done or already active; 1: unknown set, or switched off below the admin directory."
    )

    @OptionGroup var options: RuleOptions
    @Argument(help: "The rule set name (file stem).") var name: String

    func run() throws {
        do { print(try options.layers.enable(name).message) } catch let issue as RuleIssue {
            printError(issue.description); throw ExitCode(1)
        }
    }
}

struct RulesDisable: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Switch a rule set off in the admin directory.",
        discussion: "Renames an admin file NAME.yaml to NAME.yaml.disabled, or masks a vendor file with NAME.yaml -> /dev/null. Exit 0: done or already off; 1: unknown set or the file system refused."
    )

    @OptionGroup var options: RuleOptions
    @Argument(help: "The rule set name (file stem).") var name: String

    func run() throws {
        do { print(try options.layers.disable(name).message) } catch let issue as RuleIssue {
            printError(issue.description); throw ExitCode(1)
        }
    }
}
