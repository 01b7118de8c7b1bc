// RuleLoader: reads the layered rule directories and the station config into a compiled
// RuleGeneration, or a RuleLoadError listing every problem with file:line:col.
import CEL
import Foundation
import Records
import Yams

/// Counts loads in this process, so that two loads of identical files still get two versions.
private let loadCounter = LoadCounter()
private final class LoadCounter {
    private var n = 0
    private let lock = NSLock()
    func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
}

/// Loads rule sets from layered directories with the station's config.
public struct RuleLoader {
    public var layers: RuleLayers
    public var config: StationConfig
    /// The version is the files' content hash alone (no load counter or time), so that
    /// `stationguard check` prints the same for the same input whatever the machine's clock.
    public var contentVersion = false
    /// Refuse rule directories and files that anyone but root or this user could write
    /// (`StrictModes`); false only for tests (`--insecure-rules`).
    public var strictModes: Bool

    public init(layers: RuleLayers = RuleLayers(), config: StationConfig = StationConfig(), strictModes: Bool = true) {
        self.layers = layers
        self.config = config
        self.strictModes = strictModes
    }

    /// The kinds rules may name: each record kind, and `trip` (the departure and the records
    /// joined to it, docs/rule-files.md).
    static var kindNames: [String] { RecordKind.allCases.map(\.rawValue) + [RuleLoader.tripKind] }
    static let tripKind = "trip"

