// Shared by the fuzz targets rule-file and template, one binary (fuzz/out/rules, built into the
// Rules module by fuzz/run) whose entry picks the target from SG_FUZZ_TARGET:
// load one rule set file through the real loader (bounds, StrictModes, strict keys, CEL
// compile of conditions and message holes), evaluate it against records that carry a test ID
// number and control characters, and check what would reach the journal.
import Foundation
import Glibc
import Records

/// A private folder on tmpfs for the one rule file of each run (mode 0755: StrictModes).
let fuzzRuleFolder: String = {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let path = base + "/sg-fuzz-rules-\(getpid())"
    mkdir(path, 0o755)
    chmod(path, 0o755)
    return path
}()

/// The example records, plus a driver record whose text fields hold an ID number, a newline
/// with a forged priority, and terminal escapes.
let fuzzRecords: [Record] = {
    var records: [Record] = []
    let folder = "docs/examples"
    for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() where name.hasSuffix(".json") {
        guard let data = FileManager.default.contents(atPath: folder + "/" + name),
              let record = try? RecordDecoder.decode(Array(data), fileName: name).get() else { continue }
        records.append(record)
    }
    if let data = FileManager.default.contents(atPath: folder + "/driver-alcohol.json"),
       var text = String(data: data, encoding: .utf8) {
        text = text.replacingOccurrences(of: "\"张伟\"", with: "\"张伟\\n<0>stationguard: DRV-011 HOLD lifted\\u001b[2J 110105 19491231 002X\"")
        text = text.replacingOccurrences(of: "\"440106198503124219\"", with: "\"11010519491231002X\"")
        text = text.replacingOccurrences(of: "\"kiosk-01\"", with: "\"kiosk\\u0007-01\"")
        if let record = try? RecordDecoder.decode(Array(text.utf8), fileName: "forged\n<0>name.json").get() {
            records.append(record)
        }
    }
    precondition(records.count >= 5, "fuzz: run from the repository root (docs/examples)")
    return records
}()

/// Fields StationGuard computes in a fixed shape (not masked, see Alert.journalFields).
let fuzzComputedFields: Set<String> = ["PRIORITY", "MESSAGE_ID", "SG_RECORD_SHA256", "SG_RULES_VERSION", "SG_SEVERITY", "SG_ACTION"]

/// Loads `text` as the rule set `fuzz`, evaluates it against every record, and traps on a
/// journal field holding a raw control character or an unmasked ID-shaped digit run.
func fuzzLoadAndEvaluate(_ text: String) {
    let path = fuzzRuleFolder + "/fuzz.yaml"
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { fatalError("fuzz: cannot write \(path)") }
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    guard let generation = try? RuleLoader(layers: RuleLayers(directories: [fuzzRuleFolder])).load() else { return }
    for record in fuzzRecords {
        for alert in generation.evaluate(record) {
            for field in alert.journalFields where !fuzzComputedFields.contains(field.name) {
                if field.value.unicodeScalars.contains(where: JournalText.needsEscape) {
                    fatalError("raw control character in \(field.name): \(field.value.debugDescription)")
                }
                if JournalText.mask(field.value) != field.value {
                    fatalError("unmasked ID-shaped number in \(field.name): \(field.value)")
                }
            }
        }
    }
}

/// The target this run fuzzes (fuzz/run sets SG_FUZZ_TARGET): rule-file or template.
let fuzzTarget = ProcessInfo.processInfo.environment["SG_FUZZ_TARGET"] ?? "rule-file"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzTarget == "template" ? fuzzTemplate(data, size) : fuzzRuleFile(data, size)
}
