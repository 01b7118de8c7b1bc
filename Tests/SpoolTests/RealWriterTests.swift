// Real writers into new/: rsync's dot-temp + rename, and `rsync --partial` cut short.
// The spool does not judge content; these tests play the daemon's verdicts by hand.
import Foundation
import Glibc
import XCTest
@testable import Spool

final class RealWriterTests: XCTestCase {
    private let rsync = "/usr/bin/rsync"

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: rsync) else { throw XCTSkip("no rsync at \(rsync)") }
    }

    func testRsyncDotTempIsIgnoredUntilRenamed() throws {
        let fixture = try SpoolFixture()
        let source = fixture.base + "/A.json"
        XCTAssertTrue(FileManager.default.createFile(atPath: source, contents: Data(repeating: 0x41, count: 300_000)))
        let raw = RawWatch(fixture.path("new"), mask: UInt32(IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE))
        let watcher = try SpoolWatcher(spool: fixture.spool)

        XCTAssertEqual(try run([source, fixture.path("new") + "/"]), 0)

        let created = raw.drain().filter { $0.mask & UInt32(IN_CREATE) != 0 }.map(\.name)
        XCTAssertEqual(created.count, 1)
        XCTAssertTrue(created.first?.hasPrefix(".A.json.") ?? false, "rsync wrote a dot-temp file first: \(created)")
        XCTAssertEqual(try watcher.wait(timeout: 5), .names(["A.json"]), "only the final name is a hint")
        XCTAssertEqual(try watcher.wait(timeout: 0.2), .timeout)
        XCTAssertEqual(try fixture.spool.scan(), ["A.json"])
        XCTAssertEqual(bytes(of: try fixture.spool.claim("A.json"))?.count, 300_000)
    }

    func testCutShortPartialCopyAndTheLaterCompleteCopyAreBothHandled() throws {
        let fixture = try SpoolFixture()
        let source = fixture.base + "/T.json"
        let complete = Data((0..<600_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        XCTAssertTrue(FileManager.default.createFile(atPath: source, contents: complete))

        // A slow copy, interrupted once rsync has written something: --partial keeps it under the final name.
        let slow = Process()
        slow.executableURL = URL(fileURLWithPath: rsync)
        slow.arguments = ["--partial", "--bwlimit=100", source, fixture.path("new") + "/"]
        slow.standardError = FileHandle.nullDevice  // its "received SIGTERM" complaint is expected
        try slow.run()
        var started = false
        for _ in 0..<200 where !started {
            Thread.sleep(forTimeInterval: 0.05)
            started = fixture.listing("new").contains { name in
                name.hasPrefix(".T.json.") && ((try? FileManager.default.attributesOfItem(atPath: fixture.path("new", name))[.size] as? Int) ?? 0) > 0
            }
        }
        XCTAssertTrue(started, "rsync never started writing")
        slow.terminate()
        slow.waitUntilExit()
        XCTAssertNotEqual(slow.terminationStatus, 0)

        XCTAssertEqual(try fixture.spool.scan(), ["T.json"])
        let truncated = try fixture.spool.claim("T.json")
        let truncatedCount = try XCTUnwrap(bytes(of: truncated)?.count)
        XCTAssertGreaterThan(truncatedCount, 0)
        XCTAssertLessThan(truncatedCount, complete.count)
        // The daemon's verdict (Records rejects the cut-off JSON):
        try fixture.spool.settle(try XCTUnwrap(truncated), verdict: .quarantine(reason: "T.json:1:131073: unexpected end of input"))

        // The kiosk tries again; this time the copy completes.
        XCTAssertEqual(try run([source, fixture.path("new") + "/"]), 0)
        XCTAssertEqual(try fixture.spool.scan(), ["T.json"])
        let whole = try fixture.spool.claim("T.json")
        XCTAssertEqual(bytes(of: whole).map { Data($0) }, complete)
        let filed = try fixture.spool.settle(try XCTUnwrap(whole), verdict: .done(date: "2026-03-29"))

        XCTAssertEqual(filed, fixture.path("done", "2026-03-29/T.json"))
        XCTAssertEqual(fixture.listing("quarantine"), ["T.json", "T.json.reason"])
        let quarantined = try FileManager.default.attributesOfItem(atPath: fixture.path("quarantine", "T.json"))[.size] as? Int
        XCTAssertEqual(quarantined, truncatedCount, "the quarantined part is kept as it was")
        XCTAssertEqual(fixture.listing("new") + fixture.listing("cur"), [])
    }

    func testTwoRejectedCopiesOfOneNameAreBothKept() throws {
        let fixture = try SpoolFixture()
        let source = fixture.base + "/U.json"
        for attempt in 1...2 {
            XCTAssertTrue(FileManager.default.createFile(atPath: source, contents: Data("{\"attempt\":\(attempt)".utf8)))
            XCTAssertEqual(try run([source, fixture.path("new") + "/"]), 0)
            let claimed = try XCTUnwrap(try fixture.spool.claim("U.json"))
            try fixture.spool.settle(claimed, verdict: .quarantine(reason: "attempt \(attempt): unexpected end of input"))
        }
        XCTAssertEqual(fixture.listing("quarantine"), ["U.json", "U.json.reason", "U~2.json", "U~2.json.reason"])
        XCTAssertEqual(fixture.contents(fixture.path("quarantine", "U~2.json")), "{\"attempt\":2")
        XCTAssertEqual(fixture.contents(fixture.path("quarantine", "U~2.json.reason")), "attempt 2: unexpected end of input\n")
    }

    private func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: rsync)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
