// TaggedValue: the tagged JSON encoding of CEL values used by the conformance subset,
// `stationguard expr` and the peer harness (one-key objects: {"int": "-42"}, {"map": [[k, v]]}).
//
// DESCRIPTION
//   decode() reads JSONSerialization output into a Value; encode() writes a Value back as
//   JSONSerialization-compatible objects; matches() compares a result with an expectation the
//   way the upstream runners do; decodePlain() reads plain JSON the way `peer_eval.py --plain`
//   does (object → map, integer literal → int, any other number → double).
// TRUST
//   Input is test data or an operator's stdin: every malformed shape is a thrown
//   TaggedValueError naming the path of the offending value (`$.map[1][0]`), never a trap.
// LIMITS
//   Only the README's tags. optional and object values, which the encoding lacks, are written
//   as {"optional": [v]} / {"optional": []} and {"object": {"type": name, "fields": {…}}};
//   a nested error value is written {"error": message}. decode() never produces them.
// SEE ALSO
//   /work/shared/cel/README.md (the encoding), peer_eval.py (tagged_equal, --plain).

import Foundation

/// A malformed tagged value; `path` locates it inside the decoded JSON (`$` is the root).
public struct TaggedValueError: Error, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, message: String) { self.path = path; self.message = message }
    public var description: String { "\(path): \(message)" }
}

public enum TaggedValue {

    // MARK: - Decoding

    /// Decodes one tagged value from JSONSerialization output.
    /// - Throws: `TaggedValueError` naming the path of the first malformed value.
    public static func decode(_ json: Any) throws -> Value {
        try decode(json, path: "$")
    }

    static func decode(_ json: Any, path: String) throws -> Value {
        guard let object = json as? [String: Any] else {
            throw TaggedValueError(path: path, message: "expected a one-key object such as {\"int\": \"1\"}, found \(jsonKind(json))")
        }
        guard object.count == 1, let entry = object.first else {
            throw TaggedValueError(path: path, message: "expected exactly one tag, found \(object.count) keys")
        }
        let (tag, payload) = (entry.key, entry.value)
        let at = "\(path).\(tag)"
        func string() throws -> String {
            guard let s = payload as? String else {
                throw TaggedValueError(path: at, message: "expected a string payload, found \(jsonKind(payload))")
            }
            return s
        }
        switch tag {
        case "null":
            guard payload is NSNull else { throw TaggedValueError(path: at, message: "expected null, found \(jsonKind(payload))") }
            return .null
        case "bool":
            guard let b = jsonBool(payload) else { throw TaggedValueError(path: at, message: "expected true or false, found \(jsonKind(payload))") }
            return .bool(b)
        case "int":
            let s = try string()
            guard let i = Int64(s) else { throw TaggedValueError(path: at, message: "'\(s)' is not a decimal int64") }
            return .int(i)
        case "uint":
            let s = try string()
            guard let u = UInt64(s) else { throw TaggedValueError(path: at, message: "'\(s)' is not a decimal uint64") }
            return .uint(u)
        case "double":
            let s = try string()
            guard let d = parseDouble(s) else { throw TaggedValueError(path: at, message: "'\(s)' is not a double") }
            return .double(d)
        case "string":
            return .string(try string())
        case "bytes":
            let s = try string()
            guard let data = Data(base64Encoded: s) else { throw TaggedValueError(path: at, message: "not standard padded base64") }
            return .bytes([UInt8](data))
        case "list":
            guard let items = payload as? [Any] else { throw TaggedValueError(path: at, message: "expected an array, found \(jsonKind(payload))") }
            return .list(try items.enumerated().map { try decode($1, path: "\(at)[\($0)]") })
        case "map":
            guard let items = payload as? [Any] else { throw TaggedValueError(path: at, message: "expected an array of [key, value] pairs, found \(jsonKind(payload))") }
            var map = MapValue()
            for (i, item) in items.enumerated() {
                guard let pair = item as? [Any], pair.count == 2 else {
                    throw TaggedValueError(path: "\(at)[\(i)]", message: "expected a [key, value] pair")
                }
                let key = try decode(pair[0], path: "\(at)[\(i)][0]")
                let value = try decode(pair[1], path: "\(at)[\(i)][1]")
                do { try map.insert(key, value) } catch {
                    throw TaggedValueError(path: "\(at)[\(i)][0]", message: "\(error)")
                }
            }
            return .map(map)
        case "timestamp":
            let s = try string()
            guard case .timestamp(let t) = CELTime.parseTimestamp(s, form: .protoJSON) else {
                throw TaggedValueError(path: at, message: "'\(s)' is not an RFC 3339 timestamp in 0001-01-01T00:00:00Z...9999-12-31T23:59:59.999999999Z")
            }
            return .timestamp(t)
        case "duration":
            let s = try string()
            guard case .duration(let d) = CELTime.parseDuration(s, form: .protoJSON) else {
                throw TaggedValueError(path: at, message: "'\(s)' is not a duration such as \"-1.5s\" within ±315576000000s")
            }
            return .duration(d)
        case "type":
            let s = try string()
            do { return .type(try parseType(s, allowObjectNames: true)) } catch let e as TaggedValueError {
                throw TaggedValueError(path: at, message: e.message)
            }
        default:
            throw TaggedValueError(path: path, message: "unknown tag '\(tag)'")
        }
    }

