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
            guard let t = parseTimestamp(s) else {
                throw TaggedValueError(path: at, message: "'\(s)' is not an RFC 3339 timestamp in 0001-01-01T00:00:00Z...9999-12-31T23:59:59.999999999Z")
            }
            return .timestamp(t)
        case "duration":
            let s = try string()
            guard let d = parseDuration(s) else {
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
        case .timestamp(let t): return ["timestamp": formatTimestamp(t)]
        case .duration(let d): return ["duration": formatDuration(d)]
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

    // MARK: - Timestamps and durations

    /// Seconds in CEL's valid timestamp range: 0001-01-01T00:00:00Z ... 9999-12-31T23:59:59Z.
    static let minTimestampSeconds: Int64 = -62_135_596_800
    static let maxTimestampSeconds: Int64 = 253_402_300_799
    static let maxDurationSeconds: Int64 = 315_576_000_000

    /// RFC 3339 with 0–9 fraction digits and `Z` or a `±HH:MM` offset; nil if malformed or out of range.
    public static func parseTimestamp(_ s: String) -> CELTimestamp? {
        let c = Array(s.utf8)
        var i = 0
        func digits(_ n: Int) -> Int64? {
            guard i + n <= c.count else { return nil }
            var v: Int64 = 0
            for k in i..<(i + n) {
                guard c[k] >= 48, c[k] <= 57 else { return nil }
                v = v * 10 + Int64(c[k] - 48)
            }
            i += n
            return v
        }
        func expect(_ chars: String) -> Bool {
            guard i < c.count, chars.utf8.contains(c[i]) else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2),
              expect("Tt"), let hour = digits(2), expect(":"), let minute = digits(2), expect(":"),
              let second = digits(2) else { return nil }
        var nanos: Int64 = 0
        if i < c.count, c[i] == UInt8(ascii: ".") {
            i += 1
            var n = 0
            while i < c.count, c[i] >= 48, c[i] <= 57 {
                guard n < 9 else { return nil }
                nanos = nanos * 10 + Int64(c[i] - 48)
                n += 1
                i += 1
            }
            guard n > 0 else { return nil }
            for _ in n..<9 { nanos *= 10 }
        }
        var offset: Int64 = 0
        if expect("Zz") {
        } else if i < c.count, c[i] == UInt8(ascii: "+") || c[i] == UInt8(ascii: "-") {
            let sign: Int64 = c[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = digits(2), expect(":"), let om = digits(2), oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == c.count, year >= 1, (1...12).contains(month), day >= 1,
              day <= daysInMonth(year: year, month: month), hour < 24, minute < 60, second < 60 else { return nil }
        let seconds = daysFromCivil(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second - offset
        guard seconds >= minTimestampSeconds, seconds <= maxTimestampSeconds else { return nil }
        return CELTimestamp(seconds: seconds, nanos: Int32(nanos))
    }

    /// `2009-02-13T23:31:30.123456789Z`, fraction trimmed of trailing zeros.
    public static func formatTimestamp(_ t: CELTimestamp) -> String {
        // Normalise first so that a value with negative nanos still prints a valid instant.
        var seconds = t.seconds.clamped(minTimestampSeconds - 86400, maxTimestampSeconds + 86400)
        var nanos = Int64(t.nanos)
        if nanos < 0 || nanos >= 1_000_000_000 {
            seconds += nanos / 1_000_000_000 - (nanos < 0 ? 1 : 0)
            nanos = ((nanos % 1_000_000_000) + 1_000_000_000) % 1_000_000_000
        }
        let days = floorDiv(seconds, 86400)
        let rem = seconds - days * 86400
        let (y, m, d) = civilFromDays(days)
        var s = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(rem / 3600, 2) + ":" + pad(rem / 60 % 60, 2) + ":" + pad(rem % 60, 2)
        s += fraction(nanos)
        return s + "Z"
    }

    /// `-123.5s`: optional sign, seconds, optional 1–9 fraction digits, `s`; nil if malformed or out of range.
    public static func parseDuration(_ s: String) -> CELDuration? {
        var c = Substring(s)
        guard c.last == "s" else { return nil }
        c.removeLast()
        var negative = false
        if c.first == "-" { negative = true; c.removeFirst() }
        let parts = c.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 15,
              whole.allSatisfy({ $0.isASCII && $0.isNumber }), let secs = Int64(whole) else { return nil }
        var nanos: Int64 = 0
        if parts.count == 2 {
            let frac = parts[1]
            guard !frac.isEmpty, frac.count <= 9, frac.allSatisfy({ $0.isASCII && $0.isNumber }), let f = Int64(frac) else { return nil }
            nanos = f
            for _ in frac.count..<9 { nanos *= 10 }
        }
        guard secs <= maxDurationSeconds else { return nil }
        return negative ? CELDuration(seconds: -secs, nanos: Int32(-nanos)) : CELDuration(seconds: secs, nanos: Int32(nanos))
    }

    /// Protobuf-JSON form: `-1.5s`, `0s`, `123.000000001s`.
    public static func formatDuration(_ d: CELDuration) -> String {
        // Sum in 128-bit-safe steps: seconds and nanos may disagree in sign if built by hand.
        let total = d.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if !total.overflow {
            let sum = total.partialValue.addingReportingOverflow(Int64(d.nanos))
            if !sum.overflow {
                let ns = sum.partialValue
                let mag = ns.magnitude
                return (ns < 0 ? "-" : "") + String(mag / 1_000_000_000) + fraction(Int64(mag % 1_000_000_000)) + "s"
            }
        }
        let negative = d.seconds < 0 || d.nanos < 0
        return (negative ? "-" : "") + String(d.seconds.magnitude) + fraction(Int64(d.nanos.magnitude)) + "s"
    }

    private static func fraction(_ nanos: Int64) -> String {
        guard nanos != 0 else { return "" }
        var f = pad(nanos, 9)
        while f.last == "0" { f.removeLast() }
        return "." + f
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v.magnitude)
        return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func isLeapYear(_ y: Int64) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The inverse of `daysFromCivil`.
    static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719468
        let era = floorDiv(z, 146097)
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
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

private extension Int64 {
    func clamped(_ lo: Int64, _ hi: Int64) -> Int64 { Swift.min(Swift.max(self, lo), hi) }
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
