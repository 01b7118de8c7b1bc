// CELSeam: the only place Rules meets the CEL module's facade (Environment → compile →
// program → evaluate), so that the rest of Rules speaks of conditions, not of ASTs.
import CEL

/// One environment per (rule set, record kind): `record` and `params` have set- and
/// kind-specific types.
struct CELEnvironment {
    let environment: Environment

    init(declarations: Declarations) {
        environment = Environment(declarations: declarations)
    }

    /// Parses, checks and plans an expression.
    /// - Throws: `CompileError` with positions in the enclosing file.
    func compile(_ source: Source) throws -> CompiledExpression {
        let checked = try environment.compile(source)
        let program = try environment.program(checked)
        return CompiledExpression(program: program, resultType: checked.resultType)
    }
}

/// The variables of one rule evaluation.
struct RuleActivation {
    var record: Value
    var params: Value
}

/// A planned expression and its checked type.
struct CompiledExpression {
    let program: Program
    let resultType: CELType

    /// Never throws or traps: failures come back as `.error` values.
    func evaluate(_ a: RuleActivation) -> Value {
        program.evaluate(["record": a.record, "params": a.params])
    }
}
