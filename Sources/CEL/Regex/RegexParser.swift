// RegexParser: RE2 pattern text → RegexNode tree, with RE2's errors for what RE2 rejects.

/// A parsed pattern. Groups vanish (nothing is captured) and lazy marks are dropped
/// (only whether a match exists is computed).
indirect enum RegexNode: Equatable {
    case empty
    case scalar(UInt32)
    case set(RegexCharSet)
    case assertion(RegexAssertion)
    case concat([RegexNode])
    case alternation([RegexNode])
    /// `max == nil` is unbounded.
    case repetition(RegexNode, min: Int, max: Int?)

    /// Instructions `RegexProgram` will emit for this node (saturating, so a hostile
    /// nesting of counted repetitions is measured before anything is expanded).
    var programSize: Int {
        func add(_ a: Int, _ b: Int) -> Int { a > Int.max / 2 || b > Int.max / 2 ? Int.max / 2 : a + b }
        func mul(_ a: Int, _ b: Int) -> Int { a != 0 && b > (Int.max / 2) / a ? Int.max / 2 : a * b }
        switch self {
        case .empty: return 0
        case .scalar, .set, .assertion: return 1
        case .concat(let xs): return xs.reduce(0) { add($0, $1.programSize) }
        case .alternation(let xs): return xs.reduce(2 * (xs.count - 1)) { add($0, $1.programSize) }
        case .repetition(let x, let min, let max):
            let s = x.programSize
            guard let max = max else { return min == 0 ? add(s, 2) : add(mul(min, s), 1) }
            return add(mul(min, s), mul(max - min, add(s, 1)))
        }
    }
}

/// Zero-width assertions.
enum RegexAssertion: Equatable {
    case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary
}

struct RegexParser {
    let pattern: String
    private let text: [Unicode.Scalar]
    private var pos = 0
    private var depth = 0
    private var caseInsensitive = false
    private var multiLine = false
    private var dotAll = false
    private var groupNames: Set<String> = []

    init(pattern: String) {
        self.pattern = pattern
        self.text = Array(pattern.unicodeScalars)
    }

    mutating func parse() throws -> RegexNode {
        let node = try parseAlternation()
        if pos < text.count {
            // parseAlternation stops only at ')' or the end.
            throw error("unexpected ): unmatched closing parenthesis", at: pos)
        }
        return node
    }

    // MARK: - Errors

    private func error(_ message: String, at offset: Int) -> CELRegexError {
        CELRegexError(pattern: pattern, column: offset + 1, message: message)
    }

    private func snippet(_ from: Int, _ to: Int) -> String {
        let lo = max(0, min(from, text.count)), hi = max(lo, min(to, text.count))
        return String(String.UnicodeScalarView(text[lo..<hi]))
    }

    // MARK: - Structure

    private var atEnd: Bool { pos >= text.count }
    private func peek(_ k: Int = 0) -> Unicode.Scalar? { pos + k < text.count ? text[pos + k] : nil }

