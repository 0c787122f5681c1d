// A Map that keeps at most `capacity` entries, dropping the oldest one first: the memo behind the
// hot paths' caches (parsed quantities, manager identifiers, decoded field sets), where a key
// space that is small in practice must still not grow without bound.
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly capacity: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.capacity) this.delete(this.keys().next().value!);
    return super.set(key, value);
  }

  /** The value kept for key, or make(key)'s, kept for next time (an undefined one is not kept). */
  memo(key: K, make: (key: K) => V): V;
  memo(key: K, make: (key: K) => V | undefined): V | undefined;
  memo(key: K, make: (key: K) => V | undefined): V | undefined {
    let v = this.get(key);
    if (v === undefined) {
      v = make(key);
      if (v !== undefined) this.set(key, v);
    }
    return v;
  }
}
