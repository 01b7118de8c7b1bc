// SHA256: FIPS 180-4 SHA-256 from libcrypto (OpenSSL), the one C call of Records. Used for
// SG_RECORD_SHA256 (every record is hashed, so speed matters: OpenSSL uses the CPU's SHA
// extensions, ~5x the portable Swift this replaced) and, by Rules, to derive stable MESSAGE_IDs.
import CLibcrypto

/// SHA-256 digests.
public enum SHA256 {
    /// The 32-byte digest of `bytes`.
    public static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { out in
                // SHA256() never fails for an in-memory buffer; it returns `out`.
                _ = CLibcrypto.SHA256(input.baseAddress, input.count, out.baseAddress)
            }
        }
        return out
    }

    /// The digest as 64 lower-case hex digits.
    public static func hex(_ bytes: [UInt8]) -> String {
        let d = digest(bytes)
        return String(unsafeUninitializedCapacity: 64) { out in
            let digits: StaticString = "0123456789abcdef"
            let hexDigit = digits.utf8Start
            for i in 0..<32 {
                out[2 * i] = hexDigit[Int(d[i] >> 4)]
                out[2 * i + 1] = hexDigit[Int(d[i] & 0x0F)]
            }
            return 64
        }
    }
}
