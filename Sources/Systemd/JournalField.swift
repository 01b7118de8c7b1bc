// JournalField: one NAME=value pair of a journal entry, its name checked as journald checks it.

/// One field of a journal entry: a name journald accepts and a value of any bytes.
///
/// journald silently drops a field whose name it does not accept and keeps the rest of the
/// entry, so a misspelt name would lose data without a trace. Names are therefore checked when
/// the field is made, by journald's own rule (`journal_field_valid` in systemd's sources):
/// 1 to 64 characters from `A`–`Z`, `0`–`9` and `_`, not starting with a digit or `_`
/// (a leading `_` marks fields only journald itself may set, such as `_PID`).
public struct JournalField: Hashable, Sendable {
    /// The field name, e.g. `MESSAGE` or `SG_RULE`.
    public let name: String
    /// The value's bytes, sent and stored exactly (newlines, NUL, any UTF-8).
    public let value: [UInt8]

    /// A field with a text value, sent as its UTF-8 bytes.
    ///
    /// - Precondition: `JournalField.isValidName(name)`. A bad name is a bug in our code, not
    ///   bad input: journald would drop the field silently.
    public init(_ name: String, _ value: String) {
        self.init(name, bytes: Array(value.utf8))
    }

    /// A field with a binary value.
    ///
    /// - Precondition: `JournalField.isValidName(name)`.
    public init(_ name: String, bytes: [UInt8]) {
        precondition(Self.isValidName(name), "invalid journal field name \"\(name)\": journald would drop it")
        self.name = name
        self.value = bytes
    }

    /// Builds a field without checking its name: only for tests that probe journald itself.
    internal init(unchecked name: String, bytes: [UInt8]) {
        self.name = name
        self.value = bytes
    }

    /// The value as text, when it is valid UTF-8.
    public var text: String? { String(validating: value, as: UTF8.self) }

    /// Whether journald stores a field of this name.
    ///
    /// - Parameter trusted: also allow a leading `_`, for journald's own fields (`_UID`,
    ///   `_SYSTEMD_UNIT`): these can be matched when reading but never sent.
    public static func isValidName(_ name: String, trusted: Bool = false) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 64 else { return false }
        if first == UInt8(ascii: "_") && !trusted { return false }
        if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
    }

    // MARK: - The journal's well-known fields

    /// `MESSAGE=`: the human sentence `journalctl` shows.
    public static func message(_ text: String) -> JournalField { JournalField("MESSAGE", text) }

    /// `PRIORITY=`: the syslog level as a decimal digit.
    public static func priority(_ priority: JournalPriority) -> JournalField {
        JournalField("PRIORITY", String(priority.rawValue))
    }

    /// `MESSAGE_ID=`: the 32-digit id the catalog explains.
    public static func messageID(_ id: MessageID) -> JournalField { JournalField("MESSAGE_ID", id.description) }

    /// `SYSLOG_IDENTIFIER=`: the program name `journalctl -t` selects by.
    public static func syslogIdentifier(_ identifier: String) -> JournalField {
        JournalField("SYSLOG_IDENTIFIER", identifier)
    }
}
