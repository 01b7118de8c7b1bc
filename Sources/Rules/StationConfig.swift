// StationConfig: the settings a station changes (station code, time zone, message language,
// retention of done/, rule parameter overrides), from one YAML file; every setting has a
// default, and a missing file means all defaults.
import Foundation
import Yams

/// Which variant of a rule's message goes to the journal.
public enum MessageLanguage: String, Sendable {
    /// `message:` (Chinese, the station's language).
    case zh
    /// `message_en:`, falling back to `message:` when a rule has none.
    case en
}

/// The station config file (default `/etc/stationguard/stationguard.yaml`).
public struct StationConfig {
    public static let defaultPath = "/etc/stationguard/stationguard.yaml"

    /// The station's code (e.g. `GZ-SYZ-01`); nil when not configured.
    public var stationCode: String?
    /// The time zone of the station date helpers (`validThrough`, `stationDate`, …).
    public var timeZone: TimeZone
    public var language: MessageLanguage
    /// How many days processed records stay in `done/DATE/`.
    public var doneRetentionDays: Int
    /// How many station days of records the trip store keeps.
    public var tripRetentionDays: Int
    /// At most this many journal entries per second while the daemon catches up on a backlog,
    /// so a burst stays below journald's per-service rate limit (systemd's LogRateLimit*=).
    public var catchUpAlertsPerSecond: Int
    /// The file read, nil when defaults were used.
    public var path: String?
    /// `strict_holiday_mode: true`: every rule tagged `从严` (the catalogue's "WARN (HOLD if
    /// cfg.strict)" rules) whose file says WARN holds instead, e.g. for the 黄金周.
    public var strictHolidayMode: Bool
    /// `actions: {RULE-ID: HOLD}`: the action in force for these rules, whatever their file
    /// or `strict_holiday_mode` says (rule ids checked against the sets at rule load).
    public var actionOverrides: [String: RuleAction]
    var actionKeyNodes: [String: Node]
    /// The tag of the rules `strict_holiday_mode` turns from WARN into HOLD.
    public static let strictTag = "从严"
    /// Param overrides by set and param, still as YAML (checked against the sets at rule load).
    var paramOverrides: [String: [(param: String, keyNode: Node, value: Node)]]
    var setKeyNodes: [String: Node]

    public static let defaultTimeZone = "Asia/Shanghai"
    public static let defaultRetentionDays = 180
    /// Days of records the trip store keeps for joins, status and the board (a trip needs the
    /// last 24 h; a week lets an officer look back).
    public static let defaultTripRetentionDays = 7
    public static let defaultCatchUpAlertsPerSecond = 5000

    /// All defaults.
    public init() {
        stationCode = nil
        timeZone = TimeZone(identifier: StationConfig.defaultTimeZone) ?? TimeZone(secondsFromGMT: 8 * 3600)!
        language = .zh
        doneRetentionDays = StationConfig.defaultRetentionDays
        tripRetentionDays = StationConfig.defaultTripRetentionDays
        catchUpAlertsPerSecond = StationConfig.defaultCatchUpAlertsPerSecond
        path = nil
        paramOverrides = [:]
        setKeyNodes = [:]
        strictHolidayMode = false
        actionOverrides = [:]
        actionKeyNodes = [:]
    }

    static let keys = ["station_code", "time_zone", "language", "done_retention_days", "trip_retention_days",
                       "catch_up_alerts_per_second", "strict_holiday_mode", "actions", "params"]

    /// The action in force for a rule whose file declares `declared` with `tags`.
    public func action(for rule: String, declared: RuleAction, tags: [String]) -> RuleAction {
        if let a = actionOverrides[rule] { return a }
        if strictHolidayMode, declared == .warn, tags.contains(StationConfig.strictTag) { return .hold }
        return declared
    }

