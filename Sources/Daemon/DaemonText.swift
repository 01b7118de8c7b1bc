// DaemonText: the daemon's own sentences (its events' MESSAGE and the quarantine reasons) in the
// station's language (`language:` in stationguard.yaml). Built here, where the message is made;
// escaping and masking happen later, where text enters the journal, a .reason file or stderr.
// Field paths, file names, rule versions and numbers stay as they are in both languages.
import Foundation
import Records
import Rules

enum DaemonText {
    static func started(_ language: MessageLanguage, spool: String, rules: Int, files: Int, version: String) -> String {
        language == .zh
            ? "已启动：收件目录 \(spool)，规则 \(rules) 条（\(files) 个文件），版本 \(version)"
            : "started on \(spool) with \(rules) rules from \(files) files, version \(version)"
    }

    static func stopping(_ language: MessageLanguage, processed: Int, quarantined: Int) -> String {
        language == .zh
            ? "正在停止：已处理记录 \(processed) 条（隔离 \(quarantined) 条）；未处理的记录留在 new/"
            : "stopping: \(processed) records processed (\(quarantined) quarantined); waiting records stay in new/"
    }

    /// Why the rules were loaded again: the reload signal or a changed file.
    static func why(_ language: MessageLanguage, signal: Bool) -> String {
        switch (language, signal) {
        case (.zh, true): return "收到 SIGHUP"
        case (.zh, false): return "规则文件有变动"
        case (.en, true): return "SIGHUP"
        case (.en, false): return "rule files changed"
        }
    }

    static func rulesReloaded(_ language: MessageLanguage, why: String, rules: Int, files: Int, version: String, before: String) -> String {
        language == .zh
            ? "规则已重新加载（\(why)）：规则 \(rules) 条（\(files) 个文件），版本 \(version) 取代 \(before)"
            : "rules reloaded (\(why)): \(rules) rules from \(files) files, version \(version) replaces \(before)"
    }

    static func rulesRejected(_ language: MessageLanguage, why: String, first: String, count: Int, before: String) -> String {
        language == .zh
            ? "规则被拒绝（\(why)）：\(first)；共 \(count) 处问题；原有规则（版本 \(before)）继续生效"
            : "rules rejected (\(why)): \(first); \(count) problem\(count == 1 ? "" : "s"); the rules in force (version \(before)) stay in force"
    }

    static func rulesRejected(_ language: MessageLanguage, why: String, error: String, before: String) -> String {
        language == .zh
            ? "规则被拒绝（\(why)）：\(error)；原有规则（版本 \(before)）继续生效"
            : "rules rejected (\(why)): \(error); the rules in force (version \(before)) stay in force"
    }

    static func recordQuarantined(_ language: MessageLanguage, name: String, reason: String) -> String {
        language == .zh ? "\(name)：记录已隔离：\(reason)" : "\(name): record quarantined: \(reason)"
    }

    static func journalUnavailable(_ language: MessageLanguage, seconds: Int, reason: String) -> String {
        language == .zh
            ? "journald 曾中断 \(seconds) 秒（\(reason)）；期间记录在 cur/ 和 new/ 中等待"
            : "journald was unavailable for \(seconds) s (\(reason)); records waited in cur/ and new/"
    }

    /// After a catch-up, alerts the journal does not hold (CatchUp.swift).
    static func alertsMissing(_ language: MessageLanguage, missing: Int, sent: Int, attempts: Int, final: Bool,
                              resendRate: Int) -> String {
        switch (language, final) {
        case (.zh, false):
            return "补处理积压记录期间发送的 \(sent) 条告警中有 \(missing) 条不在系统日志中（journald 限速？）；正以每秒 \(resendRate) 条重新发送"
        case (.zh, true):
            return "补处理积压记录期间发送的 \(sent) 条告警中有 \(missing) 条在 \(attempts) 次尝试后仍不在系统日志中：请检查 journald 的 RateLimitBurst 和 catch_up_alerts_per_second"
        case (.en, false):
            return "\(missing) of \(sent) alerts sent during a catch-up are not in the journal (journald's rate limit?); sending them again at \(resendRate) per second"
        case (.en, true):
            return "\(missing) of \(sent) alerts sent during a catch-up are still not in the journal after \(attempts) attempts: check journald's RateLimitBurst and catch_up_alerts_per_second"
        }
    }

    static func journalRecovered(_ language: MessageLanguage) -> String {
        language == .zh
            ? "journald 已恢复；cur/ 中的记录已恢复处理，new/ 已重新扫描"
            : "journald is back; records left in cur/ recovered, new/ rescanned"
    }

