import ArgumentParser

/// `gigascale-bench`: speed measurements that live outside the unit tests.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gigascale-bench",
        abstract: "Measure Gigascale's speed.",
        subcommands: [EngineBench.self]
    )
}