    // MARK: - Plain JSON

    /// Reads plain JSON as `peer_eval.py --plain` does: object → map with string keys,
    /// array → list, integer literal → int, any other number → double. An integer literal
    /// outside int64 becomes an error value (using it fails; it is never silently rounded).
    public static func decodePlain(_ json: Any) -> Value {
        switch json {
        case is NSNull:
            return .null
        case let s as String:
            return .string(s)
        case let n as NSNumber:
            return plainNumber(n)
        case let items as [Any]:
            return .list(items.map(decodePlain))
        case let object as [String: Any]:
            var map = MapValue()
            // Sorted so that output and error order do not depend on dictionary hashing.
            for key in object.keys.sorted() {
                try? map.insert(.string(key), decodePlain(object[key]!))
            }
            return .map(map)
        default:
            return .error(EvalError("unsupported JSON value \(jsonKind(json))"))
        }
    }

    private static func plainNumber(_ n: NSNumber) -> Value {
        if isJSONBool(n) { return .bool(n.boolValue) }
        // Foundation hands back an NSDecimalNumber when a literal does not fit Int64/Double
        // exactly: its text says whether the literal was an integer.
        if let dec = n as? NSDecimalNumber {
            let text = dec.stringValue
            if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
                if let i = Int64(text) { return .int(i) }
                return .error(EvalError("integer \(text) is out of the int64 range"))
            }
            return .double(Double(text) ?? dec.doubleValue)
        }
        switch String(cString: n.objCType) {
        case "d", "f":
            return .double(n.doubleValue)
        case "Q":
            let u = n.uint64Value
            return u <= UInt64(Int64.max) ? .int(Int64(u)) : .error(EvalError("integer \(u) is out of the int64 range"))
        default:
            return .int(n.int64Value)
        }
    }

    // MARK: - Encoding

    /// Encodes a value as JSONSerialization-compatible objects (strings, arrays, dictionaries,
    /// NSNull, Bool). Doubles use the shortest round-trip form (`"1e+100"`, `"-0.0"`).
    public static func encode(_ v: Value) -> Any {
        switch v {
        case .null: return ["null": NSNull()]
        case .bool(let b): return ["bool": b]
        case .int(let i): return ["int": String(i)]
        case .uint(let u): return ["uint": String(u)]
        case .double(let d): return ["double": formatDouble(d)]
        case .string(let s): return ["string": s]
        case .bytes(let b): return ["bytes": Data(b).base64EncodedString()]
        case .list(let items): return ["list": items.map(encode)]
        case .map(let m): return ["map": m.entries.map { [encode($0.key), encode($0.value)] }]
        case .timestamp(let t): return ["timestamp": CELTime.format(t)]
        case .duration(let d): return ["duration": CELTime.format(d)]
        case .type(let t): return ["type": typeName(t)]
        case .optional(let inner): return ["optional": inner.map { [encode($0)] } ?? []]
        case .object(let o):
            var fields: [String: Any] = [:]
            for (i, f) in o.type.fields.enumerated() where i < o.fields.count {
                if let value = o.fields[i] { fields[f.name] = encode(value) }
            }
            return ["object": ["type": o.type.name, "fields": fields] as [String: Any]]
        case .error(let e): return ["error": e.message]
        }
    }

    /// Shortest round-trip text, as Python's repr (and Swift's description) give it.
    public static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
        return d.description
    }

    static func parseDouble(_ s: String) -> Double? {
        switch s {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            // Double("nan"), Double("inf") and hex floats are not part of the encoding.
            guard !s.isEmpty, s.allSatisfy({ "0123456789+-.eE".contains($0) }) else { return nil }
            return Double(s)
        }
    }

    // MARK: - Comparison

    /// Compares a result with an expected value as the upstream conformance runners do:
    /// tags exact (int ≠ uint ≠ double), lists element-wise, maps as unordered sets of pairs,
    /// doubles with `==` except that NaN matches NaN, timestamps/durations by (seconds, nanos),
    /// types by name.
    public static func matches(_ result: Value, expected: Value) -> Bool {
        switch (result, expected) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.uint(a), .uint(b)): return a == b
        case let (.double(a), .double(b)): return a == b || (a.isNaN && b.isNaN)
        case let (.string(a), .string(b)): return a == b
        case let (.bytes(a), .bytes(b)): return a == b
        case let (.list(a), .list(b)):
            return a.count == b.count && zip(a, b).allSatisfy { matches($0, expected: $1) }
        case let (.map(a), .map(b)):
            guard a.count == b.count else { return false }
            var unmatched = b.entries
            for (k, v) in a.entries {
                guard let i = unmatched.firstIndex(where: { matches(k, expected: $0.key) }),
                      matches(v, expected: unmatched[i].value) else { return false }
                unmatched.remove(at: i)
            }
            return true
        case let (.timestamp(a), .timestamp(b)): return a == b
        case let (.duration(a), .duration(b)): return a == b
        case let (.type(a), .type(b)): return typeName(a) == typeName(b)
        case let (.optional(a), .optional(b)):
            switch (a, b) {
            case (nil, nil): return true
            case let (x?, y?): return matches(x, expected: y)
            default: return false
            }
        case let (.object(a), .object(b)):
            return a.type === b.type && zip(a.fields, b.fields).allSatisfy { x, y in
                switch (x, y) {
                case (nil, nil): return true
                case let (p?, q?): return matches(p, expected: q)
                default: return false
                }
            }
        default: return false
        }
    }

    // MARK: - Types

    /// The name `type(x)` has in the tagged encoding: `list`, `map`, `type`, `null_type`,
    /// `google.protobuf.Timestamp`, …; parameterised types lose their parameters.
    public static func typeName(_ t: CELType) -> String {
        switch t {
        case .list: return "list"
        case .map: return "map"
        case .type: return "type"
        case .optional: return "optional_type"
        default: return t.description
        }
    }

    /// Parses a CEL type string: `int`, `list(int)`, `map(string, list(dyn))`,
    /// `google.protobuf.Duration`, `dyn`, `null_type`, `type(int)`, `optional_type(T)`;
    /// bare `list`, `map`, `type` take `dyn` parameters. Other dotted names are object types
    /// only when `allowObjectNames` (the tagged `type` payload); otherwise they are an error.
    /// - Throws: `TaggedValueError` with the column (1-based) in `path`.
    public static func parseType(_ text: String, allowObjectNames: Bool = false) throws -> CELType {
        var p = TypeStringParser(text: Array(text.unicodeScalars), allowObjectNames: allowObjectNames)
        let t = try p.parseType()
        p.skipSpaces()
        if p.pos < p.text.count { throw p.fail("unexpected '\(p.text[p.pos])'") }
        return t
    }

    // MARK: - JSON shapes

    /// JSONSerialization on Linux gives booleans as `__NSCFBoolean`, numbers as NSNumber; a
    /// plain `as? Bool` would also accept the numbers 0 and 1, so check the class.
    static func isJSONBool(_ n: NSNumber) -> Bool {
        type(of: n) == type(of: NSNumber(value: true))
    }

    static func jsonBool(_ x: Any) -> Bool? {
        if let n = x as? NSNumber { return isJSONBool(n) ? n.boolValue : nil }
        return x as? Bool
    }

    static func jsonKind(_ x: Any) -> String {
        switch x {
        case is NSNull: return "null"
        case is String: return "a string"
        case let n as NSNumber: return isJSONBool(n) ? "a boolean" : "a number"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        default: return "\(type(of: x))"
        }
    }
}

