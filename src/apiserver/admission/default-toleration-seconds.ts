// DefaultTolerationSeconds admission (plugin/pkg/admission/defaulttolerationseconds): a pod that
// does not tolerate the NoExecute not-ready and unreachable taints gets tolerations for them with
// tolerationSeconds 300, so the taint eviction controller deletes it five minutes after its node
// goes bad instead of at once.
import type { Pod, Toleration } from '../../api/objects.js';
import type { AdmissionAttributes, AdmissionPlugin } from './admission.js';

const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';

/** kube-apiserver's --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;

// A toleration with an empty key or effect covers every key or effect.
function covers(t: Toleration, key: string): boolean {
  return (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect);
}

/** The DefaultTolerationSeconds admission plugin. */
export class DefaultTolerationSeconds implements AdmissionPlugin {
  readonly name = 'DefaultTolerationSeconds';

  constructor(
    private readonly notReadySeconds = DEFAULT_TOLERATION_SECONDS,
    private readonly unreachableSeconds = DEFAULT_TOLERATION_SECONDS,
  ) {}

  admit(a: AdmissionAttributes): void {
    if (a.operation !== 'CREATE' && a.operation !== 'UPDATE') return;
    if (a.resource.group !== '' || a.resource.resource !== 'pods' || a.subresource) return;
    const pod = a.object as Pod | undefined;
    if (!pod?.spec) return;
    const tolerations = pod.spec.tolerations ?? [];
    const add: Toleration[] = [];
    if (!tolerations.some((t) => covers(t, NOT_READY))) {
      add.push({ key: NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: this.notReadySeconds });
    }
    if (!tolerations.some((t) => covers(t, UNREACHABLE))) {
      add.push({ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: this.unreachableSeconds });
    }
    if (add.length) pod.spec.tolerations = [...tolerations, ...add];
  }
}
