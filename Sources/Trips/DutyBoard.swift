// DutyBoard: the station day's trips as the gate officer reads them on an 80-column terminal
// (`stationguard board`): held buses first, then by scheduled time (TIME, as the timetable
// says; the actual departure is in `status --trip`); one line per trip, and
// under a held trip a line with its first reason in the officer's words.
import Records
import Rules

public struct DutyBoard {
    /// Every line fits this many terminal columns.
    public static let columns = 80

    /// The station day shown (`2026-10-01`).
    public var day: String
    /// The configured station's code, if any.
    public var station: String?
    /// The latest decision of each trip of the day.
    public var decisions: [TripDecision]

    public init(day: String, station: String?, decisions: [TripDecision]) {
        self.day = day; self.station = station; self.decisions = decisions
    }

    /// HOLD before RELEASE, then by scheduled time, then by trip id.
    public var ordered: [TripDecision] {
        decisions.sorted {
            let a = ($0.verdict == .hold ? 0 : 1, $0.timetableAt, $0.tripID)
            let b = ($1.verdict == .hold ? 0 : 1, $1.timetableAt, $1.tripID)
            return a < b
        }
    }

    // Column widths; two spaces between columns; REASONS takes what is left of 80.
    static let timeWidth = 5, verdictWidth = 7, tripWidth = 15, plateWidth = 9, driversWidth = 17
    static let gap = "  "
    static var reasonsWidth: Int {
        columns - (timeWidth + verdictWidth + tripWidth + plateWidth + driversWidth + 5 * gap.count)
    }
    /// The reason line starts under VERDICT.
    static let reasonIndent = timeWidth + gap.count

    /// The board as lines, each at most `columns` wide.
    /// - Parameters:
    ///   - colour: HOLD red and RELEASE green (ANSI escapes, which take no columns).
    ///   - updated: the station clock of this drawing, shown by `--watch`.
    public func lines(colour: Bool = false, updated: String? = nil) -> [String] {
        let holds = decisions.filter { $0.verdict == .hold }.count
        // The counts before the station's name: if the line is too long, the name is cut.
        var title = "\(day)  \(decisions.count) trip\(decisions.count == 1 ? "" : "s"): \(holds) HOLD, \(decisions.count - holds) RELEASE"
        if let station, !station.isEmpty { title += "  " + JournalText.clean(station) }
        if let updated {
            let right = "updated " + updated
            let room = DutyBoard.columns - right.count - 2
            title = TerminalText.padded(title, toWidth: room) + "  " + right
        }
        var out = [TerminalText.truncate(title, toWidth: DutyBoard.columns)]
        guard !decisions.isEmpty else {
            out.append("no trip departs on \(day) (no departure record in the store)")
            return out
        }
        out.append(DutyBoard.row("TIME", "VERDICT", "TRIP", "PLATE", "DRIVERS", "REASONS", verdictColour: nil))
        for d in ordered {
            let clean = { (s: String) in JournalText.clean(s) }
            let time = d.timetableClock
            let colourCode = colour ? (d.verdict == .hold ? "\u{1B}[1;31m" : "\u{1B}[32m") : nil
            out.append(DutyBoard.row(clean(time), d.verdict.rawValue, clean(d.tripID), clean(d.plate ?? "-"),
                                     d.drivers.isEmpty ? "-" : d.drivers.map(clean).joined(separator: " "),
                                     d.reasons.isEmpty ? "" : d.reasons.map { clean($0.rule) }.joined(separator: " "),
                                     verdictColour: colourCode))
            if d.verdict == .hold, let first = d.reasons.first(where: { $0.action != "WARN" }) ?? d.reasons.first {
                let more = d.reasons.count - 1
                let suffix = more > 0 ? " (+\(more) more)" : ""
                let room = DutyBoard.columns - DutyBoard.reasonIndent - suffix.count
                // The row already names the trip and the bus: the message's "班次 … 车辆 …" would only take room.
                var message = clean(first.message)
                for shown in ["班次 " + clean(d.tripID) + " ", "车辆 " + clean(d.plate ?? "-") + " "] {
                    message = message.replacingOccurrences(of: shown, with: "")
                }
                let text = clean(first.rule) + " " + message
                out.append(String(repeating: " ", count: DutyBoard.reasonIndent) + TerminalText.truncate(text, toWidth: room) + suffix)
            }
        }
        return out
    }

    /// One table line; the last column is cut, not padded, so no line ends in spaces.
    static func row(_ time: String, _ verdict: String, _ trip: String, _ plate: String, _ drivers: String, _ reasons: String,
                    verdictColour: String?) -> String {
        var v = TerminalText.padded(verdict, toWidth: verdictWidth)
        if let verdictColour {
            v = verdictColour + verdict + "\u{1B}[0m" + String(repeating: " ", count: max(0, verdictWidth - verdict.count))
        }
        let line = TerminalText.padded(time, toWidth: timeWidth) + gap + v + gap
            + TerminalText.padded(trip, toWidth: tripWidth) + gap
            + TerminalText.padded(plate, toWidth: plateWidth) + gap
            + TerminalText.padded(drivers, toWidth: driversWidth) + gap
            + TerminalText.truncate(reasons, toWidth: reasonsWidth)
        return line.trimmingTrailingSpaces()
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
