/// Remembers the signatures of the last `capacity` authenticated messages, so that a signed
/// message sent again (a replay) is dropped instead of answered twice, as jupyter_client's
/// Session does with its digest history.
///
/// Memory is bounded: the oldest signature is forgotten when a new one needs its slot.
struct ReplayGuard {
  /// How many signatures are remembered.
  let capacity: Int
  private var seen: Set<[UInt8]> = []
  private var ring: [[UInt8]] = []
  private var next = 0

  init(capacity: Int = 16_384) {
    self.capacity = max(1, capacity)
    ring.reserveCapacity(self.capacity)
  }

  /// Records `signature`; false when it was seen among the remembered ones (a replay).
  /// Empty signatures (signing off) are always admitted and never recorded.
  mutating func admit(_ signature: [UInt8]) -> Bool {
    guard !signature.isEmpty else { return true }
    let key = signature.map { (0x41...0x46).contains($0) ? $0 + 0x20 : $0 }
    guard !seen.contains(key) else { return false }
    if ring.count < capacity {
      ring.append(key)
    } else {
      seen.remove(ring[next])
      ring[next] = key
      next = (next + 1) % capacity
    }
    seen.insert(key)
    return true
  }

  /// The number of signatures remembered now.
  var count: Int { seen.count }
}
