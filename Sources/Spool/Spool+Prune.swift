// Spool+Prune: retention for the audit archive, the one place the spool deletes records.
import CivilCalendar
import Glibc

extension Spool {
    /// The widest retention that means anything: more days than separate 0000-01-01 and 9999-12-31.
    static let maximumRetentionDays = 4_000_000

    /// Removes the done/ day folders strictly older than `days` days before `today`.
    ///
    /// With `days` = 30 and `today` = 2026-03-31, done/2026-02-28 and older go and done/2026-03-01
    /// stays. Only entries of done/ that are real directories named by a real calendar date
    /// (`YYYY-MM-DD`) are considered; any other name, and tmp/, new/, cur/ and quarantine/, are
    /// never touched. A day folder holds only records that were processed and journaled before
    /// `settle` filed them there. Nothing is fsynced: a removal lost in a crash is redone by the
    /// next prune.
    /// - Parameters:
    ///   - days: the retention (`done_retention_days`); 0 or less keeps everything.
    ///   - today: the station's date, `YYYY-MM-DD` (see `day(of:in:)`).
    /// - Returns: the paths of the day folders removed, oldest first.
    /// - Throws: `SpoolError` `.malformedDate` for a `today` that is not a calendar date (nothing is
    ///   removed), or the first failure met (a day folder holding a subfolder, a failing call)
    ///   after trying every other old folder; those are removed all the same.
    @discardableResult
    public func prune(olderThan days: Int, today: String) throws -> [String] {
        guard let todayNumber = Spool.dayNumber(today) else {
            throw SpoolError(path: dayPath(today), reason: .malformedDate)
        }
        guard days > 0 else { return [] }
        let cutoff = todayNumber - min(days, Spool.maximumRetentionDays)
        let archive = path(.done)
        let old = try SystemCall.listDirectory(archive).orThrow("opendir", archive)
            .filter { Spool.dayNumber($0).map { $0 < cutoff } ?? false }
            .sorted()  // YYYY-MM-DD sorts by date
        var removed: [String] = []
        var firstFailure: Error?
        for date in old {
            let day = dayPath(date)
            do {
                switch SystemCall.lstat(day) {
                case .success(let status) where status.st_mode & S_IFMT == S_IFDIR: break
                case .success, .failure(.noEntry): continue  // not a folder settle made, or gone
                case .failure(let error): throw SpoolError.system("lstat", day, error)
                }
                try removeDayFolder(day)
                unsynced.remove(.day(date))
                removed.append(day)
            } catch {
                firstFailure = firstFailure ?? error
            }
        }
        if let firstFailure { throw firstFailure }
        return removed
    }

    /// Unlinks every entry of a day folder (settle puts only files there; unlink never follows a
    /// symlink), then the folder. A subfolder is not ours: unlink fails on it, the other entries
    /// go all the same, and the folder stays with the first failure thrown.
    private func removeDayFolder(_ day: String) throws {
        var firstFailure: SpoolError?
        for name in try SystemCall.listDirectory(day).orThrow("opendir", day) {
            let entry = day + "/" + name
            switch SystemCall.unlink(entry) {
            case .success, .failure(.noEntry): continue
            case .failure(let error): firstFailure = firstFailure ?? SpoolError.system("unlink", entry, error)
            }
        }
        if let firstFailure { throw firstFailure }
        try SystemCall.removeDirectory(day).orThrow("rmdir", day)
    }

    /// Days since 1970-01-01 of a real calendar date `YYYY-MM-DD` (no 02-30), else nil.
    static func dayNumber(_ text: String) -> Int? {
        guard let (year, month, day) = dayParts(text) else { return nil }
        let (y, m, d) = (Int64(year), Int64(month), Int64(day))
        guard d <= CivilCalendar.daysInMonth(year: y, month: m) else { return nil }
        return Int(CivilCalendar.daysFromCivil(year: y, month: m, day: d))
    }
}
