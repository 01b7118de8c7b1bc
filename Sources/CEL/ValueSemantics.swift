// ValueSemantics: what the spec says about values at run time: runtime types, heterogeneous
// equality and ordering across int/uint/double, code-point string order, and the error
// values the standard library returns (one constructor per kind, so wording never drifts).

// MARK: - Errors

extension Value {
    static func noOverload(_ function: String, _ args: Value...) -> Value {
        .error(EvalError("no such overload: \(function)(\(args.map { $0.runtimeType.description }.joined(separator: ", ")))"))
    }
    static func noOverload(_ function: String, list args: [Value]) -> Value {
        .error(EvalError("no such overload: \(function)(\(args.map { $0.runtimeType.description }.joined(separator: ", ")))"))
    }
    static func fail(_ message: String) -> Value { .error(EvalError(message)) }
    static let overflow = Value.error(EvalError("integer overflow"))
    static let divisionByZero = Value.error(EvalError("division by zero"))
    static let moduloByZero = Value.error(EvalError("modulus by zero"))

    public var isError: Bool { if case .error = self { return true }; return false }
}

// MARK: - Runtime types

extension Value {
    /// What `type(x)` returns. Parameterised types lose their parameters at run time
    /// (`type([1]) == type(['a'])`), so they are normalised to `dyn` parameters here.
    public var runtimeType: CELType {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .uint: return .uint
        case .double: return .double
        case .string: return .string
        case .bytes: return .bytes
        case .list: return .list(.dyn)
        case .map: return .map(.dyn, .dyn)
        case .timestamp: return .timestamp
        case .duration: return .duration
        case .type: return .type(.dyn)
        case .object(let o): return .object(o.type.name)
        case .optional: return .optional(.dyn)
        case .error: return .error
        }
    }
}

extension CELType {
    /// The run-time form of a type value (see `Value.runtimeType`).
    var runtimeNormalised: CELType {
        switch self {
        case .list: return .list(.dyn)
        case .map: return .map(.dyn, .dyn)
        case .type: return .type(.dyn)
        case .optional: return .optional(.dyn)
        default: return self
        }
    }

    /// True when a run-time value may be passed where this type is declared (overload selection).
    func admits(_ v: Value) -> Bool {
        switch (self, v) {
        case (.dyn, _), (.parameter, _): return true
        case (.null, .null), (.bool, .bool), (.int, .int), (.uint, .uint), (.double, .double),
             (.string, .string), (.bytes, .bytes), (.list, .list), (.map, .map),
             (.timestamp, .timestamp), (.duration, .duration), (.type, .type), (.optional, .optional):
            return true
        case (.object(let n), .object(let o)): return o.type.name == n
        default: return false
        }
    }
}

// MARK: - Equality

/// Strings compare by code points (not Swift's canonical equivalence): equal UTF-8 bytes.
@inline(__always) func sameCodePoints(_ a: String, _ b: String) -> Bool {
    a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
}

/// Code-point order of two strings, which is UTF-8 byte order.
@inline(__always) func codePointOrder(_ a: String, _ b: String) -> Int {
    var i = a.utf8.makeIterator(), j = b.utf8.makeIterator()
    while true {
        switch (i.next(), j.next()) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case (let x?, let y?): if x != y { return x < y ? -1 : 1 }
        }
    }
}

extension Value {
    /// CEL `==` on two non-error values: numbers compare across int/uint/double, other
    /// kinds must match (a mismatch is simply unequal), NaN is unequal to everything.
    /// Not metered, for hosts; evaluation uses `celEquals(_:budget:)`.
    public func celEquals(_ other: Value) -> Bool {
        // One switch on `self`, then a pattern on `other`: matching a tuple of both would
        // copy (retain and release) both payloads on every comparison.
        switch self {
        case .string(let a):
            if case .string(let b) = other { return sameCodePoints(a, b) }
            return false
        case .int(let a):
            if case .int(let b) = other { return a == b }
            return other.isNumber && numericOrder(self, other) == 0
        case .bool(let a):
            if case .bool(let b) = other { return a == b }
            return false
        case .uint(let a):
            if case .uint(let b) = other { return a == b }
            return other.isNumber && numericOrder(self, other) == 0
        case .double(let a):
            if case .double(let b) = other { return a == b }
            return other.isNumber && numericOrder(self, other) == 0
        case .null:
            if case .null = other { return true }
            return false
        case .bytes(let a):
            if case .bytes(let b) = other { return a == b }
            return false
        case .timestamp(let a):
            if case .timestamp(let b) = other { return a == b }
            return false
        case .duration(let a):
            if case .duration(let b) = other { return a == b }
            return false
        case .type(let a):
            if case .type(let b) = other { return a.runtimeNormalised == b.runtimeNormalised }
            return false
        case .list, .map, .object, .optional:
            // Hosts comparing values they built themselves: the same walk, never stopped.
            var unlimited = Int.max
            return celEquals(other, allowance: &unlimited, nested: false) ?? false
        case .error:
            return false
        }
    }

