// StandardLibrary: implementations of CEL's standard functions, by the names the checker's
// StandardSignatures uses. Every function takes non-error arguments (call nodes propagate
// errors before calling) and returns a value or an error value; none traps.

enum StandardLibrary {
    typealias Impl = FunctionOverload.Implementation

    /// The implementation of `name` called with `arity` arguments (receiver included), if
    /// the standard library has one. Member and global spellings share implementations.
    static func implementation(_ name: String, arity: Int) -> Impl? {
        switch (name, arity) {
        case (Operator.add, 2): return .binary(add)
        case (Operator.subtract, 2): return .binary(subtract)
        case (Operator.multiply, 2): return .binary(multiply)
        case (Operator.divide, 2): return .binary(divide)
        case (Operator.modulo, 2): return .binary(modulo)
        case (Operator.negate, 1): return .unary(negate)
        case (Operator.index, 2): return .binary(index)
        case (Operator.in, 2): return .metered(membership)
        case ("size", 1): return .metered { a, budget in
            // Counting code points reads the whole string.
            if case .string(let s) = a[0], !Cost.spend(s.utf8.count, &budget) { return Program.budgetExceeded }
            return size(a[0])
        }
        case ("contains", 2): return .metered(stringContains)
        case ("startsWith", 2): return .metered { a, budget in affix(startsWith, a, &budget) }
        case ("endsWith", 2): return .metered { a, budget in affix(endsWith, a, &budget) }
        case ("matches", 2): return .metered { a, budget in
            if case .string(let s) = a[0], !Cost.spend(s.utf8.count, &budget) { return Program.budgetExceeded }
            return matches(a[0], a[1])
        }
        case ("int", 1): return .unary(toInt)
        case ("uint", 1): return .unary(toUint)
        case ("double", 1): return .unary(toDouble)
        case ("string", 1): return .unary(toString)
        case ("bytes", 1): return .unary(toBytes)
        case ("bool", 1): return .unary(toBool)
        case ("timestamp", 1): return .unary(toTimestamp)
        case ("duration", 1): return .unary(toDuration)
        case ("dyn", 1): return .unary { $0 }
        case ("type", 1): return .unary { .type($0.runtimeType) }
        case (Parser.mapInsert, 3): return .nary { a in mapInsert(a[0], a[1], a[2]) }
        default: break
        }
        if let f = timeFields[name], arity == 1 || arity == 2 {
            if arity == 1 { return .unary { timeField(f, $0, nil) } }
            return .binary { timeField(f, $0, $1) }
        }
        return nil
    }

    // MARK: arithmetic

