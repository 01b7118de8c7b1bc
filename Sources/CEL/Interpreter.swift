// Interpreter: the evaluable tree the planner builds (cel-go's Interpretable). Each node is
// a final class with one `eval(frame)`; variables are frame slots and functions are
// resolved closures, so evaluation does no name lookups. Errors are values: strict nodes
// return the first error argument, `&&`, `||` and `?:` absorb them as the spec says.

/// The mutable state of one evaluation is the host's `Activation` (Environment.swift):
/// variable slots in a raw buffer, then comprehension slots, and the remaining budget.
typealias Frame = Activation

class Node {
    let id: Int
    init(id: Int) { self.id = id }
    func eval(_ f: Frame) -> Value { .fail("internal error: unplanned node \(id)") }
}

/// Charges a call's result to the budget by size: a KiB of text or bytes, or 1,024 list
/// elements, costs one unit (small values are free).
@inline(__always) func charged(_ v: Value, _ f: Frame, _ id: Int) -> Value {
    let size: Int
    switch v {
    case .string(let s): size = s.utf8.count
    case .bytes(let b): size = b.count
    case .list(let l): size = l.count
    default: return v
    }
    if size < 1024 { return v }
    f.budget -= size >> 10
    return f.budget < 0 ? tagged(Program.budgetExceeded, id) : v
}

@inline(__always) func tagged(_ v: Value, _ id: Int) -> Value {
    if case .error(var e) = v, e.exprID == nil { e.exprID = id; return .error(e) }
    return v
}

final class ConstNode: Node {
    let value: Value
    init(id: Int, _ value: Value) { self.value = value; super.init(id: id) }
    override func eval(_ f: Frame) -> Value { value }
}

final class SlotNode: Node {
    let slot: Int
    init(id: Int, slot: Int) { self.slot = slot; super.init(id: id) }
    override func eval(_ f: Frame) -> Value {
        let v = f.slots[slot]
        // An unbound variable's marker learns where it was read (see Program.unbound).
        if case .error = v { return tagged(v, id) }
        return v
    }
}

// MARK: - Field selection

/// `x.field` on a map (key lookup) or an object (slot, resolved at plan time when the
/// checker knows the object type, otherwise by name).
final class SelectNode: Node {
    let operand: Node
    let field: String
    let key: MapKey
    /// The statically known object type and its slot, when the checker knows them.
    let knownType: ObjectType?
    let knownSlot: Int
    /// The frame slot of the operand when it is a variable, else -1.
    let operandSlot: Int
    init(id: Int, operand: Node, field: String, knownType: ObjectType?) {
        self.operand = operand
        self.field = field
        self.key = .string(field)
        let slot = knownType?.slot(of: field)
        self.knownType = slot == nil ? nil : knownType
        self.knownSlot = slot ?? -1
        self.operandSlot = (operand as? SlotNode)?.slot ?? -1
        super.init(id: id)
    }

    override func eval(_ f: Frame) -> Value {
        // A field of a variable (the commonest shape, `record.field`) is read in place from
        // the frame: copying the variable out would cost a retain and a release.
        if operandSlot >= 0 {
            let s = operandSlot
            if case .object(let o) = f.slots[s], o.type === knownType, knownSlot < o.fields.count, let x = o.fields[knownSlot] { return x }
            return select(f.slots[s])
        }
        return select(operand.eval(f))
    }


    @inline(__always) private func select(_ v: Value) -> Value {
        switch v {
        case .object(let o):
            let slot = o.type === knownType ? knownSlot : (o.type.slot(of: field) ?? -1)
            if slot >= 0, slot < o.fields.count, let x = o.fields[slot] { return x }
            return tagged(.fail("no such field '\(field)'"), id)
        case .map(let m):
            if let x = m.value(forKey: key) { return x }
            return tagged(.fail("no such key: '\(field)'"), id)
        case .error: return tagged(v, operand.id)
        case .optional: return tagged(OptionalLibrary.select(v, field), id)
        default: return tagged(.fail("type '\(v.runtimeType)' does not support field selection ('\(field)')"), id)
        }
    }
}

