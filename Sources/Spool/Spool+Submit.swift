// Spool+Submit: the kiosk side of the hand-off, done right: tmp/ + fsync + rename into new/.
import Foundation
import Glibc

extension Spool {
    /// The longest name `submit` accepts, in bytes.
    public static let maximumSubmitNameLength = 200

    /// Hands a record to the spool so that no reader ever sees it half-written.
    ///
    /// Writes `tmp/NAME.<pid>.<time>.tmp` (exclusive create, mode 0640), fsyncs it, renames it to
    /// `new/NAME` without replacing anything, and fsyncs new/. On any failure the temporary file is
    /// removed and new/ is untouched. The bytes are not judged here (`stationguard submit`
    /// validates them first).
    /// - Parameters:
    ///   - bytes: the record, at most `sizeLimit` bytes.
    ///   - name: a safe record name (see `isSubmittableName`), e.g. `K07-20260329-0001.json`.
    /// - Throws: `SpoolError` `.malformedName`, `.tooLarge`, `.nameTaken` (a record of that name is
    ///   already waiting in new/), or a failing system call.
    public func submit(bytes: [UInt8], name: String) throws {
        guard Spool.isSubmittableName(name) else {
            throw SpoolError(path: name, reason: .malformedName)
        }
        guard bytes.count <= sizeLimit else {
            throw SpoolError(path: name, reason: .tooLarge(size: bytes.count, limit: sizeLimit))
        }
        let waiting = path(.new, name)
        guard try place(bytes, at: waiting, via: path(.tmp, name + Spool.temporarySuffix()), mode: 0o640) else {
            throw SpoolError(path: waiting, reason: .nameTaken)
        }
        try SystemCall.fsyncDirectory(path(.new)).orThrow("fsync", path(.new))
    }

    /// Whether `submit` accepts `name`: a record name (see `isRecordName`) of at most 200 bytes made
    /// only of ASCII letters, digits, `.`, `_` and `-`, not starting with `-`. Stricter than what the
    /// daemon claims, so that names written by our own tool are safe in any shell or log.
    public static func isSubmittableName(_ name: String) -> Bool {
        guard isRecordName(name), name.utf8.count <= maximumSubmitNameLength, !name.hasPrefix("-") else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}
