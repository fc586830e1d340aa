import Foundation
import GigaEngine

/// Where automatic precision verdicts are kept between runs: one small JSON file per
/// `PrecisionKey` in a folder, by default `$XDG_CACHE_HOME/gigascale` (else
/// `~/.cache/gigascale`), and one per `CensusKey` with the convolutions a model's tile runs.
/// Deleting the folder, or any `precision-*.json` or `census-*.json` in it, makes the next run
/// measure (or count) again.
///
/// The cache is only ever a shortcut: a file that cannot be read, does not parse or holds
/// another key is ignored, and a failure to write is reported, never thrown.
public struct PrecisionCache: Sendable, Equatable {
    /// The folder the files go in (created when first written).
    public var directory: String

    /// A cache in `directory`, or in `defaultDirectory` when nil.
    public init(directory: String? = nil) {
        self.directory = directory ?? Self.defaultDirectory
    }

    /// `$XDG_CACHE_HOME/gigascale` when that variable holds an absolute path (the XDG Base
    /// Directory rule), else `$HOME/.cache/gigascale`.
    public static var defaultDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/gigascale" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.cache/gigascale"
    }

    /// What one file holds.
    struct Record: Codable {
        var key: PrecisionKey
        var precision: String
        var measurement: PrecisionMeasurement
    }

    /// The file `key` is stored in.
    public func path(for key: PrecisionKey) -> String { directory + "/" + key.fileName }

    /// The measurement stored for `key`, or nil when there is none or it cannot be used.
    public func load(_ key: PrecisionKey) -> PrecisionMeasurement? {
        guard let record = readFile(Record.self, named: key.fileName),
              record.key == key, record.measurement.verdict.rawValue == record.precision else { return nil }
        return record.measurement
    }

    /// Stores `measurement` for `key` (a temporary file renamed into place, so a reader never
    /// sees half a file). Returns why it could not ("PATH: reason"), or nil on success.
    @discardableResult
    public func store(_ measurement: PrecisionMeasurement, for key: PrecisionKey) -> String? {
        writeFile(Record(key: key, precision: measurement.verdict.rawValue, measurement: measurement), named: key.fileName)
    }

    /// What one census file holds.
    struct CensusRecord: Codable {
        var key: CensusKey
        var shapes: [ConvolutionCensus.Entry]
    }

    /// The convolutions stored for `key`, or nil when there are none or the file cannot be used.
    public func loadCensus(_ key: CensusKey) -> [ConvolutionCensus.Entry]? {
        guard let record = readFile(CensusRecord.self, named: key.fileName),
              record.key == key, !record.shapes.isEmpty else { return nil }
        return record.shapes
    }

    /// Stores a census for `key`, as `store(_:for:)` does a measurement.
    @discardableResult
    public func storeCensus(_ shapes: [ConvolutionCensus.Entry], for key: CensusKey) -> String? {
        writeFile(CensusRecord(key: key, shapes: shapes), named: key.fileName)
    }

    /// The JSON record in `fileName` in the folder, or nil when it cannot be read or decoded.
    private func readFile<Record: Decodable>(_ type: Record.Type, named fileName: String) -> Record? {
        FileManager.default.contents(atPath: directory + "/" + fileName).flatMap { try? JSONDecoder().decode(type, from: $0) }
    }

    /// Writes `record` as JSON to `fileName` in the folder: a temporary file renamed into place.
    private func writeFile(_ record: some Encodable, named fileName: String) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(record) else { return "cannot encode \(fileName)" }
        if let problem = Self.makeDirectories(directory) { return problem }
        let target = directory + "/" + fileName
        let temporary = directory + "/.\(fileName).\(getpid()).tmp"
        func failure(_ path: String) -> String {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            return "\(path): \(reason)"
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { return failure(temporary) }
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard close(descriptor) == 0, written == data.count else { return failure(temporary) }
        guard rename(temporary, target) == 0 else { return failure(target) }
        return nil
    }

    /// `mkdir -p`, with the system's reason for the first folder that cannot be made (Foundation's
    /// own error here says only "The operation could not be completed").
    private static func makeDirectories(_ path: String) -> String? {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST { return "\(current): \(String(cString: strerror(errno)))" }
        }
        return nil
    }
}
