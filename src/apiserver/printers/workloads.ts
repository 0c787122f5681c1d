// apps and batch workloads: Deployments, ReplicaSets, ReplicationControllers, StatefulSets,
// DaemonSets, ControllerRevisions, Jobs and CronJobs, as kube-apiserver's printers show them.
import { parseApiVersion, type KubeObject } from '../../api/types.js';
import type { Printer } from './printer.js';
import {
  ageColumn,
  arr,
  column,
  CONTAINERS_DESCRIPTION,
  formatLabels,
  formatLabelSelector,
  get,
  humanDuration,
  IMAGES_DESCRIPTION,
  int,
  layoutContainerCells,
  nameColumn,
  parseTime,
  printBool,
  labelSelectorAsString,
  str,
  translateTimestampSince,
  wideColumn,
  type LabelSelector,
} from './format.js';

// Upstream prints internal objects, which the API server has already defaulted; a missing
// spec.replicas therefore reads as the default, 1.
function specReplicas(obj: KubeObject): number {
  const r = get(obj, 'spec', 'replicas');
  return typeof r === 'number' ? r : 1;
}

function templateContainers(obj: KubeObject, ...templatePath: string[]): [string, string] {
  return layoutContainerCells(arr(get(obj, ...templatePath, 'spec', 'containers')));
}

function age(obj: KubeObject, now: number): string {
  return translateTimestampSince(obj.metadata.creationTimestamp, now);
}

/** Deployments: NAME READY UP-TO-DATE AVAILABLE AGE; wide CONTAINERS IMAGES SELECTOR. */
export const deploymentPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn(),
    wideColumn('Containers', 'string', CONTAINERS_DESCRIPTION),
    wideColumn('Images', 'string', IMAGES_DESCRIPTION),
    wideColumn('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'),
  ],
  cells(obj, now) {
    const [names, images] = templateContainers(obj, 'spec', 'template');
    // printDeployment uses the selector's String(), so an empty selector prints "", not "<none>".
    const selector = labelSelectorAsString(get(obj, 'spec', 'selector') as LabelSelector) ?? '<invalid>';
    return [
      str(obj.metadata.name),
      `${int(get(obj, 'status', 'readyReplicas'))}/${specReplicas(obj)}`,
      int(get(obj, 'status', 'updatedReplicas')),
      int(get(obj, 'status', 'availableReplicas')),
      age(obj, now),
      names,
      images,
      selector,
    ];
  },
};

/** ReplicaSets: NAME DESIRED CURRENT READY AGE; wide CONTAINERS IMAGES SELECTOR. */
export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Desired', 'integer', 'Replicas is the number of desired replicas.'),
    column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    column('Ready', 'integer', 'The number of ready replicas for this replica set.'),
    ageColumn(),
    wideColumn('Containers', 'string', CONTAINERS_DESCRIPTION),
    wideColumn('Images', 'string', IMAGES_DESCRIPTION),
    wideColumn('Selector', 'string', 'Selector is a label query over pods that should match the replica count.'),
  ],
  cells(obj, now) {
    const [names, images] = templateContainers(obj, 'spec', 'template');
    return [
      str(obj.metadata.name),
      specReplicas(obj),
      int(get(obj, 'status', 'replicas')),
      int(get(obj, 'status', 'readyReplicas')),
      age(obj, now),
      names,
      images,
      formatLabelSelector(get(obj, 'spec', 'selector') as LabelSelector),
    ];
  },
};

/** ReplicationControllers: like ReplicaSets, with a map selector. */
export const replicationControllerPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Desired', 'integer', 'Replicas is the number of desired replicas.'),
    column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    column('Ready', 'integer', 'The number of ready replicas for this replication controller.'),
    ageColumn(),
    wideColumn('Containers', 'string', CONTAINERS_DESCRIPTION),
    wideColumn('Images', 'string', IMAGES_DESCRIPTION),
    wideColumn('Selector', 'string', 'Selector is a label query over pods that should match the Replicas count.'),
  ],
  cells(obj, now) {
    const [names, images] = templateContainers(obj, 'spec', 'template');
    return [
      str(obj.metadata.name),
      specReplicas(obj),
      int(get(obj, 'status', 'replicas')),
      int(get(obj, 'status', 'readyReplicas')),
      age(obj, now),
      names,
      images,
      formatLabels(get(obj, 'spec', 'selector') as Record<string, string>),
    ];
  },
};

/** StatefulSets: NAME READY AGE; wide CONTAINERS IMAGES. */
export const statefulSetPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Number of the pod with ready state'),
    ageColumn(),
    wideColumn('Containers', 'string', CONTAINERS_DESCRIPTION),
    wideColumn('Images', 'string', IMAGES_DESCRIPTION),
  ],
  cells(obj, now) {
    const [names, images] = templateContainers(obj, 'spec', 'template');
    return [str(obj.metadata.name), `${int(get(obj, 'status', 'readyReplicas'))}/${specReplicas(obj)}`, age(obj, now), names, images];
  },
};

