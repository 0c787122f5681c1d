// HTTP plumbing shared by every handler: body limits, decoding, content negotiation, and writing
// objects, Status errors and Warning headers the way kube-apiserver does.
import type { IncomingHttpHeaders } from 'node:http';
import YAML from 'yaml';
import { badRequest, isStatusError, internalError, notAcceptable, type Status } from '../apimachinery/errors.js';
import { decodeKubernetesProtobuf, isProtobuf, ProtobufDecodeError } from '../api/protobuf/codec.js';
import { nestingDepthError } from '../apimachinery/json-depth.js';


/** Where a response goes: an http.ServerResponse, or the in-process transport's sink. */
export interface ResponseSink {
  writeHead(code: number, headers: Record<string, string | string[]>): unknown;
  write(chunk: string | Uint8Array): unknown;
  end(chunk?: string | Uint8Array): unknown;
  /** Node's 'close' event: the client went away. */
  once(event: 'close', cb: () => void): unknown;
  readonly headersSent: boolean;
  /** For streaming: flush headers immediately (http.ServerResponse has it). */
  flushHeaders?(): void;
  /**
   * A watch event as an object rather than a JSON line (the in-process transport, when its caller
   * takes values): true when taken, the object (the server's, shared by its watchers) copied before
   * returning; false to have it serialised.
   */
  writeEvent?(type: string, object: unknown): boolean;
  /**
   * A JSON response body as a value (the in-process transport, when its caller takes values):
   * true when taken, with the value copied before returning; false to have it serialised.
   */
  writeValue?(code: number, headers: Record<string, string | string[]>, value: unknown): boolean;
}

/** A request as the API server's handlers see it, whatever the transport. */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Reads the whole body (at most MAX_REQUEST_BODY_BYTES, else 413). */
  body(): Promise<Buffer>;
  /**
   * The caller's identity when the request comes through the in-process transport (components in
   * the same process, e.g. controllers); authentication is skipped, authorization and admission
   * are not. Never set from the network.
   */
  user?: import('./auth/authn.js').UserInfo;
  /**
   * Set only by the in-process transport, for a JSON body its client gave as a value: a fresh copy
   * of that value, which is what JSON.parse(body()) would return. Handlers that decode JSON take it
   * instead of the text (decodeRequestBody); no key can repeat in it, so strict decoding has no
   * duplicate fields to look for, and nothing was ever nested too deep to parse.
   */
  bodyValue?: () => unknown;
}

/** The representation a client asked for in Accept. */
export type Representation = 'object' | 'table' | 'partial-metadata' | 'partial-metadata-list';

export { MAX_REQUEST_BODY_BYTES, readLimited } from '../apimachinery/request-body.js';

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** What the endpoint expects a body to be, for protobuf envelopes and their error messages. */
export interface ExpectedType {
  apiVersion: string;
  kind: string;
}

/**
 * Decodes a JSON, YAML or Kubernetes protobuf request body into an object, with upstream's decode
 * error wording.
 */
export function decodeBody(buf: Buffer, contentType: string | undefined, expect?: ExpectedType): unknown {
  const mt = mediaType(contentType);
  if (isProtobuf(mt)) return decodeProtobufBody(buf, expect);
  const text = buf.toString('utf8');
  // transformDecodeError: what the decoder could not read, with the type it wanted and the data.
  const unrecognized = (detail: string) =>
    badRequest(expect ? `the object provided is unrecognized (must be of type ${expect.kind}): ${detail} (${summarizeData(buf)})` : detail);
  const tooDeep = nestingDepthError(text);
  if (tooDeep) throw unrecognized(`couldn't get version/kind; json parse error: ${tooDeep}`);
  let value: unknown;
  if (mt === 'application/yaml' || mt === 'application/x-yaml' || mt === 'text/yaml') {
    try {
      const docs = YAML.parseAllDocuments(text);
      if (docs.length !== 1) throw new Error('expected a single YAML document');
      if (docs[0].errors.length) throw docs[0].errors[0];
      // sigs.k8s.io/yaml refuses maps and lists as map keys; JSON has nowhere to put them.
      YAML.visit(docs[0], {
        Pair(_, pair) {
          if (YAML.isCollection(pair.key)) throw new Error(`invalid map key: ${String(pair.key).replace(/\s+/g, ' ').trim()}`);
        },
      });
      value = docs[0].toJSON();
    } catch (e) {
      throw unrecognized(`error converting YAML to JSON: yaml: ${(e as Error).message.split('\n')[0]}`);
    }
  } else {
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw unrecognized(`couldn't get version/kind; json parse error: ${goJsonError(e as Error, text)}`);
    }
  }
  return checkDecoded(value, expect, () => summarizeData(buf));
}

