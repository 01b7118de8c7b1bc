import ArgumentParser

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Evaluate record files against the rules and print the alerts.")

    func run() throws {
        throw ValidationError("'check' is not built yet")
    }
}
