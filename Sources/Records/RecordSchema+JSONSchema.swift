// RecordSchema+JSONSchema: the published JSON Schema (draft 2020-12), generated from the table.
//
// Gaps, because JSON Schema cannot say them (the decoder is stricter; see
// Tests/RecordsTests/Corpus/README.md for the files that show each one):
// - GB 11643 check character and a real birth date in ID numbers (the pattern checks shape);
// - a real day-of-month inside timestamps (`date` fields use `format: date`, which
//   python-jsonschema checks when asked; `date-time` needs an extra package, so the pattern rules);
// - integers written as `50.0` or `5e1` (JSON Schema counts them as integers; the decoder does not);
// - duplicate keys, lone surrogates, depth and size (parser-level; the schema sees parsed data).
// Unknown members are allowed at every level (forward compatibility, see records.md).

extension RecordSchema {
    public static let jsonSchemaID = "https://stationguard.invalid/schema/record-v1.schema.json"

    /// The JSON Schema document for schema version 1.
    public static func jsonSchema() -> JSONValue {
        var defs: [(key: String, value: JSONValue)] = []
        var seen = Set<String>()
        func define(_ object: ObjectSchema) {
            guard !seen.contains(object.name) else { return }
            seen.insert(object.name)
            let index = defs.count
            defs.append((object.name, .null)) // placeholder keeps parents before children
            var properties: [(key: String, value: JSONValue)] = []
            for f in object.fields {
                var schema = typeSchema(f.type, define)
                if case .object(var members) = schema {
                    members.insert(("description", .string(f.doc)), at: 0)
                    schema = .object(members)
                }
                properties.append((f.name, schema))
            }
            var members: [(key: String, value: JSONValue)] = [
                ("description", .string(object.doc)),
                ("type", .string("object")),
            ]
            let required = object.fields.filter(\.required).map { JSONValue.string($0.name) }
            if !required.isEmpty { members.append(("required", .array(required))) }
            members.append(("properties", .object(properties)))
            defs[index] = (object.name, .object(members))
        }
        for kind in RecordKind.allCases { define(object(for: kind)) }

        let kindNames = RecordKind.allCases.map { JSONValue.string($0.rawValue) }
        let branches: [JSONValue] = RecordKind.allCases.map { kind in
            .object([
                ("if", .object([
                    ("properties", .object([("record_kind", .object([("const", .string(kind.rawValue))]))])),
                    ("required", .array([.string("record_kind")])),
                ])),
                ("then", .object([("$ref", .string("#/$defs/" + object(for: kind).name))])),
            ])
        }
        return .object([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string(jsonSchemaID)),
            ("title", .string("StationGuard inspection record, schema version \(version)")),
            ("description", .string("GENERATED from Sources/Records/RecordSchema.swift; do not edit. "
                + "The kiosk contract of spec/records.md plus optional fields the rule catalogue needs. "
                + "StationGuard is stricter than this schema in a few documented places "
                + "(ID check characters, impossible days in timestamps, 50.0 for an integer). "
                + "Timestamps refuse leap seconds (:60) and more than 9 fraction digits; "
                + "numbers must be finite (1e999 is refused).")),
            ("type", .string("object")),
            ("required", .array([.string("record_kind")])),
            ("properties", .object([("record_kind", .object([("enum", .array(kindNames))]))])),
            ("allOf", .array(branches)),
            ("$defs", .object(defs)),
        ])
    }

    /// The text of schema/record.schema.json.
    public static func jsonSchemaText() -> String { jsonSchema().prettyJSONText }

    static func typeSchema(_ type: FieldType, _ define: (ObjectSchema) -> Void) -> JSONValue {
        switch type {
        case let .integer(min, max):
            var m: [(key: String, value: JSONValue)] = [("type", .string("integer"))]
            if let min { m.append(("minimum", .integer(min))) }
            if let max { m.append(("maximum", .integer(max))) }
            return .object(m)
        case let .number(min, max):
            var m: [(key: String, value: JSONValue)] = [("type", .string("number"))]
            if let min { m.append(("minimum", JSONValue.wholeNumber(min))) }
            if let max { m.append(("maximum", JSONValue.wholeNumber(max))) }
            return .object(m)
        case .string(let pattern):
            return .object([("type", .string("string")), ("pattern", .string(pattern ?? nonBlankPattern))])
        case .plate:
            return .object([("type", .string("string")), ("pattern", .string(PlateNumber.writtenPattern))])
        case .nationalID:
            return .object([("type", .string("string")), ("pattern", .string(NationalIDNumber.pattern))])
        case .boolean:
            return .object([("type", .string("boolean"))])
        case .timestamp:
            return .object([("type", .string("string")), ("format", .string("date-time")),
                            ("pattern", .string(RFC3339Timestamp.pattern))])
        case .date:
            return .object([("type", .string("string")), ("format", .string("date")),
                            ("pattern", .string(CalendarDate.pattern))])
        case .enumeration(let values):
            return .object([("type", .string("string")), ("enum", .array(values.map { .string($0) }))])
        case .object(let o):
            define(o)
            return .object([("$ref", .string("#/$defs/" + o.name))])
        case .list(let inner):
            return .object([("type", .string("array")), ("items", typeSchema(inner, define))])
        case .nullable(let inner):
            return .object([("anyOf", .array([typeSchema(inner, define), .object([("type", .string("null"))])]))])
        }
    }

    /// Text without a pattern must contain a non-blank character (searched, not anchored).
    static let nonBlankPattern = "\\S"
}

extension JSONValue {
    /// Bounds such as 0 and 1 print as integers in the schema.
    static func wholeNumber(_ d: Double) -> JSONValue {
        d == d.rounded() && abs(d) < 1e15 ? .integer(Int(d)) : .number(d)
    }
}
