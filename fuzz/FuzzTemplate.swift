// Fuzz target template: arbitrary text as one rule's message template (`{{ expr }}` holes),
// placed in an otherwise fixed rule set as a YAML double-quoted scalar, loaded, compiled and
// rendered against every record (one rule per record kind, each firing). Nothing may trap or
// hang; the rendered MESSAGE must come out masked and escaped (fuzz/FuzzRulesCommon.swift).

func fuzzTemplate(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let template = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let quoted = fuzzDoubleQuoted(template)
    var lines = ["ruleset: fuzz", "rules:"]
    for (i, kind) in ["vehicle", "driver", "luggage", "departure"].enumerated() {
        lines += ["  - id: F-00\(i)", "    title: t", "    kind: \(kind)", "    when: 'true'", "    severity: notice",
                  "    action: WARN", "    message: \(quoted)"]
    }
    fuzzLoadAndEvaluate(lines.joined(separator: "\n") + "\n")
    return 0
}

/// `text` as a YAML double-quoted scalar: backslash, quote and non-printable characters escaped.
func fuzzDoubleQuoted(_ text: String) -> String {
    var out = "\""
    for s in text.unicodeScalars {
        switch s {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        default:
            if s.value < 0x20 || s.value == 0x7F || (s.value >= 0x80 && s.value < 0xA0) || s.value == 0xFEFF
                || (s.value >= 0x2028 && s.value <= 0x2029) {
                let hex = String(s.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                out.unicodeScalars.append(s)
            }
        }
    }
    return out + "\""
}
