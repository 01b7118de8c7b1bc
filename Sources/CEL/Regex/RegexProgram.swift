// RegexProgram: a RegexNode tree compiled to a Thompson NFA, and the simulation that runs it.

/// One NFA instruction.
enum RegexInstruction {
    case scalar(UInt32)
    /// Index into `RegexProgram.sets`.
    case set(Int)
    case split(Int, Int)
    case jump(Int)
    case assertion(RegexAssertion)
    case match
}

/// A compiled pattern. Immutable; each search allocates its own thread lists, so one
/// program may be shared by any number of concurrent evaluations.
final class RegexProgram {
    private(set) var instructions: [RegexInstruction] = []
    private(set) var sets: [RegexCharSet] = []
    /// True when every match must start at offset 0 (the pattern begins with \A or ^ without (?m)),
    /// so the search stops as soon as no thread is alive.
    let anchoredAtStart: Bool

    init(_ tree: RegexNode) {
        anchoredAtStart = RegexProgram.startsWithBeginText(tree)
        instructions.reserveCapacity(tree.programSize + 1)
        emit(tree)
        instructions.append(.match)
    }

    private static func startsWithBeginText(_ node: RegexNode) -> Bool {
        switch node {
        case .assertion(.beginText): return true
        case .concat(let xs): return xs.first.map(startsWithBeginText) ?? false
        case .alternation(let xs): return !xs.isEmpty && xs.allSatisfy(startsWithBeginText)
        case .repetition(let x, let min, _): return min > 0 && startsWithBeginText(x)
        default: return false
        }
    }

    // MARK: - Compilation

    @discardableResult
    private func append(_ i: RegexInstruction) -> Int {
        instructions.append(i)
        return instructions.count - 1
    }

    /// Emits `node` so that control falls through to the next instruction on success.
    private func emit(_ node: RegexNode) {
        switch node {
        case .empty:
            break
        case .scalar(let c):
            append(.scalar(c))
        case .set(let s):
            sets.append(s)
            append(.set(sets.count - 1))
        case .assertion(let a):
            append(.assertion(a))
        case .concat(let xs):
            for x in xs { emit(x) }
        case .alternation(let xs):
            var exits: [Int] = []
            for (i, x) in xs.enumerated() {
                if i == xs.count - 1 { emit(x); break }
                let split = append(.split(0, 0))
                emit(x)
                exits.append(append(.jump(0)))
                instructions[split] = .split(split + 1, instructions.count)
            }
            for j in exits { instructions[j] = .jump(instructions.count) }
        case .repetition(let x, let min, nil):
            if min == 0 {
                // L: split body, out; body; jump L; out:
                let loop = append(.split(0, 0))
                emit(x)
                append(.jump(loop))
                instructions[loop] = .split(loop + 1, instructions.count)
            } else {
                for _ in 0..<(min - 1) { emit(x) }
                let body = instructions.count
                emit(x)
                append(.split(body, instructions.count + 1))
            }
        case .repetition(let x, let min, let max?):
            for _ in 0..<min { emit(x) }
            // x{0,k} as (x(x(x)?)?)?: every optional copy can exit straight to the end.
            var exits: [Int] = []
            for _ in 0..<Swift.max(0, max - min) {
                exits.append(append(.split(0, 0)))
                emit(x)
            }
            for s in exits { instructions[s] = .split(s + 1, instructions.count) }
        }
    }

    // MARK: - Simulation

    /// Runs the NFA over `input`, unanchored. `steps` counts instruction visits: at most
    /// 3 × instructions per input position (added to this list, stepped, added to the next), which
    /// is what the linear-time tests assert.
    func search(_ input: [UInt32]) -> (matched: Bool, steps: Int) {
        var current = ThreadList(capacity: instructions.count)
        var next = ThreadList(capacity: instructions.count)
        var stack: [Int] = []
        stack.reserveCapacity(16)
        var steps = 0
        let n = input.count
        var pos = 0
        while true {
            // Start a new attempt here (the unanchored search's implicit `.*?` prefix).
            if pos == 0 || !anchoredAtStart {
                if addThread(&current, 0, at: pos, input, &stack, &steps) { return (true, steps) }
            }
            if current.count == 0 && (anchoredAtStart || pos >= n) { return (false, steps) }
            if pos >= n { return (false, steps) }
            let c = input[pos]
            for k in 0..<current.count {
                let pc = current.dense[k]
                steps += 1
                let advances: Bool
                switch instructions[pc] {
                case .scalar(let want): advances = c == want
                case .set(let i): advances = sets[i].contains(c)
                default: advances = false  // epsilon instructions were followed in addThread
                }
                if advances, addThread(&next, pc + 1, at: pos + 1, input, &stack, &steps) { return (true, steps) }
            }
            swap(&current, &next)
            next.clear()
            pos += 1
        }
    }

    /// Adds `pc` and everything reachable from it by epsilon moves at `pos` to `list`.
    /// Returns true as soon as `match` is reachable (only existence matters).
    private func addThread(_ list: inout ThreadList, _ pc: Int, at pos: Int, _ input: [UInt32],
                           _ stack: inout [Int], _ steps: inout Int) -> Bool {
        stack.append(pc)
        while let pc = stack.popLast() {
            guard list.insert(pc) else { continue }
            steps += 1
            switch instructions[pc] {
            case .match:
                stack.removeAll(keepingCapacity: true)
                return true
            case .jump(let to):
                stack.append(to)
            case .split(let a, let b):
                stack.append(b)
                stack.append(a)
            case .assertion(let a):
                if holds(a, at: pos, input) { stack.append(pc + 1) }
            case .scalar, .set:
                break
            }
        }
        return false
    }

    private func holds(_ a: RegexAssertion, at pos: Int, _ input: [UInt32]) -> Bool {
        let before: UInt32? = pos > 0 ? input[pos - 1] : nil
        let after: UInt32? = pos < input.count ? input[pos] : nil
        switch a {
        case .beginText: return pos == 0
        case .endText: return pos == input.count
        case .beginLine: return before == nil || before == 10
        case .endLine: return after == nil || after == 10
        case .wordBoundary, .notWordBoundary:
            let boundary = (before.map(RegexCharSet.isWord) ?? false) != (after.map(RegexCharSet.isWord) ?? false)
            return boundary == (a == .wordBoundary)
        }
    }
}

/// A sparse set of instruction indices with insertion order (Briggs–Torczon): O(1) insert,
/// membership and clear, so each input position costs O(program size) at most.
struct ThreadList {
    var dense: [Int]
    var sparse: [Int]
    var count = 0

    init(capacity: Int) {
        dense = Array(repeating: 0, count: capacity)
        sparse = Array(repeating: 0, count: capacity)
    }

    /// Inserts `pc`; false if it was already present.
    mutating func insert(_ pc: Int) -> Bool {
        let i = sparse[pc]
        if i < count && dense[i] == pc { return false }
        sparse[pc] = count
        dense[count] = pc
        count += 1
        return true
    }

    mutating func clear() { count = 0 }
}
