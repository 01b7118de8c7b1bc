// Fuzz target rule-file: arbitrary bytes as a rule set file (`fuzz.yaml`, ruleset `fuzz`) →
// the real RuleLoader (bounds before Yams, strict keys, CEL compile of `when:` and message
// holes) → evaluation of every record → journal fields. Nothing may trap or hang; the journal
// fields must come out masked and escaped (fuzz/FuzzRulesCommon.swift).

func fuzzRuleFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    fuzzLoadAndEvaluate(text)
    return 0
}
