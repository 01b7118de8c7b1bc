// Fuzz target evaluate: arbitrary bytes as CEL source → compile (checked, and unchecked when
// checking fails) → evaluate against a record-shaped activation with the default evaluation budget.
// Any value or error is fine; a trap, an ASan report or a timeout is a bug.

/// The default budget: the one rules run with (its field names are the core's to change).
let fuzzOptions = ProgramOptions()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEvaluate(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let source = Source(text)
    guard let parsed = try? fuzzEnvironment.parse(source) else { return 0 }
    let program: Program?
    if let checked = try? fuzzEnvironment.check(parsed) {
        program = try? fuzzEnvironment.program(checked, options: fuzzOptions)
    } else {
        program = try? fuzzEnvironment.program(parsed, options: fuzzOptions)
    }
    guard let program else { return 0 }
    let result = program.evaluate(fuzzBindings)
    // Encoding walks the whole result (and the tagged codec is fuzzed with it).
    _ = TaggedValue.encode(result)
    if case .error(let e) = result { _ = program.location(of: e) }
    return 0
}
