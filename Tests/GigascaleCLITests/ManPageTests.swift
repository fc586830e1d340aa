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

    /// Every default `--help` states is the default the page states for that option.
    @Test(arguments: [["upscale"], ["info"], ["convert"], ["models"]])
    func statesTheDefaultsTheHelpStates(command: [String]) throws {
        let help = String(decoding: try CommandRunner.run(command + ["--help"]).stdout, as: UTF8.self)
        let page = Self.plainText(try String(contentsOfFile: Self.page, encoding: .utf8))
        let defaults = Self.helpDefaults(help)
        if ["upscale", "convert"].contains(command[0]) { #expect(defaults.count >= 3, "found \(defaults)") }
        for (option, value) in defaults {
            let paragraph = try #require(Self.paragraph(about: option, in: page), "\(option) has no paragraph in the page")
            let stated = paragraph.range(of: "default:? \(NSRegularExpression.escapedPattern(for: value))\\b", options: .regularExpression)
            #expect(stated != nil, "\(command[0]) \(option): --help says default \(value), the page says: \(paragraph)")
        }
    }

    /// The model the page calls the default is the one `gigascale models` marks.
    @Test func namesTheDefaultModelThatRuns() throws {
        let listed = try CommandRunner.run(["models", "--json"], environment: ["GIGASCALE_MODEL": ""])
        let records = JSONRecords.parse(String(decoding: listed.stdout, as: UTF8.self))
        let marked = try #require(records.first { $0["default"] as? Bool == true }?["name"] as? String)
        let page = Self.plainText(try String(contentsOfFile: Self.page, encoding: .utf8))
        #expect(page.range(of: "The default model is \(marked) ?,", options: .regularExpression) != nil, "models marks \(marked)")
        #expect(!page.contains("No trained GAN ships"))
    }

    /// The page's text without roff requests and font escapes, one paragraph per `.TP` or `.PP`.
    private static func plainText(_ roff: String) -> String {
        roff.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var line = String(line)
            if line.hasPrefix(".TP") || line.hasPrefix(".PP") || line.hasPrefix(".SS") || line.hasPrefix(".SH") { return "\n\n" + line }
            for request in [".BR ", ".BI ", ".RB ", ".IR ", ".B ", ".I "] where line.hasPrefix(request) {
                line = String(line.dropFirst(request.count)).replacingOccurrences(of: "\"", with: "")
            }
            return line
        }.joined(separator: " ")
            .replacingOccurrences(of: "\\f[BIRP]", with: "", options: .regularExpression)
            .replacingOccurrences(of: "\\-", with: "-")
            .replacingOccurrences(of: " +", with: " ", options: .regularExpression)
    }

    /// The paragraph whose first line introduces `option`.
    private static func paragraph(about option: String, in page: String) -> String? {
        page.components(separatedBy: "\n\n").first { paragraph in
            let head = paragraph.prefix(160)
            return head.range(of: "\(NSRegularExpression.escapedPattern(for: option))\\b", options: .regularExpression) != nil
                && head.hasPrefix(".TP")
        }
    }

    /// (option, value) for each ArgumentParser-stated "(default: value)" in a help text.
    private static func helpDefaults(_ help: String) -> [(String, String)] {
        var result: [(String, String)] = []
        var option: String?
        for line in help.split(separator: "\n") {
            if let match = line.range(of: "^  (-[a-z], )?--[a-z0-9-]+", options: .regularExpression) {
                option = String(line[match].split(separator: " ").last!)
            }
            if let option, let match = line.range(of: "\\(default: [^()]+\\)$", options: .regularExpression) {
                result.append((option, String(line[match].dropFirst("(default: ".count).dropLast())))
            }
        }
        return result
    }
}
