// stationguard expr: the CEL engine alone, one JSON line in, one JSON line out.
//
// DESCRIPTION
//   Reads JSON lines {"expr", "bindings", optional "type_env", "disable_check",
//   "disable_macros"} on stdin and prints, in order, {"value": tagged} or {"error": "..."}
//   for each non-blank line (spec/interfaces.md §4; tagged encoding: cel/README.md).
//   Bound variables absent from type_env are declared `dyn`; extensions are declared.
//   --plain reads bindings as plain JSON (peer_eval.py --plain). --bench prints, per line
//   {"name", "expr", "bindings"}, the timings peer_eval.py --bench prints, measured the
//   same way (calibrated loop ≥ --min-time seconds, median of --runs runs).
// TRUST
//   stdin is a tester's or fuzzer's: a malformed line is an {"error"} line naming the input
//   line number and the field, never a crash or a stop.
// DIAGNOSTICS
//   Compile errors are the engine's rendered issues (`ERROR: <input>:1:5: ...` with caret);
//   evaluation errors are the error value's message. Exit 0 after the last line.
// SEE ALSO
//   /work/shared/cel/peer_eval.py, scripts/cel-differential.
import ArgumentParser
import CEL
import Dispatch
import Foundation

struct Expr: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expr",
        abstract: "Evaluate CEL expressions read as JSON lines.",
        discussion: "Input lines: {\"expr\": \"...\", \"bindings\": {name: tagged value}}; output lines: {\"value\": tagged} or {\"error\": \"message\"}."
    )

    @Flag(help: "Bindings are plain JSON (object → map, integer literal → int, other number → double).")
    var plain = false

    @Flag(help: "Time each line's evaluation and compilation instead of printing values.")
    var bench = false

    @Option(help: "--bench: timed runs per measurement (the median is reported).")
    var runs = 7

    @Option(name: .customLong("min-time"), help: "--bench: seconds each timed run lasts at least.")
    var minTime = 0.2

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard minTime > 0, minTime <= 60 else { throw ValidationError("--min-time must be in (0, 60] seconds") }
    }

    func run() throws {
        var number = 0
        while let line = readLine(strippingNewline: true) {
            number += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            let output: [String: Any]
            do {
                let request = try ExprRequest(line: line, number: number, plain: plain)
                output = bench ? benchmark(request) : request.evaluateOnce()
            } catch {
                output = ["error": "\(error)"]
            }
            writeLine(output)
        }
    }

    private func writeLine(_ object: [String: Any]) {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes]))
            ?? Data(#"{"error": "internal: result could not be written as JSON"}"#.utf8)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    // MARK: - Benchmark

    /// The keys and method of `peer_eval.py --bench`: each measurement is calibrated to last
    /// at least `minTime`, then run `runs` times; the median and minimum are reported.
    private func benchmark(_ request: ExprRequest) -> [String: Any] {
        var out: [String: Any] = ["name": request.name ?? "", "peer": "stationguard", "expr": request.expr]
        let env = request.environment()
        let program: Program
        let activation: Activation
        do {
            program = try request.compile(in: env)
            activation = program.makeActivation()
            for (name, value) in try request.decodedBindings() { activation.bind(name, value) }
        } catch {
            out["error"] = "\(error)"
            return out
        }
        let result = program.evaluate(activation)
        if case .error(let e) = result { out["error"] = e.message } else { out["value"] = TaggedValue.encode(result) }

        var sink = 0  // results feed this so the optimiser cannot drop the work
        let measurements: [(String, () -> Void)] = [
            ("eval_us", { if case .bool(true) = program.evaluate(activation) { sink &+= 1 } }),
            ("convert_and_eval_us", {
                let a = program.makeActivation()
                for (name, value) in (try? request.decodedBindings()) ?? [:] { a.bind(name, value) }
                if case .bool(true) = program.evaluate(a) { sink &+= 1 }
            }),
            ("compile_us", { if (try? request.compile(in: env)) != nil { sink &+= 1 } }),
        ]
        for (label, body) in measurements {
            let iterations = calibrate(body)
            var samples: [Double] = []
            for _ in 0..<runs {
                let t0 = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<iterations { body() }
                let t1 = DispatchTime.now().uptimeNanoseconds
                samples.append(Double(t1 - t0) / Double(iterations) / 1000)
            }
            samples.sort()
            out[label] = rounded(samples[samples.count / 2])
            out[label.replacingOccurrences(of: "_us", with: "_us_min")] = rounded(samples[0])
            out[label.replacingOccurrences(of: "_us", with: "_iters")] = iterations
        }
        out["runs"] = runs
        if sink < 0 { out["sink"] = sink }
        return out
    }

    /// Iterations for one run to last at least `minTime` (peer_eval.py's time_loop).
    private func calibrate(_ body: () -> Void) -> Int {
        var n = 1
        while true {
            let t0 = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<n { body() }
            let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            if dt >= minTime || n >= 1 << 40 { return n }
            n = max(n * 2, Int(Double(n) * minTime / max(dt, 1e-9) * 1.2))
        }
    }

    private func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}

