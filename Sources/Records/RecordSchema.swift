// RecordSchema: the kiosk contract (spec/records.md) as one declarative table.
//
// Everything else is generated from this table: the decoder's validation (RecordDecoder), the
// published JSON Schema (schema/record.schema.json) and the Rules module's CEL object types.
// Fields that records.md lacks but a catalogue rule needs are here too, optional, each with the
// rule ids that need it in `FieldSchema.addedFor`; docs/records-added-fields.md lists them.
// Names are stable: rule files depend on them. Add fields; never rename one.

/// The four record kinds of schema version 1.
public enum RecordKind: String, CaseIterable, Sendable, Comparable {
    case vehicle, driver, luggage, departure

    public static func < (a: RecordKind, b: RecordKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The type of one field. Bounds are inclusive; nil means unbounded on that side.
public indirect enum FieldType: Sendable {
    case integer(min: Int?, max: Int?)
    case number(min: Double?, max: Double?)
    /// Text; `pattern` (ECMA-262 style, anchored with ^…$) must match when given; without a
    /// pattern the text must contain a non-blank character.
    case string(pattern: String?)
    /// A vehicle plate (号牌); `粤A·12345` and `粤A 12345` are normalised to `粤A12345`.
    /// A string for CEL.
    case plate
    /// An 18-character national ID number (公民身份号码) with a valid GB 11643 check character
    /// and a real birth date. A string for CEL; mask it before it reaches the journal.
    case nationalID
    case boolean
    /// RFC 3339 with an explicit offset (`Z` or `±hh:mm`), e.g. `2026-10-01T06:42:10+08:00`.
    /// Refused: leap seconds (`:60`), more than 9 fraction digits, days the month lacks.
    case timestamp
    /// `YYYY-MM-DD`, a real calendar date at the station.
    case date
    case enumeration([String])
    case object(ObjectSchema)
    case list(FieldType)
    /// The value may be JSON `null` (meaning stated in the field's doc).
    case nullable(FieldType)
}

/// One named field of an object.
public struct FieldSchema: Sendable {
    public let name: String
    public let type: FieldType
    /// Required fields must be present (and not null unless the type is nullable).
    public let required: Bool
    public let doc: String
    /// Catalogue rule ids that made us add this field beyond records.md; empty for contract fields.
    public let addedFor: [String]

    public init(_ name: String, _ type: FieldType, required: Bool = false, _ doc: String, addedFor: [String] = []) {
        self.name = name
        self.type = type
        self.required = required
        self.doc = doc
        self.addedFor = addedFor
    }
}

/// An object type: a record kind, or a nested object such as `licence`.
public struct ObjectSchema: Sendable {
    /// A unique type name, e.g. `Vehicle`, `RoutePlate`; usable as a CEL object type name.
    public let name: String
    public let doc: String
    public let fields: [FieldSchema]
    /// Positions of the required fields in `fields`, in order; computed once for the decoder.
    let requiredIndices: [Int]

    public init(_ name: String, _ doc: String, _ fields: [FieldSchema]) {
        self.name = name
        self.doc = doc
        self.fields = fields
        self.requiredIndices = fields.indices.filter { fields[$0].required }
    }

    public func field(named name: String) -> FieldSchema? { fields.first { $0.name == name } }

    /// The position of the field named `name`, searching from `expected` onwards, then from
    /// the start: kiosks mostly write fields in schema order (leaving some out), so the decoder
    /// passes the position after the last match and the search is short.
    func fieldIndex(named name: String, expected: Int) -> Int? {
        let start = min(max(expected, 0), fields.count)
        for i in start..<fields.count where fields[i].name == name { return i }
        for i in 0..<start where fields[i].name == name { return i }
        return nil
    }
}

/// The contract, schema version 1.
public enum RecordSchema {
    public static let version = 1

    /// `[A-Za-z0-9._:-]{1,128}`: the idempotency key, also used in file and journal fields.
    public static let recordIDPattern = "^[A-Za-z0-9._:-]{1,128}$"
    /// Driving-licence classes (准驾车型), possibly combined: `A1`, `A1A2`, `B1D`.
    public static let licenceClassPattern = "^(A[1-3]|B[12]|C[1-6]|D|E|F|M|N|P)+$"

    /// Each kind's object type: the envelope fields followed by the kind's own fields.
    public static let kinds: [RecordKind: ObjectSchema] = Dictionary(uniqueKeysWithValues: RecordKind.allCases.map {
        ($0, ObjectSchema(objectName(of: $0), kindDoc[$0]!, envelope(for: $0) + bodyFields[$0]!))
    })

    /// Every field name at every level, for the parser to share (JSONNames).
    static let memberNames: JSONNames = {
        var names = Set<String>()
        func walk(_ object: ObjectSchema) {
            for f in object.fields {
                names.insert(f.name)
                var t = f.type
                while true {
                    switch t {
                    case .nullable(let inner), .list(let inner): t = inner; continue
                    case .object(let o): walk(o)
                    default: break
                    }
                    break
                }
            }
        }
        for kind in RecordKind.allCases { walk(object(for: kind)) }
        return JSONNames(names)
    }()

    /// The object type of one kind (same as `kinds[kind]!`).
    public static func object(for kind: RecordKind) -> ObjectSchema { kinds[kind]! }

    /// Every field that is not in records.md, as (dotted path from the record, rule ids).
    public static var addedFields: [(kind: RecordKind, path: String, rules: [String])] {
        var out: [(RecordKind, String, [String])] = []
        func walk(_ kind: RecordKind, _ object: ObjectSchema, _ prefix: String) {
            for f in object.fields {
                let path = prefix + f.name
                if !f.addedFor.isEmpty { out.append((kind, path, f.addedFor)) }
                var t = f.type
                while true {
                    switch t {
                    case .nullable(let inner), .list(let inner): t = inner; continue
                    case .object(let o): walk(kind, o, path + (isList(f.type) ? "[]." : "."))
                    default: break
                    }
                    break
                }
            }
        }
        for kind in RecordKind.allCases { walk(kind, object(for: kind), "") }
        return out
    }

    static func isList(_ t: FieldType) -> Bool {
        if case .list = t { return true }
        if case .nullable(let inner) = t { return isList(inner) }
        return false
    }

    static func objectName(of kind: RecordKind) -> String {
        kind.rawValue.prefix(1).uppercased() + kind.rawValue.dropFirst()
    }

    // MARK: - Shared field types

    /// Counts, seats, minutes, kilometres, money: non-negative integers. The upper bound keeps
    /// every value exact in a Double and in every JSON implementation.
    static let count = FieldType.integer(min: 0, max: 1_000_000_000)
    /// Scores and measurements: non-negative numbers.
    static let measure = FieldType.number(min: 0, max: nil)
    static let text = FieldType.string(pattern: nil)
    static let serviceTypes = ["scheduled", "extra", "charter", "tour", "customised", "airport_hsr"]
    static let checkResult = FieldType.enumeration(["pass", "fail", "na"])

    // MARK: - Envelope

    static func envelope(for kind: RecordKind) -> [FieldSchema] {
        [
            FieldSchema("schema_version", .integer(min: version, max: version), required: true,
                        "Contract version; 1."),
            FieldSchema("record_id", .string(pattern: recordIDPattern), required: true,
                        "Unique id chosen by the kiosk; the idempotency key."),
            FieldSchema("record_kind", .enumeration(RecordKind.allCases.map(\.rawValue)), required: true,
                        "vehicle, driver, luggage or departure."),
            FieldSchema("station_code", text, required: true, "Station code, e.g. GZ-SYZ-01."),
            FieldSchema("kiosk_id", text, required: true, "Kiosk id, e.g. kiosk-03."),
            FieldSchema("officer_id", text, required: true, "Inspecting staff number."),
            FieldSchema("recorded_at", .timestamp, required: true, "When the inspection was made."),
            FieldSchema("trip_id", text, required: kind == .departure || kind == .luggage,
                        "Scheduled trip (班次), e.g. G1203-20261001."),
            FieldSchema("plate_no", .plate, required: kind == .vehicle || kind == .departure,
                        "Vehicle plate (号牌), normalised without spaces or dots."),
        ]
    }

    static let kindDoc: [RecordKind: String] = [
        .vehicle: "Safety inspection and vehicle papers (安全例检, 车辆证件).",
        .driver: "Driver check before duty (报班, 人车联检 driver half).",
        .luggage: "One bag screened (行包三品检查).",
        .departure: "Check at the exit gate (出站检查).",
    ]

    static let bodyFields: [RecordKind: [FieldSchema]] = [
        .vehicle: vehicleFields, .driver: driverFields, .luggage: luggageFields, .departure: departureFields,
    ]

    // MARK: - vehicle

    static let vehicleFields: [FieldSchema] = [
        FieldSchema("plate_color", .enumeration(["yellow", "blue", "green", "yellow_green", "black", "white"]),
                    "号牌颜色; (plate_no, plate_color) identifies a vehicle."),
        FieldSchema("vehicle_class", .enumeration(["large_bus", "medium_bus", "small_bus"]), "Vehicle class."),
        FieldSchema("approved_passenger_seats", count, "核定载客人数, crew excluded."),
        FieldSchema("crew_seats", count, "Crew seats."),
        FieldSchema("approved_total_persons", count,
                    "行驶证 核定载人数 (normally includes the driver).", addedFor: ["DOC-014"]),
        FieldSchema("tech_grade", .integer(min: 1, max: 3), "技术等级 (JT/T 198), 1 best."),
        FieldSchema("type_grade", .enumeration(["ordinary", "medium", "high_1", "high_2", "high_3"]),
                    "类型等级 (JT/T 325): 普通级, 中级, 高一级, 高二级, 高三级, in rising order.",
                    addedFor: ["DOC-010"]),
        FieldSchema("route_class", .integer(min: 1, max: 4), "班线类别 the vehicle serves."),
        FieldSchema("route_id", text, "Route the vehicle is inspected for; compared with the route plate.",
                    addedFor: ["DOC-004"]),
        FieldSchema("route_length_km", count, "Route length, km."),
        FieldSchema("is_expressway_route", .boolean, "The route runs on expressways.", addedFor: ["DOC-009"]),
        FieldSchema("service_type", .enumeration(serviceTypes), "班车/加班/包车/旅游/定制/机场高铁."),
        FieldSchema("trip_date", .date,
                    "Date of the trip the inspection is for; rules fall back to recorded_at's date.",
                    addedFor: ["DOC-002", "DOC-008"]),
        FieldSchema("scheduled_departure_at", .timestamp,
                    "Scheduled departure of the trip the inspection is for; the route plate must be valid then.",
                    addedFor: ["DOC-004"]),
        FieldSchema("planned_arrival_at", .timestamp, "Planned end of the trip (insurance must cover it).",
                    addedFor: ["DOC-005", "DOC-006"]),
        FieldSchema("operator_id", text, "The operator (客运经营者) running the vehicle.", addedFor: ["DEP-011-VEH"]),
        FieldSchema("registration_date", .date, "注册登记日期; sets the inspection and grading intervals.",
                    addedFor: ["DOC-002", "DOC-007"]),
        FieldSchema("safety_inspection_valid_until", .date, "检验有效期至."),
        FieldSchema("tech_grade_assessed_on", .date, "综合性能检测 / 等级评定 date."),
        FieldSchema("level2_next_due_date", .date, "Next 二级维护 by date."),
        FieldSchema("odometer_km", count, "Odometer reading, km.", addedFor: ["DOC-008"]),
        FieldSchema("level2_next_due_odometer_km", count, "Next 二级维护 by odometer, km.", addedFor: ["DOC-008"]),
        FieldSchema("documents", .object(vehicleDocuments), "Vehicle papers."),
        FieldSchema("checks", .object(ObjectSchema("VehicleChecks", "The eight 例检 areas.", [
            FieldSchema("steering", checkResult, "转向."),
            FieldSchema("braking", checkResult, "制动."),
            FieldSchema("transmission", checkResult, "传动."),
            FieldSchema("lighting", checkResult, "照明."),
            FieldSchema("tyres", checkResult, "轮胎."),
            FieldSchema("suspension", checkResult, "悬挂."),
            FieldSchema("body", checkResult, "车身."),
            FieldSchema("safety_equipment", checkResult, "随车安全设施."),
        ])), "The eight 例检 areas, each pass, fail or na."),
        FieldSchema("tyre_tread_min_steer_mm", measure, "Least tread depth on steer axle tyres, mm."),
        FieldSchema("tyre_tread_min_other_mm", measure, "Least tread depth on other tyres, mm."),
        FieldSchema("tyre_cut_max_mm", measure, "Longest cut in any tyre, mm.", addedFor: ["VEH-002"]),
        FieldSchema("tyre_cords_exposed", .boolean, "A cut or wear exposes the cords.", addedFor: ["VEH-002"]),
        FieldSchema("equipment", .object(ObjectSchema("VehicleEquipment", "灭火器/安全锤/安全出口/安全提示.", [
            FieldSchema("fire_extinguishers", count, "Number of fire extinguishers."),
            FieldSchema("fire_extinguisher_earliest_expiry", .date, "Earliest extinguisher expiry."),
            FieldSchema("safety_hammers", count, "Number of safety hammers."),
            FieldSchema("emergency_windows", count, "Number of glass emergency windows."),
            FieldSchema("emergency_exit_ok", .boolean, "Emergency exits usable."),
            FieldSchema("emergency_exit_marking_ok", .boolean, "Emergency exits marked.", addedFor: ["VEH-005"]),
            FieldSchema("safety_notices_posted", .boolean, "安全提示 posted."),
            FieldSchema("warning_triangle_present", .boolean, "三角警告牌 aboard.", addedFor: ["VEH-007"]),
            FieldSchema("wheel_chock_present", .boolean, "三角木 (wheel chock) aboard.", addedFor: ["VEH-007"]),
            FieldSchema("snow_chains_present", .boolean, "防滑链 aboard.", addedFor: ["VEH-007"]),
        ])), "Safety equipment."),
        FieldSchema("gps", .object(ObjectSchema("Gps", "卫星定位装置 / 行驶记录仪.", [
            FieldSchema("installed", .boolean, "Unit installed."),
            FieldSchema("online", .boolean, "Unit online."),
            FieldSchema("last_fix_at", .timestamp, "Time of the last position fix."),
            FieldSchema("shield_detected", .boolean, "屏蔽器 detected."),
            FieldSchema("recorder_ok", .boolean, "行驶记录仪 function works.", addedFor: ["VEH-009"]),
        ])), "Satellite positioning unit and recorder."),
        FieldSchema("seatbelt_defective_count", count, "Seats with a defective belt."),
        FieldSchema("result", .enumeration(["pass", "fail"]), "例检结论."),
    ]

    static let vehicleDocuments = ObjectSchema("VehicleDocuments", "Vehicle papers.", [
        FieldSchema("driving_permit", .object(ObjectSchema("DrivingPermit", "行驶证.", [
            FieldSchema("present", .boolean, "The permit was shown."),
            FieldSchema("plate_no", .plate, "Plate printed on the permit."),
        ])), "行驶证."),
        FieldSchema("road_transport_cert", .object(ObjectSchema("RoadTransportCert", "道路运输证.", [
            FieldSchema("number", text, "Certificate number (opaque)."),
            FieldSchema("plate_no", .plate, "Plate on the certificate."),
            FieldSchema("status", .enumeration(["valid", "suspended", "cancelled"]), "Status."),
            FieldSchema("valid_until", .date, "Valid until (if the province prints one)."),
            FieldSchema("source", .enumeration(["paper", "electronic"]), "Paper or electronic certificate.",
                        addedFor: ["DOC-003"]),
        ])), "道路运输证."),
        FieldSchema("route_plate", .object(ObjectSchema("RoutePlate", "客运标志牌.", [
            FieldSchema("number", text, "Plate number (opaque)."),
            FieldSchema("kind", .enumeration(["scheduled", "extra", "charter", "tour"]), "班线牌/加班牌/包车牌/旅游."),
            FieldSchema("plate_no", .plate, "Vehicle plate on the 标志牌."),
            FieldSchema("route_id", text, "Route on the 标志牌."),
            FieldSchema("valid_from", .timestamp, "Start of validity."),
            FieldSchema("valid_to", .timestamp, "End of validity."),
        ])), "客运标志牌 (班线牌/加班牌/包车牌)."),
        FieldSchema("carrier_liability_insurance", .object(ObjectSchema("CarrierLiabilityInsurance", "承运人责任险.", [
            FieldSchema("policy_no", text, "Policy number."),
            FieldSchema("valid_until", .timestamp, "End of cover."),
            FieldSchema("insured_seats", count, "Seats insured."),
            FieldSchema("per_seat_limit_cny", count, "Per-seat limit, CNY."),
            FieldSchema("plate_no", .plate, "Plate the policy names (车证不符 when a substitute bus runs).",
                        addedFor: ["DOC-001-PAPERS"]),
        ])), "承运人责任险."),
        FieldSchema("ctpl", .object(ObjectSchema("Ctpl", "交强险 (compulsory third-party liability).", [
            FieldSchema("policy_no", text, "Policy number."),
            FieldSchema("valid_until", .timestamp, "End of cover."),
            FieldSchema("plate_no", .plate, "Plate the policy names.", addedFor: ["DOC-001-PAPERS"]),
        ])), "交强险.", addedFor: ["DOC-006"]),
        FieldSchema("safety_check_notice", .object(ObjectSchema("SafetyCheckNotice", "安全例检合格通知单.", [
            FieldSchema("number", text, "Notice number (opaque)."),
            FieldSchema("result", .enumeration(["pass", "fail"]), "Result."),
            FieldSchema("issued_at", .timestamp, "When issued."),
            FieldSchema("inspector_signed", .boolean, "Signed by the inspector."),
            FieldSchema("plate_no", .plate, "Plate the notice was issued for (车证不符 when a substitute bus runs).",
                        addedFor: ["DOC-001-PAPERS"]),
        ])), "安全例检合格通知单."),
        FieldSchema("extra_trip_approval_no", text, "加班审批/调度令 (extra runs)."),
        FieldSchema("extra_trip_operator_id", text, "Operator the 加班 approval authorises.",
                    addedFor: ["DEP-011-VEH"]),
        FieldSchema("extra_trip_safety_pledge_no", text, "临时加班安全责任书 number (extra runs).",
                    addedFor: ["DEP-011-VEH"]),
    ])

    // MARK: - driver

    static let driverFields: [FieldSchema] = [
        FieldSchema("driver_id", text, "Operator staff id."),
        FieldSchema("driver_name", text, "Name."),
        FieldSchema("id_card_no", .nationalID, "公民身份号码; personal data, masked in the journal."),
        FieldSchema("role", .enumeration(["primary", "relief"]), "Primary or relief driver."),
        FieldSchema("trip_date", .date,
                    "Date of the trip the check is for; rules fall back to recorded_at's date.",
                    addedFor: ["DRV-001", "DRV-003", "DRV-005", "DRV-008"]),
        FieldSchema("licence", .object(ObjectSchema("Licence", "驾驶证.", [
            FieldSchema("number", text, "Licence number (usually the holder's ID number: mask it too)."),
            FieldSchema("class", .string(pattern: licenceClassPattern), "准驾车型, e.g. A1 or A1A2."),
            FieldSchema("valid_until", .nullable(.date), "Valid until; null = long-term (长期)."),
            FieldSchema("status", .enumeration(["normal", "suspended", "revoked", "cancelled", "full_points", "expired"]),
                        "Status as of checked_at."),
            FieldSchema("points", count, "Points in the current cycle."),
            FieldSchema("checked_at", .timestamp, "When status and points were queried.", addedFor: ["DRV-001", "DRV-004"]),
            FieldSchema("medical_cert_valid_until", .date, "身体条件证明 valid until.", addedFor: ["DRV-003"]),
            FieldSchema("age_extension_until", .date, "Age-cap extension granted until.", addedFor: ["DRV-008"]),
        ])), "驾驶证."),
        FieldSchema("qualification", .object(ObjectSchema("Qualification", "从业资格证, 诚信考核.", [
            FieldSchema("number", text, "Certificate number (often the ID number: mask it too)."),
            FieldSchema("holder_id_no", .nationalID, "Holder's national ID number."),
            FieldSchema("category", .enumeration(["passenger", "freight", "dangerous_goods"]), "Category."),
            FieldSchema("valid_until", .date, "Valid until."),
            FieldSchema("integrity_grade", .enumeration(["AAA", "AA", "A", "B"]), "诚信考核 grade."),
            FieldSchema("integrity_next_due", .date, "Next 诚信考核 due.", addedFor: ["DRV-007"]),
        ])), "从业资格证."),
        FieldSchema("identity", .object(ObjectSchema("Identity", "人证核验.", [
            FieldSchema("method", .enumeration(["card_reader", "face", "manual"]), "How identity was checked."),
            FieldSchema("face_match_score", .number(min: 0, max: 1), "Face match score, 0–1."),
        ])), "人证核验."),
        FieldSchema("alcohol", .object(ObjectSchema("Alcohol", "酒精测试.", [
            FieldSchema("tested_at", .timestamp, "When tested."),
            FieldSchema("breath_mg_per_l", measure, "Breath alcohol, mg/L."),
            FieldSchema("blood_mg_per_100ml", measure,
                        "Blood-equivalent reading, mg/100 mL, from devices that show that instead of breath "
                        + "(2200:1: breath mg/L = this / 220). Not converted by the decoder.",
                        addedFor: ["DRV-011"]),
            FieldSchema("device_id", text, "Breathalyser id.", addedFor: ["DRV-011"]),
            FieldSchema("refused", .boolean, "The driver refused the test."),
            FieldSchema("retest", .object(ObjectSchema("AlcoholRetest", "Retest on another device (edge case 12).", [
                FieldSchema("tested_at", .timestamp, "When retested."),
                FieldSchema("breath_mg_per_l", measure, "Breath alcohol, mg/L."),
                FieldSchema("blood_mg_per_100ml", measure, "Blood-equivalent reading, mg/100 mL."),
                FieldSchema("device_id", text, "Breathalyser id."),
            ])), "Retest after a positive reading; both readings are kept, never averaged.",
                        addedFor: ["DRV-011", "DRV-012"]),
        ])), "酒精测试 (breath, mg/L)."),
        FieldSchema("fitness_observation", .enumeration(["normal", "fatigued", "ill", "intoxicated_signs"]), "精神状态."),
        FieldSchema("duty", .object(ObjectSchema("Duty", "驾驶时长.", [
            FieldSchema("continuous_driving_min", count, "Continuous driving, minutes."),
            FieldSchema("driving_min_last_24h", count, "Driving in the last 24 h, minutes."),
            FieldSchema("driving_min_last_7d", count, "Driving in the last 7 days, minutes."),
            FieldSchema("last_rest_min", count, "Last rest, minutes."),
        ])), "Driving time."),
    ]

    // MARK: - luggage

    static let itemCategories = [
        "firearms_ammunition", "explosives", "controlled_knives", "flammable", "toxic", "corrosive", "radioactive",
        "infectious", "other_hazardous", "other_prohibited",
        "alcohol", "aerosol", "lighter_matches", "lithium_battery", "nail_polish",
        "knife_daily", "blunt_instrument", "tools", "bow_arrow", "slingshot",
        "ordinary",
    ]

    static let luggageItem = ObjectSchema("LuggageItem", "One thing screening found.", [
        FieldSchema("category", .enumeration(itemCategories), required: true, "Class after the 2021 list."),
        FieldSchema("description", text, required: true, "What it is."),
        FieldSchema("quantity", measure, "Amount, in unit."),
        FieldSchema("unit", .enumeration(["mL", "Wh", "count", "g"]), "Unit of quantity."),
        FieldSchema("abv_pct", .number(min: 0, max: 100), "Alcohol by volume, %."),
        FieldSchema("is_labelled", .boolean, "Carries a maker's label (unlabelled spirits are refused).",
                    addedFor: ["LUG-004"]),
        FieldSchema("battery_wh", measure, "Battery energy, Wh."),
        FieldSchema("blade_length_mm", count, "Blade length, mm."),
        FieldSchema("blade_tip_angle_deg", .integer(min: 0, max: 180), "Blade tip angle, degrees."),
        FieldSchema("knife_kind", .enumeration(["dagger", "triangular", "spring_lock", "other"]),
                    "匕首/三棱刀/带有自锁装置的弹簧刀 are controlled whatever their size.", addedFor: ["LUG-003"]),
        FieldSchema("live_animal", .enumeration(["guide_dog", "pet", "poultry", "aquatic", "other"]),
                    "A live animal of this kind.", addedFor: ["LUG-011"]),
        FieldSchema("guide_dog_proof", .boolean, "Proof for a guide dog was shown.", addedFor: ["LUG-011"]),
        FieldSchema("sealed_as_food", .boolean, "Aquatic goods sealed as food.", addedFor: ["LUG-011"]),
        FieldSchema("location", .enumeration(["cabin", "hold"]), "Where it would travel."),
    ])

    static let luggageFields: [FieldSchema] = [
        FieldSchema("ticket_no", text, "Ticket number."),
        FieldSchema("bag_id", text, "Bag id."),
        FieldSchema("bag_kind", .enumeration(["carry_on", "checked", "hold_cargo"]), "Kind of bag."),
        FieldSchema("screening_method", .enumeration(["xray", "manual", "both", "none"]), "How it was screened."),
        FieldSchema("refused_screening", .boolean, "拒检."),
        FieldSchema("real_name_match", .boolean, "票、人、证一致 on real-name lines."),
        FieldSchema("result", .enumeration(["clear", "limited_ok", "limited_excess", "hold_only", "prohibited"]),
                    "The screener's verdict."),
        FieldSchema("items", .list(.object(luggageItem)), "What screening found; may be empty."),
        FieldSchema("disposition", .enumeration(["allowed", "moved_to_hold", "surrendered", "stored",
                                                 "refused_boarding", "police_notified"]), "What was done."),
        FieldSchema("seized_log_no", text, "查堵登记号."),
        FieldSchema("storage_claim_no", text, "Claim number for stored items (edge case 22).", addedFor: ["LUG-009"]),
        FieldSchema("consignor_registered", .boolean, "Hold cargo: consignor registered (JT/T 1135).",
                    addedFor: ["LUG-010"]),
        FieldSchema("consignment_no", text, "Hold cargo: consignment number.", addedFor: ["LUG-010"]),
    ]

    // MARK: - departure

    static let attendant = ObjectSchema("Attendant", "One 乘务员 (attendant) on the trip.", [
        FieldSchema("staff_id", text, required: true, "Operator staff id."),
        FieldSchema("name", text, "Name."),
        FieldSchema("safety_trained", .boolean, "Has passed the operator's safety training (安全培训)."),
        FieldSchema("safety_training_on", .date, "Date of the last safety training."),
    ])

    static let departureFields: [FieldSchema] = [
        FieldSchema("route_id", text, "Route."),
        FieldSchema("route_class", .integer(min: 1, max: 4), "班线类别."),
        FieldSchema("route_length_km", count, "Route length, km."),
        FieldSchema("is_expressway_direct", .boolean, "高速直达."),
        FieldSchema("has_grade3_or_lower_mountain_road", .boolean, "Route includes 三级及以下山区公路.",
                    addedFor: ["DRV-017"]),
        FieldSchema("service_type", .enumeration(serviceTypes), "As for vehicle."),
        FieldSchema("is_commuter_charter", .boolean, "通勤包车 (exempt from the 02–05 rule).", addedFor: ["DRV-016"]),
        FieldSchema("report_at", .timestamp, "When the crew reported with documents (报班).", addedFor: ["DEP-009"]),
        FieldSchema("scheduled_departure_at", .timestamp, "Scheduled departure."),
        FieldSchema("actual_departure_at", .timestamp, "Actual departure through the gate.",
                    addedFor: ["DRV-016", "DRV-017"]),
        FieldSchema("planned_arrival_at", .timestamp, "Planned arrival."),
        FieldSchema("rest_stop_planned", .boolean, "A rest stop covers 02:00–05:00 (instead of a relay).",
                    addedFor: ["DRV-016"]),
        FieldSchema("driver_ids", .list(text), "Drivers on duty for this trip."),
        FieldSchema("attendants", .list(.object(attendant)), "乘务员 aboard for this trip; may be empty.",
                    addedFor: ["CRW-001"]),
        FieldSchema("approved_passenger_seats", count, "核定载客人数 as on the vehicle papers."),
        FieldSchema("adults", count, "Adults aboard, crew excluded."),
        FieldSchema("seated_children", count, "Children on a seat."),
        FieldSchema("lap_children", count, "Free children not on a seat."),
        FieldSchema("child_basis", .enumeration(["age", "height"]), "How free children were judged (edge case 1).",
                    addedFor: ["DEP-002"]),
        FieldSchema("passengers_ticketed", count, "Checked-in tickets (or charter manifest count)."),
        FieldSchema("passengers_aboard_counted", count, "Persons counted aboard by the checker or door counter.",
                    addedFor: ["DEP-004", "DEP-010"]),
        FieldSchema("charter_manifest_count", count, "Passengers on the charter contract list.", addedFor: ["DEP-010"]),
        FieldSchema("unbelted_count", count, "Passengers and crew not wearing a seat belt."),
        FieldSchema("exit_log_signed_by_checker", .boolean, "出站登记表 signed by the checker."),
        FieldSchema("exit_log_signed_by_driver", .boolean, "出站登记表 signed by the driver."),
        FieldSchema("loaded_bag_count", count, "Bags in the hold."),
        FieldSchema("screened_bag_count", count, "Bags screened."),
        FieldSchema("hold_checked", .boolean, "Luggage hold opened and checked.", addedFor: ["DEP-014"]),
        FieldSchema("safety_briefing_done", .boolean, "安全告知."),
        FieldSchema("relay_plan", .boolean, "接驳 arranged for night running."),
        FieldSchema("charter_contract_no", text, "包车合同."),
        FieldSchema("extra_trip_approval_no", text, "加班 dispatch."),
        FieldSchema("weather_hold_active", .boolean, "Station-wide weather or road hold."),
    ]
}
