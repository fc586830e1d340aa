import Testing
@testable import GigaModels

@Suite struct ModelErrorTests {
    @Test func describesItselfInWords() {
        #expect(ModelError("weights.safetensors: missing tensor 'stem.weight'").description
                == "weights.safetensors: missing tensor 'stem.weight'")
    }
}
