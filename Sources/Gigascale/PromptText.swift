/// How much of a prompt is kept. The text encoder reads only its first tokens, so a prompt is cut
/// to `byteLimit` bytes of UTF-8 wherever it comes from (an option, a list, a sidecar file): far
/// more than the encoder reads, and little enough that a stray multi-gigabyte text file cannot
/// stall a batch or fill memory.
public enum PromptText {
    /// The longest prompt kept, in UTF-8 bytes.
    public static let byteLimit = 64 << 10

    /// `text` cut to `byteLimit` bytes of UTF-8, never inside a character's bytes.
    public static func clipped(_ text: String) -> String {
        text.utf8.count <= byteLimit ? text : clipped(Array(text.utf8))
    }

    /// The UTF-8 text of `bytes` cut to `byteLimit` bytes, never inside a character's bytes:
    /// pass a few bytes beyond the limit, when there are some, so the cut can be placed.
    public static func clipped<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let bytes = Array(bytes)
        var end = min(bytes.count, byteLimit)
        // A continuation byte (10xxxxxx) just past the cut means its character began before it.
        while end < bytes.count && end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}
