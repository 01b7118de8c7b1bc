// StringFormat: `"...".format([args])` of the strings extension (cel-go ext/formatting.go):
// clauses %s %d %f %e %b %o %x %X and %%, with an optional precision (`%.3f`).

import Foundation

enum StringFormat {
    /// The formatted text, its pieces paid for as they are appended (the template itself
    /// is the receiver, charged by the caller): a `%s` of a value that shares structure
    /// would otherwise spell out 2^n nodes (see `Cost.walk`).
    static func format(_ template: String, _ args: [Value], budget: inout Int) -> Value {
        Cost.walk(&budget) { format(template, args, allowance: &$0) } ?? Program.budgetExceeded
    }

    /// nil once `allowance` is spent.
    private static func format(_ template: String, _ args: [Value], allowance: inout Int) -> Value? {
        let cs = Array(template.unicodeScalars)
        var out = ""
        var i = 0, next = 0
        while i < cs.count {
            let c = cs[i]
            i += 1
            guard c == "%" else { out.unicodeScalars.append(c); continue }
            guard i < cs.count else { return clauseError("end of string") }
            if cs[i] == "%" { out += "%"; i += 1; continue }
            var precision: Int?
            if cs[i] == "." {
                i += 1
                var digits = 0, p = 0
                while i < cs.count, let d = Int(String(cs[i])), cs[i].isASCII {
                    p = min(p * 10 + d, 1000)
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { return clauseError("missing precision") }
                precision = p
            }
            guard i < cs.count else { return clauseError("end of string") }
            let verb = cs[i]
            i += 1
            guard "sdfebxXo".unicodeScalars.contains(verb) else {
                return clauseError("unrecognized formatting clause \"\(verb)\"")
            }
            guard next < args.count else { return .error(EvalError("index \(next) out of range")) }
            let arg = args[next]
            next += 1
            if case .error = arg { return arg }
            let piece: String?
            switch verb {
            case "s": piece = text(arg, allowance: &allowance, nested: false)
            case "d": piece = decimal(arg)
            case "f": piece = floating(arg, "f", precision ?? 6)
            case "e": piece = floating(arg, "e", precision ?? 6)
            case "b": piece = radix(arg, 2, allowBool: true)
            case "o": piece = radix(arg, 8, allowBool: false)
            default: piece = hex(arg, upper: verb == "X")
            }
            if allowance < 0 { return nil }
            guard let p = piece else { return formattingError(verb) }
            // `%s` paid for its text as it built it; the numeric clauses' text is short.
            if verb != "s" { allowance -= p.utf8.count; if allowance < 0 { return nil } }
            out += p
        }
        return .string(out)
    }

    private static func clauseError(_ detail: String) -> Value {
        .error(EvalError("could not parse formatting clause: \(detail)"))
    }

    private static func formattingError(_ verb: Unicode.Scalar) -> Value {
        let what: String
        switch verb {
        case "d": what = "decimal clause can only be used on integers, was given a non-integer"
        case "f": what = "fixed-point clause can only be used on doubles and integers"
        case "e": what = "scientific clause can only be used on doubles and integers"
        case "b": what = "only integers and bools can be formatted as binary"
        case "o": what = "octal clause can only be used on integers"
        default: what = "only integers, byte buffers, and strings can be formatted as hex"
        }
        return .error(EvalError("error during formatting: \(what)"))
    }

    private static func special(_ d: Double) -> String? {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
        return nil
    }

    /// The `%s` text of a value; lists and maps recursively, map entries sorted by key text.
    /// Spends `allowance` per byte of text and `Cost.containerWeight` per `nested` list or
    /// map; nil when the value cannot be formatted or (with `allowance` below zero) once
    /// it is spent.
    static func text(_ v: Value, allowance: inout Int, nested: Bool) -> String? {
        let scalar: String
        switch v {
        case .null: scalar = "null"
        case .bool(let b): scalar = b ? "true" : "false"
        case .int(let i): scalar = String(i)
        case .uint(let u): scalar = String(u)
        case .double(let d): scalar = doubleText(d)
        case .string(let s): scalar = s
        case .bytes(let b):
            // Charged before decoding: the bytes may be large.
            allowance -= b.count
            return allowance < 0 ? nil : String(decoding: b, as: UTF8.self)
        case .timestamp(let t): scalar = CELTime.format(t)
        case .duration(let d): scalar = CELTime.format(d)
        case .type(let t): scalar = TaggedValue.typeName(t)
        case .list(let items):
            // Brackets and ", " separators: two bytes an item.
            allowance -= (nested ? Cost.containerWeight : 0) + 2 * items.count + 2
            if allowance < 0 { return nil }
            var parts: [String] = []
            for item in items {
                guard let p = text(item, allowance: &allowance, nested: true) else { return nil }
                parts.append(p)
            }
            return "[" + parts.joined(separator: ", ") + "]"
        case .map(let m):
            allowance -= (nested ? Cost.containerWeight : 0) + 4 * m.count + 2
            if allowance < 0 { return nil }
            var parts: [(String, String)] = []
            for (k, val) in m.entries {
                guard let ks = text(k, allowance: &allowance, nested: true),
                      let vs = text(val, allowance: &allowance, nested: true) else { return nil }
                parts.append((ks, vs))
            }
            return "{" + parts.sorted { $0.0 < $1.0 }.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"
        case .optional, .object, .error: return nil
        }
        allowance -= scalar.utf8.count
        return allowance < 0 ? nil : scalar
    }

    /// Doubles as `string(double)` writes them, except that the formatter spells the
    /// non-finite ones `NaN`, `Infinity`, `-Infinity` (cel-go's ext/formatting.go).
    static func doubleText(_ d: Double) -> String {
        special(d) ?? formatDouble(d)
    }

    private static func decimal(_ v: Value) -> String? {
        switch v {
        case .int(let i): return String(i)
        case .uint(let u): return String(u)
        case .double(let d): return special(d)
        default: return nil
        }
    }

    private static func floating(_ v: Value, _ style: String, _ precision: Int) -> String? {
        let d: Double
        switch v {
        case .int(let i): d = Double(i)
        case .uint(let u): d = Double(u)
        case .double(let x): d = x
        default: return nil
        }
        if let s = special(d) { return s }
        return String(format: "%.\(precision)\(style)", d)
    }

    private static func radix(_ v: Value, _ base: Int, allowBool: Bool) -> String? {
        switch v {
        case .int(let i): return String(i, radix: base)
        case .uint(let u): return String(u, radix: base)
        case .bool(let b) where allowBool: return b ? "1" : "0"
        default: return nil
        }
    }

    private static func hex(_ v: Value, upper: Bool) -> String? {
        let s: String
        switch v {
        case .int(let i): s = String(i, radix: 16)
        case .uint(let u): s = String(u, radix: 16)
        case .string(let str): s = Array(str.utf8).map { byteHex($0) }.joined()
        case .bytes(let b): s = b.map { byteHex($0) }.joined()
        default: return nil
        }
        return upper ? s.uppercased() : s
    }

    private static func byteHex(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
    }
}
