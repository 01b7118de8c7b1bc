// `stationguard rules …`: check, list, test, enable and disable rule sets.
import ArgumentParser
import Foundation
import Rules

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check, list, test, enable and disable rule sets; print their journal catalog.",
        subcommands: [RulesCheck.self, RulesList.self, RulesTest.self, RulesEnable.self, RulesDisable.self, RulesBench.self, RulesCatalog.self]
    )
}

extension RuleOptions {
    var layers: RuleLayers { RuleLayers(directories: ruleDirectories) }

    /// The station config; the default path may be absent (defaults), a `--config` file must exist.
    func stationConfig() throws -> StationConfig {
        try StationConfig.load(path: configFile, mustExist: configFile != StationConfig.defaultPath, strictModes: !insecureRules)
    }

    /// Config and rules, or the issues on stderr and exit 1.
    /// - Parameter contentVersion: the rules version is the files' content hash alone (`check`:
    ///   the same input gives the same output whatever the clock).
    func loadGeneration(contentVersion: Bool = false) throws -> RuleGeneration {
        do {
            var loader = RuleLoader(layers: layers, config: try stationConfig(), strictModes: !insecureRules)
            loader.contentVersion = contentVersion
            return try loader.load()
        } catch let e as RuleLoadError {
            printError(e.description)
            printError("\(e.issues.count) error\(e.issues.count == 1 ? "" : "s"); no rules loaded")
            throw ExitCode(1)
        }
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