    /// `==` as evaluation runs it, paid from the evaluation budget (see `Cost.walk`): one
    /// unit per 1,024 elements, entries, fields or bytes compared and one per nested list,
    /// map, object or optional opened. Values built by repeated `cel.bind` share structure,
    /// so `a == a` can open 2^n containers of a value built in n steps: the budget stops
    /// it. nil when overdrawn (the walk stopped there). Scalars and short text cost nothing.
    @inline(__always) func celEquals(_ other: Value, budget: inout Int) -> Bool? {
        switch self {
        case .list, .map, .object, .optional: break
        case .string(let s): if s.utf8.count < 1024 { return celEquals(other) }
        case .bytes(let b): if b.count < 1024 { return celEquals(other) }
        default: return celEquals(other)
        }
        return Cost.walk(&budget) { celEquals(other, allowance: &$0, nested: false) }
    }

    /// The walk behind `==`, spending `allowance` (Cost.walk's units) only where it looks
    /// inside: a kind or size mismatch is decided at once and free. A `nested` container
    /// also costs `Cost.containerWeight` to open. nil once the allowance is below zero.
    func celEquals(_ other: Value, allowance: inout Int, nested: Bool) -> Bool? {
        let opening = nested ? Cost.containerWeight : 0
        switch self {
        case .string(let a):
            guard case .string(let b) = other, a.utf8.count == b.utf8.count else { return false }
            allowance -= a.utf8.count
            return allowance < 0 ? nil : sameCodePoints(a, b)
        case .bytes(let a):
            guard case .bytes(let b) = other, a.count == b.count else { return false }
            allowance -= a.count
            return allowance < 0 ? nil : a == b
        case .list(let a):
            guard case .list(let b) = other, a.count == b.count else { return false }
            allowance -= opening + a.count
            if allowance < 0 { return nil }
            for k in 0..<a.count {
                guard let same = a[k].celEquals(b[k], allowance: &allowance, nested: true) else { return nil }
                if !same { return false }
            }
            return true
        case .map(let a):
            guard case .map(let b) = other, a.count == b.count else { return false }
            allowance -= opening + a.count
            if allowance < 0 { return nil }
            for (k, v) in a.entries {
                guard let w = b[k] else { return false }
                guard let same = v.celEquals(w, allowance: &allowance, nested: true) else { return nil }
                if !same { return false }
            }
            return true
        case .object(let a):
            guard case .object(let b) = other else { return false }
            if a === b { return true }
            guard a.type === b.type, a.fields.count == b.fields.count else { return false }
            allowance -= opening + a.fields.count
            if allowance < 0 { return nil }
            for k in 0..<a.fields.count {
                switch (a.fields[k], b.fields[k]) {
                case (nil, nil): continue
                case let (x?, y?):
                    guard let same = x.celEquals(y, allowance: &allowance, nested: true) else { return nil }
                    if !same { return false }
                default: return false
                }
            }
            return true
        case .optional(let a):
            guard case .optional(let b) = other else { return false }
            switch (a, b) {
            case (nil, nil): return true
            case let (x?, y?):
                allowance -= opening + 1
                return allowance < 0 ? nil : x.celEquals(y, allowance: &allowance, nested: true)
            default: return false
            }
        default:
            return celEquals(other)
        }
    }
}

// MARK: - Ordering

