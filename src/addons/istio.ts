// Istio's CRDs: networking.istio.io VirtualService, DestinationRule and Gateway (v1alpha3, v1beta1 and
// v1 served, v1 stored, as Istio 1.22+ publishes them), security.istio.io PeerAuthentication and
// AuthorizationPolicy (v1beta1 and v1), and install.istio.io IstioOperator (v1alpha1; the CRD the
// in-cluster operator used until Istio 1.24, free-form as Istio declared it). Written from Istio's API
// reference (istio.io/latest/docs/reference/config); istiod's validating webhook is not run, so the
// few of its rules users trip over most are schema bounds here (route weights 0-100).
import type { CustomResourceDefinition, JSONSchemaProps } from '../apiextensions/types.js';
import { AGE_COLUMN, column, defineCRD, type AddonCRDVersion } from './crd.js';
import { bool, freeform, int, int32, list, map, num, obj, oneOfStrings, str, stringMap, strings } from './schema.js';

const ISTIO_LABELS = { app: 'istio-pilot', chart: 'istio', heritage: 'Tiller', release: 'istio' };

/** "At most one of these fields", the oneOf protoc-gen-crd writes for a proto oneof. */
function atMostOneOf(fields: readonly string[]): JSONSchemaProps[] {
  return [{ not: { anyOf: fields.map((f) => ({ required: [f] })) } }, ...fields.map((f) => ({ required: [f] }))];
}

const uint32 = () => int({ minimum: 0, maximum: 4294967295 });
const percent = () => obj({ value: num({ format: 'double' }) });
const duration = () => str();
const stringMatch = () => obj({ exact: str(), prefix: str(), regex: str() }, { oneOf: atMostOneOf(['exact', 'prefix', 'regex']) });
const headerOperations = () => obj({ add: stringMap(), remove: strings(), set: stringMap() });
const headers = () => obj({ request: headerOperations(), response: headerOperations() });
const destination = () => obj({ 'host!': str(), port: obj({ number: uint32() }), subset: str() });
/** Route weights are relative in Istio 1.22+, but the API reference and istiod before it bound them to 0-100. */
const routeWeight = () => int32({ minimum: 0, maximum: 100 });
const workloadSelector = () => obj({ matchLabels: stringMap({ maxProperties: 4096 }, { maxLength: 63 }) });

/** Status as istiod writes it (analysis messages and conditions), kept beyond the typed fields. */
const istioStatus = freeform();

const ISTIO_VERSIONS = ['v1', 'v1alpha3', 'v1beta1'] as const;

/** The served versions of a networking.istio.io kind: all share one schema; v1 is stored. */
function istioVersions(spec: JSONSchemaProps, columns: AddonCRDVersion['columns'], names: readonly string[] = ISTIO_VERSIONS): AddonCRDVersion[] {
  return names.map((name) => ({ name, storage: name === 'v1', spec, status: istioStatus, subresources: { status: {} }, columns }));
}

// ---------------------------------------------------------------------------------------------
// VirtualService

const httpMatchRequest = obj({
  authority: stringMatch(),
  gateways: strings(),
  headers: map(stringMatch()),
  ignoreUriCase: bool(),
  method: stringMatch(),
  name: str(),
  port: uint32(),
  queryParams: map(stringMatch()),
  scheme: stringMatch(),
  sourceLabels: stringMap(),
  sourceNamespace: str(),
  statPrefix: str(),
  uri: stringMatch(),
  withoutHeaders: map(stringMatch()),
});

