// RetentionTests: a reload (compile, plan, evaluate) retains nothing and grows no memory.

import Foundation
import XCTest
@testable import CEL

/// The daemon compiles every rule again at each reload: nothing a compile, plan or
/// evaluation makes may outlive the environment and program that made it.
final class RetentionTests: XCTestCase {

    static let driver = ObjectType(name: "station.Driver", fields: [("name", .string), ("alcohol_mg_per_100ml", .double)])

    /// A rule-shaped expression touching the checker, planner, comprehensions, a regex,
    /// a host object and a namespaced extension function.
    static let text = "[1, 2, 3].exists(x, x > .limit) && driver.alcohol_mg_per_100ml >= 20.0"
        + " && driver.name.matches('^[A-Z][a-z]+$') && math.greatest(1, limit) > 0"

    private struct Weak { weak var env: Environment?; weak var checker: Checker?; weak var program: Program?
                          weak var activation: Activation? }

    /// One reload: a fresh environment, compile, plan, evaluate. Returns weak references only.
    private func reload() throws -> Weak {
        let env = Environment(declarations: Declarations(
            variables: ["limit": .int, "driver": .object("station.Driver")], objectTypes: [Self.driver],
            functions: Extensions.math))
        let program = try env.program(try env.compile(Source(Self.text)))
        let activation = program.makeActivation()
        activation.bind("limit", .int(2))
        activation.bind("driver", .object(ObjectValue(type: Self.driver, fields: [.string("Li"), .double(25)])))
        guard case .bool(true) = program.evaluate(activation) else {
            XCTFail("the rule should fire: \(program.evaluate(activation))")
            return Weak()
        }
        return Weak(env: env, checker: env.checker, program: program, activation: activation)
    }

    func testNothingOutlivesAReload() throws {
        for i in 0..<20 {
            let w = try reload()
            XCTAssertNil(w.env, "environment retained after reload \(i)")
            XCTAssertNil(w.checker, "checker retained after reload \(i)")
            XCTAssertNil(w.program, "program retained after reload \(i)")
            XCTAssertNil(w.activation, "activation retained after reload \(i)")
        }
    }

    /// Resident set size in bytes, from /proc/self/statm (Linux).
    private func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    func testManyReloadsDoNotGrowMemory() throws {
        for _ in 0..<100 { _ = try reload() }   // warm up lazily built tables and allocator pools
        guard let before = residentBytes() else { throw XCTSkip("no /proc/self/statm") }
        let reloads = 2_000
        for _ in 0..<reloads { _ = try reload() }
        let after = try XCTUnwrap(residentBytes())
        print("retention: RSS \(before >> 10) KiB -> \(after >> 10) KiB over \(reloads) reloads")
        // A checker alone holds a few hundred signatures (tens of KiB): leaking one per
        // reload would add tens of MiB here. 8 MiB leaves room for allocator noise.
        XCTAssertLessThan(after - before, 8 << 20, "RSS grew \((after - before) >> 10) KiB over \(reloads) reloads")
    }
}
