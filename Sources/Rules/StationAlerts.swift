// StationAlerts: the REVIEW alerts no rule file can express, because they compare a record
// with the station itself: a record from another station's kiosk (REC-001), and a record id
// sent again with other bytes (REC-002). Both ask an officer to look; neither is a silent pass.
import Foundation
import Records

extension RuleGeneration {
    /// REC-001: the record's `station_code` is not the configured station's.
    public func otherStationAlert(_ record: Record) -> Alert? {
        guard let own = config.stationCode, !own.isEmpty, record.stationCode != own else { return nil }
        let message = config.language == .en
            ? "Record \(record.id) names station \(record.stationCode), not this station \(own): a record from another station's kiosk, or a kiosk set up wrongly. Nothing it shows clears a bus here until an officer has checked it."
            : "记录 \(record.id) 的车站代码为 \(record.stationCode)，不是本站 \(own)：可能是其他车站的终端上传，或终端配置有误。经人工核实前，该记录不能作为本站放行依据。"
        return alert(RuleGeneration.otherStation, action: .review, message: JournalText.clean(message),
                     reason: "station_code \(record.stationCode) is not \(own)", record: record)
    }

    /// REC-002: the record id was stored before with other bytes; the first version stays.
    public func resentAlert(_ record: Record, storedSHA256: String, storedFile: String) -> Alert {
        let message = config.language == .en
            ? "Record \(record.id) was sent again with different content (first as \(storedFile), SHA-256 \(storedSHA256.prefix(12))…; now \(record.fileName), \(record.sha256.prefix(12))…). The first version stays in force; an officer must find out which is right."
            : "记录 \(record.id) 再次上传但内容不同（首次文件 \(storedFile)，SHA-256 \(storedSHA256.prefix(12))…；本次 \(record.fileName)，\(record.sha256.prefix(12))…）。以首次内容为准，请人工核实哪一份正确。"
        return alert(RuleGeneration.resent, action: .review, message: JournalText.clean(message),
                     reason: "record id sent again with other bytes", record: record)
    }

    /// REC-003: the trip store failed (disk full, I/O error): the record's alerts stand, but no
    /// trip verdict was made with it.
    public func storeFailedAlert(_ record: Record, error: String) -> Alert {
        let message = config.language == .en
            ? "Record \(record.id): the trip store failed (\(error)); no trip verdict was made with this record. Decide its trip at the gate by hand."
            : "记录 \(record.id)：班次库写入失败（\(error)），本记录未参与人车联检判定。请在出站口人工判定该班次。"
        return alert(RuleGeneration.storeFailed, action: .review, message: JournalText.clean(message),
                     reason: "trip store failed", record: record)
    }

    static let storeFailed = Rule(
        id: "REC-003", title: "班次库写入失败 / trip store failed", ruleset: "records", kind: "any",
        severity: .error, action: .review, enabled: true, tags: [], references: [],
        messageID: MessageIDs.derived(ruleID: "REC-003"), file: "(built in)", line: 0)
    static let otherStation = Rule(
        id: "REC-001", title: "记录来自其他车站 / record from another station", ruleset: "records", kind: "any",
        severity: .error, action: .review, enabled: true, tags: [], references: [],
        messageID: MessageIDs.derived(ruleID: "REC-001"), file: "(built in)", line: 0)
    static let resent = Rule(
        id: "REC-002", title: "同一记录编号内容不同 / record id resent with other content", ruleset: "records", kind: "any",
        severity: .error, action: .review, enabled: true, tags: [], references: [],
        messageID: MessageIDs.derived(ruleID: "REC-002"), file: "(built in)", line: 0)
}
