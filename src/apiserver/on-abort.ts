// Streams the API server holds open (watches, followed logs) end when it stops. An AbortSignal's
// listeners are a list that adding and removing one walks, so with dozens of watches opening and
// closing (each informer re-watches every 5 to 10 minutes) the signal gets one listener, which ends
// the streams kept in a set.
const abortSets = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls fn once signal aborts (soon, if it has); returns what stops that. */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) {
    queueMicrotask(fn);
    return () => {};
  }
  let set = abortSets.get(signal);
  if (!set) {
    const fns = (set = new Set());
    abortSets.set(signal, fns);
    signal.addEventListener(
      'abort',
      () => {
        for (const f of [...fns]) f();
        fns.clear();
      },
      { once: true },
    );
  }
  const fns = set;
  fns.add(fn);
  return () => fns.delete(fn);
}
