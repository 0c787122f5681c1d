// Container images as containerd reports them: references normalised the way the docker
// reference library does (docker.io/library/nginx:latest), a stable sha256 digest per reference,
// a plausible size, and the naming convention that makes an image "not exist".
import { BoundedMap } from '../apimachinery/bounded-map.js';
import { Rand } from './prng.js';

/** An image reference split into its parts. */
export interface ImageRef {
  /** "docker.io/library/nginx" */
  repository: string;
  /** "latest" unless a tag or digest was given */
  tag?: string;
  digest?: string;
  /** The last path element ("nginx"), which picks the log and usage family. */
  name: string;
}

/** Normalises a reference as containerd does: registry docker.io, "library/" for official images. */
export function parseImage(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  const first = parts[0];
  const hasRegistry = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let repository = rest;
  if (!hasRegistry) repository = parts.length === 1 ? `docker.io/library/${rest}` : `docker.io/${rest}`;
  if (!tag && !digest) tag = 'latest';
  return { repository, tag, digest, name: parts[parts.length - 1] };
}

/** What containerStatuses[].image shows: the normalised reference. */
export function imageName(ref: ImageRef): string {
  return ref.digest ? `${ref.repository}@${ref.digest}` : `${ref.repository}:${ref.tag}`;
}

// A node lists the digests of the images it holds in every status it computes (each 10 s), so the
// digest drawn for a reference is kept: a cluster pulls a bounded number of distinct images.
const digests = new BoundedMap<string, string>(4096);

/** What containerStatuses[].imageID shows: repository@sha256:<digest>, stable per reference. */
export function imageID(ref: ImageRef): string {
  if (ref.digest) return `${ref.repository}@${ref.digest}`;
  const seed = `digest:${ref.repository}:${ref.tag}`;
  return `${ref.repository}@sha256:${digests.memo(seed, () => new Rand(seed).hex(64))}`;
}

// Compressed sizes of well-known images, roughly as their registries report them.
const KNOWN_SIZES: Record<string, number> = {
  nginx: 72_000_000,
  httpd: 58_000_000,
  postgres: 158_000_000,
  mysql: 170_000_000,
  mariadb: 120_000_000,
  redis: 45_000_000,
  memcached: 33_000_000,
  mongo: 250_000_000,
  busybox: 2_150_000,
  alpine: 3_600_000,
  ubuntu: 29_000_000,
  debian: 49_000_000,
  python: 390_000_000,
  node: 400_000_000,
  pause: 320_000,
  agnhost: 52_000_000,
};

/** The image's size in bytes: the known size ±10 %, else 20–200 MB, fixed per reference. */
export function imageSize(ref: ImageRef): number {
  const r = new Rand(`size:${imageName(ref)}`);
  const known = KNOWN_SIZES[ref.name];
  return Math.round(known ? known * r.between(0.9, 1.1) : r.between(20_000_000, 200_000_000));
}

// Tags and names that say an image does not exist (the convention of docs/simulation.md).
const MISSING = /(^|[-_.])(doesnotexist|does-not-exist|nonexistent|non-existent|notfound|not-found|missing|invalid|bogus)($|[-_.])/i;

/** True when the image's tag or name says it does not exist. */
export function imageDoesNotExist(ref: ImageRef): boolean {
  return MISSING.test(ref.tag ?? '') || MISSING.test(ref.name);
}

/**
 * containerd's error for a reference the registry does not know, as the kubelet passes it on
 * (rpc error: code = NotFound ...).
 */
export function pullNotFoundError(ref: ImageRef): string {
  const full = imageName(ref);
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${full}": failed to resolve reference "${full}": ${full}: not found`;
}

/** Pull time for an image of size bytes: ~60 MB/s plus registry round trips, jittered per seed. */
export function pullDurationMs(sizeBytes: number, seed: string): number {
  const r = new Rand(`pull:${seed}`);
  return Math.round(250 + (sizeBytes / 60_000_000) * 1000 * r.between(0.8, 1.3));
}
