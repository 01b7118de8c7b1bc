// Review: what a REVIEW alert says and which MESSAGE_ID it carries. A rule that cannot decide
// (a field the kiosk did not capture, a quantity in a unit that cannot be converted) gives a
// REVIEW: nothing was decided, an officer checks by hand. The reason is written in the
// station's language here, where the message is built; JournalText masks it afterwards.
import CEL
import Foundation
import Records

/// The REVIEW alert: its own MESSAGE_ID, its reasons in Chinese and English, and the
/// `review(zh, en)` function a condition calls to ask for review with its own reason.
public enum Review {
    /// One MESSAGE_ID for every REVIEW alert, whatever the rule: the catalog entry says
    /// "nothing was decided; check by hand", which is not what the rule's own entry says.
    public static let messageID = "14046395efa44d5990276c83eddf939a"

    /// Marks an error made by `review(zh, en)`: marker, Chinese reason, separator, English reason.
    static let marker = "\u{1E}review\u{1E}"
    static let separator = "\u{1F}"

    /// `review(zh, en)`: bool-typed, always an error carrying both reasons. Used as
    /// `cannotTell && review('…', '…')` beside the deciding part of a condition, so that a
    /// decided true still fires (`||` takes a true side whatever the other gives).
    static var functions: [FunctionDecl] {
        [FunctionDecl(name: "review", overloads: [
            FunctionOverload(id: "review_string_string", parameters: [.string, .string], result: .bool,
                             implementation: .binary { zh, en in
                                 if case .error = zh { return zh }
                                 if case .error = en { return en }
                                 guard case .string(let z) = zh, case .string(let e) = en else {
                                     return .error(EvalError("review: expected two strings"))
                                 }
                                 return .error(EvalError(marker + z + separator + e))
                             }),
        ])]
    }

    /// Why the condition could not decide, in `language`; field names stay as the schema spells
    /// them, as the dotted path the record lacks when `record` is given.
    static func reason(_ v: Value, language: MessageLanguage, record: Record? = nil) -> String {
        guard case .error(let e) = v else {
            // CEL's own name for the value's type, as `type(x)` and CEL's error messages spell it.
            let type = TaggedValue.typeName(v.runtimeType)
            return language == .zh ? "条件结果为 \(type)，不是真或假" : "the condition gave \(type), not true or false"
        }
        return reason(message: e.message, language: language, record: record)
    }

    static func reason(message m: String, language: MessageLanguage, record: Record? = nil) -> String {
        if m.hasPrefix(marker) {
            let body = m.dropFirst(marker.count)
            let parts = body.components(separatedBy: separator)
            let zh = parts.first ?? "", en = parts.count > 1 ? parts[1] : zh
            return language == .zh ? zh : en
        }
        if let field = quoted(m, after: "no such field '") {
            let path = record.map { missingPaths(leaf: field, in: $0) } ?? field
            return language == .zh ? "缺少字段 \(path)" : "missing field \(path)"
        }
        guard language == .zh else { return m }
        if let key = quoted(m, after: "no such key: '") { return "缺少字段 \(key)" }
        if m.contains("the date is null") { return "日期为空" }
        if m.contains("not a date YYYY-MM-DD") { return "日期格式不是 YYYY-MM-DD" }
        if m.contains("division by zero") { return "除数为零" }
        if m.contains("cost limit") { return "超出条件求值的计算限额" }
        if m.contains("overflow") { return "数值溢出" }
        return "条件无法求值（\(m)）"
    }

    /// The dotted paths (`licence.checked_at`, `items[1].quantity`) where `record` lacks a field
    /// named `leaf` whose parent it has; the leaf alone when none (or the schema does not know it).
    static func missingPaths(leaf: String, in record: Record) -> String {
        var found: [String] = []
        func walk(_ schema: ObjectSchema, _ value: JSONValue, _ prefix: String) {
            guard case .object = value else { return }
            for f in schema.fields {
                let path = prefix + f.name
                let child = value[f.name]
                if f.name == leaf, child == nil { found.append(path) }
                guard let child else { continue }
                var t = f.type
                if case .nullable(let inner) = t { t = inner }
                switch t {
                case .object(let o): walk(o, child, path + ".")
                case .list(let inner):
                    guard case .object(let o) = inner, case .array(let items) = child else { break }
                    for (i, item) in items.enumerated() { walk(o, item, "\(path)[\(i)].") }
                default: break
                }
            }
        }
        walk(RecordSchema.object(for: record.kind), record.body, "")
        guard !found.isEmpty else { return leaf }
        return found.prefix(3).joined(separator: ", ") + (found.count > 3 ? ", …" : "")
    }

    private static func quoted(_ m: String, after prefix: String) -> String? {
        guard let r = m.range(of: prefix) else { return nil }
        let rest = m[r.upperBound...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        return String(rest[..<end])
    }

    /// The REVIEW alert's message: the rule's title in the station's language and the reason.
    static func message(rule: Rule, reason: String, language: MessageLanguage) -> String {
        switch language {
        case .zh:
            let title = RuleCatalog.chineseTitle(rule.title) ?? rule.title
            return "规则 \(rule.id)（\(title)）无法判断：\(reason)，请人工复核。"
        case .en:
            return "Rule \(rule.id) (\(englishTitle(rule.title))) could not decide: \(reason). An officer must check this record by hand."
        }
    }

    /// The pseudo-rule of the REVIEW alert for fields the schema does not know.
    public static let unknownFieldRule = "UNKNOWN-FIELD"
    /// At most this many unknown fields are named in one alert.
    static let unknownFieldsShown = 10

    /// The unknown-field REVIEW's message: no rule reads such a field, so a check may be off.
    static func unknownFieldMessage(_ record: Record, language: MessageLanguage) -> String {
        let paths = record.unknownFieldPaths
        let shown = paths.prefix(unknownFieldsShown).map { path -> String in
            let guess = RecordSchema.suggestion(for: path, kind: record.kind)
            switch language {
            case .zh: return path + (guess.map { "（是否应为 \($0)？）" } ?? "")
            case .en: return path + (guess.map { " (did you mean \($0)?)" } ?? "")
            }
        }
        let more = paths.count - shown.count
        switch language {
        case .zh:
            return "记录含有未知字段 " + shown.joined(separator: "、") + (more > 0 ? " 等 \(paths.count) 个" : "")
                + "：任何规则都不读取未知字段，相关检查可能未做。请人工复核该记录，并通知查验终端厂商更正。"
        case .en:
            return "Unknown field " + shown.joined(separator: ", ") + (more > 0 ? " and \(more) more" : "")
                + ": no rule reads an unknown field, so a check may not have run. An officer must check this record by hand and tell the kiosk vendor."
        }
    }

    /// The English half of a `中文 / English` title, else the whole title.
    static func englishTitle(_ title: String) -> String {
        guard let r = title.range(of: " / ") else { return title }
        let english = title[r.upperBound...].trimmingCharacters(in: .whitespaces)
        return english.isEmpty ? title : english
    }
}
