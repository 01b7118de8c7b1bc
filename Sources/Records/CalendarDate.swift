// CalendarDate and RFC3339Timestamp: the contract's two time formats, parsed by hand so that
// only the exact forms pass (no locale, no lenient formatter, no host time zone).

import CivilCalendar

/// A proleptic Gregorian calendar date, `YYYY-MM-DD`; only real dates exist (leap years honoured).
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// nil unless the date exists (years 1–9999).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD` (ASCII digits); nil for any other text or an impossible date.
    public static func parse(_ text: String) -> CalendarDate? { withUTF8(text, parse) }

    static func parse(_ u: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
              let y = digits(u, 0, 4), let m = digits(u, 5, 2), let d = digits(u, 8, 2) else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }

    /// Why well-formed `YYYY-MM-DD` text is not a date ("2026-02-30 is not a calendar date
    /// (February 2026 has 28 days)"); nil if it is a date or not of that shape at all.
    public static func problem(in text: String) -> String? { withUTF8(text, problem) }

    static func problem(_ u: UnsafeBufferPointer<UInt8>) -> String? {
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
              let y = digits(u, 0, 4), let m = digits(u, 5, 2), let d = digits(u, 8, 2) else { return nil }
        let text = String(decoding: u, as: UTF8.self)
        if y == 0 { return "\(text) is not a calendar date (years run from 0001)" }
        guard (1...12).contains(m) else { return "\(text) is not a calendar date (month \(pad(m, 2)) does not exist)" }
        let days = daysIn(month: m, year: y)
        guard (1...days).contains(d) else {
            return "\(text) is not a calendar date (\(monthNames[m - 1]) \(pad(y, 4)) has \(days) days)"
        }
        return nil
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]

    public static func isLeap(_ year: Int) -> Bool { CivilCalendar.isLeapYear(Int64(year)) }

    public static func daysIn(month: Int, year: Int) -> Int {
        Int(CivilCalendar.daysInMonth(year: Int64(year), month: Int64(month)))
    }

    /// Days since 1970-01-01 (negative before).
    public var daysSinceEpoch: Int {
        Int(CivilCalendar.daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day)))
    }

    /// The date `days` after 1970-01-01, clamped to 0001-01-01...9999-12-31 (so no input traps).
    public init(daysSinceEpoch days: Int) {
        let (y, m, d) = CivilCalendar.civilFromDays(Int64(min(max(days, -719_162), 2_932_896)))
        self.year = Int(y)
        self.month = Int(m)
        self.day = Int(d)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public var description: String { pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) }

    /// The ASCII decimal number in u[start..<start+count], or nil if any byte is not a digit.
    static func digits(_ u: [UInt8], _ start: Int, _ count: Int) -> Int? {
        u.withUnsafeBufferPointer { digits($0, start, count) }
    }

    static func digits(_ u: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        guard start >= 0, count >= 0, start + count <= u.count else { return nil }
        var v = 0
        for i in start..<(start + count) {
            let b = u[i]
            guard b >= 0x30 && b <= 0x39 else { return nil }
            v = v * 10 + Int(b - 0x30)
        }
        return v
    }
}

