import ArgumentParser

struct Submit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "submit", abstract: "Validate records and hand them to the spool.")

    func run() throws {
        throw ValidationError("'submit' is not built yet")
    }
}