/// -1/0/1 for two numbers of any numeric kinds compared exactly; nil if either is NaN or
/// either is not a number.
func numericOrder(_ a: Value, _ b: Value) -> Int? {
    @inline(__always) func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
    switch (a, b) {
    case let (.int(x), .int(y)): return cmp(x, y)
    case let (.uint(x), .uint(y)): return cmp(x, y)
    case let (.double(x), .double(y)): return x.isNaN || y.isNaN ? nil : cmp(x, y)
    case let (.int(x), .uint(y)): return x < 0 ? -1 : cmp(UInt64(x), y)
    case let (.uint(x), .int(y)): return y < 0 ? 1 : cmp(x, UInt64(y))
    case let (.int(x), .double(y)): return intDoubleOrder(x, y)
    case let (.double(x), .int(y)): return intDoubleOrder(y, x).map { -$0 }
    case let (.uint(x), .double(y)): return uintDoubleOrder(x, y)
    case let (.double(x), .uint(y)): return uintDoubleOrder(y, x).map { -$0 }
    default: return nil
    }
}

// cel-go (and the conformance suite) compare an int or uint with a double by converting
// it to double, so 2^63-1 equals 2^63 as a double: follow it.
private func intDoubleOrder(_ i: Int64, _ d: Double) -> Int? {
    if d.isNaN { return nil }
    let x = Double(i)
    return x < d ? -1 : (x > d ? 1 : 0)
}

private func uintDoubleOrder(_ u: UInt64, _ d: Double) -> Int? {
    if d.isNaN { return nil }
    let x = Double(u)
    return x < d ? -1 : (x > d ? 1 : 0)
}

extension Value {
    /// CEL ordering: numbers across kinds, strings by code point, bytes, bools, times.
    /// nil when the kinds have no ordering (`no such overload`) or a NaN is involved
    /// (then every relation is false: see `isNaNComparison`).
    func celOrder(_ other: Value) -> Int? {
        @inline(__always) func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        switch (self, other) {
        case let (.string(a), .string(b)): return codePointOrder(a, b)
        case let (.bool(a), .bool(b)): return a == b ? 0 : (a ? 1 : -1)
        case let (.bytes(a), .bytes(b)):
            return a.lexicographicallyPrecedes(b) ? -1 : (a == b ? 0 : 1)
        case let (.timestamp(a), .timestamp(b)): return cmp(a, b)
        case let (.duration(a), .duration(b)): return cmp(a, b)
        default: return numericOrder(self, other)
        }
    }

    var isNumber: Bool {
        switch self { case .int, .uint, .double: return true; default: return false }
    }
}

// MARK: - Formatting

/// Go's `strconv.FormatFloat(d, 'g', -1, 64)`, which `string(double)` follows in cel-go.
func formatDouble(_ d: Double) -> String {
    if d.isNaN { return "NaN" }
    if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
    if d == 0 { return d.sign == .minus ? "-0" : "0" }
    // Shortest round-trip digits and decimal exponent from Swift's own shortest form.
    var text = "\(abs(d))"
    var exp10 = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        exp10 = Int(text[text.index(after: e)...]) ?? 0
        text = String(text[..<e])
    }
    var digits = ""
    var pointPos = text.count
    if let dot = text.firstIndex(of: ".") {
        pointPos = text.distance(from: text.startIndex, to: dot)
        digits = text.replacingOccurrences(of: ".", with: "")
    } else {
        digits = text
    }
    // Normalise: strip leading zeros (adjusting the point) and trailing zeros.
    var lead = 0
    for ch in digits { if ch == "0" { lead += 1 } else { break } }
    digits.removeFirst(lead)
    pointPos -= lead
    while digits.hasSuffix("0") { digits.removeLast() }
    if digits.isEmpty { digits = "0" }
    let dp = pointPos + exp10          // decimal point position relative to digits
    let x = dp - 1                      // scientific exponent
    let sign = d < 0 ? "-" : ""
    if x < -4 || x >= 6 {
        // Go's %g on the shortest form switches to an exponent below 1e-4 and from 1e6.
        var m = String(digits.first!)
        if digits.count > 1 { m += "." + digits.dropFirst() }
        let es = x < 0 ? "-" : "+"
        let ev = abs(x) < 10 ? "0\(abs(x))" : "\(abs(x))"
        return sign + m + "e" + es + ev
    }
    if dp <= 0 { return sign + "0." + String(repeating: "0", count: -dp) + digits }
    if dp >= digits.count { return sign + digits + String(repeating: "0", count: dp - digits.count) }
    let idx = digits.index(digits.startIndex, offsetBy: dp)
    return sign + digits[..<idx] + "." + digits[idx...]
}
