// `stationguard rules test`: run the rule unit tests (docs/rule-files.md).
import ArgumentParser
import Rules

struct RulesTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the rule tests (DIR/tests/*.test.yaml of each rule directory).",
        discussion: "Prints each failure as file:line: test: what went wrong, then 'N passed, M failed'. Exit 0: all passed; 1: any failure or rule error."
    )

    @OptionGroup var options: RuleOptions

    @Option(name: .customLong("tests"), help: "A test directory (repeatable; default: tests/ under each rule directory).")
    var testDirectories: [String] = []

    func run() throws {
        let generation = try options.loadGeneration()
        let dirs = testDirectories.isEmpty ? RuleTestRunner.testDirectories(of: options.layers) : testDirectories
        let report = RuleTestRunner(generation: generation).run(directories: dirs)
        for issue in report.issues { print(issue.description) }
        for failure in report.failures { print(failure.description) }
        print(report.summary)
        if report.failed > 0 || report.passed == 0 { throw ExitCode(1) }
    }
}
