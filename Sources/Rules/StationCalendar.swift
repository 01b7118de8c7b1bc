// StationCalendar: the station date helpers of docs/rule-files.md (validThrough, stationDate,
// daysUntil, hourAtStation, ageOn) as CEL host functions, in the station's time zone.
// Dates in records are station calendar dates; timestamps are instants. Comparing them is
// only meaningful after moving the instant onto the station's calendar, which is all this does.
import CEL
import Foundation
import Records

/// The station's calendar: a time zone and a cache of its UTC offsets.
final class StationCalendar {
    let timeZone: TimeZone
    /// Offsets by 15-minute UTC bucket: every zone's transitions fall on such a boundary, and
    /// Foundation's lookup is slow (ICU) compared with a rule evaluation.
    private var offsets: [Int64: Int] = [:]
    private let lock = NSLock()
    private let fixedOffset: Int?

    init(timeZone: TimeZone) {
        self.timeZone = timeZone
        // A zone with no transition since 1992 (Asia/Shanghai: none since 1991) is fixed for
        // any date a kiosk sends; others go through the cache.
        let since = Date(timeIntervalSince1970: 700_000_000)
        if timeZone.nextDaylightSavingTimeTransition(after: since) == nil,
           timeZone.secondsFromGMT(for: since) == timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: 4_000_000_000)) {
            fixedOffset = timeZone.secondsFromGMT(for: since)
        } else {
            fixedOffset = nil
        }
    }

    /// Seconds east of UTC at the station at the instant `seconds` (Unix time).
    func offset(at seconds: Int64) -> Int {
        if let fixedOffset, seconds >= 700_000_000 { return fixedOffset }
        // Wrapping arithmetic: a timestamp outside CEL's range must not trap (it cannot come
        // from a validated record, but host functions accept any value).
        let bucket = seconds >= 0 ? seconds / 900 : (seconds &- 899) / 900
        lock.lock(); defer { lock.unlock() }
        if let o = offsets[bucket] { return o }
        let o = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(bucket &* 900)))
        if offsets.count > 100_000 { offsets.removeAll() }   // bounded memory on hostile input
        offsets[bucket] = o
        return o
    }

    /// Days since 1970-01-01 of the station calendar date of an instant.
    func stationDay(_ ts: CELTimestamp) -> Int64 {
        let local = ts.seconds &+ Int64(offset(at: ts.seconds))
        return local >= 0 ? local / 86400 : (local &- 86399) / 86400
    }

    func hour(_ ts: CELTimestamp) -> Int64 {
        let local = ts.seconds &+ Int64(offset(at: ts.seconds))
        let secOfDay = ((local % 86400) + 86400) % 86400
        return secOfDay / 3600
    }

    // MARK: - CEL functions

    /// The host functions, bound to this calendar.
    var functions: [FunctionDecl] {
        [
            FunctionDecl(name: "validThrough", overloads: [
                FunctionOverload(id: "validThrough_string_timestamp", parameters: [.string, .timestamp], result: .bool,
                                 implementation: .binary { d, t in
                                     guard case .timestamp(let ts) = t else { return StationCalendar.argError("validThrough", t) }
                                     guard let day = StationCalendar.day(d, "validThrough") else { return StationCalendar.dateError("validThrough", d) }
                                     // Valid through the whole of day D at the station: the instant's station date is not after D.
                                     return .bool(self.stationDay(ts) <= day)
                                 }),
            ]),
            FunctionDecl(name: "stationDate", overloads: [
                FunctionOverload(id: "stationDate_timestamp", parameters: [.timestamp], result: .string,
                                 implementation: .unary { t in
                                     guard case .timestamp(let ts) = t else { return StationCalendar.argError("stationDate", t) }
                                     return .string(CalendarDate(daysSinceEpoch: Int(self.stationDay(ts))).description)
                                 }),
            ]),
            FunctionDecl(name: "daysUntil", overloads: [
                FunctionOverload(id: "daysUntil_string_timestamp", parameters: [.string, .timestamp], result: .int,
                                 implementation: .binary { d, t in
                                     guard case .timestamp(let ts) = t else { return StationCalendar.argError("daysUntil", t) }
                                     guard let day = StationCalendar.day(d, "daysUntil") else { return StationCalendar.dateError("daysUntil", d) }
                                     return .int(day &- self.stationDay(ts))
                                 }),
            ]),
            FunctionDecl(name: "hourAtStation", overloads: [
                FunctionOverload(id: "hourAtStation_timestamp", parameters: [.timestamp], result: .int,
                                 implementation: .unary { t in
                                     guard case .timestamp(let ts) = t else { return StationCalendar.argError("hourAtStation", t) }
                                     return .int(self.hour(ts))
                                 }),
            ]),
            FunctionDecl(name: "ageOn", overloads: [
                FunctionOverload(id: "ageOn_string_timestamp", parameters: [.string, .timestamp], result: .int,
                                 implementation: .binary { idv, t in
                                     guard case .timestamp(let ts) = t else { return StationCalendar.argError("ageOn", t) }
                                     guard case .string(let id) = idv, let birth = NationalIDNumber.birthDate(of: id) else {
                                         return .error(EvalError("ageOn: not a national ID number with a birth date"))
                                     }
                                     let on = CalendarDate(daysSinceEpoch: Int(self.stationDay(ts)))
                                     var age = on.year - birth.year
                                     if (on.month, on.day) < (birth.month, birth.day) { age -= 1 }
                                     return .int(Int64(age))
                                 }),
            ]),
        ]
    }

    /// Days since the epoch of a `YYYY-MM-DD` value; nil if it is not one.
    static func day(_ v: Value, _ fn: String) -> Int64? {
        guard case .string(let s) = v, let d = CalendarDate.parse(s) else { return nil }
        return Int64(d.daysSinceEpoch)
    }

    static func dateError(_ fn: String, _ v: Value) -> Value {
        if case .error = v { return v }
        if case .null = v { return .error(EvalError("\(fn): the date is null")) }
        return .error(EvalError("\(fn): not a date YYYY-MM-DD"))
    }

    static func argError(_ fn: String, _ v: Value) -> Value {
        if case .error = v { return v }
        return .error(EvalError("\(fn): expected a timestamp"))
    }
}
