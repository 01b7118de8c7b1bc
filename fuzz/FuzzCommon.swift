// Shared by the fuzz targets: an environment and bindings shaped like the station's records.

/// Declarations shaped like the station's records, so the checker walks typed paths too.
let fuzzDeclarations = Declarations(
    variables: [
        "r": .map(.string, .dyn), "v": .dyn, "l": .list(.int), "s": .string, "i": .int,
        "u": .uint, "d": .double, "b": .bytes, "t": .timestamp, "dur": .duration,
        "m": .map(.string, .list(.map(.string, .dyn))),
    ],
    functions: Extensions.all
)
let fuzzEnvironment = Environment(declarations: fuzzDeclarations)

let fuzzRecord: Value = {
    func map(_ pairs: [(String, Value)]) -> Value {
        var m = MapValue()
        for (k, v) in pairs { try? m.insert(.string(k), v) }
        return .map(m)
    }
    let items: Value = .list([
        map([("id", .int(1)), ("category", .string("explosive")), ("weight_kg", .double(3.5))]),
        map([("id", .int(2)), ("category", .string("food")), ("weight_kg", .double(0.25))]),
    ])
    return map([
        ("plate", .string("浙A12345")), ("passengers_on_board", .int(52)), ("approved_seats", .int(50)),
        ("alcohol_mg_per_100ml", .double(12.5)), ("items", items), ("ok", .bool(true)), ("none", .null),
        ("checked_at", .timestamp(CELTimestamp(seconds: 1_764_374_400, nanos: 5))),
        ("tags", .list([.string("a"), .string("b")])), ("big", .uint(UInt64.max)),
    ])
}()

let fuzzBindings: [String: Value] = [
    "r": fuzzRecord, "v": fuzzRecord, "l": .list([.int(1), .int(-2), .int(Int64.max)]), "s": .string("héllo 站"),
    "i": .int(Int64.min), "u": .uint(7), "d": .double(-0.0), "b": .bytes([0, 0xFF, 0xC3]),
    "t": .timestamp(CELTimestamp(seconds: 253_402_300_799, nanos: 999_999_999)), "dur": .duration(CELDuration(seconds: -1, nanos: -5)),
    "m": .map(MapValue()),
]
