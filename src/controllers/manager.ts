// kube-controller-manager in one function: every controller skiff runs, built from one
// ControllerContext (one set of shared informers) and started together. The list mirrors the
// controllers kube-controller-manager v1.32 enables by default, minus those skiff has no use for.
import type { Controller } from './controller.js';
import type { ControllerContext } from './context.js';
import { CronJobController } from './cronjob/cronjob-controller.js';
import { DaemonSetController } from './daemonset/daemonset.js';
import { DeploymentController } from './deployment/deployment.js';
import { DisruptionController } from './disruption/disruption.js';
import { EndpointsController } from './endpoints/endpoints.js';
import { EndpointSliceController } from './endpointslice/endpointslice.js';
import { GarbageCollector } from './garbagecollector/garbagecollector.js';
import { JobController } from './job/job-controller.js';
import { TTLAfterFinishedController } from './job/ttl-after-finished.js';
import { NamespaceController } from './namespace/namespace-controller.js';
import { NodeLifecycleController } from './nodelifecycle/nodelifecycle.js';
import { TaintEvictionController } from './nodelifecycle/tainteviction.js';
import { ReplicaSetController } from './replicaset/replicaset.js';
import { RootCACertPublisher } from './serviceaccount/root-ca-publisher.js';
import { ServiceAccountsController } from './serviceaccount/serviceaccounts-controller.js';
import { StatefulSetController } from './statefulset/statefulset.js';
import { EBSCSIProvisioner } from './volume/ebs/provisioner.js';
import { PersistentVolumeController } from './volume/persistentvolume/pv-controller.js';
import { PVCProtectionController, PVProtectionController } from './volume/protection/index.js';

/** What differs per cluster. */
export interface ControllerManagerOptions {
  /** The cluster CA in PEM, published as kube-root-ca.crt in every namespace. */
  caPem: string;
  /** The AWS region of the cluster (EBS volumes). */
  region?: string;
  /** Availability zones to provision volumes in when nothing else decides. */
  zones?: string[];
}

/** The running controllers, by name (kube-controller-manager's names). */
export type ControllerManager = Map<string, Controller | GarbageCollector>;

/** Builds and starts every controller, then the shared informers they registered. */
export function startControllerManager(ctx: ControllerContext, opts: ControllerManagerOptions, signal: AbortSignal): ControllerManager {
  const controllers: ControllerManager = new Map();
  const add = (name: string, c: Controller | GarbageCollector) => controllers.set(name, c);
  add('garbagecollector', new GarbageCollector({ client: ctx.clientFor('generic-garbage-collector'), clock: ctx.clock, informers: ctx.informers, log: ctx.log }));
  add('namespace', new NamespaceController(ctx));
  add('serviceaccount', new ServiceAccountsController(ctx));
  add('root-ca-cert-publisher', new RootCACertPublisher(ctx, { caPem: opts.caPem }));
  add('deployment', new DeploymentController(ctx));
  // Pod status changes reach a large ReplicaSet's sync in batches (0.1 ms per pod it owns: a
  // 10,000-pod set resyncs once a second, a 3-pod set at once): each sync is O(pods).
  add('replicaset', new ReplicaSetController(ctx, { podStatusBatchPerPodMs: 0.1 }));
  add('statefulset', new StatefulSetController(ctx));
  add('daemonset', new DaemonSetController(ctx));
  add('job', new JobController(ctx));
  add('ttl-after-finished', new TTLAfterFinishedController(ctx));
  add('cronjob', new CronJobController(ctx));
  add('endpoint', new EndpointsController(ctx));
  add('endpointslice', new EndpointSliceController(ctx));
  add('disruption', new DisruptionController(ctx));
  add('nodelifecycle', new NodeLifecycleController(ctx));
  add('taint-eviction-controller', new TaintEvictionController(ctx));
  add('persistentvolume-binder', new PersistentVolumeController(ctx));
  add('ebs-csi-provisioner', new EBSCSIProvisioner(ctx, { region: opts.region, zones: opts.zones }));
  add('pvc-protection', new PVCProtectionController(ctx));
  add('pv-protection', new PVProtectionController(ctx));
  for (const c of controllers.values()) c.start(signal);
  ctx.informers.start(signal);
  return controllers;
}