    static func spoolTrouble(_ language: MessageLanguage, _ text: String) -> String {
        guard language == .zh else { return text }
        // SpoolError's sentences (`PATH: what`), path kept; anything else after a Chinese lead.
        let known: [(String, String)] = [
            (": is not a directory (a spool folder must be a real directory, not a symlink)", "：不是目录（收件目录的各文件夹须为真实目录，不能是符号链接）"),
            (": is on another file system than the spool root; records move by rename(2), which needs one file system", "：与收件目录根目录不在同一文件系统；记录靠 rename(2) 移动，须在同一文件系统"),
            (": not a record name (a record name is a plain file name ending in .json, not starting with a dot)", "：不是记录文件名（须为以 .json 结尾、不以点开头的普通文件名）"),
            (": not a day folder name of the form YYYY-MM-DD", "：不是 YYYY-MM-DD 形式的日期文件夹名"),
            (": a record of this name is already waiting in the spool; choose another name", "：同名记录已在收件目录中等待；请换一个文件名"),
            (": the claimed record is no longer there; something other than this daemon moved it", "：已认领的记录不见了；有其他程序移动了它"),
            (": no free numbered name left for this record", "：该记录已无可用的编号文件名"),
        ]
        for (english, chinese) in known where text.hasSuffix(english) {
            return "收件目录故障：" + text.dropLast(english.count) + chinese
        }
        return "收件目录故障：\(text)"
    }

    static func lookupFailed(_ language: MessageLanguage, name: String, error: String) -> String {
        language == .zh
            ? "\(name)：查询日志失败：\(error)；其告警将重新发送"
            : "\(name): journal look-up failed: \(error); its alerts are sent again"
    }

    // MARK: - Quarantine reasons

    /// The reason a record file is refused, for quarantine/NAME.reason and the event.
    static func reason(_ error: RecordError, _ language: MessageLanguage) -> String {
        guard language == .zh else { return error.reason }
        let stage: String
        switch error.stage {
        case .tooLarge: stage = "文件过大"
        case .notJSON: stage = "不是合法的 JSON"
        case .schema: stage = "不符合记录格式"
        }
        let shown = error.problems.prefix(RecordError.reportedProblems).map { p -> String in
            let message = problem(p.message)
            if let path = p.path { return "\(path)：\(message)" }
            if let line = p.line, let column = p.column { return "第 \(line) 行第 \(column) 列：\(message)" }
            return message
        }.joined(separator: "；")
        let rest = error.problems.count - RecordError.reportedProblems
        return stage + "：" + shown + (rest > 0 ? "；另有 \(rest) 处问题" : "")
    }

    /// A refusal by the spool itself (not a regular file, too large, unreadable), in `language`.
    static func spoolRefusal(_ reason: String, _ language: MessageLanguage) -> String {
        guard language == .zh else { return reason }
        let kinds: [(String, String)] = [
            ("a symbolic link; it was not followed", "符号链接，未跟随"),
            ("a named pipe (FIFO); it was not opened", "命名管道（FIFO），未打开"),
            ("a character device; it was not opened", "字符设备，未打开"),
            ("a block device; it was not opened", "块设备，未打开"),
            ("a socket; it was not opened", "套接字，未打开"),
            ("a directory", "目录"),
        ]
        let prefix = "the spool accepts only regular files, and this is "
        if reason.hasPrefix(prefix) {
            let what = String(reason.dropFirst(prefix.count))
            return "收件目录只接受普通文件，而这是" + (kinds.first { $0.0 == what }?.1 ?? what)
        }
        if let m = match(reason, #"^the file is (.+), over the spool's limit of (\d+) bytes; it was not read$"#) {
            let size = m[0].replacingOccurrences(of: "more than ", with: "超过 ").replacingOccurrences(of: " bytes", with: " 字节")
            return "文件大小 \(size)，超过收件目录上限 \(m[1]) 字节；未读取"
        }
        if let m = match(reason, #"^the file cannot be opened for reading \((.*)\); check the kiosk's file permissions$"#) {
            return "无法打开文件读取（\(m[0])）；请检查查验终端写入文件的权限"
        }
        return "收件目录拒收：\(reason)"
    }

