// ValidatePodSpec and ValidatePodTemplateSpec of pkg/apis/core/validation, on core/v1 JSON: the same
// checks in the same order with the same field paths and messages, so that a bad manifest fails here
// exactly as it fails against kube-apiserver 1.32.
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { validateLabelSelector } from '../../../apimachinery/labels.js';
import {
  inclusiveRangeError,
  invalidEach,
  isConfigMapKey,
  isDNS1123Subdomain,
  isHTTPHeaderName,
  isQualifiedName,
  isRelaxedEnvVarName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  validateDNS1123Label,
  validateDNS1123Subdomain,
  validateIP,
  validateLabelName,
  validateLabels,
  validateNonnegativeField,
  validateQualifiedName,
} from '../../../apimachinery/validation.js';
import { deepEqual, isRecord } from './equality.js';
import { validatePersistentVolumeClaimSpec } from './persistentvolumeclaims.js';
import { compareQuantities, isZeroQuantity, quantityFromJSON, quantitySign, quantityToString, type Quantity } from '../../../apimachinery/quantity.js';
import {
  isHugePageResourceName,
  isOvercommitAllowed,
  quantityAt,
  validateContainerResourceName,
  validateResourceQuantityValue,
} from './resources.js';

type Obj = Record<string, any>;

/** Options of ValidatePodSpec (PodValidationOptions, reduced to what differs between callers). */
export interface PodSpecValidationOptions {
  /** The spec belongs to a Pod, not a template: host ports must match container ports under hostNetwork. */
  resourceIsPod?: boolean;
  /** The pod's metadata, for ephemeral-volume claim names (pods only). */
  podMeta?: { name?: string };
}

const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';
const MAX_INT32 = 2147483647;

function list(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function has(v: unknown): boolean {
  return v !== undefined && v !== null;
}

// ---- paths ----

function validatePathNoBacksteps(target: string, path: string): FieldError[] {
  return target.replace(/\\/g, '/').split('/').includes('..') ? [field.invalid(path, target, "must not contain '..'")] : [];
}

function validateLocalDescendingPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(field.invalid(path, target, 'must be a relative path'));
  errs.push(...validatePathNoBacksteps(target, path));
  return errs;
}

function validateLocalNonReservedPath(target: string, path: string): FieldError[] {
  const errs = validateLocalDescendingPath(target, path);
  if (target.startsWith('..') && !target.startsWith('../')) errs.push(field.invalid(path, target, "must not start with '..'"));
  return errs;
}

function validateFileMode(mode: unknown, path: string): FieldError[] {
  return typeof mode === 'number' && (mode > 0o777 || mode < 0) ? [field.invalid(path, mode, FILE_MODE_ERROR)] : [];
}

function validateKeyToPath(kp: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!kp.key) errs.push(field.required(`${path}.key`));
  if (!kp.path) errs.push(field.required(`${path}.path`));
  errs.push(...validateLocalNonReservedPath(str(kp.path), `${path}.path`));
  errs.push(...validateFileMode(kp.mode, `${path}.mode`));
  return errs;
}

// ---- volumes ----

const VALID_VOLUME_DOWNWARD_API_FIELDS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const VALID_ENV_DOWNWARD_API_FIELDS = [
  'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName',
  'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];
const VALID_CONTAINER_RESOURCE_FIELDS = [
  'limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory',
];
const DOWNWARD_API_LABELS = new Set([
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName',
  'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName', 'status.phase', 'status.hostIP', 'status.hostIPs',
  'status.podIP', 'status.podIPs',
]);

/** Splits "metadata.labels['app']" into its path and subscript. */
function splitSubscript(fieldPath: string): { path: string; subscript: string } | undefined {
  const m = /^(.*)\['(.*)'\]$/.exec(fieldPath);
  return m ? { path: m[1], subscript: m[2] } : undefined;
}

function validateObjectFieldSelector(fs: Obj, expressions: string[], path: string): FieldError[] {
  if (!fs.apiVersion) return [field.required(`${path}.apiVersion`)];
  if (!fs.fieldPath) return [field.required(`${path}.fieldPath`)];
  const fieldPath = str(fs.fieldPath);
  // pods.ConvertDownwardAPIFieldLabel
  let convertError = '';
  const sub = splitSubscript(fieldPath);
  let internal = fieldPath;
  if (fs.apiVersion !== 'v1') convertError = `unsupported pod version: ${fs.apiVersion}`;
  else if (sub) {
    if (sub.path !== 'metadata.annotations' && sub.path !== 'metadata.labels') convertError = `field label does not support subscript: ${fieldPath}`;
  } else if (fieldPath === 'spec.host') internal = 'spec.nodeName';
  else if (!DOWNWARD_API_LABELS.has(fieldPath)) convertError = `field label not supported: ${fieldPath}`;
  if (convertError) return [field.invalid(`${path}.fieldPath`, fieldPath, `error converting fieldPath: ${convertError}`)];
  if (sub) {
    if (sub.path === 'metadata.annotations') return validateQualifiedName(sub.subscript.toLowerCase(), path);
    return validateQualifiedName(sub.subscript, path);
  }
  if (!expressions.includes(internal)) return [field.notSupported(`${path}.fieldPath`, internal, expressions)];
  return [];
}

function validateResourceFieldSelector(fs: Obj, path: string, volume: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const resource = str(fs.resource);
  if (volume && !fs.containerName) errs.push(field.required(`${path}.containerName`));
  else if (!resource) errs.push(field.required(`${path}.resource`));
  else if (!VALID_CONTAINER_RESOURCE_FIELDS.includes(resource)) {
    if (!resource.startsWith('requests.hugepages-') && !resource.startsWith('limits.hugepages-')) {
      errs.push(field.notSupported(`${path}.resource`, resource, VALID_CONTAINER_RESOURCE_FIELDS));
    }
  }
  if (has(fs.divisor)) {
    const d = quantityFromJSON(fs.divisor);
    const text = d ? quantityToString(d) : String(fs.divisor);
    if (d && !isZeroQuantity(d)) {
      const memoryLike = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];
      const divisorPath = `${path}.divisor`;
      if ((resource === 'limits.cpu' || resource === 'requests.cpu') && !['1m', '1'].includes(text)) {
        errs.push(field.invalid(divisorPath, resource, "only divisor's values 1m and 1 are supported with the cpu resource"));
      } else if ((resource === 'limits.memory' || resource === 'requests.memory') && !memoryLike.includes(text)) {
        errs.push(field.invalid(divisorPath, resource, "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource"));
      } else if ((resource === 'limits.ephemeral-storage' || resource === 'requests.ephemeral-storage') && !memoryLike.includes(text)) {
        errs.push(field.invalid(divisorPath, resource, "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the local ephemeral storage resource"));
      }
    }
  }
  return errs;
}

