// Checker: types a parsed CEL expression against the host's declarations.
//
// DESCRIPTION
//   `Checker(declarations:)` is built once per environment; `check(parsed)` walks the AST
//   and returns a `CheckResult`: the type of every node by id, what each identifier, field
//   selection and call resolved to (a declared variable, an object field's slot, a type
//   name, a function's matching overload ids), and the issues found. Calls are resolved
//   against the standard signatures (StandardSignatures.swift) plus `Declarations.functions`.
//   `dyn` is assignable to and from anything, so rules over untyped data still check; list
//   and map literals of mixed element types become `list(dyn)` / `map(dyn, ...)`.
// TRUST
//   Expressions come from rule authors (admins, vendors): any AST is accepted, and every
//   mistake becomes an issue, never a trap.
// DIAGNOSTICS
//   Issues carry line, column (in the enclosing file, via `Source`) and a message in
//   cel-go's wording: undeclared reference, undefined field 'f' on type 'T', found no
//   matching overload, expected type ... but found ..., type ... does not support field
//   selection, not a comprehension range. At most 100 issues are recorded.
// LIMITS
//   No protobuf messages, enums, wrappers or containers (namespaces). Numeric types never
//   convert implicitly (`1 == 1.0` is rejected, as in cel-go; write `dyn(1) == 1.0`).
// SEE ALSO
//   cel-go checker/checker.go and checker/types.go; AST.swift; Types.swift.

/// What a name, field selection or call in the AST refers to, as resolved by the checker.
public enum Reference: Equatable {
    /// A declared variable. The name may be dotted (`a.b.c`) when a chain of selections
    /// resolved as one qualified name: the planner then reads the variable and skips the operands.
    case variable(String)
    /// A field of a declared object type: evaluation reads `ObjectValue.fields[slot]`.
    case field(ObjectType, slot: Int)
    /// A type name used as a value (`int`, `station.Departure`): evaluates to `.type(t)`.
    case typeName(CELType)
    /// A call's function and the ids of the overloads that may apply (more than one when
    /// arguments are `dyn`). When `name` is namespaced (`math.greatest`) and the call was
    /// written as a member call on the namespace (`math.greatest(x)`), `targetIsNamespace`
    /// is true: the target is part of the name, not an argument.
    case function(name: String, overloadIDs: [String], targetIsNamespace: Bool)
}

/// The outcome of `Checker.check`.
public struct CheckResult {
    /// `types[id]` is the type of node `id`; nil for ids without a checked node (e.g. the
    /// operands of a selection chain that resolved as one qualified name).
    public var types: [CELType?]
    /// Resolved references by node id, for identifiers, selections and calls.
    public var references: [Int: Reference]
    /// Problems found, in source order; empty when the expression checks.
    public var issues: [CompileIssue]
    /// The type of the whole expression (`.error` when it failed to check).
    public var resultType: CELType

    public var isValid: Bool { issues.isEmpty }
    /// The checked node types keyed by node id, for consumers that want a dictionary.
    public var typesByID: [Int: CELType] {
        var out: [Int: CELType] = [:]
        for (id, t) in types.enumerated() { if let t { out[id] = t } }
        return out
    }
    public func type(of id: Int) -> CELType? { id >= 0 && id < types.count ? types[id] : nil }
}

public final class Checker {
    public let declarations: Declarations
    let objectTypes: [String: ObjectType]
    let functions: [String: [Signature]]

    public init(declarations: Declarations) {
        self.declarations = declarations
        var objects: [String: ObjectType] = [:]
        for t in declarations.objectTypes { objects[t.name] = t }
        objectTypes = objects
        var fns: [String: [Signature]] = [:]
        for s in StandardSignatures.all { fns[s.function, default: []].append(s) }
        for f in declarations.functions {
            for o in f.overloads {
                fns[f.name, default: []].append(Signature(function: f.name, id: o.id, isMember: o.isMember,
                                                          parameters: o.parameters, result: o.result))
            }
        }
        functions = fns
    }

