// YAMLDocument: a YAML file read at the node level (Yams), so every key and scalar keeps its
// line and column, and strict readers that report unknown, missing and mistyped keys.
import Foundation
import Yams

/// A collector of issues: loading goes on after an error so that an admin sees every
/// mistake in one run, as `promtool check rules` does.
final class IssueLog {
    private(set) var issues: [RuleIssue] = []
    let file: String
    init(file: String) { self.file = file }

    func add(_ message: String, at mark: Mark?, detail: String? = nil) {
        issues.append(RuleIssue(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, message: message, detail: detail))
    }
    func add(_ message: String, line: Int, column: Int) {
        issues.append(RuleIssue(file: file, line: line, column: column, message: message))
    }
    func add(_ issue: RuleIssue) { issues.append(issue) }
    var isEmpty: Bool { issues.isEmpty }
}

/// One YAML file: the root node and the raw text, split into lines of Unicode scalars
/// (libyaml's column unit) so that a scalar's value can be mapped back to file positions.
struct YAMLDocument {
    let path: String
    let root: Node?
    let lines: [[Unicode.Scalar]]

    /// Parses `text`; a syntax error becomes an issue at libyaml's mark.
    init(path: String, text: String) throws {
        self.path = path
        var lines: [[Unicode.Scalar]] = [[]]
        for s in text.unicodeScalars {
            if s == "\n" { lines.append([]) } else { lines[lines.count - 1].append(s) }
        }
        // libyaml treats CR LF as one break; keep columns right on CRLF files.
        let trimmed = lines.map { $0.last == "\r" ? Array($0.dropLast()) : $0 }
        self.lines = trimmed
        try YAMLDocument.checkBounds(text, path: path)
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw YAMLDocument.issue(for: error, path: path, lines: trimmed)
        }
    }

    /// Reads and parses a file; unreadable, oversized (`sizeLimit`) or non-UTF-8 files are
    /// issues too, and so are anchors, aliases and excessive nesting (`checkBounds`).
    static func read(path: String) throws -> YAMLDocument {
        let data = try readBounded(path: path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw RuleIssue(file: path, line: 0, column: 0, message: "the file is not UTF-8 text")
        }
        return try YAMLDocument(path: path, text: text)
    }

    private static func issue(for error: YamlError, path: String, lines: [[Unicode.Scalar]]) -> RuleIssue {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let ctx = context.map { " (\($0.text))" } ?? ""
            return RuleIssue(file: path, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)\(ctx)")
        case let .duplicatedKeysInMapping(duplicates, context):
            // Yams marks the key's first occurrence; the mistake an admin must fix is the
            // repeat, so point there and name the first.
            let key = duplicates.first ?? ""
            let first = context.mark
            let others = duplicates.dropFirst()
            let also = others.isEmpty ? "" : "; also repeated: '\(others.joined(separator: "', '"))'"
            if let repeat_ = repeatedKey(key, firstAt: first, in: lines) {
                return RuleIssue(file: path, line: repeat_.line, column: repeat_.column,
                                 message: "duplicate key '\(key)' in a mapping (first at line \(first.line), column \(first.column))\(also)")
            }
            return RuleIssue(file: path, line: first.line, column: first.column,
                             message: "duplicate key '\(key)' in a mapping: this is the first, a later line repeats it\(also)")
        case let .reader(problem, _, _, _):
            return RuleIssue(file: path, line: 0, column: 0, message: "YAML: \(problem)")
        default:
            return RuleIssue(file: path, line: 0, column: 0, message: "YAML: \(error)")
        }
    }
}

extension YAMLDocument {
    /// The 1-based position of the next `key:` in the block mapping whose key `key` starts at
    /// `first`: a later line indented to the same column that starts with the key (plain or
    /// quoted) and a colon, before any line indented less (the mapping's end). nil when the
    /// repeat cannot be found this way (flow mappings `{…}`, keys written differently).
    static func repeatedKey(_ key: String, firstAt first: Mark, in lines: [[Unicode.Scalar]]) -> (line: Int, column: Int)? {
        let column = first.column - 1
        guard !key.isEmpty, column >= 0 else { return nil }
        let forms = [key, "\"\(key)\"", "'\(key)'"].map { Array($0.unicodeScalars) }
        var l = first.line   // 0-based index of the line after the first occurrence
        while l < lines.count {
            let line = lines[l]
            l += 1
            guard let indent = line.firstIndex(where: { $0 != " " && $0 != "\t" }), line[indent] != "#" else { continue }
            if indent < column { return nil }
            guard indent == column else { continue }
            for form in forms where line.count >= column + form.count && Array(line[column..<(column + form.count)]) == form {
                var k = column + form.count
                while k < line.count, line[k] == " " || line[k] == "\t" { k += 1 }
                if k < line.count, line[k] == ":", k + 1 == line.count || line[k + 1] == " " || line[k + 1] == "\t" {
                    return (l, column + 1)
                }
            }
        }
        return nil
    }
}

