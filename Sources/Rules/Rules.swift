// Rules: station rule sets (YAML files with CEL conditions), layered like systemd's *.d,
// compiled once at load and evaluated against every accepted record.
//
// SYNOPSIS
//   let config = try StationConfig.load(path: StationConfig.defaultPath)
//   let generation = try RuleLoader(layers: RuleLayers(directories: dirs), config: config).load()
//   for alert in generation.evaluate(record) { journal.send(alert.journalFields) }
//
// DESCRIPTION
//   Reads rule set files from the layer directories (RuleLayers: vendor
//   /usr/share/stationguard/rules, then admin /etc/stationguard/rules.d; same name replaces,
//   `-> /dev/null` masks, `.yaml.disabled` disables) and the station config (StationConfig).
//   Each `when:` and each `{{ }}` of a message is compiled against the record kind's CEL type
//   (RecordTypes, from Records.RecordSchema), the set's `params` and the station date helpers
//   (StationCalendar). A RuleGeneration is immutable; reloading builds a new one.
//   Evaluation: true → an Alert with the rule's severity/action; false → nothing; an error
//   (a field not captured) or a non-bool → a REVIEW alert naming why. Rule tests: RuleTests.
//
// TRUST
//   Rule and config files come from administrators: checked strictly (unknown keys are
//   errors) but trusted not to be hostile. Records are kiosk input, already validated by
//   Records.RecordDecoder; evaluation never traps on them (CEL errors are values).
//
// DIAGNOSTICS
//   Load problems: RuleLoadError, all RuleIssues at once, each `file:line:col: message`
//   (columns in Unicode scalars, as libyaml counts), CEL errors with the caret display at
//   the YAML file's own positions. Evaluation does not throw.
//
// LIMITS
//   In a double-quoted scalar with escapes (or a single-quoted one with `''`), a CEL error's
//   column is counted in the unescaped value from the scalar's start, so it is off by the
//   escapes before it (plain, quoted-without-escapes, `|` and `>` scalars are exact).
//   A generation is immutable and safe for concurrent `evaluate` calls; alerts come in set
//   (file name) order, then rule order. Throughput (release, 67 shipped rules, one core's CPU
//   time): about 40,000 records/s decode+validate+evaluate, 65,000+ evaluate only.
//   National ID numbers are masked by shape in every journal field taken from a record or a
//   rule file (JournalText.clean, in Records): any run of 15 or more digits, wherever it sits
//   (letters or punctuation around it), shows only its first 6 and last 4 (an X after 17+
//   digits counts), also when written in groups (`440106 19850312 4219`); control characters
//   are escaped. So long non-ID numbers are masked too. The daemon's recovery look-up must
//   compare cleaned with cleaned (Alert.journalRecordID).
//
// SEE ALSO
//   docs/rule-files.md (the format), spec/interfaces.md §2–4, spec/records.md.
