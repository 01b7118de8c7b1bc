// The kiosk side: submit writes tmp/, fsyncs, and renames into new/; nothing partial is ever seen.
import Foundation
import Glibc
import XCTest
@testable import Spool

final class SubmitTests: XCTestCase {
    func testSubmitShowsNewOnlyOneCompleteRename() throws {
        let fixture = try SpoolFixture()
        let watch = RawWatch(fixture.path("new"), mask: UInt32(IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB))
        let record = (0..<600_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try fixture.spool.submit(bytes: record, name: "K07-0001.json")

        let events = watch.drain()
        XCTAssertEqual(events.map(\.name), ["K07-0001.json"])
        XCTAssertEqual(events.map(\.mask), [UInt32(IN_MOVED_TO)], "new/ must see a rename and nothing else")
        XCTAssertEqual(FileManager.default.contents(atPath: fixture.path("new", "K07-0001.json")), Data(record))
        XCTAssertEqual(fixture.mode(fixture.path("new", "K07-0001.json")), 0o640)
        XCTAssertEqual(fixture.listing("tmp"), [])
    }

    func testAConcurrentReaderNeverSeesAPartialSubmission() throws {
        let fixture = try SpoolFixture()
        let size = 300_000
        let stop = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let partial = Shared<[String]>([]), looks = Shared(0)
        let folder = fixture.path("new")
        Thread.detachNewThread {
            while stop.wait(timeout: .now()) == .timedOut {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                    var status = stat()
                    if lstat(folder + "/" + name, &status) == 0 && status.st_size != size { partial.value.append(name) }
                }
                looks.value += 1
            }
            finished.signal()
        }
        for number in 1...20 {
            try fixture.spool.submit(bytes: [UInt8](repeating: UInt8(number), count: size), name: "R\(number).json")
        }
        stop.signal()
        finished.wait()
        XCTAssertEqual(partial.value, [])
        XCTAssertGreaterThan(looks.value, 0)
        XCTAssertEqual(fixture.listing("new").count, 20)
    }

    func testUnsafeNamesAreRefusedAndNothingIsWritten() throws {
        let fixture = try SpoolFixture()
        let names = ["../A.json", "a/b.json", ".A.json", "A.json.part", "A.txt", "-A.json", "A B.json", "站.json",
                     "", ".json", String(repeating: "a", count: 196) + ".json", "A.json\n"]
        for name in names {
            XCTAssertThrowsError(try fixture.spool.submit(bytes: Array("{}".utf8), name: name), name) { error in
                XCTAssertEqual((error as? SpoolError)?.reason, .malformedName, name)
            }
        }
        XCTAssertTrue(Spool.isSubmittableName(String(repeating: "a", count: 195) + ".json"))
        XCTAssertEqual(fixture.listing("tmp") + fixture.listing("new"), [])
        XCTAssertEqual(fixture.listing(".."), ["spool"])
    }

    func testASecondSubmissionOfAWaitingNameIsRefusedAndTheFirstKept() throws {
        let fixture = try SpoolFixture()
        try fixture.spool.submit(bytes: Array("first".utf8), name: "A.json")
        XCTAssertThrowsError(try fixture.spool.submit(bytes: Array("second".utf8), name: "A.json")) { error in
            XCTAssertEqual(error as? SpoolError, SpoolError(path: fixture.path("new", "A.json"), reason: .nameTaken))
        }
        XCTAssertEqual(fixture.contents(fixture.path("new", "A.json")), "first")
        XCTAssertEqual(fixture.listing("tmp"), [])
    }

    func testOversizeSubmissionIsRefused() throws {
        let fixture = try SpoolFixture(sizeLimit: 10)
        XCTAssertThrowsError(try fixture.spool.submit(bytes: [UInt8](repeating: 0, count: 11), name: "A.json")) { error in
            XCTAssertEqual((error as? SpoolError)?.reason, .tooLarge(size: 11, limit: 10))
            XCTAssertEqual("\(error)", "A.json: 11 bytes is over the spool's limit of 10 bytes")
        }
        XCTAssertEqual(fixture.listing("tmp") + fixture.listing("new"), [])
    }

    func testSubmittedRecordIsClaimedByteForByte() throws {
        let fixture = try SpoolFixture()
        let record = Array(#"{"kind":"departure","trip":"G1234"}"#.utf8)
        try fixture.spool.submit(bytes: record, name: "D.json")
        XCTAssertEqual(try fixture.spool.scan(), ["D.json"])
        XCTAssertEqual(bytes(of: try fixture.spool.claim("D.json")), record)
    }
}
