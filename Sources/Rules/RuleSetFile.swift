// RuleSetFile: one rule set YAML file read strictly into definitions (not yet compiled).
// The format is docs/rule-files.md; unknown keys, missing keys, wrong types and words outside
// the vocabularies are issues at the offending key or value.
import Foundation
import Yams

/// How serious a rule's finding is; maps to the syslog PRIORITY of the journal entry.
public enum Severity: String, CaseIterable, Sendable {
    case critical, error, warning, notice, info

    /// The journal PRIORITY (interfaces.md §2).
    public var syslogPriority: Int {
        switch self {
        case .critical: return 2
        case .error: return 3
        case .warning: return 4
        case .notice: return 5
        case .info: return 6
        }
    }
}

/// What the duty officer must do. `review` is the engine's own: a rule could not decide.
public enum RuleAction: String, CaseIterable, Sendable {
    case hold = "HOLD"
    case refuse = "REFUSE"
    case warn = "WARN"
    case review = "REVIEW"
}

/// A parameter value, typed by the default a rule set declares (docs/rule-files.md).
public indirect enum ParamValue: Equatable, CustomStringConvertible {
    case int(Int64)
    case double(Double)
    case string(String)
    case bool(Bool)
    case list([ParamValue])

    public var description: String {
        switch self {
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return "'\(s)'"
        case .bool(let b): return String(b)
        case .list(let l): return "[" + l.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// The type's name as an admin would say it, for errors.
    var typeName: String {
        switch self {
        case .int: return "int"
        case .double: return "double"
        case .string: return "string"
        case .bool: return "bool"
        case .list(let l): return l.first.map { "list of \($0.typeName)" } ?? "list"
        }
    }

    /// Reads a YAML value as a param value; nil with a message when it is not one.
    static func read(_ node: Node) -> Result<ParamValue, ParamValueError> {
        switch node {
        case .scalar(let s):
            switch node.tagName {
            case .int:
                guard let i = node.int else { return .failure(ParamValueError("integer out of range: \(s.string)")) }
                return .success(.int(Int64(i)))
            case .float:
                guard let d = node.float, d.isFinite else { return .failure(ParamValueError("not a finite number: \(s.string)")) }
                return .success(.double(d))
            case .bool:
                guard let b = node.bool else { return .failure(ParamValueError("not a boolean: \(s.string)")) }
                return .success(.bool(b))
            case .null: return .failure(ParamValueError("a value is required, found null"))
            default: return .success(.string(s.string))
            }
        case .sequence(let seq):
            var items: [ParamValue] = []
            for n in seq {
                switch read(n) {
                case .success(let v):
                    if let first = items.first, !first.sameType(as: v) {
                        return .failure(ParamValueError("list items must all have one type: \(first.typeName) and \(v.typeName)"))
                    }
                    items.append(v)
                case .failure(let e): return .failure(e)
                }
            }
            return .success(.list(items))
        default:
            return .failure(ParamValueError("expected a number, text, true/false or a list, found \(node.kindName)"))
        }
    }

    func sameType(as other: ParamValue) -> Bool {
        switch (self, other) {
        case (.int, .int), (.double, .double), (.string, .string), (.bool, .bool): return true
        case (.list(let a), .list(let b)):
            guard let x = a.first, let y = b.first else { return true }
            return x.sameType(as: y)
        default: return false
        }
    }

    /// `value` converted to this value's type, or nil when it does not fit. An integer is
    /// accepted where the default is a double (`0` for `0.0`), never the other way.
    func conforming(_ value: ParamValue) -> ParamValue? {
        switch (self, value) {
        case (.double, .int(let i)): return .double(Double(i))
        case (.list(let proto), .list(let items)):
            guard let p = proto.first else { return value }
            var out: [ParamValue] = []
            for item in items {
                guard let c = p.conforming(item) else { return nil }
                out.append(c)
            }
            return .list(out)
        default:
            return sameType(as: value) ? value : nil
        }
    }
}

/// Why a YAML value is not a param value.
struct ParamValueError: Error { var message: String; init(_ m: String) { message = m } }

/// A declared parameter of a rule set.
public struct ParamDefinition {
    public var name: String
    public var defaultValue: ParamValue
    public var description: String?
}

/// A rule as written in its file, with the nodes the compiler needs for positions.
struct RuleDefinition {
    var id: String
    var title: String
    var kind: String
    var when: Node
    var severity: Severity
    var action: RuleAction
    var message: Node
    var messageEN: Node?
    var references: [String]
    var tags: [String]
    var enabled: Bool
    var messageID: String?
    var line: Int
    var column: Int
}

/// A rule set file read and checked for shape, not yet compiled.
struct RuleSetFile {
    var name: String
    var title: String?
    var description: String?
    var params: [ParamDefinition]
    var rules: [RuleDefinition]
    var path: String
    var document: YAMLDocument

    static let setKeys = ["ruleset", "title", "description", "params", "rules"]
    static let ruleKeys = ["id", "title", "kind", "when", "severity", "action", "message", "message_en",
                           "references", "tags", "enabled", "message_id"]
    static let requiredRuleKeys = ["id", "title", "kind", "when", "severity", "action", "message"]
    static let paramKeys = ["default", "description"]

    /// Reads `path` strictly. Issues go to `log`; nil when the file cannot be used at all.
    /// - Parameter kinds: the record kinds rules may name (from the record schema).
    static func read(path: String, stem: String, kinds: [String], log: IssueLog) -> RuleSetFile? {
        let doc: YAMLDocument
        do { doc = try YAMLDocument.read(path: path) } catch let issue as RuleIssue {
            log.add(issue); return nil
        } catch { log.add("\(error)", at: nil); return nil }
        guard let root = doc.root else { log.add("the file is empty; a rule set needs 'ruleset' and 'rules'", at: nil); return nil }
        guard let top = StrictMapping(root, what: "a rule set file", log: log) else { return nil }
        top.check(allowed: setKeys, required: ["ruleset", "rules"], what: "the rule set")

        let name = top.string("ruleset", what: "the rule set") ?? stem
        if let n = top["ruleset"], name != stem {
            log.add("ruleset '\(name)' must equal the file name stem '\(stem)'", at: n.mark)
        }
        var set = RuleSetFile(name: stem, title: top.string("title", what: "the rule set"),
                              description: top.string("description", what: "the rule set"),
                              params: [], rules: [], path: path, document: doc)

        if let pnode = top["params"], let params = StrictMapping(pnode, what: "'params'", log: log) {
            for p in params.pairs {
                guard isIdentifier(p.key) else {
                    log.add("param name '\(p.key)' must be a CEL identifier (letters, digits, _)", at: p.keyNode.mark)
                    continue
                }
                guard let pm = StrictMapping(p.value, what: "param '\(p.key)'", log: log) else { continue }
                pm.check(allowed: paramKeys, required: ["default"], what: "param '\(p.key)'")
                guard let dnode = pm["default"] else { continue }
                switch ParamValue.read(dnode) {
                case .success(let v):
                    set.params.append(ParamDefinition(name: p.key, defaultValue: v, description: pm.string("description", what: "param '\(p.key)'")))
                case .failure(let e):
                    log.add("param '\(p.key)': default: \(e.message)", at: dnode.mark)
                }
            }
        }

        guard let rnode = top["rules"] else { return set }
        guard let seq = rnode.sequence else {
            log.add("'rules' must be a list of rules, found \(rnode.kindName)", at: rnode.mark)
            return set
        }
        for (index, node) in seq.enumerated() {
            if let rule = readRule(node, index: index, kinds: kinds, log: log) { set.rules.append(rule) }
        }
        return set
    }

    private static func readRule(_ node: Node, index: Int, kinds: [String], log: IssueLog) -> RuleDefinition? {
        guard let m = StrictMapping(node, what: "rule #\(index + 1)", log: log) else { return nil }
        let idText = m["id"]?.scalar?.string
        let what = idText.map { "rule \($0)" } ?? "rule #\(index + 1)"
        m.check(allowed: ruleKeys, required: requiredRuleKeys, what: what)
        let before = log.issues.count

        let id = m.string("id", what: what)
        if let id, let n = m["id"], !isRuleID(id) {
            log.add("\(what): 'id' must be letters, digits, '-', '_' or '.', found '\(id)'", at: n.mark)
        }
        let title = m.string("title", what: what)
        let kind = m.string("kind", what: what)
        if let kind, let n = m["kind"], !kinds.contains(kind) {
            log.add("\(what): unknown kind '\(kind)' (one of: \(kinds.joined(separator: ", ")))", at: n.mark)
        }
        if let n = m["when"] { _ = n.textValue(what: "\(what): 'when'", log: log) }
        var severity: Severity?
        if let s = m.string("severity", what: what) {
            severity = Severity(rawValue: s)
            if severity == nil {
                log.add("\(what): unknown severity '\(s)' (one of: \(Severity.allCases.map(\.rawValue).joined(separator: ", ")))", at: m["severity"]?.mark)
            }
        }
        var action: RuleAction?
        if let a = m.string("action", what: what) {
            action = RuleAction(rawValue: a)
            if action == nil || action == .review {
                let hint = a == "REVIEW" ? "; REVIEW is given by the engine when a rule cannot decide" : ""
                log.add("\(what): unknown action '\(a)' (one of: HOLD, REFUSE, WARN\(hint))", at: m["action"]?.mark)
                action = nil
            }
        }
        if let n = m["message"] { _ = n.textValue(what: "\(what): 'message'", log: log) }
        if let n = m["message_en"] { _ = n.textValue(what: "\(what): 'message_en'", log: log) }
        let references = m.stringList("references", what: what) ?? []
        let tags = m.stringList("tags", what: what) ?? []
        let enabled = m.bool("enabled", what: what) ?? true
        var messageID = m.string("message_id", what: what)
        if let mid = messageID {
            let lower = mid.lowercased()
            if lower.count != 32 || !lower.allSatisfy({ $0.isHexDigit }) {
                log.add("\(what): 'message_id' must be 32 hexadecimal digits, found '\(mid)'", at: m["message_id"]?.mark)
                messageID = nil
            } else { messageID = lower }
        }
        guard log.issues.count == before, let id, let title, let kind, let when = m["when"],
              let severity, let action, let message = m["message"] else { return nil }
        return RuleDefinition(id: id, title: title, kind: kind, when: when, severity: severity, action: action,
                              message: message, messageEN: m["message_en"], references: references, tags: tags,
                              enabled: enabled, messageID: messageID,
                              line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f == "_" || (f.isASCII && f.properties.isAlphabetic) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    static func isRuleID(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 64 && s.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == ".")
        }
    }
}
