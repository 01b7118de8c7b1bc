import ArgumentParser

struct Expr: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "expr", abstract: "Evaluate CEL expressions read as JSON lines.")

    func run() throws {
        throw ValidationError("'expr' is not built yet")
    }
}
