// MapValue: a CEL map. Keys are bool, int, uint or string; numeric keys compare across
// types (`{1: 'a'}[1u]` finds the entry), as the spec's heterogeneous equality says.

public struct MapValue {
    /// Entries and index behind one reference, so copying a map value (every read of a
    /// variable or field that holds one) costs one retain, not two.
    final class Storage {
        var entries: [(key: Value, value: Value)]
        var index: [MapKey: Int]
        init(entries: [(key: Value, value: Value)] = [], index: [MapKey: Int] = [:]) { self.entries = entries; self.index = index }
    }
    private var storage: Storage

    /// Entries in insertion order (order is not significant to CEL, but stable output is kind).
    public var entries: [(key: Value, value: Value)] { storage.entries }

    public init() { storage = Storage() }

    /// Builds a map; fails with a message on an invalid key type or a repeated key.
    public init(pairs: [(Value, Value)]) throws {
        self.init()
        for (k, v) in pairs { try insert(k, v) }
    }

    public var count: Int { storage.entries.count }

    public mutating func insert(_ key: Value, _ value: Value) throws {
        // Only bool, int, uint and string may be keys; a double finds an entry but never makes one.
        if case .double = key { throw EvalError("unsupported key type: double") }
        guard let mk = MapKey(key) else { throw EvalError("unsupported key type") }
        if storage.index[mk] != nil { throw EvalError("Failed with repeated key") }
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(entries: storage.entries, index: storage.index) }
        storage.index[mk] = storage.entries.count
        storage.entries.append((key, value))
    }

    /// The value for `key`, nil if absent or if `key` cannot be a map key.
    public subscript(key: Value) -> Value? {
        guard let mk = MapKey(key) else { return nil }
        return value(forKey: mk)
    }

    /// Lookup by a key normalised once (at plan time) rather than on every evaluation.
    func value(forKey mk: MapKey) -> Value? {
        let s = storage
        // Small maps (most record sub-documents): a scan beats hashing the key.
        if s.entries.count <= 8, case .string(let wanted) = mk {
            return s.entries.withUnsafeBufferPointer { buf -> Value? in
                for i in 0..<buf.count { if case .string(let t) = buf[i].key, t == wanted { return buf[i].value } }
                return nil
            }
        }
        guard let i = s.index[mk] else { return nil }
        return s.entries[i].value
    }
}

/// A normalised map key: integral numbers (int, uint, or a double with no fraction)
/// that fit in Int64 become `.int`, so that 1, 1u and 1.0 find the same entry.
enum MapKey: Hashable {
    case bool(Bool)
    case int(Int64)
    case bigUInt(UInt64)
    case string(String)

    init?(_ v: Value) {
        switch v {
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .uint(let u): self = u <= UInt64(Int64.max) ? .int(Int64(u)) : .bigUInt(u)
        case .string(let s): self = .string(s)
        case .double(let d):
            if d.rounded() == d, d >= -9.223372036854775808e18, d < 9.223372036854775808e18 { self = .int(Int64(d)) }
            else if d.rounded() == d, d >= 0, d < 1.8446744073709551616e19 { self = .bigUInt(UInt64(d)) }
            else { return nil }
        default: return nil
        }
    }
}
