// Lexer: CEL source text → tokens with scalar offsets (langdef.md "Syntax", lexical rules).
// Literal text is decoded here (escapes, bases), so the parser sees finished values.

struct Token {
    enum Kind: Equatable {
        case ident(String)
        /// A backquoted field name (`a.\`b-c\``), only valid after `.`.
        case quotedIdent(String)
        case int(Int64)
        /// A decimal/hex int that only fits as the magnitude of a negative literal (9223372036854775808).
        case intMinMagnitude
        case uint(UInt64)
        case double(Double)
        case string(String)
        case bytes([UInt8])
        /// Punctuation and operators, spelled as in the source (`&&`, `.`, `?.` is two tokens).
        case punct(String)
        case eof
    }
    var kind: Kind
    var offset: Int
}

struct LexError: Error {
    var message: String
    var offset: Int
}

struct Lexer {
    let s: [Unicode.Scalar]
    var i = 0

    init(_ scalars: [Unicode.Scalar]) { s = scalars }

    static let reserved: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let",
        "loop", "package", "namespace", "return", "var", "void", "while",
    ]

    func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

    static func isDigit(_ c: Unicode.Scalar?) -> Bool { guard let c else { return false }; return c >= "0" && c <= "9" }
    static func isHex(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return isDigit(c) || (c >= "a" && c <= "f") || (c >= "A" && c <= "F")
    }
    static func isIdentStart(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z")
    }
    static func hexValue(_ c: Unicode.Scalar) -> UInt32 {
        switch c {
        case "0"..."9": return c.value - 48
        case "a"..."f": return c.value - 87
        default: return c.value - 55
        }
    }

    mutating func skipSpaceAndComments() {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" { i += 1; continue }
            if c == "/", peek(1) == "/" {
                while let d = peek(), d != "\n" { _ = d; i += 1 }
                continue
            }
            break
        }
    }

    mutating func next() throws -> Token {
        skipSpaceAndComments()
        let start = i
        guard let c = peek() else { return Token(kind: .eof, offset: i) }

        // String and bytes literals with their prefixes (r, b, rb, br in any case).
        if c == "\"" || c == "'" { return try stringToken(start: start, raw: false, bytes: false) }
        if Lexer.isIdentStart(c) {
            var raw = false, bytes = false, k = 0
            while k < 2, let p = peek(k) {
                if (p == "r" || p == "R") && !raw { raw = true; k += 1 }
                else if (p == "b" || p == "B") && !bytes { bytes = true; k += 1 }
                else { break }
            }
            if k > 0, let q = peek(k), q == "\"" || q == "'" {
                i += k
                return try stringToken(start: start, raw: raw, bytes: bytes)
            }
            var name = String.UnicodeScalarView()
            while let d = peek(), Lexer.isIdentStart(d) || Lexer.isDigit(d) { name.append(d); i += 1 }
            return Token(kind: .ident(String(name)), offset: start)
        }
        if Lexer.isDigit(c) || (c == "." && Lexer.isDigit(peek(1))) { return try numberToken(start: start) }
        if c == "`" {
            i += 1
            var name = String.UnicodeScalarView()
            while let d = peek(), d != "`" {
                // cel-spec allows letters, digits, `_`, `.`, `-`, `/` and space in quoted names.
                guard Lexer.isIdentStart(d) || Lexer.isDigit(d) || d == "." || d == "-" || d == "/" || d == " " else {
                    throw LexError(message: "invalid character in quoted identifier", offset: i)
                }
                name.append(d); i += 1
            }
            guard peek() == "`", !name.isEmpty else { throw LexError(message: "unterminated quoted identifier", offset: start) }
            i += 1
            return Token(kind: .quotedIdent(String(name)), offset: start)
        }
        let two: String = peek(1).map { String(c) + String($0) } ?? ""
        if ["&&", "||", "==", "!=", "<=", ">="].contains(two) { i += 2; return Token(kind: .punct(two), offset: start) }
        if "+-*/%<>!?:.,()[]{}".unicodeScalars.contains(c) { i += 1; return Token(kind: .punct(String(c)), offset: start) }
        throw LexError(message: "Syntax error: token recognition error at: '\(c)'", offset: start)
    }

    mutating func numberToken(start: Int) throws -> Token {
        if peek() == "0", peek(1) == "x" || peek(1) == "X" {
            i += 2
            var mag: UInt64 = 0
            var any = false, overflow = false
            while Lexer.isHex(peek()) {
                let (m1, o1) = mag.multipliedReportingOverflow(by: 16)
                let (m2, o2) = m1.addingReportingOverflow(UInt64(Lexer.hexValue(peek()!)))
                overflow = overflow || o1 || o2
                mag = m2; any = true; i += 1
            }
            guard any else { throw LexError(message: "Syntax error: malformed hex literal", offset: start) }
            return try integerToken(mag, overflow: overflow, start: start)
        }
        var text = ""
        var isFloat = false
        while Lexer.isDigit(peek()) { text.unicodeScalars.append(peek()!); i += 1 }
        if peek() == ".", Lexer.isDigit(peek(1)) {
            isFloat = true
            text += "."; i += 1
            while Lexer.isDigit(peek()) { text.unicodeScalars.append(peek()!); i += 1 }
        }
        if peek() == "e" || peek() == "E" {
            var k = 1
            if peek(k) == "+" || peek(k) == "-" { k += 1 }
            if Lexer.isDigit(peek(k)) {
                isFloat = true
                text += "e"
                i += 1
                if peek() == "+" || peek() == "-" { text.unicodeScalars.append(peek()!); i += 1 }
                while Lexer.isDigit(peek()) { text.unicodeScalars.append(peek()!); i += 1 }
            }
        }
        if isFloat {
            if text.hasPrefix(".") { text = "0" + text }
            guard let d = Double(text) else { throw LexError(message: "Syntax error: malformed double literal", offset: start) }
            return Token(kind: .double(d), offset: start)
        }
        var mag: UInt64 = 0
        var overflow = false
        for ch in text.unicodeScalars {
            let (m1, o1) = mag.multipliedReportingOverflow(by: 10)
            let (m2, o2) = m1.addingReportingOverflow(UInt64(ch.value - 48))
            overflow = overflow || o1 || o2
            mag = m2
        }
        return try integerToken(mag, overflow: overflow, start: start)
    }

    mutating func integerToken(_ mag: UInt64, overflow: Bool, start: Int) throws -> Token {
        if peek() == "u" || peek() == "U" {
            i += 1
            if overflow { throw LexError(message: "Syntax error: uint literal out of range", offset: start) }
            return Token(kind: .uint(mag), offset: start)
        }
        if overflow || mag > UInt64(Int64.max) + 1 {
            throw LexError(message: "Syntax error: int literal out of range", offset: start)
        }
        if mag == UInt64(Int64.max) + 1 { return Token(kind: .intMinMagnitude, offset: start) }
        return Token(kind: .int(Int64(mag)), offset: start)
    }

    /// Decodes a quoted literal; `i` is at the prefix or quote, `start` at the literal.
    mutating func stringToken(start: Int, raw: Bool, bytes: Bool) throws -> Token {
        let q = peek()!
        let triple = peek(1) == q && peek(2) == q
        i += triple ? 3 : 1
        var out: [UInt8] = []
        func appendScalar(_ u: Unicode.Scalar) { out.append(contentsOf: Array(String(u).utf8)) }
        while true {
            guard let c = peek() else { throw LexError(message: "Syntax error: unterminated string literal", offset: start) }
            if c == q {
                if !triple { i += 1; break }
                if peek(1) == q && peek(2) == q { i += 3; break }
            }
            if !triple && (c == "\n" || c == "\r") {
                throw LexError(message: "Syntax error: newline in single-quoted string literal", offset: i)
            }
            if c == "\\" && !raw {
                let escStart = i
                i += 1
                guard let e = peek() else { throw LexError(message: "Syntax error: unterminated string literal", offset: start) }
                i += 1
                switch e {
                case "a": out.append(7)
                case "b": out.append(8)
                case "f": out.append(12)
                case "n": out.append(10)
                case "r": out.append(13)
                case "t": out.append(9)
                case "v": out.append(11)
                case "\\", "'", "\"", "`", "?": out.append(UInt8(e.value))
                case "x", "X", "u", "U":
                    let n = (e == "x" || e == "X") ? 2 : (e == "u" ? 4 : 8)
                    var v: UInt32 = 0
                    for _ in 0..<n {
                        guard Lexer.isHex(peek()) else { throw LexError(message: "Syntax error: invalid escape sequence", offset: escStart) }
                        v = v * 16 + Lexer.hexValue(peek()!); i += 1
                    }
                    if n == 2 {
                        // \xHH is a byte in bytes literals and a code point in strings.
                        if bytes { out.append(UInt8(v)) } else { appendScalar(Unicode.Scalar(v)!) }
                    } else {
                        guard let u = Unicode.Scalar(v) else {
                            throw LexError(message: "Syntax error: invalid unicode code point in escape", offset: escStart)
                        }
                        appendScalar(u)
                    }
                case "0"..."3":
                    var v = e.value - 48
                    for _ in 0..<2 {
                        guard let d = peek(), d >= "0" && d <= "7" else {
                            throw LexError(message: "Syntax error: invalid octal escape", offset: escStart)
                        }
                        v = v * 8 + (d.value - 48); i += 1
                    }
                    if bytes { out.append(UInt8(v)) } else { appendScalar(Unicode.Scalar(v)!) }
                default:
                    throw LexError(message: "Syntax error: invalid escape sequence '\\\(e)'", offset: escStart)
                }
                continue
            }
            appendScalar(c)
            i += 1
        }
        if bytes { return Token(kind: .bytes(out), offset: start) }
        // Strings are code points: valid UTF-8 by construction (\x and octal add code points).
        return Token(kind: .string(String(decoding: out, as: UTF8.self)), offset: start)
    }
}
