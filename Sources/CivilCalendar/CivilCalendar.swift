// CivilCalendar: proleptic Gregorian day arithmetic, shared by CEL, Records and Spool.
//
// DESCRIPTION
//   Days since 1970-01-01 from a year, month and day and back (Howard Hinnant's
//   days_from_civil and civil_from_days), month lengths and leap years. Pure integer
//   arithmetic: no Foundation, no time zones, no allocation.
//
// TRUST
//   Callers check their own ranges: daysFromCivil takes a month 1–12 and any day, counting on
//   from the month's first day, and does not overflow for years within ±1e15; civilFromDays
//   takes any day number up to Int64.max - 719468. The callers pass 4-digit years.
//
// DIAGNOSTICS
//   None: every function answers; validation and wording stay with the callers.
//
// LIMITS
//   Proleptic Gregorian only (no Julian switch in 1582); year 0 exists (1 BC), as in ISO 8601.
//   daysInMonth answers 31 for a month outside 1–12, as the callers' own tables did.
//
// SEE ALSO
//   https://howardhinnant.github.io/date_algorithms.html; Sources/CEL/Time.swift,
//   Sources/Records/CalendarDate.swift, Sources/Spool/Spool+Prune.swift.

/// The proleptic Gregorian calendar as day numbers (days since 1970-01-01, negative before).
/// @inlinable: CEL and Records call these per record, across module boundaries.
public enum CivilCalendar {
    /// Days since 1970-01-01 of `year`-`month`-`day` (month 1–12).
    @inlinable
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year  // years start in March: the leap day comes last
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (before it when negative).
    @inlinable
    public static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// 28 to 31; 31 for a month outside 1–12.
    @inlinable
    public static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    @inlinable
    public static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }
}
