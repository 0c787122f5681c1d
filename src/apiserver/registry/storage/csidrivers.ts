// storage.k8s.io/v1 CSIDriver (cluster-scoped; what a CSI driver such as the EBS add-on's
// ebs.csi.aws.com tells the cluster about itself): SetDefaults_CSIDriver, ValidateCSIDriver(Update)
// and the strategy's generation, as kube-apiserver v1.32 with its default feature gates
// (SELinuxMountReadWriteOncePod on, so seLinuxMount is defaulted and required).
import type { KubeObject } from '../../../api/types.js';
import { field, type FieldError } from '../../../apimachinery/errors.js';
import { FIELD_IMMUTABLE_ERROR_MSG } from '../../../apimachinery/validation.js';
import type { Strategy } from '../strategy.js';
import { child, isObj, semanticEqual, unset, validateImmutable, type Obj } from '../apps/fields.js';

const FS_GROUP_POLICIES = ['File', 'None', 'ReadWriteOnceWithFSType'];
const LIFECYCLE_MODES = ['Persistent', 'Ephemeral'];
const MIN_TOKEN_SECONDS = 600;
const MAX_TOKEN_SECONDS = 2 ** 32;

/** SetDefaults_CSIDriver. */
export function defaultCSIDriver(obj: KubeObject): void {
  const spec = child(obj as Obj, 'spec');
  if (unset(spec.attachRequired)) spec.attachRequired = true;
  if (unset(spec.podInfoOnMount)) spec.podInfoOnMount = false;
  if (unset(spec.storageCapacity)) spec.storageCapacity = false;
  if (unset(spec.fsGroupPolicy)) spec.fsGroupPolicy = 'ReadWriteOnceWithFSType';
  if (!Array.isArray(spec.volumeLifecycleModes) || spec.volumeLifecycleModes.length === 0) spec.volumeLifecycleModes = ['Persistent'];
  if (unset(spec.requiresRepublish)) spec.requiresRepublish = false;
  if (unset(spec.seLinuxMount)) spec.seLinuxMount = false;
}

/** validateCSIDriverSpec. Upstream's path for attachRequired is "spec.attachedRequired", kept as it is. */
function validateSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (unset(spec.attachRequired)) errs.push(field.required('spec.attachedRequired', ''));
  if (unset(spec.podInfoOnMount)) errs.push(field.required('spec.podInfoOnMount', ''));
  if (unset(spec.storageCapacity)) errs.push(field.required('spec.storageCapacity', ''));
  if (!unset(spec.fsGroupPolicy) && !FS_GROUP_POLICIES.includes(spec.fsGroupPolicy)) {
    errs.push(field.notSupported('spec.fsGroupPolicy', spec.fsGroupPolicy, FS_GROUP_POLICIES));
  }
  const audiences = new Set<string>();
  (Array.isArray(spec.tokenRequests) ? spec.tokenRequests : []).forEach((raw: unknown, i: number) => {
    const t: Obj = isObj(raw) ? raw : {};
    const p = `spec.tokenRequests[${i}]`;
    const audience = String(t.audience ?? '');
    if (audiences.has(audience)) {
      errs.push(field.duplicate(`${p}.audience`, audience));
      return;
    }
    audiences.add(audience);
    if (unset(t.expirationSeconds)) return;
    if (t.expirationSeconds < MIN_TOKEN_SECONDS) errs.push(field.invalid(`${p}.expirationSeconds`, t.expirationSeconds, 'may not specify a duration less than 10 minutes'));
    if (t.expirationSeconds > MAX_TOKEN_SECONDS) errs.push(field.invalid(`${p}.expirationSeconds`, t.expirationSeconds, 'may not specify a duration larger than 2^32 seconds'));
  });
  for (const mode of Array.isArray(spec.volumeLifecycleModes) ? spec.volumeLifecycleModes : []) {
    if (!LIFECYCLE_MODES.includes(mode)) errs.push(field.notSupported('spec.volumeLifecycleModes', mode, LIFECYCLE_MODES));
  }
  if (unset(spec.seLinuxMount)) errs.push(field.required('spec.seLinuxMount', ''));
  return errs;
}

/** ValidateCSIDriver without ObjectMeta (names are DNS subdomains, the generic store's default). */
export function validateCSIDriver(obj: Obj): FieldError[] {
  return validateSpec(isObj(obj.spec) ? obj.spec : {});
}

/** ValidateCSIDriverUpdate: attachRequired and volumeLifecycleModes are fixed; the rest may change. */
export function validateCSIDriverUpdate(obj: Obj, old: Obj): FieldError[] {
  const spec: Obj = isObj(obj.spec) ? obj.spec : {};
  const oldSpec: Obj = isObj(old.spec) ? old.spec : {};
  return [
    ...validateSpec(spec),
    ...validateImmutable(spec.attachRequired, oldSpec.attachRequired, 'spec.attachedRequired'),
    ...(semanticEqual(spec.volumeLifecycleModes, oldSpec.volumeLifecycleModes)
      ? []
      : [field.invalidRaw('spec.volumeLifecycleModes', goModes(spec.volumeLifecycleModes), FIELD_IMMUTABLE_ERROR_MSG)]),
  ];
}

/** The modes as field.Error prints the Go slice (%#v of []storage.VolumeLifecycleMode). */
function goModes(modes: unknown): string {
  return `[]storage.VolumeLifecycleMode{${(Array.isArray(modes) ? modes : []).map((m) => JSON.stringify(String(m))).join(', ')}}`;
}

/** The storage.k8s.io/v1 csidrivers strategy. */
export const csiDriverStrategy = {
  defaults: defaultCSIDriver,
  // BeforeUpdate keeps the old generation; the strategy counts spec changes from it (a new
  // CSIDriver has none: its first spec change makes it 1).
  prepareForUpdate(obj, old) {
    const generation = old.metadata.generation ?? 0;
    if (!semanticEqual(obj.spec, old.spec)) obj.metadata.generation = generation + 1;
    else if (generation) obj.metadata.generation = generation;
  },
  validate: (obj) => validateCSIDriver(obj),
  validateUpdate: validateCSIDriverUpdate,
} satisfies Strategy;
