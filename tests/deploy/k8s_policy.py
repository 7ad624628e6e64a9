"""The rules every rendered TruthGraph manifest set must follow; `violations` lists each
breach as one line (an empty list means the set passes)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Manifest = dict[str, Any]

WORKLOADS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"})
SERVING = frozenset({"Deployment", "StatefulSet", "DaemonSet"})
DATABASE_PORT = 5432
DATABASE_CLIENT = "truthgraph.io/database-client"
# The only workloads allowed to reach the database and ml-inference.
DATABASE_CLIENTS = frozenset({"api-core", "truthgraph-migrate"})
INFERENCE_CLIENTS = frozenset({"api-core"})
DATABASE_IMAGES = ("postgres", "pgvector")


def pod_template(obj: Manifest) -> Manifest:
    spec = obj.get("spec", {})
    if obj["kind"] == "Pod":
        return obj
    if obj["kind"] == "CronJob":
        spec = spec.get("jobTemplate", {}).get("spec", {})
    template: Manifest = spec.get("template", {})
    return template


def workloads(objects: list[Manifest]) -> Iterator[tuple[str, Manifest, Manifest]]:
    """(label, the object, its pod template) for each workload."""
    for obj in objects:
        if obj["kind"] in WORKLOADS:
            yield f"{obj['kind']}/{obj['metadata']['name']}", obj, pod_template(obj)


def image_problem(image: str) -> str | None:
    name, _, digest = image.partition("@")
    tail = name.rsplit("/", 1)[-1]
    tag = tail.partition(":")[2]
    if digest:
        return None if digest.startswith("sha256:") else f"malformed digest in {image}"
    if not tag:
        return f"image {image} has no tag"
    if tag == "latest":
        return f"image {image} uses the latest tag"
    return None


def container_violations(where: str, container: Manifest, *, serving: bool) -> list[str]:
    found = []
    label = f"{where} container {container.get('name')}"
    problem = image_problem(str(container.get("image", "")))
    if problem:
        found.append(f"{label}: {problem}")
    sc = container.get("securityContext", {})
    if sc.get("readOnlyRootFilesystem") is not True:
        found.append(f"{label}: root filesystem not read-only")
    if sc.get("allowPrivilegeEscalation") is not False:
        found.append(f"{label}: privilege escalation not disabled")
    if sc.get("privileged") is True:
        found.append(f"{label}: privileged")
    if sc.get("runAsUser") == 0 or sc.get("runAsNonRoot") is False:
        found.append(f"{label}: runs as root")
    capabilities = sc.get("capabilities", {})
    if "ALL" not in capabilities.get("drop", []):
        found.append(f"{label}: capabilities not dropped (drop: [ALL])")
    if capabilities.get("add"):
        found.append(f"{label}: adds capabilities {capabilities['add']}")
    resources = container.get("resources", {})
    for kind, fields in (("requests", ("cpu", "memory")), ("limits", ("memory",))):
        for field in fields:
            if field not in resources.get(kind, {}):
                found.append(f"{label}: no {kind}.{field}")
    if serving:
        for probe in ("readinessProbe", "livenessProbe"):
            if probe not in container:
                found.append(f"{label}: no {probe}")
    return found


def pod_violations(where: str, obj: Manifest, template: Manifest) -> list[str]:
    found = []
    spec = template.get("spec", {})
    psc = spec.get("securityContext", {})
    if psc.get("runAsNonRoot") is not True:
        found.append(f"{where}: pod securityContext.runAsNonRoot is not true")
    if psc.get("runAsUser", 0) == 0:
        found.append(f"{where}: pod runs as uid 0 (set runAsUser)")
    if psc.get("seccompProfile", {}).get("type") not in ("RuntimeDefault", "Localhost"):
        found.append(f"{where}: no seccomp profile")
    if spec.get("automountServiceAccountToken") is not False:
        found.append(f"{where}: mounts a service account token")
    for field in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(field):
            found.append(f"{where}: {field}")
    serving = obj["kind"] in SERVING
    for container in spec.get("initContainers", []):
        found += container_violations(where, container, serving=False)
    if not spec.get("containers"):
        found.append(f"{where}: no containers")
    for container in spec.get("containers", []):
        found += container_violations(where, container, serving=serving)
        if any(part in container.get("image", "") for part in DATABASE_IMAGES):
            found.append(f"{where}: a hand-written database; use an operator or a managed one")
    return found


def selects(selector: Manifest, labels: dict[str, str]) -> bool:
    """A label selector (matchLabels only, as these manifests use) against labels."""
    if set(selector) - {"matchLabels"}:
        raise ValueError(f"selector form not supported here: {selector}")
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())


def scaling_violations(objects: list[Manifest]) -> list[str]:
    found = []
    hpas = [o for o in objects if o["kind"] == "HorizontalPodAutoscaler"]
    pdbs = [o for o in objects if o["kind"] == "PodDisruptionBudget"]
    for obj in objects:
        if obj["kind"] != "Deployment":
            continue
        name = obj["metadata"]["name"]
        scalers = [h for h in hpas if h["spec"]["scaleTargetRef"]["name"] == name]
        metrics = [m for h in scalers for m in h["spec"]["metrics"]]
        if not any(m.get("resource", {}).get("name") == "cpu" for m in metrics):
            found.append(f"Deployment/{name}: no HorizontalPodAutoscaler on CPU")
        if "replicas" in obj["spec"] and scalers:
            found.append(f"Deployment/{name}: sets replicas that its autoscaler owns")
        labels = obj["spec"]["template"]["metadata"]["labels"]
        if not any(selects(p["spec"]["selector"], labels) for p in pdbs):
            found.append(f"Deployment/{name}: no PodDisruptionBudget")
    return found


def _policies_for(policies: list[Manifest], labels: dict[str, str], kind: str) -> list[Manifest]:
    return [
        p
        for p in policies
        if kind in p["spec"].get("policyTypes", []) and selects(p["spec"]["podSelector"], labels)
    ]


def _peers_are(rule: Manifest, allowed: frozenset[str]) -> bool:
    """Each peer of an ingress rule selects only pods named in `allowed`, in the same
    namespace (an empty or missing `from` means anyone)."""
    peers = rule.get("from")
    if not peers:
        return False
    for peer in peers:
        if "namespaceSelector" in peer or "ipBlock" in peer:
            return False
        name = peer.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/name")
        if name not in allowed:
            return False
    return True


def network_violations(objects: list[Manifest]) -> list[str]:
    found = []
    policies = [o for o in objects if o["kind"] == "NetworkPolicy"]
    deny_all = [
        p
        for p in policies
        if p["spec"]["podSelector"] == {}
        and set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}
        and not p["spec"].get("ingress")
        and not p["spec"].get("egress")
    ]
    if not deny_all:
        found.append("no default-deny NetworkPolicy (podSelector {}, Ingress and Egress)")
    pods = {
        obj["metadata"]["name"]: template.get("metadata", {}).get("labels", {})
        for _, obj, template in workloads(objects)
    }
    for name, labels in pods.items():
        base = labels.get("app.kubernetes.io/name", name)
        if labels.get(DATABASE_CLIENT) == "true" and base not in DATABASE_CLIENTS:
            found.append(f"{name}: labelled as a database client")
    ml_labels = pods.get("ml-inference")
    if ml_labels is not None:
        for policy in _policies_for(policies, ml_labels, "Ingress"):
            for rule in policy["spec"].get("ingress", []):
                if not _peers_are(rule, INFERENCE_CLIENTS):
                    found.append(
                        f"NetworkPolicy/{policy['metadata']['name']}: lets more than api-core "
                        "reach ml-inference"
                    )
    # Only database clients (and the database's own pods) may send to the database port:
    # any egress rule that allows it, or allows every port, must select only them.
    for policy in policies:
        selector = policy["spec"]["podSelector"].get("matchLabels", {})
        if selector.get(DATABASE_CLIENT) == "true" or "cnpg.io/cluster" in selector:
            continue
        for rule in policy["spec"].get("egress", []):
            ports = {p.get("port") for p in rule.get("ports", [])}
            if not ports or DATABASE_PORT in ports:
                found.append(
                    f"NetworkPolicy/{policy['metadata']['name']}: opens the database port "
                    "to pods that are not database clients"
                )
    return found


def violations(objects: list[Manifest]) -> list[str]:
    found = []
    for where, obj, template in workloads(objects):
        found += pod_violations(where, obj, template)
    found += scaling_violations(objects)
    found += network_violations(objects)
    for obj in objects:
        if obj["kind"] == "Secret":
            found.append(f"Secret/{obj['metadata']['name']}: secret values in the repository")
    return found
