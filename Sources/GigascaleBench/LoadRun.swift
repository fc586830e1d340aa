import Foundation
import GigaImage

/// What one load run left behind, and the checks on it: one record per input, an output for
/// each good input and a reported error for each broken one, nothing else in the output folder,
/// the inputs untouched, and an exit status and summary that agree.
struct LoadRun {
    struct Verdict {
        var outputs = 0
        var errors = 0
        /// Inputs with no record, or with no output although the record says done.
        var lost = 0
        /// Good inputs that failed or were skipped, broken ones that were "enlarged", duplicates.
        var unexpected = 0
        var stray = 0
        var changedInputs = 0
        var failures: [String] = []
    }

    let corpus: LoadCorpus
    /// The extra images that keep the process busy while the last sample is read.
    let busy: LoadCorpus
    let outputFolder: String
    let inputFolder: String
    let records: String
    let stderr: String
    let status: Int32
    let bySignal: Bool
    /// Whether outputs must be the model's native 8x (no size arguments were passed).
    let nativeSizeExpected: Bool

    func check() -> Verdict {
        var verdict = Verdict()
        let objects = records.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        let summary = objects.first { $0["summary"] as? Bool == true }
        var byInput: [String: [[String: Any]]] = [:]
        for object in objects where object["summary"] == nil {
            byInput[object["input"] as? String ?? "?", default: []].append(object)
        }
        var expectedOutputs: Set<String> = []
        for input in corpus.inputs + busy.inputs {
            let found = byInput.removeValue(forKey: input.path) ?? []
            // The extra image's problems fail the run too, but the table counts the batch only.
            let counted = !busy.inputs.contains { $0.path == input.path }
            func tally(_ column: WritableKeyPath<Verdict, Int>) { if counted { verdict[keyPath: column] += 1 } }
            guard let record = found.first else {
                tally(\.lost)
                verdict.failures.append("\(input.path): no record (neither output nor error)")
                continue
            }
            if found.count > 1 {
                tally(\.unexpected)
                verdict.failures.append("\(input.path): \(found.count) records")
            }
            switch (record["status"] as? String, input.breakage) {
            case ("done", nil):
                guard let output = record["output"] as? String else {
                    tally(\.lost)
                    verdict.failures.append("\(input.path): done, but the record names no output")
                    continue
                }
                expectedOutputs.insert(URL(fileURLWithPath: output).lastPathComponent)
                if let problem = problem(withOutput: output, of: input, record: record) {
                    tally(\.lost)
                    verdict.failures.append(problem)
                } else {
                    tally(\.outputs)
                }
            case ("failed", .some):
                let message = record["error"] as? String ?? ""
                if !message.contains(input.path) {
                    tally(\.unexpected)
                    verdict.failures.append("\(input.path): the error does not name the file: \(message)")
                } else if !stderr.contains("gigascale: error: \(message)") {
                    tally(\.unexpected)
                    verdict.failures.append("\(input.path): the error was not printed: \(message)")
                } else {
                    tally(\.errors)
                }
            case (let status, let breakage):
                tally(\.unexpected)
                verdict.failures.append("\(input.path) (\(breakage ?? "good")): \(status ?? "no status") \(record["error"] as? String ?? "")")
            }
        }
        for (input, _) in byInput {
            verdict.unexpected += 1
            verdict.failures.append("a record for an input that was not given: \(input)")
        }
        checkOutputFolder(expected: expectedOutputs, into: &verdict)
        checkInputs(into: &verdict)
        checkSummary(summary, into: &verdict)
        return verdict
    }

    /// Why an output is not what it should be, or nil when it is a complete image of the size
    /// the record states.
    private func problem(withOutput output: String, of input: LoadCorpus.Input, record: [String: Any]) -> String? {
        let image: Image
        do {
            image = try ImageReader.read(path: output)
        } catch {
            return "\(input.path): the output \(output) does not decode: \(error)"
        }
        let stated = (record["outputWidth"] as? Int, record["outputHeight"] as? Int)
        guard stated.0 == image.width, stated.1 == image.height else {
            return "\(input.path): the output is \(image.width)x\(image.height), the record says \(stated.0 ?? -1)x\(stated.1 ?? -1)"
        }
        if nativeSizeExpected, image.width != 8 * input.width || image.height != 8 * input.height {
            return "\(input.path): \(input.width)x\(input.height) became \(image.width)x\(image.height), not 8x"
        }
        return nil
    }

    /// The output folder holds the outputs the records name and nothing else (no temporary files).
    private func checkOutputFolder(expected: Set<String>, into verdict: inout Verdict) {
        let present = Set((try? FileManager.default.contentsOfDirectory(atPath: outputFolder)) ?? [])
        for name in present.subtracting(expected).sorted() {
            verdict.stray += 1
            verdict.failures.append("\(outputFolder)/\(name): a file no record accounts for")
        }
        for name in expected.subtracting(present).sorted() {
            verdict.lost += 1
            verdict.failures.append("\(outputFolder)/\(name): named by a record but missing")
        }
    }

    /// Every input holds the bytes it was written with, and nothing was added beside them.
    private func checkInputs(into verdict: inout Verdict) {
        for input in corpus.inputs + busy.inputs where FileManager.default.contents(atPath: input.path) != input.bytes {
            verdict.changedInputs += 1
            verdict.failures.append("\(input.path): changed")
        }
        let names = Set((try? FileManager.default.contentsOfDirectory(atPath: inputFolder)) ?? [])
        let expected = Set(corpus.inputs.map { URL(fileURLWithPath: $0.path).lastPathComponent })
        for name in names.subtracting(expected).sorted() {
            verdict.stray += 1
            verdict.failures.append("\(inputFolder)/\(name): appeared among the inputs")
        }
    }

    /// Exit status 1 exactly when some input failed; the summary counts what the records say.
    private func checkSummary(_ summary: [String: Any]?, into verdict: inout Verdict) {
        let broken = corpus.brokenCount
        let expectedStatus: Int32 = broken > 0 ? 1 : 0
        if bySignal || status != expectedStatus {
            verdict.failures.append("exit status \(status)\(bySignal ? " (signal)" : ""), expected \(expectedStatus)")
        }
        guard let summary else {
            verdict.failures.append("no summary record")
            return
        }
        let done = summary["done"] as? Int, failed = summary["failed"] as? Int
        let expectedDone = corpus.inputs.count - broken + busy.inputs.count
        if done != expectedDone || failed != broken {
            verdict.failures.append("the summary says \(done ?? -1) done and \(failed ?? -1) failed; expected \(expectedDone) and \(broken)")
        }
    }
}
