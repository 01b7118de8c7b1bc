// Parser: tokens → AST, recursive descent over CEL's grammar (langdef.md "Syntax"),
// with macros expanded as cel-go expands them (parser/macro.go).
//
// Hostile input: the source length, the nesting of the grammar and the depth of the
// resulting tree are capped, so neither this parser nor the recursive checker and
// planner behind it can exhaust the stack. Every macro uses each argument once, so the
// expanded tree grows linearly with the source; the node count is capped as well, checked
// as each node is made, so a blow-up nobody foresaw still stops early with a parse error.

public struct ParserOptions {
    /// Longest accepted source, in Unicode scalars.
    public var maxSourceLength = 100_000
    /// Deepest accepted tree (parentheses, calls, operator chains all count).
    public var maxDepth = 200
    /// Most nodes in the tree after macro expansion (the largest station rule has a few
    /// hundred); past it parsing fails with "expression too large" at the node being made.
    public var maxNodes = 50_000
    /// Expand has/all/exists/exists_one/map/filter and the two-variable forms.
    public var macros = true
    public init() {}
}

struct ParseFailure: Error {
    var message: String
    var offset: Int
}

struct Parser {
    var tokens: [Token] = []
    var pos = 0
    var offsets: [Int] = [-1]     // id 0 unused
    var depths: [Int] = [0]
    let options: ParserOptions
    var recursion = 0

    init(options: ParserOptions) { self.options = options }

    static func parse(_ source: Source, options: ParserOptions = ParserOptions()) throws -> ParsedExpression {
        func fail(_ m: String, _ off: Int) -> CompileError {
            CompileError(issues: [CompileIssue(message: m, offset: off, source: source)], source: source)
        }
        if source.scalars.count > options.maxSourceLength {
            throw fail("expression code point size exceeds limit: size: \(source.scalars.count), limit \(options.maxSourceLength)", 0)
        }
        var p = Parser(options: options)
        do {
            var lexer = Lexer(source.scalars)
            while true {
                let t = try lexer.next()
                p.tokens.append(t)
                if t.kind == .eof { break }
            }
            let e = try p.parseExpr()
            if p.peek.kind != .eof { throw ParseFailure(message: "Syntax error: unexpected \(p.describe(p.peek))", offset: p.peek.offset) }
            return ParsedExpression(expr: e, source: source, offsets: p.offsets)
        } catch let e as LexError {
            throw fail(e.message, e.offset)
        } catch let e as ParseFailure {
            throw fail(e.message, e.offset)
        }
    }

    // MARK: tokens

    var peek: Token { tokens[pos] }
    func peekAt(_ k: Int) -> Token { tokens[min(pos + k, tokens.count - 1)] }
    mutating func advance() -> Token { let t = tokens[pos]; if pos < tokens.count - 1 { pos += 1 }; return t }
    func isPunct(_ p: String) -> Bool { if case .punct(let q) = peek.kind { return q == p }; return false }
    mutating func accept(_ p: String) -> Bool { if isPunct(p) { pos += 1; return true }; return false }
    mutating func expect(_ p: String) throws -> Token {
        guard isPunct(p) else {
            throw ParseFailure(message: "Syntax error: mismatched input \(describe(peek)) expecting '\(p)'", offset: peek.offset)
        }
        return advance()
    }
    func describe(_ t: Token) -> String {
        switch t.kind {
        case .eof: return "<EOF>"
        case .punct(let p): return "'\(p)'"
        case .ident(let n): return "'\(n)'"
        case .quotedIdent(let n): return "'`\(n)`'"
        default: return "literal"
        }
    }

    // MARK: node construction

    mutating func node(_ kind: Expr.Kind, at offset: Int, children: [Expr] = []) throws -> Expr {
        var d = 0
        for c in children { d = max(d, depths[c.id]) }
        return Expr(id: try newID(at: offset, depth: d + 1), kind: kind)
    }

    /// The next node id (expressions and map entries), within the depth and size caps.
    mutating func newID(at offset: Int, depth: Int) throws -> Int {
        if depth > options.maxDepth {
            throw ParseFailure(message: "expression nested too deeply (limit \(options.maxDepth))", offset: offset)
        }
        let id = offsets.count
        if id > options.maxNodes {
            throw ParseFailure(message: "expression too large (limit \(options.maxNodes) nodes after macro expansion)", offset: offset)
        }
        offsets.append(offset)
        depths.append(depth)
        return id
    }

