/// What the convolutions a tile runs depend on, and so what a census of them is cached under: the
/// model's architecture (`TileModel.architecture`), the tile size, and how the census counts
/// (`format`, raised whenever a change to the engine or the census alters what one finds for
/// the same architecture).
public struct CensusKey: Sendable, Equatable, Codable {
    /// The census's own version (see the type's description).
    public static let currentFormat = 1

    public var architecture: String
    public var tileSize: Int
    public var format: Int

    public init(architecture: String, tileSize: Int, format: Int = CensusKey.currentFormat) {
        self.architecture = architecture
        self.tileSize = tileSize
        self.format = format
    }

    /// The cache file's name: a 64-bit FNV-1a hash of every field (the file also holds the key,
    /// so a collision is noticed).
    public var fileName: String {
        "census-" + FNV1a.hexDigest("\(format)\n\(tileSize)\n\(architecture)") + ".json"
    }
}
