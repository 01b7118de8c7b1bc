// Planner: AST → evaluable nodes, once per program (cel-go's interpreter/planner.go).
// Names become frame slots, qualified names (`a.b.c`) are resolved against the declared
// variables, functions become closures, constant regular expressions are compiled here.

struct PlanFailure: Error {
    var message: String
    var exprID: Int
}

struct Planner {
    let declarations: Declarations
    /// What the checker resolved names, fields and calls to (empty when unchecked).
    let references: [Int: Reference]
    /// Unchecked programs may read variables nobody declared (bound at evaluation).
    let allowUndeclared: Bool

    private(set) var globalSlots: [String: Int] = [:]
    private(set) var globalNames: [String] = []
    private var locals: [(name: String, slot: Int)] = []
    private var nextLocal = 0
    private(set) var frameSize = 0
    /// Which variable each variable-reading node reads, to name unbound ones in errors.
    private(set) var variableOfNode: [Int: String] = [:]
    private var objectTypes: [String: ObjectType] = [:]
    private var hostFunctions: [String: [FunctionOverload]] = [:]

    init(declarations: Declarations, references: [Int: Reference], allowUndeclared: Bool) {
        self.declarations = declarations
        self.references = references
        self.allowUndeclared = allowUndeclared
        for name in declarations.variables.keys.sorted() { addGlobal(name) }
        for t in declarations.objectTypes { objectTypes[t.name] = t }
        for f in declarations.functions { hostFunctions[f.name, default: []].append(contentsOf: f.overloads) }
    }

    @discardableResult
    private mutating func addGlobal(_ name: String) -> Int {
        if let s = globalSlots[name] { return s }
        let s = globalNames.count
        globalSlots[name] = s
        globalNames.append(name)
        return s
    }

    /// Plans the whole tree; local slots are numbered after the globals.
    mutating func planRoot(_ e: Expr) throws -> Node {
        // Free names become globals; collect them first so every local slot comes after them.
        if allowUndeclared { collectFreeNames(e, bound: []) }
        nextLocal = globalNames.count
        frameSize = nextLocal
        return try plan(e)
    }

    private mutating func collectFreeNames(_ e: Expr, bound: Set<String>) {
        switch e.kind {
        case .literal: break
        case .ident(let n):
            let name = n.hasPrefix(".") ? String(n.dropFirst()) : n
            if (n.hasPrefix(".") || !bound.contains(name)), Planner.typeValue(name, objectTypes) == nil {
                addGlobal(name)
            }
        case .select(let o, _, _):
            if let q = qualifiedName(e), !bound.contains(q.root), globalSlots[q.name] != nil { return }
            collectFreeNames(o, bound: bound)
        case .call(let t, let fn, let args):
            if let t, namespace(t, fn) == nil { collectFreeNames(t, bound: bound) }
            for a in args { collectFreeNames(a, bound: bound) }
        case .list(let els, _): for x in els { collectFreeNames(x, bound: bound) }
        case .map(let entries):
            for en in entries { collectFreeNames(en.key, bound: bound); collectFreeNames(en.value, bound: bound) }
        case .comprehension(let c):
            collectFreeNames(c.iterRange, bound: bound)
            collectFreeNames(c.accuInit, bound: bound)
            var inner = bound
            inner.insert(c.accuVar); inner.insert(c.iterVar)
            if let v2 = c.iterVar2 { inner.insert(v2) }
            collectFreeNames(c.loopCondition, bound: inner)
            collectFreeNames(c.loopStep, bound: inner)
            collectFreeNames(c.result, bound: bound.union([c.accuVar]))
        }
    }

    // MARK: names

    /// The type a name denotes as a value (`int`, `google.protobuf.Timestamp`, a declared
    /// object type), from the checker's table. `dyn` is not a run-time type: unchecked, it
    /// is an unknown name, as in cel-go.
    static func typeValue(_ name: String, _ objects: [String: ObjectType]) -> CELType? {
        if name == "dyn" { return nil }
        if let t = StandardSignatures.typeNames[name] { return t }
        return objects[name] != nil ? .object(name) : nil
    }

