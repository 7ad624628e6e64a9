"""The Kubernetes manifests (deploy/k8s), rendered per overlay without a cluster: every
object validates against the Kubernetes JSON schemas (or, for the CloudNativePG Cluster,
the schema kept beside the manifests), and the set follows tests/deploy/k8s_policy.py."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from tests.deploy.k8s import K8S, OVERLAYS, ROOT, Manifest, find, render, renderer, schema_errors
from tests.deploy.k8s_policy import image_problem, violations
from truthgraph.store.pg_migrate import SCHEMA_HEAD

pytest.importorskip("kubernetes_validate", reason="needs the dev dependencies")


@pytest.fixture(scope="module", params=OVERLAYS)
def overlay(request: pytest.FixtureRequest) -> tuple[str, list[Manifest]]:
    return request.param, render(request.param)


def container(obj: Manifest, name: str, *, init: bool = False) -> Manifest:
    spec = obj["spec"]["template"]["spec"]
    found = [c for c in spec["initContainers" if init else "containers"] if c["name"] == name]
    assert len(found) == 1
    result: Manifest = found[0]
    return result


def test_every_object_validates_against_its_schema(overlay: tuple[str, list[Manifest]]) -> None:
    name, objects = overlay
    assert len(objects) >= 15
    errors = [error for obj in objects for error in schema_errors(obj)]
    assert errors == [], f"{name}: " + "\n".join(errors)


def test_schema_validation_catches_a_misspelt_field() -> None:
    objects = render("dev")
    deployment = copy.deepcopy(find(objects, "Deployment", "api-core"))
    probe = container(deployment, "api-core").pop("readinessProbe")
    container(deployment, "api-core")["readinesProbe"] = probe
    assert any("readinesProbe" in e for e in schema_errors(deployment))
    cluster = copy.deepcopy(find(objects, "Cluster", "truthgraph-db"))
    cluster["spec"]["storage"]["sise"] = "1Gi"
    cluster["spec"]["instances"] = "one"
    errors = schema_errors(cluster)
    assert any("sise" in e for e in errors) and any("'one'" in e for e in errors)


def test_the_policy_holds(overlay: tuple[str, list[Manifest]]) -> None:
    name, objects = overlay
    assert violations(objects) == [], name


def test_the_policy_catches_each_breach() -> None:
    objects = copy.deepcopy(render("dev"))
    api = find(objects, "Deployment", "api-core")
    main = container(api, "api-core")
    main["image"] = "truthgraph/api-core:latest"
    del main["securityContext"]["readOnlyRootFilesystem"]
    main["securityContext"]["capabilities"] = {"add": ["NET_ADMIN"]}
    del main["livenessProbe"]
    del main["resources"]["limits"]
    api["spec"]["template"]["spec"]["securityContext"]["runAsUser"] = 0
    ml = find(objects, "Deployment", "ml-inference")
    container(ml, "models", init=True)["image"] = "truthgraph/ml-inference-models"
    objects.remove(find(objects, "NetworkPolicy", "default-deny"))
    objects.remove(find(objects, "HorizontalPodAutoscaler", "ml-inference"))
    find(objects, "NetworkPolicy", "ml-inference-from-api-core")["spec"]["ingress"] = [{}]
    find(objects, "NetworkPolicy", "allow-dns")["spec"]["egress"][0]["ports"].append(
        {"protocol": "TCP", "port": 5432}
    )
    job = find(objects, "Job", "truthgraph-migrate-0-1-0")
    job["spec"]["template"]["spec"]["containers"][0]["securityContext"]["privileged"] = True
    objects.append({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}})
    objects.append(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "postgres"},
            "spec": {
                "template": {
                    "metadata": {"labels": {}},
                    "spec": {
                        "containers": [{"name": "postgres", "image": "pgvector/pgvector:pg17"}]
                    },
                }
            },
        }
    )
    found = "\n".join(violations(objects))
    for expected in (
        "container api-core: image truthgraph/api-core:latest uses the latest tag",
        "container api-core: root filesystem not read-only",
        "container api-core: capabilities not dropped",
        "container api-core: adds capabilities ['NET_ADMIN']",
        "container api-core: no livenessProbe",
        "container api-core: no limits.memory",
        "Deployment/api-core: pod runs as uid 0",
        "container models: image truthgraph/ml-inference-models has no tag",
        "no default-deny NetworkPolicy",
        "Deployment/ml-inference: no HorizontalPodAutoscaler on CPU",
        "NetworkPolicy/ml-inference-from-api-core: lets more than api-core reach ml-inference",
        "NetworkPolicy/allow-dns: opens the database port to pods that are not database",
        "container migrate: privileged",
        "Secret/db: secret values in the repository",
        "Deployment/postgres: a hand-written database",
        "Deployment/postgres: pod securityContext.runAsNonRoot is not true",
        "Deployment/postgres: no PodDisruptionBudget",
    ):
        assert expected in found, expected


@pytest.mark.parametrize(
    ("image", "problem"),
    [
        ("truthgraph/api-core:0.1.0", None),
        ("registry.local:5000/truthgraph/api-core", "has no tag"),
        ("registry.local:5000/truthgraph/api-core:0.1.0", None),
        ("truthgraph/api-core@sha256:" + "0" * 64, None),
        ("truthgraph/api-core:latest", "latest"),
    ],
)
def test_image_pinning(image: str, problem: str | None) -> None:
    found = image_problem(image)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_probes_and_rollout_order(overlay: tuple[str, list[Manifest]]) -> None:
    _, objects = overlay
    api = find(objects, "Deployment", "api-core")
    main = container(api, "api-core")
    assert main["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert main["livenessProbe"]["httpGet"]["path"] == "/health"
    assert api["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    # The API waits for the migration; the Job's name follows the release it migrates to.
    wait = container(api, "wait-for-schema", init=True)
    assert wait["command"][:3] == ["truthgraph", "db", "wait"]
    assert wait["image"] == main["image"]
    tag = main["image"].rsplit(":", 1)[1]
    job = find(objects, "Job", "truthgraph-migrate-" + tag.replace(".", "-"))
    migrate = job["spec"]["template"]["spec"]["containers"][0]
    assert migrate["command"][:3] == ["truthgraph", "db", "upgrade"]
    assert migrate["image"] == main["image"]
    assert SCHEMA_HEAD.isdigit()
    ml = find(objects, "Deployment", "ml-inference")
    assert container(ml, "ml-inference")["readinessProbe"]["httpGet"]["path"] == "/ready"


def test_both_pods_read_the_database_url_from_the_same_secret(
    overlay: tuple[str, list[Manifest]],
) -> None:
    name, objects = overlay
    expected = {"dev": "truthgraph-db-app", "prod": "truthgraph-database"}[name]
    for kind, obj_name in (("Deployment", "api-core"), ("Job", "truthgraph-migrate-0-1-0")):
        volumes = find(objects, kind, obj_name)["spec"]["template"]["spec"]["volumes"]
        secret = next(v["secret"] for v in volumes if v["name"] == "secrets")
        # The overlay's patch replaced the name and kept the base's key mapping.
        assert secret == {"secretName": expected, "items": [{"key": "uri", "path": "database_url"}]}
    config = find(objects, "ConfigMap", "truthgraph-config")["data"]
    assert config["TRUTHGRAPH_SECRETS_DIR"] == "/run/secrets/truthgraph"
    assert config["TRUTHGRAPH_API_KEYS_REQUIRED"] == "true"


def test_the_dev_database_is_an_operator_cluster_with_pgvector() -> None:
    objects = render("dev")
    cluster = find(objects, "Cluster", "truthgraph-db")
    assert cluster["metadata"]["namespace"] == "truthgraph-dev"
    assert (
        "CREATE EXTENSION IF NOT EXISTS vector"
        in (cluster["spec"]["bootstrap"]["initdb"]["postInitApplicationSQL"])
    )
    assert image_problem(cluster["spec"]["imageName"]) is None
    assert not [o for o in render("prod") if o["kind"] == "Cluster"]


def _mib(text: str) -> float:
    return float(re.sub(r"[^0-9.]", "", text))


def test_ml_inference_memory_follows_the_measurements() -> None:
    # Idle memory as docs/images.md measured it; the request must cover it with room
    # to spare, the limit the peak docs/models.md measured running NLI batches.
    images = (ROOT / "docs" / "images.md").read_text(encoding="utf-8")
    idle = re.search(r"\| ml-inference \(both bundled models[^|]*\| [^|]* \| ([0-9.]+) MiB", images)
    models = (ROOT / "docs" / "models.md").read_text(encoding="utf-8")
    peak = re.search(r"\| NLI, 300 pairs[^\n]*\| ([0-9]+) / [0-9]+ MiB", models)
    assert idle is not None and peak is not None
    for overlay_name in OVERLAYS:
        ml = find(render(overlay_name), "Deployment", "ml-inference")
        resources = container(ml, "ml-inference")["resources"]
        assert _mib(resources["requests"]["memory"]) >= 1.5 * float(idle.group(1))
        assert _mib(resources["limits"]["memory"]) >= 2 * float(peak.group(1))


def test_the_renderer_refuses_what_it_does_not_implement(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text(
        "resources: []\nreplicas:\n  - {name: api-core, count: 3}\n", encoding="utf-8"
    )
    with pytest.raises(renderer().RenderError, match="replicas"):
        renderer().render(tmp_path)


def test_the_renderer_merges_lists_by_key(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    (base / "kustomization.yaml").write_text(
        "resources: [d.yaml]\nimages: [{name: app, newTag: '1.0'}]\n", encoding="utf-8"
    )
    (base / "d.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - {name: a, image: app, args: [x, y]}\n"
        "        - {name: b, image: other:2}\n",
        encoding="utf-8",
    )
    (tmp_path / "kustomization.yaml").write_text(
        "namespace: ns\nresources: [base]\npatches: [{path: p.yaml}]\n"
        "images: [{name: app, newName: reg.local:5000/app}]\n",
        encoding="utf-8",
    )
    (tmp_path / "p.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - {name: a, args: [z]}\n",
        encoding="utf-8",
    )
    [obj] = renderer().render(tmp_path)
    assert obj["metadata"]["namespace"] == "ns"
    assert obj["spec"]["template"]["spec"]["containers"] == [
        {"name": "a", "image": "reg.local:5000/app:1.0", "args": ["z"]},
        {"name": "b", "image": "other:2"},
    ]


def test_manifests_name_no_mutable_tags_anywhere() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in K8S.rglob("*.yaml"))
    assert ":latest" not in text
