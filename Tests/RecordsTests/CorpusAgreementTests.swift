// The agreement corpus: every file gets the same verdict from RecordDecoder and from the
// published JSON Schema (scripts/check-schema), except the named Swift-stricter files.
import Foundation
import XCTest
@testable import Records

final class CorpusAgreementTests: XCTestCase {
    struct Entry {
        let relativePath: String // "valid/x.json"
        let url: URL
        var expectValid: Bool { relativePath.hasPrefix("valid/") }
    }

    func corpus() throws -> [Entry] {
        var out: [Entry] = []
        for sub in ["valid", "invalid"] {
            let dir = TestPaths.corpus.appendingPathComponent(sub)
            let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
            out += names.map { Entry(relativePath: sub + "/" + $0, url: dir.appendingPathComponent($0)) }
        }
        return out
    }

    func swiftStricter() throws -> Set<String> {
        let text = try String(contentsOf: TestPaths.corpus.appendingPathComponent("swift-stricter.txt"), encoding: .utf8)
        return Set(text.split(separator: "\n").compactMap { line in
            let path = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespaces)
            return path.isEmpty ? nil : path
        })
    }

    /// Swift verdicts follow the directories, and each refusal's reason is the one in
    /// invalid/NAME.reason (reviewed by hand, like Postfix's .ref files).
    func testDecoderVerdictsAndReasons() throws {
        let entries = try corpus()
        XCTAssertGreaterThanOrEqual(entries.count, 40)
        for entry in entries {
            let result = RecordDecoder.decode(try [UInt8](Data(contentsOf: entry.url)), fileName: entry.url.lastPathComponent)
            switch (result, entry.expectValid) {
            case (.success, true): break
            case (.failure(let e), true): XCTFail("\(entry.relativePath) refused: \(e.reason)")
            case (.success, false): XCTFail("\(entry.relativePath) accepted")
            case (.failure(let e), false):
                let reasonFile = entry.url.deletingPathExtension().appendingPathExtension("reason")
                if ProcessInfo.processInfo.environment["STATIONGUARD_REGENERATE_REASONS"] == "1" {
                    try (e.reason + "\n").write(to: reasonFile, atomically: true, encoding: .utf8)
                }
                let expected = try? String(contentsOf: reasonFile, encoding: .utf8)
                XCTAssertEqual(e.reason + "\n", expected, "\(entry.relativePath): reason differs from \(reasonFile.lastPathComponent)")
            }
        }
    }

    /// Inputs that once crashed scripts/check-schema (RecursionError) or slipped through it
    /// (1e999 read as infinity) get a verdict, the same as the decoder's.
    func testSchemaScriptRefusesVeryDeepNestingAndNonFiniteNumbers() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("check-schema-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let deep = dir.appendingPathComponent("deep.json"), huge = dir.appendingPathComponent("huge.json")
        let deepText = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        try deepText.write(to: deep, atomically: true, encoding: .utf8)
        try #"{"record_kind": "driver", "vendor": [-1e999]}"#.write(to: huge, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestPaths.checkSchemaScript.path, deep.path, huge.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init), [
            "INVALID \(deep.path): too deeply nested",
            "INVALID \(huge.path): number -1e999 is too large to represent",
        ])
        for file in [deep, huge] {
            guard case .failure(let e) = RecordDecoder.decode(try [UInt8](Data(contentsOf: file)), fileName: "x") else {
                XCTFail("decoder accepted \(file.lastPathComponent)"); continue
            }
            XCTAssertEqual(e.stage, .notJSON)
        }
    }

    func testSchemaScriptGivesTheSameVerdicts() throws {
        let entries = try corpus()
        let stricter = try swiftStricter()
        for path in stricter {
            XCTAssertTrue(entries.contains { $0.relativePath == path }, "swift-stricter.txt names a missing file \(path)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestPaths.checkSchemaScript.path] + entries.map(\.url.path)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "scripts/check-schema failed")
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, entries.count, "one verdict per file expected:\n" + lines.joined(separator: "\n"))

        for (entry, line) in zip(entries, lines) {
            let schemaValid: Bool
            if line == "VALID " + entry.url.path {
                schemaValid = true
            } else if line.hasPrefix("INVALID " + entry.url.path + ":") {
                schemaValid = false
            } else {
                XCTFail("unexpected line for \(entry.relativePath): \(line)"); continue
            }
            let swiftValid: Bool
            if case .success = RecordDecoder.decode(try [UInt8](Data(contentsOf: entry.url)), fileName: "x") {
                swiftValid = true
            } else {
                swiftValid = false
            }
            if stricter.contains(entry.relativePath) {
                XCTAssertTrue(schemaValid && !swiftValid,
                              "\(entry.relativePath) is listed as Swift-stricter but schema=\(schemaValid) swift=\(swiftValid); update swift-stricter.txt")
            } else {
                XCTAssertEqual(schemaValid, swiftValid, "\(entry.relativePath): schema says \(line), decoder disagrees")
            }
        }
    }
}
