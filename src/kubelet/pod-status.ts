// The pod-level parts of the status the kubelet reports, derived from container statuses as
// kubelet v1.32 derives them (kubelet_pods.go getPhase, status/generate.go): the phase, and the
// Initialized / ContainersReady / Ready conditions with their reasons and messages.
import type { ContainerStatus, PodCondition, PodSpec } from '../api/objects.js';

type Spec = PodSpec;
type Init = NonNullable<Spec['initContainers']>[number];

/** A restartable (sidecar) init container: restartPolicy Always on an init container. */
export function isSidecar(c: Init): boolean {
  return c.restartPolicy === 'Always';
}

const find = (statuses: ContainerStatus[] | undefined, name: string) => statuses?.find((s) => s.name === name);

function anyRegularContainerStarted(spec: Spec, statuses: ContainerStatus[]): boolean {
  return spec.containers.some((c) => {
    const s = find(statuses, c.name);
    return !!s && (!!s.state?.running || !!s.state?.terminated || !!s.lastState?.terminated);
  });
}

/**
 * getPhase: Pending while regular init containers (or, before any regular container ran, sidecars)
 * are pending or any container waits for its first start; Running while something runs; terminal
 * phases once every container stopped (podIsTerminal: the kubelet is done with the pod).
 */
export function podPhase(spec: Spec, init: ContainerStatus[], regular: ContainerStatus[], podIsTerminal: boolean): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  let pendingInit = 0;
  let pendingSidecars = 0;
  let failedInit = 0;
  for (const c of spec.initContainers ?? []) {
    if (isSidecar(c)) continue;
    const s = find(init, c.name);
    if (!s) pendingInit++;
    else if (s.state?.running) pendingInit++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) {
        if (s.lastState.terminated.exitCode !== 0) failedInit++;
      } else pendingInit++;
    } else pendingInit++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.initContainers ?? []) {
    if (!isSidecar(c)) continue;
    const s = find(init, c.name);
    if (!s) {
      unknown++;
      continue;
    }
    if (s.state?.running) {
      if (!s.started) pendingSidecars++;
      running++;
    } else if (s.state?.terminated) {
      // stopped sidecars do not count towards the phase
    } else if (s.state?.waiting) {
      if (!s.lastState?.terminated) {
        pendingSidecars++;
        waiting++;
      }
    } else {
      pendingSidecars++;
      unknown++;
    }
  }
  for (const c of spec.containers) {
    const s = find(regular, c.name);
    if (!s) unknown++;
    else if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  const restartPolicy = spec.restartPolicy ?? 'Always';
  if (failedInit > 0 && restartPolicy === 'Never') return 'Failed';
  if (pendingInit > 0 || (pendingSidecars > 0 && !anyRegularContainerStarted(spec, regular)) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

/** A condition without times: what the kubelet decided. */
export interface ConditionFacts {
  type: string;
  status: 'True' | 'False';
  reason?: string;
  message?: string;
}

const list = (names: string[]) => `[${names.join(' ')}]`;

function terminalFacts(type: string, phase: string): ConditionFacts | undefined {
  if (phase === 'Succeeded') return { type, status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed') return { type, status: 'False', reason: 'PodFailed' };
  return undefined;
}

/** GeneratePodInitializedCondition. */
export function initializedCondition(spec: Spec, init: ContainerStatus[], phase: string): ConditionFacts {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of spec.initContainers ?? []) {
    const s = find(init, c.name);
    if (!s) {
      unknown.push(c.name);
      continue;
    }
    if (isSidecar(c)) {
      if (!s.started) incomplete.push(c.name);
    } else if (!s.state?.terminated || s.state.terminated.exitCode !== 0) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${list(unknown)}`);
  if (incomplete.length) msgs.push(`containers with incomplete status: ${list(incomplete)}`);
  if (msgs.length) return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: msgs.join(', ') };
  return { type: 'Initialized', status: 'True' };
}

/** GenerateContainersReadyCondition. */
export function containersReadyCondition(spec: Spec, init: ContainerStatus[], regular: ContainerStatus[], phase: string): ConditionFacts {
  const unknown: string[] = [];
  const unready: string[] = [];
  const check = (name: string, statuses: ContainerStatus[]) => {
    const s = find(statuses, name);
    if (!s) unknown.push(name);
    else if (!s.ready) unready.push(name);
  };
  for (const c of spec.initContainers ?? []) if (isSidecar(c)) check(c.name, init);
  for (const c of spec.containers) check(c.name, regular);
  if ((phase === 'Succeeded' && unknown.length === 0) || phase === 'Failed') return terminalFacts('ContainersReady', phase)!;
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${list(unknown)}`);
  if (unready.length) msgs.push(`containers with unready status: ${list(unready)}`);
  if (msgs.length) return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: msgs.join(', ') };
  return { type: 'ContainersReady', status: 'True' };
}

/** GeneratePodReadyCondition: ContainersReady, then the pod's readiness gates. */
export function readyCondition(spec: Spec, containersReady: ConditionFacts, conditions: PodCondition[] | undefined): ConditionFacts {
  if (containersReady.status !== 'True') return { ...containersReady, type: 'Ready' };
  const msgs: string[] = [];
  for (const g of spec.readinessGates ?? []) {
    const c = conditions?.find((x) => x.type === g.conditionType);
    if (!c) msgs.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== 'True') msgs.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  if (msgs.length) return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: msgs.join(', ') };
  return { type: 'Ready', status: 'True' };
}

/**
 * The conditions as the status manager writes them: every field present (null clears a stale
 * reason or message in a strategic merge patch), lastTransitionTime from the caller's record.
 */
export function withTimes(facts: ConditionFacts[], transitionTime: (type: string) => string): PodCondition[] {
  return facts.map((f) => ({
    type: f.type,
    status: f.status,
    lastProbeTime: null as unknown as undefined,
    lastTransitionTime: transitionTime(f.type),
    reason: (f.reason ?? null) as unknown as undefined,
    message: (f.message ?? null) as unknown as undefined,
  }));
}
