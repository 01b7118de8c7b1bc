// Fuzz target regex: bytes before the first NUL are a pattern, the rest the input.
// compile() may reject; matches() must finish in O(pattern × input) and never trap.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegex(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let cut = bytes.firstIndex(of: 0) ?? size
    let pattern = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<cut]), as: UTF8.self)
    let input = cut < size ? String(decoding: UnsafeBufferPointer(rebasing: bytes[(cut + 1)...]), as: UTF8.self) : ""
    guard let re = try? CELRegex.compile(pattern) else { return 0 }
    let (matched, steps) = re.program.search(Array(input.unicodeScalars.map(\.value)))
    // The linear bound RegexTests asserts: a violation is a bug, so make it a crash here.
    if steps > 3 * re.program.instructions.count * (input.unicodeScalars.count + 1) { fatalError("regex step bound exceeded") }
    if matched != re.matches(input) { fatalError("search and matches disagree") }
    return 0
}
