// StandardSignatures: the type signature of every overload in CEL's standard definitions,
// as data, with cel-go's function names and overload ids (common/overloads). The checker
// resolves calls against this table; the planner can bind implementations by the same ids.
// Type parameters are `A`, `K`, `V`; each use of an overload gets fresh ones.

/// One overload's signature. For a member overload (`target.name(args)`) the receiver is
/// the first parameter.
struct Signature {
    var function: String
    var id: String
    var isMember: Bool
    var parameters: [CELType]
    var result: CELType
}

// LeakSanitizer reports the CELType boxes these lazily initialised tables make (27
// allocations of 24-32 bytes, first touched by Checker.init and CheckRun): the same count
// after 1 or 50 reloads, so they are made once per process, not per compile. LSan likely
// misses the pointers because Swift keeps enum case tags in a box pointer's spare bits.
// RetentionTests checks that a compile retains nothing.
enum StandardSignatures {
    private static let A = CELType.parameter("A")
    private static let K = CELType.parameter("K")
    private static let V = CELType.parameter("V")
    private static let listA = CELType.list(A)
    private static let mapKV = CELType.map(K, V)

    /// Every standard overload, grouped as cel-go's `common/stdlib` groups them.
    static let all: [Signature] = logic + arithmetic + relations + collections + conversions + strings + time + optionals

    private static func global(_ f: String, _ id: String, _ p: [CELType], _ r: CELType) -> Signature {
        Signature(function: f, id: id, isMember: false, parameters: p, result: r)
    }
    private static func member(_ f: String, _ id: String, _ p: [CELType], _ r: CELType) -> Signature {
        Signature(function: f, id: id, isMember: true, parameters: p, result: r)
    }

    static let logic: [Signature] = [
        global(Operator.conditional, "conditional", [.bool, A, A], A),
        global(Operator.logicalAnd, "logical_and", [.bool, .bool], .bool),
        global(Operator.logicalOr, "logical_or", [.bool, .bool], .bool),
        global(Operator.logicalNot, "logical_not", [.bool], .bool),
        global(Operator.notStrictlyFalse, "not_strictly_false", [.bool], .bool),
        global(Operator.equals, "equals", [A, A], .bool),
        global(Operator.notEquals, "not_equals", [A, A], .bool),
    ]

    static let arithmetic: [Signature] = [
        global(Operator.add, "add_int64", [.int, .int], .int),
        global(Operator.add, "add_uint64", [.uint, .uint], .uint),
        global(Operator.add, "add_double", [.double, .double], .double),
        global(Operator.add, "add_string", [.string, .string], .string),
        global(Operator.add, "add_bytes", [.bytes, .bytes], .bytes),
        global(Operator.add, "add_list", [listA, listA], listA),
        global(Operator.add, "add_timestamp_duration", [.timestamp, .duration], .timestamp),
        global(Operator.add, "add_duration_timestamp", [.duration, .timestamp], .timestamp),
        global(Operator.add, "add_duration_duration", [.duration, .duration], .duration),
        global(Operator.subtract, "subtract_int64", [.int, .int], .int),
        global(Operator.subtract, "subtract_uint64", [.uint, .uint], .uint),
        global(Operator.subtract, "subtract_double", [.double, .double], .double),
        global(Operator.subtract, "subtract_timestamp_timestamp", [.timestamp, .timestamp], .duration),
        global(Operator.subtract, "subtract_timestamp_duration", [.timestamp, .duration], .timestamp),
        global(Operator.subtract, "subtract_duration_duration", [.duration, .duration], .duration),
        global(Operator.multiply, "multiply_int64", [.int, .int], .int),
        global(Operator.multiply, "multiply_uint64", [.uint, .uint], .uint),
        global(Operator.multiply, "multiply_double", [.double, .double], .double),
        global(Operator.divide, "divide_int64", [.int, .int], .int),
        global(Operator.divide, "divide_uint64", [.uint, .uint], .uint),
        global(Operator.divide, "divide_double", [.double, .double], .double),
        global(Operator.modulo, "modulo_int64", [.int, .int], .int),
        global(Operator.modulo, "modulo_uint64", [.uint, .uint], .uint),
        global(Operator.negate, "negate_int64", [.int], .int),
        global(Operator.negate, "negate_double", [.double], .double),
    ]

