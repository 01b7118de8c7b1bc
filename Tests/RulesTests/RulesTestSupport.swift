// Shared scaffolding: temporary layer directories, loading, decoding.
import Foundation
import XCTest
import Records
@testable import Rules

/// A temporary directory tree, removed when the test ends.
final class Scratch {
    let root: String
    init() {
        root = NSTemporaryDirectory() + "rules-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        chmod(root, 0o755)  // StrictModes: whatever the umask, only the owner writes
    }
    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Writes `text` at `relative` (creating folders) and returns the full path.
    @discardableResult
    func write(_ relative: String, _ text: String) -> String {
        let path = root + "/" + relative
        let folder = (path as NSString).deletingLastPathComponent
        try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        // StrictModes refuses what others may write: whatever the umask, only the owner writes.
        chmod(folder, 0o755)
        chmod(path, 0o644)
        return path
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    /// The two fixture rule sets, `capacity` and `papers`, as one layer in `folder`.
    func writeFixtureRuleSets(in folder: String = "v") {
        write(folder + "/capacity.yaml", Fixtures.capacity)
        write(folder + "/papers.yaml", Fixtures.papers)
    }
}

func loadRules(_ dirs: [String], config: StationConfig = StationConfig()) throws -> RuleGeneration {
    try RuleLoader(layers: RuleLayers(directories: dirs), config: config).load()
}

/// The issues of a load that must fail.
func loadIssues(_ dirs: [String], config: StationConfig = StationConfig(), file: StaticString = #filePath, line: UInt = #line) -> [RuleIssue] {
    do {
        _ = try loadRules(dirs, config: config)
        XCTFail("the load should have failed", file: file, line: line)
        return []
    } catch let e as RuleLoadError {
        return e.issues
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
        return []
    }
}

/// A record from JSON text with top-level members replaced (`nil` deletes).
func record(_ json: String, _ changes: [String: JSONValue?] = [:], file: String = "r.json") throws -> Record {
    var doc = try JSONParser.parse(Array(json.utf8))
    if case .object(var members) = doc {
        for (k, v) in changes.sorted(by: { $0.key < $1.key }) {
            members.removeAll { $0.key == k }
            if let v { members.append((k, v)) }
        }
        doc = .object(members)
    }
    return try RecordDecoder.decodeOrThrow(Array(doc.jsonText.utf8), fileName: file)
}
