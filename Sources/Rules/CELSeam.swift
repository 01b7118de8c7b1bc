// CELSeam: the only place Rules meets the CEL module's facade (Environment → compile →
// program → evaluate), so that the rest of Rules speaks of conditions, not of ASTs.
import CEL
import Foundation

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
        let probe = program.makeActivation()
        return CompiledExpression(program: program, resultType: checked.resultType,
                                  recordSlot: probe.slot(of: "record") ?? probe.slot(of: "trip"), paramsSlot: probe.slot(of: "params"))
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
    /// The variables' slots, resolved once (nil when the expression does not read one).
    /// `recordSlot` is the subject: `record`, or `trip` for a trip rule.
    let recordSlot: Int?
    let paramsSlot: Int?

    /// Never throws or traps: failures come back as `.error` values. A fresh activation per
    /// call keeps concurrent evaluations of one generation independent.
    func evaluate(_ a: RuleActivation) -> Value {
        let activation = program.makeActivation()
        if let recordSlot { activation.bind(slot: recordSlot, a.record) }
        if let paramsSlot { activation.bind(slot: paramsSlot, a.params) }
        return program.evaluate(activation)
    }

    /// As `evaluate(_:)`, in an activation made by `makeActivation()` and used by one thread
    /// at a time: making one costs most of a simple condition's evaluation.
    func evaluate(_ a: RuleActivation, in activation: Activation) -> Value {
        if let recordSlot { activation.bind(slot: recordSlot, a.record) }
        if let paramsSlot { activation.bind(slot: paramsSlot, a.params) }
        return program.evaluate(activation)
    }

    func makeActivation() -> Activation { program.makeActivation() }
}

/// Reusable scratch for concurrent evaluations: `withScratch` lends one idle scratch (making
/// one when all are lent), so each thread evaluating at once has its own and no scratch is
/// made per record. A lock per loan is far cheaper than the activations it saves.
final class ScratchPool<Scratch> {
    private let lock = NSLock()
    private var idle: [Scratch] = []
    private let make: () -> Scratch

    init(make: @escaping () -> Scratch) { self.make = make }

    func withScratch<R>(_ body: (Scratch) -> R) -> R {
        lock.lock()
        let lent = idle.popLast()
        lock.unlock()
        let scratch = lent ?? make()   // outside the lock: other threads need not wait for it
        defer {
            lock.lock()
            idle.append(scratch)
            lock.unlock()
        }
        return body(scratch)
    }
}
