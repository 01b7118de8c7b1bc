// RecordChecked: the info entry every accepted record gets (SG_EVENT=record-checked), so that
// `journalctl SG_PLATE=…` tells a bus that passed every check from one never inspected.
import Records
import Rules
import Systemd

enum RecordChecked {
    /// The entry: kind, ids, the SHA-256 (crash recovery finds it like an alert) and the count
    /// of alerts by action (SG_ALERTS_HOLD, _REFUSE, _WARN, _REVIEW). Texts are cleaned once,
    /// by `DaemonEvent.fields` (the choke point), not here as well.
    static func fields(_ record: Record, alerts: [Alert], context: EventContext, language: MessageLanguage) -> [JournalField] {
        var counts: [RuleAction: Int] = [:]
        for a in alerts { counts[a.action, default: 0] += 1 }
        let n = { (a: RuleAction) in counts[a] ?? 0 }
        var subject: [String] = []
        if let trip = record.tripID { subject.append((language == .en ? "trip " : "班次 ") + trip) }
        if let plate = record.plateNo { subject.append((language == .en ? "bus " : "车辆 ") + plate) }
        let driver = record.body["driver_id"]?.stringValue
        if let driver { subject.append((language == .en ? "driver " : "驾驶员 ") + driver) }
        if let bag = record.body["bag_id"]?.stringValue { subject.append((language == .en ? "bag " : "行包 ") + bag) }
        let about = subject.isEmpty ? "" : (language == .en ? " (" + subject.joined(separator: ", ") + ")" : "（" + subject.joined(separator: "，") + "）")
        let message = language == .en
            ? "\(record.kind.rawValue) record \(record.id)\(about) checked: \(n(.hold)) HOLD, \(n(.refuse)) REFUSE, \(n(.warn)) WARN, \(n(.review)) REVIEW."
            : "\(kindName(record.kind))记录 \(record.id)\(about)已检查：扣车 \(n(.hold)) 项，拒绝 \(n(.refuse)) 项，提示 \(n(.warn)) 项，待复核 \(n(.review)) 项。"
        var extra: [(String, String)] = [
            ("SG_RECORD_ID", record.id), ("SG_RECORD_KIND", record.kind.rawValue),
            ("SG_RECORD_SHA256", record.sha256), ("SG_SPOOL_FILE", record.fileName),
            ("SG_ALERTS_HOLD", String(n(.hold))), ("SG_ALERTS_REFUSE", String(n(.refuse))),
            ("SG_ALERTS_WARN", String(n(.warn))), ("SG_ALERTS_REVIEW", String(n(.review))),
        ]
        if let trip = record.tripID { extra.append(("SG_TRIP", trip)) }
        if let plate = record.plateNo { extra.append(("SG_PLATE", plate)) }
        if let driver { extra.append(("SG_DRIVER", driver)) }
        return DaemonEvent.recordChecked.fields(message: message, spool: context.spool,
                                                station: context.station ?? record.stationCode,
                                                rulesVersion: context.rulesVersion, extra: extra)
    }

    static func kindName(_ kind: RecordKind) -> String {
        switch kind {
        case .vehicle: return "车辆例检"
        case .driver: return "驾驶员报班"
        case .luggage: return "行包安检"
        case .departure: return "出站检查"
        }
    }
}
