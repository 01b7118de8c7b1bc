// RegexCharSet: character classes of CELRegex ([a-z], \d, \p{L}, [[:alpha:]]) and (?i) folding.

/// A set of Unicode scalars: sorted, disjoint ranges plus Unicode-property tests, optionally
/// negated as a whole. Properties stay tests (not ranges) so that `\p{L}` costs nothing to compile.
struct RegexCharSet: Equatable {
    /// Sorted, non-overlapping, non-adjacent closed ranges of scalar values.
    private(set) var ranges: [ClosedRange<UInt32>] = []
    /// Property tests; a scalar in any of them (after each one's own negation) is in the set.
    var properties: [(property: UnicodeClass, negated: Bool)] = []
    var negated = false

    static let maxScalar: UInt32 = 0x10FFFF

    static func == (a: RegexCharSet, b: RegexCharSet) -> Bool {
        a.ranges == b.ranges && a.negated == b.negated && a.properties.count == b.properties.count
            && zip(a.properties, b.properties).allSatisfy { $0.property == $1.property && $0.negated == $1.negated }
    }

    init() {}
    init(ranges: [ClosedRange<UInt32>]) { self.ranges = Self.normalized(ranges) }

    func contains(_ c: UInt32) -> Bool {
        var lo = 0, hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].upperBound < c { lo = mid + 1 } else { hi = mid }
        }
        var inside = lo < ranges.count && ranges[lo].contains(c)
        if !inside, !properties.isEmpty, let s = Unicode.Scalar(c) {
            inside = properties.contains { $0.property.contains(s) != $0.negated }
        }
        return inside != negated
    }

    /// Sorts and merges overlapping or adjacent ranges: O(n log n) however they arrive.
    static func normalized(_ input: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        let sorted = input.sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt32>] = []
        out.reserveCapacity(sorted.count)
        for r in sorted {
            if let last = out.last, r.lowerBound <= last.upperBound || r.lowerBound - last.upperBound == 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }

    mutating func add(_ other: RegexCharSet) {
        precondition(!other.negated, "RegexCharSet: negated sets are complemented before they are added")
        ranges = Self.normalized(ranges + other.ranges)
        properties += other.properties
    }

    /// The complement of a property-free set, as ranges.
    func complementedRanges() -> RegexCharSet {
        var out = RegexCharSet()
        var next: UInt32 = 0
        for r in ranges {
            if r.lowerBound > next { out.ranges.append(next...(r.lowerBound - 1)) }
            if r.upperBound >= Self.maxScalar { return out }
            next = r.upperBound + 1
        }
        out.ranges.append(next...Self.maxScalar)
        return out
    }

    /// Adds every case variant of the scalars already in the ranges ((?i)). Properties are
    /// left alone: the general categories are closed under case mapping, except for the
    /// cased-letter subclasses (Lu, Ll, Lt), which RE2 folds as well and we do not.
    mutating func foldCase() {
        let table = CaseOrbits.table
        var extra: [UInt32] = []
        for r in ranges {
            // Binary search for the first folding scalar in r, then walk while inside.
            var lo = 0, hi = table.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if table[mid].scalar < r.lowerBound { lo = mid + 1 } else { hi = mid }
            }
            while lo < table.count, table[lo].scalar <= r.upperBound {
                extra += table[lo].orbit
                lo += 1
            }
        }
        ranges = Self.normalized(ranges + extra.map { $0...$0 })
    }

    // MARK: - Named classes

    static let digit = RegexCharSet(ranges: [0x30...0x39])
    static let space = RegexCharSet(ranges: [0x09...0x0A, 0x0C...0x0D, 0x20...0x20])
    static let word = RegexCharSet(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])

    /// `\d \s \w` (ASCII, as in RE2) and their negations `\D \S \W`, by letter: the positive
    /// set and whether to complement it (after any case folding, as RE2 does).
    static func perl(_ letter: Unicode.Scalar) -> (RegexCharSet, negated: Bool)? {
        switch letter {
        case "d": return (digit, false)
        case "s": return (space, false)
        case "w": return (word, false)
        case "D": return (digit, true)
        case "S": return (space, true)
        case "W": return (word, true)
        default: return nil
        }
    }

    /// `[[:alpha:]]` and friends, ASCII as in RE2.
    static func posix(_ name: String) -> RegexCharSet? {
        let r: [ClosedRange<UInt32>]
        switch name {
        case "alnum": r = [0x30...0x39, 0x41...0x5A, 0x61...0x7A]
        case "alpha": r = [0x41...0x5A, 0x61...0x7A]
        case "ascii": r = [0x00...0x7F]
        case "blank": r = [0x09...0x09, 0x20...0x20]
        case "cntrl": r = [0x00...0x1F, 0x7F...0x7F]
        case "digit": r = [0x30...0x39]
        case "graph": r = [0x21...0x7E]
        case "lower": r = [0x61...0x7A]
        case "print": r = [0x20...0x7E]
        case "punct": r = [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E]
        case "space": r = [0x09...0x0D, 0x20...0x20]
        case "upper": r = [0x41...0x5A]
        case "word": r = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
        case "xdigit": r = [0x30...0x39, 0x41...0x46, 0x61...0x66]
        default: return nil
        }
        return RegexCharSet(ranges: r)
    }

    static func isWord(_ c: UInt32) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || c == 0x5F || (c >= 0x61 && c <= 0x7A)
    }
}

