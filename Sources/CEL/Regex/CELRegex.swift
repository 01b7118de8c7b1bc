// CELRegex: the regular expressions of CEL's `matches`, in RE2 syntax and semantics,
// matched in time linear in the input whatever the pattern.
//
// DESCRIPTION
//   compile() parses a pattern (RegexParser) into a small tree, then into a Thompson NFA
//   (RegexProgram); matches() simulates the NFA over the string's Unicode scalars, keeping
//   each instruction at most once per input position. The search is unanchored: `matches`
//   is true if any substring matches, unless the pattern uses ^ \A $ \z. Only true/false is
//   computed, so lazy and greedy repetition behave alike and groups capture nothing.
// TRUST
//   Patterns come from rule files (administrators) and inputs from kiosk records (hostile
//   strings): no pattern/input pair can take more than O(pattern size × input length) steps,
//   and no pattern can trap, recurse without bound or allocate without bound.
// DIAGNOSTICS
//   compile() throws CELRegexError with the 1-based column (in Unicode scalars) and RE2's
//   wording where RE2 has one; matches() never fails.
// LIMITS
//   Repetition counts ≤ 1000 (RE2's limit), compiled program ≤ 10,000 instructions, group
//   nesting ≤ 200. Rejected, as RE2 rejects them: backreferences, lookaround, atomic groups,
//   possessive and nested repetition operators, \C, \Z. Unicode classes: general categories
//   (\pL, \p{Lu}, \p{N}, …), \p{Any} and the script \p{Han}; no other scripts. (?i) folds by
//   simple one-to-one case mappings (Swift's Unicode tables), which is close to RE2's folding.
// SEE ALSO
//   https://github.com/google/re2/wiki/Syntax; RegexTests.swift.

/// A compiled CEL regular expression. Immutable and safe to share between threads.
public struct CELRegex {
    /// The pattern text as given.
    public let pattern: String
    let program: RegexProgram

    /// RE2's limit on `{n,m}` counts.
    public static let maxRepeat = 1000
    /// Upper bound on compiled instructions, so a hostile pattern is rejected rather than slow.
    public static let maxProgramSize = 10_000
    /// Upper bound on nested groups and operators (the parser and compiler recurse on it).
    public static let maxNesting = 200

    /// Compiles an RE2-syntax pattern.
    /// - Throws: `CELRegexError` naming the column of the offending construct.
    public static func compile(_ pattern: String) throws -> CELRegex {
        var parser = RegexParser(pattern: pattern)
        let tree = try parser.parse()
        let size = tree.programSize
        guard size <= maxProgramSize else {
            throw CELRegexError(pattern: pattern, column: 1, message: "expression too large (\(size > Int.max / 4 ? "overflow" : String(size)) instructions; the limit is \(maxProgramSize))")
        }
        return CELRegex(pattern: pattern, program: RegexProgram(tree))
    }

    /// Whether any substring of `s` matches (the whole string if the pattern is anchored).
    public func matches(_ s: String) -> Bool {
        program.search(Array(s.unicodeScalars.lazy.map { $0.value })).matched
    }
}

/// A pattern CEL cannot compile: where (1-based column in Unicode scalars) and why.
public struct CELRegexError: Error, CustomStringConvertible, Equatable {
    public let pattern: String
    public let column: Int
    public let message: String

    public init(pattern: String, column: Int, message: String) {
        self.pattern = pattern; self.column = column; self.message = message
    }

    public var description: String {
        let shown = pattern.unicodeScalars.count > 80 ? String(String.UnicodeScalarView(pattern.unicodeScalars.prefix(77))) + "..." : pattern
        return "invalid regular expression `\(shown)` at column \(column): \(message)"
    }
}
