// Optionals: CEL's optional values (cel-go's optional types library): optional.of/none/
// ofNonZeroValue, hasValue/value/orValue/or, and the `?.` / `[?]` navigation operators.

enum OptionalLibrary {
    typealias Impl = FunctionOverload.Implementation

    static func implementation(_ name: String, arity: Int, member: Bool) -> Impl? {
        switch (name, arity) {
        case ("optional.of", 1): return .unary { .optional($0) }
        case ("optional.none", 0): return .nary { _ in .optional(nil) }
        case ("optional.ofNonZeroValue", 1): return .unary { isZero($0) ? .optional(nil) : .optional($0) }
        case ("hasValue", 1):
            return .unary { v in
                guard case .optional(let x) = v else { return .noOverload("hasValue", v) }
                return .bool(x != nil)
            }
        case ("value", 1):
            return .unary { v in
                guard case .optional(let x) = v else { return .noOverload("value", v) }
                return x ?? .fail("optional.none() dereference")
            }
        case ("orValue", 2):
            return .binary { v, d in
                guard case .optional(let x) = v else { return .noOverload("orValue", v, d) }
                return x ?? d
            }
        case ("or", 2):
            return .binary { v, o in
                guard case .optional(let x) = v, case .optional = o else { return .noOverload("or", v, o) }
                return x != nil ? v : o
            }
        case (Operator.optionalSelect, 2):
            return .binary { v, f in
                guard case .string(let field) = f else { return .noOverload(Operator.optionalSelect, v, f) }
                return select(v, field)
            }
        case (Operator.optionalIndex, 2): return .binary(index)
        default: return nil
        }
    }

    static func isZero(_ v: Value) -> Bool {
        switch v {
        case .null: return true
        case .bool(let b): return !b
        case .int(let i): return i == 0
        case .uint(let u): return u == 0
        case .double(let d): return d == 0
        case .string(let s): return s.isEmpty
        case .bytes(let b): return b.isEmpty
        case .list(let l): return l.isEmpty
        case .map(let m): return m.count == 0
        case .timestamp(let t): return t.seconds == 0 && t.nanos == 0
        case .duration(let d): return d.seconds == 0 && d.nanos == 0
        default: return false
        }
    }

    static func select(_ v: Value, _ field: String) -> Value {
        switch v {
        case .optional(nil): return v
        case .optional(let x?): return select(x, field)
        case .map(let m): return .optional(m[.string(field)])
        case .object(let o):
            guard let slot = o.type.slot(of: field) else { return .fail("no such field '\(field)'") }
            // `fields` is host-writable: never index past what it holds.
            return .optional(slot < o.fields.count ? o.fields[slot] : nil)
        default: return .fail("type '\(v.runtimeType)' does not support field selection ('\(field)')")
        }
    }

    static func index(_ c: Value, _ k: Value) -> Value {
        switch c {
        case .optional(nil): return c
        case .optional(let x?): return index(x, k)
        case .map(let m): return .optional(m[k])
        case .list(let xs):
            let r = StandardLibrary.index(c, k)
            if case .error = r {
                if case .int(let i) = k, i < 0 || i >= Int64(xs.count) { return .optional(nil) }
                return r
            }
            return .optional(r)
        default: return .noOverload(Operator.optionalIndex, c, k)
        }
    }
}
