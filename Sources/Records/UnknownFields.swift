// UnknownFields: what a kiosk probably meant by a field the schema does not know. Records keep
// unknown fields (forward compatibility) but no rule reads them, so a misspelt `adluts` would
// silently turn a check off; `check`, `submit` and the daemon name it with a suggestion.

extension RecordSchema {
    /// The schema field the unknown `path` (as in `Record.unknownFieldPaths`, e.g. `adluts`,
    /// `documents.ctpll`, `items[0].colour`) most likely meant: a field of the same object at
    /// edit distance ≤ 2 (≤ 1 for names of up to 4 letters), nearest first; nil if none is close.
    public static func suggestion(for path: String, kind: RecordKind) -> String? {
        var object = object(for: kind)
        let parts = path.split(separator: ".").map(String.init)
        guard let leaf = parts.last else { return nil }
        var prefix: [String] = []
        for part in parts.dropLast() {
            let name = part.split(separator: "[").first.map(String.init) ?? part
            guard let field = object.field(named: name) else { return nil }
            var t = field.type
            while true {
                switch t {
                case .list(let inner), .nullable(let inner): t = inner; continue
                default: break
                }
                break
            }
            guard case .object(let inner) = t else { return nil }
            object = inner
            prefix.append(part)
        }
        let limit = leaf.count <= 4 ? 1 : 2
        let best = object.fields.map { ($0.name, editDistance(leaf, $0.name)) }
            .filter { $0.1 <= limit }.min { $0.1 < $1.1 }
        return best.map { (prefix + [$0.0]).joined(separator: ".") }
    }

    /// Levenshtein distance, with a swap of two neighbours counting as one edit (adluts → adults).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[x.count][y.count]
    }
}

extension Record {
    /// "unknown field adluts; did you mean adults?" for each unknown field, in English (`check`
    /// and `submit` print these as warnings; the daemon writes a REVIEW alert).
    public var unknownFieldWarnings: [String] {
        unknownFieldPaths.map { path in
            "unknown field \(path)" + (RecordSchema.suggestion(for: path, kind: kind).map { "; did you mean \($0)?" } ?? "")
        }
    }
}
