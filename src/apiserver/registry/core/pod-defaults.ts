// Defaulting for PodSpec and everything inside it, as pkg/apis/core/v1/defaults.go (SetDefaults_PodSpec,
// SetDefaults_Container, SetDefaults_Probe, SetDefaults_Volume, ...) plus the declarative +default
// markers of k8s.io/api/core/v1, so that `kubectl get -o yaml` shows what a 1.32 cluster shows.
// Objects are plain JSON, so every helper tolerates missing or mistyped fields.

type Obj = Record<string, any>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function each(list: unknown, fn: (item: Obj) => void): void {
  if (!Array.isArray(list)) return;
  for (const item of list) if (isObj(item)) fn(item);
}

/**
 * The tag of an image reference as parsers.ParseImageName reports it: "latest" when the reference has
 * neither tag nor digest, "" when it has only a digest.
 */
export function imageTag(image: string): string {
  if (!image) return '';
  const at = image.indexOf('@');
  const hasDigest = at >= 0;
  const name = hasDigest ? image.slice(0, at) : image;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  if (colon >= 0) return name.slice(colon + 1);
  return hasDigest ? '' : 'latest';
}

/** The pull policy upstream picks when none is given: Always for :latest (or no tag), else IfNotPresent. */
export function defaultImagePullPolicy(image: unknown): 'Always' | 'IfNotPresent' {
  return imageTag(typeof image === 'string' ? image : '') === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHTTPGet(action: Obj): void {
  if (!action.path) action.path = '/';
  if (!action.scheme) action.scheme = 'HTTP';
}

function defaultHandler(handler: Obj): void {
  if (isObj(handler.httpGet)) defaultHTTPGet(handler.httpGet);
  if (isObj(handler.grpc) && handler.grpc.service === undefined) handler.grpc.service = '';
}

function defaultProbe(probe: Obj): void {
  if (!probe.timeoutSeconds) probe.timeoutSeconds = 1;
  if (!probe.periodSeconds) probe.periodSeconds = 10;
  if (!probe.successThreshold) probe.successThreshold = 1;
  if (!probe.failureThreshold) probe.failureThreshold = 3;
  defaultHandler(probe);
}

function defaultFieldRef(ref: unknown): void {
  if (isObj(ref) && !ref.apiVersion) ref.apiVersion = 'v1';
}

/** SetDefaults_Container (also used for init and ephemeral containers). */
export function defaultContainer(c: Obj): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultImagePullPolicy(c.image);
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  each(c.ports, (p) => {
    if (!p.protocol) p.protocol = 'TCP';
  });
  each(c.env, (e) => {
    if (isObj(e.valueFrom)) defaultFieldRef(e.valueFrom.fieldRef);
  });
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    if (isObj(c[probe])) defaultProbe(c[probe]);
  }
  if (isObj(c.lifecycle)) {
    if (isObj(c.lifecycle.postStart)) defaultHandler(c.lifecycle.postStart);
    if (isObj(c.lifecycle.preStop)) defaultHandler(c.lifecycle.preStop);
  }
  // SetDefaults_ResourceList (rounding quantities up to milli scale) is a canonicalization of the
  // quantity's text, left to the quantity serializer.
}

/** The volume-source fields of core/v1 VolumeSource, to recognise a volume with none. */
const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc',
  'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected',
  'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
];

/** Names of every volume-source field, in upstream's declaration order. */
export const volumeSourceFields: readonly string[] = VOLUME_SOURCES;

function defaultDownwardAPIItems(items: unknown): void {
  each(items, (item) => defaultFieldRef(item.fieldRef));
}

