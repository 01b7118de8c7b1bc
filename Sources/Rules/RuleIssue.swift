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
    /// The first `listed` issues, then how many more there are: a file of thousands of broken
    /// rules would otherwise make a megabyte of stderr and of the rules-rejected event's
    /// SG_ISSUES field. The count is exact; `issues` keeps them all.
    public var description: String {
        var lines = issues.prefix(RuleLoadError.listed).map(\.description)
        if issues.count > RuleLoadError.listed {
            lines.append("… and \(issues.count - RuleLoadError.listed) more problems, not listed (the first \(RuleLoadError.listed) are)")
        }
        return lines.joined(separator: "\n")
    }
    /// Issues a description lists at most.
    public static let listed = 100
}
