// RuleLayers: the rule directories as systemd's `*.d` layers. Lowest first; the same file
// name in a higher layer replaces the lower one; `NAME.yaml -> /dev/null` masks a set and
// `NAME.yaml.disabled` switches it off. The highest directory is the admin's.
import Foundation

/// Where a rule set file stands among the layers.
public enum RuleSetState: String, Sendable {
    /// The effective file for its name: its rules are loaded.
    case active
    /// Switched off by a `NAME.yaml.disabled` file (or, for a rule, `enabled: false`).
    case disabled
    /// Switched off by a `NAME.yaml` symlink to `/dev/null`.
    case masked
    /// A higher layer has a file of the same name, which wins.
    case overridden
}

/// One file found in a rule directory.
public struct RuleSetEntry: Sendable {
    /// The set name: the file name without `.yaml` (and without `.disabled`).
    public var name: String
    public var path: String
    /// The layer directory, as given.
    public var directory: String
    /// 0 for the lowest layer.
    public var layer: Int
    public var state: RuleSetState
}

/// The ordered rule directories, lowest layer first.
public struct RuleLayers: Sendable {
    /// The vendor directory, then the admin directory.
    public static let defaultDirectories = ["/usr/share/stationguard/rules", "/etc/stationguard/rules.d"]

    public var directories: [String]

    public init(directories: [String] = RuleLayers.defaultDirectories) {
        self.directories = directories.isEmpty ? RuleLayers.defaultDirectories : directories
    }

    /// The admin directory: the highest layer, where `enable`/`disable` act.
    public var adminDirectory: String { directories[directories.count - 1] }

    /// Every rule set file in every layer with its state, ordered by name then layer.
    /// A missing directory is simply an empty layer (the admin directory often does not exist).
    public func scan() -> [RuleSetEntry] {
        var found: [RuleSetEntry] = []
        let fm = FileManager.default
        for (layer, dir) in directories.enumerated() {
            guard let names = try? fm.contentsOfDirectory(atPath: dir) else { continue }
            for file in names.sorted() where !file.hasPrefix(".") {
                let path = (dir as NSString).appendingPathComponent(file)
                if file.hasSuffix(".yaml.disabled") {
                    found.append(RuleSetEntry(name: String(file.dropLast(".yaml.disabled".count)), path: path,
                                              directory: dir, layer: layer, state: .disabled))
                } else if file.hasSuffix(".yaml"), file.count > 5 {
                    let name = String(file.dropLast(5))
                    if RuleLayers.isMask(path) {
                        found.append(RuleSetEntry(name: name, path: path, directory: dir, layer: layer, state: .masked))
                    } else if RuleLayers.isRegularFile(path) {
                        found.append(RuleSetEntry(name: name, path: path, directory: dir, layer: layer, state: .active))
                    }
                }
            }
        }
        // Resolve each name from the top: the highest switch-off or file decides; in one
        // directory a `.disabled` beside a live file wins (the admin asked for it off).
        var result: [RuleSetEntry] = []
        for name in Set(found.map(\.name)).sorted() {
            var entries = found.filter { $0.name == name }.sorted {
                $0.layer != $1.layer ? $0.layer > $1.layer : rank($0.state) < rank($1.state)
            }
            for i in entries.indices where i > 0 { entries[i].state = .overridden }
            result.append(contentsOf: entries.reversed())
        }
        return result
    }

    private func rank(_ s: RuleSetState) -> Int {
        switch s { case .masked: return 0; case .disabled: return 1; default: return 2 }
    }

    /// Layer directories that exist but cannot be listed (a missing one is just an empty layer).
    public func unreadableDirectories() -> [String] {
        directories.filter {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: $0, isDirectory: &isDir) else { return false }
            return !isDir.boolValue || (try? FileManager.default.contentsOfDirectory(atPath: $0)) == nil
        }
    }

    /// `*.yml` files in the layers: never loaded (the suffix is `.yaml`), reported so that an
    /// admin's set does not silently stay out of force.
    public func misnamedFiles() -> [String] {
        directories.flatMap { dir in
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
                .filter { !$0.hasPrefix(".") && $0.hasSuffix(".yml") }
                .map { (dir as NSString).appendingPathComponent($0) }
        }
    }

    /// The files whose rules are in force: one per name, the effective one, if active.
    public func activeFiles() -> [RuleSetEntry] { scan().filter { $0.state == .active } }

    /// True for a symlink whose target is `/dev/null` (systemd's mask).
    static func isMask(_ path: String) -> Bool {
        guard let dest = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { return false }
        return dest == "/dev/null"
    }

    static func isRegularFile(_ path: String) -> Bool {
        // Follows symlinks: a vendor may link a set in from elsewhere; only the target matters.
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }
}

