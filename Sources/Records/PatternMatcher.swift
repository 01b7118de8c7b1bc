// PatternMatcher: the schema's regular expressions, compiled once each, matched against the
// whole string. The same pattern text goes into the published JSON Schema, so the decoder and
// the schema cannot drift apart.
import Foundation

enum PatternMatcher {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: Regex<AnyRegexOutput>] = [:]

    /// True if the whole of `text` matches `pattern`. Patterns are our own constants; one that
    /// does not compile is a programming error caught by the tests, and here it matches nothing.
    static func matches(_ text: String, _ pattern: String) -> Bool {
        lock.lock()
        var regex = cache[pattern]
        if regex == nil {
            regex = try? Regex(pattern)
            cache[pattern] = regex
        }
        lock.unlock()
        guard let regex else { return false }
        return (try? regex.wholeMatch(in: text)) != nil
    }

    /// Whether a pattern compiles; for the schema self-test.
    static func compiles(_ pattern: String) -> Bool { (try? Regex(pattern)) != nil }
}
