// RuleCatalog: the journal message catalog (journal-catalog(7)) for the rules' MESSAGE_IDs,
// generated from the rule files so that it never drifts from them.
//
// DESCRIPTION
//   For every rule of every rule set name in the layers (the highest file of each name that
//   is not a /dev/null mask: active, `.yaml.disabled`, or the vendor file under an admin's
//   mask; rules with `enabled: false` too, so that an admin who switches one on later finds
//   its explanation), one English entry `-- ID` and one Chinese entry `-- ID zh_CN`: Subject
//   = rule id and title; the text says what the alert means (title, set, severity, action,
//   the message with its record values shown as ‹field›), what the duty officer does for
//   the rule's action, what a REVIEW of the rule means (REVIEW alerts have their own
//   MESSAGE_ID: Sources/Rules/RuleGeneration.swift), the params it reads, its references.
//   Only @SG_RECORD_ID@, @SG_ACTION@ and (in the REVIEW entry) @SG_RULE@ are substituted:
//   every alert entry carries them.
//   The Chinese entry is written for a duty officer: the Chinese half of `中文 / English`
//   titles, the record kind as the station's check (出站检查记录…), each code a journal field
//   shows after its Chinese word (扣车（HOLD）, 错误（error）, 规则集“出站检查”（departure）),
//   the codes @SG_ACTION@ can take explained, common message fields as Chinese labels
//   (‹班次号›), params as `参数 name`, and a note saying what the message's ‹…› stand for.
//
// TRUST
//   Rule files come from administrators. Text taken from them is folded to one line, its `@`
//   written `＠`, and never starts a catalog line (every such line is indented or starts with
//   fixed text), so a title, message or param cannot forge an entry, a comment or a field
//   substitution.
//
// DIAGNOSTICS
//   `issues`: files that cannot be read (shape errors, file:line:col) and two rules with one
//   MESSAGE_ID; `text` is then not a complete catalog and must not be installed.
//
// LIMITS
//   Conditions are not compiled here (`rules check` does that). Only the highest readable
//   file of each set name is read: a vendor rule dropped by an admin's override of its file
//   has no entry. Param values are the files' defaults, not the station's overrides. A message
//   hole with calls or choices is shown as ‹…› (the entry's own MESSAGE has the value).
//   Param descriptions and references are shown as the rule file writes them (the shipped
//   param descriptions are mostly English); other message fields keep their English names.
//
// SEE ALSO
//   systemd/stationguard-rules.catalog (generated), systemd/check-rules-catalog,
//   spec/interfaces.md §2, journal-catalog(7) (systemd 252: journalctl --update-catalog).
import Foundation
import Records

/// The catalog text for the rules of some layers.
public struct RuleCatalog {
    /// One rule's explanation, both languages.
    public struct Entry {
        public var messageID: String
        public var ruleID: String
        public var ruleset: String
        public var english: String
        public var chinese: String
    }

    public var entries: [Entry] = []
    /// Rule sets read, in catalog order.
    public var rulesets: [String] = []
    public var issues: [RuleIssue] = []

    /// The whole catalog file: a head comment, then each rule's English and Chinese entries.
    public var text: String {
        var out = """
        # stationguard-rules.catalog: explanations of StationGuard's rule alerts for `journalctl -x`
        # (journal-catalog(7)), in English and Chinese, one MESSAGE_ID per rule, and one for every
        # REVIEW alert (first). GENERATED from the rule files: do not edit. Regenerate with
        #   swift run stationguard rules catalog --rules rules > systemd/stationguard-rules.catalog
        # Install as /usr/lib/systemd/catalog/stationguard-rules.catalog, then run
        # `journalctl --update-catalog`. Check: systemd/check-rules-catalog.
        # Rule sets: \(rulesets.joined(separator: ", ")); \(entries.count) rules.

        """
        out += "\n" + RuleCatalog.reviewEnglish + "\n" + RuleCatalog.reviewChinese
        for e in entries { out += "\n" + e.english + "\n" + e.chinese }
        return out
    }

    /// Reads every rule set name's highest readable file in `layers` and explains its rules.
    public static func make(layers: RuleLayers) -> RuleCatalog {
        var catalog = RuleCatalog()
        let scanned = layers.scan()
        var firstSeen: [String: (rule: String, file: String, line: Int)] = [:]
        for name in Set(scanned.map(\.name)).sorted() {
            // scan() lists a name's files lowest layer first; a mask has no rules to explain.
            guard let entry = scanned.filter({ $0.name == name && !RuleLayers.isMask($0.path) }).last else { continue }
            let log = IssueLog(file: entry.path)
            let file = RuleSetFile.read(path: entry.path, stem: name, kinds: RuleLoader.kindNames, log: log)
            catalog.issues += log.issues
            guard let file else { continue }
            catalog.rulesets.append(name)
            for rule in file.rules {
                let id = rule.messageID ?? MessageIDs.derived(ruleID: rule.id)
                if let first = firstSeen[id] {
                    catalog.issues.append(RuleIssue(file: file.path, line: rule.line, column: rule.column,
                        message: "rule \(rule.id) has MESSAGE_ID \(id), already used by rule \(first.rule) at \(first.file):\(first.line); one catalog entry cannot explain both"))
                    continue
                }
                firstSeen[id] = (rule.id, file.path, rule.line)
                catalog.entries.append(explain(rule, in: file, messageID: id))
            }
        }
        return catalog
    }

