// StorageClass parameters as the aws-ebs-csi-driver's CreateVolume reads them (keys case-insensitive,
// unknown keys refused), and the volume EC2 would create from them: type (gp3 by default), size,
// IOPS and throughput with the driver's capping and EC2's limits. Errors carry the gRPC status text
// external-provisioner prints after "failed to provision volume with StorageClass ...".
export const VALID_VOLUME_TYPES = ['io1', 'io2', 'gp2', 'gp3', 'sc1', 'st1', 'standard'];

/** What an EBS volume is, as the cost model and the scheduler need it. */
export interface EBSVolumeSpec {
  type: string;
  sizeGiB: number;
  /** Provisioned (or, for gp2, baseline) IOPS; 0 where the type has none (HDD, standard). */
  iops: number;
  /** MiB/s; gp3 only (the others' throughput follows from size). */
  throughput: number;
  encrypted: boolean;
  kmsKeyId?: string;
  fsType: string;
}

export class ProvisioningError extends Error {
  constructor(
    readonly code: 'InvalidArgument' | 'Aborted' | 'ResourceExhausted',
    readonly desc: string,
  ) {
    super(`rpc error: code = ${code} desc = ${desc}`);
  }
}

// EC2's size limits per type (GiB).
const SIZE_LIMITS: Record<string, [number, number]> = {
  gp2: [1, 16384],
  gp3: [1, 65536],
  io1: [4, 16384],
  io2: [4, 65536],
  st1: [125, 16384],
  sc1: [125, 16384],
  standard: [1, 1024],
};

// The driver's limits (cloud.go): min total IOPS, fallback max IOPS, max IOPS per GiB.
const IOPS_LIMITS: Record<string, { min: number; max: number; perGiB: number }> = {
  io1: { min: 100, max: 64000, perGiB: 50 },
  io2: { min: 100, max: 256000, perGiB: 1000 },
  gp3: { min: 3000, max: 16000, perGiB: 500 },
};

const GP3_DEFAULT_IOPS = 3000;
const GP3_DEFAULT_THROUGHPUT = 125;

const GiB = 1024 ** 3;

/** util.RoundUpGiB: bytes to whole GiB, at least 1. */
export function roundUpGiB(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / GiB));
}

