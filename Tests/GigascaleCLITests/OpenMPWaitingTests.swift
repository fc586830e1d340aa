import Foundation
import Testing

/// The process that runs the tiles has OpenMP threads that spin only briefly (1,000 checks, not
/// libgomp's 300,000) before they sleep, unless the user's environment says otherwise. Checked in libgomp's own words:
/// `OMP_DISPLAY_ENV=VERBOSE` makes the runtime print the settings it parsed when it loaded, once
/// per program start, so a relaunched `gigascale` prints twice and the last block is the one of
/// the process doing the work.
@Suite struct OpenMPWaitingTests {
    private static let environment = ProcessInfo.processInfo.environment
    /// libgomp is oneDNN's runtime on Linux (Debian's package); elsewhere oneDNN may use another.
    private static let onLinux: Bool = {
        #if os(Linux)
        true
        #else
        false
        #endif
    }()
    private static let userLeavesItUnset = environment["OMP_WAIT_POLICY"] == nil && environment["GOMP_SPINCOUNT"] == nil

    /// The GOMP_SPINCOUNT values libgomp printed, one per start of the program, in order.
    private func spinCounts(_ extra: [String: String]) throws -> [String] {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CommandRunner.run([CommandRunner.sample("face-128.png"), "-o", directory.appendingPathComponent("out.png").path, "-v"],
                                           environment: extra.merging(["OMP_DISPLAY_ENV": "VERBOSE"]) { $1 })
        #expect(result.status == 0, "\(result.stderr)")
        let regex = try NSRegularExpression(pattern: "GOMP_SPINCOUNT = '([0-9]+)'")
        let text = result.stderr
        let counts = regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range(at: 1), in: text)!]) }
        try #require(!counts.isEmpty, "the OpenMP runtime printed no settings: \(text)")
        return counts
    }

    @Test(.enabled(if: onLinux && userLeavesItUnset, "needs libgomp and OMP_WAIT_POLICY/GOMP_SPINCOUNT unset"))
    func theWorkingProcessSpinsBriefly() throws {
        let counts = try spinCounts([:])
        #expect(counts.last == "1000", "libgomp spins \(counts.last ?? "?") rounds before sleeping")
        #expect(counts.count == 2, "one start, then one relaunch: \(counts)")
    }

    @Test(.enabled(if: onLinux), arguments: [(["OMP_WAIT_POLICY": "ACTIVE"], "30000000000"),
                                             (["OMP_WAIT_POLICY": "passive"], "0"),
                                             (["GOMP_SPINCOUNT": "1000"], "1000")])
    func aUsersOwnSettingIsKeptWithoutRelaunching(setting: [String: String], spinCount: String) throws {
        #expect(try spinCounts(setting) == [spinCount])
    }
}