/// `has(x.field)`: presence without reading.
final class HasNode: Node {
    let operand: Node
    let field: String
    init(id: Int, operand: Node, field: String) {
        self.operand = operand; self.field = field
        super.init(id: id)
    }
    override func eval(_ f: Frame) -> Value { HasNode.test(operand.eval(f), field, id) }

    static func test(_ v: Value, _ field: String, _ id: Int) -> Value {
        let key = MapKey.string(field)
        switch v {
        case .object(let o):
            guard let slot = o.type.slot(of: field) else { return tagged(.fail("no such field '\(field)'"), id) }
            return .bool(slot < o.fields.count && o.fields[slot] != nil)
        case .map(let m): return .bool(m.value(forKey: key) != nil)
        case .error: return v
        case .optional(nil): return .bool(false)
        case .optional(let x?): return HasNode.test(x, field, id)
        default: return tagged(.fail("type '\(v.runtimeType)' does not support field selection ('\(field)')"), id)
        }
    }
}

// MARK: - Logic

/// `&&` and `||`, commutative over errors as the spec asks: the operand equal to `decisive`
/// (false for `&&`, true for `||`) decides the result even when the other is an error.
final class LogicNode: Node {
    let lhs: Node, rhs: Node
    let decisive: Bool
    let function: String
    init(id: Int, _ function: String, _ l: Node, _ r: Node) {
        lhs = l; rhs = r
        self.function = function
        decisive = function == Operator.logicalOr
        super.init(id: id)
    }
    override func eval(_ f: Frame) -> Value {
        let a = lhs.eval(f)
        if case .bool(let x) = a, x == decisive { return a }
        let b = rhs.eval(f)
        if case .bool(let y) = b, y == decisive { return b }
        if case .bool = a {
            if case .bool = b { return b }
            return b.isError ? b : tagged(.noOverload(function, a, b), id)
        }
        // `a` is an error or not a bool, and `b` did not decide the result.
        if a.isError { return a }
        if b.isError { return b }
        return tagged(.noOverload(function, a, b), id)
    }
}

final class NotNode: Node {
    let operand: Node
    init(id: Int, _ o: Node) { operand = o; super.init(id: id) }
    override func eval(_ f: Frame) -> Value {
        let v = operand.eval(f)
        switch v {
        case .bool(let b): return .bool(!b)
        case .error: return v
        default: return tagged(.noOverload(Operator.logicalNot, v), id)
        }
    }
}

/// The macros' loop guard: false only for a definite `false`, so errors do not stop a loop
/// that a later element may still decide.
final class NotStrictlyFalseNode: Node {
    let operand: Node
    init(id: Int, _ o: Node) { operand = o; super.init(id: id) }
    override func eval(_ f: Frame) -> Value {
        if case .bool(false) = operand.eval(f) { return .bool(false) }
        return .bool(true)
    }
}

final class ConditionalNode: Node {
    let cond: Node, then: Node, otherwise: Node
    init(id: Int, _ c: Node, _ t: Node, _ e: Node) { cond = c; then = t; otherwise = e; super.init(id: id) }
    override func eval(_ f: Frame) -> Value {
        let c = cond.eval(f)
        switch c {
        case .bool(true): return then.eval(f)
        case .bool(false): return otherwise.eval(f)
        case .error: return c
        default: return tagged(.noOverload(Operator.conditional, c), id)
        }
    }
}

// MARK: - Equality and ordering

