// pods/eviction: a delete that first checks the PodDisruptionBudgets covering the pod (EvictionREST).
import { methodNotAllowed } from '../apimachinery/errors.js';
import type { PodSubresourceContext } from './pod-subresources.js';

export async function handleEviction({ ri }: PodSubresourceContext): Promise<void> {
  throw methodNotAllowed({ group: '', resource: 'pods/eviction' }, ri.verb);
}
