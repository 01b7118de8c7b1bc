// RuleIssue: one thing wrong with a rule file, config file or rule test, located in its file.

/// One problem found while loading rule files, the station config or rule tests.
/// `description` is `file:line:col: message` (line and column 1-based, columns in Unicode
/// scalars as libyaml counts them), followed by the CEL caret display when there is one.
public struct RuleIssue: Error, CustomStringConvertible, Equatable {
    public var file: String
    /// 0 when the problem concerns the file as a whole (unreadable, empty).
    public var line: Int
    public var column: Int
    public var message: String
    /// Extra lines shown under the message: the CEL source line and caret.
    public var detail: String?

    public init(file: String, line: Int, column: Int, message: String, detail: String? = nil) {
        self.file = file; self.line = line; self.column = column; self.message = message; self.detail = detail
    }

    /// `file:line:col: message` without the caret lines.
    public var summary: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }

    public var description: String {
        guard let detail, !detail.isEmpty else { return summary }
        return summary + "\n" + detail
    }
}

/// Loading failed: every issue found (not just the first), in file order.
public struct RuleLoadError: Error, CustomStringConvertible {
    public var issues: [RuleIssue]
    public init(issues: [RuleIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