    /// Types `parsed` and resolves its references. Never traps; problems are in `issues`.
    public func check(_ parsed: ParsedExpression) -> CheckResult {
        let run = CheckRun(checker: self, parsed: parsed)
        return run.run()
    }

    /// The type a name denotes when used as a value, if it is a type name.
    func typeNamed(_ name: String) -> CELType? {
        if let t = StandardSignatures.typeNames[name] { return t }
        if objectTypes[name] != nil { return .object(name) }
        return nil
    }
}

/// One checking pass over one expression.
final class CheckRun {
    let checker: Checker
    let parsed: ParsedExpression
    var types: [CELType?]
    var references: [Int: Reference] = [:]
    var issues: CheckerIssues
    var mapping = TypeMapping()
    var reportedExhaustion = false
    var freshCount = 0
    /// Comprehension variables, innermost scope last.
    var scopes: [[String: CELType]] = []

    init(checker: Checker, parsed: ParsedExpression) {
        self.checker = checker
        self.parsed = parsed
        self.types = Array(repeating: nil, count: max(parsed.nodeCount, 1))
        self.issues = CheckerIssues(parsed: parsed)
    }

    func run() -> CheckResult {
        let root = check(parsed.expr)
        let finalTypes = types.map { $0.map { mapping.substitute($0, final: true) } }
        let resultType = mapping.substitute(root, final: true)
        if mapping.exhausted && !reportedExhaustion {
            reportedExhaustion = true
            issues.typesTooLarge(parsed.expr.id, steps: TypeMapping.stepLimit)
        }
        let sorted = issues.issues.enumerated().sorted {
            $0.element.offset != $1.element.offset ? $0.element.offset < $1.element.offset : $0.offset < $1.offset
        }.map(\.element)
        return CheckResult(types: finalTypes, references: references, issues: sorted,
                           resultType: resultType)
    }

    // MARK: - Nodes

    @discardableResult
    func check(_ e: Expr) -> CELType {
        let t: CELType
        switch e.kind {
        case .literal(let c): t = c.value.runtimeType   // a literal's type is its value's
        case .ident(let name): t = checkIdent(e.id, name)
        case .select(let operand, let field, let testOnly): t = checkSelect(e, operand, field, testOnly)
        case .call(let target, let function, let args): t = checkCall(e, target, function, args)
        case .list(let elements, let optionalIndices): t = checkList(elements, optionalIndices)
        case .map(let entries): t = checkMap(entries)
        case .comprehension(let c): t = checkComprehension(e, c)
        }
        setType(e.id, t)
        if mapping.exhausted && !reportedExhaustion {
            reportedExhaustion = true
            issues.typesTooLarge(e.id, steps: TypeMapping.stepLimit)
        }
        return t
    }

    func setType(_ id: Int, _ t: CELType) {
        guard id >= 0 else { return }
        if id >= types.count { types += Array(repeating: nil, count: id - types.count + 1) }
        types[id] = t
    }

    func checkIdent(_ id: Int, _ name: String) -> CELType {
        // langdef: a leading dot resolves in the root scope, skipping comprehension variables.
        if name.hasPrefix(".") {
            if let t = resolveGlobal(id, String(name.dropFirst())) { return t }
            issues.undeclaredReference(id, name)
            return .error
        }
        if let local = lookupLocal(name) { return local }
        if let t = resolveGlobal(id, name) { return t }
        issues.undeclaredReference(id, name)
        return .error
    }

    /// A declared variable or a type name; records the reference.
    func resolveGlobal(_ id: Int, _ name: String) -> CELType? {
        if let t = checker.declarations.variables[name] {
            references[id] = .variable(name)
            return t
        }
        if let t = checker.typeNamed(name) {
            references[id] = .typeName(t)
            return .type(t)
        }
        return nil
    }

    func lookupLocal(_ name: String) -> CELType? {
        for scope in scopes.reversed() { if let t = scope[name] { return t } }
        return nil
    }

