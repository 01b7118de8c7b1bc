// TripDecisions: the gate's question, "may this bus leave now?", answered from a joined trip.
//
// The reasons are, in this order: the departure record's own blocking alerts (overcapacity,
// belts, signatures…), the vehicle record's, each driver's, then every `kind: trip` rule that
// fired or could not decide. HOLD if any reason is HOLD, REFUSE or REVIEW; else RELEASE
// (WARN reasons are still listed).
import CEL
import Foundation
import Records

extension RuleGeneration {
    /// Decides one trip with the trip rules in force.
    public func decide(_ trip: Trip) -> TripDecision { decide(trip, params: nil) }

    /// `params` replaces sets' param values, by set index (rule tests).
    func decide(_ trip: Trip, params override: [Int: Value]?) -> TripDecision {
        var reasons: [TripReason] = []
        for joined in [trip.departure] + (trip.vehicle.map { [$0] } ?? []) + trip.drivers {
            for a in joined.alerts where a.blocks {
                reasons.append(TripReason(rule: a.rule, action: a.action, message: a.message))
            }
        }
        if !tripRules.isEmpty {
            let tripValue = tripTypes.value(of: trip, clock: stationTime)
            for r in tripRules {
                let activation = RuleActivation(record: tripValue, params: override?[r.set] ?? params[r.set].value)
                let result = r.when.evaluate(activation)
                guard let o = outcome(of: r, result, activation, record: nil) else { continue }
                reasons.append(TripReason(rule: r.rule.id, action: o.action.rawValue, message: o.message))
            }
        }
        let blocking = reasons.filter { $0.action != RuleAction.warn.rawValue }
        let verdict: TripVerdict = blocking.isEmpty ? .release : .hold
        // HOLD reasons first, so the officer reads what keeps the bus before what is advice.
        let ordered = blocking + reasons.filter { $0.action == RuleAction.warn.rawValue }
        let joined = [trip.departure] + (trip.vehicle.map { [$0] } ?? []) + trip.drivers + trip.luggage
        let basis = joined.map {
            TripBasis(kind: $0.record.kind.rawValue, recordID: JournalText.clean($0.record.id),
                      recordedAt: stationTime($0.record.recordedAt), passed: $0.passed)
        }
        return TripDecision(verdict: verdict, tripID: trip.id, plate: trip.departure.record.plateNo,
                            departureRecordID: trip.departure.record.id, drivers: trip.driverIDs, reasons: ordered,
                            message: JournalText.clean(gateMessage(trip, verdict: verdict, reasons: ordered)),
                            departureAt: stationTime(trip.departureAt), basis: basis,
                            scheduledAt: trip.departure.record.timestamp(atPath: "scheduled_departure_at").map(stationTime))
    }

    /// One sentence (or a numbered list) in the gate officer's words.
    private func gateMessage(_ trip: Trip, verdict: TripVerdict, reasons: [TripReason]) -> String {
        let plate = trip.departure.record.plateNo ?? "?"
        let at = stationTime(trip.departureAt)
        let en = config.language == .en
        let listed = reasons.enumerated().map { "\($0.offset + 1)) \($0.element.rule): \($0.element.message)" }
        switch verdict {
        case .hold:
            return en
                ? "Trip \(trip.id) bus \(plate) (departure \(at)): HOLD, the bus must not leave; \(reasons.count) reason\(reasons.count == 1 ? "" : "s"): " + listed.joined(separator: " ")
                : "班次 \(trip.id) 车辆 \(plate)（发车 \(at)）扣车，不得出站；原因 \(reasons.count) 项：" + listed.joined(separator: " ")
        case .release:
            let drivers = trip.driverIDs.joined(separator: en ? ", " : "、")
            let bags = trip.luggage.count
            let vehicleAt = trip.vehicle.map { stationTime($0.record.recordedAt) } ?? "?"
            var text = en
                ? "Trip \(trip.id) bus \(plate) (departure \(at)): RELEASE, vehicle and driver checks passed (vehicle inspected \(vehicleAt); drivers \(drivers); \(bags) bag record\(bags == 1 ? "" : "s"))."
                : "班次 \(trip.id) 车辆 \(plate)（发车 \(at)）人车联检通过，准予出站（例检 \(vehicleAt)；驾驶员 \(drivers)；行包安检记录 \(bags) 件）。"
            if !reasons.isEmpty { text += (en ? " Notes: " : " 提示：") + listed.joined(separator: " ") }
            return text
        }
    }

    /// `2026-10-01 09:00` at the station, as the officer reads clocks.
    func stationTime(_ ts: RFC3339Timestamp) -> String {
        let local = ts.secondsSinceEpoch &+ Int64(calendar.offset(at: ts.secondsSinceEpoch))
        let day = local >= 0 ? local / 86400 : (local &- 86399) / 86400
        let sec = local - day * 86400
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(CalendarDate(daysSinceEpoch: Int(day))) \(two(sec / 3600)):\(two(sec % 3600 / 60))"
    }

    /// The station calendar date of an instant (the trip store's station day).
    public func stationDate(_ ts: RFC3339Timestamp) -> CalendarDate {
        CalendarDate(daysSinceEpoch: Int(calendar.stationDay(CELTimestamp(seconds: ts.secondsSinceEpoch, nanos: ts.nanoseconds))))
    }
}
