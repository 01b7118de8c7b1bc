// MessageTemplate: a rule message with `{{ expr }}` holes, each a CEL expression compiled at
// load against the rule's environment and rendered per alert; a hole that cannot be
// evaluated (a field the kiosk did not capture) renders as `?`.
import CEL
import Foundation
import Records
import Yams

struct MessageTemplate {
    enum Part {
        case text(String)
        case expression(CompiledExpression)
    }
    let parts: [Part]

    /// Splits and compiles a message scalar; issues (unclosed `{{`, empty hole, CEL errors)
    /// point at the hole's own line and column in the YAML file.
    static func compile(_ node: Yams.Node, document: YAMLDocument, what: String,
                        compileHole: (Source) throws -> CompiledExpression, log: IssueLog) -> MessageTemplate? {
        guard let placement = document.placement(of: node) else { return nil }
        let scalars = Array(placement.value.unicodeScalars)
        var parts: [Part] = []
        var text = String.UnicodeScalarView()
        var ok = true
        var i = 0
        func at(_ k: Int, _ s: String) -> Bool {
            let u = Array(s.unicodeScalars)
            guard k + u.count <= scalars.count else { return false }
            return Array(scalars[k..<(k + u.count)]) == u
        }
        while i < scalars.count {
            guard at(i, "{{") else { text.append(scalars[i]); i += 1; continue }
            let open = i
            var j = i + 2
            while j < scalars.count, !at(j, "}}") { j += 1 }
            let pos = placement.position(ofOffset: open)
            guard j < scalars.count else {
                log.add("\(what): '{{' without a closing '}}'", line: pos.line, column: pos.column)
                ok = false
                break
            }
            var inner = String.UnicodeScalarView()
            inner.append(contentsOf: scalars[(i + 2)..<j])
            let body = String(inner)
            if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                log.add("\(what): empty '{{ }}'", line: pos.line, column: pos.column)
                ok = false
            } else {
                let start = placement.position(ofOffset: i + 2)
                let source = Source(body, description: document.path, baseLine: start.line, baseColumn: start.column)
                do {
                    if !text.isEmpty { parts.append(.text(String(text))); text = String.UnicodeScalarView() }
                    parts.append(.expression(try compileHole(source)))
                } catch let e as CompileError {
                    for issue in e.issues {
                        log.add(RuleIssue(file: document.path, line: issue.line, column: issue.column,
                                          message: "\(what): \(issue.message)", detail: caretLines(issue.rendered)))
                    }
                    ok = false
                } catch {
                    log.add("\(what): \(error)", line: start.line, column: start.column)
                    ok = false
                }
            }
            i = j + 2
        }
        if !text.isEmpty { parts.append(.text(String(text))) }
        return ok ? MessageTemplate(parts: parts) : nil
    }

    /// The message for one record: holes rendered as text, `?` for any that fail.
    func render(_ evaluate: (CompiledExpression) -> Value, calendar: StationCalendar) -> String {
        var out = ""
        for p in parts {
            switch p {
            case .text(let t): out += t
            case .expression(let c): out += MessageTemplate.text(of: evaluate(c), calendar: calendar) ?? "?"
            }
        }
        return out
    }

    /// At most this many values (list items, nested ones included) are spelt out in one hole,
    /// and at most this many characters kept: a list a rule builds (possibly sharing structure,
    /// 2^n items from n binds) or a 1 MiB kiosk string must not become a 1 MiB journal message.
    static let holeItemLimit = 200
    static let holeCharacterLimit = 1_000

    /// Plain text of a value for a message; nil for an error.
    static func text(of v: Value, calendar: StationCalendar) -> String? {
        var items = holeItemLimit
        guard let raw = text(of: v, calendar: calendar, items: &items) else { return nil }
        // Masked before the cut: a cut through an ID would leave up to 14 of its digits.
        let t = JournalText.mask(raw)
        guard t.count > holeCharacterLimit else { return t }
        return String(t.prefix(holeCharacterLimit)) + "…"
    }

    private static func text(of v: Value, calendar: StationCalendar, items: inout Int) -> String? {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .uint(let u): return String(u)
        case .double(let d):
            // 0.1 not 0.10000000000000001; 50 not 50.0 for whole numbers.
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
            return String(d)
        case .string(let s): return s
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        case .timestamp(let ts):
            // Shown at the station, as the officer reads clocks: 2026-10-01 06:42 (+08:00).
            let off = calendar.offset(at: ts.seconds)
            let local = ts.seconds &+ Int64(off)
            let day = local >= 0 ? local / 86400 : (local &- 86399) / 86400
            let sec = local - day * 86400
            let date = CalendarDate(daysSinceEpoch: Int(day))
            func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
            return "\(date) \(two(sec / 3600)):\(two(sec % 3600 / 60))"
        case .duration(let d):
            return "\(d.seconds)s"
        case .list(let list):
            var parts: [String] = []
            for item in list {
                items -= 1
                if items < 0 { parts.append("…"); break }
                guard let t = text(of: item, calendar: calendar, items: &items) else { return nil }
                parts.append(t)
            }
            return parts.joined(separator: ", ")
        case .error: return nil
        case .optional(let o):
            guard let o else { return "?" }
            return text(of: o, calendar: calendar, items: &items)
        case .map, .object, .type: return nil
        }
    }
}

/// The source and caret lines of a rendered CEL issue (its first line repeats the message).
func caretLines(_ rendered: String) -> String {
    let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
    return lines.dropFirst().joined(separator: "\n")
}
