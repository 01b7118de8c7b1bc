// Spool+Archive: reading back the audit archive done/, for rebuilding the trip store.
import Foundation
import Glibc

extension Spool {
    /// An archived record: the day folder, the file name and its bytes.
    public struct ArchivedRecord: Sendable {
        public let day: String
        public let name: String
        public let bytes: [UInt8]
    }

    /// The records in done/ day folders from `firstDay` (YYYY-MM-DD) on, oldest day first.
    /// Only regular files no larger than the contract's 1 MiB are read (lstat: a symlink is
    /// skipped, never followed); an unreadable one is skipped and counted.
    public func archived(since firstDay: String) throws -> (records: [ArchivedRecord], skipped: Int) {
        guard let first = Spool.dayNumber(firstDay) else {
            throw SpoolError(path: dayPath(firstDay), reason: .malformedDate)
        }
        let archive = path(.done)
        let days = try SystemCall.listDirectory(archive).orThrow("opendir", archive)
            .filter { Spool.dayNumber($0).map { $0 >= first } ?? false }
            .sorted()
        var out: [ArchivedRecord] = []
        var skipped = 0
        for day in days {
            let folder = dayPath(day)
            guard case .success(let names) = SystemCall.listDirectory(folder) else { skipped += 1; continue }
            for name in names.sorted() where name.hasSuffix(".json") {
                let file = folder + "/" + name
                guard case .success(let st) = SystemCall.lstat(file), st.st_mode & S_IFMT == S_IFREG,
                      st.st_size <= 1 << 20, let data = FileManager.default.contents(atPath: file) else {
                    skipped += 1
                    continue
                }
                out.append(ArchivedRecord(day: day, name: name, bytes: [UInt8](data)))
            }
        }
        return (out, skipped)
    }
}