final class EqualsNode: Node {
    let lhs: Node, rhs: Node
    let negated: Bool
    init(id: Int, _ l: Node, _ r: Node, negated: Bool) { lhs = l; rhs = r; self.negated = negated; super.init(id: id) }
    override func eval(_ f: Frame) -> Value {
        let a = lhs.eval(f)
        if case .error = a { return a }
        let b = rhs.eval(f)
        if case .error = b { return b }
        // Deep values are compared node by node against the budget (ValueSemantics).
        guard let same = a.celEquals(b, budget: &f.budget) else { return tagged(Program.budgetExceeded, id) }
        return .bool(same != negated)
    }
}

/// Ordering two large strings or bytes reads up to the shorter one: charged like a scan,
/// so a loop cannot compare megabytes per iteration for free. True when overdrawn.
@inline(__always) func overdrawn(comparing a: Value, _ b: Value, _ f: Frame) -> Bool {
    let size: Int
    switch (a, b) {
    case let (.string(x), .string(y)): size = min(x.utf8.count, y.utf8.count)
    case let (.bytes(x), .bytes(y)): size = min(x.count, y.count)
    default: return false
    }
    if size < 1024 { return false }
    f.budget -= size >> 10
    return f.budget < 0
}

final class RelationNode: Node {
    enum Relation { case less, lessEquals, greater, greaterEquals }
    let lhs: Node, rhs: Node
    let relation: Relation
    let function: String
    init(id: Int, _ l: Node, _ r: Node, _ rel: Relation, function: String) {
        lhs = l; rhs = r; relation = rel; self.function = function; super.init(id: id)
    }
    override func eval(_ f: Frame) -> Value {
        let a = lhs.eval(f)
        if case .error = a { return a }
        let b = rhs.eval(f)
        if case .error = b { return b }
        // Fast path for the commonest case in rules.
        if case .int(let x) = a, case .int(let y) = b {
            switch relation {
            case .less: return .bool(x < y)
            case .lessEquals: return .bool(x <= y)
            case .greater: return .bool(x > y)
            case .greaterEquals: return .bool(x >= y)
            }
        }
        if overdrawn(comparing: a, b, f) { return tagged(Program.budgetExceeded, id) }
        guard let o = a.celOrder(b) else {
            // NaN compares false with everything; other kind mismatches have no overload.
            if a.isNumber && b.isNumber { return .bool(false) }
            return tagged(.noOverload(function, a, b), id)
        }
        switch relation {
        case .less: return .bool(o < 0)
        case .lessEquals: return .bool(o <= 0)
        case .greater: return .bool(o > 0)
        case .greaterEquals: return .bool(o >= 0)
        }
    }
}

// MARK: - Calls

final class UnaryCallNode: Node {
    let arg: Node
    let fn: (Value) -> Value
    init(id: Int, _ a: Node, _ fn: @escaping (Value) -> Value) { arg = a; self.fn = fn; super.init(id: id) }
    override func eval(_ f: Frame) -> Value {
        let a = arg.eval(f)
        if case .error = a { return a }
        return charged(tagged(fn(a), id), f, id)
    }
}

final class BinaryCallNode: Node {
    let lhs: Node, rhs: Node
    let fn: (Value, Value) -> Value
    init(id: Int, _ l: Node, _ r: Node, _ fn: @escaping (Value, Value) -> Value) { lhs = l; rhs = r; self.fn = fn; super.init(id: id) }
    override func eval(_ f: Frame) -> Value {
        let a = lhs.eval(f)
        if case .error = a { return a }
        let b = rhs.eval(f)
        if case .error = b { return b }
        return charged(tagged(fn(a, b), id), f, id)
    }
}

/// Evaluates a strict call's arguments left to right into `vs`; the first error is returned
/// (it becomes the call's result) and the rest are not evaluated.
@inline(__always)
func evalArguments(_ args: [Node], _ f: Frame, into vs: inout [Value]) -> Value? {
    vs.reserveCapacity(args.count)
    for a in args {
        let v = a.eval(f)
        if case .error = v { return v }
        vs.append(v)
    }
    return nil
}

