// Fuzz target parse-check: arbitrary bytes as CEL source → parse, type-check, plan.
// Nothing may trap; errors are expected and ignored. Built by fuzz/run into the CEL module
// (no `import CEL`), so internal API is visible.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParseCheck(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let source = Source(text)
    guard let parsed = try? fuzzEnvironment.parse(source) else { return 0 }
    _ = try? fuzzEnvironment.program(parsed)  // unchecked plan
    if let checked = try? fuzzEnvironment.check(parsed) {
        _ = try? fuzzEnvironment.program(checked)
    }
    return 0
}
