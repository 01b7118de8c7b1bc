// The strings extension (cel-go ext/strings.go): member functions on strings, plus
// `strings.quote` and `list.join`. All positions are in Unicode code points.

extension Extensions {
    public static let strings: [FunctionDecl] = [
        member("charAt", [("string_char_at_int", [.string, .int], .string)]) { a in
            guard case .string(let s) = a[0], case .int(let i) = a[1] else { return nil }
            let v = s.unicodeScalars
            guard i >= 0, let at = v.index(v.startIndex, offsetBy: Int(clamping: i), limitedBy: v.endIndex) else { return outOfRange(i) }
            return .string(at == v.endIndex ? "" : String(v[at]))
        },
        member("indexOf", [("string_index_of_string", [.string, .string], .int),
                           ("string_index_of_string_int", [.string, .string, .int], .int)]) { a in
            guard case .string(let s) = a[0], case .string(let sub) = a[1] else { return nil }
            let cs = Array(s.unicodeScalars), subs = Array(sub.unicodeScalars)
            var start = 0
            if a.count == 3 {
                guard case .int(let off) = a[2] else { return nil }
                // cel-go: an empty substring is found at any offset; otherwise the offset
                // must index a code point.
                if subs.isEmpty { return .int(off) }
                guard off >= 0, off < cs.count else { return outOfRange(off) }
                start = Int(off)
            }
            if subs.isEmpty { return .int(0) }
            var i = start
            while i + subs.count <= cs.count {
                if cs[i..<(i + subs.count)].elementsEqual(subs) { return .int(Int64(i)) }
                i += 1
            }
            return .int(-1)
        },
        member("lastIndexOf", [("string_last_index_of_string", [.string, .string], .int),
                               ("string_last_index_of_string_int", [.string, .string, .int], .int)]) { a in
            guard case .string(let s) = a[0], case .string(let sub) = a[1] else { return nil }
            let cs = Array(s.unicodeScalars), subs = Array(sub.unicodeScalars)
            var last = cs.count
            if a.count == 3 {
                guard case .int(let off) = a[2] else { return nil }
                if subs.isEmpty { return .int(off) }
                guard off >= 0, off < cs.count else { return outOfRange(off) }
                last = Int(off)
            }
            if subs.isEmpty { return .int(Int64(last)) }
            var i = min(last, cs.count - subs.count)
            while i >= 0 {
                if cs[i..<(i + subs.count)].elementsEqual(subs) { return .int(Int64(i)) }
                i -= 1
            }
            return .int(-1)
        },
        member("lowerAscii", [("string_lower_ascii", [.string], .string)]) { a in
            guard case .string(let s) = a[0] else { return nil }
            return .string(flipASCIICase(s, from: UInt8(ascii: "A"), through: UInt8(ascii: "Z")))
        },
        member("upperAscii", [("string_upper_ascii", [.string], .string)]) { a in
            guard case .string(let s) = a[0] else { return nil }
            return .string(flipASCIICase(s, from: UInt8(ascii: "a"), through: UInt8(ascii: "z")))
        },
        member("replace", [("string_replace_string_string", [.string, .string, .string], .string),
                           ("string_replace_string_string_int", [.string, .string, .string, .int], .string)]) { a in
            guard case .string(let s) = a[0], case .string(let old) = a[1], case .string(let new) = a[2] else { return nil }
            var limit = -1
            if a.count == 4 {
                guard case .int(let n) = a[3] else { return nil }
                limit = n < 0 ? -1 : Int(clamping: n)
            }
            return .string(replace(s, old, new, limit: limit))
        },
        member("split", [("string_split_string", [.string, .string], .list(.string)),
                         ("string_split_string_int", [.string, .string, .int], .list(.string))]) { a in
            guard case .string(let s) = a[0], case .string(let sep) = a[1] else { return nil }
            var limit = -1
            if a.count == 3 {
                guard case .int(let n) = a[2] else { return nil }
                limit = n < 0 ? -1 : Int(clamping: n)
            }
            return .list(split(s, sep, limit: limit).map { .string($0) })
        },
        member("substring", [("string_substring_int", [.string, .int], .string),
                             ("string_substring_int_int", [.string, .int, .int], .string)]) { a in
            guard case .string(let s) = a[0], case .int(let start) = a[1] else { return nil }
            // Index the string's own scalars and copy the slice once: no scalar array, no
            // scalar-by-scalar building (this runs per record in the station's date rules).
            var end: Int64?
            if a.count == 3 {
                guard case .int(let e) = a[2] else { return nil }
                end = e
            }
            let v = s.unicodeScalars
            guard start >= 0, let lo = v.index(v.startIndex, offsetBy: Int(clamping: start), limitedBy: v.endIndex) else {
                return outOfRange(start)
            }
            guard let end else { return .string(String(v[lo...])) }
            guard end >= 0 else { return outOfRange(end) }
            // end < start <= count: end is in range, the range is not.
            guard start <= end else { return .error(EvalError("invalid substring range. start: \(start), end: \(end)")) }
            guard let hi = v.index(lo, offsetBy: Int(clamping: end - start), limitedBy: v.endIndex) else { return outOfRange(end) }
            return .string(String(v[lo..<hi]))
        },
        member("trim", [("string_trim", [.string], .string)]) { a in
            guard case .string(let s) = a[0] else { return nil }
            let cs = Array(s.unicodeScalars)
            // Unicode White_Space, the set Go's unicode.IsSpace (and so cel-go) trims.
            guard let first = cs.firstIndex(where: { !$0.properties.isWhitespace }),
                  let last = cs.lastIndex(where: { !$0.properties.isWhitespace }) else { return .string("") }
            return .string(string(cs[first...last]))
        },
        member("join", [("list_join", [.list(.string)], .string),
                        ("list_join_string", [.list(.string), .string], .string)]) { a in
            guard case .list(let items) = a[0] else { return nil }
            var separator = ""
            if a.count == 2 {
                guard case .string(let sep) = a[1] else { return nil }
                separator = sep
            }
            var parts: [String] = []
            for item in items {
                guard case .string(let p) = item else { return nil }
                parts.append(p)
            }
            return .string(parts.joined(separator: separator))
        },
        member("reverse", [("string_reverse", [.string], .string)]) { a in
            guard case .string(let s) = a[0] else { return nil }
            return .string(string(Array(s.unicodeScalars).reversed()))
        },
        member("format", [("string_format", [.string, .list(.dyn)], .string)]) { a in
            guard case .string(let f) = a[0], case .list(let args) = a[1] else { return nil }
            return StringFormat.format(f, args)
        },
        FunctionDecl(name: "strings.quote", overloads: [
            FunctionOverload(id: "strings_quote", parameters: [.string], result: .string, implementation: .unary { v in
                if case .error = v { return v }
                guard case .string(let s) = v else { return noSuchOverload("strings.quote") }
                return .string(quote(s))
            }),
        ]),
    ]

