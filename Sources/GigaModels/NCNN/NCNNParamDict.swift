/// The `key=value` parameters of one layer line in an ncnn `.param` file.
///
/// Keys are 0…31. A value is an integer, a float (written with `.` or `e`), a string, or an
/// array: new style `k=1,2,3`, or old style `-233KK=N,v1,…,vN` where the key is `-23300 - KK`
/// and N is the element count.
public struct NCNNParamDict: Sendable, Equatable {
    /// One parameter value as written.
    public enum Value: Sendable, Equatable {
        case int(Int)
        case float(Float)
        case string(String)
        case array([Float])
    }

    /// ncnn's `NCNN_MAX_PARAM_COUNT`: keys are below this.
    public static let keyLimit = 32

    /// The values by key.
    public private(set) var values: [Int: Value] = [:]

    /// An empty dictionary.
    public init() {}

    /// Parses the tokens after a layer's blob names, e.g. `["0=64", "1=3", "-23310=1,2.0e-01"]`.
    /// - Throws: a message (without the file and line, which the caller adds) for a malformed token.
    init(tokens: some Sequence<Substring>) throws(NCNNParseError) {
        for token in tokens {
            guard let equals = token.firstIndex(of: "="), let rawKey = Int(token[..<equals]) else {
                throw NCNNParseError("'\(token.prefix(40))' is not a key=value parameter")
            }
            let text = token[token.index(after: equals)...]
            let isOldStyleArray = rawKey <= -23300
            let key = !isOldStyleArray ? rawKey : rawKey > -23300 - Self.keyLimit ? -rawKey - 23300 : -1
            guard (0..<Self.keyLimit).contains(key) else {
                throw NCNNParseError("parameter key \(rawKey) is outside 0…\(Self.keyLimit - 1)")
            }
            guard values[key] == nil else { throw NCNNParseError("parameter \(key) is given twice") }
            if isOldStyleArray {
                let parts = text.split(separator: ",", omittingEmptySubsequences: false)
                guard let count = parts.first.flatMap({ Int($0) }), count >= 0, count == parts.count - 1 else {
                    throw NCNNParseError("array parameter \(rawKey) must be N followed by N comma-separated numbers")
                }
                values[key] = .array(try Self.numbers(parts.dropFirst(), key: rawKey))
            } else if text.contains(",") {
                values[key] = .array(try Self.numbers(text.split(separator: ",", omittingEmptySubsequences: false), key: rawKey))
            } else if let first = text.first, first.isLetter || first == "\"" {
                values[key] = .string(String(text.filter { $0 != "\"" }))
            } else if Self.looksLikeFloat(text) {
                values[key] = .float(try Self.number(text, key: rawKey))
            } else if let value = Int(text) {
                values[key] = .int(value)
            } else {
                throw NCNNParseError("parameter \(key) has the value '\(text.prefix(40))', which is not a number")
            }
        }
    }

    private static func looksLikeFloat(_ text: Substring) -> Bool {
        text.contains(".") || text.contains("e") || text.contains("E")
    }

    private static func numbers(_ texts: some Sequence<Substring>, key: Int) throws(NCNNParseError) -> [Float] {
        var values: [Float] = []
        for text in texts { values.append(try number(text, key: key)) }
        return values
    }

    private static func number(_ text: Substring, key: Int) throws(NCNNParseError) -> Float {
        if let value = Int(text) { return Float(value) }
        guard let value = Float(text), value.isFinite else {
            throw NCNNParseError("parameter \(key) holds '\(text.prefix(40))', which is not a finite number")
        }
        return value
    }

    /// The integer at `key`, or `defaultValue` when absent.
    /// - Throws: when the value is not a whole number.
    public func int(_ key: Int, _ defaultValue: Int) throws(NCNNParseError) -> Int {
        switch values[key] {
        case nil: return defaultValue
        case .int(let value): return value
        case .float(let value) where value == value.rounded() && abs(value) < 1e9: return Int(value)
        default: throw NCNNParseError("parameter \(key) must be an integer")
        }
    }

    /// The number at `key` (an integer is taken as its value), or `defaultValue` when absent.
    public func float(_ key: Int, _ defaultValue: Float) throws(NCNNParseError) -> Float {
        switch values[key] {
        case nil: return defaultValue
        case .int(let value): return Float(value)
        case .float(let value): return value
        default: throw NCNNParseError("parameter \(key) must be a number")
        }
    }

    /// The array at `key` (a single number is a one-element array), or `[]` when absent.
    public func array(_ key: Int) throws(NCNNParseError) -> [Float] {
        switch values[key] {
        case nil: return []
        case .int(let value): return [Float(value)]
        case .float(let value): return [value]
        case .array(let values): return values
        case .string: throw NCNNParseError("parameter \(key) must be a number or an array")
        }
    }

    /// Whether `key` was given.
    public func has(_ key: Int) -> Bool { values[key] != nil }
}

/// A problem found while reading an ncnn file, before the file and line are attached.
public struct NCNNParseError: Error, Sendable, Equatable {
    /// What is wrong, in words.
    public var message: String
    init(_ message: String) { self.message = message }
}