// MARK: - Strict mappings

/// A YAML mapping read strictly: keys must be strings from a known set (Prometheus-style),
/// required keys must be present, and each value is read with a type check.
struct StrictMapping {
    let node: Node
    let pairs: [(key: String, keyNode: Node, value: Node)]
    let log: IssueLog

    /// nil (and an issue) when `node` is not a mapping. `what` names it in messages, e.g. "rule DEP-001".
    init?(_ node: Node, what: String, log: IssueLog) {
        guard let mapping = node.mapping else {
            log.add("\(what) must be a mapping, found \(node.kindName)", at: node.mark)
            return nil
        }
        var pairs: [(String, Node, Node)] = []
        for (k, v) in mapping {
            guard let key = k.scalar?.string else {
                log.add("\(what): keys must be strings", at: k.mark)
                continue
            }
            pairs.append((key, k, v))
        }
        self.node = node
        self.pairs = pairs
        self.log = log
    }

    /// Reports keys outside `allowed` (at the key) and missing `required` keys (at the mapping).
    func check(allowed: [String], required: [String], what: String) {
        let allowedSet = Set(allowed)
        for p in pairs where !allowedSet.contains(p.key) {
            log.add("unknown key '\(p.key)' in \(what) (allowed: \(allowed.joined(separator: ", ")))", at: p.keyNode.mark)
        }
        for r in required where self[r] == nil {
            log.add("missing required key '\(r)' in \(what)", at: node.mark)
        }
    }

    subscript(key: String) -> Node? { pairs.first { $0.key == key }?.value }
    func keyNode(_ key: String) -> Node? { pairs.first { $0.key == key }?.keyNode }

    /// A text value: any non-null scalar (so `title: 2026` is the text "2026").
    func string(_ key: String, what: String) -> String? {
        guard let n = self[key] else { return nil }
        return n.textValue(what: "\(what): '\(key)'", log: log)
    }

    func bool(_ key: String, what: String) -> Bool? {
        guard let n = self[key] else { return nil }
        guard let s = n.scalar, n.tagName == .bool, let b = n.bool else {
            log.add("\(what): '\(key)' must be true or false, found \(n.describedValue)", at: n.mark)
            return nil
        }
        _ = s
        return b
    }

    func int(_ key: String, what: String) -> Int? {
        guard let n = self[key] else { return nil }
        guard n.scalar != nil, n.tagName == .int, let i = n.int else {
            log.add("\(what): '\(key)' must be an integer, found \(n.describedValue)", at: n.mark)
            return nil
        }
        return i
    }

    /// A list of text values; a single scalar is not accepted (write `[x]`).
    func stringList(_ key: String, what: String) -> [String]? {
        guard let n = self[key] else { return nil }
        guard let seq = n.sequence else {
            log.add("\(what): '\(key)' must be a list, found \(n.describedValue)", at: n.mark)
            return nil
        }
        return seq.compactMap { $0.textValue(what: "\(what): '\(key)'", log: log) }
    }
}

extension Node {
    /// The resolved tag (Yams keeps `Tag.name` internal).
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }

    var kindName: String {
        switch self {
        case .scalar: return tagName == .null ? "null" : "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// How an unexpected value is shown in a type error.
    var describedValue: String {
        guard let s = scalar else { return kindName }
        if tagName == .null { return "null" }
        let text = s.string.count > 40 ? String(s.string.prefix(40)) + "…" : s.string
        return "'\(text)'"
    }

    func textValue(what: String, log: IssueLog) -> String? {
        guard let s = scalar, tagName != .null else {
            log.add("\(what) must be text, found \(describedValue)", at: mark)
            return nil
        }
        return s.string
    }
}
