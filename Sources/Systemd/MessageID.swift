// MessageID: the 128-bit id journald files and the catalog explain an entry by.
import CSystemd

/// A journal message id: 128 bits, written as 32 lower-case hexadecimal digits.
///
/// `journalctl MESSAGE_ID=…` finds every entry of one kind, and the message catalog
/// (`journalctl -x`) explains it. The corresponding C type is `sd_id128_t`.
public struct MessageID: Hashable, Sendable, Comparable, LosslessStringConvertible {
    /// The 16 bytes, most significant first (the order of the text form).
    public let bytes: [UInt8]

    /// An id from its 16 bytes; `nil` unless there are exactly 16.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses the text form: exactly 32 lower-case hexadecimal digits, nothing else.
    ///
    /// Upper case, dashes (UUID form) and surrounding blanks are refused rather than
    /// normalised, so an id in a rule file is spelt the one way `journalctl` prints it.
    /// The corresponding C function is `sd_id128_from_string` (which is more lenient).
    public init?(_ description: String) {
        let digits = Array(description.utf8)
        guard digits.count == 32 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(16)
        var index = 0
        while index < 32 {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else {
                return nil
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.bytes = bytes
    }

    /// The text form: 32 lower-case hexadecimal digits.
    ///
    /// The corresponding C function is `sd_id128_to_string`.
    public var description: String {
        let hex = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(32)
        for byte in bytes {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A new random id (a version 4 UUID's bits), for minting ids when writing rules or code.
    ///
    /// The corresponding C function is `sd_id128_randomize`.
    /// - Throws: `Errno` if the kernel's random source fails.
    public static func random() throws -> MessageID {
        var id = sd_id128_t()
        if case .failure(let error) = Errno.result(sd_id128_randomize(&id)) { throw error }
        let bytes = withUnsafeBytes(of: id.bytes) { Array($0) }
        return MessageID(bytes: bytes)!
    }

    public static func < (lhs: MessageID, rhs: MessageID) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