    /// Reads, checks and compiles every active rule set.
    /// - Returns: a new generation (its `version` differs from every earlier load's).
    /// - Throws: `RuleLoadError` with every issue found, in file order; nothing is half-loaded.
    public func load() throws -> RuleGeneration {
        let scanned = layers.scan()
        let active = scanned.filter { $0.state == .active }
        var issues: [RuleIssue] = layers.unreadableDirectories().map {
            RuleIssue(file: $0, line: 0, column: 0, message: "cannot read the rule directory")
        }
        issues += layers.misnamedFiles().map {
            RuleIssue(file: $0, line: 0, column: 0, message: "rule set files must end in .yaml; this one is not loaded")
        }
        if active.isEmpty && issues.isEmpty {
            // Zero rules would pass every bus: refuse rather than run silently.
            issues.append(RuleIssue(file: layers.directories.joined(separator: ", "), line: 0, column: 0,
                                    message: "no active rule set (*.yaml) in any rule directory: nothing would be checked"))
        }
        if strictModes {
            var seen = Set<String>()
            for directory in layers.directories where seen.insert(directory).inserted {
                if let issue = StrictModes.problem(directory, what: "rule directory") { issues.append(issue) }
            }
        }
        var sets: [RuleSetFile] = []
        for entry in active {
            if strictModes, let issue = StrictModes.problem(entry.path, what: "rule file") {
                issues.append(issue)
                continue
            }
            let log = IssueLog(file: entry.path)
            if let set = RuleSetFile.read(path: entry.path, stem: entry.name, kinds: RuleLoader.kindNames, log: log) {
                sets.append(set)
            }
            issues += log.issues
        }

        // Rule ids are unique across all sets: alerts, MESSAGE_IDs and tests name rules by id.
        var firstSeen: [String: (file: String, line: Int)] = [:]
        for set in sets {
            for r in set.rules {
                if let first = firstSeen[r.id] {
                    issues.append(RuleIssue(file: set.path, line: r.line, column: r.column,
                                            message: "duplicate rule id '\(r.id)' (first defined at \(first.file):\(first.line))"))
                } else {
                    firstSeen[r.id] = (set.path, r.line)
                }
            }
        }

        let known = Set(scanned.map(\.name))
        let recordTypes = RecordTypes()
        let tripTypes = TripTypes(records: recordTypes)
        var tripRules: [CompiledRule] = []
        let calendar = StationCalendar(timeZone: config.timeZone)
        var params: [CompiledParams] = []
        var rules: [Rule] = []
        var byKind: [RecordKind: [CompiledRule]] = [:]
        issues += configIssues(known: known, sets: sets)
        issues += actionIssues(ruleIDs: Set(firstSeen.keys))

        for set in sets {
            let log = IssueLog(file: set.path)
            let p = compileParams(set, log: log)
            let setIndex = params.count
            params.append(p)
            var environments: [String: CELEnvironment] = [:]
            for def in set.rules {
                // A record rule sees `record`; a trip rule sees `trip` (and the record types inside it).
                let subject: (name: String, type: String)
                if def.kind == RuleLoader.tripKind {
                    subject = ("trip", tripTypes.trip.name)
                } else if let kind = RecordKind(rawValue: def.kind), let recordType = recordTypes.kinds[kind] {
                    subject = ("record", recordType.name)
                } else {
                    continue
                }
                let env: CELEnvironment
                if let e = environments[def.kind] { env = e } else {
                    env = CELEnvironment(declarations: Declarations(
                        variables: [subject.name: .object(subject.type), "params": .object(p.type.name)],
                        objectTypes: recordTypes.all + tripTypes.all + [p.type],
                        // cel-go's ext libraries (strings, math, encoders): rule authors use
                        // substring/join/upperAscii and math.abs/greatest.
                        functions: calendar.functions + Review.functions + Extensions.all))
                    environments[def.kind] = env
                }
                let rule = Rule(id: def.id, title: def.title, ruleset: set.name, kind: def.kind, severity: def.severity,
                                action: config.action(for: def.id, declared: def.action, tags: def.tags), enabled: def.enabled, tags: def.tags, references: def.references,
                                messageID: def.messageID ?? MessageIDs.derived(ruleID: def.id), file: set.path, line: def.line)
                let what = "rule \(def.id)"
                let when = compileCondition(def.when, document: set.document, env: env, what: what, log: log)
                let compileHole: (Source) throws -> CompiledExpression = { try env.compile($0) }
                let message = MessageTemplate.compile(def.message, document: set.document, what: "\(what): message",
                                                      compileHole: compileHole, log: log)
                var messageEN: MessageTemplate?
                if let n = def.messageEN {
                    messageEN = MessageTemplate.compile(n, document: set.document, what: "\(what): message_en",
                                                        compileHole: compileHole, log: log)
                }
                rules.append(rule)
                if def.enabled, let when, let message, def.messageEN == nil || messageEN != nil {
                    let compiled = CompiledRule(rule: rule, when: when, message: message, messageEN: messageEN, set: setIndex)
                    if let kind = RecordKind(rawValue: def.kind) {
                        byKind[kind, default: []].append(compiled)
                    } else {
                        tripRules.append(compiled)
                    }
                }
            }
            issues += log.issues
        }
        if !issues.isEmpty { throw RuleLoadError(issues: issues) }
        let paths = sets.map(\.path)
        let version = contentVersion ? RuleLoader.contentHash(of: paths, config: config) : RuleLoader.version(of: paths, config: config)
        return RuleGeneration(version: version, config: config,
                              rules: rules, files: active, byKind: byKind, tripRules: tripRules, params: params,
                              recordTypes: recordTypes, tripTypes: tripTypes, calendar: calendar)
    }

    /// Compiles `when:`, which must be a bool condition; errors point into the YAML file.
    private func compileCondition(_ node: Yams.Node, document: YAMLDocument, env: CELEnvironment, what: String,
                                  log: IssueLog) -> CompiledExpression? {
        guard let placement = document.placement(of: node) else { return nil }
        let cel = placement.celText
        let source = Source(cel.text, description: document.path, baseLine: cel.line, baseColumn: cel.column,
                            continuationIndent: 0)
        do {
            let compiled = try env.compile(source)
            switch compiled.resultType {
            case .bool, .dyn: return compiled
            default:
                log.add("\(what): 'when' must be a condition (bool), found \(compiled.resultType)",
                        line: cel.line, column: cel.column)
                return nil
            }
        } catch let e as CompileError {
            for issue in e.issues {
                log.add(RuleIssue(file: document.path, line: issue.line, column: issue.column,
                                  message: "\(what): \(issue.message)", detail: caretLines(issue.rendered)))
            }
        } catch {
            log.add("\(what): \(error)", line: cel.line, column: cel.column)
        }
        return nil
    }

    // MARK: - Params

