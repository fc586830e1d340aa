import ArgumentParser

/// `gigascale-bench`: speed, memory and load measurements that live outside the unit tests.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gigascale-bench",
        abstract: "Measure Gigascale's speed, memory and behaviour under load.",
        subcommands: [EngineBench.self, TilingBench.self, LoadBench.self]
    )
}
