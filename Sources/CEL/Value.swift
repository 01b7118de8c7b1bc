// Value: a CEL value at run time. Errors are values too (cel-go's types.Err), so that
// `&&`, `||` and `?:` can absorb them commutatively as the spec requires.
//
// This enum's case list is a contract shared by the parser/interpreter, the checker, the
// tagged-JSON codec and the hosts (Rules); add methods freely, change cases only together.

public enum Value {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case list([Value])
    case map(MapValue)
    case timestamp(CELTimestamp)
    case duration(CELDuration)
    case type(CELType)
    /// An instance of a host-declared object type (a record, a nested document).
    case object(ObjectValue)
    /// CEL optional values (the optionals extension): `.optional(nil)` is `optional.none()`.
    indirect case optional(Value?)
    case error(EvalError)
}

/// A point in time: seconds since the Unix epoch (UTC) and nanoseconds 0..<1e9.
/// CEL's valid range is 0001-01-01T00:00:00Z ... 9999-12-31T23:59:59.999999999Z.
public struct CELTimestamp: Hashable, Comparable, Sendable {
    public var seconds: Int64
    public var nanos: Int32
    public init(seconds: Int64, nanos: Int32 = 0) { self.seconds = seconds; self.nanos = nanos }
    public static func < (a: CELTimestamp, b: CELTimestamp) -> Bool {
        a.seconds != b.seconds ? a.seconds < b.seconds : a.nanos < b.nanos
    }
}

/// A signed span of time: seconds and nanoseconds with the same sign (protobuf Duration).
/// CEL's valid range is about ±10000 years (±315,576,000,000 s).
public struct CELDuration: Hashable, Comparable, Sendable {
    public var seconds: Int64
    public var nanos: Int32
    public init(seconds: Int64, nanos: Int32 = 0) { self.seconds = seconds; self.nanos = nanos }
    public static func < (a: CELDuration, b: CELDuration) -> Bool {
        a.seconds != b.seconds ? a.seconds < b.seconds : a.nanos < b.nanos
    }
}

/// An evaluation error: a value, not a Swift throw, until it reaches the top of the program.
public struct EvalError: Error, CustomStringConvertible, Sendable {
    public var message: String
    /// The id of the AST node that produced it, when known (for locating it in the source).
    public var exprID: Int?
    public init(_ message: String, exprID: Int? = nil) { self.message = message; self.exprID = exprID }
    public var description: String { message }
}

/// An instance of a declared object type. `fields[i]` is the value of `type.fields[i]`,
/// `nil` when the field is absent (`has()` is false and selecting it is an error, so a rule
/// can never mistake a field the kiosk did not capture for `false` or `0`).
/// A class: records are large and shared by every rule that reads them.
public final class ObjectValue {
    public let type: ObjectType
    public var fields: [Value?]
    public init(type: ObjectType, fields: [Value?]) {
        precondition(fields.count == type.fields.count, "ObjectValue: field count does not match \(type.name)")
        self.type = type
        self.fields = fields
    }
}
