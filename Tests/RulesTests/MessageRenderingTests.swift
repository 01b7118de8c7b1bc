// Every shipped rule's message, rendered with a record that fires it (the records of
// rules/tests), in Chinese and in English: no unrendered hole, no raw enumeration code, and no
// English word in the Chinese text (field names, units and the kiosk's own values aside).
import Foundation
import XCTest
import Records
@testable import Rules

final class MessageRenderingTests: XCTestCase {
    static var shippedRules: String { RuleCatalogTests.repository.appendingPathComponent("rules").path }

    /// Every enumeration value of the schema, and every field name.
    static let vocabulary: (codes: Set<String>, fields: Set<String>) = {
        var codes = Set<String>(), fields = Set<String>()
        func walk(_ t: FieldType) {
            switch t {
            case .enumeration(let values): codes.formUnion(values)
            case .object(let o): for f in o.fields { fields.insert(f.name); walk(f.type) }
            case .list(let inner), .nullable(let inner): walk(inner)
            default: break
            }
        }
        for kind in RecordKind.allCases { walk(.object(RecordSchema.object(for: kind))) }
        return (codes, fields)
    }()

    /// ASCII words a Chinese message may hold: units and the grades as printed on the papers.
    static let allowedInChinese: Set<String> = ["mL", "Wh", "km", "mm", "mg", "L", "g", "vol", "h", "min",
                                                "AAA", "AA", "A", "B"]

    /// Problems of one rendered message; `record` is the kiosk's JSON (its values may appear).
    static func problems(in text: String, chinese: Bool, record: String) -> [String] {
        var found: [String] = []
        if text.contains("{{") || text.contains("}}") { found.append("an unrendered '{{ }}'") }
        if text.contains("?") { found.append("'?' (a hole that could not be evaluated)") }
        let tokens = text.split { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) }.map(String.init)
        for t in tokens where t.contains(where: \.isLetter) {
            if t == "null" { found.append("'null'"); continue }
            let isCode = vocabulary.codes.contains(t) && !allowedInChinese.contains(t)
            if isCode && (chinese || t.contains("_")) { found.append("raw code '\(t)'"); continue }
            guard chinese else { continue }
            if t.contains(where: \.isNumber) || allowedInChinese.contains(t) || vocabulary.fields.contains(t) { continue }
            // A rule id the journal names (VEH-001, DRV-012): a code, not an English word.
            if t.allSatisfy(\.isUppercase), text.contains(t + "-") { continue }
            if record.contains(t) { continue }   // the kiosk's own value (a route id, a device id…)
            found.append("English word '\(t)'")
        }
        return found
    }

    func testEveryRuleMessageRendersInBothLanguagesWithARecordThatFiresIt() throws {
        var zhConfig = StationConfig(); zhConfig.language = .zh
        var enConfig = StationConfig(); enConfig.language = .en
        let zh = try loadRules([Self.shippedRules], config: zhConfig)
        let en = try loadRules([Self.shippedRules], config: enConfig)
        var fired = Set<String>()
        var failures: [String] = []
        var runner = RuleTestRunner(generation: zh)
        runner.observe = { test, record, params, alerts in
            let json = record.body.jsonText
            let english = en.evaluate(record, params: params)
            for a in alerts where a.action != .review {
                fired.insert(a.rule)
                for p in Self.problems(in: a.message, chinese: true, record: json) {
                    failures.append("\(a.rule) zh (\(test)): \(p) in: \(a.message)")
                }
                guard let e = english.first(where: { $0.rule == a.rule && $0.action == a.action }) else {
                    failures.append("\(a.rule) fired in zh but not in en (\(test))"); continue
                }
                for p in Self.problems(in: e.message, chinese: false, record: json) {
                    failures.append("\(a.rule) en (\(test)): \(p) in: \(e.message)")
                }
            }
        }
        // Trip rules render their message into the decision's reasons.
        let tripRules = Set(zh.rules.filter { $0.kind == "trip" }.map(\.id))
        runner.observeTrip = { test, trip, params, decision in
            let json = ([trip.departure] + (trip.vehicle.map { [$0] } ?? []) + trip.drivers + trip.luggage)
                .map { $0.record.body.jsonText }.joined()
            let english = en.decide(trip, params: params)
            for r in decision.reasons where tripRules.contains(r.rule) && r.action != RuleAction.review.rawValue {
                fired.insert(r.rule)
                for p in Self.problems(in: r.message, chinese: true, record: json) {
                    failures.append("\(r.rule) zh (\(test)): \(p) in: \(r.message)")
                }
                guard let e = english.reasons.first(where: { $0.rule == r.rule && $0.action == r.action }) else {
                    failures.append("\(r.rule) fired in zh but not in en (\(test))"); continue
                }
                for p in Self.problems(in: e.message, chinese: false, record: json) {
                    failures.append("\(r.rule) en (\(test)): \(p) in: \(e.message)")
                }
            }
        }
        let report = runner.run(directories: [Self.shippedRules + "/tests"])
        XCTAssertEqual(report.failed, 0, report.failures.map(\.description).joined(separator: "\n"))
        let enabled = Set(zh.rules.filter(\.enabled).map(\.id))
        XCTAssertEqual(enabled.subtracting(fired).sorted(), [], "rules no test fires, so their message is never rendered")
        // One line per rule and problem is enough to act on.
        var seen = Set<String>()
        let distinct = failures.filter { seen.insert(String($0.prefix(60))).inserted }
        XCTAssertEqual(distinct, [], distinct.joined(separator: "\n"))
    }

    /// A REVIEW names the dotted path the record lacks, in the station's language.
    func testReviewReasonNamesTheMissingPath() throws {
        let text = try String(contentsOfFile: Self.shippedRules + "/tests/records/driver-clean.json", encoding: .utf8)
            .replacingOccurrences(of: "\"checked_at\": \"2026-10-01T06:20:00+08:00\", ", with: "")
        let driver = try record(text)
        let zh = try loadRules([Self.shippedRules]).evaluate(driver).first { $0.rule == "DRV-001-STALE" }
        XCTAssertEqual(zh?.reviewReason, "缺少字段 licence.checked_at")
        XCTAssertEqual(zh?.message, "规则 DRV-001-STALE（驾驶证状态查询过时）无法判断：缺少字段 licence.checked_at，请人工复核。")
        var en = StationConfig(); en.language = .en
        let english = try loadRules([Self.shippedRules], config: en).evaluate(driver).first { $0.rule == "DRV-001-STALE" }
        XCTAssertEqual(english?.message, "Rule DRV-001-STALE (licence status query out of date) could not decide: missing field licence.checked_at. An officer must check this record by hand.")
    }

    func testTheCheckerFindsWhatItLooksFor() {
        XCTAssertEqual(Self.problems(in: "登记处置为 moved_to_hold。", chinese: true, record: "{}"), ["raw code 'moved_to_hold'"])
        XCTAssertEqual(Self.problems(in: "状态 full_points", chinese: false, record: "{}"), ["raw code 'full_points'"])
        XCTAssertEqual(Self.problems(in: "车辆 ? 未签字", chinese: true, record: "{}").count, 1)
        XCTAssertEqual(Self.problems(in: "结论 fail", chinese: true, record: "{}"), ["raw code 'fail'"])
        XCTAssertEqual(Self.problems(in: "请 check the papers", chinese: true, record: "{}").count, 3)
        XCTAssertEqual(Self.problems(in: "线路 GZ-CS-01，刀刃 blade_length_mm 151 mm，3000 mL", chinese: true,
                                     record: "{\"route_id\":\"GZ-CS-01\"}"), [])
    }
}