/// One input line, validated: the expression and how to bind and check it.
struct ExprRequest {
    var name: String?
    var expr: String
    /// Raw JSON bindings (decoded on demand, so --bench can time the conversion).
    var bindings: [String: Any]
    var plain: Bool
    var typeEnv: [String: CELType]?
    var disableCheck: Bool
    var disableMacros: Bool
    /// "input line N" for error messages.
    var origin: String

    init(line: String, number: Int, plain: Bool) throws {
        origin = "input line \(number)"
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [])
        } catch {
            throw InputError("\(origin): not valid JSON (\((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error))")
        }
        guard let object = json as? [String: Any] else { throw InputError("\(origin): expected a JSON object {\"expr\": ..., \"bindings\": {...}}") }
        guard let expr = object["expr"] as? String else { throw InputError("\(origin): \"expr\" must be a string") }
        self.expr = expr
        self.plain = plain
        name = object["name"] as? String
        switch object["bindings"] {
        case nil, is NSNull: bindings = [:]
        case let b as [String: Any]: bindings = b
        default: throw InputError("\(origin): \"bindings\" must be an object {name: value}")
        }
        disableCheck = try Self.flag(object, "disable_check", origin)
        disableMacros = try Self.flag(object, "disable_macros", origin)
        switch object["type_env"] {
        case nil, is NSNull: typeEnv = nil
        case let env as [String: Any]:
            var types: [String: CELType] = [:]
            for (variable, text) in env {
                guard let text = text as? String else { throw InputError("\(origin): type_env.\(variable) must be a type string such as \"list(int)\"") }
                do { types[variable] = try TaggedValue.parseType(text) } catch {
                    throw InputError("\(origin): type_env.\(variable): \(error)")
                }
            }
            typeEnv = types
        default: throw InputError("\(origin): \"type_env\" must be an object {name: type string}")
        }
    }

    private static func flag(_ object: [String: Any], _ key: String, _ origin: String) throws -> Bool {
        guard let v = object[key], !(v is NSNull) else { return false }
        guard let n = v as? NSNumber, type(of: n) == type(of: NSNumber(value: true)) else {
            throw InputError("\(origin): \"\(key)\" must be true or false")
        }
        return n.boolValue
    }

    /// The bindings as CEL values; a malformed tagged value names the variable and path.
    func decodedBindings() throws -> [String: Value] {
        var out: [String: Value] = [:]
        for (name, json) in bindings {
            if plain {
                out[name] = TaggedValue.decodePlain(json)
            } else {
                do { out[name] = try TaggedValue.decode(json) } catch {
                    throw InputError("\(origin): bindings.\(name): \(error)")
                }
            }
        }
        return out
    }

    /// An environment declaring type_env's variables, and every other bound name as `dyn`.
    func environment() -> Environment {
        var variables = typeEnv ?? [:]
        for name in bindings.keys where variables[name] == nil { variables[name] = .dyn }
        var options = ParserOptions()
        options.macros = !disableMacros
        return Environment(declarations: Declarations(variables: variables, functions: Extensions.all), parserOptions: options)
    }

    /// Parses, checks (unless disable_check) and plans.
    func compile(in env: Environment) throws -> Program {
        let source = Source(expr)
        if disableCheck { return try env.program(env.parse(source)) }
        return try env.program(env.compile(source))
    }

    /// {"value": tagged} or {"error": message}.
    func evaluateOnce() -> [String: Any] {
        do {
            let program = try compile(in: environment())
            let result = program.evaluate(try decodedBindings())
            if case .error(let e) = result {
                if let (line, column) = program.location(of: e) { return ["error": "<input>:\(line):\(column): \(e.message)"] }
                return ["error": e.message]
            }
            return ["value": TaggedValue.encode(result)]
        } catch {
            return ["error": "\(error)"]
        }
    }
}

/// A malformed input line.
struct InputError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