/// A Unicode class usable in `\p{…}`: a general category (one or two letters), Any, or Han.
enum UnicodeClass: Equatable {
    case any
    case han
    /// A major category letter ("L") or a two-letter category ("Lu").
    case category(String)

    init?(name: String) {
        switch name {
        case "Any": self = .any
        case "Han": self = .han
        case "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No",
             "P", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So",
             "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Cs", "Co", "Cn":
            self = .category(name)
        default: return nil
        }
    }

    func contains(_ s: Unicode.Scalar) -> Bool {
        switch self {
        case .any: return true
        case .han: return UnicodeClass.hanRanges.contains { $0.contains(s.value) }
        case .category(let name):
            let code = UnicodeClass.code(s.properties.generalCategory)
            return name.count == 1 ? code.hasPrefix(name) : code == name
        }
    }

    /// Script=Han, from Unicode 15.1 Scripts.txt.
    static let hanRanges: [ClosedRange<UInt32>] = [
        0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5, 0x3005...0x3005, 0x3007...0x3007,
        0x3021...0x3029, 0x3038...0x303B, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFA6D,
        0xFA70...0xFAD9, 0x16FE2...0x16FE3, 0x16FF0...0x16FF1, 0x20000...0x2A6DF, 0x2A700...0x2B739,
        0x2B740...0x2B81D, 0x2B820...0x2CEA1, 0x2CEB0...0x2EBE0, 0x2EBF0...0x2EE5D, 0x2F800...0x2FA1D,
        0x30000...0x3134A, 0x31350...0x323AF,
    ]

    static func code(_ c: Unicode.GeneralCategory) -> String {
        switch c {
        case .uppercaseLetter: return "Lu"
        case .lowercaseLetter: return "Ll"
        case .titlecaseLetter: return "Lt"
        case .modifierLetter: return "Lm"
        case .otherLetter: return "Lo"
        case .nonspacingMark: return "Mn"
        case .spacingMark: return "Mc"
        case .enclosingMark: return "Me"
        case .decimalNumber: return "Nd"
        case .letterNumber: return "Nl"
        case .otherNumber: return "No"
        case .connectorPunctuation: return "Pc"
        case .dashPunctuation: return "Pd"
        case .openPunctuation: return "Ps"
        case .closePunctuation: return "Pe"
        case .initialPunctuation: return "Pi"
        case .finalPunctuation: return "Pf"
        case .otherPunctuation: return "Po"
        case .mathSymbol: return "Sm"
        case .currencySymbol: return "Sc"
        case .modifierSymbol: return "Sk"
        case .otherSymbol: return "So"
        case .spaceSeparator: return "Zs"
        case .lineSeparator: return "Zl"
        case .paragraphSeparator: return "Zp"
        case .control: return "Cc"
        case .format: return "Cf"
        case .surrogate: return "Cs"
        case .privateUse: return "Co"
        case .unassigned: return "Cn"
        @unknown default: return "Cn"
        }
    }
}

/// Simple case-folding orbits (k K U+212A KELVIN SIGN …), built once from Swift's one-to-one
/// case mappings: every scalar that has another case variant, sorted, with all its variants.
enum CaseOrbits {
    static let table: [(scalar: UInt32, orbit: [UInt32])] = build()

    private static func build() -> [(scalar: UInt32, orbit: [UInt32])] {
        var parent: [UInt32: UInt32] = [:]
        func find(_ x: UInt32) -> UInt32 {
            var x = x
            while let p = parent[x], p != x { x = p }
            return x
        }
        func union(_ a: UInt32, _ b: UInt32) {
            let ra = find(a), rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        // Cased scalars all lie below U+20000; the scan reads only a cheap boolean property
        // for most of them.
        for v in UInt32(0)..<0x20000 {
            guard let s = Unicode.Scalar(v), s.properties.changesWhenCaseMapped else { continue }
            for mapped in [s.properties.lowercaseMapping, s.properties.uppercaseMapping, s.properties.titlecaseMapping] {
                let scalars = mapped.unicodeScalars
                if scalars.count == 1, let m = scalars.first, m.value != v {
                    if parent[v] == nil { parent[v] = v }
                    if parent[m.value] == nil { parent[m.value] = m.value }
                    union(v, m.value)
                }
            }
        }
        var orbits: [UInt32: [UInt32]] = [:]
        for v in parent.keys { orbits[find(v), default: []].append(v) }
        var table: [(scalar: UInt32, orbit: [UInt32])] = []
        for members in orbits.values where members.count > 1 {
            let sorted = members.sorted()
            for m in sorted { table.append((m, sorted)) }
        }
        return table.sorted { $0.scalar < $1.scalar }
    }
}
