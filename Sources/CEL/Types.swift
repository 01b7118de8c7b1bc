// Types: what the checker reasons about and what `type(x)` returns at run time.

/// A CEL type. `dyn` is the open type: the checker accepts anything there and defers to run time.
public indirect enum CELType: Hashable, Sendable, CustomStringConvertible {
    case dyn
    case null
    case bool
    case int
    case uint
    case double
    case string
    case bytes
    case timestamp
    case duration
    case list(CELType)
    case map(CELType, CELType)
    /// A host-declared object type, by name (see `ObjectType`).
    case object(String)
    /// The type of a type value, e.g. `type(int)` is `.type(.int)`.
    case type(CELType)
    case optional(CELType)
    /// A type parameter in a function signature (`A`, `K`, `V`).
    case parameter(String)
    /// The checker's marker for an expression that already failed to check.
    case error

    /// The CEL spelling, as `type()` names it and error messages show it; cut short with
    /// "…" past `descriptionLimit` characters (a hostile expression's type can have 2^n nodes).
    public var description: String {
        var out = ""
        var budget = CELType.descriptionLimit
        write(to: &out, budget: &budget)
        return out
    }

    static let descriptionLimit = 1_000

    /// Appends the spelling while `budget` (characters) lasts; visits O(budget) nodes.
    private func write(to out: inout String, budget: inout Int) {
        func leaf(_ s: String) {
            if budget > 0 {
                out += s; budget -= s.count
                if budget <= 0 { out += "…" }
            }
        }
        guard budget > 0 else { return }
        func wrap(_ name: String, _ inner: [CELType]) {
            leaf(name + "(")
            for (i, t) in inner.enumerated() {
                if i > 0 { leaf(", ") }
                t.write(to: &out, budget: &budget)
            }
            leaf(")")
        }
        switch self {
        case .dyn: leaf("dyn")
        case .null: leaf("null_type")
        case .bool: leaf("bool")
        case .int: leaf("int")
        case .uint: leaf("uint")
        case .double: leaf("double")
        case .string: leaf("string")
        case .bytes: leaf("bytes")
        case .timestamp: leaf("google.protobuf.Timestamp")
        case .duration: leaf("google.protobuf.Duration")
        case .list(let e): wrap("list", [e])
        case .map(let k, let v): wrap("map", [k, v])
        case .object(let name): leaf(name)
        case .type(let t): wrap("type", [t])
        case .optional(let t): wrap("optional_type", [t])
        case .parameter(let name): leaf(name)
        case .error: leaf("*error*")
        }
    }
}

/// A host-declared object type: a name and typed fields in a fixed order. The checker
/// resolves `x.field` to a slot index, so evaluation reads `ObjectValue.fields[slot]`.
public final class ObjectType: Hashable, CustomStringConvertible {
    public let name: String
    public let fields: [(name: String, type: CELType)]
    private let slots: [String: Int]

    public init(name: String, fields: [(name: String, type: CELType)]) {
        self.name = name
        self.fields = fields
        var slots: [String: Int] = [:]
        for (i, f) in fields.enumerated() { slots[f.name] = i }
        self.slots = slots
    }

    /// The slot of a field, or nil if the type has no such field.
    public func slot(of field: String) -> Int? { slots[field] }

    public var description: String { name }
    public static func == (a: ObjectType, b: ObjectType) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
}

/// What a host declares to an `Environment`: variables, object types and extra functions.
public struct Declarations {
    public var variables: [String: CELType]
    public var objectTypes: [ObjectType]
    public var functions: [FunctionDecl]
    public init(variables: [String: CELType] = [:], objectTypes: [ObjectType] = [], functions: [FunctionDecl] = []) {
        self.variables = variables
        self.objectTypes = objectTypes
        self.functions = functions
    }
}

/// A function a host adds (e.g. the station's date helpers), with one or more overloads.
public struct FunctionDecl {
    public var name: String
    public var overloads: [FunctionOverload]
    public init(name: String, overloads: [FunctionOverload]) { self.name = name; self.overloads = overloads }
}

/// One signature of a function and its implementation. Implementations return `.error(…)`
/// rather than throwing; they must not trap on any input.
public struct FunctionOverload {
    public enum Implementation {
        case unary((Value) -> Value)
        case binary((Value, Value) -> Value)
        case nary(([Value]) -> Value)
        /// For work that grows with its input (searching, building text or lists): the
        /// `Int` is the evaluation's remaining cost budget (one unit per KiB, or 1,024 list
        /// elements, scanned or built). Spend before working and stop once it is negative;
        /// the call then becomes a "cost limit exceeded" error. The result is not charged again.
        case metered(([Value], inout Int) -> Value)
    }
    public var id: String
    /// Called as `target.name(args…)` (true) or `name(args…)` (false).
    public var isMember: Bool
    /// Parameter types; for a member overload the first is the receiver.
    public var parameters: [CELType]
    public var result: CELType
    public var implementation: Implementation
    public init(id: String, isMember: Bool = false, parameters: [CELType], result: CELType, implementation: Implementation) {
        self.id = id; self.isMember = isMember; self.parameters = parameters; self.result = result; self.implementation = implementation
    }
}
