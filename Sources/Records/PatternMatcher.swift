// PatternMatcher: the schema's regular expressions, matched against the whole string. The same
// pattern text goes into the published JSON Schema, so the decoder and the schema cannot drift.
//
// Why hand-written matchers: Swift Regex costs microseconds per match and runs on every record
// (record_id, every plate, licence classes). The patterns the decoder uses on every record have
// a byte matcher here; RecordsTests (PatternMatcherAgreementTests) checks each one against the
// Regex of the same pattern text, which stays the reference and serves any other pattern.
import Foundation

enum PatternMatcher {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: Regex<AnyRegexOutput>] = [:]

    /// True if the whole of `text` matches `pattern`. Patterns are our own constants; one that
    /// does not compile is a programming error caught by the tests, and here it matches nothing.
    static func matches(_ text: String, _ pattern: String) -> Bool {
        if let matcher = byteMatcher(for: pattern) { return withUTF8(text, matcher) }
        return matchesByRegex(text, pattern)
    }

    /// The Regex answer, whatever the pattern; the reference the byte matchers are tested against.
    static func matchesByRegex(_ text: String, _ pattern: String) -> Bool {
        lock.lock()
        var regex = cache[pattern]
        if regex == nil {
            regex = try? Regex(pattern)
            cache[pattern] = regex
        }
        lock.unlock()
        guard let regex else { return false }
        return (try? regex.wholeMatch(in: text)) != nil
    }

    /// Whether a pattern compiles; for the schema self-test.
    static func compiles(_ pattern: String) -> Bool { (try? Regex(pattern)) != nil }

    /// The hand-written matcher for `pattern`, if there is one.
    static func byteMatcher(for pattern: String) -> ((UnsafeBufferPointer<UInt8>) -> Bool)? {
        switch pattern {
        case RecordSchema.recordIDPattern: return isRecordID
        case RecordSchema.licenceClassPattern: return isLicenceClass
        case PlateNumber.writtenPattern: return { PlateNumber.separatorLength(in: $0, allowingSeparator: true) != nil }
        case PlateNumber.pattern: return { PlateNumber.separatorLength(in: $0, allowingSeparator: false) != nil }
        default: return nil
        }
    }

    /// `^[A-Za-z0-9._:-]{1,128}$`
    static func isRecordID(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard u.count >= 1 && u.count <= 128 else { return false }
        for b in u {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: ":"), UInt8(ascii: "-"):
                continue
            default:
                return false
            }
        }
        return true
    }

    /// `^(A[1-3]|B[12]|C[1-6]|D|E|F|M|N|P)+$`: each alternative starts with its own letter, so a
    /// greedy left-to-right scan decides.
    static func isLicenceClass(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !u.isEmpty else { return false }
        var i = 0
        while i < u.count {
            let next: UInt8 = i + 1 < u.count ? u[i + 1] : 0
            switch u[i] {
            case UInt8(ascii: "A"):
                guard next >= UInt8(ascii: "1") && next <= UInt8(ascii: "3") else { return false }
                i += 2
            case UInt8(ascii: "B"):
                guard next >= UInt8(ascii: "1") && next <= UInt8(ascii: "2") else { return false }
                i += 2
            case UInt8(ascii: "C"):
                guard next >= UInt8(ascii: "1") && next <= UInt8(ascii: "6") else { return false }
                i += 2
            case UInt8(ascii: "D"), UInt8(ascii: "E"), UInt8(ascii: "F"), UInt8(ascii: "M"),
                 UInt8(ascii: "N"), UInt8(ascii: "P"):
                i += 1
            default:
                return false
            }
        }
        return true
    }
}

/// Whether two byte buffers hold the same bytes.
@inline(__always)
func bytesEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    guard let x = a.baseAddress, let y = b.baseAddress else { return true } // both empty
    return memcmp(x, y, a.count) == 0
}

/// Runs `body` on the UTF-8 bytes of `text` without copying when the string is native.
@inline(__always)
func withUTF8<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let r = text.utf8.withContiguousStorageIfAvailable(body) { return r }
    return Array(text.utf8).withUnsafeBufferPointer(body)
}
