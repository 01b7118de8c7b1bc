// PlateNumber: Chinese vehicle plates (号牌) as the catalogue §3 describes them.

/// Normalises and checks plate numbers: province abbreviation + issuing-office letter + serial.
/// Serials: 5 letters/digits (ordinary, never I or O); small NEV `D`/`F` + 5 (`粤AD12345`);
/// large NEV 5 digits + `D`/`F` (`粤A12345D`). Suffix plates (学/警/挂/港/澳/领) are not accepted:
/// they do not occur on licensed coaches.
public enum PlateNumber {
    static let provinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
    static let serial = "([A-HJ-NP-Z0-9]{5}|[DF][A-HJ-NP-Z0-9][0-9]{4}|[0-9]{5}[DF])"
    /// Separators a kiosk may print after the office letter: space, middle dot (U+00B7),
    /// bullet (U+2022), katakana middle dot (U+30FB).
    static let separators = " \u{00B7}\u{2022}\u{30FB}"

    /// A normalised plate, as stored in records.
    public static let pattern = "^[\(provinces)][A-HJ-NP-Z]\(serial)$"
    /// A plate as a kiosk may write it (one optional separator after the office letter);
    /// the published JSON Schema uses this.
    public static let writtenPattern = "^[\(provinces)][A-HJ-NP-Z][\(separators)]?\(serial)$"

    /// The normalised plate (`粤A·12345` → `粤A12345`), or nil if `written` is not a plate.
    public static func normalise(_ written: String) -> String? {
        guard PatternMatcher.matches(written, writtenPattern) else { return nil }
        var chars = Array(written)
        if chars.count > 2, separators.contains(chars[2]) { chars.remove(at: 2) }
        return String(chars)
    }
}