/** SetDefaults_Volume and the defaults of each volume source. */
export function defaultVolume(v: Obj): void {
  if (!VOLUME_SOURCES.some((k) => v[k] !== undefined && v[k] !== null)) v.emptyDir = {};
  if (isObj(v.secret) && v.secret.defaultMode === undefined) v.secret.defaultMode = 420;
  if (isObj(v.configMap) && v.configMap.defaultMode === undefined) v.configMap.defaultMode = 420;
  if (isObj(v.downwardAPI)) {
    if (v.downwardAPI.defaultMode === undefined) v.downwardAPI.defaultMode = 420;
    defaultDownwardAPIItems(v.downwardAPI.items);
  }
  if (isObj(v.projected)) {
    if (v.projected.defaultMode === undefined) v.projected.defaultMode = 420;
    each(v.projected.sources, (s) => {
      if (isObj(s.serviceAccountToken) && s.serviceAccountToken.expirationSeconds === undefined) {
        s.serviceAccountToken.expirationSeconds = 3600;
      }
      if (isObj(s.downwardAPI)) defaultDownwardAPIItems(s.downwardAPI.items);
    });
  }
  if (isObj(v.hostPath) && v.hostPath.type === undefined) v.hostPath.type = '';
  if (isObj(v.iscsi) && v.iscsi.iscsiInterface === undefined) v.iscsi.iscsiInterface = 'default';
  if (isObj(v.rbd)) {
    if (v.rbd.pool === undefined) v.rbd.pool = 'rbd';
    if (v.rbd.user === undefined) v.rbd.user = 'admin';
    if (v.rbd.keyring === undefined) v.rbd.keyring = '/etc/ceph/keyring';
  }
  if (isObj(v.azureDisk)) {
    if (v.azureDisk.cachingMode === undefined) v.azureDisk.cachingMode = 'ReadWrite';
    if (v.azureDisk.fsType === undefined) v.azureDisk.fsType = 'ext4';
    if (v.azureDisk.readOnly === undefined) v.azureDisk.readOnly = false;
    if (v.azureDisk.kind === undefined) v.azureDisk.kind = 'Shared';
  }
  if (isObj(v.scaleIO)) {
    if (v.scaleIO.storageMode === undefined) v.scaleIO.storageMode = 'ThinProvisioned';
    if (v.scaleIO.fsType === undefined) v.scaleIO.fsType = 'xfs';
  }
  if (isObj(v.image) && !v.image.pullPolicy) v.image.pullPolicy = defaultImagePullPolicy(v.image.reference);
  if (isObj(v.ephemeral) && isObj(v.ephemeral.volumeClaimTemplate) && isObj(v.ephemeral.volumeClaimTemplate.spec)) {
    defaultPersistentVolumeClaimSpec(v.ephemeral.volumeClaimTemplate.spec);
  }
}

/** SetDefaults_PersistentVolumeClaimSpec: volumeMode Filesystem. */
export function defaultPersistentVolumeClaimSpec(spec: Obj): void {
  if (spec.volumeMode === undefined || spec.volumeMode === null) spec.volumeMode = 'Filesystem';
}

/**
 * SetDefaults_PodSpec and the defaults of everything inside it. This is what every object embedding a
 * pod template gets; pod-only defaults (enableServiceLinks, requests from limits, host ports under
 * hostNetwork) are in defaultPod, as upstream keeps them out of templates (kubernetes#69445).
 */
export function defaultPodSpec(spec: any): void {
  if (!isObj(spec)) return;
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (spec.securityContext === undefined || spec.securityContext === null) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) {
    spec.terminationGracePeriodSeconds = 30;
  }
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  // The v1 conversion keeps the deprecated serviceAccount field in step with serviceAccountName.
  if (!spec.serviceAccountName && typeof spec.serviceAccount === 'string' && spec.serviceAccount) {
    spec.serviceAccountName = spec.serviceAccount;
  }
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  each(spec.containers, defaultContainer);
  each(spec.initContainers, defaultContainer);
  each(spec.ephemeralContainers, defaultContainer);
  each(spec.volumes, defaultVolume);
}

/** Defaults of a PodTemplateSpec (the template of a Deployment, Job, ...): its spec only. */
export function defaultPodTemplateSpec(tmpl: any): void {
  if (!isObj(tmpl)) return;
  if (!isObj(tmpl.spec)) tmpl.spec = {};
  defaultPodSpec(tmpl.spec);
}

/** SetDefaults_Pod: the pod-only defaults on top of defaultPodSpec. */
export function defaultPod(pod: any): void {
  if (!isObj(pod)) return;
  if (!isObj(pod.spec)) pod.spec = {};
  const spec = pod.spec;
  defaultPodSpec(spec);
  const requestsFromLimits = (c: Obj) => {
    if (!isObj(c.resources) || !isObj(c.resources.limits)) return;
    if (!isObj(c.resources.requests)) c.resources.requests = {};
    for (const [k, v] of Object.entries(c.resources.limits)) {
      if (!(k in c.resources.requests)) c.resources.requests[k] = v;
    }
  };
  each(spec.containers, requestsFromLimits);
  each(spec.initContainers, requestsFromLimits);
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  if (spec.hostNetwork === true) {
    const hostPorts = (c: Obj) =>
      each(c.ports, (p) => {
        if (!p.hostPort) p.hostPort = p.containerPort;
      });
    each(spec.containers, hostPorts);
    each(spec.initContainers, hostPorts);
  }
}
