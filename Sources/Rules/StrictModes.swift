// StrictModes: rule files, rule directories and the station config are trusted only when no
// one but root or the daemon's own user could have written them (sshd's StrictModes).
//
// A rule file decides whether a drunk driver is held. If a local user can write it (or the
// directory it sits in, and so replace it), one `enabled: false` switches a rule off with no
// trace but `rules-reloaded`. So the daemon, `rules check`, `rules test`, `check` refuse such
// a file like a broken one, naming its path, owner and mode; the daemon keeps the rules in
// force. `--insecure-rules` (tests only, never in the unit) turns the check off.
import Foundation
import Glibc

/// The owner and mode check for the files the rules come from.
public enum StrictModes {
    /// Why `path` may not be trusted, or nil when it may. Follows a symlink: the file read is
    /// the target (a vendor set may be a symlink; the link itself can only be changed by whoever
    /// may write its directory, which is checked separately).
    /// - Parameters:
    ///   - what: "rule file", "rule directory" or "config file", for the message.
    ///   - user: the daemon's user (the effective uid); root is always trusted.
    ///   - allowSticky: a directory writable by others is accepted when it has the sticky bit
    ///     (others cannot replace a file they do not own in it): the config's directory only.
    static func problem(_ path: String, what: String, user: uid_t = geteuid(), allowSticky: Bool = false) -> RuleIssue? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }  // absent or unreadable: reported elsewhere
        let owner = status.st_uid
        let mode = status.st_mode & 0o7777
        var wrong: [String] = []
        if owner != 0 && owner != user {
            wrong.append("not owned by root or the daemon's user")
        }
        let sticky = allowSticky && status.st_mode & S_IFMT == S_IFDIR && mode & UInt32(S_ISVTX) != 0
        if mode & 0o022 != 0 && !sticky {
            let by = [mode & 0o020 != 0 ? "group" : nil, mode & 0o002 != 0 ? "others" : nil].compactMap { $0 }
            wrong.append("writable by \(by.joined(separator: " and "))")
        }
        guard !wrong.isEmpty else { return nil }
        let modeText = "0" + String(mode, radix: 8)
        return RuleIssue(file: path, line: 0, column: 0,
                         message: "\(what) owned by \(name(of: owner)), mode \(modeText): \(wrong.joined(separator: " and ")); not loaded (only root or the daemon's user, \(name(of: user)), may be able to change it: chown root, chmod go-w)")
    }

    /// `name (uid)`, or the uid alone when it has no name.
    static func name(of uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return "\(String(cString: name)) (uid \(uid))"
    }
}