function parseInt32(key: string, value: string): number {
  if (!/^[+-]?\d+$/.test(value.trim()) || Math.abs(Number(value)) > 2 ** 31 - 1) {
    throw new ProvisioningError('InvalidArgument', `Could not parse invalid ${key}: strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
  }
  return Number(value);
}

const isTrue = (v: string) => v.toLowerCase() === 'true';

/**
 * The volume CreateVolume would make for a claim of requestBytes with these class parameters, or a
 * ProvisioningError worded as the driver (or EC2, through it) would word it.
 */
export function volumeFromParameters(volName: string, requestBytes: number, parameters: Record<string, string>): EBSVolumeSpec {
  let type = '';
  let iopsPerGB = 0;
  let iops = 0;
  let throughput = 0;
  let encrypted = false;
  let kmsKeyId: string | undefined;
  let allowIncrease = false;
  let fsType = 'ext4';
  for (const [key, value] of Object.entries(parameters)) {
    const k = key.toLowerCase();
    // external-provisioner consumes its own csi.storage.k8s.io/ keys before calling the driver.
    if (k === 'csi.storage.k8s.io/fstype' || k === 'fstype') {
      fsType = value;
      continue;
    }
    if (k.startsWith('csi.storage.k8s.io/')) continue;
    switch (k) {
      case 'type':
        type = value;
        break;
      case 'iopspergb':
        iopsPerGB = parseInt32('iopsPerGB', value);
        break;
      case 'iops':
        iops = parseInt32('iops', value);
        break;
      case 'throughput':
        throughput = parseInt32('throughput', value);
        break;
      case 'encrypted':
        encrypted = isTrue(value);
        break;
      case 'kmskeyid':
        kmsKeyId = value;
        break;
      case 'allowautoiopspergbincrease':
        allowIncrease = isTrue(value);
        break;
      case 'allowautoiopsincreaseonmodify':
      case 'blockexpress':
      case 'blocksize':
      case 'inodesize':
      case 'bytesperinode':
      case 'numberofinodes':
      case 'ext4bigalloc':
      case 'ext4clustersize':
      case 'ext4encryptionsupport':
      case 'blockattachuntilinitialized':
      case 'volumeinitializationrate':
        break;
      default:
        if (!key.startsWith('tagSpecification')) throw new ProvisioningError('InvalidArgument', `Invalid parameter key ${key} for CreateVolume`);
    }
  }
  const fail = (msg: string, code: ProvisioningError['code'] = 'Aborted') => new ProvisioningError(code, `Could not create volume ${JSON.stringify(volName)}: ${msg}`);
  if (iops > 0 && iopsPerGB > 0) throw fail('invalid StorageClass parameters; specify either IOPS or IOPSPerGb, not both');
  type ||= 'gp3';
  if (!VALID_VOLUME_TYPES.includes(type)) {
    throw fail(`invalid argument: operation error EC2: CreateVolume, api error InvalidParameterValue: Value (${type}) for parameter volumeType is invalid. Valid values: ${VALID_VOLUME_TYPES.join(', ')}`, 'InvalidArgument');
  }
  const sizeGiB = roundUpGiB(requestBytes);
  const [minSize, maxSize] = SIZE_LIMITS[type];
  if (sizeGiB < minSize || sizeGiB > maxSize) {
    throw fail(`invalid argument: operation error EC2: CreateVolume, api error InvalidParameterValue: Volume of ${sizeGiB}GiB is ${sizeGiB < minSize ? 'too small' : 'too large'}; ${sizeGiB < minSize ? 'minimum' : 'maximum'} is ${sizeGiB < minSize ? minSize : maxSize}GiB.`, 'InvalidArgument');
  }
  let requested = iops > 0 ? iops : iopsPerGB * sizeGiB;
  const limits = IOPS_LIMITS[type];
  if (requested > 0) {
    if (!limits) throw fail(`invalid argument: operation error EC2: CreateVolume, api error InvalidParameterCombination: The parameter iops is not supported for ${type} volumes.`, 'InvalidArgument');
    if (requested < limits.min && allowIncrease) requested = limits.min;
    if (requested > limits.max) requested = limits.max;
    const byCapacity = limits.perGiB * sizeGiB;
    if (requested > byCapacity && byCapacity >= limits.min) requested = byCapacity;
    if (requested < limits.min) {
      throw fail(`invalid argument: operation error EC2: CreateVolume, api error InvalidParameterValue: Volume iops of ${requested} is too low; minimum is ${limits.min}.`, 'InvalidArgument');
    }
  } else if (type === 'io1' || type === 'io2') {
    throw fail('invalid argument: operation error EC2: CreateVolume, api error MissingParameter: The request must contain the parameter iops', 'InvalidArgument');
  }
  if (throughput > 0 && type !== 'gp3') {
    throw fail(`invalid argument: operation error EC2: CreateVolume, api error InvalidParameterCombination: The parameter throughput is not supported for ${type} volumes.`, 'InvalidArgument');
  }
  let effectiveIops = requested;
  let effectiveThroughput = throughput;
  if (type === 'gp3') {
    effectiveIops ||= GP3_DEFAULT_IOPS;
    effectiveThroughput ||= GP3_DEFAULT_THROUGHPUT;
    if (effectiveThroughput < 125 || effectiveThroughput > 1000) {
      throw fail(`invalid argument: operation error EC2: CreateVolume, api error InvalidParameterValue: Throughput of ${effectiveThroughput}MiB/s is invalid; it must be between 125 and 1000 MiB/s.`, 'InvalidArgument');
    }
    if (effectiveThroughput > effectiveIops / 4) {
      throw fail(`invalid argument: operation error EC2: CreateVolume, api error InvalidParameterValue: Throughput (MiBps) to iops ratio of ${(effectiveThroughput / effectiveIops).toFixed(6)} is too high; maximum is 0.250000 MiBps per iops.`, 'InvalidArgument');
    }
  } else if (type === 'gp2') {
    // gp2's baseline: 3 IOPS per GiB, at least 100, at most 16,000.
    effectiveIops = Math.min(16000, Math.max(100, 3 * sizeGiB));
  }
  return { type, sizeGiB, iops: effectiveIops, throughput: effectiveThroughput, encrypted, ...(kmsKeyId ? { kmsKeyId } : {}), fsType };
}