func pad(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// An RFC 3339 timestamp with an explicit offset: `2026-10-01T06:42:10+08:00`,
/// `2026-10-01T06:42:10.5Z`. Upper-case `T` and `Z` only; no leap seconds (second 60: the
/// contract's instants are Unix seconds, which have none); at most 9 fraction digits (nanoseconds).
public struct RFC3339Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let secondsSinceEpoch: Int64
    /// Fraction of the second, 0..<1_000_000_000.
    public let nanoseconds: Int32
    /// The written offset from UTC, seconds (+08:00 = 28800).
    public let offsetSeconds: Int
    /// The date and time as written (in its own offset).
    public let localDate: CalendarDate
    public let localHour: Int, localMinute: Int, localSecond: Int

    /// The ECMA-262 regular expression the published JSON Schema uses for timestamps; it cannot
    /// check that the day exists in its month (RFC3339Timestamp.parse does).
    public static let pattern =
        "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
        + "(\\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"

    /// Parses the exact form described above; nil otherwise.
    public static func parse(_ text: String) -> RFC3339Timestamp? { withUTF8(text, parse) }

    static func parse(_ u: UnsafeBufferPointer<UInt8>) -> RFC3339Timestamp? {
        guard u.count >= 20, u[10] == UInt8(ascii: "T"), u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"),
              let date = CalendarDate.parse(UnsafeBufferPointer(rebasing: u[0..<10])),
              let hh = CalendarDate.digits(u, 11, 2), let mm = CalendarDate.digits(u, 14, 2),
              let ss = CalendarDate.digits(u, 17, 2), hh < 24, mm < 60, ss < 60 else { return nil }
        var i = 19
        var nanos = 0
        if u[i] == UInt8(ascii: ".") {
            i += 1
            var n = 0
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 {
                guard n < 9 else { return nil }
                nanos = nanos * 10 + Int(u[i] - 0x30)
                n += 1
                i += 1
            }
            guard n > 0 else { return nil }
            for _ in n..<9 { nanos *= 10 }
        }
        guard i < u.count else { return nil } // the offset is mandatory
        let offset: Int
        if u[i] == UInt8(ascii: "Z") {
            guard i + 1 == u.count else { return nil }
            offset = 0
        } else if u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
            guard i + 6 == u.count, u[i + 3] == UInt8(ascii: ":"),
                  let oh = CalendarDate.digits(u, i + 1, 2), let om = CalendarDate.digits(u, i + 4, 2),
                  oh < 24, om < 60 else { return nil }
            offset = (u[i] == UInt8(ascii: "-") ? -1 : 1) * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        let local = Int64(date.daysSinceEpoch) * 86400 + Int64(hh * 3600 + mm * 60 + ss)
        return RFC3339Timestamp(secondsSinceEpoch: local - Int64(offset), nanoseconds: Int32(nanos),
                                offsetSeconds: offset, localDate: date, localHour: hh, localMinute: mm, localSecond: ss)
    }

    /// Why text shaped like a timestamp (`YYYY-MM-DDThh:mm:ss…`) is not one, in plain words:
    /// an impossible date, an hour, minute, second or offset out of range, a leap second, too many
    /// fraction digits. nil if `parse` accepts it or the shape itself is wrong (the caller then
    /// shows the expected form).
    public static func problem(in text: String) -> String? { withUTF8(text, problem) }

    static func problem(_ u: UnsafeBufferPointer<UInt8>) -> String? {
        guard parse(u) == nil, u.count >= 19, u[10] == UInt8(ascii: "T"), u[13] == UInt8(ascii: ":"),
              u[16] == UInt8(ascii: ":"), let hh = CalendarDate.digits(u, 11, 2),
              let mm = CalendarDate.digits(u, 14, 2), let ss = CalendarDate.digits(u, 17, 2) else { return nil }
        if let why = CalendarDate.problem(UnsafeBufferPointer(rebasing: u[0..<10])) { return why }
        if hh > 23 { return "hour \(pad(hh, 2)) is out of range (00 to 23)" }
        if mm > 59 { return "minute \(pad(mm, 2)) is out of range (00 to 59)" }
        if ss == 60 { return "second 60 (a leap second) is not accepted" }
        if ss > 60 { return "second \(pad(ss, 2)) is out of range (00 to 59)" }
        var i = 19
        if i < u.count && u[i] == UInt8(ascii: ".") {
            i += 1
            let first = i
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { i += 1 }
            if i - first > 9 { return "the fraction has \(i - first) digits, at most 9 (nanoseconds) are accepted" }
        }
        if i + 6 == u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-"), u[i + 3] == UInt8(ascii: ":"),
           let oh = CalendarDate.digits(u, i + 1, 2), let om = CalendarDate.digits(u, i + 4, 2), oh > 23 || om > 59 {
            return "offset \(String(decoding: UnsafeBufferPointer(rebasing: u[i..<(i + 6)]), as: UTF8.self)) is out of range (at most ±23:59)"
        }
        return nil
    }

    private init(secondsSinceEpoch: Int64, nanoseconds: Int32, offsetSeconds: Int, localDate: CalendarDate,
                 localHour: Int, localMinute: Int, localSecond: Int) {
        self.secondsSinceEpoch = secondsSinceEpoch
        self.nanoseconds = nanoseconds
        self.offsetSeconds = offsetSeconds
        self.localDate = localDate
        self.localHour = localHour
        self.localMinute = localMinute
        self.localSecond = localSecond
    }

    /// The calendar date of this instant at another offset (e.g. the station's +08:00).
    public func date(atOffsetSeconds offset: Int) -> CalendarDate {
        let (sum, overflow) = secondsSinceEpoch.addingReportingOverflow(Int64(offset))
        let local = overflow ? (offset > 0 ? Int64.max : Int64.min) : sum
        let days = local >= 0 ? local / 86400 : -((-(local + 1)) / 86400) - 1 // floor division, no overflow
        return CalendarDate(daysSinceEpoch: Int(days))
    }

    /// Orders by instant (then fraction); the written offset does not matter.
    public static func < (a: RFC3339Timestamp, b: RFC3339Timestamp) -> Bool {
        (a.secondsSinceEpoch, a.nanoseconds) < (b.secondsSinceEpoch, b.nanoseconds)
    }

    public static func == (a: RFC3339Timestamp, b: RFC3339Timestamp) -> Bool {
        a.secondsSinceEpoch == b.secondsSinceEpoch && a.nanoseconds == b.nanoseconds
    }

    public func hash(into h: inout Hasher) {
        h.combine(secondsSinceEpoch)
        h.combine(nanoseconds)
    }

    /// The timestamp in its written offset, seconds precision plus any fraction.
    public var description: String {
        var s = localDate.description + "T" + pad(localHour, 2) + ":" + pad(localMinute, 2) + ":" + pad(localSecond, 2)
        if nanoseconds > 0 { s += "." + pad(Int(nanoseconds), 9) }
        if offsetSeconds == 0 { return s + "Z" }
        let a = abs(offsetSeconds)
        return s + (offsetSeconds < 0 ? "-" : "+") + pad(a / 3600, 2) + ":" + pad(a % 3600 / 60, 2)
    }
}

extension CalendarDate {
    /// The ECMA-262 regular expression the published JSON Schema uses for dates (plus
    /// `format: date`); the regex alone cannot reject 2026-02-30.
    public static let pattern = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
}
