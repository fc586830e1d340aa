import Foundation

/// A failure of one input that is neither a codec nor a model error (an output name clash).
struct JobError: Error {
    let message: String
}

/// Runs the jobs one after another, past failures, until done or interrupted; keeps track of the
/// outputs already claimed so two inputs never write the same file.
final class BatchRunner: @unchecked Sendable {
    let jobs: [Job]
    let reporter: ProgressReporter
    private let work: (Job, BatchRunner) async -> JobRecord
    private var claimed: [String: String] = [:]

    init(jobs: [Job], reporter: ProgressReporter, work: @escaping (Job, BatchRunner) async -> JobRecord) {
        self.jobs = jobs
        self.reporter = reporter
        self.work = work
    }

    func run() async {
        for (index, job) in jobs.enumerated() {
            if Task.isCancelled { return }
            reporter.started(index + 1, input: job.input)
            let record = await work(job, self)
            if Task.isCancelled && record.status == .failed { return }  // the interrupted file is no failure
            reporter.finished(record)
        }
    }

    /// Reserves `output` for `job`'s input. Throws when the output is an input or another
    /// input's output; returns why to skip when it exists and existing outputs are kept.
    func claim(_ output: String, for job: Job, inputKeys: Set<FileKey>, skipExisting: Bool) throws -> String? {
        let key = URL(fileURLWithPath: output).standardizedFileURL.path
        if let other = claimed[key] {
            throw JobError(message: "\(output) is also the output of \(other); rename one input or change --name")
        }
        claimed[key] = job.input
        if let identity = FileIdentity.key(output) {
            if inputKeys.contains(identity) || FileIdentity.same(output, job.input) {
                throw JobError(message: "refusing to write the output onto an input (\(output))")
            }
            if skipExisting { return "\(output) exists (--overwrite replaces it)" }
        }
        return nil
    }
}
