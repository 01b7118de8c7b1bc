// The hand-written byte matchers must answer exactly as the Regex of the same pattern text
// (the text the published JSON Schema carries): listed edge cases plus seeded random strings.
import XCTest
@testable import Records

final class PatternMatcherAgreementTests: XCTestCase {
    static let patterns = [RecordSchema.recordIDPattern, RecordSchema.licenceClassPattern,
                           PlateNumber.writtenPattern, PlateNumber.pattern]

    func testEveryFastPatternHasAByteMatcher() {
        for p in PatternMatcherAgreementTests.patterns { XCTAssertNotNil(PatternMatcher.byteMatcher(for: p), p) }
        XCTAssertNil(PatternMatcher.byteMatcher(for: "^[a-z]+$"), "other patterns go to Regex")
    }

    func testByteMatchersAgreeWithRegex() {
        var samples = [
            "", "a", "kiosk-03:20261001:000117", "gate-1:1", "A.b_c:d-9", "a b", "a/b", "é", "a\n", "\n",
            String(repeating: "x", count: 128), String(repeating: "x", count: 129), "A\u{301}", "Ａ",
            "A1", "A1A2", "B1D", "A4", "C7", "B3", "D", "DEFMNP", "A", "C", "A1a", "a1", "G", "A1 ", "C6C1M",
            "粤A12345", "粤A·12345", "粤A 12345", "粤A•12345", "粤A・12345", "粤A··12345", "粤A  12345",
            "湘A8K27X", "湘A8K27", "粤AD12345", "粤A12345D", "粤A·AF1234", "粤AF12345", "京B 12345F",
            "粤I12345", "粤A1234O", "粤A1234", "粤A123456", "粤a12345", "港A12345", "粤A· 12345",
            " 粤A12345", "粤A12345 ", "粤AD1234A", "粤A12345\n", "粤A1234\u{301}5", "粤\u{301}A12345",
            "粤AD12345F", "粤A1234DF", "粤ADD1234", "粤AF0000", "琼Z00000", "宁HDA0000", "粤A1234D",
        ]
        // Seeded random strings over the characters these patterns care about.
        let alphabet = Array("ADFIMOPZa19._:- \u{B7}\u{2022}\u{30FB}粤京港\u{301}\n")
        var seed: UInt64 = 0x5EED
        for _ in 0..<1500 {
            var s = ""
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(seed >> 33) % 10
            for _ in 0..<length {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                s.append(alphabet[Int(seed >> 33) % alphabet.count])
            }
            samples.append(s)
            // Plate-shaped ones too, so the plate matchers see many near misses.
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            samples.append(["粤", "京", "港"][Int(seed >> 33) % 3] + String(s.prefix(8)))
        }
        for pattern in PatternMatcherAgreementTests.patterns {
            for s in samples {
                XCTAssertEqual(PatternMatcher.matches(s, pattern), PatternMatcher.matchesByRegex(s, pattern),
                               "\(JSONValue.quoted(s)) against \(pattern)")
            }
        }
        // The samples must exercise both answers for every pattern, or the test proves little.
        for pattern in PatternMatcherAgreementTests.patterns {
            XCTAssertTrue(samples.contains { PatternMatcher.matches($0, pattern) }, pattern)
            XCTAssertTrue(samples.contains { !PatternMatcher.matches($0, pattern) }, pattern)
        }
    }
}