/** DaemonSets: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE; wide CONTAINERS IMAGES SELECTOR. */
export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
    column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    column('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
    column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    column('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.'),
    column('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    ageColumn(),
    wideColumn('Containers', 'string', CONTAINERS_DESCRIPTION),
    wideColumn('Images', 'string', IMAGES_DESCRIPTION),
    wideColumn('Selector', 'string', 'A label query over pods that are managed by the daemon set.'),
  ],
  cells(obj, now) {
    const [names, images] = templateContainers(obj, 'spec', 'template');
    return [
      str(obj.metadata.name),
      int(get(obj, 'status', 'desiredNumberScheduled')),
      int(get(obj, 'status', 'currentNumberScheduled')),
      int(get(obj, 'status', 'numberReady')),
      int(get(obj, 'status', 'updatedNumberScheduled')),
      int(get(obj, 'status', 'numberAvailable')),
      formatLabels(get(obj, 'spec', 'template', 'spec', 'nodeSelector') as Record<string, string>),
      age(obj, now),
      names,
      images,
      formatLabelSelector(get(obj, 'spec', 'selector') as LabelSelector),
    ];
  },
};

/** ControllerRevisions: NAME CONTROLLER REVISION AGE; CONTROLLER like "statefulset.apps/postgres". */
export const controllerRevisionPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Controller', 'string', 'Controller of the object'),
    column('Revision', 'string', 'Revision indicates the revision of the state represented by Data.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const owner = (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
    let controller = '<none>';
    if (owner) {
      const { group } = parseApiVersion(owner.apiVersion ?? '');
      const kind = owner.kind ?? '';
      // schema.GroupKind.String(): "Kind.group", or just "Kind" in the core group.
      const groupKind = group ? `${kind}.${group}` : kind;
      controller = groupKind ? `${groupKind.toLowerCase()}/${owner.name}` : owner.name;
    }
    return [str(obj.metadata.name), controller, int(get(obj, 'revision')), age(obj, now)];
  },
};

interface Condition {
  type: string;
  status: string;
}

/** Upstream hasJobCondition: the first condition of the type decides. */
function jobCondition(obj: KubeObject, type: string): boolean {
  const c = arr<Condition>(get(obj, 'status', 'conditions')).find((c) => c.type === type);
  return c?.status === 'True';
}

/** The STATUS cell of a Job (Complete, Failed, Terminating, Suspended, FailureTarget, Running). */
export function jobStatus(obj: KubeObject): string {
  if (jobCondition(obj, 'Complete')) return 'Complete';
  if (jobCondition(obj, 'Failed')) return 'Failed';
  if (obj.metadata.deletionTimestamp) return 'Terminating';
  if (jobCondition(obj, 'Suspended')) return 'Suspended';
  if (jobCondition(obj, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** Jobs: NAME STATUS COMPLETIONS DURATION AGE; wide CONTAINERS IMAGES SELECTOR. */
export const jobPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn(),
    wideColumn('Containers', 'string', CONTAINERS_DESCRIPTION),
    wideColumn('Images', 'string', IMAGES_DESCRIPTION),
    wideColumn('Selector', 'string', 'A label query over pods that should match the pod count.'),
  ],
  cells(obj, now) {
    const succeeded = int(get(obj, 'status', 'succeeded'));
    const completions = get(obj, 'spec', 'completions');
    let completionsCell: string;
    if (typeof completions === 'number') {
      completionsCell = `${succeeded}/${completions}`;
    } else {
      const parallelism = int(get(obj, 'spec', 'parallelism'));
      completionsCell = parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
    }
    const start = parseTime(get(obj, 'status', 'startTime'));
    const completion = parseTime(get(obj, 'status', 'completionTime'));
    let duration = '';
    if (start !== undefined) duration = humanDuration((completion ?? now) - start);
    const [names, images] = templateContainers(obj, 'spec', 'template');
    return [
      str(obj.metadata.name),
      jobStatus(obj),
      completionsCell,
      duration,
      age(obj, now),
      names,
      images,
      formatLabelSelector(get(obj, 'spec', 'selector') as LabelSelector),
    ];
  },
};

/** CronJobs: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE; wide CONTAINERS IMAGES SELECTOR. */
export const cronJobPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    column('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    column('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.'),
    column('Active', 'integer', 'A list of pointers to currently running jobs.'),
    column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn(),
    wideColumn('Containers', 'string', CONTAINERS_DESCRIPTION),
    wideColumn('Images', 'string', IMAGES_DESCRIPTION),
    wideColumn('Selector', 'string', 'A label query over pods that should match the pod count.'),
  ],
  cells(obj, now) {
    const last = get(obj, 'status', 'lastScheduleTime');
    const timeZone = get(obj, 'spec', 'timeZone');
    // spec.suspend defaults to false, so upstream never shows "<unset>" for a stored CronJob.
    const suspend = get(obj, 'spec', 'suspend') === true;
    const [names, images] = templateContainers(obj, 'spec', 'jobTemplate', 'spec', 'template');
    return [
      str(obj.metadata.name),
      str(get(obj, 'spec', 'schedule')),
      typeof timeZone === 'string' ? timeZone : '<none>',
      printBool(suspend),
      arr(get(obj, 'status', 'active')).length,
      last ? translateTimestampSince(last, now) : '<none>',
      age(obj, now),
      names,
      images,
      formatLabelSelector(get(obj, 'spec', 'jobTemplate', 'spec', 'selector') as LabelSelector),
    ];
  },
};
