// Against the real journald: what we send is what is stored, byte for byte.
import Foundation
import XCTest
@testable import Systemd

final class JournalRoundTripTests: XCTestCase {
    override func setUpWithError() throws { try TestSupport.requireJournald() }

    func testOddValuesReadBackExactly() throws {
        let tag = TestSupport.uniqueTag()
        let values: [(String, [UInt8])] = [
            ("newlines", Array("第一行\n第二行\n\n".utf8)),
            ("chinese", Array("车辆 京A·12345 超员：核载 45 人，实载 52 人。请勿发车。".utf8)),
            ("format", Array("%s%n%d %%s {0} $(x) `y`".utf8)),
            ("empty", []),
            ("nul", [0x61, 0x00, 0x62]),
            ("invalid-utf8", [0xff, 0xfe, 0x41]),
            ("long", Array(String(repeating: "长", count: 40_000).utf8)),  // 120,000 bytes, above libsystemd's datagram size
            ("equals", Array("A=B=C".utf8)),
        ]
        for (index, (_, value)) in values.enumerated() {
            try Journal().send([
                .message("round trip \(index)"), .priority(.notice), .syslogIdentifier("stationguard-test"),
                JournalField("SG_TEST_RUN", tag), JournalField("SG_TEST_INDEX", String(index)),
                JournalField("SG_VALUE", bytes: value),
            ])
        }
        let entries = try TestSupport.readBack(tag: tag)
        XCTAssertEqual(entries.count, values.count)
        for entry in entries {
            let index = try XCTUnwrap(Int(XCTUnwrap(entry["SG_TEST_INDEX"])))
            let (label, value) = values[index]
            XCTAssertEqual(entry.values(of: "SG_VALUE"), [value], label)
            XCTAssertEqual(entry["PRIORITY"], "5")
            XCTAssertEqual(entry["MESSAGE"], "round trip \(index)")
            XCTAssertEqual(entry["SYSLOG_IDENTIFIER"], "stationguard-test")
        }
    }

    /// Our name check and journald's agree: journald stores exactly the names we accept.
    func testJournaldStoresExactlyTheNamesWeAccept() throws {
        let tag = TestSupport.uniqueTag()
        let names = JournalFieldTests.validNames + JournalFieldTests.invalidNames.filter {
            !$0.isEmpty && !$0.contains("=") && !$0.contains("\n")  // these cannot be encoded as one field at all
        }
        var fields = [JournalField.message("names"), JournalField("SG_TEST_RUN", tag)]
        fields += names.map { JournalField(unchecked: $0, bytes: Array("v".utf8)) }
        try Journal().send(fields)
        let entry = try XCTUnwrap(TestSupport.readBack(tag: tag).first)
        for name in names {
            let stored = entry.fields.contains { $0.name == name && $0.value == Array("v".utf8) }
            XCTAssertEqual(stored, JournalField.isValidName(name), "\(name): stored \(stored)")
        }
    }

    /// The daemon's question after a restart: which of this record's alerts are stored already?
    func testFindsStoredAlertsOfOneRecord() throws {
        let tag = TestSupport.uniqueTag()
        let record = "REC-\(tag.prefix(8))"
        for (recordID, rule) in [(record, "DEP-001"), (record, "DRV-003"), ("OTHER-\(tag.prefix(6))", "DEP-001")] {
            try Journal().send([.message("alert"), JournalField("SG_TEST_RUN", tag),
                                JournalField("SG_RECORD_ID", recordID), JournalField("SG_RULE", rule)])
        }
        try Journal().synchronize()
        let reader = try JournalReader()
        try reader.addMatch("SG_RECORD_ID", record)
        try reader.addMatch("SG_TEST_RUN", tag)
        try reader.addMatch("_UID", String(getuid()))  // only entries we sent (journald sets _UID)
        try reader.seekHead()
        let rules = Set(try reader.readToEnd().compactMap { $0["SG_RULE"] })
        XCTAssertEqual(rules, ["DEP-001", "DRV-003"])
    }

    func testSeekTailCursorAndAfter() throws {
        let tag = TestSupport.uniqueTag()
        for index in 0..<3 {
            try Journal().send([.message("seek \(index)"), JournalField("SG_TEST_RUN", tag)])
        }
        try Journal().synchronize()
        let reader = try JournalReader()
        try reader.addMatch("SG_TEST_RUN", tag)
        try reader.seekTail()
        XCTAssertNil(try reader.next(), "nothing after the tail")
        let last = try XCTUnwrap(reader.previous())
        XCTAssertEqual(last["MESSAGE"], "seek 2")
        try reader.seekHead()
        XCTAssertNil(try reader.previous(), "nothing before the head")
        let first = try XCTUnwrap(reader.next())
        XCTAssertEqual(first["MESSAGE"], "seek 0")
        XCTAssertNil(try reader.previous(), "nothing before the oldest")
        XCTAssertEqual(try reader.next()?["MESSAGE"], "seek 0", "running off the start turns back onto the oldest")
        try reader.seek(cursor: first.cursor)
        XCTAssertEqual(try reader.next()?["MESSAGE"], "seek 0")
        try reader.seek(after: first.cursor)
        XCTAssertEqual(try reader.readToEnd().map { $0["MESSAGE"] }, ["seek 1", "seek 2"])
        try reader.seek(after: last.cursor)
        XCTAssertNil(try reader.next())
    }

    func testDirectoryReaderAndMissingDirectory() throws {
        XCTAssertThrowsError(try JournalReader(directory: "/nonexistent/journal")) { error in
            guard case .some(.failed(function: "sd_journal_open_directory", _)) = error as? JournalError else {
                return XCTFail("unexpected \(error)")
            }
        }
    }
}