    mutating func call(_ fn: String, _ args: [Expr], at offset: Int, target: Expr? = nil) throws -> Expr {
        try node(.call(target: target, function: fn, args: args), at: offset, children: args + (target.map { [$0] } ?? []))
    }

    mutating func enter(_ offset: Int) throws {
        recursion += 1
        if recursion > options.maxDepth {
            throw ParseFailure(message: "expression nested too deeply (limit \(options.maxDepth))", offset: offset)
        }
    }

    // MARK: grammar

    // Expr = ConditionalOr ["?" ConditionalOr ":" Expr]
    mutating func parseExpr() throws -> Expr {
        try enter(peek.offset)
        defer { recursion -= 1 }
        let cond = try parseOr()
        if isPunct("?") {
            let q = advance()
            let a = try parseOr()
            _ = try expect(":")
            let b = try parseExpr()
            return try call(Operator.conditional, [cond, a, b], at: q.offset)
        }
        return cond
    }

    mutating func parseOr() throws -> Expr {
        var e = try parseAnd()
        while isPunct("||") {
            let t = advance()
            let r = try parseAnd()
            e = try call(Operator.logicalOr, [e, r], at: t.offset)
        }
        return e
    }

    mutating func parseAnd() throws -> Expr {
        var e = try parseRelation()
        while isPunct("&&") {
            let t = advance()
            let r = try parseRelation()
            e = try call(Operator.logicalAnd, [e, r], at: t.offset)
        }
        return e
    }

    static let relations: [String: String] = [
        "<": Operator.less, "<=": Operator.lessEquals, ">": Operator.greater, ">=": Operator.greaterEquals,
        "==": Operator.equals, "!=": Operator.notEquals,
    ]

    mutating func parseRelation() throws -> Expr {
        var e = try parseAddition()
        while true {
            var fn: String?
            if case .punct(let p) = peek.kind { fn = Parser.relations[p] }
            if case .ident("in") = peek.kind { fn = Operator.in }
            guard let f = fn else { return e }
            let t = advance()
            let r = try parseAddition()
            e = try call(f, [e, r], at: t.offset)
        }
    }

    mutating func parseAddition() throws -> Expr {
        var e = try parseMultiplication()
        while isPunct("+") || isPunct("-") {
            let t = advance()
            let r = try parseMultiplication()
            e = try call(t.kind == .punct("+") ? Operator.add : Operator.subtract, [e, r], at: t.offset)
        }
        return e
    }

    mutating func parseMultiplication() throws -> Expr {
        var e = try parseUnary()
        while isPunct("*") || isPunct("/") || isPunct("%") {
            let t = advance()
            let r = try parseUnary()
            let fn = t.kind == .punct("*") ? Operator.multiply : (t.kind == .punct("/") ? Operator.divide : Operator.modulo)
            e = try call(fn, [e, r], at: t.offset)
        }
        return e
    }

    mutating func parseUnary() throws -> Expr {
        if isPunct("!") {
            let first = peek.offset
            var n = 0
            while accept("!") { n += 1 }
            let e = try parseMember()
            return n % 2 == 0 ? e : try call(Operator.logicalNot, [e], at: first)
        }
        if isPunct("-") {
            let first = peek.offset
            var n = 0
            while accept("-") { n += 1 }
            // One minus folds into a directly following number, so -9223372036854775808 is an int.
            if n % 2 == 1 {
                switch peek.kind {
                case .int, .intMinMagnitude, .double:
                    let t = advance()
                    let c: Constant
                    switch t.kind {
                    case .int(let v): c = .int(-v)
                    case .double(let d): c = .double(-d)
                    default: c = .int(Int64.min)
                    }
                    let lit = try node(.literal(c), at: first)
                    return try parseMemberSuffixes(lit)
                default: break
                }
            }
            let e = try parseMember()
            return n % 2 == 0 ? e : try call(Operator.negate, [e], at: first)
        }
        return try parseMember()
    }

    mutating func parseMember() throws -> Expr {
        let p = try parsePrimary()
        return try parseMemberSuffixes(p)
    }

