// kube-controller-manager's root CA certificate publisher (pkg/controller/certificates/
// rootcacertpublisher): a ConfigMap "kube-root-ca.crt" in every namespace holding the cluster CA
// under "ca.crt", so pods can verify the API server; edits and deletions are undone.
import { jsonCopy } from '../../apimachinery/json.js';
import { isDeepStrictEqual } from 'node:util';
import type { ConfigMap, Namespace } from '../../api/objects.js';
import { DeletedFinalStateUnknown, type SharedInformer } from '../../client/informer.js';
import { isNotFound, type ResourceClient } from '../../client/rest.js';
import type { ControllerContext } from '../context.js';
import { Controller } from '../controller.js';
import { isNamespaceTerminating } from './serviceaccounts-controller.js';
import { CONFIGMAPS, NAMESPACES } from '../../client/refs.js';

export const ROOT_CA_CERT_PUBLISHER = 'root-ca-cert-publisher';
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
export const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';

/** Publishes the CA bundle into every namespace. Queue keys are namespace names. */
export class RootCACertPublisher extends Controller {
  private readonly namespaces: SharedInformer<Namespace>;
  private readonly configMaps: SharedInformer<ConfigMap>;
  private readonly api: ResourceClient<ConfigMap>;
  private readonly caPem: string;

  constructor(ctx: ControllerContext, config: { caPem: string; workers?: number }) {
    super('root-ca-cert-publisher', { clock: ctx.clock, workers: config.workers ?? 1, log: ctx.log });
    this.caPem = config.caPem;
    this.api = ctx.clientFor(ROOT_CA_CERT_PUBLISHER).resource<ConfigMap>(CONFIGMAPS);
    this.namespaces = ctx.informers.forResource<Namespace>(NAMESPACES);
    this.configMaps = ctx.informers.forResource<ConfigMap>(CONFIGMAPS);
    this.namespaces.addEventHandler({
      onAdd: (ns) => this.queue.add(ns.metadata.name!),
      onUpdate: (_o, ns) => {
        if (ns.status?.phase === 'Active') this.queue.add(ns.metadata.name!);
      },
    });
    const cmChanged = (cm: ConfigMap) => {
      if (cm.metadata.name === ROOT_CA_CONFIGMAP) this.queue.add(cm.metadata.namespace!);
    };
    this.configMaps.addEventHandler({
      onUpdate: (_o, cm) => cmChanged(cm),
      onDelete: (obj) => cmChanged(obj instanceof DeletedFinalStateUnknown ? obj.obj : obj),
    });
  }

  protected override async run(): Promise<void> {
    await this.configMaps.waitForSync();
  }

  protected async sync(namespace: string): Promise<void> {
    const data = { 'ca.crt': this.caPem };
    const cm = this.configMaps.lister.get(namespace, ROOT_CA_CONFIGMAP);
    const api = this.api.namespace(namespace);
    if (!cm) {
      try {
        await api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } }, data });
      } catch (e) {
        // A namespace that is gone or terminating takes no new content: nothing to retry.
        if (isNotFound(e) || isNamespaceTerminating(e)) return;
        throw e;
      }
      return;
    }
    if (isDeepStrictEqual(cm.data ?? {}, data) && cm.metadata.annotations?.[DESCRIPTION_ANNOTATION]) return;
    const next: ConfigMap = jsonCopy(cm);
    next.data = data;
    next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [DESCRIPTION_ANNOTATION]: DESCRIPTION };
    await api.update(next);
  }
}
