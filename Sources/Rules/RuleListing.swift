// RuleListing: what `rules list` shows: every rule of every file in every layer, with the
// state that applies to it (active, disabled, masked, overridden).
import Foundation

/// The rules of all layers as an admin needs to see them.
public struct RuleListing {
    public struct Row {
        public var id: String
        public var title: String
        public var ruleset: String
        /// active | disabled | masked | overridden
        public var state: String
        public var kind: String
        public var severity: String
        /// The action in force (the station config's `actions:` or `strict_holiday_mode` applied).
        public var action: String
        /// The action the rule file declares.
        public var declaredAction: String
        /// The layer directory of the file the rule is in.
        public var directory: String
        public var file: String
    }
    public var rules: [Row] = []
    /// Masks (no rules of their own), listed so the admin sees them.
    public var setsWithoutRules: [RuleSetEntry] = []
    /// Files that could not be read (shape only; CEL is not compiled here: see `rules check`).
    public var issues: [RuleIssue] = []

    /// Scans the layers and reads every file.
    public static func make(layers: RuleLayers, config: StationConfig = StationConfig()) -> RuleListing {
        var listing = RuleListing()
        let entries = layers.scan()
        // The state of the top entry of each name decides for the files beneath it.
        var top: [String: RuleSetState] = [:]
        for e in entries where e.state != .overridden { top[e.name] = e.state }
        for e in entries {
            if e.state == .masked { listing.setsWithoutRules.append(e); continue }
            let log = IssueLog(file: e.path)
            guard let file = RuleSetFile.read(path: e.path, stem: e.name, kinds: RuleLoader.kindNames, log: log) else {
                listing.issues += log.issues; continue
            }
            listing.issues += log.issues
            for r in file.rules {
                var state = e.state
                if e.state == .overridden, let t = top[e.name], t == .masked || t == .disabled { state = t }
                let word = state == .active && !r.enabled ? "disabled" : state.rawValue
                listing.rules.append(Row(id: r.id, title: r.title, ruleset: e.name, state: word, kind: r.kind,
                                         severity: r.severity.rawValue,
                                         action: config.action(for: r.id, declared: r.action, tags: r.tags).rawValue,
                                         declaredAction: r.action.rawValue,
                                         directory: e.directory, file: e.path))
            }
        }
        return listing
    }
}
