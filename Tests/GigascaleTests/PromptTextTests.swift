import Gigascale
import Testing

@Suite struct PromptTextTests {
    /// A cut that falls inside a two-, three- or four-byte character drops that character whole.
    @Test(arguments: ["é", "€", "🐈"])
    func aCutNeverSplitsACharacter(character: String) {
        let filler = String(repeating: "x", count: PromptText.byteLimit - 1)
        let clipped = PromptText.clipped(filler + character + "tail")
        #expect(clipped == filler)
        #expect(!clipped.contains("\u{FFFD}"))
        #expect(PromptText.clipped(Array((filler + character).utf8)) == filler)
    }

    /// A character that ends exactly at the limit is kept; short prompts are untouched.
    @Test func aCharacterEndingAtTheLimitIsKept() {
        let filler = String(repeating: "x", count: PromptText.byteLimit - 2)
        #expect(PromptText.clipped(filler + "é" + "more") == filler + "é")
        #expect(PromptText.clipped("a tabby cat") == "a tabby cat")
        #expect(PromptText.clipped(Array("a tabby cat".utf8)) == "a tabby cat")
    }
}