/// Recursive descent over a CEL type string; errors give the 1-based column.
private struct TypeStringParser {
    let text: [Unicode.Scalar]
    let allowObjectNames: Bool
    var pos = 0
    var depth = 0

    init(text: [Unicode.Scalar], allowObjectNames: Bool) { self.text = text; self.allowObjectNames = allowObjectNames }

    func fail(_ message: String) -> TaggedValueError {
        TaggedValueError(path: "column \(pos + 1)", message: "type '\(String(String.UnicodeScalarView(text)))': \(message)")
    }

    mutating func skipSpaces() { while pos < text.count, text[pos] == " " { pos += 1 } }

    mutating func name() throws -> String {
        skipSpaces()
        var s = ""
        while pos < text.count, text[pos].properties.isAlphabetic || text[pos] == "_" || text[pos] == "." || ("0"..."9").contains(text[pos]) {
            s.unicodeScalars.append(text[pos])
            pos += 1
        }
        if s.isEmpty { throw fail(pos < text.count ? "expected a type name, found '\(text[pos])'" : "expected a type name") }
        return s
    }

    mutating func arguments() throws -> [CELType]? {
        skipSpaces()
        guard pos < text.count, text[pos] == "(" else { return nil }
        pos += 1
        depth += 1
        // A hostile type_env line must not recurse without bound.
        if depth > 32 { throw fail("type nested more than 32 deep") }
        var args = [try parseType()]
        skipSpaces()
        while pos < text.count, text[pos] == "," {
            pos += 1
            args.append(try parseType())
            skipSpaces()
        }
        guard pos < text.count, text[pos] == ")" else { throw fail("expected ',' or ')'") }
        pos += 1
        depth -= 1
        return args
    }