    static func add(_ a: Value, _ b: Value) -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)): let (r, o) = x.addingReportingOverflow(y); return o ? .overflow : .int(r)
        case let (.uint(x), .uint(y)): let (r, o) = x.addingReportingOverflow(y); return o ? .overflow : .uint(r)
        case let (.double(x), .double(y)): return .double(x + y)
        case let (.string(x), .string(y)): return .string(x + y)
        case let (.bytes(x), .bytes(y)): return .bytes(x + y)
        case let (.list(x), .list(y)): return .list(x + y)
        case let (.timestamp(t), .duration(d)), let (.duration(d), .timestamp(t)):
            return CELTime.timestamp(nanos: CELTime.nanos(t) + CELTime.nanos(d))
        case let (.duration(x), .duration(y)): return CELTime.duration(nanos: CELTime.nanos(x) + CELTime.nanos(y))
        default: return .noOverload(Operator.add, a, b)
        }
    }

    static func subtract(_ a: Value, _ b: Value) -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)): let (r, o) = x.subtractingReportingOverflow(y); return o ? .overflow : .int(r)
        case let (.uint(x), .uint(y)): let (r, o) = x.subtractingReportingOverflow(y); return o ? .overflow : .uint(r)
        case let (.double(x), .double(y)): return .double(x - y)
        case let (.timestamp(x), .timestamp(y)):
            // cel-go keeps a timestamp difference within Go's time.Duration (±292 years).
            let n = CELTime.nanos(x) - CELTime.nanos(y)
            guard n >= Int128(Int64.min), n <= Int128(Int64.max) else { return .fail("duration out of range") }
            return CELTime.duration(nanos: n)
        case let (.timestamp(t), .duration(d)): return CELTime.timestamp(nanos: CELTime.nanos(t) - CELTime.nanos(d))
        case let (.duration(x), .duration(y)): return CELTime.duration(nanos: CELTime.nanos(x) - CELTime.nanos(y))
        default: return .noOverload(Operator.subtract, a, b)
        }
    }

    static func multiply(_ a: Value, _ b: Value) -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)): let (r, o) = x.multipliedReportingOverflow(by: y); return o ? .overflow : .int(r)
        case let (.uint(x), .uint(y)): let (r, o) = x.multipliedReportingOverflow(by: y); return o ? .overflow : .uint(r)
        case let (.double(x), .double(y)): return .double(x * y)
        default: return .noOverload(Operator.multiply, a, b)
        }
    }

    static func divide(_ a: Value, _ b: Value) -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)):
            if y == 0 { return .divisionByZero }
            let (r, o) = x.dividedReportingOverflow(by: y); return o ? .overflow : .int(r)
        case let (.uint(x), .uint(y)): return y == 0 ? .divisionByZero : .uint(x / y)
        case let (.double(x), .double(y)): return .double(x / y)
        default: return .noOverload(Operator.divide, a, b)
        }
    }

    static func modulo(_ a: Value, _ b: Value) -> Value {
        switch (a, b) {
        case let (.int(x), .int(y)):
            if y == 0 { return .moduloByZero }
            let (r, o) = x.remainderReportingOverflow(dividingBy: y); return o ? .overflow : .int(r)
        case let (.uint(x), .uint(y)): return y == 0 ? .moduloByZero : .uint(x % y)
        default: return .noOverload(Operator.modulo, a, b)
        }
    }

    static func negate(_ a: Value) -> Value {
        switch a {
        case .int(let x): return x == Int64.min ? .overflow : .int(-x)
        case .double(let x): return .double(-x)
        default: return .noOverload(Operator.negate, a)
        }
    }

    // MARK: collections

    static func index(_ c: Value, _ k: Value) -> Value {
        switch c {
        case .list(let xs):
            let i: Int64
            switch k {
            case .int(let v): i = v
            case .uint(let v): guard v <= UInt64(Int64.max) else { return .fail("index out of range: \(v)") }; i = Int64(v)
            case .double(let d):
                guard d.rounded(.towardZero) == d, d >= -9.223372036854775808e18, d < 9.223372036854775808e18 else { return .fail("unsupported index value \(d)") }
                i = Int64(d)
            default: return .noOverload(Operator.index, c, k)
            }
            guard i >= 0, i < Int64(xs.count) else { return .fail("index out of range: \(i)") }
            return xs[Int(i)]
        case .map(let m):
            switch k {
            case .bool, .int, .uint, .string, .double: break
            default: return .noOverload(Operator.index, c, k)
            }
            if let v = m[k] { return v }
            return .fail("no such key: \(k.keyDescription)")
        case .optional: return OptionalLibrary.index(c, k)
        default: return .noOverload(Operator.index, c, k)
        }
    }

    /// `e in list` spends what a list equality would (ValueSemantics): its elements by
    /// number, and each element's walk as a nested value. `e in map` is a key lookup.
    static func membership(_ a: [Value], _ budget: inout Int) -> Value {
        let e = a[0]
        switch a[1] {
        case .list(let xs):
            let found = Cost.walk(&budget) { allowance -> Bool? in
                allowance -= xs.count
                if allowance < 0 { return nil }
                for x in xs {
                    guard let same = x.celEquals(e, allowance: &allowance, nested: true) else { return nil }
                    if same { return true }
                }
                return false
            }
            return found.map(Value.bool) ?? Program.budgetExceeded
        case .map(let m): return .bool(m[e] != nil)
        default: return .noOverload(Operator.in, e, a[1])
        }
    }

    static func size(_ a: Value) -> Value {
        switch a {
        case .string(let s): return .int(Int64(s.unicodeScalars.count))
        case .bytes(let b): return .int(Int64(b.count))
        case .list(let l): return .int(Int64(l.count))
        case .map(let m): return .int(Int64(m.count))
        default: return .noOverload("size", a)
        }
    }

    static func mapInsert(_ m: Value, _ k: Value, _ v: Value) -> Value {
        guard case .map(var map) = m else { return .noOverload(Parser.mapInsert, m, k, v) }
        do { try map.insert(k, v) } catch { return .fail("\(error)") }
        return .map(map)
    }

    // MARK: strings

    /// `s.contains(t)`: one linear (KMP) scan over the UTF-8 bytes, charged per KiB of `s`.
    static func stringContains(_ a: [Value], _ budget: inout Int) -> Value {
        guard case .string(let s) = a[0], case .string(let t) = a[1] else { return .noOverload("contains", a[0], a[1]) }
        if t.isEmpty { return .bool(true) }
        guard Cost.spend(s.utf8.count, &budget) else { return Program.budgetExceeded }
        var contiguous = s
        return contiguous.withUTF8 { h in .bool(TextSearch(Array(t.utf8)).first(in: h) != nil) }
    }

    /// startsWith/endsWith read at most the shorter string: charged per KiB of it.
    static func affix(_ test: (Value, Value) -> Value, _ a: [Value], _ budget: inout Int) -> Value {
        if case .string(let s) = a[0], case .string(let t) = a[1],
           !Cost.spend(min(s.utf8.count, t.utf8.count), &budget) { return Program.budgetExceeded }
        return test(a[0], a[1])
    }

    static func startsWith(_ a: Value, _ b: Value) -> Value {
        guard case .string(let s) = a, case .string(let t) = b else { return .noOverload("startsWith", a, b) }
        return .bool(s.utf8.starts(with: t.utf8))
    }

    static func endsWith(_ a: Value, _ b: Value) -> Value {
        guard case .string(let s) = a, case .string(let t) = b else { return .noOverload("endsWith", a, b) }
        return .bool(s.utf8.count >= t.utf8.count && s.utf8.reversed().starts(with: t.utf8.reversed()))
    }

    static func matches(_ a: Value, _ b: Value) -> Value {
        guard case .string(let s) = a, case .string(let p) = b else { return .noOverload("matches", a, b) }
        do { return .bool(try CELRegex.compile(p).matches(s)) } catch { return .fail("invalid regular expression: \(error)") }
    }

    // MARK: conversions

    static func toInt(_ a: Value) -> Value {
        switch a {
        case .int: return a
        case .uint(let u): return u > UInt64(Int64.max) ? .fail("range error converting \(u) to int") : .int(Int64(u))
        case .double(let d):
            // Both bounds are exclusive, as in cel-go: -2^63 as a double is already out of range.
            guard d.isFinite, d > -9.223372036854775808e18, d < 9.223372036854775807e18 else {
                return .fail("range error converting \(d) to int")
            }
            return .int(Int64(d))
        case .string(let s): return Int64(s).map { .int($0) } ?? .fail("cannot convert '\(s)' to int")
        case .timestamp(let t): return .int(t.seconds)
        default: return .noOverload("int", a)
        }
    }

    static func toUint(_ a: Value) -> Value {
        switch a {
        case .uint: return a
        case .int(let i): return i < 0 ? .fail("range error converting \(i) to uint") : .uint(UInt64(i))
        case .double(let d):
            guard d.isFinite, d > -1, d < 1.8446744073709551616e19 else { return .fail("range error converting \(d) to uint") }
            return .uint(UInt64(d))
        case .string(let s):
            // Go's ParseUint, which cel-go uses, takes no sign (Swift's UInt64("+1") would).
            guard let f = s.utf8.first, f != UInt8(ascii: "+"), f != UInt8(ascii: "-"), let u = UInt64(s) else {
                return .fail("cannot convert '\(s)' to uint")
            }
            return .uint(u)
        default: return .noOverload("uint", a)
        }
    }

    static func toDouble(_ a: Value) -> Value {
        switch a {
        case .double: return a
        case .int(let i): return .double(Double(i))
        case .uint(let u): return .double(Double(u))
        case .string(let s): return parseDouble(s).map { .double($0) } ?? .fail("cannot convert '\(s)' to double")
        default: return .noOverload("double", a)
        }
    }

    /// Go's strconv.ParseFloat, as cel-go converts: Swift's Double(String) also takes a hex
    /// mantissa without a `p` exponent and turns an overflow into infinity; Go rejects both.
    static func parseDouble(_ s: String) -> Double? {
        var body = Substring(s.lowercased())
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        let spelledInfinity = body == "inf" || body == "infinity"
        if body.hasPrefix("0x") && !body.contains("p") { return nil }
        guard let d = Double(s) else { return nil }
        if d.isInfinite && !spelledInfinity { return nil }
        return d
    }

    static func toString(_ a: Value) -> Value {
        switch a {
        case .string: return a
        case .int(let i): return .string(String(i))
        case .uint(let u): return .string(String(u))
        case .double(let d): return .string(formatDouble(d))
        case .bool(let b): return .string(b ? "true" : "false")
        case .bytes(let b):
            guard let s = String(validating: b, as: UTF8.self) else { return .fail("invalid UTF-8 in bytes to string conversion") }
            return .string(s)
        case .timestamp(let t):
            guard CELTime.inRange(t) else { return .fail("timestamp out of range") }
            return .string(CELTime.format(t))
        case .duration(let d): return .string(CELTime.format(d))
        default: return .noOverload("string", a)
        }
    }

    static func toBytes(_ a: Value) -> Value {
        switch a {
        case .bytes: return a
        case .string(let s): return .bytes(Array(s.utf8))
        default: return .noOverload("bytes", a)
        }
    }

    static func toBool(_ a: Value) -> Value {
        switch a {
        case .bool: return a
        case .string(let s):
            switch s {
            case "1", "t", "true", "TRUE", "True": return .bool(true)
            case "0", "f", "false", "FALSE", "False": return .bool(false)
            default: return .fail("Type conversion error: cannot convert '\(s)' to bool")
            }
        default: return .noOverload("bool", a)
        }
    }

    static func toTimestamp(_ a: Value) -> Value {
        switch a {
        case .timestamp: return a
        case .string(let s): return CELTime.parseTimestamp(s)
        case .int(let i): return CELTime.timestamp(nanos: Int128(i) * CELTime.nanosPerSecond)
        default: return .noOverload("timestamp", a)
        }
    }

    static func toDuration(_ a: Value) -> Value {
        switch a {
        case .duration: return a
        case .string(let s): return CELTime.parseDuration(s)
        case .int(let i): return CELTime.duration(nanos: Int128(i) * CELTime.nanosPerSecond)
        default: return .noOverload("duration", a)
        }
    }

    // MARK: time accessors

    static let timeFields: [String: CELTime.Field] = [
        "getFullYear": .fullYear, "getMonth": .month, "getDate": .date, "getDayOfMonth": .dayOfMonth,
        "getDayOfWeek": .dayOfWeek, "getDayOfYear": .dayOfYear, "getHours": .hours, "getMinutes": .minutes,
        "getSeconds": .seconds, "getMilliseconds": .milliseconds,
    ]

    static func timeField(_ f: CELTime.Field, _ a: Value, _ zone: Value?) -> Value {
        if case .timestamp(let t) = a, !CELTime.inRange(t) { return .fail("timestamp out of range") }
        switch (a, zone) {
        case (.timestamp(let t), nil): return CELTime.field(f, of: t, zone: nil)
        case (.timestamp(let t), .string(let z)?): return CELTime.field(f, of: t, zone: z)
        case (.duration(let d), nil):
            let n = CELTime.nanos(d)
            switch f {
            case .hours: return .int(Int64(n / (3600 * CELTime.nanosPerSecond)))
            case .minutes: return .int(Int64(n / (60 * CELTime.nanosPerSecond)))
            case .seconds: return .int(Int64(n / CELTime.nanosPerSecond))
            case .milliseconds: return .int(Int64(n % CELTime.nanosPerSecond / 1_000_000))
            default: break
            }
        default: break
        }
        return zone.map { .noOverload("time accessor", a, $0) } ?? .noOverload("time accessor", a)
    }
}

extension Value {
    /// A map key as error messages show it.
    var keyDescription: String {
        switch self {
        case .string(let s): return "'\(s)'"
        case .int(let i): return String(i)
        case .uint(let u): return "\(u)u"
        case .bool(let b): return b ? "true" : "false"
        case .double(let d): return formatDouble(d)
        default: return runtimeType.description
        }
    }
}
