// RecordTypes: the record schema as CEL object types, and validated records as CEL values.
//
// Mapping (docs/rule-files.md): objects → object types (nested), lists → typed lists,
// enumerations, plates, ID numbers and dates → string, integers → int, numbers → double,
// booleans → bool, timestamps → timestamp. A nullable field (licence.valid_until: null means
// long-term) is declared `dyn`, so a rule can tell the three cases apart: absent
// (`!has(...)`, not captured → REVIEW if selected), null (`== null`, long-term) and a date.
import CEL
import Records

/// The CEL object types of every record kind, built once from `RecordSchema`, and a
/// conversion plan per type so that turning a record into a CEL value does no schema work.
final class RecordTypes {
    /// The root object type of each kind.
    let kinds: [RecordKind: ObjectType]
    /// Every object type, nested ones included (for `Declarations.objectTypes`).
    let all: [ObjectType]
    private let plans: [RecordKind: ObjectPlan]

    init() {
        var all: [ObjectType] = []
        var plans: [String: ObjectPlan] = [:]

        func conversion(_ t: FieldType) -> (CELType, Conversion) {
            switch t {
            case .integer: return (.int, .int)
            case .number: return (.double, .double)
            case .string, .plate, .nationalID, .date, .enumeration: return (.string, .string)
            case .boolean: return (.bool, .bool)
            case .timestamp: return (.timestamp, .timestamp)
            case .object(let o):
                let plan = declare(o)
                return (.object(plan.type.name), .object(plan))
            case .list(let e):
                let (ct, conv) = conversion(e)
                return (.list(ct), .list(conv))
            case .nullable(let inner):
                return (.dyn, .nullable(conversion(inner).1))
            }
        }
        func declare(_ o: ObjectSchema) -> ObjectPlan {
            if let p = plans[o.name] { return p }
            let fields = o.fields.map { ($0.name, conversion($0.type)) }
            let type = ObjectType(name: o.name, fields: fields.map { ($0.0, $0.1.0) })
            let plan = ObjectPlan(type: type, conversions: fields.map(\.1.1))
            plans[o.name] = plan
            all.append(type)
            return plan
        }
        var kinds: [RecordKind: ObjectType] = [:]
        var kindPlans: [RecordKind: ObjectPlan] = [:]
        for kind in RecordKind.allCases {
            let plan = declare(RecordSchema.object(for: kind))
            kinds[kind] = plan.type
            kindPlans[kind] = plan
        }
        self.kinds = kinds
        self.all = all
        self.plans = kindPlans
    }

    /// A validated record's JSON as an object value of its kind's type. Fields the schema does
    /// not name are left out (records.md: not visible to rules); absent fields are nil slots.
    func value(of json: JSONValue, kind: RecordKind) -> ObjectValue? {
        plans[kind]?.convert(json)
    }
}

/// How one field's JSON becomes a CEL value.
private indirect enum Conversion {
    case int, double, string, bool, timestamp
    case object(ObjectPlan)
    case list(Conversion)
    case nullable(Conversion)

    /// nil for a value that does not fit its declared type (cannot happen after validation;
    /// treated as absent so that a rule needing it asks for REVIEW rather than guessing).
    func convert(_ json: JSONValue) -> Value? {
        switch (self, json) {
        case (.nullable, .null): return .null
        case (.nullable(let inner), _): return inner.convert(json)
        case (.int, .integer(let i)): return .int(Int64(i))
        case (.double, .integer(let i)): return .double(Double(i))
        case (.double, .number(let d)): return .double(d)
        case (.string, .string(let s)): return .string(s)
        case (.bool, .bool(let b)): return .bool(b)
        case (.timestamp, .string(let s)):
            guard let ts = RFC3339Timestamp.parse(s) else { return nil }
            return .timestamp(CELTimestamp(seconds: ts.secondsSinceEpoch, nanos: ts.nanoseconds))
        case (.object(let plan), _):
            return plan.convert(json).map { .object($0) }
        case (.list(let e), .array(let items)):
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for item in items {
                guard let v = e.convert(item) else { return nil }
                out.append(v)
            }
            return .list(out)
        default:
            return nil
        }
    }
}

/// An object type and the conversion of each of its slots.
private final class ObjectPlan {
    let type: ObjectType
    let conversions: [Conversion]
    let names: [String]
    init(type: ObjectType, conversions: [Conversion]) {
        self.type = type; self.conversions = conversions; self.names = type.fields.map(\.name)
    }

    func convert(_ json: JSONValue) -> ObjectValue? {
        guard case .object(let members) = json else { return nil }
        var slots = [Value?](repeating: nil, count: conversions.count)
        // Kiosks write fields in schema order, mostly: try the slot after the last one found
        // (a string compare) before the hashed lookup.
        var next = 0
        for (key, v) in members {
            let slot: Int
            if next < names.count, names[next] == key { slot = next }
            else if let s = type.slot(of: key) { slot = s }
            else { continue }
            next = slot + 1
            slots[slot] = conversions[slot].convert(v)
        }
        return ObjectValue(type: type, fields: slots)
    }
}
