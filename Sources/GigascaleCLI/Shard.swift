import Foundation
import Gigascale

/// One share of a batch, `--shard K/N` (K from 1 to N): the inputs whose path hashes to K.
///
/// The hash is FNV-1a (64-bit) of the input's path inside the folder named on the command line
/// (or of the argument itself for a file), so every machine of an array job computes the same
/// split without talking to the others, and N shards together cover every input exactly once.
struct Shard: Equatable {
    /// 1...count.
    let index: Int
    let count: Int

    /// Parses `K/N`, or `auto` from the environment of a Slurm array task or an indexed
    /// Kubernetes Job.
    static func parse(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Shard {
        if text == "auto" { return try fromEnvironment(environment) }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else {
            throw UsageError("--shard '\(text)': expected K/N with 1 <= K <= N (e.g. 2/8), or 'auto'")
        }
        return Shard(index: k, count: n)
    }

    /// Slurm: SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT (any
    /// `--array=A-B` range with step 1; the step is honoured from SLURM_ARRAY_TASK_STEP).
    /// Kubernetes: JOB_COMPLETION_INDEX (0-based) with the count in GIGASCALE_SHARD_COUNT, which
    /// the Job sets to its `completions` (Kubernetes does not export it by itself).
    static func fromEnvironment(_ environment: [String: String]) throws -> Shard {
        func number(_ name: String) throws -> Int? {
            guard let value = environment[name] else { return nil }
            guard let number = Int(value) else { throw UsageError("--shard auto: \(name)='\(value)' is not a number") }
            return number
        }
        if let id = try number("SLURM_ARRAY_TASK_ID") {
            guard let count = try number("SLURM_ARRAY_TASK_COUNT") else {
                throw UsageError("--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not")
            }
            let first = try number("SLURM_ARRAY_TASK_MIN") ?? 0
            let step = max(try number("SLURM_ARRAY_TASK_STEP") ?? 1, 1)
            let offset = (id - first) / step
            guard count >= 1, (0..<count).contains(offset), (id - first) % step == 0 else {
                throw UsageError("--shard auto: task \(id) is outside the array (min \(first), step \(step), count \(count))")
            }
            return Shard(index: offset + 1, count: count)
        }
        if let index = try number("JOB_COMPLETION_INDEX") {
            guard let count = try number("GIGASCALE_SHARD_COUNT") else {
                throw UsageError("--shard auto: JOB_COMPLETION_INDEX is set; set GIGASCALE_SHARD_COUNT to the Job's completions too")
            }
            guard count >= 1, (0..<count).contains(index) else {
                throw UsageError("--shard auto: JOB_COMPLETION_INDEX \(index) is outside 0..<\(count)")
            }
            return Shard(index: index + 1, count: count)
        }
        throw UsageError("--shard auto: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set")
    }

    func includes(_ key: String) -> Bool {
        Int(FNV1a.hash(key) % UInt64(count)) == index - 1
    }
}