    mutating func parseType() throws -> CELType {
        let n = try name()
        let args = try arguments()
        func arity(_ k: Int) throws -> [CELType] {
            guard let a = args else { return Array(repeating: .dyn, count: k) }
            guard a.count == k else { throw fail("\(n) takes \(k) type parameter\(k == 1 ? "" : "s"), found \(a.count)") }
            return a
        }
        func simple(_ t: CELType) throws -> CELType {
            if args != nil { throw fail("\(n) takes no type parameters") }
            return t
        }
        switch n {
        case "dyn": return try simple(.dyn)
        case "null_type": return try simple(.null)
        case "bool": return try simple(.bool)
        case "int": return try simple(.int)
        case "uint": return try simple(.uint)
        case "double": return try simple(.double)
        case "string": return try simple(.string)
        case "bytes": return try simple(.bytes)
        case "google.protobuf.Timestamp", "timestamp": return try simple(.timestamp)
        case "google.protobuf.Duration", "duration": return try simple(.duration)
        case "list": return .list(try arity(1)[0])
        case "map":
            let a = try arity(2)
            return .map(a[0], a[1])
        case "type": return .type(try arity(1)[0])
        case "optional_type": return .optional(try arity(1)[0])
        default:
            guard allowObjectNames else { throw fail("unknown type '\(n)'") }
            return try simple(.object(n))
        }
    }
}
