// JournalText decides from a table of scalar classes (ScalarClass.bmp) and skips the work for
// text that cleaning leaves alone (changedByCleaning). Both shortcuts must agree with the
// definitions they stand for.
import XCTest
@testable import Records

final class JournalTextClassTests: XCTestCase {
    /// Every scalar: the class looked up equals the class worked out from the definitions.
    func testTheTableAgreesWithTheDefinitionsForEveryScalar() {
        var checked = 0
        for value in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(value) else { continue }
            let looked = ScalarClass(s), computed = ScalarClass(computing: s)
            if looked != computed {
                XCTFail("U+\(String(value, radix: 16, uppercase: true)): table \(looked.rawValue), definitions \(computed.rawValue)")
                return
            }
            checked += 1
        }
        XCTAssertEqual(checked, 0x110000 - 0x800)  // all but the surrogates
        // The classes the masking relies on, spot-checked against the Unicode data.
        XCTAssertTrue(ScalarClass("７").contains(.digit))         // full-width seven
        XCTAssertTrue(ScalarClass("\u{0663}").contains(.digit))  // Arabic-Indic three
        XCTAssertTrue(ScalarClass("\u{3000}").contains(.separator))
        XCTAssertTrue(ScalarClass("\u{200B}").contains(.ignorable))  // zero width space (Cf)
        XCTAssertTrue(ScalarClass("\u{202E}").contains(.escaped))
        XCTAssertEqual(ScalarClass("，"), [])
    }

    /// Random text from the scalars that matter: `clean` (with its shortcut) equals
    /// `escape(mask(text))` (without it), and whenever the shortcut says "unchanged", it is.
    func testCleanWithItsShortcutEqualsMaskThenEscape() {
        let pool: [String] = ["4", "1", "0", "９", "\u{0661}", " ", "-", ".", "_", "·", "\u{3000}", "\u{FF0D}", "\u{0301}",
                              "\u{200D}", "\n", "\t", "\u{7F}", "\u{85}", "\u{2028}", "\u{202E}", "\u{2067}", "X", "x", "Ｘ",
                              "a", "粤", "，", "：", "。", "/", ":", "…", "😀"]
        var generator = SystemRandomNumberGenerator()
        var unchanged = 0
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...40, using: &generator)
            var text = ""
            for _ in 0..<length {
                // Runs of digits, so long runs occur often enough.
                if Bool.random(using: &generator) { text += String(Int.random(in: 0...9, using: &generator)) } else {
                    text += pool.randomElement(using: &generator)!
                }
            }
            let expected = JournalText.escape(JournalText.mask(text))
            XCTAssertEqual(JournalText.clean(text), expected, "for \(text.unicodeScalars.map { String($0.value, radix: 16) })")
            if !JournalText.changedByCleaning(text) {
                unchanged += 1
                XCTAssertEqual(expected, text)
            }
        }
        XCTAssertGreaterThan(unchanged, 100, "the shortcut was hardly tried")
    }
}