    /// One decoder problem message in Chinese; the kiosk's own values (after "got") and field
    /// names stay as written.
    static func problem(_ m: String) -> String {
        if m == "required field is missing" { return "缺少必填字段" }
        if let r = match(m, #"^required field is missing \(required in (\w+) records\)$"#) { return "缺少必填字段（\(r[0]) 记录必填）" }
        if let r = match(m, #"^expected (.*), got (.*)$"#) { return "应为\(expected(r[0]))，实际为 \(got(r[1]))" }
        if let r = match(m, #"^file is (\d+) bytes; the limit is (\d+) bytes \(1 MiB\)$"#) {
            return "文件 \(r[0]) 字节，超过上限 \(r[1]) 字节（1 MiB）"
        }
        if let r = match(m, #"^(.*), got (.*)$"#) { return "\(r[0])，实际为 \(got(r[1]))" }
        return json(m)
    }

    /// A JSON syntax message (the parser stops at the first) in Chinese; the rare ones keep
    /// their English after a Chinese lead.
    static func json(_ m: String) -> String {
        let fixed: [String: String] = [
            "unterminated string": "字符串未结束", "unterminated escape": "转义未结束",
            "invalid UTF-8 sequence": "UTF-8 编码无效", "invalid UTF-8 (truncated sequence)": "UTF-8 编码被截断",
            "invalid \\u escape": "\\u 转义无效", "\\u escape needs four hex digits": "\\u 转义须有四位十六进制数",
            "invalid number: leading zero": "数字无效：不能以 0 开头",
            "invalid number: a digit must follow '-'": "数字无效：'-' 后须跟数字",
            "invalid number: a digit must follow '.'": "数字无效：'.' 后须跟数字",
            "invalid number: a digit must follow the exponent": "数字无效：指数后须跟数字",
            "byte order mark at start of document (write UTF-8 without BOM)": "文件以字节序标记开头（请写无 BOM 的 UTF-8）",
        ]
        if let f = fixed[m] { return f }
        if let r = match(m, #"^unexpected end of input, expected (.*)$"#) { return "文件意外结束（可能被截断），应为 \(r[0])" }
        if let r = match(m, #"^unexpected (.*) after the end of the document$"#) { return "文档结束后还有多余内容：\(r[0])" }
        if let r = match(m, #"^unexpected (.*), expected (.*)$"#) { return "意外的 \(r[0])，应为 \(r[1])" }
        if let r = match(m, #"^duplicate key (.*) \(first at line (\d+), column (\d+)\)$"#) {
            return "键 \(r[0]) 重复（首次出现在第 \(r[1]) 行第 \(r[2]) 列）"
        }
        if let r = match(m, #"^nesting deeper than (\d+) levels$"#) { return "嵌套超过 \(r[0]) 层" }
        if let r = match(m, #"^document is (\d+) bytes; the limit is (\d+) bytes$"#) { return "文件 \(r[0]) 字节，超过上限 \(r[1]) 字节" }
        return "格式错误：\(m)"
    }

    static func expected(_ e: String) -> String {
        let fixed: [String: String] = [
            "a non-negative integer": "非负整数", "a non-negative number": "非负数", "an integer": "整数",
            "a number": "数", "true or false": " true 或 false", "an object": "对象", "a list": "列表",
            "non-blank text": "非空文本", "a real date written YYYY-MM-DD": "真实日期（YYYY-MM-DD）",
            "an 18-character national ID number": " 18 位公民身份号码",
            "a plate number such as 粤A12345, 粤AD12345 or 粤A12345D": "号牌（如 粤A12345、粤AD12345、粤A12345D）",
            "an RFC 3339 timestamp with offset such as 2026-10-01T06:42:10+08:00": "带时区的 RFC 3339 时间（如 2026-10-01T06:42:10+08:00）",
            "1 to 128 characters from A-Z a-z 0-9 . _ : -": " 1 至 128 个字符（A-Z a-z 0-9 . _ : -）",
            "a licence class such as A1, B1 or A1A2": "准驾车型（如 A1、B1、A1A2）",
            "an object (a record)": "对象（一条记录）",
        ]
        if let f = fixed[e] { return f }
        if let r = match(e, #"^one of (.*)$"#) { return "以下之一：\(r[0])" }
        if let r = match(e, #"^an integer from (-?\d+) to (-?\d+)$"#) { return " \(r[0]) 至 \(r[1]) 的整数" }
        if let r = match(e, #"^a number from (.+) to (.+)$"#) { return " \(r[0]) 至 \(r[1]) 的数" }
        if let r = match(e, #"^an integer of at least (-?\d+)$"#) { return "不小于 \(r[0]) 的整数" }
        if let r = match(e, #"^an integer of at most (-?\d+)$"#) { return "不大于 \(r[0]) 的整数" }
        if let r = match(e, #"^a number of at least (.+)$"#) { return "不小于 \(r[0]) 的数" }
        if let r = match(e, #"^a number of at most (.+)$"#) { return "不大于 \(r[0]) 的数" }
        if let r = match(e, #"^text matching (.+)$"#) { return "符合 \(r[0]) 的文本" }
        if e.allSatisfy(\.isNumber) { return " \(e)" }
        return " \(e)"
    }

    static func got(_ g: String) -> String {
        switch g {
        case "an object": return "对象"
        case "a list": return "列表"
        case "an empty list": return "空列表"
        case "it is missing": return "缺失"
        default:
            return g.replacingOccurrences(of: " (write integers without a fraction or exponent)", with: "（整数不要写小数或指数）")
        }
    }

    /// The capture groups of `pattern` matched against the whole of `text`, or nil.
    static func match(_ text: String, _ pattern: String) -> [String]? {
        guard let re = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]),
              let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        return (1..<m.numberOfRanges).map { i in
            Range(m.range(at: i), in: text).map { String(text[$0]) } ?? ""
        }
    }
}
