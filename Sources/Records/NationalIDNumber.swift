// NationalIDNumber: 公民身份号码 (GB 11643): 6-digit address code, 8-digit birth date,
// 3-digit sequence, check character.

/// Checks and masks national ID numbers.
public enum NationalIDNumber {
    /// What the published JSON Schema can say; it cannot check the check character or that the
    /// birth date exists (2019-02-29), which `problem(in:)` does.
    public static let pattern =
        "^[0-9]{6}(18|19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9X]$"

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters = Array("10X98765432")

    /// The check character GB 11643 requires for the first 17 digits, or nil if they are not 17 digits.
    public static func checkCharacter(forFirst17 text: String) -> Character? {
        let digits = text.utf8.map { Int($0) - 0x30 }
        guard digits.count == 17, digits.allSatisfy({ (0...9).contains($0) }) else { return nil }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checkCharacters[sum % 11]
    }

    /// nil if `id` is a valid number; otherwise why not, in plain words.
    public static func problem(in id: String) -> String? {
        if withUTF8(id, isValid) { return nil }
        // Not valid: find out why, character by character (the wording is the contract).
        let chars = Array(id)
        guard chars.count == 18 else { return "has \(chars.count) characters, not 18" }
        let first17 = String(chars[0..<17])
        guard let expected = checkCharacter(forFirst17: first17) else {
            return "the first 17 characters must be digits"
        }
        let last = chars[17]
        if last == "x" { return "the check character must be an upper-case X" }
        guard last.isASCII, last.isNumber || last == "X" else { return "the last character must be a digit or X" }
        guard birthDate(of: id) != nil else {
            return "birth date \(String(chars[6..<14])) is not a real date"
        }
        guard last == expected else { return "check character is \(last), GB 11643 requires \(expected)" }
        return nil
    }

    /// The quick yes on bytes: 17 digits, a real birth date, the right check character.
    /// Everything it accepts, `problem(in:)`'s careful path accepts too.
    static func isValid(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard u.count == 18 else { return false }
        var sum = 0
        for i in 0..<17 {
            let digit = Int(u[i]) - 0x30
            guard digit >= 0 && digit <= 9 else { return false }
            sum += digit * weights[i]
        }
        guard u[17] == checkBytes[sum % 11], let y = CalendarDate.digits(u, 6, 4),
              let m = CalendarDate.digits(u, 10, 2), let d = CalendarDate.digits(u, 12, 2) else { return false }
        return CalendarDate(year: y, month: m, day: d) != nil
    }

    static let checkBytes = Array("10X98765432".utf8)

    /// The birth date in positions 7–14, if it is a real date.
    public static func birthDate(of id: String) -> CalendarDate? {
        let u = Array(id.utf8)
        guard u.count == 18, let y = CalendarDate.digits(u, 6, 4), let m = CalendarDate.digits(u, 10, 2),
              let d = CalendarDate.digits(u, 12, 2) else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }

    /// The journal form: the first 6 and last 4 characters, the rest as `*`
    /// (`440106********4219`). Text too short to mask is fully starred.
    public static func masked(_ id: String) -> String {
        let chars = Array(id)
        guard chars.count > 10 else { return String(repeating: "*", count: chars.count) }
        return String(chars[0..<6]) + String(repeating: "*", count: chars.count - 10) + String(chars[(chars.count - 4)...])
    }
}
