import Foundation

/// Decodes a model's JSON config strictly, with errors that name the file, the field and what
/// it must be — shared by every config format so they all fail the same, readable way.
enum ConfigDecoding {
    /// Decodes `json` as `Config` and runs `validate`; `subject` ("generator config", "AuraSR
    /// config") and `source` (the file) prefix every message.
    static func decode<Config: Decodable>(_ type: Config.Type, json: Data, source: String, subject: String,
                                          validate: (Config) throws -> Void) throws -> Config {
        let config: Config
        do {
            config = try JSONDecoder().decode(Config.self, from: json)
        } catch let error as ModelError {
            throw ModelError("\(source): \(error.message)")
        } catch let DecodingError.typeMismatch(type, context) {
            throw ModelError("\(source): \(subject) field \(fieldName(context.codingPath)) must be \(typeName(type))")
        } catch let DecodingError.valueNotFound(type, context) {
            throw ModelError("\(source): \(subject) field \(fieldName(context.codingPath)) must be \(typeName(type)), got null")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw ModelError("\(source): \(subject) field \(fieldName(context.codingPath)): \(context.debugDescription)")
        } catch {
            throw ModelError("\(source): \(subject) is not a valid JSON object")
        }
        do {
            try validate(config)
        } catch let error as ModelError {
            throw ModelError("\(source): \(error.message)")
        }
        return config
    }

    /// 'a.b' for a nested field (array indices left out).
    private static func fieldName(_ path: [CodingKey]) -> String {
        let names = path.filter { $0.intValue == nil }.map(\.stringValue)
        return names.isEmpty ? "(root)" : "'" + names.joined(separator: ".") + "'"
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        case is [Int].Type: "a list of integers"
        default: "\(type)"
        }
    }
}
