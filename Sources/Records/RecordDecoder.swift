// RecordDecoder: bytes → strict JSON → validated Record, against RecordSchema.
//
// Decisions (see also Records.swift):
// - Every problem is collected, so a kiosk vendor can fix a file in one round; the reason
//   text shows the first RecordError.reportedProblems.
// - Unknown fields, top-level or nested, are kept in `Record.document` but left out of
//   `Record.body`, so rules cannot see them until the schema names them. This follows the
//   contract's forward-compatibility rule at every level; a misspelt field therefore reads as
//   absent, and rules treat absent as "could not decide" (REVIEW), never as a pass.
// - null is accepted only where the schema says nullable (licence.valid_until).
// - ID numbers never appear unmasked in a reason (reasons reach the journal).

/// Decodes and validates kiosk records.
public enum RecordDecoder {
    /// Parses and validates one record file.
    /// - Parameters:
    ///   - bytes: the file's contents, untrusted.
    ///   - fileName: the name as dropped, for messages and `Record.fileName`.
    public static func decode(_ bytes: [UInt8], fileName: String) -> Result<Record, RecordError> {
        if bytes.count > JSONParser.defaultMaxBytes {
            return .failure(RecordError(fileName: fileName, stage: .tooLarge, problems: [RecordProblem(
                message: "file is \(bytes.count) bytes; the limit is \(JSONParser.defaultMaxBytes) bytes (1 MiB)")]))
        }
        let document: JSONValue
        var writtenNumbers: WrittenNumbers? = WrittenNumbers()
        do {
            document = try JSONParser.parse(bytes, names: RecordSchema.memberNames, writtenNumbers: &writtenNumbers)
        } catch let e as JSONParseError {
            return .failure(RecordError(fileName: fileName, stage: .notJSON,
                                        problems: [RecordProblem(line: e.line, column: e.column, message: e.message)]))
        } catch {
            return .failure(RecordError(fileName: fileName, stage: .notJSON, problems: [RecordProblem(message: "\(error)")]))
        }
        return validate(document, fileName: fileName, digest: FileDigest(of: bytes),
                        writtenNumbers: writtenNumbers ?? WrittenNumbers())
    }

    /// Throwing form of `decode(_:fileName:)`.
    public static func decodeOrThrow(_ bytes: [UInt8], fileName: String) throws -> Record {
        try decode(bytes, fileName: fileName).get()
    }

    /// Validates an already parsed document (the spool and `check` go through `decode`).
    public static func validate(_ document: JSONValue, fileName: String, sha256: String) -> Result<Record, RecordError> {
        validate(document, fileName: fileName, digest: FileDigest(hex: sha256), writtenNumbers: WrittenNumbers())
    }

    static func validate(_ document: JSONValue, fileName: String, digest: FileDigest,
                         writtenNumbers: WrittenNumbers) -> Result<Record, RecordError> {
        var v = Validation(writtenNumbers: writtenNumbers)
        guard case .object = document else {
            return .failure(RecordError(fileName: fileName, stage: .schema, problems: [RecordProblem(
                path: "record", message: "expected an object, got \(Validation.describe(document))")]))
        }
        let kindValue = document["record_kind"]
        guard let kindText = kindValue?.stringValue, let kind = RecordKind(rawValue: kindText) else {
            let words = RecordKind.allCases.map(\.rawValue).joined(separator: ", ")
            let got = kindValue.map { "got \(v.describe($0))" } ?? "it is missing"
            v.problems.append(RecordProblem(path: "record.record_kind", message: "expected one of \(words), \(got)"))
            // Still check the shared envelope, so the vendor sees every problem at once.
            let envelopeOnly = ObjectSchema("Record", "", RecordSchema.envelope(for: .vehicle)
                .filter { $0.name != "record_kind" }
                .map { FieldSchema($0.name, $0.type, required: $0.required && $0.name != "plate_no", $0.doc) })
            _ = v.object(document, envelopeOnly, path: "record", kindName: nil)
            return .failure(RecordError(fileName: fileName, stage: .schema, problems: v.problems))
        }
        let body = v.object(document, RecordSchema.object(for: kind), path: kind.rawValue, kindName: kind.rawValue)
        guard v.problems.isEmpty,
              let id = body["record_id"]?.stringValue, let station = body["station_code"]?.stringValue,
              let kiosk = body["kiosk_id"]?.stringValue, let officer = body["officer_id"]?.stringValue,
              let recordedText = body["recorded_at"]?.stringValue, let recordedAt = RFC3339Timestamp.parse(recordedText)
        else {
            return .failure(RecordError(fileName: fileName, stage: .schema, problems: v.problems))
        }
        return .success(Record(kind: kind, id: id, stationCode: station, kioskID: kiosk, officerID: officer,
                               recordedAt: recordedAt, tripID: body["trip_id"]?.stringValue,
                               plateNo: body["plate_no"]?.stringValue, body: body,
                               unknownFieldPaths: v.unknownPaths, document: document, digest: digest,
                               fileName: fileName))
    }
}

