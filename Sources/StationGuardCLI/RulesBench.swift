// `stationguard rules bench RECORD…` (hidden): records per second through decode, validate
// and evaluate with the loaded rules, all in memory (no I/O in the timed loop).
import ArgumentParser
import Foundation
import Records
import Rules

struct RulesBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure records evaluated per second (decode + validate + evaluate).",
        shouldDisplay: false)

    @OptionGroup var options: RuleOptions
    @Option(help: "Seconds to run.") var seconds: Double = 3
    @Argument(help: "Record files to cycle through.") var records: [String]

    func run() throws {
        let generation = try options.loadGeneration()
        let inputs: [(String, [UInt8])] = records.compactMap { p in
            FileManager.default.contents(atPath: p).map { ((p as NSString).lastPathComponent, Array($0)) }
        }
        guard !inputs.isEmpty else { printError("no readable record files"); throw ExitCode(1) }
        let result = RuleBenchmark.run(generation: generation, inputs: inputs, seconds: seconds)
        print(result.summary)
    }
}
