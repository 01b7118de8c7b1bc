// Child: a program started with posix_spawn and reaped with waitpid. Foundation's Process
// sometimes misses a child's exit here (a child that leaves a background process behind, such
// as private-journald's `start`), so the tests manage their children themselves.
import Foundation
import Glibc

final class Child {
    let pid: pid_t
    private(set) var status: Int32?

    /// Starts `path` with `arguments`; stdin is /dev/null, stdout and stderr go to the given
    /// descriptors (or /dev/null).
    init(_ path: String, _ arguments: [String], stdout: Int32? = nil, stderr: Int32? = nil, stdin: Int32? = nil,
         environment extra: [String: String] = [:]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdin { posix_spawn_file_actions_adddup2(&actions, stdin, 0) } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        for (fd, target) in [(stdout, Int32(1)), (stderr, Int32(2))] {
            if let fd { posix_spawn_file_actions_adddup2(&actions, fd, target) } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
            }
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var variables = ProcessInfo.processInfo.environment
        for (name, value) in extra { variables[name] = value }
        let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        self.pid = pid
    }

    /// Whether it still runs (reaps it if it ended).
    var isRunning: Bool {
        if status != nil { return false }
        var raw: Int32 = 0
        if waitpid(pid, &raw, WNOHANG) == pid {
            status = Child.decode(raw)
            return false
        }
        return true
    }

    /// Waits for the end; returns the exit status (128 + signal when killed).
    @discardableResult
    func wait() -> Int32 {
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
        status = Child.decode(raw)
        return status!
    }

    func signal(_ number: Int32) { if status == nil { kill(pid, number) } }

    private static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }
}

/// Runs a program to its end; returns status, stdout, stderr (captured through files, so no
/// pipe is ever left open by a grandchild).
@discardableResult
func runProgram(_ path: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    let base = NSTemporaryDirectory() + "sg-it-run-\(UUID().uuidString)"
    let outFD = open(base + ".out", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    let errFD = open(base + ".err", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    defer {
        close(outFD); close(errFD)
        unlink(base + ".out"); unlink(base + ".err")
    }
    let child = try Child(path, arguments, stdout: outFD, stderr: errFD)
    let status = child.wait()
    let out = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? ""
    let err = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
    return (status, out, err)
}
