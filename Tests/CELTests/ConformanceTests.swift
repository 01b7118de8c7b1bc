// ConformanceTests: the shared CEL conformance subset (core and ext tiers), end to end.

import Foundation
import XCTest
@testable import CEL

/// The shared CEL conformance subset (derived from google/cel-spec, Apache-2.0): every line
/// is compiled (checked unless `disable_check`), evaluated with its bindings and compared
/// with its expectation. Every `core` test must pass except those listed in
/// `knownUnsupported`; the `ext` tier is counted and printed, not asserted.
final class ConformanceTests: XCTestCase {

    /// `file/section/name` → why it does not pass. Keep it short and honest.
    static let knownUnsupported: [String: String] = [:]

    struct Outcome {
        var passed = 0
        var total = 0
    }

    /// Finds `shared/cel/conformance-subset.jsonl` in an ancestor of this file's package
    /// (the repository's `../shared`, or `/work/shared` from a worktree), or $CEL_CONFORMANCE.
    static func dataURL() -> URL? {
        if let env = ProcessInfo.processInfo.environment["CEL_CONFORMANCE"] { return URL(fileURLWithPath: env) }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            dir = dir.deletingLastPathComponent()
            let candidate = dir.appendingPathComponent("shared/cel/conformance-subset.jsonl")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs one test line; nil on pass, else a one-line reason.
    static func run(_ t: [String: Any]) -> String? {
        let expr = t["expr"] as? String ?? ""
        let tier = t["tier"] as? String ?? ""
        let bindingsJSON = t["bindings"] as? [String: Any] ?? [:]
        let typeEnv = t["type_env"] as? [String: String] ?? [:]
        let expect = t["expect"] as? [String: Any] ?? [:]
        let expectError = expect["error"] as? Bool ?? false

        var bindings: [String: Value] = [:]
        var variables: [String: CELType] = [:]
        do {
            for (name, v) in bindingsJSON { bindings[name] = try TaggedValue.decode(v) }
            for name in bindingsJSON.keys { variables[name] = .dyn }
            for (name, text) in typeEnv { variables[name] = try TaggedValue.parseType(text) }
        } catch {
            return "bad test data: \(error)"
        }
        let decls = Declarations(variables: variables, functions: tier == "ext" ? Extensions.all : [])
        let env = Environment(declarations: decls)
        let result: Value
        do {
            let checked = (t["disable_check"] as? Bool ?? false)
                ? env.unchecked(try env.parse(Source(expr)))
                : try env.compile(Source(expr))
            let program = try env.program(checked)
            result = program.evaluate(bindings)
        } catch {
            return expectError ? nil : "compile error: \(error)"
        }
        if expectError {
            if case .error = result { return nil }
            return "expected an error, got \(result)"
        }
        if case .error(let e) = result { return "evaluation error: \(e.message)" }
        guard let want = expect["value"] else { return "test has no expectation" }
        do {
            let expected = try TaggedValue.decode(want)
            return TaggedValue.matches(result, expected: expected) ? nil : "got \(result), want \(expected)"
        } catch {
            return "bad expectation: \(error)"
        }
    }

    func testConformanceSubset() throws {
        guard let url = Self.dataURL() else {
            XCTFail("conformance-subset.jsonl not found (set CEL_CONFORMANCE)")
            return
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        var byFile: [String: Outcome] = [:]
        var byTier: [String: Outcome] = [:]
        var coreFailures: [String] = []
        var extFailures: [String] = []
        var unexpectedPasses: [String] = []
        for line in text.split(separator: "\n") where !line.isEmpty {
            let obj = try JSONSerialization.jsonObject(with: Data(line.utf8))
            guard let t = obj as? [String: Any] else { XCTFail("not a JSON object: \(line.prefix(80))"); continue }
            let file = t["file"] as? String ?? "?"
            let tier = t["tier"] as? String ?? "?"
            let key = "\(file)/\(t["section"] as? String ?? "?")/\(t["name"] as? String ?? "?")"
            let failure = Self.run(t)
            byFile["\(tier) \(file)", default: Outcome()].total += 1
            byTier[tier, default: Outcome()].total += 1
            if failure == nil {
                byFile["\(tier) \(file)", default: Outcome()].passed += 1
                byTier[tier, default: Outcome()].passed += 1
                if Self.knownUnsupported[key] != nil { unexpectedPasses.append(key) }
            } else if tier == "core" {
                if Self.knownUnsupported[key] == nil { coreFailures.append("\(key): \(t["expr"] ?? "") → \(failure!)") }
            } else {
                extFailures.append("\(key): \(t["expr"] ?? "") → \(failure!)")
            }
        }
        var report = "CEL conformance subset (\(url.path))\n"
        for (k, o) in byFile.sorted(by: { $0.key < $1.key }) { report += "  \(k): \(o.passed)/\(o.total)\n" }
        for (k, o) in byTier.sorted(by: { $0.key < $1.key }) { report += "  TIER \(k): \(o.passed)/\(o.total)\n" }
        print(report)
        if ProcessInfo.processInfo.environment["CEL_CONFORMANCE_VERBOSE"] != nil {
            for f in extFailures { print("ext failure: \(f)") }
        }
        for k in unexpectedPasses { print("known-unsupported test now passes (remove it from the list): \(k)") }
        XCTAssertGreaterThan(byTier["core"]?.total ?? 0, 1000, "the core tier should hold 1,080 tests")
        for f in coreFailures.prefix(200) { XCTFail("core conformance failure: \(f)") }
    }
}