    mutating func parseMemberSuffixes(_ start: Expr) throws -> Expr {
        var e = start
        while true {
            if isPunct(".") {
                let dot = advance()
                let optional = accept("?")
                let nameTok = advance()
                let name: String
                switch nameTok.kind {
                case .ident(let n): name = n
                case .quotedIdent(let n): name = n
                default:
                    throw ParseFailure(message: "Syntax error: mismatched input \(describe(nameTok)) expecting IDENTIFIER", offset: nameTok.offset)
                }
                if isPunct("("), case .ident = nameTok.kind, !optional {
                    let open = advance()
                    let args = try parseExprList(close: ")")
                    e = try memberCall(target: e, name: name, args: args, at: open.offset)
                } else if optional {
                    let field = try node(.literal(.string(name)), at: nameTok.offset)
                    e = try call(Operator.optionalSelect, [e, field], at: dot.offset)
                } else {
                    e = try node(.select(operand: e, field: name, testOnly: false), at: dot.offset, children: [e])
                }
            } else if isPunct("[") {
                let open = advance()
                let optional = accept("?")
                let idx = try parseExpr()
                _ = try expect("]")
                e = try call(optional ? Operator.optionalIndex : Operator.index, [e, idx], at: open.offset)
            } else if isPunct("{") {
                throw ParseFailure(message: "message construction is not supported", offset: peek.offset)
            } else {
                return e
            }
        }
    }

    mutating func parseExprList(close: String) throws -> [Expr] {
        var args: [Expr] = []
        if accept(close) { return args }
        while true {
            args.append(try parseExpr())
            if accept(close) { return args }
            _ = try expect(",")
            if accept(close) { return args }   // trailing comma
        }
    }

    mutating func parsePrimary() throws -> Expr {
        let t = advance()
        switch t.kind {
        case .int(let v): return try node(.literal(.int(v)), at: t.offset)
        case .intMinMagnitude: throw ParseFailure(message: "Syntax error: int literal out of range", offset: t.offset)
        case .uint(let v): return try node(.literal(.uint(v)), at: t.offset)
        case .double(let v): return try node(.literal(.double(v)), at: t.offset)
        case .string(let v): return try node(.literal(.string(v)), at: t.offset)
        case .bytes(let v): return try node(.literal(.bytes(v)), at: t.offset)
        case .quotedIdent:
            throw ParseFailure(message: "Syntax error: quoted identifiers are only allowed after '.'", offset: t.offset)
        case .ident(let name): return try parseIdentPrimary(t, name)
        case .punct("."): return try parseRootIdent(t)
        case .punct("("):
            let e = try parseExpr()
            _ = try expect(")")
            return e
        case .punct("["): return try parseListLiteral(t)
        case .punct("{"): return try parseMapLiteral(t)
        default:
            throw ParseFailure(message: "Syntax error: mismatched input \(describe(t)) expecting expression", offset: t.offset)
        }
    }

    // The bigger primaries live in their own functions so the frame that recurses through
    // every nesting level (parsePrimary) stays small: debug builds spend kilobytes per frame.

    @inline(never)
    mutating func parseIdentPrimary(_ t: Token, _ name: String) throws -> Expr {
        switch name {
        case "true": return try node(.literal(.bool(true)), at: t.offset)
        case "false": return try node(.literal(.bool(false)), at: t.offset)
        case "null": return try node(.literal(.null), at: t.offset)
        case "in": throw ParseFailure(message: "Syntax error: unexpected 'in'", offset: t.offset)
        default: break
        }
        if Lexer.reserved.contains(name) {
            throw ParseFailure(message: "Syntax error: reserved identifier: \(name)", offset: t.offset)
        }
        if isPunct("(") {
            let open = advance()
            let args = try parseExprList(close: ")")
            return try globalCall(name, args: args, at: open.offset, nameOffset: t.offset)
        }
        return try node(.ident(name), at: t.offset)
    }

    @inline(never)
    mutating func parseRootIdent(_ t: Token) throws -> Expr {
        // A leading dot names the root scope: `.x` skips comprehension variables.
        let n = advance()
        guard case .ident(let name) = n.kind, !Lexer.reserved.contains(name) else {
            throw ParseFailure(message: "Syntax error: mismatched input \(describe(n)) expecting IDENTIFIER", offset: n.offset)
        }
        if isPunct("(") {
            let open = advance()
            let args = try parseExprList(close: ")")
            return try globalCall(name, args: args, at: open.offset, nameOffset: n.offset)
        }
        return try node(.ident("." + name), at: t.offset)
    }