/// One validation pass: walks a document against the schema, collecting problems.
struct Validation {
    var problems: [RecordProblem] = []
    var unknownPaths: [String] = []
    /// Number literals as written, so "got …" echoes the file rather than a Double.
    var writtenNumbers = WrittenNumbers()
    /// Enough for any vendor to fix a file; stops a hostile file from building a huge list.
    static let maxProblems = 100

    mutating func report(_ path: String, _ message: String) {
        if problems.count < Validation.maxProblems { problems.append(RecordProblem(path: path, message: message)) }
    }

    /// The known members of `value`, validated and normalised.
    mutating func object(_ value: JSONValue, _ schema: ObjectSchema, path: String, kindName: String?) -> JSONValue {
        switch objectChecked(value, schema, path: path, kindName: kindName) {
        case .asWritten: return value
        case .normalised(let body): return body
        case .refused: return .null
        }
    }

    /// What checking a value found. `asWritten` lets the rules' view share the document's
    /// storage, so a record that needs no change costs no second tree.
    enum Checked {
        case asWritten
        case normalised(JSONValue)
        /// Reported; the value is left out of the rules' view.
        case refused
    }

    mutating func objectChecked(_ value: JSONValue, _ schema: ObjectSchema, path: String, kindName: String?) -> Checked {
        guard case .object(let members) = value else {
            report(path, "expected an object, got \(Validation.describe(value))")
            return .refused
        }
        // Built only once a member is left out or normalised; until then the members stand.
        var out: [(key: String, value: JSONValue)]?
        // Which fields are present, one bit each: every schema object has at most 64 fields
        // (RecordSchemaTests), and any beyond that are found by searching the members.
        var present: UInt64 = 0
        var expected = 0
        // Members are read in place (members[i]) rather than copied out one by one.
        for i in members.indices {
            guard let index = schema.fieldIndex(named: members[i].key, expected: expected) else {
                // Unknown: kept in the document, hidden from rules. Paths drop the kind prefix.
                let childPath = path + "." + members[i].key
                unknownPaths.append(String(childPath.drop(while: { $0 != "." }).dropFirst()))
                if out == nil { out = Array(members[..<i]) }
                continue
            }
            expected = index + 1
            if index < 64 { present |= 1 << UInt64(index) }
            switch check(members[i].value, schema.fields[index].type, parent: path, name: members[i].key) {
            case .asWritten:
                out?.append(members[i])
            case .normalised(let normalised):
                if out == nil { out = Array(members[..<i]) }
                out?.append((members[i].key, normalised))
            case .refused:
                if out == nil { out = Array(members[..<i]) }
            }
        }
        for index in schema.requiredIndices {
            let field = schema.fields[index]
            let isPresent = index < 64 ? present & (1 << UInt64(index)) != 0 : value[field.name] != nil
            if isPresent { continue }
            // Name the kind only where required-ness depends on it (trip_id, plate_no).
            let everyKind = RecordKind.allCases.allSatisfy { RecordSchema.object(for: $0).field(named: field.name)?.required == true }
            let whose = kindName.map { everyKind ? "" : " (required in \($0) records)" } ?? ""
            report(path + "." + field.name, "required field is missing" + whose)
        }
        return out.map { .normalised(.object($0)) } ?? .asWritten
    }

