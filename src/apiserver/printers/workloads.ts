// apps and batch workloads: Deployments, ReplicaSets, ReplicationControllers, StatefulSets,
// DaemonSets, ControllerRevisions, Jobs and CronJobs, as kube-apiserver's printers show them.
import { parseApiVersion, type KubeObject } from '../../api/types.js';
import type { Printer, TableColumn } from './printer.js';
import {
  ageCell,
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
  labelSelectorAsString,
  layoutContainerCells,
  nameColumn,
  parseTime,
  printBool,
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

/** The -o wide columns every workload printer ends with: the template's containers and images, then its selector. */
function templateColumns(selectorDescription?: string): TableColumn[] {
  const cols = [wideColumn('Containers', 'string', CONTAINERS_DESCRIPTION), wideColumn('Images', 'string', IMAGES_DESCRIPTION)];
  if (selectorDescription !== undefined) cols.push(wideColumn('Selector', 'string', selectorDescription));
  return cols;
}

/** The cells of templateColumns: container names and images of the pod template at templatePath, then the selector. */
function templateCells(obj: KubeObject, templatePath: string[], selector?: string): string[] {
  const [names, images] = layoutContainerCells(arr(get(obj, ...templatePath, 'spec', 'containers')));
  return selector === undefined ? [names, images] : [names, images, selector];
}

/** Deployments: NAME READY UP-TO-DATE AVAILABLE AGE; wide CONTAINERS IMAGES SELECTOR. */
export const deploymentPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn(),
    ...templateColumns('Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'),
  ],
  cells(obj, now) {
    // printDeployment uses the selector's String(), so an empty selector prints "", not "<none>".
    const selector = labelSelectorAsString(get(obj, 'spec', 'selector') as LabelSelector) ?? '<invalid>';
    return [
      str(obj.metadata.name),
      `${int(get(obj, 'status', 'readyReplicas'))}/${specReplicas(obj)}`,
      int(get(obj, 'status', 'updatedReplicas')),
      int(get(obj, 'status', 'availableReplicas')),
      ageCell(obj, now),
      ...templateCells(obj, ['spec', 'template'], selector),
    ];
  },
};

// ReplicaSets and ReplicationControllers print alike; only the selector's type (and wording) differs.
function replicaPrinter(readyDescription: string, selectorDescription: string, selectorCell: (selector: unknown) => string): Printer {
  return {
    columns: [
      nameColumn(),
      column('Desired', 'integer', 'Replicas is the number of desired replicas.'),
      column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
      column('Ready', 'integer', readyDescription),
      ageColumn(),
      ...templateColumns(selectorDescription),
    ],
    cells(obj, now) {
      return [
        str(obj.metadata.name),
        specReplicas(obj),
        int(get(obj, 'status', 'replicas')),
        int(get(obj, 'status', 'readyReplicas')),
        ageCell(obj, now),
        ...templateCells(obj, ['spec', 'template'], selectorCell(get(obj, 'spec', 'selector'))),
      ];
    },
  };
}

/** ReplicaSets: NAME DESIRED CURRENT READY AGE; wide CONTAINERS IMAGES SELECTOR. */
export const replicaSetPrinter: Printer = replicaPrinter(
  'The number of ready replicas for this replica set.',
  'Selector is a label query over pods that should match the replica count.',
  (selector) => formatLabelSelector(selector as LabelSelector),
);

/** ReplicationControllers: like ReplicaSets, with a map selector. */
export const replicationControllerPrinter: Printer = replicaPrinter(
  'The number of ready replicas for this replication controller.',
  'Selector is a label query over pods that should match the Replicas count.',
  (selector) => formatLabels(selector as Record<string, string>),
);

/** StatefulSets: NAME READY AGE; wide CONTAINERS IMAGES. */
export const statefulSetPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Number of the pod with ready state'),
    ageColumn(),
    ...templateColumns(),
  ],
  cells(obj, now) {
    return [str(obj.metadata.name), `${int(get(obj, 'status', 'readyReplicas'))}/${specReplicas(obj)}`, ageCell(obj, now), ...templateCells(obj, ['spec', 'template'])];
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
    ...templateColumns('A label query over pods that are managed by the daemon set.'),
  ],
  cells(obj, now) {
    return [
      str(obj.metadata.name),
      int(get(obj, 'status', 'desiredNumberScheduled')),
      int(get(obj, 'status', 'currentNumberScheduled')),
      int(get(obj, 'status', 'numberReady')),
      int(get(obj, 'status', 'updatedNumberScheduled')),
      int(get(obj, 'status', 'numberAvailable')),
      formatLabels(get(obj, 'spec', 'template', 'spec', 'nodeSelector') as Record<string, string>),
      ageCell(obj, now),
      ...templateCells(obj, ['spec', 'template'], formatLabelSelector(get(obj, 'spec', 'selector') as LabelSelector)),
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
    return [str(obj.metadata.name), controller, int(get(obj, 'revision')), ageCell(obj, now)];
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
    ...templateColumns('A label query over pods that should match the pod count.'),
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
    return [
      str(obj.metadata.name),
      jobStatus(obj),
      completionsCell,
      duration,
      ageCell(obj, now),
      ...templateCells(obj, ['spec', 'template'], formatLabelSelector(get(obj, 'spec', 'selector') as LabelSelector)),
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
    ...templateColumns('A label query over pods that should match the pod count.'),
  ],
  cells(obj, now) {
    const last = get(obj, 'status', 'lastScheduleTime');
    const timeZone = get(obj, 'spec', 'timeZone');
    // spec.suspend defaults to false, so upstream never shows "<unset>" for a stored CronJob.
    const suspend = get(obj, 'spec', 'suspend') === true;
    return [
      str(obj.metadata.name),
      str(get(obj, 'spec', 'schedule')),
      typeof timeZone === 'string' ? timeZone : '<none>',
      printBool(suspend),
      arr(get(obj, 'status', 'active')).length,
      last ? translateTimestampSince(last, now) : '<none>',
      ageCell(obj, now),
      ...templateCells(obj, ['spec', 'jobTemplate', 'spec', 'template'], formatLabelSelector(get(obj, 'spec', 'jobTemplate', 'spec', 'selector') as LabelSelector)),
    ];
  },
};
