// The math extension (cel-go ext/math.go): namespaced global functions `math.*`.

extension Extensions {
    public static let math: [FunctionDecl] = [
        extremum("math.greatest", "math_greatest", wantGreater: true),
        extremum("math.least", "math_least", wantGreater: false),
        numeric("math.abs", [("math_abs_int", .int), ("math_abs_uint", .uint), ("math_abs_double", .double)]) { v in
            switch v {
            case .int(let i):
                guard i != .min else { return .error(EvalError("overflow: math.abs(\(i))")) }
                return .int(Swift.abs(i))
            case .uint: return v
            case .double(let d): return .double(Swift.abs(d))
            default: return nil
            }
        },
        numeric("math.sign", [("math_sign_int", .int), ("math_sign_uint", .uint), ("math_sign_double", .double)]) { v in
            switch v {
            case .int(let i): return .int(i.signum())
            case .uint(let u): return .uint(u == 0 ? 0 : 1)
            case .double(let d): return .double(d.isNaN ? d : d > 0 ? 1 : d < 0 ? -1 : 0)
            default: return nil
            }
        },
        doubleFunction("math.ceil", "math_ceil_double") { .double($0.rounded(.up)) },
        doubleFunction("math.floor", "math_floor_double") { .double($0.rounded(.down)) },
        // Half away from zero, as Go's math.Round.
        doubleFunction("math.round", "math_round_double") { .double($0.rounded(.toNearestOrAwayFromZero)) },
        doubleFunction("math.trunc", "math_trunc_double") { .double($0.rounded(.towardZero)) },
        doubleFunction("math.isNaN", "math_isNaN_double", result: .bool) { .bool($0.isNaN) },
        doubleFunction("math.isInf", "math_isInf_double", result: .bool) { .bool($0.isInfinite) },
        doubleFunction("math.isFinite", "math_isFinite_double", result: .bool) { .bool($0.isFinite) },
        bitwise("math.bitAnd", "math_bitAnd", &, &),
        bitwise("math.bitOr", "math_bitOr", |, |),
        bitwise("math.bitXor", "math_bitXor", ^, ^),
        numeric("math.bitNot", [("math_bitNot_int_int", .int), ("math_bitNot_uint_uint", .uint)]) { v in
            switch v {
            case .int(let i): return .int(~i)
            case .uint(let u): return .uint(~u)
            default: return nil
            }
        },
        shift("math.bitShiftLeft", "math_bitShiftLeft", left: true),
        shift("math.bitShiftRight", "math_bitShiftRight", left: false),
    ]

    /// Most arguments math.greatest/least accept written out (or any number in one list).
    static let maxExtremumArguments = 8

    /// math.greatest / math.least: the largest (smallest) of its numeric arguments, or of the
    /// elements of one list, compared across int, uint and double; the winner keeps its type.
    private static func extremum(_ name: String, _ idPrefix: String, wantGreater: Bool) -> FunctionDecl {
        let pick: ([Value]) -> Value = { args in
            if let e = firstError(args) { return e }
            var items = args
            if args.count == 1, case .list(let list) = args[0] {
                guard !list.isEmpty else { return .error(EvalError("\(name)(list) argument must not be empty")) }
                items = list
            }
            var best: Value?
            for item in items {
                if case .error = item { return item }
                guard isNumber(item) else { return noSuchOverload(name) }
                guard let b = best else { best = item; continue }
                guard let c = compareNumbers(item, b) else { continue }
                if wantGreater ? c > 0 : c < 0 { best = item }
            }
            return best ?? noSuchOverload(name)
        }
        let numbers: [(String, CELType)] = [("int", .int), ("uint", .uint), ("double", .double)]
        var overloads: [FunctionOverload] = []
        for (n, t) in numbers {
            overloads.append(FunctionOverload(id: "\(idPrefix)_\(n)", parameters: [t], result: t, implementation: .unary { pick([$0]) }))
        }
        for (n, t) in numbers {
            overloads.append(FunctionOverload(id: "\(idPrefix)_list_\(n)", parameters: [.list(t)], result: t,
                                              implementation: .unary { pick([$0]) }))
        }
        // A mixed list literal is a list(dyn); so is one built at run time.
        overloads.append(FunctionOverload(id: "\(idPrefix)_list_dyn", parameters: [.list(.dyn)], result: .dyn,
                                          implementation: .unary { pick([$0]) }))
        for (n1, t1) in numbers {
            for (n2, t2) in numbers {
                overloads.append(FunctionOverload(id: "\(idPrefix)_\(n1)_\(n2)", parameters: [t1, t2], result: t1 == t2 ? t1 : .dyn,
                                                  implementation: .binary { pick([$0, $1]) }))
            }
        }
        for arity in 3...maxExtremumArguments {
            overloads.append(FunctionOverload(id: "\(idPrefix)_\(arity)", parameters: Array(repeating: .dyn, count: arity),
                                              result: .dyn, implementation: .nary(pick)))
        }
        return FunctionDecl(name: name, overloads: overloads)
    }

