// `stationguard status --trip ID | --plate PLATE | --driver ID`: the gate officer's question,
// "may this bus leave now?", answered from the trip store: RELEASE or HOLD with every reason
// and the records behind it, or "never inspected" when the store knows nothing. Reads the
// store read-only (safe while the daemon writes); the exit status is the answer, for gate scripts.
import ArgumentParser
import Foundation
import Records
import Rules
import Trips

/// The answer as an exit status: a gate script opens the barrier on 0 only.
enum GateAnswer: Int32 {
    case release = 0
    case hold = 1
    /// Never inspected, or records but no departure decided yet.
    case unknown = 3
    /// The store or the config cannot be read.
    case noAnswer = 4
}

/// Options of the commands that read the trip store (`status`, `board`).
struct GateOptions: ParsableArguments {
    static let defaultStateDirectory = "/var/lib/stationguard"

    @Option(name: .customLong("state"), help: ArgumentHelp("The daemon's state directory (holds trips.sqlite).", valueName: "DIR"))
    var stateDirectory: String = GateOptions.defaultStateDirectory

    @Option(name: .customLong("config"), help: ArgumentHelp("The station config file (its time zone fixes the station day).", valueName: "FILE"))
    var configFile: String = StationConfig.defaultPath

    /// The station config; the default path may be absent (defaults), a `--config` file must exist.
    func config() throws -> StationConfig {
        do {
            return try StationConfig.load(path: configFile, mustExist: configFile != StationConfig.defaultPath)
        } catch {
            printError("\(error)")
            throw ExitCode(GateAnswer.noAnswer.rawValue)
        }
    }

    var storePath: String { (stateDirectory as NSString).appendingPathComponent(TripStore.fileName) }

    /// The store, opened read-only; a missing or unreadable store names its path and exits 4.
    func openStore() throws -> TripStore {
        do {
            return try TripStore(directory: stateDirectory, readOnly: true)
        } catch let e as TripStoreError {
            printError(e.description)
        } catch {
            printError("\(storePath): cannot open the trip store: \(error)")
        }
        throw ExitCode(GateAnswer.noAnswer.rawValue)
    }
}

/// Instants as the station's clocks show them.
struct StationClock {
    let timeZone: TimeZone

    /// `2026-10-01 06:42` at the station.
    func text(micros: Int64) -> String {
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let local = seconds + Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
        let day = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let sec = local - day * 86400
        return "\(CalendarDate(daysSinceEpoch: Int(day))) \(two(sec / 3600)):\(two(sec % 3600 / 60))"
    }

    /// `06:42:05` at the station, now.
    func now() -> String {
        let seconds = Int64(Date().timeIntervalSince1970)
        let local = seconds + Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
        let sec = ((local % 86400) + 86400) % 86400
        return "\(two(sec / 3600)):\(two(sec % 3600 / 60)):\(two(sec % 60))"
    }

    /// Today's station day.
    func today() -> CalendarDate {
        let now = Date()
        let local = Int64(now.timeIntervalSince1970) + Int64(timeZone.secondsFromGMT(for: now))
        return CalendarDate(daysSinceEpoch: Int(local >= 0 ? local / 86400 : (local - 86399) / 86400))
    }

    private func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
}

