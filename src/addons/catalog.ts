// skiff's add-on catalog: the popular EKS add-ons whose custom resources the seeds create, each with
// the CustomResourceDefinitions its Helm chart or manifests install. Installing an add-on creates its
// CRDs (controllers come later); the CLI uses addonsForKind to turn kubectl's `no matches for kind`
// into a suggestion of which add-on to install.
import type { KubeObject } from '../api/types.js';
import type { CustomResourceDefinition } from '../apiextensions/types.js';
import { ARGO_CD_CRDS, argoRolloutsCRDs } from './argo.js';
import { ADDON_LABEL } from './crd.js';
import { EXTERNAL_SECRETS_CRDS } from './external-secrets.js';
import { ISTIO_CRDS } from './istio.js';
import { KARPENTER_CRDS } from './karpenter.js';
import { PROMETHEUS_OPERATOR_CRDS } from './prometheus-operator.js';
import { VELERO_CRDS } from './velero.js';
import { VPA_CRDS } from './vpa.js';

/** One installable add-on: its CRDs, in the order they are created. */
export interface Addon {
  name: string;
  description: string;
  /** Other names users know it by (Helm chart names, abbreviations). */
  aliases: readonly string[];
  crds: readonly CustomResourceDefinition[];
}

/** Every add-on skiff can install, by name. */
export const ADDONS: readonly Addon[] = [
  {
    name: 'karpenter',
    description: 'Karpenter node provisioning: Provisioner/AWSNodeTemplate (v0.x) and NodePool/EC2NodeClass (v1)',
    aliases: [],
    crds: KARPENTER_CRDS,
  },
  {
    name: 'vpa',
    description: 'Vertical Pod Autoscaler (kubernetes/autoscaler): VerticalPodAutoscaler and its checkpoints',
    aliases: ['vertical-pod-autoscaler'],
    crds: VPA_CRDS,
  },
  {
    name: 'argo-cd',
    description: 'Argo CD GitOps: Application and AppProject',
    aliases: ['argocd'],
    crds: ARGO_CD_CRDS,
  },
  {
    name: 'argo-rollouts',
    description: 'Argo Rollouts progressive delivery: Rollout, AnalysisTemplate, ClusterAnalysisTemplate, AnalysisRun, Experiment',
    aliases: ['rollouts'],
    get crds() {
      return argoRolloutsCRDs();
    },
  },
  {
    name: 'external-secrets',
    description: 'External Secrets Operator: SecretStore, ClusterSecretStore and ExternalSecret (v1beta1 and v1)',
    aliases: ['eso', 'external-secrets-operator'],
    crds: EXTERNAL_SECRETS_CRDS,
  },
  {
    name: 'velero',
    description: 'Velero backups: Backup, Schedule, Restore, BackupStorageLocation, VolumeSnapshotLocation',
    aliases: [],
    crds: VELERO_CRDS,
  },
  {
    name: 'istio',
    description: 'Istio service mesh: VirtualService, DestinationRule, Gateway, PeerAuthentication, AuthorizationPolicy, IstioOperator',
    aliases: ['istio-base'],
    crds: ISTIO_CRDS,
  },
  {
    name: 'prometheus-operator',
    description: 'Prometheus Operator (kube-prometheus-stack): ServiceMonitor, PodMonitor, PrometheusRule',
    aliases: ['kube-prometheus-stack'],
    crds: PROMETHEUS_OPERATOR_CRDS,
  },
];

/** The add-on of that name or alias (case-insensitive), if the catalog has it. */
export function findAddon(name: string): Addon | undefined {
  const n = name.trim().toLowerCase();
  return ADDONS.find((a) => a.name === n || a.aliases.includes(n));
}

/**
 * The CRD objects installAddon applies for an add-on: copies of the catalog's, labelled with the
 * add-on's name so an installed add-on can be recognised (`kubectl get crd -l skiff.dev/addon`).
 */
export function addonObjects(addon: Addon): CustomResourceDefinition[] {
  return addon.crds.map((crd) => {
    const copy = structuredClone(crd);
    copy.metadata.labels = { ...(copy.metadata.labels ?? {}), [ADDON_LABEL]: addon.name };
    return copy;
  });
}

/**
 * Installs an add-on's CRDs through `applyObject`, which must create the object or update it to
 * match (an apply), so installing twice changes nothing. Throws for an unknown add-on.
 */
export async function installAddon(name: string, applyObject: (obj: KubeObject) => Promise<void>): Promise<Addon> {
  const addon = findAddon(name);
  if (!addon) {
    throw new Error(`unknown add-on "${name}"; known add-ons: ${ADDONS.map((a) => a.name).join(', ')}`);
  }
  for (const obj of addonObjects(addon)) await applyObject(obj);
  return addon;
}

/**
 * The add-ons that provide a kind in a group. `kind` may also be the resource's plural, singular or a
 * short name (what `kubectl get <x>` takes), case-insensitively; an empty group matches any group.
 */
export function addonsForKind(group: string, kind: string): Addon[] {
  const k = kind.toLowerCase();
  return ADDONS.filter((addon) =>
    addon.crds.some((crd) => {
      if (group && crd.spec.group !== group) return false;
      const n = crd.spec.names;
      return n.kind.toLowerCase() === k || n.plural === k || n.singular === k || (n.shortNames ?? []).includes(k);
    }),
  );
}
