// RecordTypes: the record schema as CEL object types, and validated records as CEL values.
//
// Mapping (docs/rule-files.md): objects → object types (nested), lists → typed lists,
// enumerations, plates, ID numbers and dates → string, integers → int, numbers → double,
// booleans → bool, timestamps → timestamp. A nullable field (licence.valid_until: null means
// long-term) is declared `dyn`, so a rule can tell the three cases apart: absent
// (`!has(...)`, not captured → REVIEW if selected), null (`== null`, long-term) and a date.
import CEL
import Records

/// The CEL object types of every record kind, built once from `RecordSchema`.
final class RecordTypes {
    /// The root object type of each kind.
    let kinds: [RecordKind: ObjectType]
    /// Every object type, nested ones included (for `Declarations.objectTypes`).
    let all: [ObjectType]
    /// Schema of each object type, by type name, for conversion.
    private let schemas: [String: ObjectSchema]
    private let typesByName: [String: ObjectType]

    init() {
        var all: [ObjectType] = []
        var byName: [String: ObjectType] = [:]
        var schemas: [String: ObjectSchema] = [:]

        func celType(_ t: FieldType) -> CELType {
            switch t {
            case .integer: return .int
            case .number: return .double
            case .string, .plate, .nationalID, .date, .enumeration: return .string
            case .boolean: return .bool
            case .timestamp: return .timestamp
            case .object(let o): return .object(declare(o).name)
            case .list(let e): return .list(celType(e))
            case .nullable: return .dyn
            }
        }
        func declare(_ o: ObjectSchema) -> ObjectType {
            if let t = byName[o.name] { return t }
            let t = ObjectType(name: o.name, fields: o.fields.map { ($0.name, celType($0.type)) })
            byName[o.name] = t
            schemas[o.name] = o
            all.append(t)
            return t
        }
        var kinds: [RecordKind: ObjectType] = [:]
        for kind in RecordKind.allCases { kinds[kind] = declare(RecordSchema.object(for: kind)) }
        self.kinds = kinds
        self.all = all
        self.schemas = schemas
        self.typesByName = byName
    }

    /// A validated record's JSON as an object value of its kind's type. Fields the schema does
    /// not name are left out (records.md: not visible to rules); absent fields are nil slots.
    func value(of json: JSONValue, kind: RecordKind) -> ObjectValue? {
        guard let type = kinds[kind] else { return nil }
        return object(json, type)
    }

    private func object(_ json: JSONValue, _ type: ObjectType) -> ObjectValue? {
        guard case .object(let members) = json, let schema = schemas[type.name] else { return nil }
        var slots = [Value?](repeating: nil, count: type.fields.count)
        for (key, v) in members {
            guard let slot = type.slot(of: key) else { continue }
            slots[slot] = value(v, schema.fields[slot].type)
        }
        return ObjectValue(type: type, fields: slots)
    }

    /// nil for a value that does not fit its declared type (cannot happen after validation;
    /// treated as absent so that a rule needing it asks for REVIEW rather than guessing).
    private func value(_ json: JSONValue, _ t: FieldType) -> Value? {
        switch (t, json) {
        case (.nullable, .null): return .null
        case (.nullable(let inner), _): return value(json, inner)
        case (.integer, .integer(let i)): return .int(Int64(i))
        case (.number, .integer(let i)): return .double(Double(i))
        case (.number, .number(let d)): return .double(d)
        case (.string, .string(let s)), (.plate, .string(let s)), (.nationalID, .string(let s)),
             (.date, .string(let s)), (.enumeration, .string(let s)):
            return .string(s)
        case (.boolean, .bool(let b)): return .bool(b)
        case (.timestamp, .string(let s)):
            guard let ts = RFC3339Timestamp.parse(s) else { return nil }
            return .timestamp(CELTimestamp(seconds: ts.secondsSinceEpoch, nanos: ts.nanoseconds))
        case (.object(let o), _):
            guard let type = typesByName[o.name],
                  let obj = object(json, type) else { return nil }
            return .object(obj)
        case (.list(let e), .array(let items)):
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for item in items {
                guard let v = value(item, e) else { return nil }
                out.append(v)
            }
            return .list(out)
        default:
            return nil
        }
    }

}
