// RuleTests: promtool-style rule unit tests (docs/rule-files.md): a base record, an RFC 7386
// merge patch, and the rules expected to fire, not to fire, or to ask for review.
import CEL
import Foundation
import Records
import Yams

/// One failed expectation, located at the test in its file.
public struct RuleTestFailure: CustomStringConvertible {
    public var file: String
    public var line: Int
    public var test: String
    public var message: String
    public var description: String { "\(file):\(line): \(test): \(message)" }
}

/// The outcome of `rules test`.
public struct RuleTestReport {
    public var passed = 0
    public var failures: [RuleTestFailure] = []
    /// Problems with the test files themselves (unknown keys, missing base record…), each
    /// also counted as a failed test.
    public var issues: [RuleIssue] = []
    /// Tests that failed (one test may have several failures), plus unusable test files.
    public var failed = 0
    /// `N passed, M failed`
    public var summary: String { "\(passed) passed, \(failed) failed" }
}

/// Runs rule test files against a loaded generation.
public struct RuleTestRunner {
    public let generation: RuleGeneration
    /// Called with every test's patched record and its alerts (the message rendering test
    /// renders each fired rule again in the other language).
    var observe: ((_ test: String, _ record: Record, _ params: [Int: Value]?, _ alerts: [Alert]) -> Void)?
    /// The same for each trip test: the trip as given and its decision.
    var observeTrip: ((_ test: String, _ trip: Trip, _ params: [Int: Value]?, _ decision: TripDecision) -> Void)?

    public init(generation: RuleGeneration) { self.generation = generation }

