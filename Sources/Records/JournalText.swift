// JournalText: the one masking of national ID numbers and the one escaping of control
// characters, for every text that may carry kiosk input on its way out: journal fields,
// stderr lines, quarantine reason files, command output (interfaces.md §2: "show at most the
// first 6 and last 4 characters"). It lives in Records, the lowest module that produces such
// text, so that Records can mask before it cuts a quoted value short.
//
// TRUST: any text here may hold what a kiosk wrote: record fields, file names (bytes the file
// system allows, not necessarily UTF-8), refusal reasons quoting either.

/// Text as it may leave the daemon: national ID numbers masked, control characters escaped.
public enum JournalText {
    /// `mask` then `escape`: the form of any kiosk-derived text in a journal field, a stderr
    /// line, a `.reason` file or a command's output. Idempotent.
    public static func clean(_ text: String) -> String {
        // Most text (ids, plates, the daemon's own messages) needs neither: one pass says so.
        guard changedByCleaning(text) else { return text }
        return escape(mask(text))
    }

    /// Whether `clean` could change `text`: `hasLongRun` and `escape`'s test in one pass.
    /// Never false where either would change something.
    static func changedByCleaning(_ text: String) -> Bool {
        hasLongRun(text, orEscape: true)
    }

    /// `clean`, then cut to at most `limit` characters (an ellipsis marks the cut): the cut
    /// comes after masking, so it can never leave an ID's digits uncounted.
    public static func clean(_ text: String, limit: Int) -> String {
        let cleaned = clean(text)
        let scalars = cleaned.unicodeScalars
        guard scalars.count > limit else { return cleaned }
        return String(String.UnicodeScalarView(scalars.prefix(limit))) + "…"
    }

    /// A file name as the file system holds it (any bytes but `/` and NUL): valid UTF-8 kept,
    /// each invalid byte shown as `\xNN`, then `clean`ed.
    public static func clean(nameBytes bytes: [UInt8]) -> String {
        clean(decodingEscaped(bytes))
    }

    /// Bytes as text: valid UTF-8 sequences as they are, every byte of an invalid one as `\xNN`.
    public static func decodingEscaped(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var out = String.UnicodeScalarView()
        var i = 0
        while i < bytes.count {
            let length = sequenceLength(bytes, at: i)
            if length > 0, let s = String(validating: bytes[i..<(i + length)], as: UTF8.self) {
                out.append(contentsOf: s.unicodeScalars)
                i += length
            } else {
                out.append(contentsOf: hexEscape(UInt32(bytes[i])).unicodeScalars)
                i += 1
            }
        }
        return String(out)
    }

    /// The length of the UTF-8 sequence a lead byte announces, 0 for a byte that cannot lead.
    private static func sequenceLength(_ bytes: [UInt8], at i: Int) -> Int {
        let b = bytes[i]
        let n: Int
        switch b {
        case 0x00...0x7F: n = 1
        case 0xC2...0xDF: n = 2
        case 0xE0...0xEF: n = 3
        case 0xF0...0xF4: n = 4
        default: return 0
        }
        return i + n <= bytes.count ? n : 0
    }

    // MARK: - Escaping

