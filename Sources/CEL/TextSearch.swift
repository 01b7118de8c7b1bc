// TextSearch: linear-time substring search over UTF-8 bytes (Knuth-Morris-Pratt), and the
// cost charges the string functions share. A valid UTF-8 needle can only match at a code
// point boundary (its first byte is a lead byte), so byte matches are code point matches.

/// The evaluation budget as extension functions see it: remaining units, one per KiB of
/// text or bytes (or 1,024 list elements) scanned or built. Values under a KiB are free,
/// as in `charged` (Interpreter.swift), so small rule strings cost nothing.
enum Cost {
    /// Spends for `size` bytes (or elements); false once the budget is exhausted, and the
    /// caller must then stop before doing the work.
    @inline(__always) static func spend(_ size: Int, _ budget: inout Int) -> Bool {
        budget -= size >> 10
        return budget >= 0
    }

    /// What opening a nested list, map, object or optional costs a walk, in `walk`'s
    /// units: one budget unit, as a comprehension iteration costs. Values built by repeated
    /// `cel.bind` share structure, so a walk can open 2^n containers of a value made in n
    /// steps; counting only elements would let it run for minutes.
    static let containerWeight = 1024

    /// Runs a walk over values (`==`, `in`, `%s`) that spends a finer allowance, 1,024 to
    /// the budget unit (one per element, entry or byte visited, `containerWeight` per
    /// nested container opened), then charges the budget what it spent as `spend` would
    /// have: so small walks stay free and a walk that overdraws is stopped mid-way rather
    /// than charged after it finishes. The walk returns nil once its allowance is below
    /// zero; `walk` then returns nil with the budget negative.
    @inline(__always) static func walk<R>(_ budget: inout Int, _ body: (inout Int) -> R?) -> R? {
        guard budget >= 0 else { return nil }
        // The budget in the walk's units, plus the fraction of a unit `spend` would let
        // pass; a host's huge limit saturates rather than overflows.
        let start = budget > Int.max >> 11 ? Int.max >> 1 : budget << 10 | 1023
        var allowance = start
        let result = body(&allowance)
        budget -= (start - allowance) >> 10
        if result == nil { budget = min(budget, -1) }
        return result
    }
}

/// A needle prepared for repeated linear scans.
struct TextSearch {
    let needle: [UInt8]
    /// KMP failure function: length of the longest proper border of needle[0...i].
    private let border: [Int]

    init(_ needle: [UInt8]) {
        self.needle = needle
        var b = [Int](repeating: 0, count: needle.count)
        var k = 0
        var i = 1
        while i < needle.count {
            while k > 0 && needle[i] != needle[k] { k = b[k - 1] }
            if needle[i] == needle[k] { k += 1 }
            b[i] = k
            i += 1
        }
        self.border = b
    }

    /// Calls `found` with the start of each match in `hay[from..<to]`, left to right; with
    /// `overlapping` false the scan restarts after each match (Go's Replace/Split). `found`
    /// returns false to stop. The needle must not be empty.
    func scan(_ hay: UnsafeBufferPointer<UInt8>, from: Int = 0, to: Int? = nil, overlapping: Bool,
              _ found: (Int) -> Bool) {
        let m = needle.count
        let end = min(to ?? hay.count, hay.count)
        guard m > 0, from >= 0, end - from >= m else { return }
        var k = 0
        var i = from
        needle.withUnsafeBufferPointer { n in
            while i < end {
                let c = hay[i]
                while k > 0 && c != n[k] { k = border[k - 1] }
                if c == n[k] { k += 1 }
                i += 1
                if k == m {
                    if !found(i - m) { return }
                    k = overlapping ? border[m - 1] : 0
                }
            }
        }
    }

    /// The byte offset of the first match at or after `from`, or nil.
    func first(in hay: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        var at: Int?
        scan(hay, from: from, overlapping: false) { at = $0; return false }
        return at
    }
}

/// Code point arithmetic over UTF-8 bytes (continuation bytes are 0b10xxxxxx).
enum UTF8Position {
    /// The number of code points in `bytes[from..<to]`.
    static func codePoints(_ bytes: UnsafeBufferPointer<UInt8>, from: Int = 0, to: Int) -> Int {
        var n = 0
        var i = from
        while i < to { if bytes[i] & 0xC0 != 0x80 { n += 1 }; i += 1 }
        return n
    }

    /// The byte offset of code point `index` (the byte count when `index` is the count), or
    /// nil when the string is shorter.
    static func byteOffset(_ bytes: UnsafeBufferPointer<UInt8>, ofCodePoint index: Int) -> Int? {
        if index < 0 { return nil }
        var seen = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] & 0xC0 != 0x80 {
                if seen == index { return i }
                seen += 1
            }
            i += 1
        }
        return seen == index ? bytes.count : nil
    }
}