    // MARK: - Entries

    /// The entry of every REVIEW alert (`Review.messageID`): nothing was decided.
    static let reviewEnglish = """
        -- \(Review.messageID)
        Subject: REVIEW: a rule could not decide; check by hand
        Defined-By: stationguard

        Rule @SG_RULE@ could not decide for inspection record @SG_RECORD_ID@: a field it needs was
        not captured by the kiosk (the message names it, e.g. "missing field adults"), a quantity
        is in a unit that cannot be converted, or the condition could not be evaluated.
        Nothing was decided: the point the rule checks has NOT been checked and the record did
        NOT pass it. This entry's action: @SG_ACTION@ (REVIEW, 人工复核).

        What the duty officer does:
        Check the point the message names by hand, on the papers or the vehicle, before the bus
        departs. If it fails, act as the rule's own action says (see the rule's entry:
        journalctl MESSAGE_ID of the rule, or `stationguard rules list`). Repeated REVIEWs for
        one field mean a kiosk does not capture it: report it to the station's administrator.

        """
    static let reviewChinese = """
        -- \(Review.messageID) zh_CN
        Subject: 人工复核：规则无法判断，须人工核查
        Defined-By: stationguard

        规则 @SG_RULE@ 无法对查验记录 @SG_RECORD_ID@ 作出判断：查验终端未采集其所需的字段（消息中写明，
        如“缺少字段 adults”），数量单位无法换算，或条件无法求值。
        没有作出任何判断：该项尚未检查，记录也并未通过该项检查。本条日志的处置：@SG_ACTION@（REVIEW 为人工复核）。

        值班检查员的处置：
        出站前按消息所述事项人工核查证件或车辆。不合格的，按该规则自身的处置执行（见该规则的目录条目，
        或 stationguard rules list）。同一字段反复出现人工复核，说明查验终端未采集该字段：报告车站管理员。

        """

