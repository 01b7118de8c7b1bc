// The one retry rule and the no-replace rename, below the spool.
import Foundation
import Glibc
import XCTest
@testable import Spool

final class SystemCallTests: XCTestCase {
    func testInterruptedCallsAreRetriedAndOtherErrorsReturned() {
        var calls = 0
        let retried: Result<Int32, Errno> = valueOrErrno {
            calls += 1
            if calls < 3 { errno = EINTR; return -1 }
            return 42
        }
        XCTAssertEqual(retried, .success(42))
        XCTAssertEqual(calls, 3)

        calls = 0
        let failed: Result<Int32, Errno> = valueOrErrno {
            calls += 1
            errno = ENOENT
            return -1
        }
        XCTAssertEqual(failed, .failure(.noEntry))
        XCTAssertEqual(calls, 1)

        calls = 0
        let notRetried: Result<Int32, Errno> = valueOrErrno(retryOnInterrupt: false) {
            calls += 1
            errno = EINTR
            return -1
        }
        XCTAssertEqual(notRetried, .failure(Errno(EINTR)))
        XCTAssertEqual(calls, 1)
    }

    func testRenameNoReplaceRefusesAnExistingNameBothWays() throws {
        let fixture = try SpoolFixture()
        defer { SystemCall.renameNoReplaceUsesLink = false }
        for useLink in [false, true] {
            SystemCall.renameNoReplaceUsesLink = useLink
            let from = fixture.put("tmp", "from", "mine"), to = fixture.put("tmp", "to", "theirs")
            XCTAssertEqual(failure(SystemCall.renameNoReplace(from, to)), .exists, "link fallback: \(useLink)")
            XCTAssertEqual(fixture.contents(to), "theirs")
            XCTAssertEqual(fixture.contents(from), "mine")
            XCTAssertEqual(unlink(to), 0)
            XCTAssertNil(failure(SystemCall.renameNoReplace(from, to)))
            XCTAssertEqual(fixture.listing("tmp"), ["to"])
            XCTAssertEqual(unlink(to), 0)
        }
    }

    private func failure(_ result: Result<Void, Errno>) -> Errno? {
        if case .failure(let error) = result { return error }
        return nil
    }
}
