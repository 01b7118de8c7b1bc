// Records: the kiosk contract. Turns a spool file's bytes into a validated Record or a
// plain-words reason for quarantine.
//
// DESCRIPTION
//   RecordDecoder.decode(bytes, fileName:) runs the strict JSONParser (size and depth caps,
//   UTF-8, duplicate keys, line:column errors), then validates the document against
//   RecordSchema, the one Swift table of the contract (spec/records.md plus optional fields the
//   rule catalogue needs). The same table generates schema/record.schema.json
//   (RecordSchema.jsonSchemaText()) and gives Rules its CEL object types (RecordSchema.kinds).
//   Plates are normalised (PlateNumber), national ID numbers checked (NationalIDNumber,
//   GB 11643), times parsed exactly (RFC3339Timestamp, CalendarDate); SHA256 digests the bytes,
//   on first use of Record.sha256 (only records that raise an alert need it).
//
//   Speed (the daemon's budget is 50,000 records/s on one core for decode + validate +
//   evaluate): the parser reads the array's storage with hand-checked bounds, shares the
//   schema's field-name strings, and scans eight bytes a step; the schema's patterns are byte
//   matchers checked against Regex by PatternMatcherAgreementTests; the rules' view shares the
//   document's storage where nothing was left out or normalised. Measure with
//   `STATIONGUARD_BENCH=1 swift test -c release --filter RecordsBenchmark`.
//
// TRUST
//   Every byte is kiosk input and hostile until accepted: the size cap is checked before
//   parsing, the depth cap while parsing, and validation is a whitelist of kinds, fields, types
//   and ranges. Nothing here reads files, the clock, the locale or the environment.
//
// DIAGNOSTICS
//   Returns RecordError (never traps): stage (too large, not JSON, schema violation) and
//   problems, each with a field path (`departure.adults: expected a non-negative integer, got
//   "forty"`) or a line and column. ID numbers in messages are masked; numbers are echoed as
//   written (long literals shortened); impossible dates and times say which part is wrong.
//
// LIMITS
//   1 MiB per file, 32 levels of nesting, 100 problems collected per record. Numbers must fit a
//   Double (1e999 is refused as not JSON, naming the member). Timestamps refuse leap seconds
//   (`:60`) and more than 9 fraction digits. Unknown fields are
//   kept but hidden from rules at every level. JSON Schema cannot express everything the
//   decoder checks (see RecordSchema+JSONSchema.swift).
//
// SEE ALSO
//   spec/records.md, spec/rule-catalogue.md §1 and §3, spec/interfaces.md §1–2,
//   docs/records-added-fields.md, schema/record.schema.json, scripts/check-schema.
