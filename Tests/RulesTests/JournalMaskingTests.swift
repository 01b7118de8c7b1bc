// National ID numbers never leave unmasked (interfaces.md §2): JournalText.mask, and every
// journal field of an Alert (which `check --format json` prints) on a record that carries an
// ID in its envelope.
import Foundation
import XCTest
import Records
@testable import Rules

final class JournalMaskingTests: XCTestCase {
    static let id = "440106198503124219"

    // MARK: - JournalText.mask

    func testMaskCases() {
        let cases: [(in: String, out: String)] = [
            // Whole tokens: 18 digits, 17 digits + X/x, 15 digits.
            ("440106198503124219", "440106********4219"),
            ("证 44010619850312421X。", "证 440106********421X。"),
            ("44010619850312421x", "440106********421x"),
            ("old 440106850312421 card", "old 440106*****2421 card"),
            // Inside longer tokens: letters, punctuation, underscores around it.
            ("K440106198503124219", "K440106********4219"),
            ("drv:440106198503124219", "drv:440106********4219"),
            ("440106198503124219.json", "440106********4219.json"),
            ("ID440106198503124219abc", "ID440106********4219abc"),
            ("a_44010619850312421Xb", "a_440106********421Xb"),
            ("身份证440106198503124219号", "身份证440106********4219号"),
            // Inside longer digit runs: the whole run is masked (first 6 / last 4 of the run).
            ("12440106198503124219", "124401**********4219"),
            ("44010619850312421934", "440106**********1934"),
            ("4401061985031242190", "440106*********2190"),
            ("1244010619850312421X", "124401**********421X"),
            ("4401068503124211", "440106******4211"),
            // 17 digits without X: not an 18-character ID, but it holds a 15-digit one.
            ("44010619850312421", "440106*******2421"),
            // Full-width digits and an invisible character inside the number.
            ("４４０１０６１９８５０３１２４２１９", "４４０１０６********４２１９"),
            ("440106\u{200B}198503124219", "440106********4219"),
            ("44010619850312421\u{200B}X", "440106********421X"),
        ]
        for c in cases {
            XCTAssertEqual(JournalText.mask(c.in), c.out, c.in)
        }
    }

    func testOrdinaryNumbersAreLeftAlone() {
        for s in ["G1203-20261001", "粤A12345", "kiosk-01:20261001:000402", "kiosk-01-000402.json",
                  "44010619850312", "13800138000", "2026-10-01T06:31:00+08:00", "AJ0456", "D-000731",
                  "44010619850312X", "2026-10-01 06:31:00", "138-1234-5678", "0.12 mg/L", ""] {
            XCTAssertEqual(JournalText.mask(s), s)
        }
    }

    /// Finding 4: IDs written with separators between digit groups (spaces, hyphens, dots,
    /// underscores, control characters, full-width forms) are masked; groups joined by `:`
    /// are not (record ids such as `kiosk-01:20261001:000402`).
    func testIDsWithSeparatorsAreMasked() {
        let cases: [(in: String, out: String)] = [
            ("110105 19491231 002X", "110105********002X"),
            ("110105-1949-1231-002X", "110105********002X"),
            ("110105.19491231.002X", "110105********002X"),
            ("id 110105_19491231_002X ok", "id 110105********002X ok"),
            ("110105  1949  1231  002 X", "110105********002X"),
            ("1101051949\u{7}1231002X", "110105********002X"),
            ("１１０１０５　１９４９１２３１　００２Ｘ", "１１０１０５********００２Ｘ"),
            ("4401 0619 8503 1242 19", "440106********4219"),
            // A timestamp-like id of 20 digits with a hyphen: masked (the safe side).
            ("20261001093000-000402", "202610**********0402"),
            // A group long enough on its own is masked alone; the short numbers beside it stay,
            // so record ids that differ only there stay apart (KillTests keys on them).
            ("IT-kill-abcd1234-3-12-440106198503124219", "IT-kill-abcd1234-3-12-440106********4219"),
            ("440106198503124219-7 x", "440106********4219-7 x"),
            ("44010619850312421 X", "440106*******2421 X"),
        ]
        for c in cases { XCTAssertEqual(JournalText.mask(c.in), c.out, c.in) }
        XCTAssertEqual(JournalText.mask("kiosk-01:20261001:000402"), "kiosk-01:20261001:000402")
    }

    /// Finding 3: control characters, line breaks, bidi overrides and invalid UTF-8 come out
    /// as visible escapes; cleaning twice changes nothing.
    func testCleanEscapesAndIsIdempotent() {
        let cases: [(in: String, out: String)] = [
            ("a.json\n<0>stationguard: DRV-011 HOLD lifted", "a.json\\n<0>stationguard: DRV-011 HOLD lifted"),
            ("\u{1B}[31mred\u{7}", "\\x1b[31mred\\x07"),
            ("tab\there\r", "tab\\there\\r"),
            ("\u{202E}fdp.exe", "\\u202efdp.exe"),
            ("\u{85}x\u{2028}", "\\x85x\\u2028"),
            ("证 440106198503124219\n", "证 440106********4219\\n"),
            ("站 粤A12345 ok", "站 粤A12345 ok"),
        ]
        for c in cases {
            XCTAssertEqual(JournalText.clean(c.in), c.out, c.in)
            XCTAssertEqual(JournalText.clean(JournalText.clean(c.in)), c.out, c.in)
        }
        XCTAssertEqual(JournalText.clean(nameBytes: Array("ok-".utf8) + [0xFF, 0xC3] + Array(".json".utf8)), "ok-\\xff\\xc3.json")
        XCTAssertEqual(JournalText.clean(nameBytes: Array("站台.json".utf8)), "站台.json")
        // The cut comes after masking: 40 characters of a long text never show 14 ID digits.
        let long = String(repeating: "x", count: 26) + "11010519491231002X"
        XCTAssertEqual(JournalText.clean(long, limit: 40), String(repeating: "x", count: 26) + "110105********…")
    }

