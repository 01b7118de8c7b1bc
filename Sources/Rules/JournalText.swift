// JournalText: the one masking of national ID numbers for everything that leaves for the
// journal (interfaces.md §2: "show at most the first 6 and last 4 characters").
import Records

/// Text as it may appear in the journal: national ID numbers masked.
public enum JournalText {
    /// `text` with every ID-number-shaped run masked by `NationalIDNumber.masked`
    /// (`440106********4219`).
    ///
    /// A run is a maximal sequence of decimal digits (ASCII, full-width or any other script),
    /// wherever it sits: letters, `:` or anything else around it do not protect it, so
    /// `K440106198503124219` and `drv:440106198503124219` are caught. A run of 15 or more
    /// digits is masked whole (first 6 and last 4 of the run shown); after 17 or more digits
    /// a check character X/x (or full-width Ｘ/ｘ) belongs to the run. Masking the whole run
    /// errs on the safe side: an 18- or 15-character ID anywhere inside a longer run never
    /// shows more than its own first 6 and last 4, because the run's first 6 lie within the
    /// ID's first 6 and the run's last 4 within the ID's last 4. Combining marks and
    /// invisible format characters (zero-width space, joiners) between digits do not split a
    /// run; inside a masked run they are dropped. Shorter numbers (trip ids, plates, dates,
    /// phone numbers) are left alone. Masking masked text changes nothing.
    ///
    /// The daemon's crash recovery must compare journal values with values passed through
    /// this same function (`Alert.journalRecordID`), never with the raw record id.
    public static func mask(_ text: String) -> String {
        // Most journal text has fewer than 15 digits: count them first, without copying.
        var digitCount = 0
        for s in text.unicodeScalars where isDigit(s) { digitCount += 1 }
        guard digitCount >= minimumDigits else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            guard isDigit(scalars[i]) else { out.append(scalars[i]); i += 1; continue }
            // The run: digits, with ignorable scalars between them (not after the last digit).
            var digits = String.UnicodeScalarView()
            var j = i, end = i
            while j < scalars.count, isDigit(scalars[j]) || isIgnorable(scalars[j]) {
                if isDigit(scalars[j]) { digits.append(scalars[j]); end = j + 1 }
                j += 1
            }
            if digits.count >= 17 {
                var k = end
                while k < scalars.count, isIgnorable(scalars[k]) { k += 1 }
                if k < scalars.count, isCheckX(scalars[k]) { digits.append(scalars[k]); end = k + 1 }
            }
            if digits.count >= minimumDigits {
                out.append(contentsOf: NationalIDNumber.masked(String(digits)).unicodeScalars)
            } else {
                out.append(contentsOf: scalars[i..<end])
            }
            i = end
        }
        return String(out)
    }

    /// First-generation cards have 15 digits; no shorter run can be an ID.
    static let minimumDigits = 15

    static func isDigit(_ s: Unicode.Scalar) -> Bool {
        // ASCII and the CJK ideographs that fill most messages are decided without the
        // Unicode property look-up (measured: the largest user-space cost of the daemon).
        if s.value < 0x80 { return s.value >= 0x30 && s.value <= 0x39 }
        if s.value >= 0x4E00 && s.value <= 0x9FFF { return false }
        return s.properties.generalCategory == .decimalNumber
    }

    static func isCheckX(_ s: Unicode.Scalar) -> Bool {
        s == "X" || s == "x" || s == "\u{FF38}" || s == "\u{FF58}"
    }

    /// Marks and format characters: invisible on screen, so they must not split a number.
    static func isIgnorable(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 || (s.value >= 0x4E00 && s.value <= 0x9FFF) { return false }
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .spacingMark, .format: return true
        default: return false
        }
    }
}