    /// The namespace `t` names when `t.function(...)` is really the global `ns.function`
    /// (unchecked programs; checked ones have the checker's reference).
    private func namespace(_ t: Expr, _ function: String) -> String? {
        guard let q = qualifiedName(t), q.root.hasPrefix(".") || local(q.root) == nil, globalSlots[q.name] == nil else { return nil }
        let full = q.name + "." + function
        if hostFunctions[full] != nil || full.hasPrefix("optional.") { return q.name }
        return nil
    }

    private func local(_ name: String) -> Int? {
        for l in locals.reversed() where l.name == name { return l.slot }
        return nil
    }

    /// `a.b.c` as a dotted name with its root identifier, if `e` is a select chain over an ident.
    private func qualifiedName(_ e: Expr) -> (name: String, root: String)? {
        switch e.kind {
        case .ident(let n): return (n.hasPrefix(".") ? String(n.dropFirst()) : n, n)
        case .select(let o, let f, false):
            guard let q = qualifiedName(o) else { return nil }
            return (q.name + "." + f, q.root)
        default: return nil
        }
    }

    private mutating func global(_ name: String, _ slot: Int, _ id: Int) -> Node {
        variableOfNode[id] = name
        return SlotNode(id: id, slot: slot)
    }

    private mutating func planIdent(_ n: String, id: Int) -> Node {
        let rootScope = n.hasPrefix(".")
        let name = rootScope ? String(n.dropFirst()) : n
        if !rootScope, let s = local(name) { return SlotNode(id: id, slot: s) }
        if let s = globalSlots[name] { return global(name, s, id) }
        if let t = Planner.typeValue(name, objectTypes) { return ConstNode(id: id, .type(t)) }
        return FailNode(id: id, "undeclared reference to '\(name)'")
    }

    // MARK: nodes

    mutating func plan(_ e: Expr) throws -> Node {
        let id = e.id
        switch e.kind {
        case .literal(let c):
            return ConstNode(id: id, c.value)
        case .ident(let n):
            switch references[id] {
            case .variable(let name)?: if let s = globalSlots[name] { return global(name, s, id) }
            case .typeName(let t)?: return ConstNode(id: id, .type(t.runtimeNormalised))
            default: break
            }
            return planIdent(n, id: id)
        case .select(let operand, let field, let testOnly):
            if testOnly { return HasNode(id: id, operand: try plan(operand), field: field) }
            switch references[id] {
            case .variable(let name)?: if let s = globalSlots[name] { return global(name, s, id) }
            case .typeName(let t)?: return ConstNode(id: id, .type(t.runtimeNormalised))
            case .field(let type, _)?: return SelectNode(id: id, operand: try plan(operand), field: field, knownType: type)
            default: break
            }
            // A dotted name declared as one variable (`a.b.c`) wins over field selection,
            // unless its root is a comprehension variable.
            if let q = qualifiedName(e), q.root.hasPrefix(".") || local(q.root) == nil {
                if let s = globalSlots[q.name] { return global(q.name, s, id) }
                if let t = Planner.typeValue(q.name, objectTypes) { return ConstNode(id: id, .type(t)) }
            }
            return SelectNode(id: id, operand: try plan(operand), field: field, knownType: nil)
        case .list(let elements, let optionalIndices):
            let nodes = try elements.map { try plan($0) }
            let opt = (0..<elements.count).map { optionalIndices.contains($0) }
            if !opt.contains(true), nodes.allSatisfy({ $0 is ConstNode }) {
                return ConstNode(id: id, .list(nodes.map { ($0 as! ConstNode).value }))
            }
            return ListNode(id: id, nodes, optional: opt)
        case .map(let entries):
            let keys = try entries.map { try plan($0.key) }
            let values = try entries.map { try plan($0.value) }
            return MapNode(id: id, keys: keys, values: values, optional: entries.map(\.optional))
        case .comprehension(let c):
            return try planComprehension(c, id: id)
        case .call(let target, let function, let args):
            return try planCall(target: target, function: function, args: args, id: id)
        }
    }

    private mutating func pushLocal(_ name: String) -> Int {
        let s = nextLocal
        nextLocal += 1
        frameSize = max(frameSize, nextLocal)
        locals.append((name, s))
        return s
    }

    private mutating func popLocal() { locals.removeLast(); nextLocal -= 1 }