    /// `text` with every character that could forge a line, a field or a terminal command
    /// written as an escape: `\n`, `\r`, `\t`, other C0 controls, DEL and C1 controls as `\xNN`,
    /// line/paragraph separators and bidirectional overrides as `\uNNNN`. A journald stream
    /// line then stays one line (no `<0>` priority of a kiosk's choosing), MESSAGE stays text
    /// (journalctl shows a control character's field as `[blob data]`), and a terminal never
    /// receives an escape sequence. The backslash itself is left alone, so escaping escaped
    /// text changes nothing (text may pass two choke points); a kiosk's literal `\n` therefore
    /// looks like an escaped newline, which is harmless.
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            guard needsEscape(s) else { out.append(s); continue }
            switch s {
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            default: out.append(contentsOf: hexEscape(s.value).unicodeScalars)
            }
        }
        return String(out)
    }

    /// Whether `escape` writes this scalar as an escape.
    public static func needsEscape(_ s: Unicode.Scalar) -> Bool {
        ScalarClass(s).contains(.escaped)
    }

    fileprivate static func needsEscapeByValue(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x2028, 0x2029: return true                   // line and paragraph separators
        case 0x202A...0x202E, 0x2066...0x2069: return true // bidi embeddings, overrides, isolates
        default: return false
        }
    }

    private static func hexEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        if value < 0x100 { return "\\x" + (hex.count < 2 ? "0" : "") + hex }
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    // MARK: - Masking

    /// `text` with every ID-number-shaped run masked by `NationalIDNumber.masked`
    /// (`440106********4219`).
    ///
    /// A run is a sequence of decimal digits (ASCII, full-width or any other script) wherever
    /// it sits: letters, `:` or anything else around it do not protect it, so
    /// `K440106198503124219` and `drv:440106198503124219` are caught. Digit groups joined by
    /// separators (up to three spaces, hyphens, dots, underscores, control characters…
    /// between two digits, see `isSeparator`) form one run, so `110105 1949 1231 002X`,
    /// `110105-19491231-002X` and `110105.19491231.002X` are caught too: when no group alone
    /// has 15 digits but the run has, the run is masked as one number (first 6 and last 4 of
    /// its digits shown, separators dropped); when a group alone has 15 or more, each such group
    /// is masked and the short numbers beside it are kept (a record id's sequence numbers stay
    /// readable). After 17 or more digits a check character X/x (or full-width Ｘ/ｘ) belongs
    /// to the number.
    /// Masking the whole run errs on the safe side: an ID anywhere inside a longer run never
    /// shows more than its own first 6 and last 4. Combining marks and invisible format
    /// characters between digits do not split a run either. Shorter numbers (trip ids,
    /// plates, dates, phone numbers) are left alone; so are groups joined by `:` or `/`
    /// (`kiosk-01:20261001:000402`, times, dates). Masking masked text changes nothing.
    ///
    /// The daemon's crash recovery must compare journal values with values passed through
    /// this same function (`Alert.journalRecordID`), never with the raw record id.
    public static func mask(_ text: String) -> String {
        guard hasLongRun(text) else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            guard isDigit(scalars[i]) else { out.append(scalars[i]); i += 1; continue }
            // The run: digit groups (digits, with invisible scalars inside), joined by up to
            // `maximumSeparators` separators (never after the last digit).
            var groups: [(start: Int, end: Int, digits: String.UnicodeScalarView)] = []
            var j = i, separators = 0, inGroup = false
            while j < scalars.count {
                let s = scalars[j]
                if isDigit(s) {
                    if !inGroup { groups.append((j, j + 1, String.UnicodeScalarView())); inGroup = true }
                    groups[groups.count - 1].digits.append(s)
                    groups[groups.count - 1].end = j + 1
                    separators = 0
                } else if isIgnorable(s) {
                    // invisible: neither ends a group nor counts as a separator
                } else if isSeparator(s) && separators < maximumSeparators {
                    separators += 1
                    inGroup = false
                } else {
                    break
                }
                j += 1
            }
            let total = groups.reduce(0) { $0 + $1.digits.count }
            let longest = groups.map(\.digits.count).max() ?? 0
            var end = groups[groups.count - 1].end
            // A check character X after 17 or more digits belongs to the number: after the
            // last group itself (a group long enough on its own) or, for a number written in
            // groups, also after separators.
            if (longest >= minimumDigits ? groups[groups.count - 1].digits.count : total) >= 17 {
                var k = end, gap = 0
                while k < scalars.count, isIgnorable(scalars[k])
                        || (longest < minimumDigits && isSeparator(scalars[k]) && gap < maximumSeparators) {
                    if !isIgnorable(scalars[k]) { gap += 1 }
                    k += 1
                }
                if k < scalars.count, isCheckX(scalars[k]) {
                    groups[groups.count - 1].digits.append(scalars[k])
                    groups[groups.count - 1].end = k + 1
                    end = k + 1
                }
            }
            if longest >= minimumDigits {
                // A number long enough on its own: mask each such group, keep the shorter
                // numbers around it (`K-3-12-440106********4219` stays told apart from `K-3-15-…`).
                var at = i
                for g in groups {
                    out.append(contentsOf: scalars[at..<g.start])
                    if g.digits.count >= minimumDigits {
                        out.append(contentsOf: NationalIDNumber.masked(String(g.digits)).unicodeScalars)
                    } else {
                        out.append(contentsOf: scalars[g.start..<g.end])
                    }
                    at = g.end
                }
            } else if total >= minimumDigits {
                // An ID written in groups (`110105 1949 1231 002X`): masked as one number.
                var digits = String.UnicodeScalarView()
                for g in groups { digits.append(contentsOf: g.digits) }
                out.append(contentsOf: NationalIDNumber.masked(String(digits)).unicodeScalars)
            } else {
                out.append(contentsOf: scalars[i..<end])
            }
            i = end
        }
        return String(out)
    }

    /// Whether some run (as `mask` joins digit groups) holds 15 digits or more: most journal
    /// text has none, though it may hold many digits in all (a trip id, a plate, counts), and
    /// is then returned as it is, without a copy (the copy was the daemon's largest cost of
    /// building a record's entries). Never false where `mask` would change something.
    static func hasLongRun(_ text: String) -> Bool {
        hasLongRun(text, orEscape: false)
    }

    /// The one scan behind `hasLongRun` and `changedByCleaning` (which also stops at a scalar
    /// `escape` would change).
    private static func hasLongRun(_ text: String, orEscape: Bool) -> Bool {
        var digits = 0, separators = 0
        for s in text.unicodeScalars {
            let c = ScalarClass(s)
            if orEscape && c.contains(.escaped) { return true }
            if c.contains(.digit) {
                digits += 1
                if digits >= minimumDigits { return true }
                separators = 0
            } else if digits == 0 || c.contains(.ignorable) {
                continue
            } else if c.contains(.separator) && separators < maximumSeparators {
                separators += 1
            } else {
                digits = 0
                separators = 0
            }
        }
        return false
    }

    /// First-generation cards have 15 digits; no shorter run can be an ID.
    static let minimumDigits = 15
    /// At most this many separators in a row join two digit groups.
    static let maximumSeparators = 3

    static func isDigit(_ s: Unicode.Scalar) -> Bool {
        ScalarClass(s).contains(.digit)
    }

    fileprivate static func isDigitByProperties(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 { return s.value >= 0x30 && s.value <= 0x39 }
        if s.value >= 0x4E00 && s.value <= 0x9FFF { return false }
        return s.properties.generalCategory == .decimalNumber
    }

    static func isCheckX(_ s: Unicode.Scalar) -> Bool {
        s == "X" || s == "x" || s == "\u{FF38}" || s == "\u{FF58}"
    }

    /// What people (and forgers) put between digit groups of a number: spaces of any width,
    /// dashes of any kind, dots (`.`, full-width `．`, middle dot `·`), underscores, and control
    /// characters (which `escape` turns into visible text, so they must not split a number).
    static func isSeparator(_ s: Unicode.Scalar) -> Bool {
        ScalarClass(s).contains(.separator)
    }

    fileprivate static func isSeparatorByProperties(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x2D, 0x2E, 0x5F, 0xB7, 0x3000, 0xFF0D, 0xFF0E, 0xFF3F, 0x30FB: return true
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x4E00...0x9FFF: return false
        default:
            if s.value < 0x80 { return false }
            switch s.properties.generalCategory {
            case .spaceSeparator, .dashPunctuation: return true
            default: return false
            }
        }
    }

    /// Marks and format characters: invisible on screen, so they must not split a number.
    static func isIgnorable(_ s: Unicode.Scalar) -> Bool {
        ScalarClass(s).contains(.ignorable)
    }

    fileprivate static func isIgnorableByProperties(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 || (s.value >= 0x4E00 && s.value <= 0x9FFF) { return false }
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .spacingMark, .format: return true
        default: return false
        }
    }
}