    @inline(never)
    mutating func parseListLiteral(_ t: Token) throws -> Expr {
        var elems: [Expr] = []
        var optionals: [Int] = []
        if !accept("]") {
            while true {
                if accept("?") { optionals.append(elems.count) }
                elems.append(try parseExpr())
                if accept("]") { break }
                _ = try expect(",")
                if accept("]") { break }
            }
        }
        return try node(.list(elements: elems, optionalIndices: optionals), at: t.offset, children: elems)
    }

    @inline(never)
    mutating func parseMapLiteral(_ t: Token) throws -> Expr {
        var entries: [MapEntry] = []
        var children: [Expr] = []
        if !accept("}") {
            while true {
                let optional = accept("?")
                let k = try parseExpr()
                let colon = try expect(":")
                let v = try parseExpr()
                let id = try newID(at: colon.offset, depth: max(depths[k.id], depths[v.id]) + 1)
                entries.append(MapEntry(id: id, key: k, value: v, optional: optional))
                children.append(k); children.append(v)
                if accept("}") { break }
                _ = try expect(",")
                if accept("}") { break }
            }
        }
        return try node(.map(entries: entries), at: t.offset, children: children)
    }

    // MARK: macros (cel-go parser/macro.go)

    static let accu = "@result"
    /// The target of optMap/optFlatMap, bound once (`@` cannot start a source identifier).
    static let optionalTarget = "@target"

    mutating func globalCall(_ name: String, args: [Expr], at offset: Int, nameOffset: Int) throws -> Expr {
        if options.macros, name == "has", args.count == 1 {
            guard case .select(let operand, let field, false) = args[0].kind else {
                throw ParseFailure(message: "invalid argument to has() macro", offset: offset)
            }
            return try node(.select(operand: operand, field: field, testOnly: true), at: offset, children: [operand])
        }
        return try call(name, args, at: offset)
    }

    func iterName(_ e: Expr) throws -> String {
        guard case .ident(let n) = e.kind, !n.hasPrefix(".") else {
            throw ParseFailure(message: "argument must be a simple name", offset: offsets[e.id])
        }
        return n
    }

    mutating func ident(_ n: String, _ off: Int) throws -> Expr { try node(.ident(n), at: off) }
    mutating func lit(_ c: Constant, _ off: Int) throws -> Expr { try node(.literal(c), at: off) }