    private mutating func parseAlternation() throws -> RegexNode {
        depth += 1
        defer { depth -= 1 }
        if depth > CELRegex.maxNesting { throw error("expression nests more than \(CELRegex.maxNesting) deep", at: pos) }
        var branches = [try parseConcatenation()]
        while peek() == "|" {
            pos += 1
            branches.append(try parseConcatenation())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcatenation() throws -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek(), c != "|", c != ")" {
            let start = pos
            guard let atom = try parseAtom() else { continue }  // a flag group such as (?i)
            items.append(try parseRepetitions(of: atom, start: start))
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concat(items)
        }
    }

    /// `* + ? {n} {n,} {n,m}`, each optionally lazy (`?`); a second operator is an error, as in RE2.
    private mutating func parseRepetitions(of atom: RegexNode, start: Int) throws -> RegexNode {
        var node = atom
        var repeated = false
        while let c = peek() {
            let opStart = pos
            var bounds: (Int, Int?)
            switch c {
            case "*": bounds = (0, nil); pos += 1
            case "+": bounds = (1, nil); pos += 1
            case "?": bounds = (0, 1); pos += 1
            case "{":
                guard let b = try parseCount() else { return node }  // a literal '{'
                bounds = b
            default: return node
            }
            if repeated {
                throw error("invalid nested repetition operator: `\(snippet(start, pos))`", at: opStart)
            }
            if peek() == "?" { pos += 1 }  // lazy: irrelevant to whether a match exists
            repeated = true
            node = .repetition(node, min: bounds.0, max: bounds.1)
        }
        return node
    }

    /// Parses `{n}`, `{n,}` or `{n,m}` at `pos`; nil (pos unchanged) if the text is not a
    /// count, in which case RE2 reads `{` as a literal.
    private mutating func parseCount() throws -> (Int, Int?)? {
        let start = pos
        var i = pos + 1
        /// Decimal digits at i (capped so a long run cannot overflow); nil if there are none.
        func number() -> Int? {
            var v = 0, n = 0
            while i < text.count, text[i].value >= 48, text[i].value <= 57 {
                v = min(v * 10 + Int(text[i].value - 48), 100_000)
                n += 1
                i += 1
            }
            return n == 0 ? nil : v
        }
        guard let lo = number() else { return nil }
        var hi: Int? = lo
        if i < text.count, text[i] == "," {
            i += 1
            hi = number()  // nil: unbounded
        }
        guard i < text.count, text[i] == "}" else { return nil }
        i += 1
        pos = i
        if lo > CELRegex.maxRepeat || (hi ?? 0) > CELRegex.maxRepeat {
            throw error("invalid repeat count: `\(snippet(start, i))` (the limit is \(CELRegex.maxRepeat))", at: start)
        }
        if let h = hi, h < lo { throw error("invalid repeat count: `\(snippet(start, i))` (max below min)", at: start) }
        return (lo, hi)
    }

    // MARK: - Atoms

    /// One atom, or nil for a flag group `(?i)` that only changes the flags.
    private mutating func parseAtom() throws -> RegexNode? {
        let start = pos
        let c = text[pos]
        switch c {
        case "(":
            return try parseGroup()
        case "[":
            return .set(try parseClass())
        case ".":
            pos += 1
            return .set(dotAll ? RegexCharSet(ranges: [0...RegexCharSet.maxScalar]) : RegexCharSet(ranges: [0...9, 11...RegexCharSet.maxScalar]))
        case "^":
            pos += 1
            return .assertion(multiLine ? .beginLine : .beginText)
        case "$":
            pos += 1
            return .assertion(multiLine ? .endLine : .endText)
        case "\\":
            return try parseEscape()
        case "*", "+", "?":
            throw error("missing argument to repetition operator: `\(c)`", at: start)
        case "{":
            if try parseCount() != nil {
                throw error("missing argument to repetition operator: `\(snippet(start, pos))`", at: start)
            }
            pos += 1
            return literal(c.value)
        default:
            pos += 1
            return literal(c.value)
        }
    }

    private func literal(_ c: UInt32) -> RegexNode {
        guard caseInsensitive else { return .scalar(c) }
        var set = RegexCharSet(ranges: [c...c])
        set.foldCase()
        return set.ranges == [c...c] ? .scalar(c) : .set(set)
    }

    private mutating func parseGroup() throws -> RegexNode? {
        let open = pos
        pos += 1
        let saved = (caseInsensitive, multiLine, dotAll)
        if peek() == "?" {
            let a = peek(1), b = peek(2)
            if (a == "P" && b == "<") || (a == "<" && b != "=" && b != "!") {
                pos += a == "P" ? 3 : 2
                try parseGroupName(open: open)
            } else if a == "P" && (b == "=" || b == ">") {
                throw error("backreferences are not supported: `\(snippet(open, open + 4))`", at: open)
            } else if a == "=" || a == "!" || a == "<" {
                throw error("lookaround assertions are not supported (RE2 syntax): `\(snippet(open, open + 4))`", at: open)
            } else if a == ">" {
                throw error("atomic groups are not supported (RE2 syntax): `(?>`", at: open)
            } else {
                pos += 1
                // Flags: (?i) (?-s) (?im-s) alone change the rest of the enclosing group;
                // (?i:re) applies to re only.
                var negate = false, sawFlag = false, sawNegation = false
                while let f = peek() {
                    pos += 1
                    switch f {
                    case "i": caseInsensitive = !negate; sawFlag = true
                    case "m": multiLine = !negate; sawFlag = true
                    case "s": dotAll = !negate; sawFlag = true
                    case "U": sawFlag = true  // ungreedy: irrelevant to whether a match exists
                    case "-":
                        if sawNegation { throw error("invalid or unsupported Perl syntax: `\(snippet(open, pos))`", at: open) }
                        negate = true; sawNegation = true; sawFlag = false
                    case ")", ":":
                        // As in Go and RE2: `(?)` and `(?:` are fine, a `-` must be followed by a flag.
                        if sawNegation && !sawFlag { throw error("invalid or unsupported Perl syntax: `\(snippet(open, pos))`", at: open) }
                        if f == ")" { return nil }
                        let inner = try parseAlternation()
                        try closeGroup(open: open)
                        (caseInsensitive, multiLine, dotAll) = saved
                        return inner
                    default:
                        throw error("invalid or unsupported Perl syntax: `\(snippet(open, pos))`", at: open)
                    }
                }
                throw error("missing closing ): `\(snippet(open, pos))`", at: open)
            }
        }
        let inner = try parseAlternation()
        try closeGroup(open: open)
        (caseInsensitive, multiLine, dotAll) = saved
        return inner
    }

    private mutating func closeGroup(open: Int) throws {
        guard peek() == ")" else { throw error("missing closing ): `\(snippet(open, min(pos, open + 20)))`", at: open) }
        pos += 1
    }

    /// After `(?P<` or `(?<`: a name of word characters, then `>`.
    private mutating func parseGroupName(open: Int) throws {
        let nameStart = pos
        while let c = peek(), c != ">" {
            guard c.isASCII, RegexCharSet.isWord(c.value) else {
                throw error("invalid named capture: `\(snippet(open, pos + 1))`", at: open)
            }
            pos += 1
        }
        guard peek() == ">", pos > nameStart else { throw error("invalid named capture: `\(snippet(open, pos + 1))`", at: open) }
        let name = snippet(nameStart, pos)
        pos += 1
        guard groupNames.insert(name).inserted else { throw error("duplicate capture group name: `\(name)`", at: open) }
    }

    // MARK: - Escapes

    /// A backslash sequence outside a class.
    private mutating func parseEscape() throws -> RegexNode {
        let start = pos
        guard let c = peek(1) else { throw error("trailing backslash at end of expression", at: start) }
        switch c {
        case "A": pos += 2; return .assertion(.beginText)
        case "z": pos += 2; return .assertion(.endText)
        case "b": pos += 2; return .assertion(.wordBoundary)
        case "B": pos += 2; return .assertion(.notWordBoundary)
        case "Q":
            // \Q...\E: literal text.
            pos += 2
            var items: [RegexNode] = []
            while let d = peek() {
                if d == "\\", peek(1) == "E" { pos += 2; break }
                if d == "\\", peek(1) == "\\" { pos += 1 }
                items.append(literal(text[pos].value))
                pos += 1
            }
            return items.count == 1 ? items[0] : .concat(items)
        default:
            if let set = try parseClassEscape() { return .set(set) }
            return literal(try parseSingleEscape())
        }
    }

    /// `\d \D \s \S \w \W \pL \p{Name} \PL \P{Name} \p{^Name}` at pos; nil if the escape is not one.
    private mutating func parseClassEscape() throws -> RegexCharSet? {
        let start = pos
        guard let c = peek(1) else { return nil }
        if let (base, negated) = RegexCharSet.perl(c) {
            pos += 2
            var set = base
            if caseInsensitive { set.foldCase() }
            return negated ? set.complementedRanges() : set
        }
        guard c == "p" || c == "P" else { return nil }
        pos += 2
        var name: String
        if peek() == "{" {
            let nameStart = pos + 1
            guard let close = text[nameStart...].firstIndex(of: "}") else {
                throw error("invalid character class range: `\(snippet(start, text.count))`", at: start)
            }
            name = snippet(nameStart, close)
            pos = close + 1
        } else if let n = peek() {
            name = String(n)
            pos += 1
        } else {
            throw error("invalid character class range: `\(snippet(start, pos))`", at: start)
        }
        var negated = c == "P"
        if name.hasPrefix("^") { negated.toggle(); name.removeFirst() }
        guard let property = UnicodeClass(name: name) else {
            throw error("invalid character class range: `\(snippet(start, pos))` (supported: general categories such as L, Lu, N, Nd, P, S, Z, C; Any; Han)", at: start)
        }
        var set = RegexCharSet()
        set.properties = [(property, negated)]
        return set
    }

    /// A backslash sequence standing for one scalar: `\n`, `\x41`, `\x{10FFFF}`, `\012`, `\.`.
    private mutating func parseSingleEscape() throws -> UInt32 {
        let start = pos
        pos += 1
        guard let c = peek() else { throw error("trailing backslash at end of expression", at: start) }
        pos += 1
        switch c {
        case "a": return 7
        case "f": return 12
        case "t": return 9
        case "n": return 10
        case "r": return 13
        case "v": return 11
        case "0"..."7":
            // RE2: \1-\7 alone would be a backreference; with a following octal digit, or
            // after \0, up to three octal digits form a code.
            if c != "0", !(peek().map { ("0"..."7").contains($0) } ?? false) {
                throw error("backreferences are not supported: `\(snippet(start, pos))`", at: start)
            }
            var v = c.value - 48
            for _ in 0..<2 {
                guard let d = peek(), ("0"..."7").contains(d) else { break }
                v = v * 8 + (d.value - 48)
                pos += 1
            }
            return v
        case "8", "9":
            throw error("backreferences are not supported: `\(snippet(start, pos))`", at: start)
        case "x":
            if peek() == "{" {
                pos += 1
                var v: UInt32 = 0, n = 0
                while let d = peek(), let h = d.hexValue {
                    v = min(v * 16 + h, 0x110000)
                    n += 1
                    pos += 1
                }
                guard n > 0, peek() == "}", v <= RegexCharSet.maxScalar else {
                    throw error("invalid escape sequence: `\(snippet(start, pos + 1))`", at: start)
                }
                pos += 1
                return v
            }
            guard let h1 = peek()?.hexValue, let h2 = peek(1)?.hexValue else {
                throw error("invalid escape sequence: `\(snippet(start, pos + 2))`", at: start)
            }
            pos += 2
            return h1 * 16 + h2
        case "C":
            throw error("\\C (any byte) is not supported", at: start)
        case "Z":
            throw error("\\Z is not supported (RE2 syntax; use \\z)", at: start)
        default:
            // Any ASCII punctuation may be escaped; letters and other escapes are errors, so
            // that a Perl or PCRE feature RE2 lacks is reported rather than misread.
            if c.isASCII, !RegexCharSet.isWord(c.value), c.value > 0x20, c.value < 0x7F {
                return c.value
            }
            throw error("invalid escape sequence: `\(snippet(start, pos))`", at: start)
        }
    }

    // MARK: - Classes

    /// `[...]`, `[^...]`, with ranges, escapes, `[:alpha:]`; folded under (?i) before negation.
    private mutating func parseClass() throws -> RegexCharSet {
        let open = pos
        pos += 1
        var negated = false
        if peek() == "^" { negated = true; pos += 1 }
        var set = RegexCharSet()
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while true {
            guard let c = peek() else { throw error("missing closing ]: `\(snippet(open, pos))`", at: open) }
            if c == "]", !first { pos += 1; break }
            first = false
            let itemStart = pos
            if c == "[", peek(1) == ":" {
                // [:name:] or [:^name:]
                if let end = findPosixEnd(from: pos + 2) {
                    var name = snippet(pos + 2, end)
                    let neg = name.hasPrefix("^")
                    if neg { name.removeFirst() }
                    guard let p = RegexCharSet.posix(name) else {
                        throw error("invalid character class range: `\(snippet(pos, end + 2))`", at: pos)
                    }
                    set.add(neg ? p.complementedRanges() : p)
                    pos = end + 2
                    continue
                }
            }
            if c == "\\", let s = try parseClassEscape() {
                if peek() == "-", peek(1) != "]", peek(1) != nil {
                    throw error("invalid character class range: `\(snippet(itemStart, pos + 2))`", at: itemStart)
                }
                set.add(s)
                continue
            }
            let lo = try classScalar()
            var hi = lo
            if peek() == "-", let next = peek(1), next != "]" {
                pos += 1
                if next == "\\", let n2 = peek(1), RegexCharSet.perl(n2) != nil || n2 == "p" || n2 == "P" {
                    throw error("invalid character class range: `\(snippet(itemStart, pos + 2))`", at: itemStart)
                }
                hi = try classScalar()
                if hi < lo { throw error("invalid character class range: `\(snippet(itemStart, pos))`", at: itemStart) }
            }
            ranges.append(lo...hi)
        }
        set.add(RegexCharSet(ranges: ranges))
        if caseInsensitive { set.foldCase() }
        set.negated = negated
        return set
    }

    private func findPosixEnd(from: Int) -> Int? {
        var i = from
        while i + 1 < text.count {
            if text[i] == ":", text[i + 1] == "]" { return i }
            if text[i] == "]" { return nil }
            i += 1
        }
        return nil
    }

    private mutating func classScalar() throws -> UInt32 {
        let c = text[pos]
        if c == "\\" { return try parseSingleEscape() }
        pos += 1
        return c.value
    }
}

private extension Unicode.Scalar {
    var hexValue: UInt32? {
        switch value {
        case 0x30...0x39: return value - 0x30
        case 0x41...0x46: return value - 0x41 + 10
        case 0x61...0x66: return value - 0x61 + 10
        default: return nil
        }
    }
}
