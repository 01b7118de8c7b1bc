// RuleGeneration: one compiled, immutable set of rules in force, and its evaluation of a
// record into alerts. A reload builds a new generation; the old one stays usable until
// replaced, so a record is always judged by exactly one generation.
import CEL
import Foundation
import Records

/// A rule as loaded: what `rules list` shows and an alert refers to.
public struct Rule: Sendable {
    public var id: String
    public var title: String
    public var ruleset: String
    public var kind: String
    public var severity: Severity
    public var action: RuleAction
    /// False for `enabled: false`: loaded and checked, never evaluated.
    public var enabled: Bool
    public var tags: [String]
    public var references: [String]
    /// Declared `message_id`, or derived from the id (`MessageIDs.derived`).
    public var messageID: String
    public var file: String
    public var line: Int
}

/// A rule ready to evaluate. A class: iterating rules per record must not copy them.
final class CompiledRule {
    let rule: Rule
    let when: CompiledExpression
    let message: MessageTemplate
    let messageEN: MessageTemplate?
    /// Index into the generation's per-set params.
    let set: Int

    init(rule: Rule, when: CompiledExpression, message: MessageTemplate, messageEN: MessageTemplate?, set: Int) {
        self.rule = rule; self.when = when; self.message = message; self.messageEN = messageEN; self.set = set
    }
}

/// A rule set's params: the declared definitions, their CEL type and current values.
struct CompiledParams {
    var name: String
    var definitions: [ParamDefinition]
    var type: ObjectType
    var value: Value
}

/// The rules in force: load once (`RuleLoader.load()`), evaluate every record with it.
/// Thread-safe for concurrent `evaluate` calls (immutable after load; the calendar cache and
/// the pool of condition activations lock).
public final class RuleGeneration {
    /// Changes on every load (SG_RULES_VERSION): content hash of the loaded files, a load
    /// counter and the load time.
    public let version: String
    public let config: StationConfig
    /// Every rule of every active set, enabled or not, in set then file order.
    public let rules: [Rule]
    /// The active rule set files the rules came from.
    public let files: [RuleSetEntry]

    /// Enabled rules only, by the kind they read.
    let byKind: [RecordKind: [CompiledRule]]
    /// Enabled `kind: trip` rules.
    let tripRules: [CompiledRule]
    let tripTypes: TripTypes
    let params: [CompiledParams]
    let recordTypes: RecordTypes
    let calendar: StationCalendar
    /// Per evaluating thread: an activation for each enabled rule's condition, in `byKind` order.
    private let conditionActivations: ScratchPool<[RecordKind: [Activation]]>

    init(version: String, config: StationConfig, rules: [Rule], files: [RuleSetEntry], byKind: [RecordKind: [CompiledRule]],
         tripRules: [CompiledRule], params: [CompiledParams], recordTypes: RecordTypes, tripTypes: TripTypes,
         calendar: StationCalendar) {
        self.version = version; self.config = config; self.rules = rules; self.files = files
        self.byKind = byKind; self.tripRules = tripRules; self.params = params; self.recordTypes = recordTypes
        self.tripTypes = tripTypes; self.calendar = calendar
        conditionActivations = ScratchPool { byKind.mapValues { rules in rules.map { $0.when.makeActivation() } } }
    }

    /// Evaluates every enabled rule of the record's kind.
    ///
    /// `true` gives an alert with the rule's severity and action; `false` gives nothing; an
    /// evaluation error (a field the kiosk did not capture) or a non-bool result gives a
    /// `REVIEW` alert naming the reason. One rule's failure never stops the others.
    /// - Parameter record: a record accepted by `RecordDecoder` (its body, file name and SHA-256).
    /// - Returns: alerts in rule order (set name, then file order).
    public func evaluate(_ record: Record) -> [Alert] {
        evaluate(record, params: nil)
    }

    /// `evaluate`, also handing back the record's body as the rules saw it, for the trip rules
    /// to reuse when its trip is decided (`JoinedRecord.value`).
    public func evaluateKeepingValue(_ record: Record) -> (alerts: [Alert], value: RecordValue?) {
        let object = recordTypes.value(of: record.body, kind: record.kind)
        return (evaluate(record, object: object, params: nil), object.map(RecordValue.init))
    }

