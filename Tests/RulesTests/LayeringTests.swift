// Layers: override by name, mask, .disabled, enabled: false, enable/disable in the admin dir.
import XCTest
@testable import Rules

final class LayeringTests: XCTestCase {
    func states(_ layers: RuleLayers) -> [String] {
        layers.scan().map { "\($0.name) \(($0.directory as NSString).lastPathComponent) \($0.state.rawValue)" }
    }

    func testOverrideMaskAndDisabled() throws {
        let s = Scratch()
        s.writeFixtureRuleSets(in: "vendor")
        // The admin's capacity replaces the vendor's: T-001 only, as a WARN.
        s.write("admin/capacity.yaml", Fixtures.localCapacity(ruleID: "T-001"))
        let layers = RuleLayers(directories: [s.path("vendor"), s.path("admin")])
        XCTAssertEqual(states(layers), ["capacity vendor overridden", "capacity admin active", "papers vendor active"])
        var g = try RuleLoader(layers: layers).load()
        XCTAssertEqual(g.rules.map(\.id), ["T-001", "P-001", "P-002", "P-003", "P-004"])
        XCTAssertEqual(g.rules.first?.action, .warn)

        // Mask papers with a /dev/null symlink in the admin layer.
        try FileManager.default.createSymbolicLink(atPath: s.path("admin/papers.yaml"), withDestinationPath: "/dev/null")
        XCTAssertEqual(states(layers), ["capacity vendor overridden", "capacity admin active", "papers vendor overridden", "papers admin masked"])
        g = try RuleLoader(layers: layers).load()
        XCTAssertEqual(g.rules.map(\.id), ["T-001"])

        // Disable the admin capacity by renaming it: the vendor file does not come back.
        try FileManager.default.moveItem(atPath: s.path("admin/capacity.yaml"), toPath: s.path("admin/capacity.yaml.disabled"))
        XCTAssertEqual(states(layers), ["capacity vendor overridden", "capacity admin disabled", "papers vendor overridden", "papers admin masked"])
        // Nothing left in force: the load refuses rather than pass every bus.
        XCTAssertEqual(loadIssues(layers.directories).map(\.message),
                       ["no active rule set (*.yaml) in any rule directory: nothing would be checked"])

        let listing = RuleListing.make(layers: layers)
        XCTAssertEqual(listing.rules.map { "\($0.id) \($0.state)" },
                       ["T-001 disabled", "T-002 disabled", "T-003 disabled", "T-001 disabled", "P-001 masked", "P-002 masked", "P-003 masked", "P-004 masked"])
        XCTAssertEqual(listing.setsWithoutRules.map(\.name), ["papers"])
    }

    func testRuleListShowsEnabledFalseAsDisabled() {
        let s = Scratch()
        s.write("v/capacity.yaml", Fixtures.capacity)
        let listing = RuleListing.make(layers: RuleLayers(directories: [s.path("v")]))
        XCTAssertEqual(listing.rules.map { "\($0.id) \($0.state)" }, ["T-001 active", "T-002 active", "T-003 disabled"])
        XCTAssertEqual(listing.issues.count, 0)
    }

    func testDisableThenEnableInAdminDirectory() throws {
        let s = Scratch()
        s.write("vendor/capacity.yaml", Fixtures.capacity)
        s.write("admin/papers.yaml", Fixtures.papers)
        let layers = RuleLayers(directories: [s.path("vendor"), s.path("admin")])

        // A vendor set is masked with a symlink in the admin directory.
        var change = try layers.disable("capacity")
        XCTAssertTrue(change.changed)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: s.path("admin/capacity.yaml")), "/dev/null")
        XCTAssertFalse(try layers.disable("capacity").changed, "a second disable changes nothing")
        // An admin set is renamed to .disabled.
        change = try layers.disable("papers.yaml")
        XCTAssertTrue(FileManager.default.fileExists(atPath: s.path("admin/papers.yaml.disabled")))
        XCTAssertEqual(loadIssues(layers.directories).count, 1)

        change = try layers.enable("capacity")
        XCTAssertTrue(change.message.contains("removed the mask"), change.message)
        change = try layers.enable("papers")
        XCTAssertTrue(FileManager.default.fileExists(atPath: s.path("admin/papers.yaml")))
        XCTAssertEqual(try RuleLoader(layers: layers).load().rules.count, 7)
        XCTAssertFalse(try layers.enable("papers").changed)

        XCTAssertThrowsError(try layers.disable("nosuchset")) { e in
            XCTAssertTrue("\(e)".contains("no rule set named 'nosuchset'"), "\(e)")
        }
    }

    func testSwitchBelowAdminLayerCannotBeEnabledFromAbove() throws {
        let s = Scratch()
        s.write("vendor/capacity.yaml.disabled", Fixtures.capacity)
        try FileManager.default.createDirectory(atPath: s.path("admin"), withIntermediateDirectories: true)
        let layers = RuleLayers(directories: [s.path("vendor"), s.path("admin")])
        XCTAssertThrowsError(try layers.enable("capacity"))
    }

    func testYmlFileIsReportedNotIgnored() {
        let s = Scratch()
        s.write("v/capacity.yaml", Fixtures.capacity)
        let yml = s.write("v/papers.yml", Fixtures.papers)
        s.write("v/README.md", "notes")
        XCTAssertEqual(loadIssues([s.path("v")]).map(\.summary), ["\(yml): rule set files must end in .yaml; this one is not loaded"])
    }
}
