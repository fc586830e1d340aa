import GigaEngine
@testable import GigaModels

/// libFuzzer entry: an ncnn model from arbitrary bytes. The first byte pair (little-endian,
/// modulo the input's length) says where the `.param` text ends and the `.bin` bytes begin; the
/// text is parsed, the graph built with its weights read (no forward pass: shapes are checked
/// at run time by the tests), and every error must be a thrown one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNCNN(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count >= 2 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: bytes, count: count))
    let split = 2 + (Int(input[0]) | Int(input[1]) << 8) % (count - 1)
    let text = String(decoding: input[2..<split], as: UTF8.self)
    let weights = Array(input[split...])
    if let param = try? NCNNParam(text: text, source: "fuzz.param") {
        _ = try? NCNNNet(param: param, weights: weights, source: "fuzz.param")
    }
    return 0
}
