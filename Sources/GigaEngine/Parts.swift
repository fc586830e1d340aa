import Dispatch

/// Calls `body(first, end)` on `parts` consecutive runs of nearly equal length that cover
/// `0..<count`, concurrently when there are several: the split of an element-wise pass over
/// threads. `body` must be safe to run on disjoint runs at once (the compiler cannot check what
/// its pointers reach, so this is the caller's promise, as an `@unchecked Sendable` job's is).
func forEachPart(of count: Int, parts: Int, _ body: (_ first: Int, _ end: Int) -> Void) {
    guard parts > 1 else { return body(0, count) }
    withoutActuallyEscaping(body) { body in
        let runs = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            runs.value(count * part / parts, count * (part + 1) / parts)
        }
    }
}

private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
