"""CRUD, patch and watch with the official Python client (python3-kubernetes) against skiff.

Usage: /usr/bin/python3 crud_watch.py KUBECONFIG NAMESPACE

Prints one line per step; test/e2e/python-client.test.ts asserts on the exact lines. Every call is the
client's own typed API, unchanged: what it sends is what it sends to kube-apiserver.
"""
import json
import sys

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException


def say(*parts):
    print(*parts, flush=True)


def status_of(e):
    """The HTTP code, reason and message of an ApiException's Status body."""
    body = json.loads(e.body)
    return f"{e.status} {body.get('reason')} {body.get('message')}"


def main():
    kubeconfig, ns = sys.argv[1], sys.argv[2]
    config.load_kube_config(config_file=kubeconfig)
    core = client.CoreV1Api()
    apps = client.AppsV1Api()

    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=ns)))
    say("namespace", ns, core.read_namespace(ns).status.phase)

    # Create, read, replace, and the optimistic-concurrency conflict.
    cm = core.create_namespaced_config_map(
        ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="cfg", labels={"app": "py"}), data={"color": "blue"})
    )
    say("created", cm.metadata.name, "uid" if len(cm.metadata.uid) == 36 else "no-uid", json.dumps(cm.data, sort_keys=True))
    read = core.read_namespaced_config_map("cfg", ns)
    say("read", read.metadata.name, "same-rv" if read.metadata.resource_version == cm.metadata.resource_version else "other-rv")
    read.data["color"] = "green"
    replaced = core.replace_namespaced_config_map("cfg", ns, read)
    say("replaced", json.dumps(replaced.data, sort_keys=True), "newer-rv" if int(replaced.metadata.resource_version) > int(cm.metadata.resource_version) else "stale-rv")
    try:
        core.replace_namespaced_config_map("cfg", ns, read)
        say("stale replace succeeded")
    except ApiException as e:
        say("stale replace", status_of(e))

    # Patches: the Python client sends a JSON patch for a list body and a strategic merge patch for a dict.
    p = core.patch_namespaced_config_map("cfg", ns, {"data": {"size": "L"}})
    say("strategic merge patch", json.dumps(p.data, sort_keys=True))
    p = core.patch_namespaced_config_map("cfg", ns, [{"op": "remove", "path": "/data/size"}, {"op": "add", "path": "/data/shape", "value": "round"}])
    say("json patch", json.dumps(p.data, sort_keys=True))

    dep = apps.create_namespaced_deployment(
        ns,
        client.V1Deployment(
            metadata=client.V1ObjectMeta(name="web"),
            spec=client.V1DeploymentSpec(
                replicas=2,
                selector=client.V1LabelSelector(match_labels={"app": "web"}),
                template=client.V1PodTemplateSpec(
                    metadata=client.V1ObjectMeta(labels={"app": "web"}),
                    spec=client.V1PodSpec(
                        containers=[client.V1Container(name="nginx", image="nginx:1.27"), client.V1Container(name="sidecar", image="envoy:1.30")]
                    ),
                ),
            ),
        ),
    )
    say("deployment", dep.metadata.name, "generation", dep.metadata.generation, "strategy", dep.spec.strategy.type)
    dep = apps.patch_namespaced_deployment("web", ns, {"spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.28"}]}}}})
    say("deployment strategic merge patch", " ".join(f"{c.name}={c.image}" for c in dep.spec.template.spec.containers), "generation", dep.metadata.generation)
    scale = apps.patch_namespaced_deployment_scale("web", ns, {"spec": {"replicas": 5}})
    say("scale", scale.kind, scale.spec.replicas)

    # List by label selector.
    core.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="other", labels={"app": "other"})))
    say("list app=py", ",".join(i.metadata.name for i in core.list_namespaced_config_map(ns, label_selector="app=py").items))
    say("list app,app!=py", ",".join(i.metadata.name for i in core.list_namespaced_config_map(ns, label_selector="app,app!=py").items))

    # Watch from a resourceVersion: replays what happened since, in order, until the server's timeout.
    start = core.list_namespaced_config_map(ns).metadata.resource_version
    core.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="w"), data={"n": "0"}))
    core.patch_namespaced_config_map("w", ns, {"data": {"n": "1"}})
    core.delete_namespaced_config_map("w", ns)
    for event in watch.Watch().stream(core.list_namespaced_config_map, ns, resource_version=start, timeout_seconds=1):
        say("watch", event["type"], event["object"].metadata.name, json.dumps(event["object"].data, sort_keys=True))
    say("watch ended")

    # Watch without a resourceVersion: the current state first, as ADDED events.
    for event in watch.Watch().stream(core.list_namespaced_config_map, ns, label_selector="app", timeout_seconds=1):
        say("initial", event["type"], event["object"].metadata.name)
    say("initial ended")

    # Delete, then read: 404 NotFound.
    status = core.delete_namespaced_config_map("cfg", ns)
    say("deleted", status.status, status.details.name, status.details.kind)
    try:
        core.read_namespaced_config_map("cfg", ns)
        say("still there")
    except ApiException as e:
        say("read after delete", status_of(e))


if __name__ == "__main__":
    main()
