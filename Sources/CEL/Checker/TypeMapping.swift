// TypeMapping: type-parameter substitutions and the assignability relation the checker
// unifies with. Follows cel-go's checker/types.go rules: `dyn` (and the error marker) is
// assignable to and from anything; a type parameter binds to the first type it meets and
// widens to the more general of two compatible types; `null` fits the nullable kinds.

struct TypeMapping {
    private(set) var substitutions: [String: CELType] = [:]

    /// Type walks allowed per check. Parameters bound to types that hold parameters can
    /// make a 1 KB expression's types 2^n nodes once substituted; every walk here spends a
    /// step per node visited, and when none are left walks stop (substitute gives `error`,
    /// assign and the occurs check say no), so checking ends and the checker reports it.
    /// A 50,000-node list spends about 250,000.
    static let stepLimit = 2_000_000
    private(set) var stepsLeft = TypeMapping.stepLimit
    var exhausted: Bool { stepsLeft <= 0 }
    private mutating func step() -> Bool {
        stepsLeft -= 1
        return stepsLeft > 0
    }

    /// Whether a value of type `from` may be used where `to` is expected, binding type
    /// parameters on the way. On failure the mapping is left unchanged.
    mutating func isAssignable(_ from: CELType, _ to: CELType) -> Bool {
        var trial = self
        guard trial.assign(from, to) else { return false }
        self = trial
        return true
    }

    mutating func isAssignable(_ from: [CELType], _ to: [CELType]) -> Bool {
        guard from.count == to.count else { return false }
        var trial = self
        for (f, t) in zip(from, to) where !trial.assign(f, t) { return false }
        self = trial
        return true
    }

    /// `t` with every bound parameter replaced; unbound ones become `dyn` when `final`.
    mutating func substitute(_ t: CELType, final: Bool) -> CELType {
        guard step() else { return .error }
        switch t {
        case .parameter(let name):
            if let s = substitutions[name] { return substitute(s, final: final) }
            return final ? .dyn : t
        case .list(let e): return .list(substitute(e, final: final))
        case .map(let k, let v): return .map(substitute(k, final: final), substitute(v, final: final))
        case .type(let e): return .type(substitute(e, final: final))
        case .optional(let e): return .optional(substitute(e, final: final))
        default: return t
        }
    }

    mutating func bind(_ name: String, _ t: CELType) { substitutions[name] = t }

    // MARK: - Rules

    private mutating func assign(_ t1: CELType, _ t2: CELType) -> Bool {
        guard step() else { return false }
        if case .parameter = t2 {
            let (valid, hasSub) = substitutes(t1, for: t2)
            if valid { return true }
            if hasSub { return false }
        }
        if case .parameter = t1 { return substitutes(t2, for: t1).valid }
        if t1.isDynOrError || t2.isDynOrError { return true }
        if t1 == .null { return t2.isNullable }
        if t2 == .null { return t1.isNullable }
        switch (t1, t2) {
        case (.list(let a), .list(let b)): return assign(a, b)
        case (.map(let k1, let v1), .map(let k2, let v2)): return assign(k1, k2) && assign(v1, v2)
        case (.optional(let a), .optional(let b)): return assign(a, b)
        // Type values are compared at run time; any type value fits any type-of-type.
        case (.type, .type): return true
        default: return t1 == t2
        }
    }

    /// Whether `t` can stand for the parameter `param`; binds or widens its substitution.
    private mutating func substitutes(_ t: CELType, for param: CELType) -> (valid: Bool, hasSub: Bool) {
        guard case .parameter(let name) = param else { return (false, false) }
        if t == param { return (true, true) }
        if let sub = substitutions[name] {
            // (No `t == sub` shortcut: equality walks both trees, unmetered; assign is reflexive.)
            if assign(t, sub) {
                let wider = mostGeneral(t, sub)
                if notReferenced(name, in: wider) { substitutions[name] = wider }
                return (true, true)
            }
            return (false, true)
        }
        if notReferenced(name, in: t) {
            substitutions[name] = t
            return (true, false)
        }
        return (false, false)
    }

    /// The occurs check: binding `name` to `t` must not make a cyclic type.
    private mutating func notReferenced(_ name: String, in t: CELType) -> Bool {
        guard step() else { return false }
        switch t {
        case .parameter(let n):
            if n == name { return false }
            if let s = substitutions[n] { return notReferenced(name, in: s) }
            return true
        case .list(let e), .type(let e), .optional(let e): return notReferenced(name, in: e)
        case .map(let k, let v): return notReferenced(name, in: k) && notReferenced(name, in: v)
        default: return true
        }
    }

    /// Of two compatible types, the less specific (so `[1, dyn(2)]` is a `list(dyn)`).
    mutating func mostGeneral(_ a: CELType, _ b: CELType) -> CELType {
        lessOrEquallySpecific(a, b) ? a : b
    }

    private mutating func lessOrEquallySpecific(_ a: CELType, _ b: CELType) -> Bool {
        guard step() else { return true }
        if a.isDynOrError { return true }
        if case .parameter = a { return true }
        if b.isDynOrError { return false }
        if case .parameter = b { return false }
        switch (a, b) {
        case (.list(let x), .list(let y)), (.optional(let x), .optional(let y)): return lessOrEquallySpecific(x, y)
        case (.map(let k1, let v1), .map(let k2, let v2)):
            return lessOrEquallySpecific(k1, k2) && lessOrEquallySpecific(v1, v2)
        case (.type, .type): return true
        default: return a == b
        }
    }
}

extension CELType {
    var isDynOrError: Bool { self == .dyn || self == .error }

    /// Kinds a `null` literal may stand in for (cel-go's legacy nullability).
    var isNullable: Bool {
        switch self {
        case .null, .object, .timestamp, .duration, .dyn, .error: return true
        default: return false
        }
    }

    /// Renames the signature parameters (`A`, `K`, `V`) with `rename`, to instantiate an overload.
    func renamingParameters(_ rename: (String) -> String) -> CELType {
        switch self {
        case .parameter(let n): return .parameter(rename(n))
        case .list(let e): return .list(e.renamingParameters(rename))
        case .map(let k, let v): return .map(k.renamingParameters(rename), v.renamingParameters(rename))
        case .type(let e): return .type(e.renamingParameters(rename))
        case .optional(let e): return .optional(e.renamingParameters(rename))
        default: return self
        }
    }
}
