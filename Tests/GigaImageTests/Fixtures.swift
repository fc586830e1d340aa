import Foundation

/// Paths into `Tests/Fixtures` and `Samples`, found from this file's location so the tests
/// need no bundled resources.
enum Fixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Fixtures/<relativePath>`.
    static func path(_ relativePath: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relativePath).path
    }

    /// `Samples/<name>`.
    static func sample(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Samples").appendingPathComponent(name).path
    }

    /// A fresh empty directory for a test's outputs.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gigascale-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