/// `--date D`: a station day, checked at parse time.
func parseStationDay(_ text: String) throws -> CalendarDate {
    if let d = CalendarDate.parse(text) { return d }
    throw ValidationError("--date: " + (CalendarDate.problem(in: text) ?? "'\(text)' is not a date (YYYY-MM-DD)"))
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "May this bus leave? A trip's verdict, or the day's trips of a plate or driver, from the trip store.",
        discussion: """
        --trip ID: RELEASE or HOLD with every reason (rule and message) and the records the decision rests on (kind, id, time at the station, passed or not).
        --plate PLATE / --driver ID: the trips of that station day (--date, default today at the station in the config's time zone) with their verdicts, and the newest records of that plate or driver with their blocking alerts.
        When the store holds nothing: 'never inspected (no record in the store since …)', which is not a RELEASE. The store keeps trip_retention_days (default 7) of records.
        Reads DIR/trips.sqlite read-only (--state, default /var/lib/stationguard); safe while the daemon runs.
        --format json: one object, {"answer": "RELEASE"|"HOLD"|"NO_VERDICT"|"NEVER_INSPECTED", "trip"|"plate"|"driver", "day" (--plate/--driver), "trips": [{"verdict", "trip_id", "plate", "departure_record_id", "departure_at", "scheduled_at", "drivers", "reasons": [{"rule", "action", "message"}], "records": [{"kind", "record_id", "recorded_at", "passed"}]}], "records": [the newest records: {"kind", "record_id", "recorded_at", "passed", "alerts": [{"rule", "action", "message"}]}]}; times at the station (YYYY-MM-DD HH:MM), ID numbers masked.
        Exit 0: RELEASE (--plate/--driver: every trip of the day released); 1: HOLD (--plate/--driver: any trip of the day held); 3: no verdict (never inspected, or no departure decided yet); 4: no answer (the store or config cannot be read; reason on stderr); 2: usage error. A gate script opens the barrier on 0 only.
        """
    )

    @Option(help: ArgumentHelp("A trip id (G1203-20261001).", valueName: "ID")) var trip: String?
    @Option(help: ArgumentHelp("A plate number (粤A12345; 粤A·12345 and 粤A 12345 are the same plate).", valueName: "PLATE")) var plate: String?
    @Option(help: ArgumentHelp("A driver id.", valueName: "ID")) var driver: String?
    @Option(help: ArgumentHelp("The station day for --plate or --driver; default today at the station.", valueName: "YYYY-MM-DD")) var date: String?
    @Option(help: "text, or json: one object for a gate script (the exit status is the same).") var format: Check.Format = .text
    @OptionGroup var gate: GateOptions

    func validate() throws {
        if [trip, plate, driver].compactMap({ $0 }).count != 1 {
            throw ValidationError("give exactly one of --trip ID, --plate PLATE, --driver ID")
        }
        if let date {
            if trip != nil { throw ValidationError("--date goes with --plate or --driver (a trip's day is its own)") }
            _ = try parseStationDay(date)
        }
        if let plate, Status.normalisedPlate(plate) == nil {
            throw ValidationError("--plate: '\(plate)' is not a plate number (e.g. 粤A12345)")
        }
    }

    /// As Records stores plates: ASCII letters upper-cased, the separator after the office letter dropped.
    static func normalisedPlate(_ written: String) -> String? {
        let trimmed = written.trimmingCharacters(in: .whitespaces)
        let upper = String(String.UnicodeScalarView(trimmed.unicodeScalars.map {
            ($0.value >= 0x61 && $0.value <= 0x7A) ? Unicode.Scalar($0.value - 0x20)! : $0
        }))
        return PlateNumber.normalise(upper)
    }

    func run() throws {
        let config = try gate.config()
        let clock = StationClock(timeZone: config.timeZone)
        let store = try gate.openStore()
        let answer: GateAnswer
        do {
            var report = StatusReport(store: store, clock: clock)
            if let trip {
                answer = try report.trip(trip)
            } else {
                let day = try date.map(parseStationDay) ?? clock.today()
                if let plate { answer = try report.plate(Status.normalisedPlate(plate)!, day: day) }
                else { answer = try report.driver(driver!, day: day) }
            }
            switch format {
            case .text: print(report.lines.joined(separator: "\n"))
            case .json: print(report.jsonText(answer: answer))
            }
        } catch let e as ExitCode {
            throw e
        } catch {
            printError("\(gate.storePath): cannot read the trip store: \(error)")
            throw ExitCode(GateAnswer.noAnswer.rawValue)
        }
        if answer != .release { throw ExitCode(answer.rawValue) }
    }
}

/// The text `status` prints, built line by line.
struct StatusReport {
    /// Reasons are wrapped to this many columns (Chinese counted two a character), under their rule.
    static let columns = 80
    let store: TripStore
    let clock: StationClock
    private(set) var lines: [String] = []
    /// The same answer for `--format json`: who was asked about, the trips, the newest records.
    private var subject: [String: Any] = [:]
    private var tripObjects: [[String: Any]] = []
    private var recordObjects: [[String: Any]] = []