    static func isNumber(_ v: Value) -> Bool {
        switch v {
        case .int, .uint, .double: return true
        default: return false
        }
    }

    /// -1, 0 or 1 comparing two numbers of any numeric types exactly; nil if either is NaN
    /// or not a number.
    static func compareNumbers(_ a: Value, _ b: Value) -> Int? {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x > y ? 1 : 0 }
        func intDouble(_ i: Int64, _ d: Double) -> Int? {
            if d.isNaN { return nil }
            if d >= 9.223372036854775808e18 { return -1 }
            if d < -9.223372036854775808e18 { return 1 }
            let f = d.rounded(.down)
            let c = sign(i, Int64(f))
            return c != 0 ? c : (d > f ? -1 : 0)
        }
        func uintDouble(_ u: UInt64, _ d: Double) -> Int? {
            if d.isNaN { return nil }
            if d < 0 { return 1 }
            if d >= 1.8446744073709551616e19 { return -1 }
            let f = d.rounded(.down)
            let c = sign(u, UInt64(f))
            return c != 0 ? c : (d > f ? -1 : 0)
        }
        switch (a, b) {
        case (.int(let x), .int(let y)): return sign(x, y)
        case (.uint(let x), .uint(let y)): return sign(x, y)
        case (.double(let x), .double(let y)): return x.isNaN || y.isNaN ? nil : sign(x, y)
        case (.int(let x), .uint(let y)): return x < 0 ? -1 : sign(UInt64(x), y)
        case (.uint(let x), .int(let y)): return y < 0 ? 1 : sign(x, UInt64(y))
        case (.int(let x), .double(let y)): return intDouble(x, y)
        case (.double(let x), .int(let y)): return intDouble(y, x).map { -$0 }
        case (.uint(let x), .double(let y)): return uintDouble(x, y)
        case (.double(let x), .uint(let y)): return uintDouble(y, x).map { -$0 }
        default: return nil
        }
    }

    /// A one-argument function over int, uint and double sharing one implementation.
    private static func numeric(_ name: String, _ overloads: [(String, CELType)], _ body: @escaping (Value) -> Value?) -> FunctionDecl {
        let run: (Value) -> Value = { v in
            if case .error = v { return v }
            return body(v) ?? noSuchOverload(name)
        }
        return FunctionDecl(name: name, overloads: overloads.map { id, t in
            FunctionOverload(id: id, parameters: [t], result: t, implementation: .unary(run))
        })
    }

    private static func doubleFunction(_ name: String, _ id: String, result: CELType = .double,
                                       _ body: @escaping (Double) -> Value) -> FunctionDecl {
        FunctionDecl(name: name, overloads: [
            FunctionOverload(id: id, parameters: [.double], result: result, implementation: .unary { v in
                if case .error = v { return v }
                guard case .double(let d) = v else { return noSuchOverload(name) }
                return body(d)
            }),
        ])
    }

    private static func bitwise(_ name: String, _ idPrefix: String, _ i: @escaping (Int64, Int64) -> Int64,
                                _ u: @escaping (UInt64, UInt64) -> UInt64) -> FunctionDecl {
        let run: (Value, Value) -> Value = { a, b in
            if let e = firstError([a, b]) { return e }
            switch (a, b) {
            case (.int(let x), .int(let y)): return .int(i(x, y))
            case (.uint(let x), .uint(let y)): return .uint(u(x, y))
            default: return noSuchOverload(name)
            }
        }
        return FunctionDecl(name: name, overloads: [
            FunctionOverload(id: "\(idPrefix)_int_int", parameters: [.int, .int], result: .int, implementation: .binary(run)),
            FunctionOverload(id: "\(idPrefix)_uint_uint", parameters: [.uint, .uint], result: .uint, implementation: .binary(run)),
        ])
    }

    /// Shifts by an int count; 64 or more shifts everything out; right shifts of ints are
    /// logical (zero-filling), as cel-go's.
    private static func shift(_ name: String, _ idPrefix: String, left: Bool) -> FunctionDecl {
        let run: (Value, Value) -> Value = { a, b in
            if let e = firstError([a, b]) { return e }
            guard case .int(let n) = b else { return noSuchOverload(name) }
            guard n >= 0 else { return .error(EvalError("\(name)() negative offset: \(n)")) }
            func apply(_ bits: UInt64) -> UInt64 { n >= 64 ? 0 : left ? bits << UInt64(n) : bits >> UInt64(n) }
            switch a {
            case .int(let x): return .int(Int64(bitPattern: apply(UInt64(bitPattern: x))))
            case .uint(let x): return .uint(apply(x))
            default: return noSuchOverload(name)
            }
        }
        return FunctionDecl(name: name, overloads: [
            FunctionOverload(id: "\(idPrefix)_int_int", parameters: [.int, .int], result: .int, implementation: .binary(run)),
            FunctionOverload(id: "\(idPrefix)_uint_int", parameters: [.uint, .int], result: .uint, implementation: .binary(run)),
        ])
    }
}
