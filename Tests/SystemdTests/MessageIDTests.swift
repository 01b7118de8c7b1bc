import XCTest
@testable import Systemd

final class MessageIDTests: XCTestCase {
    func testParsesAndFormatsTheSameText() throws {
        let text = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
        let id = try XCTUnwrap(MessageID(text))
        XCTAssertEqual(id.bytes, [0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78,
                                  0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0])
        XCTAssertEqual(id.description, text)
        XCTAssertEqual(MessageID(bytes: id.bytes), id)
    }

    func testRandomIDsRoundTripAndDiffer() throws {
        var seen = Set<MessageID>()
        for _ in 0..<100 {
            let id = try MessageID.random()
            XCTAssertEqual(MessageID(id.description), id)
            XCTAssertEqual(id.description.count, 32)
            seen.insert(id)
        }
        XCTAssertEqual(seen.count, 100)
    }

    func testRefusesEverythingButThirtyTwoLowerCaseHexDigits() {
        let refused = [
            "",
            "0f1e2d3c4b5a69788796a5b4c3d2e1f",  // 31 digits
            "0f1e2d3c4b5a69788796a5b4c3d2e1f00",  // 33 digits
            "0F1E2D3C4B5A69788796A5B4C3D2E1F0",  // upper case
            "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",  // UUID form
            " 0f1e2d3c4b5a69788796a5b4c3d2e1f",  // blank
            "0f1e2d3c4b5a69788796a5b4c3d2e1fg",  // not hex
            "0f1e2d3c4b5a69788796a5b4c3d2e1é",  // 32 bytes, not ASCII
        ]
        for text in refused {
            XCTAssertNil(MessageID(text), "accepted \"\(text)\"")
        }
        XCTAssertNil(MessageID(bytes: Array(repeating: 0, count: 15)))
    }

    func testPriorityNamesAndSyslogLevels() {
        XCTAssertEqual(JournalPriority.allCases.map(\.rawValue), [2, 3, 4, 5, 6])
        XCTAssertEqual(JournalPriority.allCases.map(\.name), ["critical", "error", "warning", "notice", "info"])
        for priority in JournalPriority.allCases {
            XCTAssertEqual(JournalPriority(name: priority.name), priority)
        }
        XCTAssertNil(JournalPriority(name: "Critical"))
        XCTAssertNil(JournalPriority(name: "debug"))
        XCTAssertLessThan(JournalPriority.critical, JournalPriority.info)
        XCTAssertEqual(JournalField.priority(.warning).value, Array("4".utf8))
    }
}
