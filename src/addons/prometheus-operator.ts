// The Prometheus Operator's scrape and rule CRDs (monitoring.coreos.com/v1): ServiceMonitor,
// PodMonitor and PrometheusRule, the objects kube-prometheus-stack users write by hand. Field names,
// bounds and enums follow the operator's API reference (prometheus-operator.dev/docs/api-reference).
import type { CustomResourceDefinition, JSONSchemaProps } from '../apiextensions/types.js';
import { defineCRD } from './crd.js';
import {
  bool,
  freeform,
  int,
  int32,
  int64,
  intOrString,
  labelSelector,
  list,
  map,
  obj,
  oneOfStrings,
  openObj,
  quantity,
  str,
  stringMap,
  strings,
} from './schema.js';

/** Prometheus durations: "30s", "1m30s", "0". */
const PROM_DURATION = '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$';
const duration = () => str({ pattern: PROM_DURATION });
const SCRAPE_PROTOCOLS = ['PrometheusProto', 'OpenMetricsText0.0.1', 'OpenMetricsText1.0.0', 'PrometheusText0.0.4', 'PrometheusText1.0.0'];
const ANNOTATIONS = { 'operator.prometheus.io/version': '0.93.0' };

/** A key of a Secret or ConfigMap in the monitor's namespace. */
const keySelector = () => obj({ 'key!': str(), name: str({ default: '' }), optional: bool() }, { 'x-kubernetes-map-type': 'atomic' });
const secretOrConfigMap = () => obj({ configMap: keySelector(), secret: keySelector() });

