// Environment: the CEL module's facade: declare, compile, plan, evaluate.
//
// NAME
//   CEL - the Common Expression Language engine for StationGuard's rule conditions.
// DESCRIPTION
//   cel-go's four calls, one per phase; hosts use nothing else:
//     Environment(declarations: Declarations(variables:objectTypes:functions:))
//       the names a rule may use; Extensions.all adds the strings/math/encoder libraries.
//     compile(_ source: Source) throws -> CheckedExpression
//       parse (Lexer.swift, Parser.swift) and type-check (Checker/) against the declarations.
//     program(_ expr: CheckedExpression, options: ProgramOptions) throws -> Program
//       plan once (Planner.swift) into Interpreter.swift's nodes; immutable, shared by threads.
//     Program.evaluate(_ activation: Activation) -> Value   (or evaluate([String: Value]))
//       many times; makeActivation() once per thread, bind() per record.
//   StandardLibrary.swift, Time.swift, Optionals.swift and Regex/ implement the functions;
//   ValueSemantics.swift holds equality and ordering; TaggedValue.swift is the JSON test codec.
// TRUST
//   Expression text comes from rule files written by administrators; bindings come from
//   kiosk records and are hostile. No input traps: arithmetic overflow, bad indexes, absent
//   fields and bad conversions are error values; regexes match in linear time; every loop
//   and every large value built spends from a per-evaluation cost limit, so no record can
//   make a rule run long or fill memory. Programs retain nothing per compile (a daemon
//   recompiles at every rule reload; RetentionTests). An Activation is for one thread.
// DIAGNOSTICS
//   CompileError: one CompileIssue per problem, rendered `ERROR: file:line:col: message`
//   with the source line and a caret, positions in the enclosing YAML file (Source's
//   baseLine/baseColumn); the checker stops recording after 100 issues. Evaluation errors
//   are `.error(EvalError)` values carrying the failing node's id; Program.location(of:)
//   turns it into a line and column. Nothing is printed or logged here.
// LIMITS
//   Cost: 100,000 units per evaluation (ProgramOptions.costLimit): one per comprehension
//   iteration, one per KiB of string or bytes or 1,024 list elements a call builds or
//   scans. Functions that search or grow text (contains, matches, size, `in` on a list,
//   the strings extension) are `.metered`: they charge before working, so a refused result
//   is never built; substring search is linear (TextSearch.swift, KMP over UTF-8).
//   Walks over values (`==`, `!=`, `in` on a list, `%s`) are charged as they go (Cost.walk):
//   one unit per 1,024 elements or bytes visited and one per nested list, map, object or
//   optional opened, since values built by repeated cel.bind share structure (n binds, 2^n
//   nodes). Values returned to hosts may still be such DAGs; walking one is the host's cost.
//   Depth: nesting 200 (ParserOptions.maxDepth; fits 256 KiB of stack in release builds,
//   about 2 MiB in debug). Source: 100,000 Unicode scalars (ParserOptions.maxSourceLength).
//   Size: 50,000 nodes after macro expansion (ParserOptions.maxNodes; macros use each
//   argument once, so expansion is linear). Checking: 2,000,000 type-walk steps
//   (TypeMapping.stepLimit), so types that double per nesting level stop the check.
//   Regex (CELRegex): repeat counts <= 1,000, programs <= 10,000 instructions, group nesting
//   <= 200; RE2 syntax without backreferences or lookaround. No protobuf messages, no
//   `container` namespaces; host objects are ObjectValue.
// SEE ALSO
//   https://github.com/google/cel-spec/blob/master/doc/langdef.md; cel-go's cel/env.go;
//   Checker/Checker.swift, Regex/CELRegex.swift; ConformanceTests.swift.