/** A decoded body must be an object when a kind is expected, as the decoder's FindKind wants. */
function checkDecoded(value: unknown, expect: ExpectedType | undefined, data: () => string): unknown {
  if (expect && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw badRequest(`the object provided is unrecognized (must be of type ${expect.kind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonType(value)} into Go value of type ${FIND_KIND_STRUCT} (${data()})`);
  }
  return value;
}

/**
 * A request's body decoded as decodeBody does, or, when the in-process client gave a JSON body as
 * a value (req.bodyValue), that value: the same result without the text in between.
 */
export async function decodeRequestBody(req: ApiRequest, contentType: string | undefined, expect?: ExpectedType): Promise<unknown> {
  return decodeBodyOrValue(req, await bodyUnlessValue(req), contentType, expect);
}

/** The bytes of a body that did not come as a value, for decodeBodyOrValue or decodeApplyBody later. */
export async function bodyUnlessValue(req: ApiRequest): Promise<Buffer | undefined> {
  return req.bodyValue ? undefined : req.body();
}

/** decodeRequestBody with the bytes already read (by bodyUnlessValue). */
export function decodeBodyOrValue(req: ApiRequest, buf: Buffer | undefined, contentType: string | undefined, expect?: ExpectedType): unknown {
  if (!req.bodyValue) return decodeBody(buf ?? Buffer.alloc(0), contentType, expect);
  const mt = mediaType(contentType);
  if (mt === 'application/json' || mt === '') return decodedValue(req.bodyValue, expect);
  // A value sent as another media type: its bytes are its JSON text, as body() would give them.
  return decodeBody(Buffer.from(JSON.stringify(req.bodyValue())), contentType, expect);
}

/**
 * An application/apply-patch+yaml body (its bytes from bodyUnlessValue). One the in-process client
 * gave as a value (req.bodyValue) is an object without repeated keys, which YAML reads exactly as
 * JSON.parse reads its text (http.test.ts); the YAML parser would take ten times as long to say so.
 */
export function decodeApplyBody(req: ApiRequest, buf: Buffer | undefined, expect?: ExpectedType): unknown {
  if (req.bodyValue) return decodedValue(req.bodyValue, expect);
  return decodeBody(buf ?? Buffer.alloc(0), 'application/yaml', expect);
}

function decodedValue(value: () => unknown, expect: ExpectedType | undefined): unknown {
  return checkDecoded(value(), expect, () => summarizeData(Buffer.from(JSON.stringify(value()))));
}

// The struct the decoder reads apiVersion and kind into (runtime.SimpleMetaFactory).
const FIND_KIND_STRUCT = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/** Go's encoding/json name for a JSON value's type. */
export function goJsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

/** runtime's summarizeData: the first 30 bytes, as text for JSON objects and hex otherwise. */
export function summarizeData(buf: Buffer): string {
  if (buf.length === 0) return '<empty>';
  const head = buf.subarray(0, 30);
  const text = buf[0] === 0x7b ? head.toString('utf8') : head.toString('hex');
  return buf.length > 30 ? `${text} ...` : text;
}

