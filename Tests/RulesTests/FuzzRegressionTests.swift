// The fuzz targets' seeds and past findings (fuzz/regressions-rule-file, -template), replayed in
// the test run: each loads (or is refused) without trapping, in well under the fuzzer's
// timeout, and every journal field it produces is masked and escaped. The fuzz targets
// themselves run under libFuzzer + ASan (fuzz/run rule-file|template SECONDS).
import Foundation
import XCTest
import Records
@testable import Rules

final class FuzzRegressionTests: XCTestCase {
    static let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../fuzz").standardized.path

    static func files(_ folder: String) -> [String] {
        let path = fuzz + "/" + folder
        return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
    }

    /// The records the fuzz targets evaluate against: the examples and one full of hostile text.
    static let records: [Record] = {
        let examples = URL(fileURLWithPath: fuzz).deletingLastPathComponent().appendingPathComponent("docs/examples").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: examples)) ?? []).sorted().compactMap { name in
            FileManager.default.contents(atPath: examples + "/" + name).flatMap { try? RecordDecoder.decode(Array($0), fileName: name).get() }
        }
    }()

    func load(_ text: String) {
        let s = Scratch()
        s.write("v/fuzz.yaml", text)
        guard let generation = try? RuleLoader(layers: RuleLayers(directories: [s.path("v")])).load() else { return }
        for record in FuzzRegressionTests.records {
            for alert in generation.evaluate(record) {
                for field in alert.journalFields where !["PRIORITY", "MESSAGE_ID", "SG_RECORD_SHA256", "SG_RULES_VERSION"].contains(field.name) {
                    XCTAssertFalse(field.value.unicodeScalars.contains(where: JournalText.needsEscape), "\(field.name)=\(field.value.debugDescription)")
                    XCTAssertEqual(JournalText.mask(field.value), field.value, field.name)
                }
            }
        }
    }

    func testRuleFileRegressionsAndSeeds() throws {
        let files = FuzzRegressionTests.files("regressions-rule-file") + FuzzRegressionTests.files("seeds/rule-files")
        XCTAssertFalse(files.isEmpty)
        for file in files {
            load(try String(contentsOfFile: file, encoding: .utf8))
        }
        print("replayed \(files.count) rule-file seeds and regressions")
    }

    func testTemplateRegressionsAndSeeds() throws {
        let files = FuzzRegressionTests.files("regressions-template") + FuzzRegressionTests.files("seeds/templates")
        XCTAssertFalse(files.isEmpty)
        for file in files {
            let template = String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self)
            var quoted = "\""
            for s in template.unicodeScalars {
                switch s {
                case "\\": quoted += "\\\\"
                case "\"": quoted += "\\\""
                default:
                    if s.value < 0x20 || s.value == 0x7F || (0x80..<0xA0).contains(s.value) || s.value == 0xFEFF || (0x2028...0x2029).contains(s.value) {
                        let hex = String(s.value, radix: 16)
                        quoted += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                    } else {
                        quoted.unicodeScalars.append(s)
                    }
                }
            }
            quoted += "\""
            var lines = ["ruleset: fuzz", "rules:"]
            for (i, kind) in ["vehicle", "driver", "luggage", "departure"].enumerated() {
                lines += ["  - id: F-00\(i)", "    title: t", "    kind: \(kind)", "    when: 'true'", "    severity: notice",
                          "    action: WARN", "    message: \(quoted)"]
            }
            load(lines.joined(separator: "\n") + "\n")
        }
        print("replayed \(files.count) template seeds and regressions")
    }
}