/// What `mask` and `escape` need to know of a scalar. For the Basic Multilingual Plane it is
/// worked out once from the Unicode properties and kept, a byte per scalar (64 KiB): the
/// property look-up per scalar was the largest cost of building a record's journal entries
/// (the full-width punctuation of every Chinese message went through it).
struct ScalarClass: OptionSet {
    let rawValue: UInt8
    static let digit = ScalarClass(rawValue: 1)
    static let separator = ScalarClass(rawValue: 2)
    static let ignorable = ScalarClass(rawValue: 4)
    static let escaped = ScalarClass(rawValue: 8)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    @inline(__always)
    init(_ s: Unicode.Scalar) {
        self = s.value < 0x10000 ? ScalarClass(rawValue: ScalarClass.bmp[Int(s.value)]) : ScalarClass(computing: s)
    }

    /// From the definitions (`JournalText.isDigitByProperties` and the others).
    init(computing s: Unicode.Scalar) {
        var c: ScalarClass = []
        if JournalText.isDigitByProperties(s) { c.insert(.digit) }
        if JournalText.isSeparatorByProperties(s) { c.insert(.separator) }
        if JournalText.isIgnorableByProperties(s) { c.insert(.ignorable) }
        if JournalText.needsEscapeByValue(s) { c.insert(.escaped) }
        self = c
    }

    /// Surrogate code points are not scalars and never occur in a String: class 0.
    static let bmp: [UInt8] = (0..<0x10000).map { v in Unicode.Scalar(UInt32(v)).map { ScalarClass(computing: $0).rawValue } ?? 0 }
}
