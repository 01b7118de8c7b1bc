// Extensions: CEL's optional function libraries as ordinary declarations a host adds to an
// Environment (cel-go's ext package): `Extensions.strings` (charAt, indexOf, lastIndexOf,
// lowerAscii, upperAscii, replace, split, substring, trim, join, reverse, format,
// strings.quote) and `Extensions.math` (math.greatest/least, abs, sign, ceil, floor, round,
// trunc, isNaN, isInf, isFinite, bit operations).
//
// DESCRIPTION
//   Each library is a list of `FunctionDecl`s: signatures the checker resolves calls
//   against, and Swift implementations the planner binds. String functions are member
//   calls (`s.charAt(1)`); math functions are global calls with a namespaced name
//   (`math.greatest(a, b)`, parsed as a call on `math` and resolved by the checker).
// TRUST
//   Arguments are run-time values from records and rules: any value, of any type.
// DIAGNOSTICS
//   Failures are `.error(EvalError(...))` values, never traps: "no such overload" for a
//   wrong argument type, "index out of range: N", "invalid substring range...", "overflow".
// LIMITS
//   Indexes count Unicode code points (not UTF-16 units, not bytes), as cel-go's do.
//   math.greatest/least take 1 to 8 arguments or one list; with 3 or more arguments the
//   checker accepts any types, and a non-number is an error at run time.
// SEE ALSO
//   cel-go ext/strings.go and ext/math.go; the `ext` tier of the conformance subset.

public enum Extensions {
    /// Every extension library.
    public static var all: [FunctionDecl] { strings + math + encoders }

    static func noSuchOverload(_ function: String) -> Value {
        .error(EvalError("no such overload: \(function)"))
    }

    /// The first error among `args`, so an error argument comes back unchanged.
    static func firstError(_ args: [Value]) -> Value? {
        for a in args { if case .error = a { return a } }
        return nil
    }
}
