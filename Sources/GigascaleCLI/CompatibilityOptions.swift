import ArgumentParser
import GigaImage

/// Spellings that realesrgan-ncnn-vulkan users already type, honoured where gigascale can honour
/// them and refused with a reason (exit 2) where it cannot; never silently ignored.
struct CompatibilityOptions: ParsableArguments {
    @Option(name: [.customShort("g"), .long], parsing: .unconditional,
            help: ArgumentHelp("GPU to use, as in the ncnn tools: only -1, 'cpu' or 'auto' (gigascale runs on the CPU).", valueName: "id"))
    var gpu: String?

    @Flag(name: [.customShort("x"), .long],
          help: "Test-time augmentation (ncnn -x): average the 8 mirrored and rotated variants; 8 times slower, and the whole output is held in memory.")
    var tta = false

    @Option(name: [.customShort("j"), .long],
            help: ArgumentHelp("ncnn-style threads 'load:proc:save': proc sets --threads (decoding and encoding use one thread each, so load and save are accepted but change nothing).",
                               valueName: "L:P:S"))
    var jobs: String?

    func validate() throws {
        if let gpu, !["-1", "cpu", "auto"].contains(gpu.lowercased()) {
            throw ValidationError("-g \(gpu): gigascale runs on the CPU only; there is no GPU \(gpu) to use (leave -g out, or pass -g -1)")
        }
        if let jobs { _ = try Self.inferenceThreads(jobs) }
    }

    /// The `P` of `-j L:P:S` (or a plain number), or nil when -j is absent.
    var inferenceThreads: Int? { jobs.flatMap { try? Self.inferenceThreads($0) } }

    static func inferenceThreads(_ text: String) throws -> Int {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 3 else {
            throw ValidationError("-j '\(text)': expected load:proc:save (e.g. 1:2:2) or a thread count")
        }
        let numbers = parts.map { Int($0) }
        guard numbers.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("-j '\(text)': every part must be a whole number of threads of at least 1 (one GPU list per part is not supported: CPU only)")
        }
        return numbers[parts.count == 1 ? 0 : 1]!
    }
}
