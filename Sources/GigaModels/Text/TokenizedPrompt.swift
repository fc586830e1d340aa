/// A prompt as the text encoder reads it: `[CLS] pieces… [SEP]`, then `[PAD]` up to a fixed length.
public struct TokenizedPrompt: Sendable, Equatable {
    /// Token ids (vocabulary line numbers, from 0), `[CLS]` first.
    public var ids: [Int]
    /// `true` for real tokens (`[CLS]`, the pieces, `[SEP]`), `false` for padding; same count as `ids`.
    public var mask: [Bool]

    /// Creates a prompt from ids and a mask of the same length.
    public init(ids: [Int], mask: [Bool]) {
        precondition(ids.count == mask.count, "\(ids.count) ids but \(mask.count) mask values")
        self.ids = ids
        self.mask = mask
    }

    /// The ids of the real tokens only (no padding).
    public var realIDs: [Int] { zip(ids, mask).filter(\.1).map(\.0) }
}
