// The strings extension (cel-go ext/strings.go): member functions on strings, plus
// `strings.quote` and `list.join`. All positions are in Unicode code points.

extension Extensions {
    public static let strings: [FunctionDecl] = [
        member("charAt", [("string_char_at_int", [.string, .int], .string)]) { a, _ in
            guard case .string(let s) = a[0], case .int(let i) = a[1] else { return nil }
            let v = s.unicodeScalars
            guard i >= 0, let at = v.index(v.startIndex, offsetBy: Int(clamping: i), limitedBy: v.endIndex) else { return outOfRange(i) }
            return .string(at == v.endIndex ? "" : String(v[at]))
        },
        member("indexOf", [("string_index_of_string", [.string, .string], .int),
                           ("string_index_of_string_int", [.string, .string, .int], .int)]) { a, _ in
            guard case .string(let s) = a[0], case .string(let sub) = a[1] else { return nil }
            var offset: Int64?
            if a.count == 3 {
                guard case .int(let off) = a[2] else { return nil }
                offset = off
            }
            return indexOf(s, sub, from: offset)
        },
        member("lastIndexOf", [("string_last_index_of_string", [.string, .string], .int),
                               ("string_last_index_of_string_int", [.string, .string, .int], .int)]) { a, _ in
            guard case .string(let s) = a[0], case .string(let sub) = a[1] else { return nil }
            var offset: Int64?
            if a.count == 3 {
                guard case .int(let off) = a[2] else { return nil }
                offset = off
            }
            return lastIndexOf(s, sub, atOrBefore: offset)
        },
        member("lowerAscii", [("string_lower_ascii", [.string], .string)]) { a, _ in
            guard case .string(let s) = a[0] else { return nil }
            return .string(flipASCIICase(s, from: UInt8(ascii: "A"), through: UInt8(ascii: "Z")))
        },
        member("upperAscii", [("string_upper_ascii", [.string], .string)]) { a, _ in
            guard case .string(let s) = a[0] else { return nil }
            return .string(flipASCIICase(s, from: UInt8(ascii: "a"), through: UInt8(ascii: "z")))
        },
        member("replace", [("string_replace_string_string", [.string, .string, .string], .string),
                           ("string_replace_string_string_int", [.string, .string, .string, .int], .string)]) { a, budget in
            guard case .string(let s) = a[0], case .string(let old) = a[1], case .string(let new) = a[2] else { return nil }
            var limit = -1
            if a.count == 4 {
                guard case .int(let n) = a[3] else { return nil }
                limit = n < 0 ? -1 : Int(clamping: n)
            }
            return replace(s, old, new, limit: limit, budget: &budget).map(Value.string) ?? Program.budgetExceeded
        },
        member("split", [("string_split_string", [.string, .string], .list(.string)),
                         ("string_split_string_int", [.string, .string, .int], .list(.string))]) { a, budget in
            guard case .string(let s) = a[0], case .string(let sep) = a[1] else { return nil }
            var limit = -1
            if a.count == 3 {
                guard case .int(let n) = a[2] else { return nil }
                limit = n < 0 ? -1 : Int(clamping: n)
            }
            guard let pieces = split(s, sep, limit: limit, budget: &budget) else { return Program.budgetExceeded }
            return .list(pieces.map { .string($0) })
        },
        member("substring", [("string_substring_int", [.string, .int], .string),
                             ("string_substring_int_int", [.string, .int, .int], .string)]) { a, _ in
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
        member("trim", [("string_trim", [.string], .string)]) { a, _ in
            guard case .string(let s) = a[0] else { return nil }
            let cs = Array(s.unicodeScalars)
            // Unicode White_Space, the set Go's unicode.IsSpace (and so cel-go) trims.
            guard let first = cs.firstIndex(where: { !$0.properties.isWhitespace }),
                  let last = cs.lastIndex(where: { !$0.properties.isWhitespace }) else { return .string("") }
            return .string(string(cs[first...last]))
        },
        member("join", [("list_join", [.list(.string)], .string),
                        ("list_join_string", [.list(.string), .string], .string)]) { a, budget in
            guard case .list(let items) = a[0] else { return nil }
            var separator = ""
            if a.count == 2 {
                guard case .string(let sep) = a[1] else { return nil }
                separator = sep
            }
            var parts: [String] = []
            var size = 0
            for item in items {
                guard case .string(let p) = item else { return nil }
                parts.append(p)
                size += p.utf8.count
            }
            // Charge the whole result before building it: a long separator times many items.
            let (seps, overflow) = separator.utf8.count.multipliedReportingOverflow(by: max(0, parts.count - 1))
            guard !overflow, Cost.spend(size + seps, &budget) else { return Program.budgetExceeded }
            return .string(parts.joined(separator: separator))
        },
        member("reverse", [("string_reverse", [.string], .string)]) { a, _ in
            guard case .string(let s) = a[0] else { return nil }
            return .string(string(Array(s.unicodeScalars).reversed()))
        },
        member("format", [("string_format", [.string, .list(.dyn)], .string)]) { a, budget in
            guard case .string(let f) = a[0], case .list(let args) = a[1] else { return nil }
            // The template was charged as the receiver; the pieces are charged as they are
            // built (a `%s` of a value that shares structure can spell out 2^n nodes).
            return StringFormat.format(f, args, budget: &budget)
        },
        FunctionDecl(name: "strings.quote", overloads: [
            FunctionOverload(id: "strings_quote", parameters: [.string], result: .string, implementation: .unary { v in
                if case .error = v { return v }
                guard case .string(let s) = v else { return noSuchOverload("strings.quote") }
                return .string(quote(s))
            }),
        ]),
    ]

    /// A member function whose overloads share one metered implementation; `body` returns
    /// nil for arguments of the wrong types ("no such overload"). Every one of them reads its
    /// receiver at least once, so that scan is charged before `body` runs; a body that
    /// builds more than its receiver charges the result itself, before building it.
    private static func member(_ name: String, _ overloads: [(String, [CELType], CELType)],
                               _ body: @escaping ([Value], inout Int) -> Value?) -> FunctionDecl {
        let run: ([Value], inout Int) -> Value = { args, budget in
            if let e = firstError(args) { return e }
            let scanned: Int
            switch args.first {
            case .string(let s)?: scanned = s.utf8.count
            case .list(let l)?: scanned = l.count
            default: scanned = 0
            }
            guard Cost.spend(scanned, &budget) else { return Program.budgetExceeded }
            return body(args, &budget) ?? noSuchOverload(name)
        }
        return FunctionDecl(name: name, overloads: overloads.map { id, params, result in
            FunctionOverload(id: id, isMember: true, parameters: params, result: result, implementation: .metered(run))
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

    /// cel-go's indexOf: the code point index of the first `sub` at or after code point
    /// `offset`. An empty `sub` is found at the offset; otherwise the offset must index a
    /// code point. Linear: one KMP scan over the UTF-8 bytes.
    static func indexOf(_ s: String, _ sub: String, from offset: Int64?) -> Value {
        var contiguous = s
        return contiguous.withUTF8 { h in
            var startByte = 0
            if let off = offset {
                if sub.isEmpty { return .int(off) }
                guard off >= 0, let b = UTF8Position.byteOffset(h, ofCodePoint: Int(clamping: off)), b < h.count else {
                    return outOfRange(off)
                }
                startByte = b
            }
            if sub.isEmpty { return .int(0) }
            guard let at = TextSearch(Array(sub.utf8)).first(in: h, from: startByte) else { return .int(-1) }
            return .int((offset ?? 0) + Int64(UTF8Position.codePoints(h, from: startByte, to: at)))
        }
    }

    /// cel-go's lastIndexOf: the code point index of the last `sub` starting at or before
    /// code point `offset` (the end when nil). Linear: one overlapping KMP scan that keeps
    /// the last match.
    static func lastIndexOf(_ s: String, _ sub: String, atOrBefore offset: Int64?) -> Value {
        var contiguous = s
        return contiguous.withUTF8 { h in
            var limitByte = h.count
            if let off = offset {
                if sub.isEmpty { return .int(off) }
                guard off >= 0, let b = UTF8Position.byteOffset(h, ofCodePoint: Int(clamping: off)), b < h.count else {
                    return outOfRange(off)
                }
                limitByte = b
            }
            if sub.isEmpty { return .int(Int64(UTF8Position.codePoints(h, to: h.count))) }
            let needle = Array(sub.utf8)
            var last: Int?
            // A match starting at or before limitByte ends at or before limitByte + count.
            TextSearch(needle).scan(h, to: limitByte + needle.count, overlapping: true) { last = $0; return true }
            guard let last else { return .int(-1) }
            return .int(Int64(UTF8Position.codePoints(h, to: last)))
        }
    }

    /// Go's strings.Replace over code points: at most `limit` replacements (all if negative);
    /// an empty `old` matches before every code point and at the end. The matches are
    /// counted first (a linear scan), so the result's size is charged before it is built;
    /// nil when the budget cannot pay for it.
    static func replace(_ s: String, _ old: String, _ new: String, limit: Int, budget: inout Int) -> String? {
        var contiguous = s
        let newBytes = Array(new.utf8), oldCount = old.utf8.count
        return contiguous.withUTF8 { h -> String? in
            let search = TextSearch(Array(old.utf8))
            var count = 0
            if old.isEmpty {
                let slots = UTF8Position.codePoints(h, to: h.count) + 1
                count = limit < 0 ? slots : min(slots, limit)
            } else if limit != 0 {
                search.scan(h, overlapping: false) { _ in count += 1; return limit < 0 || count < limit }
            }
            if count == 0 { return s }
            let (grow, o1) = count.multipliedReportingOverflow(by: newBytes.count - oldCount)
            let (size, o2) = h.count.addingReportingOverflow(grow)
            guard !o1, !o2, Cost.spend(size, &budget) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(size)
            var done = 0
            if old.isEmpty {
                var i = 0
                while i < h.count {
                    if done < count { out += newBytes; done += 1 }
                    // Copy one code point: its lead byte, then its continuation bytes.
                    repeat { out.append(h[i]); i += 1 } while i < h.count && h[i] & 0xC0 == 0x80
                }
                if done < count { out += newBytes }
            } else {
                var copied = 0
                search.scan(h, overlapping: false) { at in
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: h[copied..<at]))
                    out += newBytes
                    copied = at + oldCount
                    done += 1
                    return done < count
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: h[copied...]))
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Go's strings.SplitN over code points: `limit` 0 gives no pieces, negative all pieces;
    /// an empty separator splits into single code points. The pieces are counted first and
    /// the list charged before it is built (their text is the receiver's, already charged);
    /// nil when the budget cannot pay for it.
    static func split(_ s: String, _ sep: String, limit: Int, budget: inout Int) -> [String]? {
        if limit == 0 { return [] }
        var contiguous = s
        return contiguous.withUTF8 { h -> [String]? in
            func text(_ from: Int, _ to: Int) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: h[from..<to]), as: UTF8.self)
            }
            var pieces: [String] = []
            if sep.isEmpty {
                let n = UTF8Position.codePoints(h, to: h.count)
                guard Cost.spend(limit > 0 ? min(n, limit) : n, &budget) else { return nil }
                var i = 0
                while i < h.count {
                    if limit > 0 && pieces.count == limit - 1 { pieces.append(text(i, h.count)); return pieces }
                    var j = i + 1
                    while j < h.count && h[j] & 0xC0 == 0x80 { j += 1 }
                    pieces.append(text(i, j))
                    i = j
                }
                return pieces
            }
            let search = TextSearch(Array(sep.utf8))
            let maxCuts = limit > 0 ? limit - 1 : Int.max
            var cuts = 0
            if maxCuts > 0 { search.scan(h, overlapping: false) { _ in cuts += 1; return cuts < maxCuts } }
            guard Cost.spend(cuts + 1, &budget) else { return nil }
            pieces.reserveCapacity(cuts + 1)
            var start = 0
            if cuts > 0 {
                search.scan(h, overlapping: false) { at in
                    pieces.append(text(start, at))
                    start = at + search.needle.count
                    return pieces.count < cuts
                }
            }
            pieces.append(text(start, h.count))
            return pieces
        }
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