    static func explain(_ rule: RuleDefinition, in set: RuleSetFile, messageID id: String) -> Entry {
        let params = set.params.filter { p in
            [rule.when, rule.message, rule.messageEN].contains { $0?.scalar?.string.contains("params.\(p.name)") ?? false }
        }
        let setName = set.title.map { "\(set.name) (\(oneLine($0)))" } ?? set.name
        let title = oneLine(rule.title)
        let chineseMessage = rule.message.scalar?.string ?? ""
        let englishMessage = rule.messageEN?.scalar?.string ?? chineseMessage

        var en = """
        -- \(id)
        Subject: \(rule.id): \(title)
        Defined-By: stationguard

        Rule \(rule.id) of the rule set \(setName) found, in inspection record @SG_RECORD_ID@
        (\(rule.kind == RuleLoader.tripKind ? "a trip decided at the exit gate" : "a \(rule.kind) record")): \(title).
        Severity \(rule.severity.rawValue), action \(rule.action.rawValue). This entry's action: @SG_ACTION@.

        The alert's message (‹…› is the record's value):
        \(quoted(plainTemplate(englishMessage)))

        What the duty officer does:
        \(englishDuty(rule.action))

        If this entry's action is REVIEW, the rule could not decide for this record: a field it
        needs was not captured by the kiosk, or its condition could not be evaluated (the message
        says why). Nobody has checked this point yet: an officer checks it by hand and, if it
        fails, acts as for \(rule.action.rawValue).

        """
        // The Chinese entry names the set and the rule by the Chinese half of their titles and
        // gives each code a journal field shows (SG_RULESET, SG_SEVERITY, SG_ACTION) after its
        // Chinese word, so that an officer can match the entry to the fields.
        let chineseSetName = set.title.flatMap(chineseTitle).map { "规则集“\(oneLine($0))”（\(set.name)）" } ?? "规则集 \(set.name) "
        let chineseRuleTitle = oneLine(chineseTitle(rule.title) ?? rule.title)
        var holes: [String] = []
        let chineseTemplate = plainTemplate(chineseMessage) { e in
            let label = chineseHoleLabel(e)
            holes.append(label)
            return label
        }
        var zh = """
        -- \(id) zh_CN
        Subject: \(rule.id)：\(chineseRuleTitle)
        Defined-By: stationguard

        \(chineseSetName)的规则 \(rule.id) 在查验记录 @SG_RECORD_ID@（\(chineseRecordKind(rule.kind))）中发现：\(chineseRuleTitle)。
        严重程度：\(chineseSeverity(rule.severity))（\(rule.severity.rawValue)）；规则的处置：\(chineseAction(rule.action))。
        本条日志的处置：@SG_ACTION@（\(chineseActionCodes)）。

        告警消息\(chineseHoleNote(holes))：
        \(quoted(chineseTemplate))

        值班检查员的处置：
        \(chineseDuty(rule.action))

        如果本条日志的处置为 REVIEW（人工复核），说明该规则无法对这条记录作出判断：查验终端未采集
        其所需的字段，或条件无法求值（消息中写明原因）。此项尚无人检查：须由检查员人工核查，
        不合格的按\(chineseAction(rule.action))处置。

        """
        if rule.tags.contains(StationConfig.strictTag), rule.action == .warn {
            // The station may hold instead (stationguard.yaml); the entry's own @SG_ACTION@ says which applied.
            en += "\nA station may make this rule HOLD (the 黄金周) with one of these lines in its config file:\n"
                + "  strict_holiday_mode: true\n  actions: {\(rule.id): HOLD}\n"
            zh += "\n车站可在配置文件中写入下列任一行，将本规则改为扣车（HOLD）（黄金周从严）：\n"
                + "  strict_holiday_mode: true\n  actions: {\(rule.id): HOLD}\n"
        }
        if !params.isEmpty {
            en += "\nThresholds it reads (the station may change them in its config file):\n"
            zh += "\n所用参数（车站可在配置文件中修改）：\n"
            for p in params {
                // A string default is rule text too: it may hold a line break or an @.
                let value = oneLine(p.defaultValue.description)
                en += "  \(p.name) = \(value)" + (p.description.map { ": " + oneLine($0) } ?? "") + "\n"
                zh += "  参数 \(p.name)，默认值 \(value)" + (p.description.map { "；说明：" + oneLine($0) } ?? "") + "\n"
            }
        }
        if !rule.references.isEmpty {
            en += "\nIt enforces:\n"
            zh += "\n依据：\n"
            for r in rule.references {
                en += "  - \(oneLine(r))\n"
                zh += "  - \(oneLine(r))\n"
            }
        }
        return Entry(messageID: id, ruleID: rule.id, ruleset: set.name, english: en, chinese: zh)
    }

    static func englishDuty(_ action: RuleAction) -> String {
        switch action {
        case .hold: return """
            HOLD: the bus must not depart until the cause named in the message is put right and an
            officer has checked it again. Tell the exit gate and the driver; log who released it.
            """
        case .refuse: return """
            REFUSE: refuse what the message names (the person's entry or boarding, or the item: it
            does not go on the bus) until the cause is put right; handle a refused item by the
            station's procedure.
            """
        case .warn: return """
            WARN: nothing is stopped. Log it and do what the message says (remind, correct, follow
            up); report repeated warnings to the station master.
            """
        case .review: return reviewDutyEnglish
        }
    }

    static func chineseDuty(_ action: RuleAction) -> String {
        switch action {
        case .hold: return """
            \(chineseAction(.hold))：在消息所述问题整改完毕、并经检查员复查之前，车辆不得出站。
            通知出站口和驾驶员，并登记放行人。
            """
        case .refuse: return """
            \(chineseAction(.refuse))：拒绝消息所述的进站、乘车或物品（物品不得上车），直到问题整改完毕；
            被拒物品按车站规定处置。
            """
        case .warn: return """
            \(chineseAction(.warn))：不拦截。登记并按消息要求处理（提醒、纠正、跟进）；反复出现的报告站长。
            """
        case .review: return reviewDutyChinese
        }
    }

    // Rule files never carry REVIEW (the loader refuses it); kept so the switches are total.
    static let reviewDutyEnglish = "REVIEW: an officer checks the record by hand."
    static var reviewDutyChinese: String { "\(chineseAction(.review))：由检查员人工核查该记录。" }

    /// The action's Chinese word with the code SG_ACTION shows: `扣车（HOLD）`.
    static func chineseAction(_ action: RuleAction) -> String {
        "\(chineseActionWord(action))（\(action.rawValue)）"
    }

    static func chineseActionWord(_ action: RuleAction) -> String {
        switch action {
        case .hold: return "扣车"
        case .refuse: return "拒绝"
        case .warn: return "警告"
        case .review: return "人工复核"
        }
    }

    /// What each code in SG_ACTION means, for the line that shows this entry's own action.
    static var chineseActionCodes: String {
        RuleAction.allCases.map { "\($0.rawValue) 为\(chineseActionWord($0))" }.joined(separator: "，")
    }