    /// The test directories of the layers: `DIR/tests` for every rule directory that has one.
    public static func testDirectories(of layers: RuleLayers) -> [String] {
        layers.directories.map { ($0 as NSString).appendingPathComponent("tests") }.filter {
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &isDir) && isDir.boolValue
        }
    }

    /// Runs every `*.test.yaml` in `directories` (base records from `DIR/records/`), then
    /// checks that every `*clean*.json` base record fires nothing in any set.
    public func run(directories: [String]) -> RuleTestReport {
        var report = RuleTestReport()
        let fm = FileManager.default
        for dir in directories {
            let files = ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".test.yaml") }.sorted()
            for f in files { run(file: (dir as NSString).appendingPathComponent(f), recordsDir: (dir as NSString).appendingPathComponent("records"), into: &report) }
            let recordsDir = (dir as NSString).appendingPathComponent("records")
            let clean = ((try? fm.contentsOfDirectory(atPath: recordsDir)) ?? []).filter { $0.hasSuffix(".json") && $0.contains("clean") }.sorted()
            for name in clean {
                let path = (recordsDir as NSString).appendingPathComponent(name)
                switch loadRecord(path: path, patch: nil) {
                case .failure(let m):
                    report.failures.append(RuleTestFailure(file: path, line: 0, test: "clean base record", message: m.message))
                    report.failed += 1
                case .success(let record):
                    let alerts = generation.evaluate(record, params: nil)
                    if alerts.isEmpty { report.passed += 1 } else {
                        report.failures.append(RuleTestFailure(file: path, line: 0, test: "clean base record fires nothing",
                                                               message: "got " + RuleTestRunner.describe(alerts)))
                        report.failed += 1
                    }
                }
            }
        }
        return report
    }

    static let fileKeys = ["ruleset", "tests"]
    static let testKeys = ["name", "base", "patch", "trip", "fires", "not_fires", "reviews", "params"]
    /// A trip test names the joined records instead of `base`: `departure` (required),
    /// `vehicle` (omit for none in the window), `drivers` and `luggage` (lists), each
    /// `{base: FILE, patch: {…}}`. The trip is taken as joined (windows are the store's).
    static let tripKeys = ["departure", "vehicle", "drivers", "luggage"]

    private func run(file: String, recordsDir: String, into report: inout RuleTestReport) {
        let log = IssueLog(file: file)
        var testIssues = 0   // issues inside tests, each test already counted as failed
        defer {
            report.issues += log.issues
            if log.issues.count > testIssues { report.failed += 1 }   // the file itself is unusable or wrong
        }
        let doc: YAMLDocument
        do { doc = try YAMLDocument.read(path: file) } catch let i as RuleIssue { log.add(i); return } catch { return }
        guard let root = doc.root, let top = StrictMapping(root, what: "a rule test file", log: log) else {
            if doc.root == nil { log.add("the file is empty", at: nil) }
            return
        }
        top.check(allowed: RuleTestRunner.fileKeys, required: ["ruleset", "tests"], what: "the rule test file")
        let setName = top.string("ruleset", what: "the rule test file")
        let setIndex = setName.flatMap { generation.paramsIndex(of: $0) }
        if let setName, setIndex == nil {
            log.add("ruleset '\(setName)' is not loaded (unknown, masked or disabled)", at: top["ruleset"]?.mark)
        }
        guard let tnode = top["tests"] else { return }
        guard let tests = tnode.sequence else { log.add("'tests' must be a list", at: tnode.mark); return }
        let known = Set(generation.rules.map(\.id))

        for (i, node) in tests.enumerated() {
            let before = log.issues.count
            defer { testIssues += log.issues.count - before }
            guard let t = StrictMapping(node, what: "test #\(i + 1)", log: log) else { report.failed += 1; continue }
            let name = t.string("name", what: "test #\(i + 1)") ?? "test #\(i + 1)"
            let what = "test '\(name)'"
            t.check(allowed: RuleTestRunner.testKeys, required: ["name"], what: what)
            if (t["base"] == nil) == (t["trip"] == nil) { log.add("\(what): give either base (a record) or trip (joined records)", at: node.mark) }
            let line = node.mark?.line ?? 0
            var expect: [(String, [String])] = []
            for key in ["fires", "not_fires", "reviews"] {
                guard let ids = t.stringList(key, what: what) else { continue }
                for (k, id) in ids.enumerated() where !known.contains(id) {
                    log.add("\(what): \(key): unknown rule '\(id)'", at: t[key]?.sequence?[k].mark)
                }
                expect.append((key, ids))
            }
            if expect.isEmpty { log.add("\(what): says nothing to check (give fires, not_fires or reviews)", at: node.mark) }
            var override: [Int: Value]?
            if let pnode = t["params"], let setIndex, let pm = StrictMapping(pnode, what: "\(what): params", log: log) {
                let compiled = generation.params[setIndex]
                guard case .object(let current) = compiled.value else { continue }
                var fields = current.fields
                for p in pm.pairs {
                    guard let slot = compiled.definitions.firstIndex(where: { $0.name == p.key }) else {
                        log.add("\(what): params: rule set '\(compiled.name)' has no param '\(p.key)'", at: p.keyNode.mark)
                        continue
                    }
                    switch RuleLoader.conform(p.value, to: compiled.definitions[slot]) {
                    case .success(let v): fields[slot] = RuleLoader.celValue(of: v)
                    case .failure(let e): log.add("\(what): params: \(p.key): \(e.message)", at: p.value.mark)
                    }
                }
                override = [setIndex: .object(ObjectValue(type: compiled.type, fields: fields))]
            }
            if let tnode = t["trip"], log.issues.count == before {
                runTrip(tnode, expect: expect, override: override, recordsDir: recordsDir, file: file, line: line, what: what,
                        log: log, into: &report)
                continue
            }
            guard log.issues.count == before, let base = t.string("base", what: what) else { report.failed += 1; continue }
            let basePath = (recordsDir as NSString).appendingPathComponent(base)
            let record: Record
            switch loadRecord(path: basePath, patch: t["patch"]) {
            case .failure(let m):
                report.failures.append(RuleTestFailure(file: file, line: line, test: what, message: m.message))
                report.failed += 1
                continue
            case .success(let r): record = r
            }
            let alerts = generation.evaluate(record, params: override)
            observe?(what, record, override, alerts)
            let failuresBefore = report.failures.count
            for (key, ids) in expect {
                for id in ids {
                    let mine = alerts.filter { $0.rule == id }
                    let problem: String?
                    switch key {
                    case "fires":
                        problem = mine.contains { $0.action != .review } ? nil
                            : mine.isEmpty ? "\(id) did not fire" : "\(id) asked for REVIEW instead of firing (\(mine[0].reviewReason ?? ""))"
                    case "reviews":
                        problem = mine.contains { $0.action == .review } ? nil
                            : mine.isEmpty ? "\(id) gave no REVIEW alert" : "\(id) fired \(mine[0].action.rawValue) instead of REVIEW"
                    default:
                        problem = mine.isEmpty ? nil : "\(id) must not fire but gave \(mine[0].action.rawValue)"
                            + (mine[0].reviewReason.map { " (\($0))" } ?? "")
                    }
                    if let problem {
                        report.failures.append(RuleTestFailure(file: file, line: line, test: what,
                                                               message: problem + "; alerts: " + RuleTestRunner.describe(alerts)))
                    }
                }
            }
            if report.failures.count == failuresBefore { report.passed += 1 } else { report.failed += 1 }
        }
    }

    /// A trip test: load and evaluate each joined record, decide the trip, check its reasons.
    private func runTrip(_ node: Yams.Node, expect: [(String, [String])], override: [Int: Value]?, recordsDir: String,
                         file: String, line: Int, what: String, log: IssueLog, into report: inout RuleTestReport) {
        guard let m = StrictMapping(node, what: "\(what): trip", log: log) else { report.failed += 1; return }
        m.check(allowed: RuleTestRunner.tripKeys, required: ["departure"], what: "\(what): trip")
        func joined(_ n: Yams.Node) -> Result<JoinedRecord, Problem> {
            guard let r = StrictMapping(n, what: "\(what): trip record", log: log), let base = r.string("base", what: what) else {
                return .failure(Problem(message: "each trip record needs base (and may have patch)"))
            }
            r.check(allowed: ["base", "patch"], required: ["base"], what: "\(what): trip record")
            return loadRecord(path: (recordsDir as NSString).appendingPathComponent(base), patch: r["patch"]).map {
                JoinedRecord(record: $0, alerts: generation.evaluate($0, params: override).map(RecordAlert.init))
            }
        }
        func many(_ key: String) -> Result<[JoinedRecord], Problem> {
            guard let n = m[key] else { return .success([]) }
            guard let items = n.sequence else { return .failure(Problem(message: "trip.\(key) must be a list")) }
            var out: [JoinedRecord] = []
            for item in items {
                switch joined(item) { case .success(let j): out.append(j); case .failure(let e): return .failure(e) }
            }
            return .success(out)
        }
        let trip: Trip
        do {
            let departure = try joined(m["departure"]!).get()
            let vehicle = try m["vehicle"].map { try joined($0).get() }
            guard let t = Trip(id: departure.record.tripID ?? "?", departure: departure, vehicle: vehicle,
                               drivers: try many("drivers").get(), luggage: try many("luggage").get(),
                               stationDate: generation.stationDate) else {
                throw Problem(message: "the departure record has no departure time")
            }
            trip = t
        } catch {
            let message = (error as? Problem)?.message ?? "\(error)"
            report.failures.append(RuleTestFailure(file: file, line: line, test: what, message: message))
            report.failed += 1
            return
        }
        let decision = generation.decide(trip, params: override)
        observeTrip?(what, trip, override, decision)
        let failuresBefore = report.failures.count
        let described = decision.verdict.rawValue + ": " + (decision.reasons.isEmpty ? "no reasons"
            : decision.reasons.map { "\($0.rule) \($0.action)" }.joined(separator: ", "))
        for (key, ids) in expect {
            for id in ids {
                let mine = decision.reasons.filter { $0.rule == id }
                let problem: String?
                switch key {
                case "fires": problem = mine.contains { $0.action != RuleAction.review.rawValue } ? nil : "\(id) is not a reason"
                case "reviews": problem = mine.contains { $0.action == RuleAction.review.rawValue } ? nil : "\(id) gave no REVIEW"
                default: problem = mine.isEmpty ? nil : "\(id) must not be a reason"
                }
                if let problem {
                    report.failures.append(RuleTestFailure(file: file, line: line, test: what, message: problem + "; decision: " + described))
                }
            }
        }
        if report.failures.count == failuresBefore { report.passed += 1 } else { report.failed += 1 }
    }

    static func describe(_ alerts: [Alert]) -> String {
        alerts.isEmpty ? "none" : alerts.map { "\($0.rule) \($0.action.rawValue)" }.joined(separator: ", ")
    }

    struct Problem: Error { var message: String; init(message: String) { self.message = message } }

    /// The base record with the merge patch applied, validated as a kiosk record.
    private func loadRecord(path: String, patch: Yams.Node?) -> Result<Record, Problem> {
        guard let data = FileManager.default.contents(atPath: path) else { return .failure(Problem(message: "cannot read base record \(path)")) }
        var json: JSONValue
        do { json = try JSONParser.parse(Array(data)) } catch {
            return .failure(Problem(message: "base record \(path) is not JSON: \(error)"))
        }
        if let patch {
            switch JSONValue.from(yaml: patch) {
            case .success(let p): json = json.mergePatched(with: p)
            case .failure(let e): return .failure(e)
            }
        }
        let text = Array(json.jsonText.utf8)
        switch RecordDecoder.validate(json, fileName: (path as NSString).lastPathComponent, sha256: SHA256.hex(text)) {
        case .success(let r): return .success(r)
        case .failure(let e): return .failure(Problem(message: "the patched record is not valid: \(e.reason)"))
        }
    }
}