    func testMaskNeverShowsMoreThanSixAndFourOfAnyIDInside() {
        // Any ID at any offset inside a digit run, with letters or digits around it: the
        // masked text contains no 7-character prefix and no 5-character suffix of the ID.
        let ids = [Self.id, "44010619850312421X", "440106850312421"]
        for id in ids {
            for before in ["", "A", "K9", "12", "7777777"] {
                for after in ["", "z", "3", "01", "X", "9999999"] {
                    let masked = JournalText.mask(before + id + after)
                    XCTAssertFalse(masked.contains(String(id.prefix(7))), "\(before)|\(id)|\(after) → \(masked)")
                    XCTAssertFalse(masked.contains(String(id.suffix(5))), "\(before)|\(id)|\(after) → \(masked)")
                    XCTAssertTrue(masked.contains("*"), masked)
                }
            }
        }
    }

    func testMaskIsIdempotent() {
        for s in ["drv:440106198503124219", "K44010619850312421X", "12440106198503124219", "440106850312421"] {
            let once = JournalText.mask(s)
            XCTAssertNotEqual(once, s)
            XCTAssertEqual(JournalText.mask(once), once)
        }
    }

    // MARK: - The reproduction: an ID in every envelope field, through the shipped rules

    func testEveryJournalFieldIsMaskedForARecordFullOfIDs() throws {
        let example = RuleCatalogTests.repository.appendingPathComponent("docs/examples/driver-alcohol.json")
        let json = try String(contentsOf: example, encoding: .utf8)
        let r = try record(json, ["record_id": .string("drv:" + Self.id), "officer_id": .string(Self.id),
                                  "driver_id": .string(Self.id), "kiosk_id": .string("K" + Self.id)],
                           file: Self.id + ".json")
        let generation = try loadRules([RuleCatalogTests.shippedRules])
        let alerts = generation.evaluate(r)
        XCTAssertFalse(alerts.isEmpty, "the alcohol example must fire")
        for a in alerts {
            let f = Dictionary(uniqueKeysWithValues: a.journalFields.map { ($0.name, $0.value) })
            XCTAssertEqual(f["SG_RECORD_ID"], "drv:440106********4219")
            XCTAssertEqual(f["SG_KIOSK"], "K440106********4219")
            XCTAssertEqual(f["SG_OFFICER"], "440106********4219")
            XCTAssertEqual(f["SG_SPOOL_FILE"], "440106********4219.json")
            XCTAssertEqual(f["SG_TRIP"], "G1203-20261001", "short numbers stay")
            XCTAssertEqual(f["SG_PLATE"], "粤A12345")
            XCTAssertEqual(f["SG_RECORD_SHA256"], r.sha256, "the digest is never altered")
            XCTAssertEqual(f["SG_RULES_VERSION"], generation.version)
            // No record or rule text shows more than the first 6 / last 4 (the digests are hex of
            // our own making and may hold any digits).
            for (name, value) in a.journalFields where !["MESSAGE_ID", "SG_RECORD_SHA256", "SG_RULES_VERSION"].contains(name) {
                XCTAssertFalse(value.contains("4401061") || value.contains("24219"), "\(a.rule) \(name)=\(value)")
            }
            // check --format json prints the same values under lower-case keys, nothing more.
            XCTAssertEqual(a.jsonFields.map(\.value), a.journalFields.map(\.value))
            XCTAssertEqual(a.jsonFields.map(\.key), a.journalFields.map { f in
                (f.name.hasPrefix("SG_") ? String(f.name.dropFirst(3)) : f.name).lowercased()
            })
            XCTAssertFalse(a.jsonLine.contains(Self.id), a.jsonLine)
            XCTAssertFalse(a.jsonLine.contains("review_reason"), a.jsonLine)
            // The value the daemon's recovery look-up must use is exactly what is written.
            XCTAssertEqual(a.journalRecordID, f["SG_RECORD_ID"])
            XCTAssertEqual(a.journalRule, f["SG_RULE"])
        }
    }

    func testReviewAlertJSONHasNoFieldBeyondTheJournal() throws {
        let s = Scratch()
        s.write("v/edge.yaml", Fixtures.dynResultRuleSet)
        let g = try loadRules([s.path("v")])
        let a = try XCTUnwrap(g.evaluate(try record(Fixtures.driver)).first)
        XCTAssertEqual(a.action, .review)
        let reason = try XCTUnwrap(a.reviewReason)
        XCTAssertTrue(a.message.contains(reason), "the reason is in MESSAGE: \(a.message)")
        XCTAssertEqual(a.jsonFields.count, a.journalFields.count)
        XCTAssertFalse(a.jsonFields.contains { $0.key == "review_reason" })
    }
}
