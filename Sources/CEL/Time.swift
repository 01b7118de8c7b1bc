// Time: timestamps and durations for CEL: RFC 3339 and Go-style duration text, range
// checks, arithmetic in nanoseconds (Int128, so no intermediate overflows), and calendar
// fields in UTC, a fixed offset ("+08:00") or an IANA zone ("Asia/Shanghai").

import CivilCalendar
import Foundation

enum CELTime {
    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z in Unix seconds.
    static let minSeconds: Int64 = -62_135_596_800
    static let maxSeconds: Int64 = 253_402_300_799
    /// The spec's duration range, about ±10000 years.
    static let maxDurationSeconds: Int64 = 315_576_000_000
    static let nanosPerSecond: Int128 = 1_000_000_000

    static func timestamp(nanos total: Int128) -> Value {
        var s = total / nanosPerSecond
        var n = total % nanosPerSecond
        if n < 0 { n += nanosPerSecond; s -= 1 }
        guard s >= Int128(minSeconds), s <= Int128(maxSeconds) else { return .fail("timestamp out of range") }
        return .timestamp(CELTimestamp(seconds: Int64(s), nanos: Int32(n)))
    }

    static func duration(nanos total: Int128) -> Value {
        let s = total / nanosPerSecond    // truncates toward zero: seconds and nanos share a sign
        let n = total % nanosPerSecond
        guard s >= -Int128(maxDurationSeconds), s <= Int128(maxDurationSeconds) else { return .fail("duration out of range") }
        return .duration(CELDuration(seconds: Int64(s), nanos: Int32(n)))
    }

    /// Hosts build CELTimestamp directly: calendar arithmetic checks this first.
    static func inRange(_ t: CELTimestamp) -> Bool { t.seconds >= minSeconds && t.seconds <= maxSeconds }

    static func nanos(_ t: CELTimestamp) -> Int128 { Int128(t.seconds) * nanosPerSecond + Int128(t.nanos) }
    static func nanos(_ d: CELDuration) -> Int128 { Int128(d.seconds) * nanosPerSecond + Int128(d.nanos) }

    // MARK: civil calendar (proleptic Gregorian; CivilCalendar holds the arithmetic)

    @inline(__always)
    static func daysFromCivil(_ y: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        CivilCalendar.daysFromCivil(year: y, month: m, day: d)
    }

