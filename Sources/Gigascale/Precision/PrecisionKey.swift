import Foundation
import GigaEngine

/// What a precision measurement depends on, and so what its cached verdict is stored under:
/// the CPU, how many threads each convolution runs on, oneDNN (its version and the instruction
/// set it dispatches to) and the convolution shapes timed. Change any of these and the verdict
/// is measured again.
public struct PrecisionKey: Sendable, Equatable, Codable {
    /// The CPU's model name, e.g. "AMD EPYC 9R14" (`/proc/cpuinfo`, `machdep.cpu.brand_string`).
    public var cpu: String
    /// Logical processors the system offers.
    public var processors: Int
    /// Threads each convolution runs on (the upscaler's threads over its tile workers).
    public var threads: Int
    /// oneDNN's version.
    public var oneDNN: String
    /// The instruction set oneDNN dispatches to, e.g. "avx512_core_bf16".
    public var isa: String
    /// The convolutions timed, with their calls per tile.
    public var shapes: [String]

    /// A key for this machine and oneDNN.
    public init(threads: Int, shapes: [String], cpu: String = PrecisionKey.cpuModelName,
                processors: Int = ProcessInfo.processInfo.activeProcessorCount,
                oneDNN: String = ComputeContext.oneDNNVersion, isa: String = ComputeContext.instructionSet) {
        self.cpu = cpu
        self.processors = processors
        self.threads = threads
        self.oneDNN = oneDNN
        self.isa = isa
        self.shapes = shapes
    }

    /// The cache file's name: a 64-bit FNV-1a hash of every field (stable across runs and
    /// machines, unlike Swift's seeded `Hasher`). The file also holds the key itself, so a
    /// collision is noticed and measured again.
    public var fileName: String {
        let text = ([cpu, "\(processors)", "\(threads)", oneDNN, isa] + shapes).joined(separator: "\n")
        return "precision-" + FNV1a.hexDigest(text) + ".json"
    }

    /// This machine's CPU model name, or "unknown CPU".
    public static let cpuModelName: String = {
        #if os(Linux)
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        #elseif canImport(Darwin)
        var size = 0
        if sysctlbyname("machdep.cpu.brand_string", nil, &size, nil, 0) == 0, size > 0 {
            var bytes = [CChar](repeating: 0, count: size)
            if sysctlbyname("machdep.cpu.brand_string", &bytes, &size, nil, 0) == 0 { return String(cString: bytes) }
        }
        #endif
        return "unknown CPU"
    }()
}
