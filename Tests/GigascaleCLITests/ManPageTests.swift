import Foundation
import Testing

@Suite struct ManPageTests {
    private static let page = CommandRunner.repositoryRoot.appendingPathComponent("Man/gigascale.1").path
    private static let groff = ["/usr/bin/groff", "/usr/local/bin/groff"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// `groff -ww -man -z` prints nothing: no warnings of any kind.
    @Test(.enabled(if: groff != nil, "groff is not installed"))
    func rendersWithoutWarnings() throws {
        let result = try CommandRunner.shell("'\(Self.groff!)' -ww -man -z '\(Self.page)'")
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test func hasTheSectionsTheIssueAsksFor() throws {
        let text = try String(contentsOfFile: Self.page, encoding: .utf8)
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "PROMPTS", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO"] {
            #expect(text.contains("\n.SH \(section)\n"), "missing section \(section)")
        }
    }

    /// Every long option `--help` shows, for every command, is documented in the page.
    @Test(arguments: [["upscale"], ["info"], ["convert"], ["models"]])
    func documentsEveryOptionOfTheHelp(command: [String]) throws {
        let help = String(decoding: try CommandRunner.run(command + ["--help"]).stdout, as: UTF8.self)
        let page = try String(contentsOfFile: Self.page, encoding: .utf8).replacingOccurrences(of: "\\-", with: "-")
        let regex = try NSRegularExpression(pattern: "--[a-z][a-z0-9-]*")
        let options = Set(regex.matches(in: help, range: NSRange(help.startIndex..., in: help)).map { String(help[Range($0.range, in: help)!]) })
        #expect(options.count >= 2)
        for option in options.sorted() where !["--help", "--version"].contains(option) {
            #expect(page.contains(option), "\(command[0]) \(option) is not in Man/gigascale.1")
        }
    }
}