const httpRoute = obj({
  corsPolicy: obj({
    allowCredentials: bool({ nullable: true }),
    allowHeaders: strings(),
    allowMethods: strings(),
    allowOrigin: strings(),
    allowOrigins: list(stringMatch()),
    exposeHeaders: strings(),
    maxAge: duration(),
    unmatchedPreflights: oneOfStrings(['UNSPECIFIED', 'FORWARD', 'IGNORE']),
  }),
  delegate: obj({ name: str(), namespace: str() }),
  directResponse: obj({
    body: obj({ bytes: str({ format: 'byte' }), string: str() }, { oneOf: atMostOneOf(['string', 'bytes']) }),
    'status!': uint32(),
  }),
  fault: obj({
    abort: obj(
      { grpcStatus: str(), http2Error: str(), httpStatus: int32(), percentage: percent() },
      { oneOf: atMostOneOf(['httpStatus', 'grpcStatus', 'http2Error']) },
    ),
    delay: obj(
      { exponentialDelay: duration(), fixedDelay: duration(), percent: int32(), percentage: percent() },
      { oneOf: atMostOneOf(['fixedDelay', 'exponentialDelay']) },
    ),
  }),
  headers: headers(),
  match: list(httpMatchRequest),
  mirror: destination(),
  mirrorPercentage: percent(),
  mirrors: list(obj({ 'destination!': destination(), percentage: percent() })),
  name: str(),
  redirect: obj(
    {
      authority: str(),
      derivePort: oneOfStrings(['FROM_PROTOCOL_DEFAULT', 'FROM_REQUEST_PORT']),
      port: uint32(),
      redirectCode: uint32(),
      scheme: str(),
      uri: str(),
    },
    { oneOf: atMostOneOf(['port', 'derivePort']) },
  ),
  retries: obj({
    attempts: int32(),
    perTryTimeout: duration(),
    retryOn: str(),
    retryRemoteLocalities: bool({ nullable: true }),
  }),
  rewrite: obj({ authority: str(), uri: str(), uriRegexRewrite: obj({ match: str(), rewrite: str() }) }),
  route: list(obj({ 'destination!': destination(), headers: headers(), weight: routeWeight() })),
  timeout: duration(),
});

const l4Match = {
  destinationSubnets: strings(),
  gateways: strings(),
  port: uint32(),
  sourceLabels: stringMap(),
  sourceNamespace: str(),
};

const routeDestinations = () => list(obj({ 'destination!': destination(), weight: routeWeight() }));

// No `hosts!`: a VirtualService without hosts is a delegate, routed to by a root VirtualService.
const virtualServiceSpec = obj({
  exportTo: strings(),
  gateways: strings(),
  hosts: strings(),
  http: list(httpRoute),
  tcp: list(obj({ match: list(obj({ ...l4Match, sourceSubnet: str() })), route: routeDestinations() })),
  tls: list(obj({ 'match!': list(obj({ ...l4Match, 'sniHosts!': strings() })), route: routeDestinations() })),
});

/** virtualservices.networking.istio.io (shortName vs). */
export const virtualServiceCRD: CustomResourceDefinition = defineCRD({
  group: 'networking.istio.io',
  kind: 'VirtualService',
  plural: 'virtualservices',
  shortNames: ['vs'],
  categories: ['istio-io', 'networking-istio-io'],
  scope: 'Namespaced',
  labels: ISTIO_LABELS,
  versions: istioVersions(virtualServiceSpec, [
    column('Gateways', 'string', '.spec.gateways', { description: 'The names of gateways and sidecars that should apply these routes' }),
    column('Hosts', 'string', '.spec.hosts', { description: 'The destination hosts to which traffic is being sent' }),
    AGE_COLUMN,
  ]),
});

// ---------------------------------------------------------------------------------------------
// DestinationRule

const clientTLSSettings = () =>
  obj({
    caCertificates: str(),
    caCrl: str(),
    clientCertificate: str(),
    credentialName: str(),
    insecureSkipVerify: bool({ nullable: true }),
    mode: oneOfStrings(['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL']),
    privateKey: str(),
    sni: str(),
    subjectAltNames: strings(),
  });

const connectionPool = () =>
  obj({
    http: obj({
      h2UpgradePolicy: oneOfStrings(['DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE']),
      http1MaxPendingRequests: int32(),
      http2MaxRequests: int32(),
      idleTimeout: duration(),
      maxConcurrentStreams: int32(),
      maxRequestsPerConnection: int32(),
      maxRetries: int32(),
      useClientProtocol: bool(),
    }),
    tcp: obj({
      connectTimeout: duration(),
      idleTimeout: duration(),
      maxConnectionDuration: duration(),
      maxConnections: int32(),
      tcpKeepalive: obj({ interval: duration(), probes: uint32(), time: duration() }),
    }),
  });