    private mutating func planComprehension(_ c: Comprehension, id: Int) throws -> Node {
        let range = try plan(c.iterRange)
        let initN = try plan(c.accuInit)
        let accu = pushLocal(c.accuVar)
        let it = pushLocal(c.iterVar)
        let it2 = c.iterVar2.map { pushLocal($0) } ?? -1
        let cond = try plan(c.loopCondition)
        let step = try plan(c.loopStep)
        if it2 >= 0 { popLocal() }
        popLocal()
        let result = try plan(c.result)
        popLocal()
        return ComprehensionNode(id: id, iterSlot: it, iter2Slot: it2, accuSlot: accu, range: range, accuInit: initN,
                                 condition: cond, step: step, result: result)
    }

    /// Calls an implementation; a metered one spends from `budget`.
    static func invoke(_ impl: FunctionOverload.Implementation, _ args: [Value], budget: inout Int) -> Value {
        switch impl {
        case .unary(let f): return args.count == 1 ? f(args[0]) : .fail("wrong number of arguments")
        case .binary(let f): return args.count == 2 ? f(args[0], args[1]) : .fail("wrong number of arguments")
        case .nary(let f): return f(args)
        case .metered(let f): return f(args, &budget)
        }
    }

    private func node(for impl: FunctionOverload.Implementation, _ args: [Node], id: Int) -> Node {
        switch impl {
        case .unary(let f) where args.count == 1: return UnaryCallNode(id: id, args[0], f)
        case .binary(let f) where args.count == 2: return BinaryCallNode(id: id, args[0], args[1], f)
        case .metered(let f): return MeteredCallNode(id: id, args, f)
        default: return NaryCallNode(id: id, args) { var unmetered = 0; return Planner.invoke(impl, $0, budget: &unmetered) }
        }
    }

    /// An empty frame for evaluating constant calls (reads no slot, has no budget); a fresh
    /// one per fold, so planning on several threads at once shares nothing mutable.
    static var foldingFrame: Activation {
        let p = Program(root: Node(id: 0), planner: Planner(declarations: Declarations(), references: [:], allowUndeclared: false),
                        parsed: ParsedExpression(expr: Expr(id: 0, kind: .literal(.null)), source: Source(""), offsets: [-1]),
                        options: ProgramOptions(costLimit: 0))
        return Activation(program: p)
    }

    /// A standard (pure) call on constants is evaluated once here, e.g.
    /// `timestamp('2026-11-29T00:00:00Z')`; an error result is left for evaluation to report.
    private func folded(_ n: Node, _ args: [Node]) -> Node {
        guard args.allSatisfy({ $0 is ConstNode }) else { return n }
        let v = n.eval(Planner.foldingFrame)
        if case .error = v { return n }
        return ConstNode(id: n.id, v)
    }

    private mutating func planCall(target: Expr?, function: String, args: [Expr], id: Int) throws -> Node {
        // `math.greatest(x)` and `optional.of(x)` parse as member calls on a namespace.
        if target != nil, case .function(let name, _, true)? = references[id] {
            return try planCall(target: nil, function: name, args: args, id: id)
        }
        if let t = target, let ns = namespace(t, function) {
            return try planCall(target: nil, function: ns + "." + function, args: args, id: id)
        }
        if target == nil, let n = try planOperator(function, args, id: id) { return n }
        var argExprs = args
        if let target { argExprs.insert(target, at: 0) }
        var nodes: [Node] = []
        for a in argExprs { nodes.append(try plan(a)) }
        return try bindFunction(function, nodes, isMember: target != nil, id: id)
    }

    // planCall, plan and planOperator recurse through every nesting level; the rest is kept
    // out of their frames (debug builds spend kilobytes per frame).