    init(store: TripStore, clock: StationClock) {
        self.store = store; self.clock = clock
    }

    /// Text from the store, as the journal shows it: ID numbers masked, control characters escaped.
    private func shown(_ s: String) -> String { JournalText.clean(s) }

    mutating func trip(_ id: String) throws -> GateAnswer {
        subject = ["trip": shown(id)]
        guard let d = try store.decision(trip: id) else {
            let records = try store.records(trip: id, limit: 5)
            recordObjects = records.map(object)
            if records.isEmpty {
                lines.append("\(shown(id)): never inspected (no record of this trip in the store \(try since()))")
            } else {
                lines.append("\(shown(id)): no verdict yet: no departure record (the gate has not checked the bus)")
                lines.append("  newest records of this trip:")
                add(records)
            }
            return .unknown
        }
        tripObjects = [object(d)]
        lines.append("\(shown(d.tripID)): \(d.verdict.rawValue)")
        // "departs 2026-10-01 07:31 (scheduled 07:30)": the day only when it differs.
        let scheduled = d.scheduledAt.map { at -> String in
            if at == d.departureAt { return "" }
            let sameDay = at.count >= 16 && d.departureAt.count >= 16 && at.prefix(10) == d.departureAt.prefix(10)
            return " (scheduled \(shown(sameDay ? String(at.suffix(5)) : at)))"
        } ?? ""
        lines.append("  bus \(shown(d.plate ?? "-")), departs \(shown(d.departureAt))\(scheduled), drivers "
                     + (d.drivers.isEmpty ? "-" : d.drivers.map(shown).joined(separator: " ")))
        addReasons(of: d, indent: "  ")
        lines.append("  records behind it:")
        let idWidth = d.basis.map { TerminalText.width(shown($0.recordID)) }.max() ?? 0
        for b in d.basis {
            lines.append("    " + TerminalText.padded(shown(b.kind), toWidth: 9) + " " + TerminalText.padded(shown(b.recordID), toWidth: idWidth)
                         + "  " + shown(b.recordedAt) + "  " + (b.passed ? "passed" : "did not pass"))
        }
        if d.basis.isEmpty { lines.append("    none") }
        return d.verdict == .hold ? .hold : .release
    }

    mutating func plate(_ plate: String, day: CalendarDate) throws -> GateAnswer {
        subject = ["plate": shown(plate), "day": day.description]
        return try someone(plate, day: day, trips: store.decisions(plate: plate, day: day),
                    records: store.records(plate: plate, limit: 5))
    }

    mutating func driver(_ driver: String, day: CalendarDate) throws -> GateAnswer {
        subject = ["driver": shown(driver), "day": day.description]
        return try someone(driver, day: day, trips: store.decisions(driver: driver, day: day),
                    records: store.records(driver: driver, limit: 5))
    }

    /// A plate's or a driver's day: its trips with their verdicts, then its newest records.
    private mutating func someone(_ who: String, day: CalendarDate, trips: [TripDecision],
                                  records: [StoredRecordSummary]) throws -> GateAnswer {
        let name = shown(who)
        tripObjects = trips.map(object)
        recordObjects = records.map(object)
        if trips.isEmpty && records.isEmpty {
            lines.append("\(name): never inspected (no record in the store \(try since()))")
            return .unknown
        }
        let held = trips.filter { $0.verdict == .hold }
        let answer: GateAnswer
        if trips.isEmpty {
            lines.append("\(name) on \(day): no verdict: no trip departs that day")
            answer = .unknown
        } else if held.isEmpty {
            lines.append("\(name) on \(day): RELEASE (\(trips.count) trip\(trips.count == 1 ? "" : "s"), all released)")
            answer = .release
        } else {
            lines.append("\(name) on \(day): HOLD (\(held.count) of \(trips.count) trip\(trips.count == 1 ? "" : "s") held)")
            answer = .hold
        }
        let tripWidth = trips.map { TerminalText.width(shown($0.tripID)) }.max() ?? 0
        for d in trips {
            lines.append("  " + shown(d.timetableClock) + "  " + TerminalText.padded(d.verdict.rawValue, toWidth: 7) + "  "
                         + TerminalText.padded(shown(d.tripID), toWidth: tripWidth) + "  " + shown(d.plate ?? "-"))
            addReasons(of: d, indent: "    ", sayNone: false)
        }
        if records.isEmpty {
            lines.append("  no record of \(name) in the store \(try since())")
        } else {
            lines.append("  newest records of \(name):")
            add(records)
        }
        return answer
    }