    /// The set's params as a CEL object type and value, with the station's overrides applied.
    private func compileParams(_ set: RuleSetFile, log: IssueLog) -> CompiledParams {
        let type = ObjectType(name: "\(set.name).params",
                              fields: set.params.map { ($0.name, RuleLoader.celType(of: $0.defaultValue)) })
        var values = set.params.map(\.defaultValue)
        for o in config.paramOverrides[set.name] ?? [] {
            guard let i = set.params.firstIndex(where: { $0.name == o.param }) else { continue }  // reported by configIssues
            if let v = try? RuleLoader.conform(o.value, to: set.params[i]).get() { values[i] = v }
        }
        let value = Value.object(ObjectValue(type: type, fields: values.map { RuleLoader.celValue(of: $0) }))
        return CompiledParams(name: set.name, definitions: set.params, type: type, value: value)
    }

    /// Checks the config's `params:` against the sets: unknown set, unknown param, wrong type.
    private func configIssues(known: Set<String>, sets: [RuleSetFile]) -> [RuleIssue] {
        guard let path = config.path else { return [] }
        let log = IssueLog(file: path)
        // A set switched off (masked, disabled) may still be configured; its params are not checked.
        let declared = Dictionary(sets.map { ($0.name, $0.params) }, uniquingKeysWith: { a, _ in a })
        for (set, overrides) in config.paramOverrides.sorted(by: { $0.key < $1.key }) {
            guard known.contains(set) else {
                log.add("params: unknown rule set '\(set)'", at: config.setKeyNodes[set]?.mark)
                continue
            }
            guard let defs = declared[set] else { continue }   // masked or disabled: nothing to check against
            for o in overrides {
                guard let def = defs.first(where: { $0.name == o.param }) else {
                    let names = defs.map(\.name).joined(separator: ", ")
                    log.add("params: rule set '\(set)' has no param '\(o.param)' (it has: \(names.isEmpty ? "none" : names))", at: o.keyNode.mark)
                    continue
                }
                if case .failure(let e) = RuleLoader.conform(o.value, to: def) {
                    log.add("params: \(set).\(o.param): \(e.message)", at: o.value.mark)
                }
            }
        }
        return log.issues
    }

    /// Checks the config's `actions:` against the rules of the active sets: an unknown rule id.
    private func actionIssues(ruleIDs: Set<String>) -> [RuleIssue] {
        guard let path = config.path else { return [] }
        let log = IssueLog(file: path)
        for id in config.actionOverrides.keys.sorted() where !ruleIDs.contains(id) {
            log.add("actions: no active rule '\(id)'", at: config.actionKeyNodes[id]?.mark)
        }
        return log.issues
    }

    /// A YAML override read as the type of the param's default.
    static func conform(_ node: Yams.Node, to def: ParamDefinition) -> Result<ParamValue, ParamValueError> {
        switch ParamValue.read(node) {
        case .failure(let e): return .failure(e)
        case .success(let v):
            guard let c = def.defaultValue.conforming(v) else {
                return .failure(ParamValueError("must be \(def.defaultValue.typeName) like the default \(def.defaultValue), found \(v.typeName) \(v)"))
            }
            return .success(c)
        }
    }

    static func celType(of v: ParamValue) -> CELType {
        switch v {
        case .int: return .int
        case .double: return .double
        case .string: return .string
        case .bool: return .bool
        case .list(let items): return .list(items.first.map(celType(of:)) ?? .dyn)
        }
    }

    static func celValue(of v: ParamValue) -> Value {
        switch v {
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .list(let items): return .list(items.map(celValue(of:)))
        }
    }

    // MARK: - Version

    /// Content hash of the files (and config) plus a process load counter and the time.
    static func version(of paths: [String], config: StationConfig) -> String {
        "\(contentHash(of: paths, config: config))-\(loadCounter.next())-\(Int(Date().timeIntervalSince1970))"
    }

    /// The first 12 hex digits of the SHA-256 of the files' paths and bytes (and the config's).
    static func contentHash(of paths: [String], config: StationConfig) -> String {
        var bytes: [UInt8] = []
        for p in (paths + [config.path].compactMap { $0 }) {
            bytes += Array(p.utf8) + [0]
            if let d = try? YAMLDocument.readBounded(path: p) { bytes += Array(d) }
            bytes.append(0)
        }
        return String(SHA256.hex(bytes).prefix(12))
    }
}