final class NaryCallNode: Node {
    let args: [Node]
    let fn: ([Value]) -> Value
    init(id: Int, _ args: [Node], _ fn: @escaping ([Value]) -> Value) { self.args = args; self.fn = fn; super.init(id: id) }
    override func eval(_ f: Frame) -> Value {
        var vs: [Value] = []
        if let e = evalArguments(args, f, into: &vs) { return e }
        return charged(tagged(fn(vs), id), f, id)
    }
}

/// A call whose implementation spends from the budget itself, before it scans or builds.
final class MeteredCallNode: Node {
    let args: [Node]
    let fn: ([Value], inout Int) -> Value
    init(id: Int, _ args: [Node], _ fn: @escaping ([Value], inout Int) -> Value) { self.args = args; self.fn = fn; super.init(id: id) }
    override func eval(_ f: Frame) -> Value {
        var vs: [Value] = []
        if let e = evalArguments(args, f, into: &vs) { return e }
        return metered(fn(vs, &f.budget), f, id)
    }
}

/// A metered call's result: a cost-limit error once the budget went negative.
@inline(__always) func metered(_ v: Value, _ f: Frame, _ id: Int) -> Value {
    f.budget < 0 ? tagged(Program.budgetExceeded, id) : tagged(v, id)
}

/// A host function with several overloads: the first whose parameter types admit the
/// run-time arguments is called.
final class OverloadedCallNode: Node {
    let args: [Node]
    let function: String
    let overloads: [FunctionOverload]
    init(id: Int, function: String, _ args: [Node], _ overloads: [FunctionOverload]) {
        self.args = args; self.function = function; self.overloads = overloads; super.init(id: id)
    }
    override func eval(_ f: Frame) -> Value {
        var vs: [Value] = []
        if let e = evalArguments(args, f, into: &vs) { return e }
        for o in overloads where o.parameters.count == vs.count {
            var ok = true
            for (t, v) in zip(o.parameters, vs) where !t.admits(v) { ok = false; break }
            guard ok else { continue }
            let v = Planner.invoke(o.implementation, vs, budget: &f.budget)
            if case .metered = o.implementation { return metered(v, f, id) }
            return charged(tagged(v, id), f, id)
        }
        return tagged(.noOverload(function, list: vs), id)
    }
}

/// A call that cannot succeed (unknown function): an error at evaluation, as the spec
/// has it for unchecked expressions, so `f() || true` is still true.
final class FailNode: Node {
    let error: Value
    init(id: Int, _ message: String) { error = .error(EvalError(message, exprID: id)); super.init(id: id) }
    override func eval(_ f: Frame) -> Value { error }
}

// MARK: - Constructors

final class ListNode: Node {
    let elements: [Node]
    let optional: [Bool]
    init(id: Int, _ e: [Node], optional: [Bool]) { elements = e; self.optional = optional; super.init(id: id) }
    override func eval(_ f: Frame) -> Value {
        var out: [Value] = []
        out.reserveCapacity(elements.count)
        for (k, e) in elements.enumerated() {
            let v = e.eval(f)
            if case .error = v { return v }
            if optional[k] {
                switch v {
                case .optional(let x?): out.append(x)
                case .optional(nil): continue
                default: return tagged(.fail("optional list element is not an optional value"), id)
                }
            } else {
                out.append(v)
            }
        }
        return .list(out)
    }
}

final class MapNode: Node {
    let keys: [Node], values: [Node]
    let optional: [Bool]
    init(id: Int, keys: [Node], values: [Node], optional: [Bool]) {
        self.keys = keys; self.values = values; self.optional = optional; super.init(id: id)
    }
    override func eval(_ f: Frame) -> Value {
        var m = MapValue()
        for k in 0..<keys.count {
            let key = keys[k].eval(f)
            if case .error = key { return key }
            var value = values[k].eval(f)
            if case .error = value { return value }
            if optional[k] {
                switch value {
                case .optional(let x?): value = x
                case .optional(nil): continue
                default: return tagged(.fail("optional map entry is not an optional value"), id)
                }
            }
            do { try m.insert(key, value) } catch { return tagged(.fail("\(error)"), id) }
        }
        return .map(m)
    }
}