    /// `a.b.c` as one dotted name, when `e` is a chain of plain selections over an identifier
    /// that is not a comprehension variable (a local always wins over a qualified global,
    /// except under a leading dot, which names the root scope).
    func qualifiedName(_ e: Expr) -> String? {
        switch e.kind {
        case .ident(let name):
            if name.hasPrefix(".") { return String(name.dropFirst()) }
            return lookupLocal(name) == nil ? name : nil
        case .select(let operand, let field, let testOnly):
            guard !testOnly, let prefix = qualifiedName(operand) else { return nil }
            return prefix + "." + field
        default: return nil
        }
    }

    func checkSelect(_ e: Expr, _ operand: Expr, _ field: String, _ testOnly: Bool) -> CELType {
        // The longest declared dotted name wins: outer selections are tried first.
        if !testOnly, let q = qualifiedName(e), let t = resolveGlobal(e.id, q) { return t }
        let operandType = mapping.substitute(check(operand), final: false)
        let fieldType = selectField(e.id, operandType, field)
        return testOnly ? .bool : fieldType
    }

    /// The type of `operand.field` for an operand of type `t`.
    func selectField(_ id: Int, _ t: CELType, _ field: String) -> CELType {
        switch t {
        case .object(let name):
            guard let object = checker.objectTypes[name] else {
                issues.undeclaredObjectType(id, name)
                return .error
            }
            guard let slot = object.slot(of: field) else {
                issues.undefinedField(id, field, on: t)
                return .error
            }
            references[id] = .field(object, slot: slot)
            return object.fields[slot].type
        case .map(_, let v): return v
        case .dyn, .error, .parameter: return .dyn
        // Selecting through an optional yields an optional (cel-go's optional chaining).
        case .optional(let inner):
            let ft = selectField(id, mapping.substitute(inner, final: false), field)
            if case .optional = ft { return ft }
            return ft == .error ? .error : .optional(ft)
        default:
            issues.typeDoesNotSupportFieldSelection(id, t)
            return .error
        }
    }

    func checkCall(_ e: Expr, _ target: Expr?, _ function: String, _ args: [Expr]) -> CELType {
        if function == Operator.optionalSelect { return checkOptionalSelect(e, args) }
        // `math.greatest(x)` parses as a member call on `math`; a declared namespaced
        // function takes precedence over a member call.
        if let target = target, let q = qualifiedName(target), checker.functions[q + "." + function] != nil {
            let argTypes = args.map { check($0) }
            return resolve(e.id, name: q + "." + function, argTypes, isMember: false, namespaced: true)
        }
        guard checker.functions[function] != nil else {
            if let target = target { check(target) }
            for a in args { check(a) }
            issues.undeclaredReference(e.id, function)
            return .error
        }
        var argTypes: [CELType] = []
        if let target = target { argTypes.append(check(target)) }
        for a in args { argTypes.append(check(a)) }
        return resolve(e.id, name: function, argTypes, isMember: target != nil, namespaced: false)
    }

    /// Overload resolution (cel-go's resolveOverload): every overload whose parameters the
    /// arguments fit is a candidate; one result type if they agree, else `dyn`.
    func resolve(_ id: Int, name: String, _ argTypes: [CELType], isMember: Bool, namespaced: Bool) -> CELType {
        var ids: [String] = []
        var result: CELType?
        for sig in checker.functions[name] ?? [] where sig.isMember == isMember && sig.parameters.count == argTypes.count {
            let suffix = "#\(freshCount)"
            freshCount += 1
            let params = sig.parameters.map { $0.renamingParameters { $0 + suffix } }
            guard mapping.isAssignable(argTypes, params) else { continue }
            ids.append(sig.id)
            let r = mapping.substitute(sig.result.renamingParameters { $0 + suffix }, final: false)
            if let prior = result {
                if prior != .dyn && prior != r { result = .dyn }
            } else {
                result = r
            }
        }
        guard let found = result else {
            // An argument that already failed has been reported; don't pile on.
            if !argTypes.contains(.error) {
                issues.noMatchingOverload(id, name, argTypes.map { mapping.substitute($0, final: true) }, isMember: isMember)
            }
            return .error
        }
        references[id] = .function(name: name, overloadIDs: ids, targetIsNamespace: namespaced)
        return found
    }