    /// `<`, `<=`, `>`, `>=`: same-type orderings plus the cross-numeric ones.
    static let relations: [Signature] = {
        let ops: [(String, String)] = [(Operator.less, "less"), (Operator.lessEquals, "less_equals"),
                                       (Operator.greater, "greater"), (Operator.greaterEquals, "greater_equals")]
        let pairs: [(String, CELType, CELType)] = [
            ("bool", .bool, .bool), ("int64", .int, .int), ("int64_double", .int, .double),
            ("int64_uint64", .int, .uint), ("uint64", .uint, .uint), ("uint64_double", .uint, .double),
            ("uint64_int64", .uint, .int), ("double", .double, .double), ("double_int64", .double, .int),
            ("double_uint64", .double, .uint), ("string", .string, .string), ("bytes", .bytes, .bytes),
            ("timestamp", .timestamp, .timestamp), ("duration", .duration, .duration),
        ]
        return ops.flatMap { op, prefix in
            pairs.map { suffix, l, r in global(op, "\(prefix)_\(suffix)", [l, r], .bool) }
        }
    }()

    static let collections: [Signature] = [
        global(Operator.index, "index_list", [listA, .int], A),
        global(Operator.index, "index_map", [mapKV, K], V),
        global(Operator.in, "in_list", [A, listA], .bool),
        global(Operator.in, "in_map", [K, mapKV], .bool),
        global("size", "size_string", [.string], .int),
        global("size", "size_bytes", [.bytes], .int),
        global("size", "size_list", [listA], .int),
        global("size", "size_map", [mapKV], .int),
        member("size", "string_size", [.string], .int),
        member("size", "bytes_size", [.bytes], .int),
        member("size", "list_size", [listA], .int),
        member("size", "map_size", [mapKV], .int),
        // Internal to the transformMap macro: adds one entry to the accumulated map.
        global(Parser.mapInsert, "map_insert", [mapKV, K, V], mapKV),
    ]

    static let conversions: [Signature] = [
        global("type", "type", [A], .type(A)),
        global("dyn", "to_dyn", [A], .dyn),
        global("bool", "bool_to_bool", [.bool], .bool),
        global("bool", "string_to_bool", [.string], .bool),
        global("bytes", "bytes_to_bytes", [.bytes], .bytes),
        global("bytes", "string_to_bytes", [.string], .bytes),
        global("double", "double_to_double", [.double], .double),
        global("double", "int64_to_double", [.int], .double),
        global("double", "uint64_to_double", [.uint], .double),
        global("double", "string_to_double", [.string], .double),
        global("duration", "duration_to_duration", [.duration], .duration),
        global("duration", "int64_to_duration", [.int], .duration),
        global("duration", "string_to_duration", [.string], .duration),
        global("int", "int64_to_int64", [.int], .int),
        global("int", "uint64_to_int64", [.uint], .int),
        global("int", "double_to_int64", [.double], .int),
        global("int", "string_to_int64", [.string], .int),
        global("int", "timestamp_to_int64", [.timestamp], .int),
        global("int", "duration_to_int64", [.duration], .int),
        global("string", "string_to_string", [.string], .string),
        global("string", "bool_to_string", [.bool], .string),
        global("string", "int64_to_string", [.int], .string),
        global("string", "uint64_to_string", [.uint], .string),
        global("string", "double_to_string", [.double], .string),
        global("string", "bytes_to_string", [.bytes], .string),
        global("string", "timestamp_to_string", [.timestamp], .string),
        global("string", "duration_to_string", [.duration], .string),
        global("timestamp", "timestamp_to_timestamp", [.timestamp], .timestamp),
        global("timestamp", "int64_to_timestamp", [.int], .timestamp),
        global("timestamp", "string_to_timestamp", [.string], .timestamp),
        global("uint", "uint64_to_uint64", [.uint], .uint),
        global("uint", "int64_to_uint64", [.int], .uint),
        global("uint", "double_to_uint64", [.double], .uint),
        global("uint", "string_to_uint64", [.string], .uint),
    ]

