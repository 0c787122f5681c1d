// The scheduler cache (upstream internal/cache): NodeInfo per node with the pods the informers
// report bound plus the pods the scheduler assumed but has not seen bound yet, so the next cycle
// already counts a pod whose binding is still in flight. Everything is incremental: an informer
// event or an assume touches one NodeInfo; the node list is rebuilt only when nodes come or go.
import type { Node, Pod } from '../api/objects.js';
import { NodeInfo, PodInfo } from './nodeinfo.js';
import type { SnapshotLister } from './types.js';

interface PodState {
  info: PodInfo;
  nodeName: string;
  assumed: boolean;
}

export class Cache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private nodeList?: NodeInfo[];
  private affinityLists?: { affinity: NodeInfo[]; antiAffinity: NodeInfo[] };
  /** NodeInfos in the order they changed since changeBase (see SnapshotLister.changesSince). */
  private changeLog: NodeInfo[] = [];
  private changeBase = 0;

  constructor(private readonly namespaceLabels: (ns: string) => Record<string, string> | undefined = () => undefined) {}

  private nodeInfo(name: string): NodeInfo {
    let ni = this.nodes.get(name);
    if (!ni) {
      ni = new NodeInfo(name);
      this.nodes.set(name, ni);
    }
    return ni;
  }

  addNode(node: Node): void {
    const ni = this.nodeInfo(node.metadata.name!);
    const fresh = !ni.node;
    ni.setNode(node);
    this.changed(ni);
    if (fresh) {
      this.nodeList = undefined;
      this.affinityLists = undefined;
    }
  }

  updateNode(node: Node): void {
    this.addNode(node);
  }

  removeNode(name: string): void {
    const ni = this.nodes.get(name);
    if (!ni) return;
    // Pods still bound to a deleted node keep their NodeInfo until they go, as upstream's cache does.
    if (ni.pods.length === 0) this.nodes.delete(name);
    else ni.node = undefined;
    this.nodeList = undefined;
    this.affinityLists = undefined;
  }

  /** Counts pi on nodeName before the API has bound it. */
  assumePod(info: PodInfo, nodeName: string): void {
    if (this.podStates.has(info.key)) throw new Error(`pod ${info.key} is in the cache, so can't be assumed`);
    this.podStates.set(info.key, { info, nodeName, assumed: true });
    this.place(info, nodeName);
  }

  /** Undoes assumePod after a failed bind. */
  forgetPod(key: string): void {
    const st = this.podStates.get(key);
    if (!st || !st.assumed) return;
    this.podStates.delete(key);
    this.unplace(st);
  }

  isAssumed(key: string): boolean {
    return this.podStates.get(key)?.assumed === true;
  }

  /** A bound pod the informer reports (confirms an assumed one). */
  addPod(pod: Pod): void {
    const info = new PodInfo(pod);
    const st = this.podStates.get(info.key);
    if (st) this.unplace(st);
    const nodeName = pod.spec!.nodeName!;
    this.podStates.set(info.key, { info, nodeName, assumed: false });
    this.place(info, nodeName);
  }

  updatePod(pod: Pod): void {
    this.addPod(pod);
  }

  removePod(key: string): void {
    const st = this.podStates.get(key);
    if (!st) return;
    this.podStates.delete(key);
    this.unplace(st);
  }

  podInfo(key: string): PodInfo | undefined {
    return this.podStates.get(key)?.info;
  }

  get podCount(): number {
    return this.podStates.size;
  }

  private place(info: PodInfo, nodeName: string): void {
    const ni = this.nodeInfo(nodeName);
    ni.addPod(info);
    this.changed(ni);
    if (info.hasAffinity) this.affinityLists = undefined;
  }

  private unplace(st: PodState): void {
    const ni = this.nodes.get(st.nodeName);
    if (!ni) return;
    ni.removePod(st.info.key);
    this.changed(ni);
    if (st.info.hasAffinity) this.affinityLists = undefined;
    if (!ni.node && ni.pods.length === 0) this.nodes.delete(st.nodeName);
  }

  /**
   * The view one scheduling cycle works on. The cycle's filtering and scoring run synchronously,
   * so the snapshot can share the live NodeInfos instead of copying 5,000 of them per pod; only
   * the node list (which nodes exist, in a stable order for round robin) is materialised, and only
   * again after nodes change.
   */
  snapshot(): SnapshotLister {
    if (!this.nodeList) {
      this.nodeList = [...this.nodes.values()].filter((n) => n.node);
      this.nodeList.forEach((n, i) => (n.listIndex = i));
      this.snap = undefined;
    }
    return (this.snap ??= new Snapshot(this, this.nodeList));
  }

  private snap?: Snapshot;

  /** @internal */
  lookup(name: string): NodeInfo | undefined {
    const n = this.nodes.get(name);
    return n?.node ? n : undefined;
  }

  /** @internal Nodes holding pods with affinity terms, recomputed after such pods come or go. */
  affinityNodes(list: NodeInfo[]): { affinity: NodeInfo[]; antiAffinity: NodeInfo[] } {
    if (!this.affinityLists) {
      const affinity: NodeInfo[] = [];
      const antiAffinity: NodeInfo[] = [];
      for (const n of list) {
        if (n.podsWithAffinity.length) affinity.push(n);
        if (n.podsWithRequiredAntiAffinity.length) antiAffinity.push(n);
      }
      this.affinityLists = { affinity, antiAffinity };
    }
    return this.affinityLists;
  }

  private changed(ni: NodeInfo): void {
    this.changeLog.push(ni);
    // A bounded history: consumers further behind start over from the node list.
    if (this.changeLog.length >= 16_384) {
      this.changeBase += this.changeLog.length;
      this.changeLog = [];
    }
  }

  /** @internal */
  changesSince(version: number): { version: number; nodes?: readonly NodeInfo[] } {
    const now = this.changeBase + this.changeLog.length;
    if (version < this.changeBase || version > now) return { version: now };
    return { version: now, nodes: this.changeLog.slice(version - this.changeBase) };
  }

  /** @internal */
  nsLabels(ns: string): Record<string, string> | undefined {
    return this.namespaceLabels(ns);
  }
}

class Snapshot implements SnapshotLister {
  readonly namespaceLabels: (ns: string) => Record<string, string> | undefined;
  constructor(
    private readonly cache: Cache,
    private readonly nodes: NodeInfo[],
  ) {
    this.namespaceLabels = (ns) => cache.nsLabels(ns);
  }
  list(): NodeInfo[] {
    return this.nodes;
  }
  get(name: string): NodeInfo | undefined {
    return this.cache.lookup(name);
  }
  havePodsWithAffinity(): NodeInfo[] {
    return this.cache.affinityNodes(this.nodes).affinity;
  }
  havePodsWithRequiredAntiAffinity(): NodeInfo[] {
    return this.cache.affinityNodes(this.nodes).antiAffinity;
  }
  changesSince(version: number): { version: number; nodes?: readonly NodeInfo[] } {
    return this.cache.changesSince(version);
  }
}
