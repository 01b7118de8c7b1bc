// YAMLDocument+Positions: where each character of a scalar's value sits in the file, so a
// CEL error inside `when:` or a `{{ }}` points at the YAML file's own line and column
// (cel-go's policy.RelativeSource).
import Yams

/// A scalar's value text with the file position of every one of its Unicode scalars.
struct ScalarPlacement {
    /// The value as YAML delivers it.
    let value: String
    /// `positions[i]` is the 1-based (line, column) in the file of the value's i-th scalar.
    /// Exact when the raw text could be matched to the value (plain, quoted without escapes,
    /// literal and folded blocks); otherwise counted along the start line.
    let positions: [(line: Int, column: Int)]
    /// The raw file text spanning the value (same tokens, original line breaks and
    /// indentation), nil when it could not be matched; see `celText`.
    let rawText: String?
    let start: (line: Int, column: Int)
    let exact: Bool
}

extension YAMLDocument {
    /// Maps a scalar node's value back onto the file.
    ///
    /// The walk pairs value and raw text character by character, treating any run of
    /// whitespace (including line breaks and block indentation) as matching any other run:
    /// YAML folding only changes whitespace. An escape (`\"`, `''`) ends the match and the
    /// placement falls back to the scalar's start.
    func placement(of node: Node) -> ScalarPlacement? {
        guard let scalar = node.scalar, let mark = scalar.mark else { return nil }
        let value = Array(scalar.string.unicodeScalars)
        var line = mark.line - 1, col = mark.column - 1   // 0-based into `lines`
        switch scalar.style {
        case .singleQuoted, .doubleQuoted: col += 1
        case .literal, .folded: line += 1; col = 0         // content starts on the next line
        default: break
        }
        let fallbackStart = (line: mark.line, column: mark.column + ((scalar.style == .singleQuoted || scalar.style == .doubleQuoted) ? 1 : 0))
        // Without a match, count columns in the value from the start (right up to the first
        // escape), staying on the start line.
        let fallback = ScalarPlacement(value: scalar.string,
                                       positions: (0..<value.count).map { (fallbackStart.line, fallbackStart.column + $0) },
                                       rawText: nil, start: fallbackStart, exact: false)

        func rawAt(_ l: Int, _ c: Int) -> Unicode.Scalar? {
            guard l < lines.count else { return nil }
            return c < lines[l].count ? lines[l][c] : "\n"
        }
        func advance(_ l: inout Int, _ c: inout Int) {
            if c < lines[l].count { c += 1 } else { l += 1; c = 0 }
        }
        func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\n" || s == "\r" }

        var positions: [(line: Int, column: Int)] = []
        positions.reserveCapacity(value.count)
        var i = 0
        // Leading whitespace of the value (a block's leading blank lines) maps to the start.
        while i < value.count, isSpace(value[i]) { positions.append((line + 1, col + 1)); i += 1 }
        // Skip raw whitespace (block indentation) up to the first token.
        while let r = rawAt(line, col), isSpace(r) { advance(&line, &col) }
        let start = (line: line + 1, column: col + 1)
        var raw = String.UnicodeScalarView()
        var rawEnd = 0   // length of `raw` up to the last matched non-space
        while i < value.count {
            guard let r = rawAt(line, col) else { return i == value.count ? nil : fallback }
            if isSpace(value[i]) {
                guard isSpace(r) else { return fallback }
                let here = (line: line + 1, column: col + 1)
                while i < value.count, isSpace(value[i]) { positions.append(here); i += 1 }
                while let r2 = rawAt(line, col), isSpace(r2) { raw.append(r2); advance(&line, &col) }
                continue
            }
            guard r == value[i] else { return fallback }
            positions.append((line + 1, col + 1))
            raw.append(r)
            rawEnd = raw.count
            advance(&line, &col)
            i += 1
        }
        let rawText = String(String.UnicodeScalarView(raw.prefix(rawEnd)))
        return ScalarPlacement(value: scalar.string, positions: positions, rawText: rawText, start: start, exact: true)
    }
}

extension ScalarPlacement {
    /// The text to hand to the CEL compiler and where it starts: the raw file text when it
    /// matched (CEL ignores the whitespace YAML folds), so later lines keep their own columns.
    var celText: (text: String, line: Int, column: Int) {
        if let rawText { return (rawText, start.line, start.column) }
        return (value, start.line, start.column)
    }

    /// The file position of the value's scalar at `offset` (clamped).
    func position(ofOffset offset: Int) -> (line: Int, column: Int) {
        guard !positions.isEmpty else { return start }
        return positions[max(0, min(offset, positions.count - 1))]
    }
}