    static let strings: [Signature] = [
        member("contains", "contains_string", [.string, .string], .bool),
        member("endsWith", "ends_with_string", [.string, .string], .bool),
        member("startsWith", "starts_with_string", [.string, .string], .bool),
        global("matches", "matches", [.string, .string], .bool),
        member("matches", "matches_string", [.string, .string], .bool),
    ]

    /// Timestamp accessors, each with and without the time-zone argument, and the duration ones.
    static let time: [Signature] = {
        let stamped: [(String, String, String)] = [
            ("getFullYear", "timestamp_to_year", "timestamp_to_year_with_tz"),
            ("getMonth", "timestamp_to_month", "timestamp_to_month_with_tz"),
            ("getDayOfYear", "timestamp_to_day_of_year", "timestamp_to_day_of_year_with_tz"),
            ("getDayOfMonth", "timestamp_to_day_of_month", "timestamp_to_day_of_month_with_tz"),
            ("getDate", "timestamp_to_day_of_month_1_based", "timestamp_to_day_of_month_1_based_with_tz"),
            ("getDayOfWeek", "timestamp_to_day_of_week", "timestamp_to_day_of_week_with_tz"),
            ("getHours", "timestamp_to_hours", "timestamp_to_hours_with_tz"),
            ("getMinutes", "timestamp_to_minutes", "timestamp_to_minutes_with_tz"),
            ("getSeconds", "timestamp_to_seconds", "timestamp_to_seconds_tz"),
            ("getMilliseconds", "timestamp_to_milliseconds", "timestamp_to_milliseconds_with_tz"),
        ]
        var sigs: [Signature] = []
        for (name, plain, zoned) in stamped {
            sigs.append(member(name, plain, [.timestamp], .int))
            sigs.append(member(name, zoned, [.timestamp, .string], .int))
        }
        sigs += [
            member("getHours", "duration_to_hours", [.duration], .int),
            member("getMinutes", "duration_to_minutes", [.duration], .int),
            member("getSeconds", "duration_to_seconds", [.duration], .int),
            member("getMilliseconds", "duration_to_milliseconds", [.duration], .int),
        ]
        return sigs
    }()

    /// The optional types library (cel-go `cel.OptionalTypes`). `_?._` (optional field
    /// selection) is not here: the checker types it from the field, like a selection.
    static let optionals: [Signature] = [
        global("optional.of", "optional_of", [A], .optional(A)),
        global("optional.ofNonZeroValue", "optional_ofNonZeroValue", [A], .optional(A)),
        global("optional.none", "optional_none", [], .optional(A)),
        member("value", "optional_value", [.optional(A)], A),
        member("hasValue", "optional_hasValue", [.optional(A)], .bool),
        member("or", "optional_or_optional", [.optional(A), .optional(A)], .optional(A)),
        member("orValue", "optional_orValue_value", [.optional(A), A], A),
        global(Operator.optionalIndex, "list_optindex_optional_int", [listA, .int], .optional(A)),
        global(Operator.optionalIndex, "optional_list_optindex_optional_int", [.optional(listA), .int], .optional(A)),
        global(Operator.optionalIndex, "map_optindex_optional_value", [mapKV, K], .optional(V)),
        global(Operator.optionalIndex, "optional_map_optindex_optional_value", [.optional(mapKV), K], .optional(V)),
        global(Operator.index, "optional_list_index_int", [.optional(listA), .int], .optional(A)),
        global(Operator.index, "optional_map_index_value", [.optional(mapKV), K], .optional(V)),
    ]

    /// Names that denote types when used as values (`type(x) == int`), with the type they denote.
    static let typeNames: [String: CELType] = [
        "bool": .bool, "bytes": .bytes, "double": .double, "int": .int, "uint": .uint,
        "string": .string, "null_type": .null, "dyn": .dyn, "list": .list(.dyn), "map": .map(.dyn, .dyn),
        "type": .type(.dyn), "optional_type": .optional(.dyn),
        "google.protobuf.Timestamp": .timestamp, "google.protobuf.Duration": .duration,
    ]
}
