// Fuzz target records: arbitrary bytes as a kiosk record → strict JSON → schema validation.
// Nothing may trap; refusals are expected. Oracles: a refusal's reason shows no unmasked
// national ID number (an 18-character valid ID planted in the input never appears whole),
// and an accepted record's masked id card number is masked. Built by fuzz/run into the
// Records module (no `import Records`), so internal API is visible.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecords(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch RecordDecoder.decode(bytes, fileName: "fuzz.json") {
    case .failure(let error):
        let reason = error.reason
        // The test ID of the seeds (a valid GB 11643 number): never echoed whole.
        if reason.contains("11010519491231002X") { fatalError("unmasked ID number in a reason: \(reason)") }
    case .success(let record):
        _ = record.sha256
        if let masked = record.maskedIDCardNo, masked.count == 18, !masked.contains("*") {
            fatalError("id_card_no not masked: \(masked)")
        }
    }
    return 0
}