/// What a program may spend per evaluation.
public struct ProgramOptions {
    /// Cost allowed per evaluation; exceeding it makes the evaluation an error rather than
    /// letting a rule run long or fill memory. One unit per comprehension iteration (nested
    /// loops multiply) and one per KiB of string or bytes, or per 1,024 list elements, that a
    /// call builds or scans (so repeated doubling cannot grow a value exponentially, and a
    /// loop cannot rescan a large record string without end), and one per nested container
    /// that `==`, `in` or `%s` opens (so shared structure cannot make a walk exponential).
    public var costLimit: Int
    public init(costLimit: Int = 100_000) { self.costLimit = costLimit }
}

/// A parsed and type-checked expression, ready for `Environment.program`.
public struct CheckedExpression {
    public let parsed: ParsedExpression
    /// The type of the whole expression (`dyn` when unchecked).
    public let resultType: CELType
    /// The checker's findings (types per node id, resolved references); nil when unchecked.
    public let check: CheckResult?
    var checked: Bool { check != nil }

    init(parsed: ParsedExpression, check: CheckResult) {
        self.parsed = parsed; self.resultType = check.resultType; self.check = check
    }
    init(unchecked parsed: ParsedExpression) {
        self.parsed = parsed; self.resultType = .dyn; self.check = nil
    }
}

/// Declarations plus the parse/check/plan entry points.
public final class Environment {
    public let declarations: Declarations
    public var parserOptions: ParserOptions
    let checker: Checker

    public init(declarations: Declarations = Declarations(), parserOptions: ParserOptions = ParserOptions()) {
        self.declarations = declarations
        self.parserOptions = parserOptions
        self.checker = Checker(declarations: declarations)
    }

    /// Parses only (cel-go's `Parse`; the conformance suite's `disable_check`).
    /// - Throws: `CompileError` with the position of the syntax error.
    public func parse(_ source: Source) throws -> ParsedExpression {
        try Parser.parse(source, options: parserOptions)
    }

    /// Parses and type-checks against the declarations.
    /// - Throws: `CompileError` listing every problem found.
    public func compile(_ source: Source) throws -> CheckedExpression {
        let parsed = try parse(source)
        return try check(parsed)
    }

    /// Parsed but unchecked, for programs over undeclared variables (`disable_check`).
    public func unchecked(_ parsed: ParsedExpression) -> CheckedExpression {
        CheckedExpression(unchecked: parsed)
    }

    /// Plans a program. Checked expressions may read only declared variables; unchecked
    /// ones may read any name, bound at evaluation.
    /// - Throws: `CompileError` for problems found only when planning (a bad constant regex).
    public func program(_ expr: CheckedExpression, options: ProgramOptions = ProgramOptions()) throws -> Program {
        var planner = Planner(declarations: declarations, references: expr.check?.references ?? [:], allowUndeclared: !expr.checked)
        do {
            let root = try planner.planRoot(expr.parsed.expr)
            return Program(root: root, planner: planner, parsed: expr.parsed, options: options)
        } catch let f as PlanFailure {
            let off = f.exprID < expr.parsed.offsets.count ? max(0, expr.parsed.offsets[f.exprID]) : 0
            let src = expr.parsed.source
            throw CompileError(issues: [CompileIssue(message: f.message, offset: off, source: src, exprID: f.exprID)], source: src)
        }
    }

    /// Plans an unchecked parse (shorthand for `program(unchecked(parsed))`).
    public func program(_ parsed: ParsedExpression, options: ProgramOptions = ProgramOptions()) throws -> Program {
        try program(CheckedExpression(unchecked: parsed), options: options)
    }
}

/// Variable values for one evaluation, laid out in the program's slots, and the frame the
/// evaluation runs in (comprehension variables, the remaining cost). Reuse one per thread:
/// `bind` each variable per record, then `evaluate`; not for two threads at once.
public final class Activation {
    let program: Program
    /// Raw buffer: no copy-on-write or exclusivity checks on the hot path.
    let slots: UnsafeMutablePointer<Value>
    let count: Int
    /// Only this evaluation touches it; skip the dynamic exclusivity check per iteration.
    @exclusivity(unchecked) var budget: Int