    static func chineseSeverity(_ s: Severity) -> String {
        switch s {
        case .critical: return "严重"
        case .error: return "错误"
        case .warning: return "警告"
        case .notice: return "提示"
        case .info: return "信息"
        }
    }

    /// The record kind as the station names its checks (a kind the schema does not know, which
    /// the loader refuses, is shown as written).
    static func chineseRecordKind(_ kind: String) -> String {
        switch RecordKind(rawValue: kind) {
        case .vehicle: return "车辆安全例检记录"
        case .driver: return "驾驶员报班检查记录"
        case .luggage: return "行包安检记录"
        case .departure: return "出站检查记录"
        case nil where kind == RuleLoader.tripKind: return "班次出站联合判定"
        case nil: return "\(kind) 记录"
        }
    }

    /// The Chinese half of a `中文 / English` title (or the whole title if it is Chinese); nil
    /// when it has no Chinese.
    static func chineseTitle(_ title: String) -> String? {
        let half = title.range(of: " / ").map { String(title[..<$0.lowerBound]) } ?? title
        let chinese = half.trimmingCharacters(in: .whitespaces)
        return chinese.unicodeScalars.contains(where: isHan) ? chinese : nil
    }

    static func isHan(_ s: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(s.value) || (0x3400...0x4DBF).contains(s.value)
    }

    // MARK: - Plain text

    /// A message template with each `{{ expr }}` hole written as ‹what `hole` makes of its
    /// expression› (the field by default): the catalog explains every alert of the rule, so no
    /// record's value belongs in it.
    static func plainTemplate(_ template: String, hole: (String) -> String = holeName) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                rest = rest[open.lowerBound...]
                break
            }
            out += "‹" + hole(String(rest[open.upperBound..<close.lowerBound])) + "›"
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// Chinese labels of the fields most messages show; other fields keep their names, which
    /// the note above the message explains.
    static let chineseFieldLabels = [
        "record.trip_id": "班次号", "record.plate_no": "车牌号", "record.driver_name": "驾驶员姓名",
        "record.driver_id": "驾驶员编号", "record.ticket_no": "票号", "record.bag_id": "行包号",
    ]

    /// A hole as the Chinese entry shows it: a labelled field, `参数 name` for a station
    /// param (listed under 所用参数), else the field name or `…` as in English.
    static func chineseHoleLabel(_ expression: String) -> String {
        let e = expression.trimmingCharacters(in: .whitespaces)
        if let label = chineseFieldLabels[e] { return label }
        let name = holeName(e)
        if e.hasPrefix("params."), name.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }) {
            return "参数 " + name
        }
        return name
    }

    /// What the ‹…› holes of a rendered Chinese message stand for, naming only the kinds it has.
    static func chineseHoleNote(_ labels: [String]) -> String {
        guard !labels.isEmpty else { return "" }
        var note = ["‹ › 处为告警时填入的具体内容"]
        if labels.contains(where: { !$0.hasPrefix("参数 ") && $0.unicodeScalars.contains { $0.isASCII && $0.properties.isAlphabetic } }) {
            note.append("英文为查验记录的字段名或参数名")
        }
        if labels.contains(where: { $0.hasPrefix("参数 ") }) { note.append("‹参数 …› 为车站设定的参数值，见下文“所用参数”") }
        if labels.contains("…") { note.append("‹…› 为按记录情况生成的文字") }
        return "（" + note.joined(separator: "；") + "）"
    }

    /// The hole's expression with `record.` and `params.` dropped (`record.plate_no` →
    /// `plate_no`, `record.adults + record.lap_children` → `adults + lap_children`); a hole
    /// with calls or choices is `…`: its code would not help an officer (the entry's MESSAGE
    /// shows its value).
    static func holeName(_ expression: String) -> String {
        let plain = expression.allSatisfy { $0 == "_" || $0 == "." || $0.isWhitespace || "+-*/".contains($0)
            || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        guard plain else { return "…" }
        let e = Array(oneLine(expression))
        var out = ""
        var i = 0
        func isWordChar(_ c: Character) -> Bool { c == "_" || c == "." || (c.isASCII && (c.isLetter || c.isNumber)) }
        while i < e.count {
            let startsWord = i == 0 || !isWordChar(e[i - 1])
            if startsWord, let prefix = ["record.", "params."].first(where: { e[i...].starts(with: $0) }) {
                i += prefix.count
                continue
            }
            out.append(e[i]); i += 1
        }
        return out
    }

    /// Text from a rule file on catalog lines, each indented: a catalog line starting with
    /// `-- `, `#` or `;` would be read as an entry or a comment.
    static func quoted(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { "  " + oneLine(String($0)) }.joined(separator: "\n")
    }

    /// Folds a value to one line and neutralises `@`, which journalctl would take for a
    /// field substitution.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ").replacingOccurrences(of: "@", with: "＠")
    }
}
