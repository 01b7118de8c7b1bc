// CheckerIssues: one function per kind of mistake the checker reports, so the wording of
// each never drifts (cel-go's checker/errors.go). Stops recording after `limit` issues.

struct CheckerIssues {
    static let limit = 100

    let parsed: ParsedExpression
    private(set) var issues: [CompileIssue] = []
    /// Set once the cap is reached; the caller may add a final "too many errors" note.
    private(set) var truncated = false

    init(parsed: ParsedExpression) { self.parsed = parsed }

    func formatCall(_ args: [CELType], isMember: Bool) -> String {
        if isMember, let receiver = args.first {
            return "\(receiver).(\(args.dropFirst().map(\.description).joined(separator: ", ")))"
        }
        return "(\(args.map(\.description).joined(separator: ", ")))"
    }

    mutating func undeclaredReference(_ id: Int, _ name: String) {
        report(id, "undeclared reference to '\(name)'")
    }

    mutating func undefinedField(_ id: Int, _ field: String, on type: CELType) {
        report(id, "undefined field '\(field)' on type '\(type)'")
    }

    mutating func undeclaredObjectType(_ id: Int, _ name: String) {
        report(id, "type '\(name)' is not declared")
    }

    mutating func noMatchingOverload(_ id: Int, _ function: String, _ args: [CELType], isMember: Bool) {
        report(id, "found no matching overload for '\(function)' applied to '\(formatCall(args, isMember: isMember))'")
    }

    mutating func typeMismatch(_ id: Int, expected: CELType, found: CELType) {
        report(id, "expected type '\(expected)' but found '\(found)'")
    }

    mutating func typeDoesNotSupportFieldSelection(_ id: Int, _ type: CELType) {
        report(id, "type '\(type)' does not support field selection")
    }

    mutating func notAComprehensionRange(_ id: Int, _ type: CELType) {
        report(id, "expression of type '\(type)' cannot be range of a comprehension (must be list, map, or dynamic)")
    }

    mutating func unsupportedMapKeyType(_ id: Int, _ type: CELType) {
        report(id, "unsupported map key type '\(type)' (must be bool, int, uint or string)")
    }

    mutating func typesTooLarge(_ id: Int, steps: Int) {
        report(id, "expression too complex to type-check (its types took over \(steps) steps)")
    }

    mutating func notAnOptionalFieldSelection(_ id: Int) {
        report(id, "unsupported optional field selection: the field must be a name")
    }

    private mutating func report(_ id: Int, _ message: String) {
        guard issues.count < CheckerIssues.limit else { truncated = true; return }
        let offset = id >= 0 && id < parsed.offsets.count ? max(0, parsed.offsets[id]) : 0
        issues.append(CompileIssue(message: message, offset: offset, source: parsed.source, exprID: id))
    }
}
