// The request body limit every transport applies (kube-apiserver's MaxRequestBodyBytes), so a body
// that would be refused over HTTPS is refused in process too.
import { StatusError } from './errors.js';

/** kube-apiserver's MaxRequestBodyBytes: 3 MiB. */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/** Reads a stream into a buffer, failing with 413 past the limit, as upstream's limitedReadBody. */
export async function readLimited(stream: AsyncIterable<Buffer | string>, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const c of stream) {
    if (tooLarge) continue; // drain, so the client gets our answer rather than a reset
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    size += b.length;
    if (size > limit) {
      tooLarge = true;
      chunks.length = 0;
      continue;
    }
    chunks.push(b);
  }
  if (tooLarge) {
    throw new StatusError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Request entity too large: limit is ${limit}`,
      reason: 'RequestEntityTooLarge',
      code: 413,
    });
  }
  return Buffer.concat(chunks);
}