// MARK: - Merge patch

extension JSONValue {
    /// RFC 7386: objects merge member by member, `null` deletes, anything else replaces.
    func mergePatched(with patch: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var members: [(key: String, value: JSONValue)] = []
        if case .object(let m) = self { members = m }
        for (k, v) in patchMembers {
            let i = members.firstIndex { $0.key == k }
            if case .null = v {
                if let i { members.remove(at: i) }
            } else if let i {
                members[i].value = members[i].value.mergePatched(with: v)
            } else {
                members.append((k, JSONValue.null.mergePatched(with: v)))
            }
        }
        return .object(members)
    }

    /// A YAML value (from a test's `patch:`) as JSON.
    static func from(yaml node: Yams.Node) -> Result<JSONValue, RuleTestRunner.Problem> {
        switch node {
        case .scalar(let s):
            switch node.tagName {
            case .null: return .success(.null)
            case .bool: return node.bool.map { .success(.bool($0)) } ?? .failure(.init(message: "bad boolean '\(s.string)'"))
            case .int: return node.int.map { .success(.integer($0)) } ?? .failure(.init(message: "bad integer '\(s.string)'"))
            case .float: return node.float.map { .success(.number($0)) } ?? .failure(.init(message: "bad number '\(s.string)'"))
            default: return .success(.string(s.string))
            }
        case .sequence(let seq):
            var items: [JSONValue] = []
            for n in seq {
                switch from(yaml: n) { case .success(let v): items.append(v); case .failure(let e): return .failure(e) }
            }
            return .success(.array(items))
        case .mapping(let m):
            var members: [(key: String, value: JSONValue)] = []
            for (k, v) in m {
                guard let key = k.scalar?.string else { return .failure(.init(message: "patch keys must be text")) }
                switch from(yaml: v) { case .success(let j): members.append((key, j)); case .failure(let e): return .failure(e) }
            }
            return .success(.object(members))
        case .alias:
            return .failure(.init(message: "YAML aliases are not supported in patches"))
        }
    }
}
