// CEL: the Common Expression Language for StationGuard's rule conditions.
//
// DESCRIPTION
//   cel-go's four calls: Environment(declarations:) → compile(Source) (parse + check) →
//   program(expr, options:) (planned once) → evaluate(bindings or Activation), many times.
//   Parser.swift and Lexer.swift read the text, Checker/ types it, Planner.swift turns the
//   AST into Interpreter.swift's nodes; StandardLibrary.swift, Time.swift, Optionals.swift
//   implement the functions; ValueSemantics.swift holds equality and ordering.
// TRUST
//   Expression text comes from rule files (administrators), values from kiosk records
//   (hostile). No input traps: arithmetic overflow, bad indexes, absent fields, bad
//   conversions are error values. Source length and nesting are capped at parse time, and
//   every comprehension iteration spends from a per-evaluation budget.
// DIAGNOSTICS
//   CompileError: one CompileIssue per problem, rendered `ERROR: file:line:col: message`
//   with the source line and a caret, positions relative to the enclosing file (Source's
//   baseLine/baseColumn). Evaluation errors are `.error(EvalError)` values carrying the id
//   of the failing node; Program.location(of:) turns it into a line and column.
// LIMITS
//   No protobuf messages, no `container` namespaces; host objects are ObjectValue.
//   Two-variable macros and optionals are supported; string/math/encoder extensions are
//   in Extensions/ if present.
// SEE ALSO
//   https://github.com/google/cel-spec/blob/master/doc/langdef.md; ConformanceTests.swift.

/// What a program may spend per evaluation.
public struct ProgramOptions {
    /// Comprehension iterations allowed per evaluation (nested loops multiply); exceeding
    /// it makes the evaluation an error rather than letting a rule run long.
    public var iterationLimit: Int
    public init(iterationLimit: Int = 100_000) { self.iterationLimit = iterationLimit }
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

/// Variable values for one evaluation, laid out in the program's slots. Reuse one per
/// thread: `bind` once per variable per record, then `evaluate`.
public final class Activation {
    let layout: [String: Int]
    var values: ContiguousArray<Value>

    init(layout: [String: Int], template: ContiguousArray<Value>) { self.layout = layout; self.values = template }

    /// Binds a variable; false if the program has no such variable (it never reads it).
    @discardableResult
    public func bind(_ name: String, _ value: Value) -> Bool {
        guard let s = layout[name] else { return false }
        values[s] = value
        return true
    }

    /// The slot of a variable, for binding without a name lookup (`bind(slot:_:)`).
    public func slot(of name: String) -> Int? { layout[name] }
    public func bind(slot: Int, _ value: Value) {
        if slot >= 0 && slot < values.count { values[slot] = value }
    }
}

/// A planned expression: immutable, safe to evaluate from several threads at once.
public final class Program {
    let root: Node
    let layout: [String: Int]
    let template: ContiguousArray<Value>
    let iterationLimit: Int
    public let parsed: ParsedExpression

    static let budgetExceeded = Value.fail("evaluation budget exceeded (comprehension iteration limit)")

    init(root: Node, planner: Planner, parsed: ParsedExpression, options: ProgramOptions) {
        self.root = root
        self.layout = planner.globalSlots
        var t = ContiguousArray<Value>(repeating: .null, count: planner.frameSize)
        for (name, slot) in planner.globalSlots { t[slot] = .fail("no such attribute: '\(name)' is not bound") }
        self.template = t
        self.iterationLimit = options.iterationLimit
        self.parsed = parsed
    }

    /// The variables the program reads (declared or, unchecked, free).
    public var variables: [String] { Array(layout.keys) }

    public func makeActivation() -> Activation { Activation(layout: layout, template: template) }

    public func evaluate(_ activation: Activation) -> Value {
        // The activation's values become the frame's (shared until a comprehension writes).
        var slots = activation.values
        if slots.count != template.count { slots = template }
        return root.eval(Frame(slots: slots, budget: iterationLimit))
    }

    public func evaluate(_ bindings: [String: Value]) -> Value {
        var slots = template
        for (name, v) in bindings { if let s = layout[name] { slots[s] = v } }
        return root.eval(Frame(slots: slots, budget: iterationLimit))
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