function validateDownwardAPIFile(file: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!file.path) errs.push(field.required(`${path}.path`));
  errs.push(...validateLocalNonReservedPath(str(file.path), `${path}.path`));
  if (isRecord(file.fieldRef)) {
    errs.push(...validateObjectFieldSelector(file.fieldRef, VALID_VOLUME_DOWNWARD_API_FIELDS, `${path}.fieldRef`));
    if (isRecord(file.resourceFieldRef)) errs.push(field.invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (isRecord(file.resourceFieldRef)) {
    errs.push(...validateResourceFieldSelector(file.resourceFieldRef, `${path}.resourceFieldRef`, true));
  } else {
    errs.push(field.required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  errs.push(...validateFileMode(file.mode, `${path}.mode`));
  return errs;
}

function validateProjected(projected: Obj, path: string): FieldError[] {
  const errs = validateFileMode(projected.defaultMode, `${path}.defaultMode`);
  const seen = new Set<string>();
  const addPath = (p: unknown, value: unknown) => {
    if (typeof p !== 'string' || !p) return;
    if (seen.has(p)) errs.push(field.invalid(path, value, 'conflicting duplicate paths'));
    seen.add(p);
  };
  list(projected.sources).forEach((source: Obj, i) => {
    const srcPath = `${path}.sources[${i}]`;
    let n = 0;
    if (isRecord(source?.secret)) {
      n++;
      if (!source.secret.name) errs.push(field.required(`${srcPath}.secret.name`));
      list(source.secret.items).forEach((kp, j) => {
        errs.push(...validateKeyToPath(kp ?? {}, `${srcPath}.secret.items[${j}]`));
        addPath(kp?.path, source.secret.name ?? '');
      });
    }
    if (isRecord(source?.configMap)) {
      n++;
      if (!source.configMap.name) errs.push(field.required(`${srcPath}.configMap.name`));
      list(source.configMap.items).forEach((kp, j) => {
        errs.push(...validateKeyToPath(kp ?? {}, `${srcPath}.configMap.items[${j}]`));
        addPath(kp?.path, source.configMap.name ?? '');
      });
    }
    if (isRecord(source?.downwardAPI)) {
      n++;
      for (const file of list(source.downwardAPI.items)) {
        errs.push(...validateDownwardAPIFile(file ?? {}, `${srcPath}.downwardAPI`));
        addPath(file?.path, file?.path);
      }
    }
    if (isRecord(source?.serviceAccountToken)) {
      n++;
      const sat = source.serviceAccountToken;
      const exp = typeof sat.expirationSeconds === 'number' ? sat.expirationSeconds : 0;
      const expPath = `${srcPath}.serviceAccountToken.expirationSeconds`;
      if (exp < 600) errs.push(field.invalid(expPath, exp, 'may not specify a duration less than 10 minutes'));
      if (exp > 2 ** 32) errs.push(field.invalid(expPath, exp, 'may not specify a duration larger than 2^32 seconds'));
      if (!sat.path) errs.push(field.required(`${path}.path`));
      else errs.push(...validateLocalNonReservedPath(sat.path, `${path}.path`));
    }
    if (isRecord(source?.clusterTrustBundle)) {
      n++;
      if (!source.clusterTrustBundle.path) errs.push(field.required(`${srcPath}.clusterTrustBundlePEM.path`));
    }
    if (n > 1) errs.push(field.forbidden(srcPath, 'may not specify more than 1 volume type'));
  });
  return errs;
}

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

/** Volume source fields in upstream's check order, with the path each error uses (quirks included). */
const VOLUME_SOURCE_ORDER: Array<[key: string, forbidPath: string, childPath: string]> = [
  ['emptyDir', 'emptyDir', 'emptyDir'],
  ['hostPath', 'hostPath', 'hostPath'],
  ['gitRepo', 'gitRepo', 'gitRepo'],
  ['gcePersistentDisk', 'gcePersistentDisk', 'persistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore', 'awsElasticBlockStore'],
  ['secret', 'secret', 'secret'],
  ['nfs', 'nfs', 'nfs'],
  ['iscsi', 'iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs', 'glusterfs'],
  ['flocker', 'flocker', 'flocker'],
  ['persistentVolumeClaim', 'persistentVolumeClaim', 'persistentVolumeClaim'],
  ['rbd', 'rbd', 'rbd'],
  ['cinder', 'cinder', 'cinder'],
  ['cephfs', 'cephFS', 'cephfs'],
  ['quobyte', 'quobyte', 'quobyte'],
  ['downwardAPI', 'downwarAPI', 'downwardAPI'],
  ['fc', 'fc', 'fc'],
  ['flexVolume', 'flexVolume', 'flexVolume'],
  ['configMap', 'configMap', 'configMap'],
  ['azureFile', 'azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk', 'azureDisk'],
  ['storageos', 'storageos', 'storageos'],
  ['projected', 'projected', 'projected'],
  ['scaleIO', 'scaleIO', 'scaleIO'],
  ['csi', 'csi', 'csi'],
  ['ephemeral', 'ephemeral', 'ephemeral'],
  ['image', 'image', 'image'],
];

function requireFields(src: Obj, path: string, names: string[]): FieldError[] {
  return names.filter((n) => !src[n]).map((n) => field.required(`${path}.${n}`));
}

function validateSource(key: string, src: Obj, path: string, volName: string, podMeta: { name?: string } | undefined): FieldError[] {
  switch (key) {
    case 'emptyDir': {
      const q = has(src.sizeLimit) ? quantityFromJSON(src.sizeLimit) : undefined;
      return q && quantitySign(q) < 0 ? [field.forbidden(`${path}.sizeLimit`, 'SizeLimit field must be a valid resource quantity')] : [];
    }
    case 'hostPath': {
      if (!src.path) return [field.required(`${path}.path`)];
      const errs = validatePathNoBacksteps(src.path, `${path}.path`);
      if (has(src.type) && !HOST_PATH_TYPES.includes(src.type)) errs.push(field.notSupported(`${path}.type`, src.type, HOST_PATH_TYPES));
      return errs;
    }
    case 'gitRepo':
      return [...requireFields(src, path, ['repository']), ...validateLocalDescendingPath(str(src.directory), `${path}.directory`)];
    case 'gcePersistentDisk':
      return requireFields(src, path, ['pdName']);
    case 'awsElasticBlockStore': {
      const errs = requireFields(src, path, ['volumeID']);
      if (typeof src.partition === 'number' && (src.partition < 0 || src.partition > 255)) {
        errs.push(field.invalid(`${path}.partition`, src.partition, inclusiveRangeError(1, 255)));
      }
      return errs;
    }
    case 'secret': {
      const errs = requireFields(src, path, ['secretName']);
      errs.push(...validateFileMode(src.defaultMode, `${path}.defaultMode`));
      list(src.items).forEach((kp, i) => errs.push(...validateKeyToPath(kp ?? {}, `${path}.items[${i}]`)));
      return errs;
    }
    case 'configMap': {
      const errs = requireFields(src, path, ['name']);
      errs.push(...validateFileMode(src.defaultMode, `${path}.defaultMode`));
      list(src.items).forEach((kp, i) => errs.push(...validateKeyToPath(kp ?? {}, `${path}.items[${i}]`)));
      return errs;
    }
    case 'nfs': {
      const errs = requireFields(src, path, ['server', 'path']);
      if (!str(src.path).startsWith('/')) errs.push(field.invalid(`${path}.path`, str(src.path), 'must be an absolute path'));
      return errs;
    }
    case 'iscsi':
      return requireFields(src, path, ['targetPortal', 'iqn']);
    case 'glusterfs':
      return requireFields(src, path, ['endpoints', 'path']);
    case 'persistentVolumeClaim':
      return requireFields(src, path, ['claimName']);
    case 'rbd':
      return requireFields(src, path, ['monitors', 'image']);
    case 'cinder':
      return requireFields(src, path, ['volumeID']);
    case 'cephfs':
      return requireFields(src, path, ['monitors']);
    case 'downwardAPI': {
      const errs = validateFileMode(src.defaultMode, `${path}.defaultMode`);
      for (const file of list(src.items)) errs.push(...validateDownwardAPIFile(file ?? {}, path));
      return errs;
    }
    case 'flexVolume':
      return requireFields(src, path, ['driver']);
    case 'azureFile':
      return requireFields(src, path, ['secretName', 'shareName']);
    case 'azureDisk':
      return requireFields(src, path, ['diskName', 'diskURI']);
    case 'projected':
      return validateProjected(src, path);
    case 'csi': {
      const driver = str(src.driver);
      const errs: FieldError[] = [];
      if (!driver) errs.push(field.required(`${path}.driver`));
      if (driver.length > 63) errs.push(field.tooLong(`${path}.driver`, 63));
      errs.push(...invalidEach(`${path}.driver`, driver, isDNS1123Subdomain(driver.toLowerCase())));
      return errs;
    }
    case 'ephemeral': {
      if (!isRecord(src.volumeClaimTemplate)) return [field.required(`${path}.volumeClaimTemplate`)];
      const errs = validatePersistentVolumeClaimSpec(src.volumeClaimTemplate.spec, `${path}.volumeClaimTemplate.spec`);
      if (podMeta?.name && volName) {
        const pvcName = `${podMeta.name}-${volName}`;
        for (const msg of isDNS1123Subdomain(pvcName)) errs.push(field.invalid(`${path}.name`, volName, `PVC name "${pvcName}": ${msg}`));
      }
      return errs;
    }
    default:
      return [];
  }
}

/** ValidateVolumes: returns the names of the valid volumes (for mount checks) and the errors. */
export function validateVolumes(volumes: unknown, path: string, podMeta?: { name?: string }): { names: Map<string, Obj>; errs: FieldError[] } {
  const names = new Map<string, Obj>();
  const errs: FieldError[] = [];
  list(volumes).forEach((vol: Obj, i) => {
    const idx = `${path}[${i}]`;
    const v = isRecord(vol) ? vol : {};
    const el: FieldError[] = [];
    let n = 0;
    for (const [key, forbidPath, childPath] of VOLUME_SOURCE_ORDER) {
      if (!isRecord(v[key])) continue;
      if (n > 0) el.push(field.forbidden(`${idx}.${forbidPath}`, 'may not specify more than 1 volume type'));
      else {
        n++;
        el.push(...validateSource(key, v[key], `${idx}.${childPath}`, str(v.name), podMeta));
      }
    }
    if (n === 0) el.push(field.required(idx, 'must specify a volume type'));
    const name = str(v.name);
    if (!name) el.push(field.required(`${idx}.name`));
    else el.push(...validateDNS1123Label(name, `${idx}.name`));
    if (names.has(name)) el.push(field.duplicate(`${idx}.name`, name));
    if (el.length === 0) names.set(name, v);
    else errs.push(...el);
  });
  return { names, errs };
}

// ---- containers ----

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateContainerPorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list(ports).forEach((port: Obj, i) => {
    const p = `${path}[${i}]`;
    const name = str(port?.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) errs.push(...invalidEach(`${p}.name`, name, msgs));
      else if (names.has(name)) errs.push(field.duplicate(`${p}.name`, name));
      else names.add(name);
    }
    if (!port?.containerPort) errs.push(field.required(`${p}.containerPort`));
    else errs.push(...invalidEach(`${p}.containerPort`, port.containerPort, isValidPortNum(port.containerPort)));
    if (port?.hostPort) errs.push(...invalidEach(`${p}.hostPort`, port.hostPort, isValidPortNum(port.hostPort)));
    if (!port?.protocol) errs.push(field.required(`${p}.protocol`));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(field.notSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
  });
  return errs;
}

function validateKeySelector(sel: Obj, path: string): FieldError[] {
  const errs = invalidEach(`${path}.name`, str(sel.name), isDNS1123Subdomain(str(sel.name)));
  if (!sel.key) errs.push(field.required(`${path}.key`));
  else errs.push(...invalidEach(`${path}.key`, sel.key, isConfigMapKey(str(sel.key))));
  return errs;
}

function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(env).forEach((ev: Obj, i) => {
    const p = `${path}[${i}]`;
    const name = str(ev?.name);
    if (!name) errs.push(field.required(`${p}.name`));
    else errs.push(...invalidEach(`${p}.name`, name, isRelaxedEnvVarName(name)));
    const from = ev?.valueFrom;
    if (!isRecord(from)) return;
    const fp = `${p}.valueFrom`;
    let n = 0;
    if (isRecord(from.fieldRef)) {
      n++;
      errs.push(...validateObjectFieldSelector(from.fieldRef, VALID_ENV_DOWNWARD_API_FIELDS, `${fp}.fieldRef`));
    }
    if (isRecord(from.resourceFieldRef)) {
      n++;
      errs.push(...validateResourceFieldSelector(from.resourceFieldRef, `${fp}.resourceFieldRef`, false));
    }
    if (isRecord(from.configMapKeyRef)) {
      n++;
      errs.push(...validateKeySelector(from.configMapKeyRef, `${fp}.configMapKeyRef`));
    }
    if (isRecord(from.secretKeyRef)) {
      n++;
      errs.push(...validateKeySelector(from.secretKeyRef, `${fp}.secretKeyRef`));
    }
    if (n === 0) errs.push(field.invalid(fp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (str(ev.value)) errs.push(field.invalid(fp, '', 'may not be specified when `value` is not empty'));
    else if (n > 1) errs.push(field.invalid(fp, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(envFrom).forEach((ev: Obj, i) => {
    const p = `${path}[${i}]`;
    if (str(ev?.prefix)) errs.push(...invalidEach(`${p}.prefix`, ev.prefix, isRelaxedEnvVarName(ev.prefix)));
    let n = 0;
    for (const key of ['configMapRef', 'secretRef']) {
      if (!isRecord(ev?.[key])) continue;
      n++;
      const name = str(ev[key].name);
      if (!name) errs.push(field.required(`${p}.${key}.name`));
      else errs.push(...invalidEach(`${p}.${key}.name`, name, isDNS1123Subdomain(name.replace(/-+$/, '') || name)));
    }
    if (n === 0) errs.push(field.invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(field.invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateVolumeMounts(c: Obj, volumes: Map<string, Obj>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  const devices = new Map<string, string>(list(c.volumeDevices).map((d: Obj) => [str(d?.name), str(d?.devicePath)]));
  const devicePaths = new Set(devices.values());
  list(c.volumeMounts).forEach((m: Obj, i) => {
    const p = `${path}[${i}]`;
    const name = str(m?.name);
    const mountPath = str(m?.mountPath);
    if (!name) errs.push(field.required(`${p}.name`));
    if (!volumes.has(name)) errs.push(field.notFound(`${p}.name`, name));
    if (!mountPath) errs.push(field.required(`${p}.mountPath`));
    if (mountPoints.has(mountPath)) errs.push(field.invalid(`${p}.mountPath`, mountPath, 'must be unique'));
    mountPoints.add(mountPath);
    if (devices.has(name)) errs.push(field.invalid(`${p}.name`, name, 'must not already exist in volumeDevices'));
    if (devicePaths.has(mountPath)) errs.push(field.invalid(`${p}.mountPath`, mountPath, 'must not already exist as a path in volumeDevices'));
    // Upstream reports subPath problems at volumeMounts.subPath, without the index.
    if (str(m?.subPath)) errs.push(...validateLocalDescendingPath(m.subPath, `${path}.subPath`));
    if (str(m?.subPathExpr)) {
      if (str(m?.subPath)) errs.push(field.invalid(`${p}.subPathExpr`, m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(m.subPathExpr, `${path}.subPathExpr`));
    }
    if (has(m?.mountPropagation)) {
      const supported = ['Bidirectional', 'HostToContainer', 'None'];
      if (!supported.includes(m.mountPropagation)) errs.push(field.notSupported(`${path}.mountPropagation`, m.mountPropagation, supported));
      else if (m.mountPropagation === 'Bidirectional' && c.securityContext?.privileged !== true) {
        errs.push(field.forbidden(`${path}.mountPropagation`, 'Bidirectional mount propagation is available only to privileged containers'));
      }
    }
    if (has(m?.recursiveReadOnly)) {
      const rro = m.recursiveReadOnly;
      const rroPath = `${path}.recursiveReadOnly`;
      if (rro === 'Enabled' || rro === 'IfPossible') {
        if (m.readOnly !== true) errs.push(field.forbidden(rroPath, 'may only be specified when readOnly is true'));
        if (has(m.mountPropagation) && m.mountPropagation !== 'None') {
          errs.push(field.forbidden(rroPath, 'may only be specified when mountPropagation is None or not specified'));
        }
      } else if (rro !== 'Disabled') errs.push(field.notSupported(rroPath, rro, ['Disabled', 'Enabled', 'IfPossible']));
    }
  });
  return errs;
}

function validateVolumeDevices(c: Obj, volumes: Map<string, Obj>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mounts = new Map<string, string>(list(c.volumeMounts).map((m: Obj) => [str(m?.name), str(m?.mountPath)]));
  const mountPaths = new Set(mounts.values());
  const names = new Set<string>();
  const paths = new Set<string>();
  list(c.volumeDevices).forEach((d: Obj, i) => {
    const p = `${path}[${i}]`;
    const name = str(d?.name);
    const devPath = str(d?.devicePath);
    const vol = volumes.get(name);
    if (!name) errs.push(field.required(`${p}.name`));
    if (names.has(name)) errs.push(field.invalid(`${p}.name`, name, 'must be unique'));
    if (vol && !isRecord(vol.persistentVolumeClaim) && !isRecord(vol.ephemeral)) {
      errs.push(field.invalid(`${p}.name`, name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    }
    if (!vol) errs.push(field.notFound(`${p}.name`, name));
    if (!devPath) errs.push(field.required(`${p}.devicePath`));
    if (paths.has(devPath)) errs.push(field.invalid(`${p}.devicePath`, devPath, 'must be unique'));
    if (devPath && validatePathNoBacksteps(devPath, p).length) errs.push(field.invalid(`${p}.devicePath`, devPath, "can not contain backsteps ('..')"));
    else paths.add(devPath);
    if (mounts.has(name)) errs.push(field.invalid(`${p}.name`, name, 'must not already exist in volumeMounts'));
    if (mountPaths.has(devPath)) errs.push(field.invalid(`${p}.devicePath`, devPath, 'must not already exist as a path in volumeMounts'));
    if (name) names.add(name);
  });
  return errs;
}

/** ValidateResourceRequirements for a container (or pod overhead). */
export function validateResourceRequirements(resources: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isRecord(resources)) return errs;
  const limits = isRecord(resources.limits) ? resources.limits : {};
  const requests = isRecord(resources.requests) ? resources.requests : {};
  const limPath = `${path}.limits`;
  const reqPath = `${path}.requests`;
  let limCpuMem = false;
  let reqCpuMem = false;
  let hugePages = false;
  const parsedLimits = new Map<string, Quantity | undefined>();
  for (const [name, value] of Object.entries(limits)) {
    const p = `${limPath}[${name}]`;
    errs.push(...validateContainerResourceName(name, p));
    const q = quantityAt(value, p, errs);
    parsedLimits.set(name, q);
    if (q) errs.push(...validateResourceQuantityValue(name, q, p));
    if (isHugePageResourceName(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') limCpuMem = true;
  }
  for (const [name, value] of Object.entries(requests)) {
    const p = `${reqPath}[${name}]`;
    errs.push(...validateContainerResourceName(name, p));
    const q = quantityAt(value, p, errs);
    if (q) errs.push(...validateResourceQuantityValue(name, q, p));
    if (name in limits) {
      const lim = parsedLimits.get(name);
      if (q && lim) {
        const cmp = compareQuantities(q, lim);
        if (cmp !== 0 && !isOvercommitAllowed(name)) {
          errs.push(field.invalid(reqPath, quantityToString(q), `must be equal to ${name} limit of ${quantityToString(lim)}`));
        } else if (cmp > 0) {
          errs.push(field.invalid(reqPath, quantityToString(q), `must be less than or equal to ${name} limit of ${quantityToString(lim)}`));
        }
      }
    } else if (!isOvercommitAllowed(name)) {
      errs.push(field.required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePageResourceName(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') reqCpuMem = true;
  }
  if (!limCpuMem && !reqCpuMem && hugePages) errs.push(field.forbidden(path, 'HugePages require cpu or memory'));
  return errs;
}

const UINT32_MAX = 0xffffffff;

function validateID(value: unknown, path: string): FieldError[] {
  return typeof value === 'number' && (value < 0 || value > UINT32_MAX) ? [field.invalid(path, value, inclusiveRangeError(0, UINT32_MAX))] : [];
}

function validateSeccompProfile(sp: unknown, path: string): FieldError[] {
  if (!isRecord(sp)) return [];
  const errs: FieldError[] = [];
  const types = ['Localhost', 'RuntimeDefault', 'Unconfined'];
  if (!sp.type) errs.push(field.required(`${path}.type`, 'type is required when seccompProfile is set'));
  else if (!types.includes(sp.type)) errs.push(field.notSupported(`${path}.type`, sp.type, types));
  if (sp.type === 'Localhost') {
    if (!has(sp.localhostProfile)) errs.push(field.required(`${path}.localhostProfile`, 'must be set when seccomp type is Localhost'));
    else errs.push(...validateLocalDescendingPath(str(sp.localhostProfile), `${path}.localhostProfile`));
  } else if (has(sp.localhostProfile)) {
    errs.push(field.invalid(`${path}.localhostProfile`, sp, 'can only be set when seccomp type is Localhost'));
  }
  return errs;
}

function validateAppArmorProfile(p: unknown, path: string): FieldError[] {
  if (!isRecord(p)) return [];
  const types = ['Localhost', 'RuntimeDefault', 'Unconfined'];
  switch (p.type) {
    case 'Localhost':
      if (!str(p.localhostProfile).trim()) return [field.required(`${path}.localhostProfile`, 'must be set when AppArmor type is Localhost')];
      return [];
    case 'RuntimeDefault':
    case 'Unconfined':
      return has(p.localhostProfile) ? [field.invalid(`${path}.localhostProfile`, p.localhostProfile, 'can only be set when AppArmor type is Localhost')] : [];
    case undefined:
    case '':
      return [field.required(`${path}.type`, 'type is required when appArmorProfile is set')];
    default:
      return [field.notSupported(`${path}.type`, p.type, types)];
  }
}

/** ValidateSecurityContext (a container's). */
function validateContainerSecurityContext(sc: unknown, path: string, hostUsers: boolean): FieldError[] {
  if (!isRecord(sc)) return [];
  const errs: FieldError[] = [];
  errs.push(...validateID(sc.runAsUser, `${path}.runAsUser`));
  errs.push(...validateID(sc.runAsGroup, `${path}.runAsGroup`));
  if (has(sc.procMount)) {
    if (sc.procMount !== 'Default' && sc.procMount !== 'Unmasked') {
      errs.push(field.notSupported(`${path}.procMount`, sc.procMount, ['Default', 'Unmasked']));
    }
    if (hostUsers && sc.procMount === 'Unmasked') errs.push(field.invalid(`${path}.procMount`, sc.procMount, '`hostUsers` must be false to use `Unmasked`'));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, `${path}.seccompProfile`));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) errs.push(field.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    if (list(sc.capabilities?.add).includes('CAP_SYS_ADMIN')) {
      errs.push(field.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  errs.push(...validateAppArmorProfile(sc.appArmorProfile, `${path}.appArmorProfile`));
  return errs;
}

function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return invalidEach(path, port, isValidPortNum(port));
  if (typeof port === 'string') return invalidEach(path, port, isValidPortName(port));
  return invalidEach(path, 0, isValidPortNum(0));
}

function validateHandler(h: Obj, gracePeriod: number | undefined, path: string, kinds: string[]): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const kind of kinds) {
    if (!isRecord(h[kind])) continue;
    const p = `${path}.${kind}`;
    if (n > 0) {
      errs.push(field.forbidden(p, 'may not specify more than 1 handler type'));
      continue;
    }
    n++;
    const a = h[kind];
    switch (kind) {
      case 'exec':
        if (list(a.command).length === 0) errs.push(field.required(`${p}.command`));
        break;
      case 'httpGet':
        if (!a.path) errs.push(field.required(`${p}.path`));
        errs.push(...validatePortNumOrName(a.port, `${p}.port`));
        if (a.scheme !== 'HTTP' && a.scheme !== 'HTTPS') errs.push(field.notSupported(`${p}.scheme`, a.scheme ?? '', ['HTTP', 'HTTPS']));
        for (const header of list(a.httpHeaders)) errs.push(...invalidEach(`${p}.httpHeaders`, str(header?.name), isHTTPHeaderName(str(header?.name))));
        break;
      case 'tcpSocket':
        errs.push(...validatePortNumOrName(a.port, `${p}.port`));
        break;
      case 'grpc':
        errs.push(...validatePortNumOrName(typeof a.port === 'number' ? a.port : 0, `${p}.port`));
        break;
      case 'sleep': {
        const seconds = typeof a.seconds === 'number' ? a.seconds : 0;
        const grace = gracePeriod ?? 0;
        if (seconds <= 0 || seconds > grace) {
          errs.push(field.invalid(p, seconds, `must be greater than 0 and less than terminationGracePeriodSeconds (${grace})`));
        }
        break;
      }
    }
  }
  if (n === 0) errs.push(field.required(path, 'must specify a handler type'));
  return errs;
}

function validateProbe(probe: unknown, gracePeriod: number | undefined, path: string, kind: 'liveness' | 'readiness' | 'startup'): FieldError[] {
  if (!isRecord(probe)) return [];
  const errs = validateHandler(probe, gracePeriod, path, ['exec', 'httpGet', 'tcpSocket', 'grpc']);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...validateNonnegativeField(probe[f], `${path}.${f}`));
  }
  if (typeof probe.terminationGracePeriodSeconds === 'number' && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(field.invalid(`${path}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  if (kind === 'readiness' && has(probe.terminationGracePeriodSeconds)) {
    errs.push(field.invalid(`${path}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  }
  if (kind !== 'readiness' && probe.successThreshold !== 1) {
    errs.push(field.invalid(`${path}.successThreshold`, probe.successThreshold ?? 0, 'must be 1'));
  }
  return errs;
}

function validateLifecycle(lc: Obj, gracePeriod: number | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop']) {
    if (isRecord(lc[hook])) errs.push(...validateHandler(lc[hook], gracePeriod, `${path}.${hook}`, ['exec', 'httpGet', 'tcpSocket', 'sleep']));
  }
  return errs;
}

function validateResizePolicy(policies: unknown, path: string, restartPolicy: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  list(policies).forEach((p: Obj, i) => {
    const name = str(p?.resourceName);
    if (seen.has(name)) errs.push(field.duplicate(`${path}[${i}]`, name));
    seen.add(name);
    if (!name) errs.push(field.required(path));
    else if (name !== 'cpu' && name !== 'memory') errs.push(field.notSupported(path, name, ['cpu', 'memory']));
    const rp = str(p?.restartPolicy);
    if (!rp) errs.push(field.required(path));
    else if (rp !== 'NotRequired' && rp !== 'RestartContainer') errs.push(field.notSupported(path, rp, ['NotRequired', 'RestartContainer']));
    if (restartPolicy === 'Never' && rp !== 'NotRequired') errs.push(field.invalid(path, rp, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
  });
  return errs;
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];

function validateContainerCommon(c: Obj, volumes: Map<string, Obj>, path: string, restartPolicy: string, hostUsers: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c.name);
  if (!name) errs.push(field.required(`${path}.name`));
  else errs.push(...validateDNS1123Label(name, `${path}.name`));
  if (!str(c.image)) errs.push(field.required(`${path}.image`));
  const tmp = str(c.terminationMessagePolicy);
  if (!tmp) errs.push(field.required(`${path}.terminationMessagePolicy`));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') {
    errs.push(field.notSupported(`${path}.terminationMessagePolicy`, tmp, ['File', 'FallbackToLogsOnError']));
  }
  errs.push(...validateContainerPorts(c.ports, `${path}.ports`));
  errs.push(...validateEnv(c.env, `${path}.env`));
  errs.push(...validateEnvFrom(c.envFrom, `${path}.envFrom`));
  errs.push(...validateVolumeMounts(c, volumes, `${path}.volumeMounts`));
  errs.push(...validateVolumeDevices(c, volumes, `${path}.volumeDevices`));
  const pull = str(c.imagePullPolicy);
  if (!pull) errs.push(field.required(`${path}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(pull)) errs.push(field.notSupported(`${path}.imagePullPolicy`, pull, PULL_POLICIES));
  errs.push(...validateResourceRequirements(c.resources, `${path}.resources`));
  errs.push(...validateResizePolicy(c.resizePolicy, `${path}.resizePolicy`, restartPolicy));
  errs.push(...validateContainerSecurityContext(c.securityContext, `${path}.securityContext`, hostUsers));
  return errs;
}

function checkHostPortConflicts(containers: Obj[], path: string, offset = 0): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    list(c.ports).forEach((port: Obj, pi) => {
      if (!port?.hostPort) return;
      const key = `${port.protocol ?? ''}/${port.hostIP ?? ''}/${port.hostPort}`;
      if (seen.has(key)) errs.push(field.duplicate(`${path}[${ci + offset}].ports[${pi}].hostPort`, key));
      seen.add(key);
    });
  });
  return errs;
}

interface SpecContext {
  volumes: Map<string, Obj>;
  gracePeriod: number | undefined;
  restartPolicy: string;
  hostUsers: boolean;
}

function validateContainers(containers: unknown, ctx: SpecContext, path: string): FieldError[] {
  const cs = list(containers).map((c) => (isRecord(c) ? c : {}));
  if (cs.length === 0) return [field.required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  cs.forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, ctx.volumes, p, ctx.restartPolicy, ctx.hostUsers));
    if (names.has(str(c.name))) errs.push(field.duplicate(`${p}.name`, str(c.name)));
    else names.add(str(c.name));
    if (isRecord(c.lifecycle)) errs.push(...validateLifecycle(c.lifecycle, ctx.gracePeriod, `${p}.lifecycle`));
    errs.push(...validateProbe(c.livenessProbe, ctx.gracePeriod, `${p}.livenessProbe`, 'liveness'));
    errs.push(...validateProbe(c.readinessProbe, ctx.gracePeriod, `${p}.readinessProbe`, 'readiness'));
    errs.push(...validateProbe(c.startupProbe, ctx.gracePeriod, `${p}.startupProbe`, 'startup'));
    if (has(c.restartPolicy)) errs.push(field.forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(cs, path));
  return errs;
}

function validateInitContainers(initContainers: unknown, regular: unknown, ctx: SpecContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>(list(regular).map((c) => str(c?.name)));
  list(initContainers).forEach((raw, i) => {
    const c: Obj = isRecord(raw) ? raw : {};
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, ctx.volumes, p, ctx.restartPolicy, ctx.hostUsers));
    let restartAlways = false;
    if (has(c.restartPolicy)) {
      if (c.restartPolicy !== 'Always') errs.push(field.notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']));
      restartAlways = c.restartPolicy === 'Always';
    }
    if (names.has(str(c.name))) errs.push(field.duplicate(`${p}.name`, str(c.name)));
    else if (str(c.name)) names.add(str(c.name));
    errs.push(...checkHostPortConflicts([c], path, i));
    if (restartAlways) {
      if (isRecord(c.lifecycle)) errs.push(...validateLifecycle(c.lifecycle, ctx.gracePeriod, `${p}.lifecycle`));
      errs.push(...validateProbe(c.livenessProbe, ctx.gracePeriod, `${p}.livenessProbe`, 'liveness'));
      errs.push(...validateProbe(c.readinessProbe, ctx.gracePeriod, `${p}.readinessProbe`, 'readiness'));
      errs.push(...validateProbe(c.startupProbe, ctx.gracePeriod, `${p}.startupProbe`, 'startup'));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (has(c[f])) errs.push(field.forbidden(`${p}.${f}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
    if (list(c.resizePolicy).length > 0) errs.push(field.invalid(`${p}.resizePolicy`, c.resizePolicy, 'must not be set for init containers'));
  });
  return errs;
}

const EPHEMERAL_FORBIDDEN = ['ports', 'resources', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'resizePolicy', 'restartPolicy'];

function validateEphemeralContainers(ephemeral: unknown, spec: Obj, ctx: SpecContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const others = new Set<string>([...list(spec.containers), ...list(spec.initContainers)].map((c) => str(c?.name)));
  const all = new Set(others);
  list(ephemeral).forEach((raw, i) => {
    const c: Obj = isRecord(raw) ? raw : {};
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, ctx.volumes, p, ctx.restartPolicy, ctx.hostUsers));
    if (str(c.image) !== str(c.image).trim()) errs.push(field.invalid(`${p}.image`, c.image, 'must not have leading or trailing whitespace'));
    if (all.has(str(c.name))) errs.push(field.duplicate(`${p}.name`, str(c.name)));
    else all.add(str(c.name));
    if (str(c.targetContainerName) && !others.has(c.targetContainerName)) errs.push(field.notFound(`${p}.targetContainerName`, c.targetContainerName));
    for (const f of EPHEMERAL_FORBIDDEN) {
      if (has(c[f]) && !deepEqual(c[f], undefined)) errs.push(field.forbidden(`${p}.${f}`, 'cannot be set for an Ephemeral Container'));
    }
    list(c.volumeMounts).forEach((vm: Obj, j) => {
      if (str(vm?.subPath)) errs.push(field.forbidden(`${p}.volumeMounts[${j}].subPath`, 'cannot be set for an Ephemeral Container'));
      if (str(vm?.subPathExpr)) errs.push(field.forbidden(`${p}.volumeMounts[${j}].subPathExpr`, 'cannot be set for an Ephemeral Container'));
    });
  });
  return errs;
}

// ---- scheduling ----

function validateNodeSelectorRequirement(rq: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = list(rq?.values);
  switch (rq?.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(field.required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(field.forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(field.required(`${path}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(field.invalid(`${path}.operator`, rq?.operator ?? '', 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(str(rq?.key), `${path}.key`));
  return errs;
}

function validateNodeFieldSelectorRequirement(rq: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = list(rq?.values);
  if (rq?.operator === 'In' || rq?.operator === 'NotIn') {
    if (values.length !== 1) errs.push(field.required(`${path}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else errs.push(field.invalid(`${path}.operator`, rq?.operator ?? '', 'not a valid selector operator'));
  if (rq?.key !== 'metadata.name') errs.push(field.invalid(`${path}.key`, rq?.key ?? '', 'not a valid field selector key'));
  else values.forEach((v, i) => errs.push(...invalidEach(`${path}.values[${i}]`, v, isDNS1123Subdomain(str(v)))));
  return errs;
}

function validateNodeSelectorTerm(term: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(term?.matchExpressions).forEach((r, j) => errs.push(...validateNodeSelectorRequirement(r, `${path}.matchExpressions[${j}]`)));
  list(term?.matchFields).forEach((r, j) => errs.push(...validateNodeFieldSelectorRequirement(r, `${path}.matchFields[${j}]`)));
  return errs;
}

/** ValidateNodeSelector (node affinity's required terms; PV node affinity). */
export function validateNodeSelector(ns: Obj, path: string): FieldError[] {
  const terms = list(ns?.nodeSelectorTerms);
  if (terms.length === 0) return [field.required(`${path}.nodeSelectorTerms`, 'must have at least one node selector term')];
  return terms.flatMap((t, i) => validateNodeSelectorTerm(t, `${path}.nodeSelectorTerms[${i}]`));
}

function validatePodAffinityTerm(term: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateLabelSelector(term?.labelSelector, `${path}.labelSelector`));
  errs.push(...validateLabelSelector(term?.namespaceSelector, `${path}.namespaceSelector`));
  for (const ns of list(term?.namespaces)) errs.push(...invalidEach(`${path}.namespace`, ns, validateNamespaceNameMsgs(str(ns))));
  for (const [key, keys] of [['matchLabelKeys', term?.matchLabelKeys], ['mismatchLabelKeys', term?.mismatchLabelKeys]] as const) {
    const ks = list(keys);
    if (ks.length === 0) continue;
    if (!isRecord(term?.labelSelector)) errs.push(field.forbidden(`${path}.${key}`, 'must not be specified when labelSelector is not set'));
    else ks.forEach((k, i) => errs.push(...validateLabelName(str(k), `${path}.${key}[${i}]`)));
  }
  const mismatch = new Set(list(term?.mismatchLabelKeys));
  list(term?.matchLabelKeys).forEach((k, i) => {
    if (mismatch.has(k)) errs.push(field.invalid(`${path}.matchLabelKeys[${i}]`, k, 'exists in both matchLabelKeys and mismatchLabelKeys'));
  });
  if (!str(term?.topologyKey)) errs.push(field.required(`${path}.topologyKey`, 'can not be empty'));
  errs.push(...validateLabelName(str(term?.topologyKey), `${path}.topologyKey`));
  return errs;
}

function validateWeighted(terms: unknown, path: string, inner: (t: Obj, p: string) => FieldError[], innerKey: string): FieldError[] {
  const errs: FieldError[] = [];
  list(terms).forEach((t: Obj, i) => {
    const w = t?.weight;
    if (typeof w !== 'number' || w <= 0 || w > 100) errs.push(field.invalid(`${path}[${i}].weight`, w ?? 0, 'must be in the range 1-100'));
    errs.push(...inner(t?.[innerKey] ?? {}, `${path}[${i}].${innerKey}`));
  });
  return errs;
}

function validateAffinity(affinity: unknown, path: string): FieldError[] {
  if (!isRecord(affinity)) return [];
  const errs: FieldError[] = [];
  const na = affinity.nodeAffinity;
  if (isRecord(na)) {
    const p = `${path}.nodeAffinity`;
    if (isRecord(na.requiredDuringSchedulingIgnoredDuringExecution)) {
      errs.push(...validateNodeSelector(na.requiredDuringSchedulingIgnoredDuringExecution, `${p}.requiredDuringSchedulingIgnoredDuringExecution`));
    }
    errs.push(...validateWeighted(na.preferredDuringSchedulingIgnoredDuringExecution, `${p}.preferredDuringSchedulingIgnoredDuringExecution`, validateNodeSelectorTerm, 'preference'));
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const pa = affinity[kind];
    if (!isRecord(pa)) continue;
    const p = `${path}.${kind}`;
    list(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) =>
      errs.push(...validatePodAffinityTerm(t, `${p}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`)),
    );
    errs.push(...validateWeighted(pa.preferredDuringSchedulingIgnoredDuringExecution, `${p}.preferredDuringSchedulingIgnoredDuringExecution`, validatePodAffinityTerm, 'podAffinityTerm'));
  }
  return errs;
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** validateTaintEffect. */
export function validateTaintEffect(effect: unknown, allowEmpty: boolean, path: string): FieldError[] {
  if (!allowEmpty && !effect) return [field.required(path)];
  return TAINT_EFFECTS.includes(effect as string) ? [] : [field.notSupported(path, effect ?? '', TAINT_EFFECTS)];
}

/** ValidateTolerations. */
export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  list(tolerations).forEach((t: Obj, i) => {
    const p = `${path}[${i}]`;
    const key = str(t?.key);
    const op = str(t?.operator);
    if (key) errs.push(...validateLabelName(key, `${p}.key`));
    if (!key && op !== 'Exists') {
      errs.push(field.invalid(`${p}.operator`, op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (has(t?.tolerationSeconds) && t.effect !== 'NoExecute') {
      errs.push(field.invalid(`${p}.effect`, str(t.effect), "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (op === 'Equal' || op === '') {
      const msgs = isValidLabelValue(str(t?.value));
      if (msgs.length) errs.push(field.invalid(`${p}.operator`, str(t?.value), msgs.join(';')));
    } else if (op === 'Exists') {
      if (str(t?.value)) errs.push(field.invalid(`${p}.operator`, t, "value must be empty when `operator` is 'Exists'"));
    } else errs.push(field.notSupported(`${p}.operator`, op, ['Equal', 'Exists']));
    if (str(t?.effect)) errs.push(...validateTaintEffect(t.effect, true, `${p}.effect`));
  });
  return errs;
}

function validateTopologySpreadConstraints(constraints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const cs = list(constraints);
  cs.forEach((c: Obj, i) => {
    const p = `${path}[${i}]`;
    const maxSkew = typeof c?.maxSkew === 'number' ? c.maxSkew : 0;
    if (maxSkew <= 0) errs.push(field.invalid(`${p}.maxSkew`, maxSkew, 'must be greater than zero'));
    if (!str(c?.topologyKey)) errs.push(field.required(`${p}.topologyKey`, 'can not be empty'));
    const actions = ['DoNotSchedule', 'ScheduleAnyway'];
    if (!actions.includes(c?.whenUnsatisfiable)) errs.push(field.notSupported(`${p}.whenUnsatisfiable`, c?.whenUnsatisfiable ?? '', actions));
    for (const rest of cs.slice(i + 1)) {
      if (rest?.topologyKey === c?.topologyKey && rest?.whenUnsatisfiable === c?.whenUnsatisfiable) {
        errs.push(field.duplicate(`${p}.{topologyKey, whenUnsatisfiable}`, `{${str(c?.topologyKey)}, ${str(c?.whenUnsatisfiable)}}`));
        break;
      }
    }
    if (has(c?.minDomains)) {
      if (c.minDomains <= 0) errs.push(field.invalid(`${p}.minDomains`, c.minDomains, 'must be greater than zero'));
      if (c.whenUnsatisfiable !== 'DoNotSchedule') {
        errs.push(field.invalid(`${p}.minDomains`, c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${str(c.whenUnsatisfiable)}`));
      }
    }
    for (const policy of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      if (has(c?.[policy]) && !['Honor', 'Ignore'].includes(c[policy])) errs.push(field.notSupported(`${p}.${policy}`, c[policy], ['Honor', 'Ignore']));
    }
    const mlk = list(c?.matchLabelKeys);
    if (mlk.length) {
      if (!isRecord(c.labelSelector)) errs.push(field.forbidden(`${p}.matchLabelKeys`, 'must not be specified when labelSelector is not set'));
      else {
        const selectorKeys = new Set([...Object.keys(c.labelSelector.matchLabels ?? {}), ...list(c.labelSelector.matchExpressions).map((e) => e?.key)]);
        mlk.forEach((k, j) => {
          errs.push(...validateLabelName(str(k), `${p}.matchLabelKeys[${j}]`));
          if (selectorKeys.has(k)) errs.push(field.invalid(`${p}.matchLabelKeys[${j}]`, k, 'exists in both matchLabelKeys and labelSelector'));
        });
      }
    }
    errs.push(...validateLabelSelector(c?.labelSelector, `${p}.labelSelector`));
  });
  return errs;
}

function validatePodSecurityContext(sc: unknown, spec: Obj, path: string): FieldError[] {
  if (!isRecord(sc)) return [];
  const errs: FieldError[] = [];
  errs.push(...validateID(sc.fsGroup, `${path}.fsGroup`));
  errs.push(...validateID(sc.runAsUser, `${path}.runAsUser`));
  errs.push(...validateID(sc.runAsGroup, `${path}.runAsGroup`));
  list(sc.supplementalGroups).forEach((g, i) => errs.push(...validateID(g, `${path}.supplementalGroups[${i}]`)));
  if (sc.shareProcessNamespace === true && spec.hostPID === true) {
    errs.push(field.invalid(`${path}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  const seen = new Set<string>();
  list(sc.sysctls).forEach((s: Obj, i) => {
    const p = `${path}.sysctls[${i}].name`;
    const name = str(s?.name);
    const re = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;
    if (!name) errs.push(field.required(p));
    else if (name.length > 253 || !re.test(name)) {
      errs.push(field.invalid(p, name, 'must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$'));
    } else if (seen.has(name)) errs.push(field.duplicate(p, name));
    else if (spec.hostNetwork === true && (name.startsWith('net.') || name.startsWith('net/'))) {
      errs.push(field.invalid(p, name, "may not be specified when 'hostNetwork' is true"));
    } else if (spec.hostIPC === true && (name.startsWith('kernel.shm') || name.startsWith('kernel.msg') || name.startsWith('kernel.sem') || name.startsWith('fs.mqueue.'))) {
      errs.push(field.invalid(p, name, "may not be specified when 'hostIPC' is true"));
    }
    seen.add(name);
  });
  if (has(sc.fsGroupChangePolicy) && !['Always', 'OnRootMismatch'].includes(sc.fsGroupChangePolicy)) {
    errs.push(field.notSupported(`${path}.fsGroupChangePolicy`, sc.fsGroupChangePolicy, ['Always', 'OnRootMismatch']));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, `${path}.seccompProfile`));
  errs.push(...validateAppArmorProfile(sc.appArmorProfile, `${path}.appArmorProfile`));
  if (has(sc.supplementalGroupsPolicy) && !['Merge', 'Strict'].includes(sc.supplementalGroupsPolicy)) {
    errs.push(field.notSupported(`${path}.supplementalGroupsPolicy`, sc.supplementalGroupsPolicy, ['Merge', 'Strict']));
  }
  return errs;
}

function validateNamespaceNameMsgs(name: string): string[] {
  const msgs: string[] = [];
  if (name.length > 63) msgs.push('must be no more than 63 characters');
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    msgs.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return msgs;
}

function validateDNSConfig(spec: Obj, path: string): FieldError[] {
  const cfg = spec.dnsConfig;
  if (spec.dnsPolicy === 'None') {
    if (!isRecord(cfg)) return [field.required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (list(cfg.nameservers).length === 0) return [field.required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!isRecord(cfg)) return [];
  const errs: FieldError[] = [];
  const ns = list(cfg.nameservers);
  if (ns.length > 3) errs.push(field.invalid(`${path}.nameservers`, ns, 'must not have more than 3 nameservers'));
  ns.forEach((n, i) => errs.push(...validateIP(`${path}.nameservers[${i}]`, n)));
  const searches = list(cfg.searches);
  if (searches.length > 32) errs.push(field.invalid(`${path}.searches`, searches, 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) errs.push(field.invalid(`${path}.searches`, searches, 'must not have more than 2048 characters (including spaces) in the search list'));
  searches.forEach((s, i) => errs.push(...validateDNS1123Subdomain(str(s).replace(/\.$/, ''), `${path}.searches[${i}]`)));
  list(cfg.options).forEach((o, i) => {
    if (!str(o?.name)) errs.push(field.required(`${path}.options[${i}]`, 'must not be empty'));
  });
  return errs;
}

/**
 * ValidatePodSpec: everything about a pod spec that holds for pods and templates alike. `path` is the
 * spec's own path ("spec", or "spec.template.spec" in a Deployment).
 */
export function validatePodSpec(spec: any, path: string, opts: PodSpecValidationOptions = {}): FieldError[] {
  if (!isRecord(spec)) spec = {};
  const errs: FieldError[] = [];
  if (!has(spec.terminationGracePeriodSeconds)) errs.push(field.required(`${path}.terminationGracePeriodSeconds`));
  const gracePeriod = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : undefined;
  const hostUsers = spec.hostUsers !== false;
  const { names: volumes, errs: volErrs } = validateVolumes(spec.volumes, `${path}.volumes`, opts.podMeta);
  errs.push(...volErrs);
  const claimNames = new Set<string>();
  list(spec.resourceClaims).forEach((claim: Obj, i) => {
    const p = `${path}.resourceClaims[${i}]`;
    const name = str(claim?.name);
    if (!name) errs.push(field.required(`${p}.name`));
    else if (claimNames.has(name)) errs.push(field.duplicate(`${p}.name`, name));
    else {
      errs.push(...validateDNS1123Label(name, `${p}.name`));
      claimNames.add(name);
    }
  });
  const restartPolicy = str(spec.restartPolicy);
  const ctx: SpecContext = { volumes, gracePeriod, restartPolicy, hostUsers };
  errs.push(...validateContainers(spec.containers, ctx, `${path}.containers`));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, ctx, `${path}.initContainers`));
  errs.push(...validateEphemeralContainers(spec.ephemeralContainers, spec, ctx, `${path}.ephemeralContainers`));
  if (spec.hostNetwork === true) {
    list(spec.containers).forEach((c: Obj, i) => {
      list(c?.ports).forEach((port: Obj, j) => {
        const hp = port?.hostPort ?? 0;
        const cp = port?.containerPort ?? 0;
        if ((opts.resourceIsPod || hp !== 0) && hp !== cp) {
          errs.push(field.invalid(`${path}.containers[${i}].ports[${j}].hostPort`, hp, 'must match `containerPort` when `hostNetwork` is true'));
        }
      });
    });
  }
  const restartPolicies = ['Always', 'OnFailure', 'Never'];
  if (!restartPolicy) errs.push(field.required(`${path}.restartPolicy`));
  else if (!restartPolicies.includes(restartPolicy)) errs.push(field.notSupported(`${path}.restartPolicy`, restartPolicy, restartPolicies));
  const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  const dnsPolicy = str(spec.dnsPolicy);
  if (!dnsPolicy) errs.push(field.required(`${path}.dnsPolicy`));
  else if (!dnsPolicies.includes(dnsPolicy)) errs.push(field.notSupported(`${path}.dnsPolicy`, dnsPolicy, dnsPolicies));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  errs.push(...validatePodSecurityContext(spec.securityContext, spec, `${path}.securityContext`));
  list(spec.imagePullSecrets).forEach((ref: Obj, i) => {
    if (isRecord(ref) && Object.keys(ref).some((k) => k !== 'name')) errs.push(field.invalid(`${path}.imagePullSecrets[${i}]`, ref, 'only name may be set'));
  });
  errs.push(...validateAffinity(spec.affinity, `${path}.affinity`));
  errs.push(...validateDNSConfig(spec, `${path}.dnsConfig`));
  list(spec.readinessGates).forEach((g: Obj, i) => errs.push(...validateQualifiedName(str(g?.conditionType), `${path}.readinessGates[${i}].conditionType`)));
  const gates = new Set<string>();
  list(spec.schedulingGates).forEach((g: Obj, i) => {
    const name = str(g?.name);
    errs.push(...validateQualifiedName(name, `${path}.schedulingGates[${i}]`));
    if (gates.has(name)) errs.push(field.duplicate(`${path}.schedulingGates[${i}]`, name));
    gates.add(name);
  });
  errs.push(...validateTopologySpreadConstraints(spec.topologySpreadConstraints, `${path}.topologySpreadConstraints`));
  if (spec.hostUsers === false) {
    if (spec.hostNetwork === true) errs.push(field.forbidden(`${path}.hostNetwork`, 'when `pod.Spec.HostUsers` is false'));
    if (spec.hostPID === true) errs.push(field.forbidden(`${path}.HostPID`, 'when `pod.Spec.HostUsers` is false'));
    if (spec.hostIPC === true) errs.push(field.forbidden(`${path}.HostIPC`, 'when `pod.Spec.HostUsers` is false'));
  }
  if (str(spec.serviceAccountName)) errs.push(...invalidEach(`${path}.serviceAccountName`, spec.serviceAccountName, isDNS1123Subdomain(spec.serviceAccountName)));
  if (str(spec.nodeName)) errs.push(...invalidEach(`${path}.nodeName`, spec.nodeName, isDNS1123Subdomain(spec.nodeName)));
  if (has(spec.activeDeadlineSeconds)) {
    const v = spec.activeDeadlineSeconds;
    if (typeof v !== 'number' || v < 1 || v > MAX_INT32) errs.push(field.invalid(`${path}.activeDeadlineSeconds`, v, inclusiveRangeError(1, MAX_INT32)));
  }
  if (str(spec.hostname)) errs.push(...validateDNS1123Label(spec.hostname, `${path}.hostname`));
  if (str(spec.subdomain)) errs.push(...validateDNS1123Label(spec.subdomain, `${path}.subdomain`));
  if (list(spec.tolerations).length) errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  list(spec.hostAliases).forEach((ha: Obj, i) => {
    errs.push(...validateIP(`${path}.hostAliases[${i}].ip`, ha?.ip));
    list(ha?.hostnames).forEach((h, j) => errs.push(...validateDNS1123Subdomain(str(h), `${path}.hostAliases[${i}].hostnames[${j}]`)));
  });
  if (str(spec.priorityClassName)) errs.push(...invalidEach(`${path}.priorityClassName`, spec.priorityClassName, isDNS1123Subdomain(spec.priorityClassName)));
  if (has(spec.runtimeClassName)) errs.push(...invalidEach(`${path}.runtimeClassName`, spec.runtimeClassName, isDNS1123Subdomain(str(spec.runtimeClassName))));
  if (has(spec.preemptionPolicy)) {
    const pp = str(spec.preemptionPolicy);
    if (!pp) errs.push(field.required(`${path}.preemptionPolicy`));
    else if (pp !== 'PreemptLowerPriority' && pp !== 'Never') errs.push(field.notSupported(`${path}.preemptionPolicy`, pp, ['PreemptLowerPriority', 'Never']));
  }
  if (isRecord(spec.overhead)) errs.push(...validateResourceRequirements({ limits: spec.overhead }, `${path}.overhead`));
  if (isRecord(spec.os)) {
    if (!str(spec.os.name)) errs.push(field.required(`${path}.os.name`, 'cannot be empty'));
    else if (!['linux', 'windows'].includes(spec.os.name)) errs.push(field.notSupported(`${path}.os`, spec.os.name, ['linux', 'windows']));
  }
  return errs;
}

/** ValidateAnnotations: keys are qualified names (lower-cased), total size at most 256 KiB. */
export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  if (!isRecord(annotations)) return [];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    errs.push(...invalidEach(path, k, isQualifiedName(k.toLowerCase())));
    size += k.length + String(v ?? '').length;
  }
  if (size > 256 * 1024) errs.push(field.tooLong(path, 256 * 1024));
  return errs;
}

/** The pod-specific annotation checks that apply to templates too (deletion cost). */
function validatePodSpecificAnnotations(annotations: unknown, path: string): FieldError[] {
  if (!isRecord(annotations)) return [];
  const cost = annotations['controller.kubernetes.io/pod-deletion-cost'];
  if (cost !== undefined) {
    const n = Number(cost);
    if (!/^[+-]?\d+$/.test(String(cost)) || n < -2147483648 || n > MAX_INT32) {
      return [field.invalid(`${path}[controller.kubernetes.io/pod-deletion-cost]`, cost, 'must be a 32bit integer')];
    }
  }
  return [];
}

/** ValidatePodTemplateSpec: template labels and annotations, then the spec at `${path}.spec`. */
export function validatePodTemplateSpec(tmpl: any, path: string): FieldError[] {
  const t = isRecord(tmpl) ? tmpl : {};
  const meta = isRecord(t.metadata) ? t.metadata : {};
  const errs: FieldError[] = [];
  errs.push(...validateLabels(meta.labels, `${path}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  errs.push(...validatePodSpecificAnnotations(meta.annotations, `${path}.annotations`));
  errs.push(...validatePodSpec(t.spec, `${path}.spec`));
  if (list(t.spec?.ephemeralContainers).length > 0) {
    errs.push(field.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

/** validatePodMetadataAndSpec: the pod-only checks on top of validatePodSpec, for create and update. */
export function validatePodMetadataAndSpec(pod: any): FieldError[] {
  const spec = isRecord(pod?.spec) ? pod.spec : {};
  const errs: FieldError[] = [];
  errs.push(...validatePodSpecificAnnotations(pod?.metadata?.annotations, 'metadata.annotations'));
  errs.push(...validatePodSpec(spec, 'spec', { resourceIsPod: true, podMeta: pod?.metadata }));
  if (!str(spec.serviceAccountName)) {
    list(spec.volumes).forEach((v: Obj, vi) => {
      list(v?.projected?.sources).forEach((s: Obj, si) => {
        if (isRecord(s?.serviceAccountToken)) {
          errs.push(field.forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  for (const key of ['containers', 'initContainers']) {
    list(spec[key]).forEach((c: Obj, i) => {
      const image = str(c?.image);
      if (image !== image.trim()) errs.push(field.invalid(`spec.${key}[${i}].image`, image, 'must not have leading or trailing whitespace'));
    });
  }
  return errs;
}

/** ValidatePodCreate: validatePodMetadataAndSpec plus what only a new pod must satisfy. */
export function validatePodCreate(pod: any): FieldError[] {
  const spec = isRecord(pod?.spec) ? pod.spec : {};
  const errs = validatePodMetadataAndSpec(pod);
  if (list(spec.ephemeralContainers).length > 0) errs.push(field.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (str(spec.nodeName) && list(spec.schedulingGates).length > 0) {
    errs.push(field.forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}
