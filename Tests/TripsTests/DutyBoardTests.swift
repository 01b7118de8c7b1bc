// The duty board on an 80-column terminal: display width of Chinese text, cutting by width,
// and the board's layout (HOLD first, columns aligned, no line wider than 80).
import XCTest
import Rules
@testable import Trips

final class TerminalTextTests: XCTestCase {
    func testWidthCountsWideCharactersTwice() {
        let cases: [(String, Int)] = [
            ("", 0),
            ("G1203-20261001", 14),
            ("粤A12345", 8),
            ("驾驶员", 6),
            ("驾驶员D-000802未报到", 6 + 8 + 6),
            ("ＡＢ１", 6),               // full-width forms
            ("，。：", 6),               // CJK punctuation
            ("ｱｲ", 2),                  // half-width katakana stay narrow
            ("e\u{301}", 1),             // a combining accent takes no column
            ("a\u{200B}b", 2),           // zero-width space
            ("🚌", 2),
            ("…", 1),
            ("한국", 4),
            ("\u{1F}x", 1),              // a control character takes none
        ]
        for (text, width) in cases {
            XCTAssertEqual(TerminalText.width(text), width, "width of \(text.debugDescription)")
        }
    }

    func testTruncateCutsByWidthAndEndsWithAnEllipsis() {
        let cases: [(String, Int, String)] = [
            ("驾驶员D-000802未报到", 10, "驾驶员D-0…"),
            ("粤A驾驶员", 6, "粤A驾…"),
            // 驾 would straddle column 5: left out whole, the line ends one column short.
            ("粤A驾驶员", 5, "粤A…"),
            ("粤A12345", 8, "粤A12345"),
            ("粤A12345", 7, "粤A123…"),
            ("abc", 1, "…"),
            ("abc", 0, ""),
            ("e\u{301}e\u{301}e\u{301}", 2, "e\u{301}…"),
        ]
        for (text, columns, expected) in cases {
            let cut = TerminalText.truncate(text, toWidth: columns)
            XCTAssertEqual(cut, expected, "\(text) in \(columns) columns")
            XCTAssertLessThanOrEqual(TerminalText.width(cut), columns)
        }
    }

    func testPaddedIsExactlyTheWidthAsked() {
        for text in ["", "D-000731", "粤A12345", "驾驶员未做酒精检测", "安全例检不合格不出站"] {
            for columns in [1, 5, 9, 17] {
                XCTAssertEqual(TerminalText.width(TerminalText.padded(text, toWidth: columns)), columns, "\(text) in \(columns)")
            }
        }
    }
}

final class DutyBoardTests: XCTestCase {
    static func decision(_ trip: String, _ verdict: TripVerdict, at time: String, plate: String = "粤A12345",
                         drivers: [String] = ["D-000731", "D-000802"], reasons: [TripReason] = []) -> TripDecision {
        TripDecision(verdict: verdict, tripID: trip, plate: plate, departureRecordID: "gate-1:" + trip, drivers: drivers,
                     reasons: reasons, message: "", departureAt: "2026-10-01 " + time, basis: [])
    }

    static let day: [TripDecision] = [
        decision("G1203-20261001", .release, at: "07:31"),
        decision("G1207-20261001", .hold, at: "14:00", reasons: [
            TripReason(rule: "VEH-001", action: "HOLD", message: "粤A12345 安全例检不合格：制动系统检查未通过，不得出站（安全例检不合格不出站）"),
            TripReason(rule: "DEP-007", action: "HOLD", message: "驾驶员 D-000802 当日未做出车前检查"),
        ]),
        decision("K88-20261001-LONGTRIPID", .hold, at: "06:05", plate: "粤AD12345",
                 drivers: ["D-000731", "D-000802", "D-000999"], reasons: [
            TripReason(rule: "DEP-001", action: "HOLD", message: "超员：核定49座，实载51人\n（超载客车不出站）"),
            TripReason(rule: "LUG-001", action: "HOLD", message: "行李 3 件未安检"),
            TripReason(rule: "DOC-011-DEPARTURE", action: "HOLD", message: "例检合格通知单已超过24小时"),
            TripReason(rule: "DEP-014", action: "WARN", message: "装载行李多于安检"),
        ]),
        decision("G1301-20261001", .release, at: "09:15", plate: "湘B0F123", drivers: ["D-000900"], reasons: [
            TripReason(rule: "DEP-014", action: "WARN", message: "提醒"),
        ]),
    ]

    func testHeldTripsComeFirstThenByDepartureTime() {
        let board = DutyBoard(day: "2026-10-01", station: "GZ-SYZ-01", decisions: DutyBoardTests.day)
        XCTAssertEqual(board.ordered.map(\.tripID),
                       ["K88-20261001-LONGTRIPID", "G1207-20261001", "G1203-20261001", "G1301-20261001"])
    }