    private mutating func addReasons(of d: TripDecision, indent: String, sayNone: Bool = true) {
        if d.reasons.isEmpty {
            if sayNone { lines.append(indent + "reasons: none") }
            return
        }
        lines.append(indent + "reasons:")
        for r in d.reasons {
            lines += reason(r.rule, r.action, r.message, indent: indent + "  ")
        }
    }

    private mutating func add(_ records: [StoredRecordSummary]) {
        let idWidth = records.map { TerminalText.width(shown($0.recordID)) }.max() ?? 0
        for r in records {
            let blocking = r.alerts.filter(\.blocks)
            let warnings = r.alerts.filter { !$0.blocks }.map { shown($0.rule) }
            var verdict = blocking.isEmpty ? "passed" : "did not pass"
            if !warnings.isEmpty { verdict += " (WARN " + warnings.joined(separator: " ") + ")" }
            lines.append("    " + clock.text(micros: r.recordedAtMicros) + "  " + TerminalText.padded(shown(r.kind), toWidth: 9) + " "
                         + TerminalText.padded(shown(r.recordID), toWidth: idWidth) + "  " + verdict)
            for a in blocking {
                lines += reason(a.rule, a.action, a.message, indent: "      ")
            }
        }
    }

    /// "DEP-007 HOLD: message", wrapped to `columns` under its rule.
    private func reason(_ rule: String, _ action: String, _ message: String, indent: String) -> [String] {
        TerminalText.wrap(shown(rule) + " " + shown(action) + ": " + shown(message),
                          columns: StatusReport.columns, first: indent, rest: indent + "  ")
    }

    private func reasonObject(_ rule: String, _ action: String, _ message: String) -> [String: Any] {
        ["rule": shown(rule), "action": shown(action), "message": shown(message)]
    }

    /// The answer as one JSON object (keys sorted, so the same store prints the same text).
    func jsonText(answer: GateAnswer) -> String {
        let name: String
        switch answer {
        case .release: name = "RELEASE"
        case .hold: name = "HOLD"
        case .unknown, .noAnswer: name = tripObjects.isEmpty && recordObjects.isEmpty ? "NEVER_INSPECTED" : "NO_VERDICT"
        }
        var top = subject
        top["answer"] = name
        top["trips"] = tripObjects
        top["records"] = recordObjects
        let data = (try? JSONSerialization.data(withJSONObject: top, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private func object(_ d: TripDecision) -> [String: Any] {
        [
            "verdict": d.verdict.rawValue, "trip_id": shown(d.tripID), "plate": d.plate.map(shown) ?? NSNull(),
            "departure_record_id": shown(d.departureRecordID), "departure_at": shown(d.departureAt),
            "scheduled_at": d.scheduledAt.map(shown) ?? NSNull(), "drivers": d.drivers.map(shown),
            "reasons": d.reasons.map { reasonObject($0.rule, $0.action, $0.message) },
            "records": d.basis.map { ["kind": shown($0.kind), "record_id": shown($0.recordID), "recorded_at": shown($0.recordedAt), "passed": $0.passed] as [String: Any] },
        ]
    }

    private func object(_ r: StoredRecordSummary) -> [String: Any] {
        [
            "kind": shown(r.kind), "record_id": shown(r.recordID), "recorded_at": clock.text(micros: r.recordedAtMicros),
            "passed": r.passed,
            "alerts": r.alerts.map { reasonObject($0.rule, $0.action, $0.message) },
        ]
    }

    /// "since 2026-10-01 06:31": how far back the store reaches (its retention window).
    private func since() throws -> String {
        guard let earliest = try store.earliestRecordedAt() else { return "yet: the store is empty" }
        return "since " + clock.text(micros: earliest)
    }
}
