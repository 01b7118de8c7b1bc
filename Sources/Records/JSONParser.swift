// JSONParser: strict RFC 8259 JSON from untrusted bytes, with positions in every error.
//
// Why not JSONSerialization: it forgets whether `50` was written as an integer, keeps one of two
// duplicate keys silently, and reports no line or column. This parser is a whitelist: exactly the
// JSON grammar, valid UTF-8, no BOM, no NaN, no lone surrogates, no trailing bytes.
// Hostile input costs little: the size cap is checked before any parsing, the depth cap while
// descending (so recursion is bounded by it), and UTF-8 is checked in one linear pass.

/// Why a document is not acceptable JSON, and where.
public struct JSONParseError: Error, Equatable, CustomStringConvertible, Sendable {
    /// 1-based line and column (columns count characters, not bytes); nil when the problem
    /// is the document as a whole (its size).
    public let line: Int?
    public let column: Int?
    public let message: String

    public var description: String {
        guard let line, let column else { return message }
        return "line \(line), column \(column): \(message)"
    }
}

/// Strict JSON parsing; see the file comment for what it refuses.
public enum JSONParser {
    /// The contract's size limit: 1 MiB.
    public static let defaultMaxBytes = 1 << 20
    /// Deep enough for any record (they nest 3 levels), shallow enough to bound recursion.
    public static let defaultMaxDepth = 32

    /// Parses one JSON document.
    /// - Throws: `JSONParseError` naming line and column.
    public static func parse(_ bytes: [UInt8], maxBytes: Int = defaultMaxBytes,
                             maxDepth: Int = defaultMaxDepth) throws -> JSONValue {
        try parse(bytes, maxBytes: maxBytes, maxDepth: maxDepth, names: nil)
    }

    /// As above; member names found in `names` share its strings instead of new ones.
    static func parse(_ bytes: [UInt8], maxBytes: Int = defaultMaxBytes, maxDepth: Int = defaultMaxDepth,
                      names: JSONNames?) throws -> JSONValue {
        var unused: WrittenNumbers?
        return try parse(bytes, maxBytes: maxBytes, maxDepth: maxDepth, names: names, writtenNumbers: &unused)
    }

    /// As above; when `writtenNumbers` is non-nil, numbers whose Double would not read as
    /// written (exponents, integers too large for Int) are noted there, for reasons to echo.
    static func parse(_ bytes: [UInt8], maxBytes: Int = defaultMaxBytes, maxDepth: Int = defaultMaxDepth,
                      names: JSONNames?, writtenNumbers: inout WrittenNumbers?) throws -> JSONValue {
        guard bytes.count <= maxBytes else {
            throw JSONParseError(line: nil, column: nil,
                                 message: "document is \(bytes.count) bytes; the limit is \(maxBytes) bytes")
        }
        // The reader works on the array's storage directly: bounds are checked by hand at every
        // read (`index < bytes.count`), and the pointer never outlives this call.
        return try bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer, maxDepth: maxDepth, names: names)
            reader.writtenNumbers = writtenNumbers
            try reader.checkUTF8()
            reader.skipWhitespace()
            let value = try reader.parseValue(depth: 0)
            reader.skipWhitespace()
            if reader.index < buffer.count {
                throw reader.error("unexpected \(reader.describeCurrent()) after the end of the document")
            }
            writtenNumbers = reader.writtenNumbers
            return value
        }
    }
}

/// Number literals as the file wrote them, keyed by their Double's bits: `.number` keeps only the
/// Double, and a reason must echo `99999999999999999999999`, not `1e+23`.
struct WrittenNumbers {
    private var texts: [UInt64: String] = [:]

    mutating func note(_ d: Double, _ text: String) {
        let key = d.bitPattern
        if let old = texts[key], old != text {
            texts[key] = "" // two spellings of one Double: echo neither
        } else {
            texts[key] = text
        }
    }

    /// The text written for `d`, shortened for a reason; nil if unknown or ambiguous.
    func text(for d: Double) -> String? {
        guard let text = texts[d.bitPattern], !text.isEmpty else { return nil }
        return WrittenNumbers.shortened(text)
    }

    /// Long literals (a file may hold a million digits) keep their first 40 characters and their length.
    static func shortened(_ text: String) -> String {
        let limit = 40
        // Not masked here: a number literal's first 40 characters keep every digit run of 15 or
        // more whole, and the choke points (JournalText.clean) mask it on the way out.
        guard text.utf8.count > limit else { return text }
        return String(text.prefix(limit)) + "… (\(text.utf8.count) characters)"
    }
}

