import ArgumentParser
import GigaEngine

/// `gigascale-bench`: speed, memory and load measurements that live outside the unit tests.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gigascale-bench",
        abstract: "Measure Gigascale's speed, memory and behaviour under load.",
        subcommands: [EngineBench.self, TilingBench.self, LayersBench.self, EndToEndBench.self, TorchBench.self, LoadBench.self, NCNNBench.self, BusyBench.self, AuraSRBench.self]
    )

    /// As `gigascale` does: keep freed activations in the heap for the next tile.
    static func main() async {
        HeapTuning.retainFreedMemory()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
