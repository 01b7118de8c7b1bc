import Foundation
import XCTest
@testable import Systemd

final class JournalFieldTests: XCTestCase {
    static let validNames = ["MESSAGE", "A", "SG_RULE", "SG_RECORD_SHA256", "X_1", "A__", String(repeating: "N", count: 64)]
    static let invalidNames = [
        "", "sg_rule", "Sg_RULE", "SG-RULE", "SG RULE", "_PID", "__CURSOR", "1ST", "9",
        String(repeating: "N", count: 65), "SG_RÜLE", "SG=RULE", "SG\nRULE",
    ]

    func testNameRuleIsJournaldsRule() {
        for name in Self.validNames { XCTAssertTrue(JournalField.isValidName(name), name) }
        for name in Self.invalidNames { XCTAssertFalse(JournalField.isValidName(name), name) }
        // Trusted fields may be matched when reading, never sent.
        XCTAssertTrue(JournalField.isValidName("_UID", trusted: true))
        XCTAssertTrue(JournalField.isValidName("__CURSOR", trusted: true))
        XCTAssertFalse(JournalField.isValidName("_uid", trusted: true))
    }

    func testWellKnownFields() throws {
        let id = try XCTUnwrap(MessageID("00112233445566778899aabbccddeeff"))
        XCTAssertEqual(JournalField.messageID(id), JournalField("MESSAGE_ID", "00112233445566778899aabbccddeeff"))
        XCTAssertEqual(JournalField.message("司机 %s\n").value, Array("司机 %s\n".utf8))
        XCTAssertEqual(JournalField.syslogIdentifier("stationguard").name, "SYSLOG_IDENTIFIER")
        XCTAssertEqual(JournalField("X", bytes: [0xff]).text, nil)
    }

    /// An invalid name stops the program before anything is sent: each name is tried in a child
    /// run of this test binary (a trap cannot be caught in-process), which must die of the
    /// precondition with its message, and must not have sent anything.
    func testInvalidNameFailsPreconditionBeforeSending() throws {
        let binary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        for name in ["sg_rule", "_PID", "1ST", "SG-RULE"] {
            var environment = ProcessInfo.processInfo.environment
            environment["SG_TRAP_FIELD_NAME"] = name
            let child = try TestSupport.run(
                binary, ["SystemdTests.JournalFieldTests/testChildMakesField"], environment: environment)
            XCTAssertEqual(child.reason, .uncaughtSignal, "\(name): child was not stopped: \(child.output)")
            XCTAssertTrue(child.output.contains("invalid journal field name \"\(name)\""), child.output)
            XCTAssertFalse(child.output.contains("SENT"), child.output)
        }
    }

    /// Only meaningful as the child of the test above.
    func testChildMakesField() throws {
        guard let name = ProcessInfo.processInfo.environment["SG_TRAP_FIELD_NAME"] else {
            throw XCTSkip("runs only as the child of testInvalidNameFailsPreconditionBeforeSending")
        }
        // A socket file, so that only the name check can stop the send.
        let journal = Journal(socketPath: try JournalTests.staleSocket(), varlinkPath: "/", sendv: { _, _ in
            print("SENT")
            return 0
        })
        try journal.send([JournalField(name, "value")])
        XCTFail("JournalField accepted \"\(name)\"")
    }
}