// The typed object in a protobuf envelope, as JSON; errors worded as upstream's transformDecodeError.
function decodeProtobufBody(buf: Buffer, expect?: ExpectedType): unknown {
  try {
    const { apiVersion, kind, object } = decodeKubernetesProtobuf(buf, expect);
    return { ...object, apiVersion, kind };
  } catch (e) {
    if (e instanceof ProtobufDecodeError && expect) {
      const version = expect.apiVersion.includes('/') ? expect.apiVersion.split('/')[1] : expect.apiVersion;
      if (e.kind) throw badRequest(`${e.kind} in version "${version}" cannot be handled as a ${expect.kind}: ${e.detail}`);
      throw badRequest(`the object provided is unrecognized (must be of type ${expect.kind}): ${e.detail}`);
    }
    throw e;
  }
}

// Renders a JSON.parse failure roughly as Go's encoding/json does ("invalid character 'x' ...").
export function goJsonError(e: Error, text: string): string {
  if (/Unexpected end|end of (data|JSON)/i.test(e.message) || text.trim() === '') return 'unexpected end of JSON input';
  const m = /position (\d+)/.exec(e.message);
  if (m && Number(m[1]) >= text.trimEnd().length) return 'unexpected end of JSON input';
  if (m) {
    const ch = text[Number(m[1])];
    if (ch !== undefined) return `invalid character '${ch}' looking for beginning of value`;
  }
  if (/Unexpected end/.test(e.message)) return 'unexpected end of JSON input';
  return e.message;
}

interface AcceptItem {
  type: string;
  params: Record<string, string>;
}

function parseAccept(accept: string | undefined): AcceptItem[] {
  if (!accept) return [{ type: '*/*', params: {} }];
  return accept.split(',').map((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    const p: Record<string, string> = {};
    for (const kv of params) {
      const i = kv.indexOf('=');
      if (i > 0) p[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
    }
    return { type: type.toLowerCase(), params: p };
  });
}

/** Picks the response representation from Accept, as kube-apiserver's negotiation does (JSON/YAML only). */
export function negotiate(accept: string | undefined, opts: { allowTable: boolean; list: boolean }): { rep: Representation; yaml: boolean } {
  const items = parseAccept(accept);
  for (const it of items) {
    const jsonish = it.type === 'application/json' || it.type === '*/*' || it.type === 'application/*';
    const yaml = it.type === 'application/yaml';
    if (!jsonish && !yaml) continue;
    const as = it.params['as'];
    if (!as) return { rep: 'object', yaml };
    if (it.params['g'] !== 'meta.k8s.io' || (it.params['v'] !== 'v1' && it.params['v'] !== 'v1beta1')) continue;
    if (as === 'Table' && opts.allowTable) return { rep: 'table', yaml };
    if (as === 'PartialObjectMetadata' && !opts.list) return { rep: 'partial-metadata', yaml };
    if (as === 'PartialObjectMetadataList' && opts.list) return { rep: 'partial-metadata-list', yaml };
  }
  throw notAcceptable('only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');
}

/** Formats one Warning header value as upstream does: `299 - "text"`. */
export function warningHeader(text: string): string {
  return `299 - ${JSON.stringify(text)}`;
}

/** Writes an object as JSON (or YAML) with the status code. */
export function writeObject(res: ResponseSink, code: number, obj: unknown, opts: { yaml?: boolean; warnings?: string[] } = {}): void {
  const headers: Record<string, string | string[]> = {
    'Content-Type': opts.yaml ? 'application/yaml' : 'application/json',
    'Cache-Control': 'no-cache, private',
  };
  if (opts.warnings?.length) headers['Warning'] = opts.warnings.map(warningHeader);
  if (!opts.yaml && res.writeValue?.(code, headers, obj)) return;
  const body = opts.yaml ? YAML.stringify(obj) : JSON.stringify(obj);
  headers['Content-Length'] = String(Buffer.byteLength(body));
  res.writeHead(code, headers);
  res.end(body);
}

/** Converts anything thrown into the Status a client should see. */
export function toStatus(e: unknown): Status {
  if (isStatusError(e)) return e.status;
  return internalError(e).status;
}

/** Writes an error as its Status body (unless a stream already started). */
export function writeError(res: ResponseSink, e: unknown, warnings?: string[]): void {
  const status = toStatus(e);
  if (res.headersSent) {
    res.end();
    return;
  }
  writeObject(res, status.code, status, { warnings });
}
