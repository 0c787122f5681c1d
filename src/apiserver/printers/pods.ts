// Pod and PodTemplate columns: kube-apiserver's printPod, including its aggregate STATUS logic
// (Init:x/y, Init:<reason>, CrashLoopBackOff, Completed, Terminating, Unknown, ...).
import type { KubeObject } from '../../api/types.js';
import type { Printer } from './printer.js';
import type { ConditionalPrinter, TableRowCondition } from './table.js';
import {
  ageColumn,
  arr,
  column,
  CONTAINERS_DESCRIPTION,
  formatLabels,
  get,
  humanDuration,
  IMAGES_DESCRIPTION,
  layoutContainerCells,
  nameColumn,
  parseTime,
  str,
  translateTimestampSince,
  wideColumn,
} from './format.js';

interface ContainerState {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string };
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface PodCondition {
  type: string;
  status: string;
  reason?: string;
}

interface Pod extends KubeObject {
  spec?: {
    nodeName?: string;
    containers?: { name: string; image?: string }[];
    initContainers?: { name: string; restartPolicy?: string }[];
    readinessGates?: { conditionType: string }[];
  };
  status?: {
    phase?: string;
    reason?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    nominatedNodeName?: string;
    conditions?: PodCondition[];
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
  };
}

/** The reason the node controller gives pods on an unreachable node (k8s.io/kubernetes/pkg/util/node). */
const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

function hasCondition(conditions: PodCondition[], type: string): boolean {
  return conditions.some((c) => c.type === type && c.status === 'True');
}

/** Upstream isPodInitializedConditionTrue: only the first Initialized condition counts. */
function initializedConditionTrue(conditions: PodCondition[]): boolean {
  const c = conditions.find((c) => c.type === 'Initialized');
  return c?.status === 'True';
}

/** The READY, STATUS and RESTARTS cells of a pod, as printPod computes them. */
export function podStatusCells(pod: Pod, now: number): { ready: string; status: string; restarts: string } {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const conditions = status.conditions ?? [];
  const initContainers = spec.initContainers ?? [];
  // A sidecar (an init container with restartPolicy Always) counts as a regular container.
  const sidecars = new Set(initContainers.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const totalContainers = (spec.containers ?? []).length + sidecars.size;
  let readyContainers = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;
  const later = (a: number | undefined, ts: string | undefined) => {
    const t = parseTime(ts);
    return t !== undefined && (a === undefined || t > a) ? t : a;
  };

  let reason = status.phase ?? '';
  if (status.reason) reason = status.reason;
  if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount ?? 0;
    lastRestart = later(lastRestart, c.lastState?.terminated?.finishedAt);
    const isSidecar = sidecars.has(c.name);
    if (isSidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, c.lastState?.terminated?.finishedAt);
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (isSidecar && c.started === true) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      if (!terminated.reason) {
        reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode ?? 0}`;
      } else {
        reason = `Init:${terminated.reason}`;
      }
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || initializedConditionTrue(conditions)) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      lastRestart = later(lastRestart, c.lastState?.terminated?.finishedAt);
      const terminated = c.state?.terminated;
      if (c.state?.waiting?.reason) {
        reason = c.state.waiting.reason;
      } else if (terminated?.reason) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      } else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A pod whose last-listed container completed while another still runs is not Completed.
    if (reason === 'Completed' && hasRunning) reason = hasCondition(conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = Boolean(pod.metadata.deletionTimestamp);
  if (deleting && status.reason === NODE_UNREACHABLE_POD_REASON) {
    reason = 'Unknown';
  } else if (deleting && status.phase !== 'Succeeded' && status.phase !== 'Failed') {
    reason = 'Terminating';
  }

  let restartsCell = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) {
    restartsCell = `${restarts} (${humanDuration(now - lastRestart)} ago)`;
  }
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsCell };
}

/** Pods: NAME READY STATUS RESTARTS AGE; wide IP NODE NOMINATED NODE READINESS GATES. */
export const podPrinter: ConditionalPrinter = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    ageColumn(),
    wideColumn('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster.'),
    wideColumn('Node', 'string', 'The name of the node this pod is scheduled onto.'),
    wideColumn('Nominated Node', 'string', 'The node this pod is nominated to run on while preemption makes room for it.'),
    wideColumn('Readiness Gates', 'string', 'Pod readiness gates: conditions that must be True for the pod to be ready.'),
  ],
  cells(obj, now) {
    const pod = obj as Pod;
    const { ready, status, restarts } = podStatusCells(pod, now);
    const podIP = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>';
    const gates = pod.spec?.readinessGates ?? [];
    let readinessGates = '<none>';
    if (gates.length > 0) {
      const conditions = pod.status?.conditions ?? [];
      // Only the first condition of each gate's type counts, as upstream's inner loop breaks on it.
      const trueGates = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
      readinessGates = `${trueGates}/${gates.length}`;
    }
    return [
      str(pod.metadata.name),
      ready,
      status,
      restarts,
      translateTimestampSince(pod.metadata.creationTimestamp, now),
      podIP,
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGates,
    ];
  },
  rowConditions(obj): TableRowCondition[] | undefined {
    switch (get(obj, 'status', 'phase')) {
      case 'Succeeded':
        return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
      case 'Failed':
        return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
      default:
        return undefined;
    }
  },
};

/** PodTemplates: NAME CONTAINERS IMAGES POD LABELS. */
export const podTemplatePrinter: Printer = {
  columns: [
    nameColumn(),
    column('Containers', 'string', CONTAINERS_DESCRIPTION),
    column('Images', 'string', IMAGES_DESCRIPTION),
    column('Pod Labels', 'string', 'The labels for the pod template.'),
  ],
  cells(obj) {
    const [names, images] = layoutContainerCells(arr(get(obj, 'template', 'spec', 'containers')));
    return [str(obj.metadata.name), names, images, formatLabels(get(obj, 'template', 'metadata', 'labels') as Record<string, string>)];
  },
};