const loadBalancer = () =>
  obj(
    {
      consistentHash: obj({
        httpCookie: obj({ 'name!': str(), path: str(), ttl: duration() }),
        httpHeaderName: str(),
        httpQueryParameterName: str(),
        maglev: obj({ tableSize: int({ minimum: 0 }) }),
        minimumRingSize: int({ minimum: 0 }),
        ringHash: obj({ minimumRingSize: int({ minimum: 0 }) }),
        useSourceIp: bool(),
      }),
      localityLbSetting: obj({
        distribute: list(obj({ from: str(), to: map(uint32()) })),
        enabled: bool({ nullable: true }),
        failover: list(obj({ from: str(), to: str() })),
        failoverPriority: strings(),
      }),
      simple: oneOfStrings(['UNSPECIFIED', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH', 'ROUND_ROBIN', 'LEAST_REQUEST']),
      warmupDurationSecs: duration(),
    },
    { oneOf: atMostOneOf(['simple', 'consistentHash']) },
  );

const outlierDetection = () =>
  obj({
    baseEjectionTime: duration(),
    consecutive5xxErrors: uint32(),
    consecutiveErrors: int32(),
    consecutiveGatewayErrors: uint32(),
    consecutiveLocalOriginFailures: uint32(),
    interval: duration(),
    maxEjectionPercent: int32(),
    minHealthPercent: int32(),
    splitExternalLocalOriginErrors: bool(),
  });

const trafficPolicy = () =>
  obj({
    connectionPool: connectionPool(),
    loadBalancer: loadBalancer(),
    outlierDetection: outlierDetection(),
    portLevelSettings: list(
      obj({
        connectionPool: connectionPool(),
        loadBalancer: loadBalancer(),
        outlierDetection: outlierDetection(),
        port: obj({ number: uint32() }),
        tls: clientTLSSettings(),
      }),
      { maxItems: 4096 },
    ),
    tls: clientTLSSettings(),
    tunnel: obj({ protocol: str(), 'targetHost!': str(), 'targetPort!': uint32() }),
  });

const destinationRuleSpec = obj({
  exportTo: strings(),
  'host!': str(),
  subsets: list(obj({ labels: stringMap(), 'name!': str(), trafficPolicy: trafficPolicy() })),
  trafficPolicy: trafficPolicy(),
  workloadSelector: workloadSelector(),
});

/** destinationrules.networking.istio.io (shortName dr). */
export const destinationRuleCRD: CustomResourceDefinition = defineCRD({
  group: 'networking.istio.io',
  kind: 'DestinationRule',
  plural: 'destinationrules',
  shortNames: ['dr'],
  categories: ['istio-io', 'networking-istio-io'],
  scope: 'Namespaced',
  labels: ISTIO_LABELS,
  versions: istioVersions(destinationRuleSpec, [
    column('Host', 'string', '.spec.host', { description: 'The name of a service from the service registry' }),
    AGE_COLUMN,
  ]),
});

// ---------------------------------------------------------------------------------------------
// Gateway

const gatewaySpec = obj({
  selector: stringMap(),
  servers: list(
    obj({
      bind: str(),
      defaultEndpoint: str(),
      'hosts!': strings(),
      name: str(),
      'port!': obj({ 'name!': str(), 'number!': uint32(), 'protocol!': str(), targetPort: uint32() }),
      tls: obj({
        caCertificates: str(),
        cipherSuites: strings(),
        credentialName: str(),
        httpsRedirect: bool(),
        maxProtocolVersion: oneOfStrings(['TLS_AUTO', 'TLSV1_0', 'TLSV1_1', 'TLSV1_2', 'TLSV1_3']),
        minProtocolVersion: oneOfStrings(['TLS_AUTO', 'TLSV1_0', 'TLSV1_1', 'TLSV1_2', 'TLSV1_3']),
        mode: oneOfStrings(['PASSTHROUGH', 'SIMPLE', 'MUTUAL', 'AUTO_PASSTHROUGH', 'ISTIO_MUTUAL', 'OPTIONAL_MUTUAL']),
        privateKey: str(),
        serverCertificate: str(),
        subjectAltNames: strings(),
      }),
    }),
  ),
});

/** gateways.networking.istio.io (shortName gw). */
export const gatewayCRD: CustomResourceDefinition = defineCRD({
  group: 'networking.istio.io',
  kind: 'Gateway',
  plural: 'gateways',
  shortNames: ['gw'],
  categories: ['istio-io', 'networking-istio-io'],
  scope: 'Namespaced',
  labels: ISTIO_LABELS,
  versions: istioVersions(gatewaySpec, undefined),
});

// ---------------------------------------------------------------------------------------------
// PeerAuthentication and AuthorizationPolicy

const MTLS_MODES = ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'];

const peerAuthenticationSpec = obj({
  mtls: obj({ mode: oneOfStrings(MTLS_MODES) }),
  portLevelMtls: map(obj({ mode: oneOfStrings(MTLS_MODES) }), { minProperties: 1 }),
  selector: workloadSelector(),
});

/** peerauthentications.security.istio.io (shortName pa). */
export const peerAuthenticationCRD: CustomResourceDefinition = defineCRD({
  group: 'security.istio.io',
  kind: 'PeerAuthentication',
  plural: 'peerauthentications',
  shortNames: ['pa'],
  categories: ['istio-io', 'security-istio-io'],
  scope: 'Namespaced',
  labels: ISTIO_LABELS,
  versions: istioVersions(
    peerAuthenticationSpec,
    [column('Mode', 'string', '.spec.mtls.mode', { description: 'Defines the mTLS mode used for peer authentication.' }), AGE_COLUMN],
    ['v1', 'v1beta1'],
  ),
});

const policyTargetRef = () =>
  obj({
    group: str({ maxLength: 253 }),
    'kind!': str({ minLength: 1, maxLength: 63 }),
    'name!': str({ minLength: 1, maxLength: 253 }),
    namespace: str(),
  });

const authorizationPolicySpec = obj(
  {
    action: oneOfStrings(['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']),
    provider: obj({ name: str() }),
    rules: list(
      obj({
        from: list(
          obj({
            source: obj({
              ipBlocks: strings(),
              namespaces: strings(),
              notIpBlocks: strings(),
              notNamespaces: strings(),
              notPrincipals: strings(),
              notRemoteIpBlocks: strings(),
              notRequestPrincipals: strings(),
              principals: strings(),
              remoteIpBlocks: strings(),
              requestPrincipals: strings(),
            }),
          }),
          { maxItems: 512 },
        ),
        to: list(
          obj({
            operation: obj({
              hosts: strings(),
              methods: strings(),
              notHosts: strings(),
              notMethods: strings(),
              notPaths: strings(),
              notPorts: strings(),
              paths: strings(),
              ports: strings(),
            }),
          }),
        ),
        when: list(obj({ 'key!': str(), notValues: strings(), values: strings() })),
      }),
      { maxItems: 512 },
    ),
    selector: workloadSelector(),
    targetRef: policyTargetRef(),
    targetRefs: list(policyTargetRef(), { maxItems: 16 }),
  },
  { oneOf: atMostOneOf(['provider']) },
);

/** authorizationpolicies.security.istio.io (shortName ap). */
export const authorizationPolicyCRD: CustomResourceDefinition = defineCRD({
  group: 'security.istio.io',
  kind: 'AuthorizationPolicy',
  plural: 'authorizationpolicies',
  shortNames: ['ap'],
  categories: ['istio-io', 'security-istio-io'],
  scope: 'Namespaced',
  labels: ISTIO_LABELS,
  versions: istioVersions(
    authorizationPolicySpec,
    [column('Action', 'string', '.spec.action', { description: 'The operation to take.' }), AGE_COLUMN],
    ['v1', 'v1beta1'],
  ),
});

// ---------------------------------------------------------------------------------------------
// IstioOperator

/** istiooperators.install.istio.io (shortNames iop, io): istioctl's install input, free-form. */
export const istioOperatorCRD: CustomResourceDefinition = defineCRD({
  group: 'install.istio.io',
  kind: 'IstioOperator',
  plural: 'istiooperators',
  shortNames: ['iop', 'io'],
  scope: 'Namespaced',
  labels: { release: 'istio' },
  versions: [
    {
      name: 'v1alpha1',
      storage: true,
      schema: freeform(),
      subresources: { status: {} },
      columns: [
        column('Revision', 'string', '.spec.revision', { description: 'Istio control plane revision' }),
        column('Status', 'string', '.status.status', { description: 'IOP current state' }),
        AGE_COLUMN,
      ],
    },
  ],
});

/** Every Istio CRD the catalog installs. */
export const ISTIO_CRDS: readonly CustomResourceDefinition[] = [
  virtualServiceCRD,
  destinationRuleCRD,
  gatewayCRD,
  peerAuthenticationCRD,
  authorizationPolicyCRD,
  istioOperatorCRD,
];
