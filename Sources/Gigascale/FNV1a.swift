/// The 64-bit FNV-1a hash of a string's UTF-8 bytes: stable across runs, machines and Swift
/// versions (unlike `Hasher`, which is seeded per process), for names and shares that must be
/// the same wherever they are computed.
public enum FNV1a {
    /// The hash of `text`.
    public static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The hash of `text` as 16 lower-case hex digits (leading zeros kept), for file names.
    public static func hexDigest(_ text: String) -> String {
        let hex = String(hash(text), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
