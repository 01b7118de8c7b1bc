// `stationguard submit RECORD…`: the kiosk side of the hand-off. Each record is validated by
// Records first; a bad one is refused with its reason, a good one goes tmp/ + fsync + rename.
import ArgumentParser
import Foundation
import Records
import Spool

struct Submit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Validate records and hand them to the spool.",
        discussion: """
        Each RECORD is validated against the record contract; a valid one is written to the spool's tmp/, fsynced and renamed into new/ under its own file name. An invalid one is refused with the reason and not handed over.
        Exit 0: every record handed over; 1: a record was refused (invalid, unreadable, name taken) or the spool is unusable; 2: usage error.
        """
    )

    @OptionGroup var options: SpoolOptions
    @Argument(help: "Record files (JSON), each named NAME.json.") var records: [String] = []

    func validate() throws {
        if records.isEmpty { throw ValidationError("give at least one record file") }
    }

    func run() throws {
        let spool: Spool
        do {
            // createMissing: false, so a mistyped --spool is reported instead of creating a spool nobody watches.
            spool = try Spool(root: options.spoolDirectory, createMissing: false)
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        var refused = false
        for path in records {
            let name = (path as NSString).lastPathComponent
            guard let data = FileManager.default.contents(atPath: path) else {
                printError(JournalText.clean("\(path): cannot read the file"))
                refused = true
                continue
            }
            let bytes = Array(data)
            switch RecordDecoder.decode(bytes, fileName: name) {
            case .failure(let error):
                printError(JournalText.clean("\(path): refused: \(error.reason)"))
                refused = true
                continue
            case .success(let record):
                // Kept (forward compatibility) but read by no rule: say so before handing it over.
                for warning in record.unknownFieldWarnings { printError(JournalText.clean("\(path): warning: \(warning)")) }
            }
            do {
                try spool.submit(bytes: bytes, name: name)
                print(JournalText.clean("\(path): handed over as \(spool.root)/new/\(name)"))
            } catch {
                printError(JournalText.clean("\(path): refused: \(error)"))
                refused = true
            }
        }
        if refused { throw ExitCode(1) }
    }
}