    init(program: Program) {
        let template = program.template
        let n = template.count
        let buffer = UnsafeMutablePointer<Value>.allocate(capacity: max(n, 1))
        // Element by element: the bulk copy/destroy go through generic value witnesses.
        for i in 0..<n { (buffer + i).initialize(to: template[i]) }
        self.program = program
        self.count = n
        self.slots = buffer
        self.budget = program.costLimit
    }

    deinit {
        for i in 0..<count { (slots + i).deinitialize(count: 1) }
        slots.deallocate()
    }

    /// Binds a variable; false if the program has no such variable (it never reads it).
    @discardableResult
    public func bind(_ name: String, _ value: Value) -> Bool {
        guard let s = program.layout[name] else { return false }
        slots[s] = value
        return true
    }

    /// The slot of a variable, for binding without a name lookup (`bind(slot:_:)`).
    public func slot(of name: String) -> Int? { program.layout[name] }
    public func bind(slot: Int, _ value: Value) {
        if slot >= 0 && slot < program.layout.count { slots[slot] = value }
    }
}

/// A planned expression: immutable, safe to evaluate from several threads at once.
public final class Program {
    let root: Node
    let layout: [String: Int]
    let template: ContiguousArray<Value>
    let costLimit: Int
    public let parsed: ParsedExpression

    let variableOfNode: [Int: String]

    /// What an unbound variable's slot holds: a literal message (copying it costs no
    /// reference counting, so making an activation stays cheap); `finish` names the variable.
    static let unbound = EvalError("no such attribute: variable is not bound")

    /// Names the variable in an unbound-variable error that reached the top.
    @inline(__always) func finish(_ v: Value) -> Value {
        guard case .error(let e) = v, e.message == Program.unbound.message, let id = e.exprID,
              let name = variableOfNode[id] else { return v }
        return .error(EvalError("no such attribute: '\(name)' is not bound", exprID: id))
    }

    static let budgetExceeded = Value.fail("evaluation cost limit exceeded (too many iterations or too large a value)")

    init(root: Node, planner: Planner, parsed: ParsedExpression, options: ProgramOptions) {
        self.root = root
        self.layout = planner.globalSlots
        var t = ContiguousArray<Value>(repeating: .null, count: planner.frameSize)
        for slot in planner.globalSlots.values { t[slot] = .error(Program.unbound) }
        self.template = t
        self.variableOfNode = planner.variableOfNode
        self.costLimit = options.costLimit
        self.parsed = parsed
    }

    /// The variables the program reads (declared or, unchecked, free).
    public var variables: [String] { Array(layout.keys) }

    /// An activation for this program: bind variables, evaluate, rebind, evaluate again.
    /// Unbound variables evaluate to an error naming them.
    public func makeActivation() -> Activation { Activation(program: self) }

    /// Evaluates with an activation made by this program's `makeActivation()`; no allocation.
    public func evaluate(_ activation: Activation) -> Value {
        guard activation.program === self else { return .fail("activation was made for another program") }
        activation.budget = costLimit
        return finish(root.eval(activation))
    }

    public func evaluate(_ bindings: [String: Value]) -> Value {
        let frame = Activation(program: self)
        for (name, v) in bindings { if let s = layout[name] { frame.slots[s] = v } }
        return finish(root.eval(frame))
    }

    /// Where an evaluation error arose, in the enclosing file (1-based), when known.
    public func location(of error: EvalError) -> (line: Int, column: Int)? {
        guard let id = error.exprID else { return nil }
        return parsed.location(of: id)
    }
}

extension Environment {
    /// Type-checks a parse against the declarations.
    /// - Throws: `CompileError` with every issue the checker found.
    public func check(_ parsed: ParsedExpression) throws -> CheckedExpression {
        let result = checker.check(parsed)
        guard result.isValid else { throw CompileError(issues: result.issues, source: parsed.source) }
        return CheckedExpression(parsed: parsed, check: result)
    }
}
