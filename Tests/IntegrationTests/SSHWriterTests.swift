// SSHWriterTests: kiosks that upload with scp or sftp through a loopback sshd (a private one on
// 127.0.0.1, its own host key and authorized key). scp writes in place under the final name
// (the daemon claims it after IN_CLOSE_WRITE); sftp uses the `.part` then rename convention; an
// interrupted scp leaves a truncated record, which is quarantined, and the complete copy that
// follows is processed.
import Foundation
import XCTest

final class SSHWriterTests: XCTestCase {
    final class LoopbackSSH {
        let directory: String
        let port: Int
        let daemon: Child

        init(in directory: String) throws {
            self.directory = directory
            port = Int.random(in: 20_000...29_999)
            for key in ["host_key", "client_key"] {
                let made = try runProgram("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", directory + "/" + key])
                guard made.status == 0 else { throw POSIXError(.EIO) }
            }
            try FileManager.default.copyItem(atPath: directory + "/client_key.pub", toPath: directory + "/authorized_keys")
            try """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(directory)/host_key
            AuthorizedKeysFile \(directory)/authorized_keys
            PasswordAuthentication no
            PermitRootLogin prohibit-password
            StrictModes no
            UsePAM no
            PidFile \(directory)/sshd.pid
            Subsystem sftp internal-sftp

            """.write(toFile: directory + "/sshd_config", atomically: true, encoding: .utf8)
            try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
            daemon = try Child("/usr/sbin/sshd", ["-D", "-f", directory + "/sshd_config", "-E", directory + "/sshd.log"])
        }

        var clientOptions: [String] {
            ["-i", directory + "/client_key", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
             "-o", "BatchMode=yes", "-o", "LogLevel=ERROR"]
        }

        func scp(_ source: String, to target: String, extra: [String] = []) throws -> (status: Int32, out: String, err: String) {
            try runProgram("/usr/bin/scp", ["-P", "\(port)"] + clientOptions + extra + [source, "root@127.0.0.1:" + target])
        }

        func sftp(_ commands: String) throws -> (status: Int32, out: String, err: String) {
            let batch = directory + "/batch-\(UUID().uuidString.prefix(6))"
            try commands.write(toFile: batch, atomically: true, encoding: .utf8)
            return try runProgram("/usr/bin/sftp", ["-P", "\(port)"] + clientOptions + ["-b", batch, "root@127.0.0.1"])
        }

        func stop() {
            daemon.signal(SIGTERM)
            daemon.wait()
        }
    }

    func testScpAndSftpUploadsIncludingAnInterruptedOne() throws {
        let scene = try Scene("ssh")
        defer { scene.remove() }
        let ssh = try LoopbackSSH(in: scene.root)
        defer { ssh.stop() }
        XCTAssertTrue(try waitUntil(timeout: 10) { try ssh.sftp("pwd\n").status == 0 }, "loopback sshd did not answer")
        let daemon = try DaemonProcess(scene)
        defer { daemon.stop() }
        XCTAssertTrue(daemon.waitUntilStarted())
        let new = scene.spool + "/new/"

        let scp = try scene.write(scene.record("luggage-prohibited", id: "\(scene.station)-scp"), name: "scp.json")
        let copied = try ssh.scp(scp, to: new + "scp.json")
        XCTAssertEqual(copied.status, 0, copied.err)

        let viaSftp = try scene.write(scene.record("driver-alcohol", id: "\(scene.station)-sftp"), name: "sftp.json")
        let put = try ssh.sftp("put \(viaSftp) \(new)sftp.json.part\nrename \(new)sftp.json.part \(new)sftp.json\n")
        XCTAssertEqual(put.status, 0, put.err)

        // An scp cut off half-way: the truncated record is quarantined.
        var record = scene.record("vehicle-pass", id: "\(scene.station)-big")
        record["padding"] = String(repeating: "x", count: 300_000)
        let big = try scene.write(record, name: "big.json")
        let cut = try runProgram("/usr/bin/timeout", ["-s", "KILL", "2", "/usr/bin/scp", "-l", "400", "-P", "\(ssh.port)"]
                                     + ssh.clientOptions + [big, "root@127.0.0.1:" + new + "big.json"])
        XCTAssertNotEqual(cut.status, 0, "scp was cut off")
        XCTAssertTrue(waitUntil(timeout: 20) { scene.quarantinedNames() == ["big.json"] },
                      "quarantine: \(scene.quarantinedNames()), new: \(scene.names(in: "new")); log:\n\(daemon.log)")
        let reason = scene.reason(of: "big.json") ?? ""
        XCTAssertTrue(reason.localizedCaseInsensitiveContains("json"), reason)

        // The complete copy follows and is processed.
        let complete = try ssh.scp(big, to: new + "big.json")
        XCTAssertEqual(complete.status, 0, complete.err)
        XCTAssertTrue(waitUntil(timeout: 20) { scene.doneNames() == ["big.json", "scp.json", "sftp.json"] },
                      "done: \(scene.doneNames()); log:\n\(daemon.log)")
        let predicted = try scene.predictedAlerts(for: [scp, viaSftp, big])
        XCTAssertEqual(alertKeys(try scene.journalAlerts(), idKey: "SG_RECORD_ID", ruleKey: "SG_RULE"),
                       alertKeys(predicted, idKey: "record_id", ruleKey: "rule"))
        XCTAssertEqual(daemon.stop(), 0)
    }
}
