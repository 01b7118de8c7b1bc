// TerminalText: how many columns text takes on a terminal, so the duty board lines up with
// Chinese in it. East Asian Wide and Fullwidth characters (汉字, 粤, full-width digits and
// punctuation, most emoji) take 2 columns; combining marks and invisible format characters 0;
// everything else 1, as glibc's wcwidth and tmux count. Ambiguous-width characters (…, ·, box
// drawing) count 1: a terminal set to draw them wide will misalign, so the board's own
// decorations avoid them except the ellipsis.

public enum TerminalText {
    /// What a cut line ends with (U+2026, 1 column).
    public static let ellipsis = "…"

    /// Columns taken by `text` (control characters escaped first: JournalText.clean).
    public static func width(_ text: String) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    /// Columns taken by one character (a grapheme cluster): the width of its first visible
    /// scalar, so `e` + U+0301 takes 1 and a flag or joined emoji takes 2.
    public static func width(of character: Character) -> Int {
        for s in character.unicodeScalars {
            let w = width(of: s)
            if w > 0 { return w }
        }
        return 0
    }

    /// Columns taken by one scalar on its own.
    public static func width(of s: Unicode.Scalar) -> Int {
        let v = s.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }   // control characters
        if v < 0x300 { return 1 }                                 // ASCII and Latin-1: the common case
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if (0x1160...0x11FF).contains(v) { return 0 }             // Hangul medial vowels and finals join the initial
        return isWide(v) ? 2 : 1
    }

    /// East Asian Width W or F (Unicode 15, condensed to ranges; unassigned code points in the
    /// CJK blocks count wide, as terminals draw them).
    static func isWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        for r in wideRanges where r.contains(v) { return true }
        return false
    }

    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E,      // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
        0x3041...0x33FF,      // kana, bopomofo, Hangul compatibility jamo, kanbun, CJK strokes, enclosed, compatibility
        0x3400...0x4DBF,      // CJK extension A
        0x4E00...0x9FFF,      // CJK unified ideographs
        0xA000...0xA4CF,      // Yi
        0xA960...0xA97F,      // Hangul jamo extended A
        0xAC00...0xD7A3,      // Hangul syllables
        0xF900...0xFAFF,      // CJK compatibility ideographs
        0xFE10...0xFE19,      // vertical forms
        0xFE30...0xFE6F,      // CJK compatibility forms, small form variants
        0xFF00...0xFF60,      // full-width forms
        0xFFE0...0xFFE6,      // full-width signs
        0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1AFF0...0x1B2FF,
        0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251,
        0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA,
        0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440...0x1F440,
        0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A...0x1F57A,
        0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC,
        0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC,
        0x1F7E0...0x1F7EB, 0x1F7F0...0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF,
        0x1FA70...0x1FAFF,
        0x20000...0x2FFFD,    // CJK extensions B–F, compatibility supplement
        0x30000...0x3FFFD,    // CJK extensions G–H
    ]

    /// `text` fitted into `columns`: unchanged if it fits, else cut at a character boundary
    /// and ended with the ellipsis, never wider than `columns` (a wide character that would
    /// straddle the edge is left out whole).
    public static func truncate(_ text: String, toWidth columns: Int) -> String {
        guard columns > 0 else { return "" }
        if width(text) <= columns { return text }
        let room = columns - width(ellipsis)
        var out = ""
        var used = 0
        for c in text {
            let w = width(of: c)
            if used + w > room { break }
            out.append(c)
            used += w
        }
        return out + ellipsis
    }

    /// `text` as lines of at most `columns`, the first starting with `first`, the rest with
    /// `rest` (a hanging indent). Latin text breaks at a space; Chinese, which has none, between
    /// any two characters; a word longer than a line is split. Nothing is cut off.
    public static func wrap(_ text: String, columns: Int, first: String, rest: String) -> [String] {
        var lines: [String] = []
        var line = first, used = width(first), lineHasText = false
        var lastSpace: String.Index?  // in `line`, after which a break may go
        for c in text {
            let w = width(of: c)
            if lineHasText && used + w > columns {
                if c == " " {  // the break falls on a space: it goes, the next line starts clean
                    lines.append(line)
                    line = rest; used = width(rest); lineHasText = false; lastSpace = nil
                    continue
                }
                if let space = lastSpace, !isWide(c.unicodeScalars.first!.value) {
                    // Move the word begun after the last space down to the next line.
                    let word = String(line[line.index(after: space)...])
                    lines.append(String(line[..<space]))
                    line = rest + word; used = width(line); lastSpace = nil
                } else {
                    lines.append(line)
                    line = rest; used = width(rest); lineHasText = false; lastSpace = nil
                }
            }
            if c == " " && !lineHasText { continue }  // no line starts with a space
            line.append(c)
            if c == " " { lastSpace = line.index(before: line.endIndex) }
            used += w
            lineHasText = true
        }
        if lineHasText || lines.isEmpty { lines.append(line) }
        return lines.map { l in
            var s = Substring(l)
            while s.last == " " { s = s.dropLast() }
            return String(s)
        }
    }

    /// `text` truncated to `columns`, then padded with spaces to exactly `columns`.
    public static func padded(_ text: String, toWidth columns: Int) -> String {
        let cut = truncate(text, toWidth: columns)
        return cut + String(repeating: " ", count: max(0, columns - width(cut)))
    }
}
