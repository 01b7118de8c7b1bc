// AST: the parsed form of a CEL expression, shared by parser, checker and planner.
//
// The shape follows cel-go's (common/ast): every node has an id, unique within one parse,
// and the parse records each node's source offset so checker and runtime errors can point
// at the text. Operators are calls named as cel-go names them (`_+_`, `_&&_`, `@in`, ...),
// macros are already expanded into `comprehension` nodes.

// MARK: - Nodes

/// One node of the expression tree.
public struct Expr {
    /// Unique within one `ParsedExpression`; index into its `offsets`.
    public var id: Int
    public var kind: Kind

    public init(id: Int, kind: Kind) { self.id = id; self.kind = kind }

    public indirect enum Kind {
        case literal(Constant)
        /// A plain or dotted-prefix-resolved name, e.g. `x` (a qualified name `a.b.c` is a
        /// chain of `select`s over `ident("a")`; the checker/planner resolve it).
        case ident(String)
        /// `operand.field`; `testOnly` marks the `has(operand.field)` macro.
        case select(operand: Expr, field: String, testOnly: Bool)
        /// A global (`target == nil`) or member call. Operators are global calls.
        case call(target: Expr?, function: String, args: [Expr])
        /// `[a, b, ?c]`: `optionalIndices` lists the positions written with `?`.
        case list(elements: [Expr], optionalIndices: [Int])
        case map(entries: [MapEntry])
        case comprehension(Comprehension)
    }
}

/// A literal value as written in the source.
public enum Constant: Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])

    public var value: Value {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .uint(let u): return .uint(u)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .bytes(let b): return .bytes(b)
        }
    }
}

/// One `key: value` entry of a map literal; `optional` marks `?key: value`.
public struct MapEntry {
    public var id: Int
    public var key: Expr
    public var value: Expr
    public var optional: Bool
    public init(id: Int, key: Expr, value: Expr, optional: Bool = false) {
        self.id = id; self.key = key; self.value = value; self.optional = optional
    }
}

/// cel-go's comprehension: fold `iterRange` into `accuVar`, starting from `accuInit`,
/// while `loopCondition` holds, by `loopStep`; then evaluate `result`.
/// `iterVar2` is set by the two-variable macros (index/key and value).
public struct Comprehension {
    public var iterVar: String
    public var iterVar2: String?
    public var iterRange: Expr
    public var accuVar: String
    public var accuInit: Expr
    public var loopCondition: Expr
    public var loopStep: Expr
    public var result: Expr

    public init(iterVar: String, iterVar2: String? = nil, iterRange: Expr, accuVar: String,
                accuInit: Expr, loopCondition: Expr, loopStep: Expr, result: Expr) {
        self.iterVar = iterVar; self.iterVar2 = iterVar2; self.iterRange = iterRange
        self.accuVar = accuVar; self.accuInit = accuInit; self.loopCondition = loopCondition
        self.loopStep = loopStep; self.result = result
    }
}

/// Operator function names, as cel-go spells them (checker and planner key on these).
public enum Operator {
    public static let add = "_+_"
    public static let subtract = "_-_"
    public static let multiply = "_*_"
    public static let divide = "_/_"
    public static let modulo = "_%_"
    public static let equals = "_==_"
    public static let notEquals = "_!=_"
    public static let less = "_<_"
    public static let lessEquals = "_<=_"
    public static let greater = "_>_"
    public static let greaterEquals = "_>=_"
    public static let logicalAnd = "_&&_"
    public static let logicalOr = "_||_"
    public static let logicalNot = "!_"
    public static let negate = "-_"
    public static let conditional = "_?_:_"
    public static let index = "_[_]"
    public static let optionalIndex = "_[?_]"
    public static let optionalSelect = "_?._"
    public static let `in` = "@in"
    /// Internal: the macros' "has the loop not yet decided" test (cel-go's `@not_strictly_false`).
    public static let notStrictlyFalse = "@not_strictly_false"
}

/// The result of parsing: the tree, the source, and each node's offset in the source.
public struct ParsedExpression {
    public var expr: Expr
    public var source: Source
    /// `offsets[id]` is the node's offset in `source.text`, in Unicode scalars; -1 if unknown.
    public var offsets: [Int]

    public init(expr: Expr, source: Source, offsets: [Int]) {
        self.expr = expr; self.source = source; self.offsets = offsets
    }

    /// The (line, column) in the enclosing file of a node, for diagnostics.
    public func location(of id: Int) -> (line: Int, column: Int)? {
        guard id >= 0, id < offsets.count, offsets[id] >= 0 else { return nil }
        return source.location(ofOffset: offsets[id])
    }

