// Fixtures: small rule sets, configs and records for the Rules tests, independent of the
// shipped rules/. Kept as Swift text (Package.swift declares no test resources); tests write
// them into temporary layer directories, where symlinks and renames can be exercised.

enum Fixtures {
    /// A driver rule whose condition gives a string (the licence's expiry date), not a bool:
    /// every driver record gets a REVIEW alert.
    static let dynResultRuleSet = """
    ruleset: edge
    rules:
      - id: E-001
        title: dyn result
        kind: driver
        when: record.licence.valid_until
        severity: warning
        action: WARN
        message: x
    """

    /// An admin's one-rule replacement for `capacity`: a WARN, not a HOLD.
    static func localCapacity(ruleID: String) -> String {
        """
        ruleset: capacity
        rules:
          - id: \(ruleID)
            title: over capacity (local)
            kind: departure
            when: record.adults > record.approved_passenger_seats
            severity: warning
            action: WARN
            message: local
        """
    }

    /// A departure rule set with params, a two-line folded condition and a disabled rule.
    static let capacity = """
    ruleset: capacity
    title: 超员 (test)
    params:
      free_child_ratio:
        default: 0.10
        description: lap children per approved seat
      exempt_routes:
        default: ["R-0"]
    rules:
      - id: T-001
        title: over capacity
        kind: departure
        when: record.adults + record.seated_children > record.approved_passenger_seats
        severity: critical
        action: HOLD
        message: "班次 {{record.trip_id}} 车辆 {{record.plate_no}} 超员：{{record.adults + record.seated_children}} 人，核定 {{ record.approved_passenger_seats }} 人。"
        message_en: "Trip {{record.trip_id}} bus {{record.plate_no}} is over capacity: {{record.adults + record.seated_children}} seated, {{record.approved_passenger_seats}} approved."
      - id: T-002
        title: too many lap children
        kind: departure
        when: >
          !(record.route_id in params.exempt_routes) &&
          double(record.lap_children) > double(record.approved_passenger_seats) * params.free_child_ratio
        severity: error
        action: HOLD
        message: "免票儿童 {{record.lap_children}} 人，超过 {{params.free_child_ratio}}"
      - id: T-003
        title: switched off
        kind: departure
        when: "true"
        severity: info
        action: WARN
        message: never
        enabled: false

    """

    /// Driver papers: station date helpers, an ID number in the message, a declared MESSAGE_ID.
    static let papers = """
    ruleset: papers
    rules:
      - id: P-001
        title: qualification expired
        kind: driver
        when: '!validThrough(record.qualification.valid_until, record.recorded_at)'
        severity: critical
        action: REFUSE
        message: "驾驶员 {{record.driver_name}}（{{record.id_card_no}}）从业资格证 {{record.qualification.valid_until}} 已过期"
        message_id: 5F0C2B9E4D1A4C3E8B7A6F5E4D3C2B1A
      - id: P-002
        title: night hours
        kind: driver
        when: hourAtStation(record.recorded_at) >= 2 && hourAtStation(record.recorded_at) < 5
        severity: warning
        action: WARN
        message: "{{stationDate(record.recorded_at)}} {{hourAtStation(record.recorded_at)}} 时报班"
      - id: P-003
        title: licence within 30 days of expiry
        kind: driver
        when: record.licence.valid_until != null && daysUntil(record.licence.valid_until, record.recorded_at) < 30
        severity: notice
        action: WARN
        message: "驾驶证 {{daysUntil(record.licence.valid_until, record.recorded_at)}} 天后到期"
      - id: P-004
        title: over 60
        kind: driver
        when: ageOn(record.id_card_no, record.recorded_at) >= 60
        severity: error
        action: REFUSE
        message: "驾驶员 {{ageOn(record.id_card_no, record.recorded_at)}} 岁"

    """

    static let departure = """
    {
      "schema_version": 1,
      "record_id": "gate-1:20261001:000093",
      "record_kind": "departure",
      "station_code": "GZ-SYZ-01",
      "kiosk_id": "gate-1",
      "officer_id": "CZ0456",
      "recorded_at": "2026-10-01T07:28:00+08:00",
      "trip_id": "G1203-20261001",
      "plate_no": "粤A12345",
      "route_id": "GZ-CS-01",
      "route_class": 1,
      "route_length_km": 680,
      "is_expressway_direct": true,
      "service_type": "scheduled",
      "scheduled_departure_at": "2026-10-01T07:30:00+08:00",
      "planned_arrival_at": "2026-10-01T15:30:00+08:00",
      "driver_ids": ["D-000731", "D-000802"],
      "approved_passenger_seats": 49,
      "adults": 45,
      "seated_children": 1,
      "lap_children": 2,
      "passengers_ticketed": 46,
      "unbelted_count": 0,
      "exit_log_signed_by_checker": true,
      "exit_log_signed_by_driver": true,
      "loaded_bag_count": 37,
      "screened_bag_count": 37,
      "safety_briefing_done": true,
      "relay_plan": false
    }
    """

    static let driver = """
    {
      "schema_version": 1,
      "record_id": "kiosk-01:20261001:000402",
      "record_kind": "driver",
      "station_code": "GZ-SYZ-01",
      "kiosk_id": "kiosk-01",
      "officer_id": "AJ0456",
      "recorded_at": "2026-10-01T06:31:00+08:00",
      "trip_id": "G1203-20261001",
      "plate_no": "粤A12345",
      "driver_id": "D-000731",
      "driver_name": "张伟",
      "id_card_no": "440106198503124219",
      "role": "primary",
      "licence": {"number": "440106198503124219", "class": "A1", "valid_until": "2031-04-12", "status": "normal", "points": 3},
      "qualification": {"number": "440106198503124219", "holder_id_no": "440106198503124219", "category": "passenger",
                        "valid_until": "2029-06-30", "integrity_grade": "AA"},
      "identity": {"method": "card_reader", "face_match_score": 0.93},
      "alcohol": {"tested_at": "2026-10-01T06:30:02+08:00", "breath_mg_per_l": 0.0, "refused": false},
      "fitness_observation": "normal",
      "duty": {"continuous_driving_min": 0, "driving_min_last_24h": 0, "driving_min_last_7d": 1980, "last_rest_min": 600}
    }
    """

    /// Rule tests for `capacity`: three pass, one is written to fail.
    static let capacityTests = """
    ruleset: capacity
    tests:
      - name: 50 on 49 seats is held
        base: departure-clean.json
        patch: {adults: 49}
        fires: [T-001]
        not_fires: [T-002]
      - name: missing head count asks for review
        base: departure-clean.json
        patch: {adults: null}
        reviews: [T-001]
      - name: a stricter ratio holds 2 lap children
        base: departure-clean.json
        params: {free_child_ratio: 0.02}
        fires: [T-002]
      - name: this expectation is wrong on purpose
        base: departure-clean.json
        fires: [T-001]

    """
}
