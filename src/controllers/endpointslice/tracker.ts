// EndpointSliceTracker (k8s.io/endpointslice/util): the generation of every slice this controller
// wrote and the slices it deleted, so a sync never acts on an informer cache that has not caught up
// with its own writes (which would create duplicate slices), and slice events caused by our own
// writes do not requeue the Service.
import type { EndpointSlice } from '../../api/objects.js';
import { LABEL_SERVICE_NAME } from './reconciler.js';

// A generation that marks a slice we deleted.
const DELETION_EXPECTED = -1;

export class EndpointSliceTracker {
  // service key → slice uid → generation
  private readonly byService = new Map<string, Map<string, number>>();

  private serviceKey(slice: EndpointSlice): string {
    return `${slice.metadata.namespace}/${slice.metadata.labels?.[LABEL_SERVICE_NAME] ?? ''}`;
  }

  private gens(slice: EndpointSlice, create: boolean): Map<string, number> | undefined {
    const key = this.serviceKey(slice);
    let m = this.byService.get(key);
    if (!m && create) this.byService.set(key, (m = new Map()));
    return m;
  }

  /** Records a slice as written. */
  update(slice: EndpointSlice): void {
    this.gens(slice, true)!.set(slice.metadata.uid!, slice.metadata.generation ?? 0);
  }

  expectDeletion(slice: EndpointSlice): void {
    this.gens(slice, true)!.set(slice.metadata.uid!, DELETION_EXPECTED);
  }

  /** ShouldSync: the slice changed in a way we did not cause. */
  shouldSync(slice: EndpointSlice): boolean {
    const g = this.gens(slice, false)?.get(slice.metadata.uid!);
    if (g === undefined) return true;
    return g === DELETION_EXPECTED || (slice.metadata.generation ?? 0) > g;
  }

  /** StaleSlices: the cache misses a slice we wrote, holds an older one, or still holds one we deleted. */
  staleSlices(serviceKey: string, slices: EndpointSlice[]): boolean {
    const m = this.byService.get(serviceKey);
    if (!m) return false;
    const seen = new Map(slices.map((s) => [s.metadata.uid!, s]));
    for (const [uid, g] of m) {
      const s = seen.get(uid);
      if (g === DELETION_EXPECTED) {
        if (s) return true;
        continue;
      }
      if (!s || (s.metadata.generation ?? 0) < g) return true;
    }
    return false;
  }

  /** HandleDeletion: a deletion seen; true when we did not expect it. */
  handleDeletion(slice: EndpointSlice): boolean {
    const m = this.gens(slice, false);
    const g = m?.get(slice.metadata.uid!);
    m?.delete(slice.metadata.uid!);
    return g !== DELETION_EXPECTED;
  }

  deleteService(serviceKey: string): void {
    this.byService.delete(serviceKey);
  }
}
