import ArgumentParser

/// `gigascale-bench`: speed measurements that live outside the unit tests.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gigascale-bench",
        abstract: "Measure Gigascale's speed.",
        subcommands: [EngineBench.self, TilingBench.self, LayersBench.self]
    )
}
