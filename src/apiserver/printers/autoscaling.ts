// HorizontalPodAutoscalers, printed from either an autoscaling/v1 or an autoscaling/v2 object the
// way kube-apiserver prints its internal (v2-shaped) HPA: TARGETS like "cpu: 45%/70%".
import type { KubeObject } from '../../api/types.js';
import type { Printer } from './printer.js';
import { ageColumn, arr, canonicalQuantity, column, get, nameColumn, quantityString, str, translateTimestampSince } from './format.js';

interface MetricTarget {
  type?: string;
  value?: string;
  averageValue?: string;
  averageUtilization?: number;
}

interface MetricValueStatus {
  value?: string;
  averageValue?: string;
  averageUtilization?: number;
}

interface MetricSpec {
  type: string;
  resource?: { name: string; target?: MetricTarget };
  containerResource?: { name: string; container?: string; target?: MetricTarget };
  pods?: { target?: MetricTarget };
  object?: { target?: MetricTarget };
  external?: { target?: MetricTarget };
}

interface MetricStatus {
  type?: string;
  resource?: { name?: string; current?: MetricValueStatus };
  containerResource?: { name?: string; current?: MetricValueStatus };
  pods?: { current?: MetricValueStatus };
  object?: { current?: MetricValueStatus };
  external?: { current?: MetricValueStatus };
}

/** autoscaling.DefaultCPUUtilization: what an HPA without metrics targets. */
const DEFAULT_CPU_UTILIZATION = 80;

/**
 * The metric specs and statuses of an HPA in v2 shape. An autoscaling/v1 object's
 * targetCPUUtilizationPercentage becomes one cpu Resource metric, and an HPA with no metrics at
 * all gets the 80% cpu default, as upstream's conversion and defaulting do.
 */
export function hpaMetrics(hpa: KubeObject): { specs: MetricSpec[]; statuses: MetricStatus[] } {
  const v1Target = get(hpa, 'spec', 'targetCPUUtilizationPercentage');
  const isV1 = hpa.apiVersion === 'autoscaling/v1' || typeof v1Target === 'number';
  if (isV1) {
    const target = typeof v1Target === 'number' ? v1Target : DEFAULT_CPU_UTILIZATION;
    const current = get(hpa, 'status', 'currentCPUUtilizationPercentage');
    return {
      specs: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }],
      statuses: typeof current === 'number' ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }] : [],
    };
  }
  let specs = arr<MetricSpec>(get(hpa, 'spec', 'metrics'));
  if (specs.length === 0) {
    specs = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  return { specs, statuses: arr<MetricStatus>(get(hpa, 'status', 'currentMetrics')) };
}

/** The TARGETS cell (upstream formatHPAMetrics): at most two metrics, then " + N more...". */
export function formatHPAMetrics(specs: MetricSpec[], statuses: MetricStatus[]): string {
  if (specs.length === 0) return '<none>';
  const max = 2;
  const list = specs.map((spec, i) => {
    const status = statuses[i];
    switch (spec.type) {
      case 'External':
      case 'Object': {
        const key = spec.type === 'External' ? 'external' : 'object';
        const target = spec[key]?.target ?? {};
        const current = status?.[key];
        if (target.averageValue !== undefined && target.averageValue !== null) {
          const cur = current?.current?.averageValue != null ? canonicalQuantity(current.current.averageValue) : '<unknown>';
          return `${cur}/${canonicalQuantity(target.averageValue)} (avg)`;
        }
        const cur = current ? quantityString(current.current?.value) : '<unknown>';
        return `${cur}/${quantityString(target.value)}`;
      }
      case 'Pods': {
        const cur = status?.pods ? quantityString(status.pods.current?.averageValue) : '<unknown>';
        return `${cur}/${quantityString(spec.pods?.target?.averageValue)}`;
      }
      case 'Resource':
      case 'ContainerResource': {
        const key = spec.type === 'Resource' ? 'resource' : 'containerResource';
        const source = spec[key];
        const name = str(source?.name);
        const target = source?.target ?? {};
        const current = status?.[key];
        if (target.averageValue !== undefined && target.averageValue !== null) {
          const cur = current ? quantityString(current.current?.averageValue) : '<unknown>';
          return `${name}: ${cur}/${canonicalQuantity(target.averageValue)}`;
        }
        const utilization = current?.current?.averageUtilization;
        const cur = typeof utilization === 'number' ? `${utilization}%` : '<unknown>';
        const tgt = typeof target.averageUtilization === 'number' ? `${target.averageUtilization}%` : '<auto>';
        return `${name}: ${cur}/${tgt}`;
      }
      default:
        return '<unknown type>';
    }
  });
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

/** HorizontalPodAutoscalers: NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE. */
export const horizontalPodAutoscalerPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Reference', 'string', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
    column('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count.'),
    column('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    column('MaxPods', 'string', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    column('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const { specs, statuses } = hpaMetrics(obj);
    const minReplicas = get(obj, 'spec', 'minReplicas');
    return [
      str(obj.metadata.name),
      `${str(get(obj, 'spec', 'scaleTargetRef', 'kind'))}/${str(get(obj, 'spec', 'scaleTargetRef', 'name'))}`,
      formatHPAMetrics(specs, statuses),
      // minReplicas defaults to 1 in every HPA version, so a stored HPA never shows "<unset>".
      String(typeof minReplicas === 'number' ? minReplicas : 1),
      typeof get(obj, 'spec', 'maxReplicas') === 'number' ? (get(obj, 'spec', 'maxReplicas') as number) : 0,
      typeof get(obj, 'status', 'currentReplicas') === 'number' ? (get(obj, 'status', 'currentReplicas') as number) : 0,
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
