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
        withUTF8(written) { u -> String? in
            guard let separator = separatorLength(in: u, allowingSeparator: true) else { return nil }
            if separator == 0 { return written }
            // Province (3 bytes) and office letter, then the serial after the separator.
            var out = [UInt8](UnsafeBufferPointer(rebasing: u[0..<4]))
            out.append(contentsOf: UnsafeBufferPointer(rebasing: u[(4 + separator)...]))
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The province abbreviations as Unicode scalar values (each is 3 bytes in UTF-8).
    static let provinceScalars: [UInt32] = provinces.unicodeScalars.map(\.value)

    /// Matches `writtenPattern` (or `pattern`, without a separator) on UTF-8 bytes: the byte
    /// length of the separator (0 if none), or nil if the text is not a plate.
    static func separatorLength(in u: UnsafeBufferPointer<UInt8>, allowingSeparator: Bool) -> Int? {
        // Province: one 3-byte scalar from the list.
        guard u.count >= 9, u[0] & 0xF0 == 0xE0 else { return nil }
        let province = UInt32(u[0] & 0x0F) << 12 | UInt32(u[1] & 0x3F) << 6 | UInt32(u[2] & 0x3F)
        guard provinceScalars.contains(province), isSerialLetter(u[3]) else { return nil }
        var i = 4
        var separator = 0
        if allowingSeparator {
            switch u[4] {
            case 0x20: separator = 1 // space
            case 0xC2 where u[5] == 0xB7: separator = 2 // U+00B7
            case 0xE2 where u[5] == 0x80 && u[6] == 0xA2: separator = 3 // U+2022
            case 0xE3 where u[5] == 0x83 && u[6] == 0xBB: separator = 3 // U+30FB
            default: break
            }
            i += separator
        }
        // Serial: 5 letters/digits, or D/F + letter/digit + 4 digits, or 5 digits + D/F.
        let s = UnsafeBufferPointer(rebasing: u[i...])
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        func isDF(_ b: UInt8) -> Bool { b == UInt8(ascii: "D") || b == UInt8(ascii: "F") }
        switch s.count {
        case 5:
            guard s.allSatisfy({ isSerialLetter($0) || isDigit($0) }) else { return nil }
        case 6:
            let smallNEV = isDF(s[0]) && (isSerialLetter(s[1]) || isDigit(s[1])) && s[2...].allSatisfy(isDigit)
            let largeNEV = s[0..<5].allSatisfy(isDigit) && isDF(s[5])
            guard smallNEV || largeNEV else { return nil }
        default:
            return nil
        }
        return separator
    }

    /// `[A-HJ-NP-Z]`: upper-case letters except I and O.
    static func isSerialLetter(_ b: UInt8) -> Bool {
        b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") && b != UInt8(ascii: "I") && b != UInt8(ascii: "O")
    }
}
