import GigaEngine

/// ncnn's Split: the input, once per top blob (tensors are copy-on-write, so nothing is copied).
final class NCNNSplit: NCNNLayer {
    private let count: Int
    init(count: Int) { self.count = count }
    func forward(_ inputs: [Tensor], context: ComputeContext) throws -> [Tensor] {
        Array(repeating: inputs[0], count: count)
    }
}

/// ncnn's Concat along the channel axis (`0=0`, or -3 counted from the end of a 3-D blob).
final class NCNNConcat: NCNNLayer {
    func forward(_ inputs: [Tensor], context: ComputeContext) throws -> [Tensor] {
        [try Ops.concatChannels(inputs)]
    }
}

/// ncnn's MemoryData: a constant blob stored in the .bin.
final class NCNNMemoryData: NCNNLayer {
    private let value: Tensor
    init(value: Tensor) { self.value = value }
    func forward(_ inputs: [Tensor], context: ComputeContext) throws -> [Tensor] { [value] }
}

/// ncnn's Crop with fixed offsets and sizes: `0=` x, `1=` y, `2=` channel offsets; `3=`, `4=`,
/// `5=` the output width, height and channels, each at most what is left after the offset and
/// the end offsets `6=`, `7=`, `8=` (-233: all of it).
final class NCNNCrop: NCNNLayer {
    struct Axis {
        var offset: Int, size: Int, endOffset: Int
        func range(in length: Int) throws -> Range<Int> {
            let left = length - offset - endOffset
            let count = size == -233 ? left : min(size, left)
            guard offset >= 0, count >= 1, offset + count <= length else {
                throw EngineError("crop of \(count) from offset \(offset) does not fit in \(length)")
            }
            return offset..<(offset + count)
        }
    }
    private let channel: Axis, row: Axis, column: Axis

    init(channel: Axis, row: Axis, column: Axis) {
        self.channel = channel
        self.row = row
        self.column = column
    }

    func forward(_ inputs: [Tensor], context: ComputeContext) throws -> [Tensor] {
        let input = inputs[0]
        let cs = try channel.range(in: input.channels), ys = try row.range(in: input.height), xs = try column.range(in: input.width)
        var values: [Float] = []
        values.reserveCapacity(cs.count * ys.count * xs.count)
        for y in ys { for x in xs {
            let base = (y * input.width + x) * input.channels
            values.append(contentsOf: input.storage[(base + cs.lowerBound)..<(base + cs.upperBound)])
        } }
        return [Tensor(shape: [1, cs.count, ys.count, xs.count], storage: values)]
    }
}