    mutating func memberCall(target: Expr, name: String, args: [Expr], at off: Int) throws -> Expr {
        guard options.macros else { return try call(name, args, at: off, target: target) }
        let a = Parser.accu
        switch (name, args.count) {
        case ("bind", 3):
            guard case .ident("cel") = target.kind else { break }
            return try bind(try iterName(args[0]), args[1], args[2], off)
        case ("optMap", 2), ("optFlatMap", 2):
            // cel-go writes `o.hasValue() ? optional.of(cel.bind(v, o.value(), e)) : optional.none()`
            // (optFlatMap without the optional.of), copying `o`: a chain of n calls then
            // expands to 2^n nodes. Here `o` is bound once to a name no source can spell:
            // cel.bind(@target, o, @target.hasValue() ? ... @target.value() ... : optional.none()).
            let v = try iterName(args[0])
            let o = Parser.optionalTarget
            let has = try call("hasValue", [], at: off, target: try ident(o, off))
            let value = try call("value", [], at: off, target: try ident(o, off))
            var body = try bind(v, value, args[1], off)
            if name == "optMap" { body = try call("of", [body], at: off, target: try ident("optional", off)) }
            let none = try call("none", [], at: off, target: try ident("optional", off))
            return try bind(o, target, try call(Operator.conditional, [has, body, none], at: off), off)
        case ("all", 2), ("all", 3), ("exists", 2), ("exists", 3):
            let v1 = try iterName(args[0])
            let v2 = args.count == 3 ? try iterName(args[1]) : nil
            if let v2, v2 == v1 { throw ParseFailure(message: "duplicate variable name: \(v1)", offset: off) }
            let pred = args[args.count - 1]
            let isAll = name == "all"
            let initE = try lit(.bool(isAll), off)
            let acc1 = try ident(a, off)
            let condArg = isAll ? acc1 : try call(Operator.logicalNot, [acc1], at: off)
            let cond = try call(Operator.notStrictlyFalse, [condArg], at: off)
            let acc2 = try ident(a, off)
            let step = try call(isAll ? Operator.logicalAnd : Operator.logicalOr, [acc2, pred], at: off)
            let result = try ident(a, off)
            return try comprehension(v1, v2, target, initE, cond, step, result, off)
        case ("exists_one", 2), ("exists_one", 3), ("existsOne", 2), ("existsOne", 3):
            if name == "existsOne" && args.count == 2 { break }
            let v1 = try iterName(args[0])
            let v2 = args.count == 3 ? try iterName(args[1]) : nil
            let pred = args[args.count - 1]
            let initE = try lit(.int(0), off)
            let cond = try lit(.bool(true), off)
            let inc = try call(Operator.add, [try ident(a, off), try lit(.int(1), off)], at: off)
            let step = try call(Operator.conditional, [pred, inc, try ident(a, off)], at: off)
            let result = try call(Operator.equals, [try ident(a, off), try lit(.int(1), off)], at: off)
            return try comprehension(v1, v2, target, initE, cond, step, result, off)
        case ("map", 2), ("map", 3), ("filter", 2):
            let v = try iterName(args[0])
            let filter = name == "filter"
            let elem: Expr = filter ? try ident(v, offsets[args[0].id]) : args[args.count - 1]
            let appended = try call(Operator.add, [try ident(a, off), try node(.list(elements: [elem], optionalIndices: []), at: off, children: [elem])], at: off)
            let step: Expr
            if filter || args.count == 3 {
                step = try call(Operator.conditional, [args[1], appended, try ident(a, off)], at: off)
            } else {
                step = appended
            }
            let initE = try node(.list(elements: [], optionalIndices: []), at: off)
            return try comprehension(v, nil, target, initE, try lit(.bool(true), off), step, try ident(a, off), off)
        case ("transformList", 3), ("transformList", 4), ("transformMap", 3), ("transformMap", 4):
            let v1 = try iterName(args[0])
            let v2 = try iterName(args[1])
            if v1 == v2 { throw ParseFailure(message: "duplicate variable name: \(v1)", offset: off) }
            let f = args[args.count - 1]
            let appended: Expr
            let initE: Expr
            if name == "transformList" {
                appended = try call(Operator.add, [try ident(a, off), try node(.list(elements: [f], optionalIndices: []), at: off, children: [f])], at: off)
                initE = try node(.list(elements: [], optionalIndices: []), at: off)
            } else {
                appended = try call(Parser.mapInsert, [try ident(a, off), try ident(v1, off), f], at: off)
                initE = try node(.map(entries: []), at: off)
            }
            let step = args.count == 4 ? try call(Operator.conditional, [args[2], appended, try ident(a, off)], at: off) : appended
            return try comprehension(v1, v2, target, initE, try lit(.bool(true), off), step, try ident(a, off), off)
        default: break
        }
        return try call(name, args, at: off, target: target)
    }

    /// `cel.bind(v, init, body)`: a loop over nothing whose accumulator is `v`.
    mutating func bind(_ v: String, _ initE: Expr, _ body: Expr, _ off: Int) throws -> Expr {
        let range = try node(.list(elements: [], optionalIndices: []), at: off)
        let c = Comprehension(iterVar: "#unused", iterRange: range, accuVar: v, accuInit: initE,
                              loopCondition: try lit(.bool(false), off), loopStep: try ident(v, off), result: body)
        return try node(.comprehension(c), at: off, children: [range, initE, body])
    }

    /// Internal: `@mapInsert(map, key, value)` adds one entry (cel-go's `cel.@mapInsert`).
    static let mapInsert = "@mapInsert"

    mutating func comprehension(_ v1: String, _ v2: String?, _ range: Expr, _ initE: Expr, _ cond: Expr,
                                _ step: Expr, _ result: Expr, _ off: Int) throws -> Expr {
        if v1 == Parser.accu || v2 == Parser.accu {
            throw ParseFailure(message: "iteration variable overwrites accumulator variable", offset: off)
        }
        let c = Comprehension(iterVar: v1, iterVar2: v2, iterRange: range, accuVar: Parser.accu, accuInit: initE,
                              loopCondition: cond, loopStep: step, result: result)
        return try node(.comprehension(c), at: off, children: [range, initE, cond, step, result])
    }
}
