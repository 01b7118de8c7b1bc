// Fixtures: the rule set the integration tests run with, and the spec's example records.
import Foundation

enum Fixtures {
    /// One rule set with rules for every kind; IT-DEP-2 gives a REVIEW when unbelted_count is
    /// missing; IT-DRV-1's message carries the ID number, which must reach the journal masked.
    static let rules = """
    ruleset: testset
    title: integration test rules
    rules:
      - id: IT-DEP-1
        title: over capacity
        kind: departure
        when: record.adults + record.seated_children > record.approved_passenger_seats
        severity: critical
        action: HOLD
        message: "班次 {{record.trip_id}} 车辆 {{record.plate_no}} 超员：{{record.adults + record.seated_children}}/{{record.approved_passenger_seats}}"
      - id: IT-DEP-2
        title: unbelted passengers
        kind: departure
        when: record.unbelted_count > 0
        severity: warning
        action: WARN
        message: "{{record.unbelted_count}} unbelted"
      - id: IT-DRV-1
        title: alcohol
        kind: driver
        when: record.alcohol.breath_mg_per_l > 0.0
        severity: critical
        action: REFUSE
        message: "司机 {{record.driver_name}} ({{record.id_card_no}}) 酒精 {{record.alcohol.breath_mg_per_l}} mg/L"
      - id: IT-LUG-1
        title: prohibited item
        kind: luggage
        when: record.result == 'prohibited'
        severity: error
        action: REFUSE
        message: "行包 {{record.bag_id}} 违禁品"
      - id: IT-VEH-1
        title: tread
        kind: vehicle
        when: record.tyre_tread_min_steer_mm < 5.0
        severity: notice
        action: WARN
        message: "{{record.plate_no}} steer tread {{record.tyre_tread_min_steer_mm}} mm"

    """

    /// The rule set with one more rule that fires on every departure record.
    static let rulesWithExtra = rules + """
      - id: IT-DEP-3
        title: every departure (added at reload)
        kind: departure
        when: "true"
        severity: info
        action: WARN
        message: "departure {{record.trip_id}} seen"

    """

    static let exampleNames = ["departure-overcapacity", "driver-alcohol", "luggage-prohibited", "vehicle-pass"]

    /// The spec's four examples, copied to bench/records/ (the benchmark uses them too).
    static func example(_ name: String) -> [String: Any] {
        let data = FileManager.default.contents(atPath: repository.path + "/bench/records/\(name).json") ?? Data()
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }
}
