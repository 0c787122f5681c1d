"""kubernetes.utils.create_from_yaml over seed documents, with the official Python client, against skiff.

Usage: /usr/bin/python3 create_seeds.py KUBECONFIG NAMESPACES FILE...
  NAMESPACES: comma-separated namespaces to create first (the ones the documents use but do not create).

Prints one line per namespace and per file; test/e2e/python-client.test.ts asserts on them:
  namespace <name> created
  <file> created <Kind>/<name> [via dynamic client]
  <file> already exists: <409 Status message>
  <file> failed: <status> <Status message>   (or the exception)
python3-kubernetes 22.6 predates autoscaling/v2 (it has no AutoscalingV2Api), so create_from_yaml cannot
create those documents; they go through kubernetes.dynamic instead, which finds the resource by discovery.
"""
import json
import sys

import yaml
from kubernetes import client, config, dynamic, utils
from kubernetes.client.rest import ApiException


def say(*parts):
    print(*parts, flush=True)


def main():
    kubeconfig, namespaces, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    config.load_kube_config(config_file=kubeconfig)
    api = client.ApiClient()
    core = client.CoreV1Api(api)
    dyn = dynamic.DynamicClient(api)

    for ns in filter(None, namespaces.split(",")):
        core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=ns)))
        say("namespace", ns, "created")

    for path in files:
        name = path.rsplit("/", 1)[-1]
        with open(path) as f:
            doc = yaml.safe_load(f)
        ref = f"{doc['kind']}/{doc['metadata']['name']}"
        try:
            created = utils.create_from_yaml(api, yaml_objects=[doc])
            kinds = [type(o).__name__ for group in created for o in group]
            say(name, "created", ref, "as", ",".join(kinds))
        except utils.FailToCreateError as e:
            for err in e.api_exceptions:
                body = json.loads(err.body)
                if err.status == 409 and body.get("reason") == "AlreadyExists":
                    say(name, "already exists:", body.get("message"))
                else:
                    say(name, "failed:", err.status, body.get("message"))
        except AttributeError as e:
            # The client has no typed API for this group/version; the dynamic client does not need one.
            # Like create_from_yaml, a namespaced document without a namespace goes to "default".
            if "has no attribute" not in str(e):
                raise
            resource = dyn.resources.get(api_version=doc["apiVersion"], kind=doc["kind"])
            try:
                obj = resource.create(body=doc, namespace=doc["metadata"].get("namespace", "default"))
                say(name, "created", ref, "via dynamic client", obj.metadata.resourceVersion and "with a resourceVersion")
            except ApiException as err:
                say(name, "failed:", err.status, json.loads(err.body).get("message"))


if __name__ == "__main__":
    main()
