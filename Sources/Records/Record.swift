// Record and RecordError: what the decoder hands on, and why it refused a file.
import Synchronization

/// An accepted inspection record. Past this type no code touches raw kiosk JSON.
public struct Record: Sendable {
    public let kind: RecordKind
    /// `record_id`, the idempotency key.
    public let id: String
    public let stationCode: String
    public let kioskID: String
    public let officerID: String
    public let recordedAt: RFC3339Timestamp
    public let tripID: String?
    /// Normalised (`粤A12345`).
    public let plateNo: String?
    /// The rules' view: only fields the schema names (envelope included), validated, plates
    /// normalised, in document order.
    public let body: JSONValue
    /// Dotted paths of fields the schema does not name (`vendor_extra`, `gps.antenna`,
    /// `items[0].colour`): kept in `document` and in the archived file, hidden from rules.
    public let unknownFieldPaths: [String]
    /// The whole parsed document, unknown fields included.
    public let document: JSONValue
    /// SHA-256 of the file's bytes, 64 lower-case hex digits (SG_RECORD_SHA256). Worked out
    /// when first asked for, then kept: hashing a record costs more than decoding it, and only
    /// records that raise an alert need the digest.
    public var sha256: String { digest.hex }
    let digest: FileDigest
    /// The file name as dropped (SG_SPOOL_FILE).
    public let fileName: String

    /// The value at a dotted path in `body`, e.g. `licence.valid_until`.
    public func value(atPath path: String) -> JSONValue? { body.value(atPath: path) }

    /// The timestamp at a dotted path, e.g. `alcohol.tested_at` (the body keeps the text as written).
    public func timestamp(atPath path: String) -> RFC3339Timestamp? {
        value(atPath: path)?.stringValue.flatMap(RFC3339Timestamp.parse)
    }

    /// The date at a dotted path, e.g. `licence.valid_until` (nil when absent or null).
    public func date(atPath path: String) -> CalendarDate? {
        value(atPath: path)?.stringValue.flatMap(CalendarDate.parse)
    }

    /// `id_card_no` masked for the journal (`440106********4219`), if present.
    public var maskedIDCardNo: String? { body["id_card_no"]?.stringValue.map(NationalIDNumber.masked) }
}

/// The SHA-256 of a file, computed once, on first use; safe to share between threads.
final class FileDigest: Sendable {
    private enum State {
        case pending([UInt8])
        case done(String)
    }
    private let state: Mutex<State>

    init(of bytes: [UInt8]) { state = Mutex(.pending(bytes)) }
    init(hex: String) { state = Mutex(.done(hex)) }

    var hex: String {
        state.withLock { state in
            switch state {
            case .done(let hex): return hex
            case .pending(let bytes):
                let hex = SHA256.hex(bytes)
                state = .done(hex) // also lets go of the bytes
                return hex
            }
        }
    }
}

/// One reason a record was refused.
public struct RecordProblem: Equatable, Sendable, CustomStringConvertible {
    /// Field path in plain words, `departure.adults`, `luggage.items[0].category`; nil for
    /// problems with the document as a whole (size, JSON syntax).
    public let path: String?
    /// Position in the file, for JSON syntax errors.
    public let line: Int?
    public let column: Int?
    public let message: String

    public init(path: String? = nil, line: Int? = nil, column: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        if let path { return "\(path): \(message)" }
        if let line, let column { return "line \(line), column \(column): \(message)" }
        return message
    }
}

/// Why a file is not an acceptable record. `reason` is what goes into `quarantine/NAME.reason`.
public struct RecordError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Stage: String, Sendable {
        /// Larger than the contract's 1 MiB.
        case tooLarge = "too large"
        /// Not strict JSON (syntax, UTF-8, duplicate key, depth).
        case notJSON = "not JSON"
        /// JSON, but not a valid record (types, ranges, required fields, kind, version).
        case schema = "schema violation"
    }

    public let fileName: String
    public let stage: Stage
    /// Every problem found (schema problems are all collected; JSON stops at the first).
    public let problems: [RecordProblem]

    /// How many problems `reason` spells out.
    public static let reportedProblems = 5

    /// Plain words, the first few problems, `; `-separated.
    public var reason: String {
        let shown = problems.prefix(RecordError.reportedProblems).map(\.description).joined(separator: "; ")
        let rest = problems.count - RecordError.reportedProblems
        return stage.rawValue + ": " + shown + (rest > 0 ? "; and \(rest) more" : "")
    }

    public var description: String { fileName + ": " + reason }
}
