import GigaEngine

/// The one weights loader of every model (the generator, its text encoder, AuraSR): hands out a
/// safetensors file's tensors by exact name, checking each one's shape, and remembers which were
/// taken so that a file with tensors the model does not use can be refused.
///
/// Every error is a `ModelError` naming the file, the tensor and both shapes.
public final class WeightStore {
    /// The file the tensors come from.
    public let file: SafetensorsFile
    private var used: Set<String> = []

    /// Wraps an open safetensors file.
    public init(_ file: SafetensorsFile) { self.file = file }

    /// Opens `path` as a safetensors file.
    /// - Throws: `ModelError` when the file cannot be read as safetensors.
    public convenience init(path: String) throws {
        do {
            self.init(try SafetensorsFile(path: path))
        } catch let error as SafetensorsError {
            throw ModelError(error.description)
        }
    }

    /// The entry of tensor `name` (its dtype, shape and place in the file, for a tensor read
    /// lazily, such as an embedding table) after checking that its shape is `shape`.
    /// - Throws: `ModelError` when the tensor is missing or has another shape.
    public func entry(_ name: String, shape: [Int]) throws -> SafetensorsEntry {
        guard let entry = file.entries[name] else {
            throw ModelError("\(file.path): missing tensor '\(name)' (expected shape \(shape))")
        }
        guard entry.shape == shape else {
            throw ModelError("\(file.path): tensor '\(name)' has shape \(entry.shape), expected \(shape)")
        }
        used.insert(name)
        return entry
    }

    /// The tensor `name`'s values (row-major, PyTorch's order, widened to Float) after checking
    /// that its shape is `shape`.
    /// - Throws: `ModelError` when the tensor is missing or has another shape.
    public func floats(_ name: String, shape: [Int]) throws -> [Float] {
        _ = try entry(name, shape: shape)
        do {
            return try file.floats(name)
        } catch let error as SafetensorsError {
            throw ModelError(error.description)
        }
    }

    /// The tensor `name` as an engine tensor of `shape` (a rank-4 shape is read as NCHW and
    /// stored NHWC; other ranks row-major).
    public func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        Tensor(nchw: try floats(name, shape: shape), shape: shape)
    }

    /// Names in the file that no `floats`/`tensor` call has taken, sorted.
    public var unusedNames: [String] { file.names.filter { !used.contains($0) } }

    /// Throws unless every tensor in the file has been taken.
    /// - Throws: `ModelError` listing the unexpected tensors (the first 20 and a count).
    public func requireAllUsed() throws {
        let unused = unusedNames
        guard !unused.isEmpty else { return }
        let shown = unused.prefix(20).map { "'\($0)'" }.joined(separator: ", ")
        let more = unused.count > 20 ? " and \(unused.count - 20) more" : ""
        throw ModelError("\(file.path): \(unused.count) unexpected tensor(s) the model does not use: \(shown)\(more)")
    }
}