    /// `params` replaces sets' param values, by set index (rule tests).
    func evaluate(_ record: Record, params override: [Int: Value]?) -> [Alert] {
        guard let rules = byKind[record.kind], !rules.isEmpty else { return [] }
        return evaluate(record, object: recordTypes.value(of: record.body, kind: record.kind), params: override)
    }

    private func evaluate(_ record: Record, object: ObjectValue?, params override: [Int: Value]?) -> [Alert] {
        guard let rules = byKind[record.kind], !rules.isEmpty else { return [] }
        guard let object else {
            // Cannot happen for a decoded record; never let it pass silently.
            return rules.map {
                alert($0.rule, action: .review, message: "record body does not match the schema", reason: "record body does not match the schema", record: record)
            }
        }
        let recordValue = Value.object(object)
        return conditionActivations.withScratch { scratch in
            let conditions = scratch[record.kind] ?? []
            var alerts: [Alert] = []
            for (i, r) in rules.enumerated() {
                let paramValue = override?[r.set] ?? params[r.set].value
                let activation = RuleActivation(record: recordValue, params: paramValue)
                let result = i < conditions.count ? r.when.evaluate(activation, in: conditions[i]) : r.when.evaluate(activation)
                guard let o = outcome(of: r, result, activation, record: record) else { continue }
                alerts.append(alert(r.rule, action: o.action, message: o.message, reason: o.reason, record: record))
            }
            if !record.unknownFieldPaths.isEmpty {
                // A misspelt field (adluts) is kept but read by no rule: never let it turn a check off silently.
                let text = JournalText.clean(Review.unknownFieldMessage(record, language: config.language))
                alerts.append(Alert(rule: Review.unknownFieldRule, ruleset: "record", severity: .warning, action: .review,
                                    message: text, messageID: Review.messageID, reviewReason: text, recordID: record.id,
                                    recordKind: record.kind.rawValue, station: record.stationCode, kiosk: record.kioskID,
                                    officer: record.officerID, trip: record.tripID, plate: record.plateNo,
                                    spoolFile: record.fileName, recordSHA256: record.sha256, rulesVersion: version))
            }
            return alerts
        }
    }

    /// What one rule's condition result says, for a record or a trip: nil when false; the
    /// rendered message when true; a REVIEW with its reason, in the station's language, when the
    /// rule could not decide (an error, or not a bool).
    func outcome(of r: CompiledRule, _ result: Value, _ activation: RuleActivation, record: Record?)
        -> (action: RuleAction, message: String, reason: String?)? {
        switch result {
        case .bool(false):
            return nil
        case .bool(true):
            let template = (config.language == .en ? r.messageEN : nil) ?? r.message
            let text = template.render({ $0.evaluate(activation) }, calendar: calendar)
            return (r.rule.action, JournalText.clean(text), nil)
        default:
            let reason = JournalText.clean(Review.reason(result, language: config.language, record: record))
            return (.review, JournalText.clean(Review.message(rule: r.rule, reason: reason, language: config.language)), reason)
        }
    }

    /// Why a condition result is not a decision, in English (rule tests, `check`).
    static func reviewReason(_ v: Value) -> String { Review.reason(v, language: .en) }

    func alert(_ rule: Rule, action: RuleAction, message: String, reason: String?, record: Record) -> Alert {
        // The configured station's code (interfaces.md §2); a record naming another station
        // gets REC-001 (StationAlerts.swift).
        Alert(rule: rule.id, ruleset: rule.ruleset, severity: rule.severity, action: action, message: message,
              messageID: action == .review ? Review.messageID : rule.messageID, reviewReason: reason, recordID: record.id, recordKind: record.kind.rawValue,
              station: config.stationCode ?? record.stationCode, kiosk: record.kioskID, officer: record.officerID, trip: record.tripID,
              plate: record.plateNo, spoolFile: record.fileName, recordSHA256: record.sha256, rulesVersion: version)
    }

    /// Index of a set's params, for test overrides.
    func paramsIndex(of set: String) -> Int? { params.firstIndex { $0.name == set } }
}