    /// A member function whose overloads share one implementation; it returns nil for
    /// arguments of the wrong types ("no such overload").
    private static func member(_ name: String, _ overloads: [(String, [CELType], CELType)],
                               _ body: @escaping ([Value]) -> Value?) -> FunctionDecl {
        let run: ([Value]) -> Value = { args in
            if let e = firstError(args) { return e }
            return body(args) ?? noSuchOverload(name)
        }
        return FunctionDecl(name: name, overloads: overloads.map { id, params, result in
            let impl: FunctionOverload.Implementation
            switch params.count {
            case 1: impl = .unary { run([$0]) }
            case 2: impl = .binary { run([$0, $1]) }
            default: impl = .nary(run)
            }
            return FunctionOverload(id: id, isMember: true, parameters: params, result: result, implementation: impl)
        })
    }

    private static func outOfRange(_ i: Int64) -> Value { .error(EvalError("index out of range: \(i)")) }

    private static func string<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: scalars)
        return String(v)
    }

    /// `s` with the ASCII letters in `from...through` switched to the other case, byte by byte
    /// on UTF-8: bytes of a multi-byte code point are all >= 0x80, so no other code point
    /// changes. A string with nothing to change is returned as is (no copy).
    private static func flipASCIICase(_ s: String, from: UInt8, through: UInt8) -> String {
        guard s.utf8.contains(where: { $0 >= from && $0 <= through }) else { return s }
        return String(decoding: s.utf8.map { $0 >= from && $0 <= through ? $0 ^ 0x20 : $0 }, as: UTF8.self)
    }

    /// Go's strings.Replace over code points: at most `limit` replacements (all if negative);
    /// an empty `old` matches before every code point and at the end.
    static func replace(_ s: String, _ old: String, _ new: String, limit: Int) -> String {
        let cs = Array(s.unicodeScalars), olds = Array(old.unicodeScalars), news = Array(new.unicodeScalars)
        var out: [Unicode.Scalar] = []
        var done = 0, i = 0
        while i <= cs.count {
            if limit >= 0 && done >= limit { out += cs[i...]; break }
            if olds.isEmpty {
                out += news
                done += 1
                if i < cs.count { out.append(cs[i]) }
                i += 1
            } else if i + olds.count <= cs.count, cs[i..<(i + olds.count)].elementsEqual(olds) {
                out += news
                done += 1
                i += olds.count
            } else {
                if i < cs.count { out.append(cs[i]) }
                i += 1
            }
        }
        return string(out)
    }

    /// Go's strings.SplitN over code points: `limit` 0 gives no pieces, negative all pieces;
    /// an empty separator splits into single code points.
    static func split(_ s: String, _ sep: String, limit: Int) -> [String] {
        if limit == 0 { return [] }
        let cs = Array(s.unicodeScalars), seps = Array(sep.unicodeScalars)
        var pieces: [String] = []
        if seps.isEmpty {
            for (i, c) in cs.enumerated() {
                if limit > 0 && pieces.count == limit - 1 { pieces.append(string(cs[i...])); return pieces }
                pieces.append(String(c))
            }
            return pieces
        }
        var start = 0, i = 0
        while i + seps.count <= cs.count {
            if limit > 0 && pieces.count == limit - 1 { break }
            if cs[i..<(i + seps.count)].elementsEqual(seps) {
                pieces.append(string(cs[start..<i]))
                i += seps.count
                start = i
            } else {
                i += 1
            }
        }
        pieces.append(string(cs[start...]))
        return pieces
    }

    /// A double-quoted CEL string literal for `s` (cel-go's strings.quote).
    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
