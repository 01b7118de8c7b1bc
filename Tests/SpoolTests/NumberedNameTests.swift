// Numbered names (issue 9, finding 5): the 10,000th reuse of one name in a day used to find "no
// free numbered name" after 9,999 renames that failed; now the search remembers the last
// number used (one rename per clash) and, without that memory (a restart), gallops.
import Foundation
import XCTest
@testable import Spool

final class NumberedNameTests: XCTestCase {
    func testTenThousandAndOneCopiesOfOneName() throws {
        let fixture = try SpoolFixture()
        // A day folder already holding A.json … A~10000.json (as after a restart).
        let day = fixture.path("done", "2026-03-29")
        XCTAssertEqual(mkdir(day, 0o750), 0)
        for n in 1...10_000 { _ = fixture.put("done", "2026-03-29/" + Spool.numbered("A.json", n), "old") }
        // A fresh Spool value: no memory of numbers used; the search gallops past them.
        let spool = try Spool(root: fixture.root)
        for copy in 1...3 {
            fixture.put("new", "A.json", "copy \(copy)")
            let claimed = try XCTUnwrap(try spool.claim("A.json"))
            try spool.settle(claimed, verdict: .done(date: "2026-03-29"))
        }
        let names = Set(fixture.listing("done/2026-03-29"))
        XCTAssertEqual(names.count, 10_003)
        // 1, 2, 3, 5, 9, …, 16385 is the first free number after the galloping; then one more each.
        XCTAssertTrue(names.isSuperset(of: ["A~16385.json", "A~16386.json", "A~16387.json"]), "\(names.subtracting((1...10_000).map { Spool.numbered("A.json", $0) }))")
        XCTAssertEqual(spool.numberedNames.next(in: day, name: "A.json"), 16_388)
        print("tried: 3 copies of A.json into a day folder holding A.json … A~10000.json: settled as A~16385 … A~16387")
    }

    func testANameNearTheLimitStillGetsNumberedAndItsReason() throws {
        let fixture = try SpoolFixture()
        let long = String(repeating: "é", count: 125) + ".json"  // 255 bytes: the longest name
        var spool = fixture.spool
        spool.nameInReason = { "<" + $0 + ">" }
        for copy in 1...2 {
            fixture.put("new", long, "copy \(copy)")
            let claimed = try XCTUnwrap(try spool.claim(long))
            try spool.settle(claimed, verdict: .quarantine(reason: "reason \(copy)"))
        }
        let listing = fixture.listing("quarantine")
        XCTAssertEqual(listing.count, 4, "\(listing)")
        let second = Spool.numbered(long, 2)
        XCTAssertLessThanOrEqual(second.utf8.count, 255)
        XCTAssertTrue(listing.contains(long) && listing.contains(second))
        let reasons = listing.filter { $0.hasPrefix("long-name-") }
        XCTAssertEqual(reasons.count, 2)
        let texts = Set(reasons.compactMap { fixture.contents(fixture.path("quarantine", $0)) })
        XCTAssertEqual(texts, ["record: <\(long)> (its name is too long for NAME.reason)\nreason 1\n",
                               "record: <\(second)> (its name is too long for NAME.reason)\nreason 2\n"])
    }
}