    /// The largest node id plus one (ids run 1..<nodeCount; 0 is unused).
    public var nodeCount: Int { offsets.count }
}

// MARK: - Source

/// The text of an expression and where it came from. When the expression is embedded in a
/// larger file (a YAML scalar), `baseLine`/`baseColumn` give the 1-based position of its first
/// character in that file, and `continuationIndent` the columns stripped from each later line
/// (a block scalar's indentation), so diagnostics point into the file itself.
public struct Source {
    public var text: String
    /// e.g. a file path, or `<input>`.
    public var description: String
    public var baseLine: Int
    public var baseColumn: Int
    public var continuationIndent: Int
    /// Unicode scalars of `text`, and the scalar offset at which each line starts.
    let scalars: [Unicode.Scalar]
    let lineStarts: [Int]

    public init(_ text: String, description: String = "<input>", baseLine: Int = 1, baseColumn: Int = 1,
                continuationIndent: Int = 0) {
        self.text = text
        self.description = description
        self.baseLine = baseLine
        self.baseColumn = baseColumn
        self.continuationIndent = continuationIndent
        let sc = Array(text.unicodeScalars)
        var starts = [0]
        for (i, s) in sc.enumerated() where s == "\n" { starts.append(i + 1) }
        self.scalars = sc
        self.lineStarts = starts
    }

    /// The 0-based line index and 0-based column (in scalars) of an offset within `text`.
    func relativeLocation(ofOffset offset: Int) -> (line: Int, column: Int) {
        let off = max(0, min(offset, scalars.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= off { lo = mid } else { hi = mid - 1 }
        }
        return (lo, off - lineStarts[lo])
    }

    /// 1-based line and column in the enclosing file.
    public func location(ofOffset offset: Int) -> (line: Int, column: Int) {
        let (l, c) = relativeLocation(ofOffset: offset)
        if l == 0 { return (baseLine, baseColumn + c) }
        return (baseLine + l, 1 + continuationIndent + c)
    }

    /// The text of a 0-based line of `text`, without its newline.
    func lineText(_ line: Int) -> String {
        guard line >= 0, line < lineStarts.count else { return "" }
        let start = lineStarts[line]
        var end = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : scalars.count
        if end > start, scalars[end - 1] == "\r" { end -= 1 }
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[start..<max(start, end)])
        return String(s)
    }
}

// MARK: - Compile errors

/// One problem found while parsing or checking, with its place in the source.
public struct CompileIssue: CustomStringConvertible {
    public var message: String
    /// 1-based, in the enclosing file (see `Source`).
    public var line: Int
    public var column: Int
    /// Offset in the expression text (scalars), for the caret line.
    public var offset: Int
    /// The AST node, when the issue concerns one (checker issues).
    public var exprID: Int?
    /// `description:line:col: message`, then the source line and a caret line (cel-go's form).
    public var rendered: String

    public init(message: String, offset: Int, source: Source, exprID: Int? = nil) {
        self.message = message
        self.offset = offset
        self.exprID = exprID
        let (l, c) = source.location(ofOffset: offset)
        self.line = l
        self.column = c
        let (rl, rc) = source.relativeLocation(ofOffset: offset)
        let text = source.lineText(rl)
        // The caret is padded with one dot per character before it (tabs kept as tabs, a
        // full-width dot under a wide CJK character), so it lines up in a terminal.
        var pad = ""
        for (i, ch) in text.unicodeScalars.enumerated() where i < rc {
            pad.append(ch == "\t" ? "\t" : (CompileIssue.isWide(ch) ? "\u{FF0E}" : "."))
        }
        if rc > text.unicodeScalars.count { pad += String(repeating: ".", count: rc - text.unicodeScalars.count) }
        self.rendered = "ERROR: \(source.description):\(l):\(c): \(message)\n | \(text)\n | \(pad)^"
    }

    public var description: String { rendered }

    /// East Asian wide characters (CJK, Hangul, full-width forms) take two terminal columns.
    static func isWide(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD: return true
        default: return false
        }
    }
}

/// Parse or check failure: every issue found (up to a cap), in source order.
public struct CompileError: Error, CustomStringConvertible {
    public var issues: [CompileIssue]
    public var source: Source
    public init(issues: [CompileIssue], source: Source) { self.issues = issues; self.source = source }
    public var description: String { issues.map(\.rendered).joined(separator: "\n") }
}