const relabelConfig = () =>
  obj({
    action: oneOfStrings(
      [
        'replace', 'Replace', 'keep', 'Keep', 'drop', 'Drop', 'hashmod', 'HashMod', 'labelmap', 'LabelMap',
        'labeldrop', 'LabelDrop', 'labelkeep', 'LabelKeep', 'lowercase', 'Lowercase', 'uppercase', 'Uppercase',
        'keepequal', 'KeepEqual', 'dropequal', 'DropEqual',
      ],
      { default: 'replace' },
    ),
    modulus: int64({ minimum: 0 }),
    regex: str(),
    replacement: str(),
    separator: str(),
    sourceLabels: strings({}, { pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' }),
    targetLabel: str(),
  });

const tlsConfig = () =>
  obj({
    ca: secretOrConfigMap(),
    caFile: str(),
    cert: secretOrConfigMap(),
    certFile: str(),
    insecureSkipVerify: bool(),
    keyFile: str(),
    keySecret: keySelector(),
    maxVersion: oneOfStrings(['TLS10', 'TLS11', 'TLS12', 'TLS13']),
    minVersion: oneOfStrings(['TLS10', 'TLS11', 'TLS12', 'TLS13']),
    serverName: str(),
  });

/** The settings ServiceMonitor endpoints and PodMonitor podMetricsEndpoints share. */
function endpointFields(): Record<string, JSONSchemaProps> {
  return {
    authorization: obj({ credentials: keySelector(), type: str() }),
    basicAuth: obj({ password: keySelector(), username: keySelector() }),
    bearerTokenSecret: keySelector(),
    enableHttp2: bool(),
    filterRunning: bool(),
    followRedirects: bool(),
    honorLabels: bool(),
    honorTimestamps: bool(),
    interval: duration(),
    metricRelabelings: list(relabelConfig()),
    // OAuth2 client settings are kept as written beyond the three fields Prometheus needs.
    oauth2: openObj({ 'clientId!': secretOrConfigMap(), 'clientSecret!': keySelector(), 'tokenUrl!': str({ pattern: '^(http|https)://.+$' }) }),
    params: map(strings()),
    path: str(),
    port: str(),
    proxyUrl: str({ pattern: '^(http|https|socks5)://.+$' }),
    relabelings: list(relabelConfig()),
    scheme: oneOfStrings(['http', 'https', 'HTTP', 'HTTPS']),
    scrapeTimeout: duration(),
    targetPort: intOrString(),
    tlsConfig: tlsConfig(),
    trackTimestampsStaleness: bool(),
  };
}

/** The fields ServiceMonitor and PodMonitor specs share. */
function monitorFields(): Record<string, JSONSchemaProps> {
  return {
    attachMetadata: obj({ node: bool() }),
    bodySizeLimit: str({ pattern: '(^0|([0-9]*[.])?[0-9]+((K|M|G|T|E|P)i?)?B)$' }),
    fallbackScrapeProtocol: oneOfStrings(SCRAPE_PROTOCOLS),
    jobLabel: str(),
    keepDroppedTargets: int64({ minimum: 0 }),
    labelLimit: int64({ minimum: 0 }),
    labelNameLengthLimit: int64({ minimum: 0 }),
    labelValueLengthLimit: int64({ minimum: 0 }),
    namespaceSelector: obj({ any: bool(), matchNames: strings() }),
    nativeHistogramBucketLimit: int64({ minimum: 0 }),
    nativeHistogramMinBucketFactor: quantity(),
    podTargetLabels: strings(),
    sampleLimit: int64({ minimum: 0 }),
    scrapeClass: str({ minLength: 1 }),
    scrapeClassicHistograms: bool(),
    scrapeProtocols: list(oneOfStrings(SCRAPE_PROTOCOLS), { 'x-kubernetes-list-type': 'set' }),
    'selector!': labelSelector(),
    targetLimit: int64({ minimum: 0 }),
  };
}

/** Status the operator writes: which Prometheus resources selected the monitor. */
const monitorStatus = freeform();

/** servicemonitors.monitoring.coreos.com (shortName smon). */
export const serviceMonitorCRD: CustomResourceDefinition = defineCRD({
  group: 'monitoring.coreos.com',
  kind: 'ServiceMonitor',
  plural: 'servicemonitors',
  shortNames: ['smon'],
  categories: ['prometheus-operator'],
  scope: 'Namespaced',
  annotations: ANNOTATIONS,
  versions: [
    {
      name: 'v1',
      storage: true,
      required: ['spec'],
      spec: obj({
        'endpoints!': list(obj(endpointFields())),
        ...monitorFields(),
        selectorMechanism: oneOfStrings(['RelabelConfig', 'RoleSelector']),
        serviceDiscoveryRole: oneOfStrings(['Endpoints', 'EndpointSlice']),
        targetLabels: strings(),
      }),
      status: monitorStatus,
      subresources: { status: {} },
    },
  ],
});

/** podmonitors.monitoring.coreos.com (shortName pmon). */
export const podMonitorCRD: CustomResourceDefinition = defineCRD({
  group: 'monitoring.coreos.com',
  kind: 'PodMonitor',
  plural: 'podmonitors',
  shortNames: ['pmon'],
  categories: ['prometheus-operator'],
  scope: 'Namespaced',
  annotations: ANNOTATIONS,
  versions: [
    {
      name: 'v1',
      storage: true,
      required: ['spec'],
      spec: obj({
        podMetricsEndpoints: list(obj({ ...endpointFields(), portNumber: int32({ minimum: 1, maximum: 65535 }) })),
        ...monitorFields(),
      }),
      status: monitorStatus,
      subresources: { status: {} },
    },
  ],
});

/** prometheusrules.monitoring.coreos.com (shortName promrule): recording and alerting rules. */
export const prometheusRuleCRD: CustomResourceDefinition = defineCRD({
  group: 'monitoring.coreos.com',
  kind: 'PrometheusRule',
  plural: 'prometheusrules',
  shortNames: ['promrule'],
  categories: ['prometheus-operator'],
  scope: 'Namespaced',
  annotations: ANNOTATIONS,
  versions: [
    {
      name: 'v1',
      storage: true,
      required: ['spec'],
      spec: obj({
        groups: list(
          obj({
            interval: duration(),
            labels: stringMap(),
            limit: int(),
            'name!': str({ minLength: 1 }),
            // Upstream writes ^(?i)(abort|warn)?$; spelled out case by case so every regexp engine reads it.
            partial_response_strategy: str({ pattern: '^([aA][bB][oO][rR][tT]|[wW][aA][rR][nN])?$' }),
            query_offset: duration(),
            rules: list(
              obj({
                alert: str(),
                annotations: stringMap(),
                'expr!': intOrString(),
                for: duration(),
                keep_firing_for: str({ minLength: 1, pattern: PROM_DURATION }),
                labels: stringMap(),
                record: str(),
              }),
            ),
          }),
          { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] },
        ),
      }),
      status: monitorStatus,
      subresources: { status: {} },
    },
  ],
});

/** Every Prometheus Operator CRD the catalog installs. */
export const PROMETHEUS_OPERATOR_CRDS: readonly CustomResourceDefinition[] = [serviceMonitorCRD, podMonitorCRD, prometheusRuleCRD];