    func testEveryLineFitsEightyColumnsAndColumnsLineUp() {
        let lines = DutyBoard(day: "2026-10-01", station: "广州市汽车客运站-GZ-SYZ-01", decisions: DutyBoardTests.day)
            .lines(updated: "14:02:05")
        for line in lines {
            XCTAssertLessThanOrEqual(TerminalText.width(line), 80, line)
            XCTAssertFalse(line.hasSuffix(" "), "trailing space: \(line)")
        }
        XCTAssertTrue(lines[0].hasSuffix("updated 14:02:05"), lines[0])
        XCTAssertEqual(TerminalText.width(lines[0]), 80, lines[0])
        XCTAssertEqual(lines[1], "TIME   VERDICT  TRIP             PLATE      DRIVERS            REASONS")
        // Each trip line: the plate starts at column 33 and the drivers at 44 (from 0) whatever the plate's script.
        let tripLines = lines.filter { $0.contains("20261001") && !$0.hasPrefix(" ") }
        XCTAssertEqual(tripLines.count, 4)
        for line in tripLines {
            let plate = line.range(of: "粤") ?? line.range(of: "湘")!
            XCTAssertEqual(TerminalText.width(String(line[..<plate.lowerBound])), 33, line)
            let drivers = line.range(of: "D-000")!
            XCTAssertEqual(TerminalText.width(String(line[..<drivers.lowerBound])), 44, line)
        }
        XCTAssertEqual(lines, [
            "2026-10-01  4 trips: 2 HOLD, 2 RELEASE  广州市汽车客运站-GZ-S…  updated 14:02:05",
            "TIME   VERDICT  TRIP             PLATE      DRIVERS            REASONS",
            "06:05  HOLD     K88-20261001-L…  粤AD12345  D-000731 D-00080…  DEP-001 LUG-001 …",
            "       DEP-001 超员：核定49座，实载51人\\n（超载客车不出站） (+3 more)",   // JournalText.clean escapes the newline
            "14:00  HOLD     G1207-20261001   粤A12345   D-000731 D-000802  VEH-001 DEP-007",
            "       VEH-001 粤A12345 安全例检不合格：制动系统检查未通过，不得出站… (+1 more)",
            "07:31  RELEASE  G1203-20261001   粤A12345   D-000731 D-000802",
            "09:15  RELEASE  G1301-20261001   湘B0F123   D-000900           DEP-014",
        ])
    }