    /// Whether `value` fits `type` (and its normalised form); reports why not.
    /// The value sits at `parent.name`, or at `parent[position]` in a list (position ≥ 0); the
    /// path is put together only when a problem is reported or a nested value entered (passing
    /// the parts costs nothing, a string or closure per value would).
    mutating func check(_ value: JSONValue, _ type: FieldType, parent: String, name: String,
                        position: Int = -1) -> Checked {
        func path() -> String { position >= 0 ? "\(parent)[\(position)]" : parent + "." + name }
        func fail(_ expected: String, _ got: String? = nil) -> Checked {
            report(path(), "expected \(expected), got \(got ?? describe(value))")
            return .refused
        }
        switch type {
        case let .integer(min, max):
            // The wording is built only for a refusal; above the maximum, the maximum is the news.
            func words() -> String {
                let aboveMaximum = max.map { hi in value.doubleValue.map { $0 > Double(hi) } ?? false } ?? false
                return Validation.describeInteger(min: min, max: max, showingMaximum: aboveMaximum)
            }
            if case .number(let d) = value, d == d.rounded(), abs(d) < 1e15 {
                // 50.0 and 5e1 are integers to JSON Schema; the contract wants counts written as integers.
                return fail(words(), describe(value) + " (write integers without a fraction or exponent)")
            }
            guard case .integer(let i) = value else { return fail(words()) }
            if let min, i < min { return fail(words()) }
            if let max, i > max { return fail(words()) }
            return .asWritten
        case let .number(min, max):
            func words() -> String { Validation.describeNumber(min: min, max: max) }
            guard let d = value.doubleValue else { return fail(words()) }
            if let min, d < min { return fail(words()) }
            if let max, d > max { return fail(words()) }
            return .asWritten
        case .string(let pattern):
            guard case .string(let s) = value else { return fail(Validation.describeText(pattern)) }
            if let pattern {
                guard PatternMatcher.matches(s, pattern) else { return fail(Validation.describeText(pattern)) }
            } else {
                guard Validation.startsWithVisibleASCII(s) || s.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
                    return fail(Validation.describeText(nil))
                }
            }
            return .asWritten
        case .plate:
            guard case .string(let s) = value, let plate = PlateNumber.normalise(s) else {
                return fail("a plate number such as 粤A12345, 粤AD12345 or 粤A12345D")
            }
            return sameBytes(plate, s) ? .asWritten : .normalised(.string(plate))
        case .nationalID:
            guard case .string(let s) = value else { return fail("an 18-character national ID number") }
            if let why = NationalIDNumber.problem(in: s) {
                // Masked: reasons reach the journal, ID numbers must not.
                report(path(), "not a valid national ID number (GB 11643): \(why), got \"\(NationalIDNumber.masked(s))\"")
                return .refused
            }
            return .asWritten
        case .boolean:
            guard case .bool = value else { return fail("true or false") }
            return .asWritten
        case .timestamp:
            guard case .string(let s) = value, RFC3339Timestamp.parse(s) != nil else {
                // Well-formed but impossible (2026-02-30, hour 24, a leap second): say which part.
                if case .string(let s) = value, let why = RFC3339Timestamp.problem(in: s) {
                    report(path(), "\(why), got \(describe(value))")
                    return .refused
                }
                return fail("an RFC 3339 timestamp with offset such as 2026-10-01T06:42:10+08:00")
            }
            return .asWritten
        case .date:
            guard case .string(let s) = value, CalendarDate.parse(s) != nil else {
                if case .string(let s) = value, let why = CalendarDate.problem(in: s) {
                    report(path(), "\(why), got \(describe(value))")
                    return .refused
                }
                return fail("a real date written YYYY-MM-DD")
            }
            return .asWritten
        case .enumeration(let allowed):
            guard case .string(let s) = value, allowed.contains(s) else {
                return fail("one of " + allowed.joined(separator: ", "))
            }
            return .asWritten
        case .object(let schema):
            guard case .object = value else { return fail("an object") }
            return objectChecked(value, schema, path: path(), kindName: nil)
        case .list(let inner):
            guard case .array(let items) = value else { return fail("a list") }
            var out: [JSONValue]? // as for objects: built only once an item changes
            let listPath = path()
            for (i, item) in items.enumerated() {
                switch check(item, inner, parent: listPath, name: "", position: i) {
                case .asWritten:
                    out?.append(item)
                case .normalised(let v):
                    if out == nil { out = Array(items[..<i]) }
                    out?.append(v)
                case .refused:
                    if out == nil { out = Array(items[..<i]) }
                }
            }
            return out.map { .normalised(.array($0)) } ?? .asWritten
        case .nullable(let inner):
            if case .null = value { return .asWritten }
            return check(value, inner, parent: parent, name: name, position: position)
        }
    }

    /// A quick yes for the blank check: text starting with a printable ASCII character
    /// (not a space) is not blank. Anything else gets the full Unicode whitespace test.
    static func startsWithVisibleASCII(_ s: String) -> Bool {
        guard let first = s.utf8.first else { return false }
        return first > 0x20 && first < 0x7F
    }

    /// The expected range in words. Counts say "non-negative" (their maximum is only a guard),
    /// unless `showingMaximum`: for a value above the maximum, "non-negative" would not say why.
    static func describeInteger(min: Int?, max: Int?, showingMaximum: Bool = false) -> String {
        switch (min, max) {
        case let (lo?, hi?) where lo == hi: return "\(lo)"
        case let (lo?, hi?) where showingMaximum: return "an integer from \(lo) to \(hi)"
        case (0?, let hi?) where hi >= 1_000_000_000: return "a non-negative integer"
        case (0?, nil): return "a non-negative integer"
        case let (lo?, hi?): return "an integer from \(lo) to \(hi)"
        case let (lo?, nil): return "an integer of at least \(lo)"
        case let (nil, hi?): return "an integer of at most \(hi)"
        case (nil, nil): return "an integer"
        }
    }

    static func describeNumber(min: Double?, max: Double?) -> String {
        func f(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }
        switch (min, max) {
        case (0?, nil): return "a non-negative number"
        case let (lo?, hi?): return "a number from \(f(lo)) to \(f(hi))"
        case let (lo?, nil): return "a number of at least \(f(lo))"
        case let (nil, hi?): return "a number of at most \(f(hi))"
        case (nil, nil): return "a number"
        }
    }

    static func describeText(_ pattern: String?) -> String {
        switch pattern {
        case nil: return "non-blank text"
        case RecordSchema.recordIDPattern?: return "1 to 128 characters from A-Z a-z 0-9 . _ : -"
        case RecordSchema.licenceClassPattern?: return "a licence class such as A1, B1 or A1A2"
        case let p?: return "text matching \(p)"
        }
    }

    /// A short rendering of what the kiosk sent, for "got …"; numbers as written in the file.
    func describe(_ value: JSONValue) -> String {
        if case .number(let d) = value, let text = writtenNumbers.text(for: d) { return text }
        return Validation.describe(value)
    }

    /// As above, without the file's text (numbers as their Double prints).
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return JSONValue.numberText(d)
        case .string(let s):
            // Masked before the cut: a cut first could leave 14 digits of an ID unmasked.
            let limit = 40
            let scalars = JournalText.mask(s).unicodeScalars
            var cut = String.UnicodeScalarView()
            cut.append(contentsOf: scalars.prefix(limit))
            return JSONValue.quoted(String(cut)) + (scalars.count > limit ? "…" : "")
        case .array(let items): return items.isEmpty ? "an empty list" : "a list"
        case .object: return "an object"
        }
    }
}