/// Whether two strings have the same UTF-8 bytes.
func sameBytes(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    return withUTF8(a) { x in withUTF8(b) { y in bytesEqual(x, y) } }
}

private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0
    /// The member names of every object being parsed, innermost last, as (offset, fingerprint):
    /// each object pushes its names and pops them when done, so one array serves the document.
    var keys: [(offset: Int, fingerprint: UInt64)] = []
    /// Objects with more members than this find duplicates by hashing instead of comparing.
    static let linearKeyLimit = 64

    let names: JSONNames?
    /// Non-nil when the caller wants number literals kept as written (see WrittenNumbers).
    var writtenNumbers: WrittenNumbers?

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, names: JSONNames?) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.names = names
    }

    /// Eight bytes from `offset` (the caller checks that they exist).
    @inline(__always)
    func word(at offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + offset).loadUnaligned(as: UInt64.self))
    }

    /// Where the escape-free part of a string starting at `offset` ends: the offset of the
    /// first quote, backslash or control character (or the end of input). Eight bytes a step.
    @inline(__always)
    func plainRun(from offset: Int) -> Int {
        var i = offset
        while i + 8 <= bytes.count {
            let w = word(at: i)
            let quote = w ^ 0x2222_2222_2222_2222, backslash = w ^ 0x5C5C_5C5C_5C5C_5C5C
            // A byte is flagged if it is zero in `quote` or `backslash`, or below 0x20 in `w`
            // (the classic "has a byte less than n" test; bytes ≥ 0x80 never flag).
            let low: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
            let flags = ((quote &- low) & ~quote | (backslash &- low) & ~backslash | (w &- 0x2020_2020_2020_2020) & ~w) & high
            if flags != 0 { break }
            i += 8
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { return i }
            i += 1
        }
        return i
    }

    // MARK: - Positions

    /// Line and column of a byte offset; computed only when an error is reported.
    func position(of offset: Int) -> (line: Int, column: Int) {
        var line = 1, column = 1
        var i = 0
        while i < offset && i < bytes.count {
            let b = bytes[i]
            if b == 0x0A {
                line += 1; column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1 // count characters (lead bytes), not continuation bytes
            }
            i += 1
        }
        return (line, column)
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONParseError {
        let p = position(of: offset ?? index)
        return JSONParseError(line: p.line, column: p.column, message: message)
    }

    func describeCurrent() -> String {
        guard index < bytes.count else { return "end of input" }
        let b = bytes[index]
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x" + String(b, radix: 16, uppercase: true)
    }

    // MARK: - UTF-8

    /// Rejects malformed UTF-8: stray continuation bytes, overlong forms, UTF-16 surrogates
    /// encoded as UTF-8, code points above U+10FFFF, truncated sequences, and a leading BOM.
    func checkUTF8() throws {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            throw error("byte order mark at start of document (write UTF-8 without BOM)", at: 0)
        }
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 {
                i += 1
                // Runs of ASCII, eight bytes a step.
                while i + 8 <= n && word(at: i) & 0x8080_8080_8080_8080 == 0 { i += 8 }
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF // bounds for the second byte
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F // excludes surrogates D800–DFFF
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F // caps at U+10FFFF
            default: throw error("invalid UTF-8 (byte 0x\(String(b0, radix: 16, uppercase: true)))", at: i)
            }
            guard i + length <= n else { throw error("invalid UTF-8 (truncated sequence)", at: i) }
            let b1 = bytes[i + 1]
            guard b1 >= lower && b1 <= upper else { throw error("invalid UTF-8 sequence", at: i) }
            for k in 2..<length where bytes[i + k] & 0xC0 != 0x80 {
                throw error("invalid UTF-8 sequence", at: i)
            }
            i += length
        }
    }

    // MARK: - Grammar

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected \(describeCurrent()), expected a value")
        }
    }

    mutating func expectWord(_ word: String) throws {
        let start = index
        for b in word.utf8 {
            guard index < bytes.count, bytes[index] == b else {
                throw error("invalid literal, expected '\(word)'", at: start)
            }
            index += 1
        }
    }

    mutating func enter(_ depth: Int) throws {
        if depth > maxDepth { throw error("nesting deeper than \(maxDepth) levels") }
    }

    mutating func parseObject(depth: Int) throws -> JSONValue {
        try enter(depth)
        index += 1 // {
        var members: [(key: String, value: JSONValue)] = []
        // Names compare by their bytes (not by Unicode equivalence, as String == would).
        var seen: [[UInt8]: Int]? // name bytes → offset of first occurrence, once the object is large
        var bloom: (UInt64, UInt64) = (0, 0)
        let firstKey = keys.count
        defer { keys.removeLast(keys.count - firstKey) }
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("unexpected \(describeCurrent()), expected a member name in double quotes")
            }
            let keyStart = index
            let (key, fingerprint) = try parseName()
            var first: Int?
            // 128 bits, one set per name (the fingerprint's top 7 bits): a clear bit means no
            // earlier name can be the same, which spares most searches.
            let bit = fingerprint >> 57
            let isNew = bit < 64 ? bloom.0 & (1 << bit) == 0 : bloom.1 & (1 << (bit - 64)) == 0
            if bit < 64 { bloom.0 |= 1 << bit } else { bloom.1 |= 1 << (bit - 64) }
            if members.count < Reader.linearKeyLimit {
                if !isNew {
                    for i in 0..<members.count where keys[firstKey + i].fingerprint == fingerprint {
                        if sameBytes(members[i].key, key) { first = keys[firstKey + i].offset; break }
                    }
                }
            } else { // every name goes into the table, new or not
                if seen == nil {
                    var table: [[UInt8]: Int] = [:]
                    for (i, member) in members.enumerated() { table[Array(member.key.utf8)] = keys[firstKey + i].offset }
                    seen = table
                }
                let keyBytes = Array(key.utf8)
                first = seen?[keyBytes]
                seen?[keyBytes] = keyStart
            }
            if let first {
                let p = position(of: first)
                throw error("duplicate key \(JSONValue.quoted(key)) (first at line \(p.line), column \(p.column))",
                            at: keyStart)
            }
            keys.append((keyStart, fingerprint))
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error("unexpected \(describeCurrent()), expected ':' after member name")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append((key, value))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input, expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            throw error("unexpected \(describeCurrent()), expected ',' or '}'")
        }
    }

    /// A 64-bit hash of the name's bytes, eight bytes a step (multipliers from SplitMix64):
    /// equal names have equal fingerprints, so comparing fingerprints first skips almost
    /// every byte comparison. Not for security: a collision costs one memcmp.
    static func fingerprint(_ u: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(u.count)
        var i = 0
        if let base = u.baseAddress {
            while i + 8 <= u.count {
                h = (h ^ UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                h ^= h >> 31
                i += 8
            }
        }
        var tail: UInt64 = 0, shift: UInt64 = 0
        while i < u.count {
            tail |= UInt64(u[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }

    /// A member name and its fingerprint. A name without escapes that `names` knows is
    /// that string, not a new one: no allocation, and the schema compares it by identity.
    mutating func parseName() throws -> (String, UInt64) {
        let end = plainRun(from: index + 1)
        if end < bytes.count && bytes[end] == UInt8(ascii: "\"") {
            let raw = UnsafeBufferPointer(rebasing: bytes[(index + 1)..<end])
            let fingerprint = Reader.fingerprint(raw)
            index = end + 1
            if let known = names?.name(raw, fingerprint: fingerprint) { return (known, fingerprint) }
            return (String(decoding: raw, as: UTF8.self), fingerprint)
        }
        let name = try parseString()
        return (name, withUTF8(name, Reader.fingerprint))
    }

    mutating func parseArray(depth: Int) throws -> JSONValue {
        try enter(depth)
        index += 1 // [
        var items: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input, expected ',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            throw error("unexpected \(describeCurrent()), expected ',' or ']'")
        }
    }

    mutating func parseString() throws -> String {
        let start = index
        index += 1 // opening quote
        // Most strings have no escape: find the closing quote and take the bytes as they are.
        let end = plainRun(from: index)
        if end < bytes.count && bytes[end] == UInt8(ascii: "\"") {
            index = end + 1
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<end]), as: UTF8.self)
        }
        // An escape, a control character or no closing quote: the careful path reports them.
        var out: [UInt8] = []
        while true {
            guard index < bytes.count else { throw error("unterminated string", at: start) }
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self) // already checked to be valid UTF-8
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case 0x00..<0x20:
                throw error("control character U+00\(b < 0x10 ? "0" : "")\(String(b, radix: 16, uppercase: true)) in string (escape it)")
            default:
                out.append(b)
                index += 1
            }
        }
    }

    mutating func parseEscape(into out: inout [UInt8]) throws {
        let escapeStart = index
        index += 1 // backslash
        guard index < bytes.count else { throw error("unterminated escape", at: escapeStart) }
        let c = bytes[index]
        index += 1
        switch c {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try parseHex4(escapeStart: escapeStart)
            var scalarValue = UInt32(unit)
            if (0xD800...0xDBFF).contains(unit) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw error("lone surrogate \\u\(hex4(unit)) in string", at: escapeStart) }
                let lowStart = index
                index += 2
                let low = try parseHex4(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error("lone surrogate \\u\(hex4(unit)) in string", at: escapeStart)
                }
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw error("lone surrogate \\u\(hex4(unit)) in string", at: escapeStart)
            }
            // Every non-surrogate value up to 0x10FFFF is a scalar.
            guard let scalar = Unicode.Scalar(scalarValue) else {
                throw error("invalid \\u escape", at: escapeStart)
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw error("invalid escape '\\\(c >= 0x21 && c < 0x7F ? String(Character(Unicode.Scalar(c))) : "?")'",
                        at: escapeStart)
        }
    }

    func hex4(_ v: UInt16) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - s.count) + s
    }

    mutating func parseHex4(escapeStart: Int) throws -> UInt16 {
        // index points just after "\u"
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw error("\\u escape needs four hex digits", at: escapeStart) }
            let b = bytes[index]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw error("\\u escape needs four hex digits", at: escapeStart)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    mutating func parseNumber() throws -> JSONValue {
        let start = index
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { throw error("invalid number: a digit must follow '-'", at: start) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(index) { throw error("invalid number: leading zero", at: start) }
        } else {
            while isDigit(index) { index += 1 }
        }
        var isInteger = true
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard isDigit(index) else { throw error("invalid number: a digit must follow '.'", at: start) }
            while isDigit(index) { index += 1 }
        }
        var hasExponent = false
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            isInteger = false
            hasExponent = true
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
                index += 1
            }
            guard isDigit(index) else { throw error("invalid number: a digit must follow the exponent", at: start) }
            while isDigit(index) { index += 1 }
        }
        if isInteger, let i = integerValue(start..<index) { return .integer(i) }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let i = Int(text) { return .integer(i) }
        guard let d = Double(text), d.isFinite else {
            // Refused here, not at the schema: an unknown member must not carry infinity either,
            // and scripts/check-schema refuses it while loading too. Name the member instead.
            let member = enclosingMemberName().map { " (value of \(JSONValue.quoted($0)))" } ?? ""
            throw error("number \(WrittenNumbers.shortened(text)) is too large to represent\(member)", at: start)
        }
        // Only literals whose Double would print differently; plain decimals are not noted.
        if writtenNumbers != nil && (isInteger || hasExponent) { writtenNumbers?.note(d, text) }
        return .number(d)
    }

    /// The name of the member whose value is being parsed (innermost), for error messages: the
    /// names of finished objects are popped from `keys`, so its last entry is that member's.
    func enclosingMemberName() -> String? {
        guard let offset = keys.last?.offset else { return nil }
        var copy = self
        copy.index = offset
        return try? copy.parseString()
    }

    /// The value of an integer literal already checked by parseNumber, or nil if it does not fit
    /// in Int. Accumulates downwards so that Int.min fits.
    func integerValue(_ range: Range<Int>) -> Int? {
        var i = range.lowerBound
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var value = 0
        while i < range.upperBound {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.subtractingReportingOverflow(Int(bytes[i] &- 0x30))
            if o1 || o2 { return nil }
            value = next
            i += 1
        }
        if negative { return value }
        return value == Int.min ? nil : -value
    }
}

/// A fixed set of member names (the schema's), found by fingerprint and bytes, so the parser
/// can hand out the same strings instead of building new ones.
final class JSONNames: Sendable {
    private let slots: [(fingerprint: UInt64, name: String)?]
    private let mask: Int

    init(_ names: Set<String>) {
        var size = 16
        while size < names.count * 4 { size *= 2 } // a quarter full: probes stay short
        var slots = [(fingerprint: UInt64, name: String)?](repeating: nil, count: size)
        for name in names {
            let fingerprint = withUTF8(name, Reader.fingerprint)
            var i = Int(truncatingIfNeeded: fingerprint) & (size - 1)
            while slots[i] != nil { i = (i + 1) & (size - 1) }
            slots[i] = (fingerprint, name)
        }
        self.slots = slots
        self.mask = size - 1
    }

    /// The known name with these bytes, if any.
    func name(_ raw: UnsafeBufferPointer<UInt8>, fingerprint: UInt64) -> String? {
        var i = Int(truncatingIfNeeded: fingerprint) & mask
        while let slot = slots[i] {
            if slot.fingerprint == fingerprint && withUTF8(slot.name, { bytesEqual($0, raw) }) { return slot.name }
            i = (i + 1) & mask
        }
        return nil
    }
}
