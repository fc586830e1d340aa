/// Spellings ArgumentParser cannot express, rewritten before parsing.
enum ArgumentSpelling {
    /// `--json=FILE` becomes `--json-file FILE`: ArgumentParser has no option whose value is
    /// optional, and a bare `--json FILE` would be ambiguous with an input named FILE.
    static func normalized(_ arguments: [String]) -> [String] {
        var result: [String] = []
        for (index, argument) in arguments.enumerated() {
            if argument == "--" { return result + arguments[index...] }
            if argument.hasPrefix("--json=") {
                result += ["--json-file", String(argument.dropFirst("--json=".count))]
            } else {
                result.append(argument)
            }
        }
        return result
    }
}