// MARK: - enable / disable

/// What `enable` or `disable` did, in words for the admin.
public struct LayerChange: Sendable {
    /// False when nothing needed doing (already in the asked state).
    public var changed: Bool
    public var message: String
}

extension RuleLayers {
    /// Switches a set off in the admin directory: renames an admin file to `NAME.yaml.disabled`,
    /// or masks a lower layer's file with a `/dev/null` symlink.
    /// - Throws: `RuleIssue` when no layer has the set or the file system refuses.
    public func disable(_ rawName: String) throws -> LayerChange {
        let name = RuleLayers.setName(rawName)
        let entries = scan().filter { $0.name == name }
        guard let top = entries.last else {
            throw RuleIssue(file: name, line: 0, column: 0, message: "no rule set named '\(name)' in \(directories.joined(separator: ", "))")
        }
        if top.state == .masked || top.state == .disabled {
            return LayerChange(changed: false, message: "\(name) is already \(top.state.rawValue) by \(top.path)")
        }
        let admin = adminDirectory
        let file = (admin as NSString).appendingPathComponent(name + ".yaml")
        let fm = FileManager.default
        do {
            if top.directory == admin {
                try fm.moveItem(atPath: file, toPath: file + ".disabled")
                return LayerChange(changed: true, message: "disabled \(name): renamed \(file) to \(file).disabled")
            }
            try fm.createDirectory(atPath: admin, withIntermediateDirectories: true)
            try fm.createSymbolicLink(atPath: file, withDestinationPath: "/dev/null")
            return LayerChange(changed: true, message: "disabled \(name): masked \(top.path) with \(file) -> /dev/null")
        } catch {
            throw RuleIssue(file: file, line: 0, column: 0, message: "cannot disable \(name): \(error.localizedDescription)")
        }
    }

    /// Switches a set back on: removes the admin directory's mask, or renames
    /// `NAME.yaml.disabled` back to `NAME.yaml`.
    /// - Throws: `RuleIssue` when the set is unknown, or switched off below the admin layer.
    public func enable(_ rawName: String) throws -> LayerChange {
        let name = RuleLayers.setName(rawName)
        let entries = scan().filter { $0.name == name }
        guard let top = entries.last else {
            throw RuleIssue(file: name, line: 0, column: 0, message: "no rule set named '\(name)' in \(directories.joined(separator: ", "))")
        }
        if top.state == .active { return LayerChange(changed: false, message: "\(name) is already active (\(top.path))") }
        guard top.directory == adminDirectory else {
            throw RuleIssue(file: top.path, line: 0, column: 0,
                            message: "\(name) is \(top.state.rawValue) in \(top.directory), below the admin directory \(adminDirectory); change it there")
        }
        let fm = FileManager.default
        let file = (adminDirectory as NSString).appendingPathComponent(name + ".yaml")
        var done: [String] = []
        do {
            // Remove every switch in the admin directory (a mask and a .disabled may both exist).
            for e in entries where e.directory == adminDirectory {
                if e.state == .masked {
                    try fm.removeItem(atPath: e.path); done.append("removed the mask \(e.path)")
                }
            }
            for e in entries where e.directory == adminDirectory && e.state == .disabled {
                if fm.fileExists(atPath: file) || RuleLayers.isMask(file) {
                    throw RuleIssue(file: e.path, line: 0, column: 0, message: "cannot rename to \(file): it exists")
                }
                try fm.moveItem(atPath: e.path, toPath: file); done.append("renamed \(e.path) to \(file)")
            }
        } catch let issue as RuleIssue { throw issue } catch {
            throw RuleIssue(file: file, line: 0, column: 0, message: "cannot enable \(name): \(error.localizedDescription)")
        }
        let now = scan().filter { $0.name == name }.last
        let state = now.map { "now \($0.state.rawValue) from \($0.path)" } ?? "no file remains"
        return LayerChange(changed: true, message: "enabled \(name): \(done.joined(separator: "; ")); \(state)")
    }

    /// `overcapacity`, `overcapacity.yaml` and `overcapacity.yaml.disabled` all name one set.
    static func setName(_ raw: String) -> String {
        var n = (raw as NSString).lastPathComponent
        if n.hasSuffix(".disabled") { n = String(n.dropLast(9)) }
        if n.hasSuffix(".yaml") { n = String(n.dropLast(5)) }
        return n
    }
}