    @inline(__always)
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        CivilCalendar.civilFromDays(days)
    }

    // MARK: parsing and formatting

    /// Which text a parser accepts. CEL's own `timestamp()` and `duration()` follow Go, as
    /// cel-go does; the tagged encoding (TaggedValue) follows protobuf JSON, which is stricter
    /// about durations and fraction digits and also takes lower-case `t`/`z`.
    enum TextForm { case go, protoJSON }

    /// RFC 3339: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    static func parseTimestamp(_ text: String, form: TextForm = .go) -> Value {
        var t = text
        return t.withUTF8 { parseTimestamp(bytes: $0, form: form) } ?? .fail("timestamp parse error: '\(text)' is not RFC 3339")
    }

    /// nil when the text is not RFC 3339 in `form`.
    private static func parseTimestamp(bytes b: UnsafeBufferPointer<UInt8>, form: TextForm) -> Value? {
        var i = 0
        func num(_ n: Int) -> Int64? {
            guard i + n <= b.count else { return nil }
            var v: Int64 = 0
            for k in i..<(i + n) {
                guard b[k] >= 48, b[k] <= 57 else { return nil }
                v = v * 10 + Int64(b[k] - 48)
            }
            i += n
            return v
        }
        func lit(_ c: UInt8) -> Bool { if i < b.count, b[i] == c { i += 1; return true }; return false }
        // Go's time.Parse(RFC3339), which cel-go uses: upper-case T and Z, seconds below 60,
        // any number of fraction digits. Protobuf JSON also takes t and z, but at most nine digits.
        func letter(_ upper: UInt8) -> Bool { lit(upper) || (form == .protoJSON && lit(upper + 32)) }
        let bad: Value? = nil
        guard let y = num(4), lit(45), let mo = num(2), lit(45), let d = num(2), letter(84) else { return bad }
        guard let h = num(2), lit(58), let mi = num(2), lit(58), let s = num(2) else { return bad }
        var nanos: Int64 = 0
        if lit(46) {
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 9 { nanos = nanos * 10 + Int64(b[i] - 48) }
                digits += 1; i += 1
            }
            guard digits > 0, form == .go || digits <= 9 else { return bad }
            for _ in digits..<max(digits, 9) { nanos *= 10 }
        }
        var offset: Int64 = 0
        if letter(90) {
        } else if i < b.count, b[i] == 43 || b[i] == 45 {
            let neg = b[i] == 45
            i += 1
            guard let oh = num(2), lit(58), let om = num(2), oh < 24, om < 60 else { return bad }
            offset = (oh * 3600 + om * 60) * (neg ? -1 : 1)
        } else { return bad }
        guard i == b.count, (1...12).contains(mo), d >= 1, d <= daysIn(month: mo, year: y), h < 24, mi < 60, s < 60 else {
            return bad
        }
        let secs = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset
        return timestamp(nanos: Int128(secs) * nanosPerSecond + Int128(nanos))
    }

    @inline(__always)
    static func daysIn(month m: Int64, year y: Int64) -> Int64 { CivilCalendar.daysInMonth(year: y, month: m) }

    static func pad(_ v: Int64, _ w: Int) -> String {
        let s = String(v)
        return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
    }

    /// `.5`, `.000000001` or nothing: nanoseconds trimmed of trailing zeros.
    private static func fraction(_ nanos: Int64) -> String {
        guard nanos != 0 else { return "" }
        var f = pad(nanos, 9)
        while f.hasSuffix("0") { f.removeLast() }
        return "." + f
    }

    /// RFC 3339 in UTC with the fraction trimmed of trailing zeros (Go's RFC3339Nano).
    static func format(_ t: CELTimestamp) -> String {
        // Hosts may build a CELTimestamp by hand: normalise the nanos and keep the year within
        // four digits, so that any value prints as some instant rather than as garbage.
        var seconds = min(max(t.seconds, minSeconds - 86400), maxSeconds + 86400)
        var nanos = Int64(t.nanos)
        if nanos < 0 || nanos >= 1_000_000_000 {
            seconds += nanos / 1_000_000_000 - (nanos < 0 ? 1 : 0)
            nanos = ((nanos % 1_000_000_000) + 1_000_000_000) % 1_000_000_000
        }
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rem = seconds - days * 86400
        let (y, m, d) = civilFromDays(days)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rem / 3600, 2)):\(pad(rem / 60 % 60, 2)):\(pad(rem % 60, 2))"
            + fraction(nanos) + "Z"
    }

    /// Protobuf-JSON duration text: `-1.5s`, `1000000s`.
    static func format(_ d: CELDuration) -> String {
        // Seconds and nanos may disagree in sign if built by hand: print their sum.
        let ns = nanos(d)
        return (ns < 0 ? "-" : "") + String(ns.magnitude / UInt128(nanosPerSecond)) + fraction(Int64(ns.magnitude % UInt128(nanosPerSecond))) + "s"
    }

    /// Go's time.ParseDuration grammar: `[-+]` then one or more `<decimal><unit>`, units
    /// h m s ms us µs ns; the spec's range applies. In `.protoJSON` only `-?digits[.digits]s`
    /// with one to nine fraction digits.
    static func parseDuration(_ text: String, form: TextForm = .go) -> Value {
        if form == .go, let simple = simpleDuration(text) { return simple }
        return parseAnyDuration(text, form: form)
    }

    /// `parseDuration` without its shortcut.
    static func parseAnyDuration(_ text: String, form: TextForm) -> Value {
        var bad: Value { .fail("invalid duration '\(text)'") }
        var sc = Array(text.unicodeScalars)
        if form == .protoJSON, !isProtoJSONDuration(sc) { return bad }
        var neg = false
        if let f = sc.first, f == "-" || f == "+" { neg = f == "-"; sc.removeFirst() }
        if sc.count == 1 && sc[0] == "0" { return .duration(CELDuration(seconds: 0)) }
        guard !sc.isEmpty else { return bad }
        var total: Int128 = 0
        var i = 0
        let limit = Int128(maxDurationSeconds + 1) * nanosPerSecond
        while i < sc.count {
            var whole: Int128 = 0
            var frac: Int128 = 0, fracScale: Int128 = 1
            var anyDigit = false
            while i < sc.count, sc[i] >= "0", sc[i] <= "9" {
                whole = whole * 10 + Int128(sc[i].value - 48); anyDigit = true; i += 1
                if whole > limit { return .fail("duration out of range") }
            }
            if i < sc.count, sc[i] == "." {
                i += 1
                while i < sc.count, sc[i] >= "0", sc[i] <= "9" {
                    if fracScale < 1_000_000_000_000_000_000 { frac = frac * 10 + Int128(sc[i].value - 48); fracScale *= 10 }
                    anyDigit = true; i += 1
                }
            }
            guard anyDigit else { return bad }
            var unit = ""
            while i < sc.count, !(sc[i] >= "0" && sc[i] <= "9"), sc[i] != "." { unit.unicodeScalars.append(sc[i]); i += 1 }
            let perUnit: Int128
            switch unit {
            case "h": perUnit = 3600 * nanosPerSecond
            case "m": perUnit = 60 * nanosPerSecond
            case "s": perUnit = nanosPerSecond
            case "ms": perUnit = 1_000_000
            case "us", "µs", "μs": perUnit = 1_000
            case "ns": perUnit = 1
            default: return bad
            }
            total += whole * perUnit + frac * perUnit / fracScale
            if total > limit { return .fail("duration out of range") }
        }
        return duration(nanos: neg ? -total : total)
    }

    /// The common case of rules like `duration(string(params.hours) + 'h')`, often inside a
    /// loop: up to nine digits and one of `h`, `m`, `s`, read without copying the text (the
    /// general parser's copy and unit string were most of the cost). Nil for anything else,
    /// which the general parser then reads; the same value either way.
    static func simpleDuration(_ text: String) -> Value? {
        var digits = 0
        var whole: Int64 = 0
        var perUnit: Int64 = 0
        for byte in text.utf8 {
            guard perUnit == 0 else { return nil }  // something after the unit
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                guard digits <= 9 else { return nil }
                whole = whole * 10 + Int64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "h"): perUnit = 3600
            case UInt8(ascii: "m"): perUnit = 60
            case UInt8(ascii: "s"): perUnit = 1
            default: return nil
            }
        }
        guard digits > 0, perUnit > 0, whole * perUnit <= maxDurationSeconds else { return nil }
        return duration(nanos: Int128(whole * perUnit) * nanosPerSecond)
    }

    /// `-?[0-9]+(\.[0-9]{1,9})?s`: the protobuf-JSON shape, a subset of Go's grammar.
    private static func isProtoJSONDuration(_ sc: [Unicode.Scalar]) -> Bool {
        func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
        var i = sc.first == "-" ? 1 : 0
        let wholeStart = i
        while i < sc.count, isDigit(sc[i]) { i += 1 }
        guard i > wholeStart else { return false }
        if i < sc.count, sc[i] == "." {
            i += 1
            let fracStart = i
            while i < sc.count, isDigit(sc[i]) { i += 1 }
            guard (1...9).contains(i - fracStart) else { return false }
        }
        return i == sc.count - 1 && sc[i] == "s"
    }

    // MARK: time zones

    /// A time zone argument, resolved once: a fixed offset or an IANA zone.
    enum Zone {
        case fixed(Int64)
        case named(TimeZone)

        /// Seconds east of UTC at instant `t`.
        func offset(at t: CELTimestamp) -> Int64 {
            switch self {
            case .fixed(let s): return s
            case .named(let tz): return Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t.seconds))))
            }
        }
    }

    /// "UTC", "+08:00", "-02:30", "02:00" or an IANA name; nil if unknown.
    static func zone(_ text: String) -> Zone? {
        if text.isEmpty { return nil }
        let u = Array(text.utf8)
        let isOffset = u.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 58 || $0 == 43 || $0 == 45 }
        if isOffset {
            var k = 0
            var sign: Int64 = 1
            if u[0] == 43 || u[0] == 45 { sign = u[0] == 45 ? -1 : 1; k = 1 }
            let parts = String(decoding: u[k...], as: UTF8.self).split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let h = Int64(parts[0]), let m = Int64(parts[1]), parts[0].count <= 2,
                  parts[1].count == 2, h < 24, m < 60 else { return nil }
            return .fixed(sign * (h * 3600 + m * 60))
        }
        if text == "UTC" || text == "Z" { return .fixed(0) }
        return TimeZone(identifier: text).map { .named($0) }
    }

    enum Field { case fullYear, month, date, dayOfMonth, dayOfWeek, dayOfYear, hours, minutes, seconds, milliseconds }

    static func field(_ f: Field, of t: CELTimestamp, zone: String?) -> Value {
        guard let zone else { return field(f, of: t, zone: Zone.fixed(0)) }
        guard let z = CELTime.zone(zone) else { return .fail("unknown time zone '\(zone)'") }
        return field(f, of: t, zone: z)
    }

    static func field(_ f: Field, of t: CELTimestamp, zone: Zone) -> Value {
        guard inRange(t) else { return .fail("timestamp out of range") }
        let local = t.seconds + zone.offset(at: t)
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let rem = local - days * 86400
        switch f {
        case .hours: return .int(rem / 3600)
        case .minutes: return .int(rem / 60 % 60)
        case .seconds: return .int(rem % 60)
        case .milliseconds: return .int(Int64(t.nanos) / 1_000_000)
        case .dayOfWeek: return .int(((days % 7) + 11) % 7)   // 1970-01-01 was a Thursday (4)
        default: break
        }
        let (y, m, d) = civilFromDays(days)
        switch f {
        case .fullYear: return .int(y)
        case .month: return .int(m - 1)
        case .date: return .int(d)
        case .dayOfMonth: return .int(d - 1)
        default: return .int(days - daysFromCivil(y, 1, 1))
        }
    }
}
