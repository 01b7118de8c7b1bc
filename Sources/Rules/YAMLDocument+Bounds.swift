// YAMLDocument+Bounds: what a rule or config file may cost before Yams composes it.
//
// A rule file is the administrator's, but a careless or hostile one must not take the station
// offline: a 709-byte file of nested YAML aliases ("billion laughs") expands to gigabytes in
// whoever walks the tree, and a deep `[[[[…` overflows a recursive composer's stack. So every
// file is checked on libyaml's event stream first, which costs one pass over the bytes and
// builds nothing: size (before reading), anchors and aliases (refused: rule files and the
// station config have no use for them), nesting depth and node count. Each refusal names
// file:line:col.
import CYaml
import Glibc
import Foundation

extension YAMLDocument {
    /// The largest rule, rule-test or config file read: 1 MiB (docs/rule-files.md). The shipped
    /// sets are under 40 KiB each.
    public static let sizeLimit = 1 << 20
    /// The deepest nesting of lists and mappings (the shipped files need 6).
    static let depthLimit = 64
    /// The most nodes (scalars, lists, mappings) one file may hold.
    static let nodeLimit = 200_000

    /// Refuses what would cost more than its size to compose: anchors and aliases, nesting
    /// deeper than `depthLimit`, more than `nodeLimit` nodes. Syntax errors are left to the
    /// composer, which words them.
    static func checkBounds(_ text: String, path: String) throws {
        if text.utf8.count > sizeLimit {
            throw RuleIssue(file: path, line: 0, column: 0,
                            message: "the file is \(text.utf8.count) bytes, over the limit of \(sizeLimit) bytes (1 MiB) for rule and config files; not read")
        }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw RuleIssue(file: path, line: 0, column: 0, message: "YAML: out of memory")
        }
        defer { yaml_parser_delete(&parser) }
        var utf8 = Array(text.utf8)
        try utf8.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var depth = 0, nodes = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return }  // the composer reports it
                defer { yaml_event_delete(&event) }
                let mark = event.start_mark
                func refuse(_ message: String) -> RuleIssue {
                    RuleIssue(file: path, line: Int(mark.line) + 1, column: Int(mark.column) + 1, message: message)
                }
                var anchor: UnsafeMutablePointer<yaml_char_t>?
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return
                case YAML_ALIAS_EVENT:
                    throw refuse("YAML alias '*\(name(event.data.alias.anchor))': anchors and aliases are not allowed in rule and config files (write the value out)")
                case YAML_SCALAR_EVENT:
                    anchor = event.data.scalar.anchor
                    nodes += 1
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    anchor = event.type == YAML_SEQUENCE_START_EVENT ? event.data.sequence_start.anchor
                                                                     : event.data.mapping_start.anchor
                    nodes += 1
                    depth += 1
                    if depth > depthLimit {
                        throw refuse("YAML nesting deeper than \(depthLimit) levels of lists and mappings")
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    depth -= 1
                default:
                    break
                }
                if let anchor {
                    throw refuse("YAML anchor '&\(name(anchor))': anchors and aliases are not allowed in rule and config files (write the value out)")
                }
                if nodes > nodeLimit {
                    throw refuse("more than \(nodeLimit) YAML nodes in one file")
                }
            }
        }
    }

    /// An anchor's name, cut short and escaped: it is file text shown in the journal.
    private static func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String {
        guard let pointer else { return "" }
        let text = String(cString: pointer)
        let shown = text.unicodeScalars.count > 40 ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(40))) + "…" : text
        return shown.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : String($0) }.joined()
    }

    /// Reads at most `sizeLimit` bytes of `path`, refusing a larger file before reading it.
    static func readBounded(path: String) throws -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw RuleIssue(file: path, line: 0, column: 0, message: "cannot read the file (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG || status.st_mode & S_IFMT == S_IFCHR else {
            throw RuleIssue(file: path, line: 0, column: 0, message: "not a regular file")
        }
        if status.st_size > sizeLimit {
            throw RuleIssue(file: path, line: 0, column: 0,
                            message: "the file is \(status.st_size) bytes, over the limit of \(sizeLimit) bytes (1 MiB) for rule and config files; not read")
        }
        // Read one byte past the limit: a file growing under us (or /dev/zero) is caught too.
        var bytes = [UInt8](repeating: 0, count: sizeLimit + 1)
        var filled = 0
        while filled <= sizeLimit {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, sizeLimit + 1 - filled) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                throw RuleIssue(file: path, line: 0, column: 0, message: "cannot read the file (\(String(cString: strerror(errno))))")
            }
            if n == 0 { break }
            filled += n
        }
        if filled > sizeLimit {
            throw RuleIssue(file: path, line: 0, column: 0,
                            message: "the file is over the limit of \(sizeLimit) bytes (1 MiB) for rule and config files; not read")
        }
        return Data(bytes[0..<filled])
    }
}