    func testColourOnlyWrapsTheVerdict() {
        let board = DutyBoard(day: "2026-10-01", station: nil, decisions: DutyBoardTests.day)
        let plain = board.lines()
        let coloured = board.lines(colour: true)
        XCTAssertFalse(plain.joined().contains("\u{1B}"))
        XCTAssertTrue(coloured[2].contains("\u{1B}[1;31mHOLD\u{1B}[0m"), coloured[2])
        XCTAssertTrue(coloured[6].contains("\u{1B}[32mRELEASE\u{1B}[0m"), coloured[6])
        let stripped = coloured.map { $0.replacingOccurrences(of: "\u{1B}[1;31m", with: "")
            .replacingOccurrences(of: "\u{1B}[32m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: "") }
        XCTAssertEqual(stripped, plain)
    }

    /// The row names the trip and the bus already; the reason line spends its room on the reason.
    func testTheReasonLineLeavesOutTheTripAndBusTheRowNames() {
        let d = DutyBoardTests.decision("G1207-20261001", .hold, at: "09:00", plate: "粤A66881", reasons: [
            TripReason(rule: "DEP-007", action: "HOLD",
                       message: "班次 G1207-20261001 车辆 粤A66881 人车联检未通过：驾驶员 D-000915 无报班检查记录。"),
        ])
        XCTAssertEqual(DutyBoard(day: "2026-10-01", station: nil, decisions: [d]).lines()[3],
                       "       DEP-007 人车联检未通过：驾驶员 D-000915 无报班检查记录。")
    }

    /// TIME is the timetable's: a bus that left 40 minutes late is still listed at 07:30, and
    /// before the 07:45 trip.
    func testTimeIsTheScheduledDepartureAndOrdersTheRows() {
        var late = DutyBoardTests.decision("G1203-20261001", .release, at: "08:10")
        late.scheduledAt = "2026-10-01 07:30"
        var onTime = DutyBoardTests.decision("G1205-20261001", .release, at: "07:45", plate: "粤A54321")
        onTime.scheduledAt = "2026-10-01 07:45"
        let lines = DutyBoard(day: "2026-10-01", station: nil, decisions: [onTime, late]).lines()
        let rows = lines.filter { $0.contains("-20261001") }
        XCTAssertEqual(rows.count, 2, lines.joined(separator: "\n"))
        XCTAssertTrue(rows[0].hasPrefix("07:30  RELEASE  G1203-20261001"), rows[0])
        XCTAssertTrue(rows[1].hasPrefix("07:45  RELEASE  G1205-20261001"), rows[1])
    }

    func testAnEmptyDaySaysSo() {
        XCTAssertEqual(DutyBoard(day: "2026-10-02", station: nil, decisions: []).lines(),
                       ["2026-10-02  0 trips: 0 HOLD, 0 RELEASE", "no trip departs on 2026-10-02 (no departure record in the store)"])
    }
}

final class TerminalWrapTests: XCTestCase {
    func testChineseBreaksBetweenCharactersAndEveryLineFits() {
        let text = "DEP-007 HOLD: 班次 G1207-20261001 车辆 粤A66881 人车联检未通过：例检合格；驾驶员 D-000915 无 2026-10-01 发车前的报班检查记录。扣车，例检和报班检查合格后方可出站。"
        let lines = TerminalText.wrap(text, columns: 40, first: "    ", rest: "      ")
        XCTAssertGreaterThan(lines.count, 2)
        for l in lines { XCTAssertLessThanOrEqual(TerminalText.width(l), 40, l) }
        XCTAssertTrue(lines[0].hasPrefix("    DEP-007"), lines[0])
        for l in lines.dropFirst() { XCTAssertTrue(l.hasPrefix("      ") && !l.hasPrefix("       "), "hanging indent: \(l)") }
        // Nothing lost: the text comes back when the indents are taken off and the lines joined.
        let joined = lines.enumerated().map { $0.offset == 0 ? String($0.element.dropFirst(4)) : String($0.element.dropFirst(6)) }
        XCTAssertEqual(joined.joined().replacingOccurrences(of: " ", with: ""), text.replacingOccurrences(of: " ", with: ""))
    }

    func testLatinTextBreaksAtSpacesAndSplitsOnlyAWordLongerThanALine() {
        let lines = TerminalText.wrap("the quick brown fox jumps over the lazy dog", columns: 12, first: "", rest: "  ")
        XCTAssertEqual(lines, ["the quick", "  brown fox", "  jumps over", "  the lazy", "  dog"])
        XCTAssertEqual(TerminalText.wrap("abcdefghijklmnop", columns: 6, first: "", rest: ""), ["abcdef", "ghijkl", "mnop"])
        XCTAssertEqual(TerminalText.wrap("short", columns: 80, first: "  ", rest: "    "), ["  short"])
    }
}

final class StoredDecisionTests: XCTestCase {
    /// The store writes decisions by hand; JSONDecoder must read back exactly what was decided,
    /// whatever the text holds (quotes, backslashes, control characters, Chinese, emoji).
    func testStoredJSONReadsBackAsTheSameDecision() throws {
        let awkward = "班次 \"G1\" \\ 粤A·12345\n\t\u{1}\u{7F} 🚌 end"
        var decisions = [
            TripDecision(verdict: .hold, tripID: awkward, plate: nil, departureRecordID: "gate-1:\"x\"", drivers: [],
                         reasons: [], message: "", departureAt: "2026-10-01 07:31", basis: []),
            TripDecision(verdict: .release, tripID: "G1203-20261001", plate: "粤A12345", departureRecordID: "gate-1:20261001:000093",
                         drivers: ["D-000731", awkward],
                         reasons: [TripReason(rule: "DEP-007", action: "HOLD", message: awkward),
                                   TripReason(rule: "DEP-014", action: "WARN", message: "")],
                         message: awkward, departureAt: "2026-10-01 07:31",
                         basis: [TripBasis(kind: "vehicle", recordID: awkward, recordedAt: "2026-10-01 06:42", passed: true),
                                 TripBasis(kind: "driver", recordID: "d", recordedAt: "2026-10-01 06:31", passed: false)],
                         scheduledAt: "2026-10-01 07:30"),
        ]
        decisions.append(DutyBoardTests.day[1])
        for d in decisions {
            let back = try JSONDecoder().decode(TripDecision.self, from: Data(d.storedJSON.utf8))
            XCTAssertEqual(back, d, d.storedJSON)
            // And as Foundation's encoder would have stored it (decisions stored before).
            let old = try JSONDecoder().decode(TripDecision.self, from: JSONEncoder().encode(d))
            XCTAssertEqual(old, back)
        }
    }
}
