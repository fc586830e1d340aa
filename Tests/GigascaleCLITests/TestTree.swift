import Foundation

/// A temporary folder of inputs for the batch tests, removed by `remove()`.
struct TestTree {
    let root: URL

    init() throws { root = try CommandRunner.temporaryDirectory() }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Copies a sample (or, with `fixture: true`, a test fixture) to `relative`, making folders.
    func add(_ relative: String, sample: String, fixture: Bool = false) throws {
        let destination = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture ? CommandRunner.fixture(sample) : CommandRunner.sample(sample),
                                         toPath: destination.path)
    }

    func write(_ relative: String, _ text: String) throws {
        let destination = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: destination)
    }

    /// Every regular file below `relative`, as paths relative to it, sorted.
    func files(under relative: String) -> [String] {
        let base = root.appendingPathComponent(relative).path
        let enumerator = FileManager.default.enumerator(atPath: base)
        var files: [String] = []
        while let entry = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + entry, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(entry)
            }
        }
        return files.sorted()
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// The JSON lines a run wrote (to stderr with --json, or to a --json=FILE).
enum JSONRecords {
    static func parse(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    static func files(_ records: [[String: Any]], status: String) -> [String] {
        records.filter { $0["status"] as? String == status }.compactMap { $0["input"] as? String }.sorted()
    }
}