    /// `operand.?field`, written as the call `_?._(operand, 'field')`.
    func checkOptionalSelect(_ e: Expr, _ args: [Expr]) -> CELType {
        guard args.count == 2, case .literal(.string(let field)) = args[1].kind else {
            for a in args { check(a) }
            issues.notAnOptionalFieldSelection(e.id)
            return .error
        }
        let operandType = mapping.substitute(check(args[0]), final: false)
        setType(args[1].id, .string)
        let ft = selectField(e.id, operandType, field)
        if case .optional = ft { return ft }
        return ft == .error ? .error : .optional(ft)
    }

    func freshParameter() -> CELType {
        freshCount += 1
        return .parameter("_var\(freshCount)")
    }

    /// The element type shared by `previous` and `next`, or `dyn` when they differ.
    func join(_ previous: CELType?, _ next: CELType) -> CELType {
        guard let previous = previous else { return next }
        if mapping.isAssignable(previous, next) { return mapping.mostGeneral(previous, next) }
        return .dyn
    }

    /// The value type inside an optional entry (`[?x]`, `{?k: x}`); reports anything else.
    func unwrapOptional(_ id: Int, _ t: CELType) -> CELType {
        let s = mapping.substitute(t, final: false)
        switch s {
        case .optional(let inner): return inner
        case .dyn, .error: return .dyn
        default:
            let inner = freshParameter()
            if mapping.isAssignable(s, .optional(inner)) { return inner }
            issues.typeMismatch(id, expected: .optional(.dyn), found: s)
            return .error
        }
    }

    func checkList(_ elements: [Expr], _ optionalIndices: [Int]) -> CELType {
        var elementType: CELType?
        for (i, el) in elements.enumerated() {
            var t = check(el)
            if optionalIndices.contains(i) { t = unwrapOptional(el.id, t) }
            elementType = join(elementType, t)
        }
        return .list(elementType ?? freshParameter())
    }

    func checkMap(_ entries: [MapEntry]) -> CELType {
        var keyType: CELType?, valueType: CELType?
        for entry in entries {
            keyType = join(keyType, mapKey(entry.key))
            var v = check(entry.value)
            if entry.optional { v = unwrapOptional(entry.value.id, v) }
            valueType = join(valueType, v)
        }
        return .map(keyType ?? freshParameter(), valueType ?? freshParameter())
    }

    /// A map literal's key type; one no map can hold is reported and becomes `error`. Besides
    /// naming the mistake early, this keeps types small: `{a: a}` nested n deep would
    /// otherwise have a type of 2^n nodes, and every later check walks it.
    func mapKey(_ key: Expr) -> CELType {
        let t = mapping.substitute(check(key), final: false)
        switch t {
        case .bool, .int, .uint, .string, .dyn, .parameter, .error: return t
        default:
            issues.unsupportedMapKeyType(key.id, t)
            return .error
        }
    }

    func checkComprehension(_ e: Expr, _ c: Comprehension) -> CELType {
        let rangeType = mapping.substitute(check(c.iterRange), final: false)
        var first: CELType = .dyn, second: CELType = .dyn
        switch rangeType {
        case .list(let el): first = c.iterVar2 == nil ? el : .int; second = el
        case .map(let k, let v): first = k; second = v
        case .dyn, .error, .parameter: break
        default: issues.notAComprehensionRange(c.iterRange.id, rangeType)
        }
        let accuType = check(c.accuInit)
        scopes.append([c.accuVar: accuType])
        var iterScope = [c.iterVar: first]
        if let v2 = c.iterVar2 { iterScope[v2] = second }
        scopes.append(iterScope)
        let condition = check(c.loopCondition)
        if !mapping.isAssignable(condition, .bool) {
            issues.typeMismatch(c.loopCondition.id, expected: .bool, found: mapping.substitute(condition, final: true))
        }
        let step = check(c.loopStep)
        if !mapping.isAssignable(step, accuType) {
            issues.typeMismatch(c.loopStep.id, expected: mapping.substitute(accuType, final: true),
                                found: mapping.substitute(step, final: true))
        }
        scopes.removeLast()
        let result = check(c.result)
        scopes.removeLast()
        return result
    }
}