// MARK: - Comprehensions

final class ComprehensionNode: Node {
    let iterSlot: Int, iter2Slot: Int, accuSlot: Int
    let range: Node, accuInit: Node, condition: Node, step: Node, result: Node
    init(id: Int, iterSlot: Int, iter2Slot: Int, accuSlot: Int, range: Node, accuInit: Node,
         condition: Node, step: Node, result: Node) {
        self.iterSlot = iterSlot; self.iter2Slot = iter2Slot; self.accuSlot = accuSlot
        self.range = range; self.accuInit = accuInit; self.condition = condition; self.step = step; self.result = result
        super.init(id: id)
    }

    override func eval(_ f: Frame) -> Value {
        let r = range.eval(f)
        if case .error = r { return r }
        f.slots[accuSlot] = accuInit.eval(f)
        switch r {
        case .list(let xs):
            var i = 0
            let n = xs.count
            while i < n {
                f.budget -= 1
                if f.budget < 0 { return tagged(Program.budgetExceeded, id) }
                if iter2Slot >= 0 {
                    f.slots[iterSlot] = .int(Int64(i)); f.slots[iter2Slot] = xs[i]
                } else {
                    f.slots[iterSlot] = xs[i]
                }
                if case .bool(false) = condition.eval(f) { break }
                f.slots[accuSlot] = step.eval(f)
                i += 1
            }
        case .map(let m):
            for (k, v) in m.entries {
                f.budget -= 1
                if f.budget < 0 { return tagged(Program.budgetExceeded, id) }
                f.slots[iterSlot] = k
                if iter2Slot >= 0 { f.slots[iter2Slot] = v }
                if case .bool(false) = condition.eval(f) { break }
                f.slots[accuSlot] = step.eval(f)
            }
        default:
            return tagged(.fail("expression of type '\(r.runtimeType)' cannot be the range of a comprehension"), id)
        }
        let out = result.eval(f)
        f.slots[accuSlot] = .null   // release the accumulator
        return out
    }
}

/// `@result + [e]` inside a macro: appends in place (the frame gives up its reference
/// first), so map/filter are linear rather than quadratic.
final class AppendNode: Node {
    let accuSlot: Int
    let element: Node
    init(id: Int, accuSlot: Int, element: Node) { self.accuSlot = accuSlot; self.element = element; super.init(id: id) }
    override func eval(_ f: Frame) -> Value {
        let v = element.eval(f)
        if case .error = v { return v }
        guard case .list(var xs) = f.slots[accuSlot] else { return f.slots[accuSlot] }
        f.slots[accuSlot] = .null
        xs.append(v)
        return .list(xs)
    }
}

/// `x in [constant strings]`: a set lookup instead of a scan with general equality.
/// Only built when no two list members are canonically equivalent yet different in code
/// points, so the set's (canonical) equality and CEL's (code point) equality agree.
final class InStringSetNode: Node {
    let element: Node
    let members: Set<String>
    /// Short lists are scanned: comparing a few strings beats hashing one.
    let small: [String]?
    let list: Value
    init(id: Int, element: Node, members: Set<String>, list: Value) {
        self.element = element; self.members = members; self.list = list
        self.small = members.count <= 8 ? Array(members) : nil
        super.init(id: id)
    }
    override func eval(_ f: Frame) -> Value {
        let v = element.eval(f)
        switch v {
        case .string(let s):
            if let small {
                for m in small where m == s { return .bool(sameCodePoints(m, s)) }
                return .bool(false)
            }
            guard let i = members.firstIndex(of: s) else { return .bool(false) }
            return .bool(sameCodePoints(members[i], s))
        case .error: return v
        default: return metered(StandardLibrary.membership([v, list], &f.budget), f, id)
        }
    }
}