    /// Reads the config file.
    /// - Parameters:
    ///   - mustExist: false for the default path (absent = defaults), true for `--config`.
    ///   - strictModes: refuse a file (or a folder holding it) that anyone but root or this
    ///     user could write (`StrictModes`); false only for tests (`--insecure-rules`).
    /// - Throws: `RuleLoadError` listing every problem, each with file:line:col.
    public static func load(path: String, mustExist: Bool = false, strictModes: Bool = true) throws -> StationConfig {
        var config = StationConfig()
        if !FileManager.default.fileExists(atPath: path) {
            if mustExist { throw RuleLoadError(issues: [RuleIssue(file: path, line: 0, column: 0, message: "no such config file")]) }
            return config
        }
        if strictModes {
            let folder = (path as NSString).deletingLastPathComponent
            let issues = [StrictModes.problem(folder.isEmpty ? "." : folder, what: "config folder", allowSticky: true),
                          StrictModes.problem(path, what: "config file")].compactMap { $0 }
            if !issues.isEmpty { throw RuleLoadError(issues: issues) }
        }
        let log = IssueLog(file: path)
        let doc: YAMLDocument
        do { doc = try YAMLDocument.read(path: path) } catch let issue as RuleIssue {
            throw RuleLoadError(issues: [issue])
        }
        config.path = path
        guard let root = doc.root else { return config }   // an empty file: all defaults
        guard let m = StrictMapping(root, what: "the station config", log: log) else { throw RuleLoadError(issues: log.issues) }
        m.check(allowed: keys, required: [], what: "the station config")
        config.stationCode = m.string("station_code", what: "station config")
        if let tz = m.string("time_zone", what: "station config") {
            if let zone = TimeZone(identifier: tz) { config.timeZone = zone }
            else { log.add("unknown time zone '\(tz)' (an IANA name such as Asia/Shanghai or Asia/Urumqi)", at: m["time_zone"]?.mark) }
        }
        if let lang = m.string("language", what: "station config") {
            if let l = MessageLanguage(rawValue: lang) { config.language = l }
            else { log.add("unknown language '\(lang)' (zh or en)", at: m["language"]?.mark) }
        }
        if let days = m.int("done_retention_days", what: "station config") {
            if days >= 1 { config.doneRetentionDays = days }
            else { log.add("done_retention_days must be at least 1, found \(days)", at: m["done_retention_days"]?.mark) }
        }
        if let days = m.int("trip_retention_days", what: "station config") {
            if days >= 2 { config.tripRetentionDays = days }
            else { log.add("trip_retention_days must be at least 2 (a trip joins the 24 hours before it), found \(days)", at: m["trip_retention_days"]?.mark) }
        }
        if let rate = m.int("catch_up_alerts_per_second", what: "station config") {
            if rate >= 1 { config.catchUpAlertsPerSecond = rate }
            else { log.add("catch_up_alerts_per_second must be at least 1, found \(rate)", at: m["catch_up_alerts_per_second"]?.mark) }
        }
        config.strictHolidayMode = m.bool("strict_holiday_mode", what: "station config") ?? false
        if let anode = m["actions"], let actions = StrictMapping(anode, what: "'actions'", log: log) {
            for a in actions.pairs {
                let allowed = [RuleAction.hold, .refuse, .warn]
                guard let word = a.value.scalar?.string, let action = RuleAction(rawValue: word), allowed.contains(action) else {
                    log.add("actions: \(a.key): must be HOLD, REFUSE or WARN, found \(a.value.describedValue)", at: a.value.mark)
                    continue
                }
                config.actionOverrides[a.key] = action
                config.actionKeyNodes[a.key] = a.keyNode
            }
        }
        if let pnode = m["params"], let sets = StrictMapping(pnode, what: "'params'", log: log) {
            for s in sets.pairs {
                guard let params = StrictMapping(s.value, what: "params of set '\(s.key)'", log: log) else { continue }
                config.setKeyNodes[s.key] = s.keyNode
                config.paramOverrides[s.key] = params.pairs.map { ($0.key, $0.keyNode, $0.value) }
            }
        }
        if !log.isEmpty { throw RuleLoadError(issues: log.issues) }
        return config
    }
}