    /// Operators with their own nodes (short-circuits, equality, ordering, `in`).
    @inline(never)
    private mutating func planOperator(_ function: String, _ args: [Expr], id: Int) throws -> Node? {
        switch (function, args.count) {
        case (Operator.logicalAnd, 2), (Operator.logicalOr, 2): return LogicNode(id: id, function, try plan(args[0]), try plan(args[1]))
        case (Operator.logicalNot, 1): return NotNode(id: id, try plan(args[0]))
        case (Operator.notStrictlyFalse, 1): return NotStrictlyFalseNode(id: id, try plan(args[0]))
        case (Operator.conditional, 3):
            return ConditionalNode(id: id, try plan(args[0]), try plan(args[1]), try plan(args[2]))
        case (Operator.equals, 2): return EqualsNode(id: id, try plan(args[0]), try plan(args[1]), negated: false)
        case (Operator.notEquals, 2): return EqualsNode(id: id, try plan(args[0]), try plan(args[1]), negated: true)
        case (Operator.less, 2): return RelationNode(id: id, try plan(args[0]), try plan(args[1]), .less, function: function)
        case (Operator.lessEquals, 2): return RelationNode(id: id, try plan(args[0]), try plan(args[1]), .lessEquals, function: function)
        case (Operator.greater, 2): return RelationNode(id: id, try plan(args[0]), try plan(args[1]), .greater, function: function)
        case (Operator.greaterEquals, 2): return RelationNode(id: id, try plan(args[0]), try plan(args[1]), .greaterEquals, function: function)
        case (Operator.add, 2):
            // Macro accumulation `@result + [e]` appends in place.
            if case .ident(let n) = args[0].kind, n == Parser.accu, let slot = local(n),
               case .list(let els, let opt) = args[1].kind, els.count == 1, opt.isEmpty {
                return AppendNode(id: id, accuSlot: slot, element: try plan(els[0]))
            }
        default: break
        }

        if function == Operator.in, args.count == 2 {
            let list = try plan(args[1])
            if let c = list as? ConstNode, case .list(let xs) = c.value {
                var strings: [String] = []
                for x in xs { if case .string(let s) = x { strings.append(s) } }
                let set = Set(strings)
                if strings.count == xs.count, set.count == Set(strings.map { Array($0.utf8) }).count {
                    return InStringSetNode(id: id, element: try plan(args[0]), members: set, list: c.value)
                }
            }
            return MeteredCallNode(id: id, [try plan(args[0]), list], StandardLibrary.membership)
        }
        return nil
    }

    /// A call's implementation: host overloads first, then the standard library.
    @inline(never)
    private func bindFunction(_ function: String, _ nodes: [Node], isMember: Bool, id: Int) throws -> Node {
        if let overloads = hostFunctions[function] {
            let fitting = overloads.filter { $0.isMember == isMember && $0.parameters.count == nodes.count }
            if fitting.count == 1 { return node(for: fitting[0].implementation, nodes, id: id) }
            if !fitting.isEmpty { return OverloadedCallNode(id: id, function: function, nodes, fitting) }
        }
        if function == "matches", nodes.count == 2, let pattern = nodes[1] as? ConstNode, case .string(let p) = pattern.value {
            // Compile a constant pattern once; a bad one is a compile-time error.
            let re: CELRegex
            do { re = try CELRegex.compile(p) } catch {
                throw PlanFailure(message: "invalid regular expression: \(error)", exprID: pattern.id)
            }
            return MeteredCallNode(id: id, [nodes[0]]) { a, budget in
                guard case .string(let s) = a[0] else { return .noOverload("matches", a[0]) }
                // Linear in the input, but a loop could rescan a large one: charge per KiB.
                guard Cost.spend(s.utf8.count, &budget) else { return Program.budgetExceeded }
                return .bool(re.matches(s))
            }
        }
        if let field = StandardLibrary.timeFields[function], nodes.count == 2,
           let z = nodes[1] as? ConstNode, case .string(let name) = z.value {
            // Resolve a constant time zone once; an unknown one is a compile-time error.
            guard let zone = CELTime.zone(name) else {
                throw PlanFailure(message: "unknown time zone '\(name)'", exprID: z.id)
            }
            return UnaryCallNode(id: id, nodes[0]) { v in
                guard case .timestamp(let t) = v else { return .noOverload(function, v, .string(name)) }
                return CELTime.field(field, of: t, zone: zone)
            }
        }
        if let impl = StandardLibrary.implementation(function, arity: nodes.count) {
            return folded(node(for: impl, nodes, id: id), nodes)
        }
        if let impl = OptionalLibrary.implementation(function, arity: nodes.count, member: isMember) {
            return folded(node(for: impl, nodes, id: id), nodes)
        }
        return FailNode(id: id, "no such function: \(function)")
    }
}
