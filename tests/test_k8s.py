"""deploy/k8s: every manifest is valid against the Kubernetes schemas (offline, the ones bundled
with kubernetes-validate), and the Deployment keeps its promises: probes on /healthz, a non-root
read-only container writing only to emptyDirs, no unavailable pod in a rollout, a preStop pause
and a grace period that covers gunicorn's drain, settings that the app knows, and an Ingress with
the limits of deploy/nginx.conf.template."""

from __future__ import annotations

import re
import runpy
from pathlib import Path, PurePosixPath

import pytest
import yaml

kubernetes_validate = pytest.importorskip("kubernetes_validate")  # requirements-dev.txt pins it

from components.settings import SETTINGS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "k8s"
# The oldest and newest Kubernetes minor versions the manifests are checked against.
KUBERNETES_VERSIONS = ("1.29.0", "1.37.0")


def documents(name: str) -> list[dict]:
    return [doc for doc in yaml.safe_load_all((K8S / name).read_text()) if doc]


def kustomization() -> dict:
    return documents("kustomization.yaml")[0]


def resources() -> list[dict]:
    return [doc for name in kustomization()["resources"] for doc in documents(name)]


def only(kind: str) -> dict:
    found = [doc for doc in resources() if doc["kind"] == kind]
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


def container() -> dict:
    return only("Deployment")["spec"]["template"]["spec"]["containers"][0]


def test_kustomization_lists_every_manifest():
    listed = kustomization()["resources"]
    on_disk = sorted(p.name for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")
    assert sorted(listed) == on_disk
    kinds = sorted(doc["kind"] for doc in resources())
    assert kinds == ["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Ingress", "PodDisruptionBudget", "Service"]


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_manifest_is_valid_against_the_schemas(version):
    for doc in resources():
        # strict: an unknown or misspelt field is an error too
        kubernetes_validate.validate(doc, version, strict=True)


def test_the_validator_catches_a_broken_manifest():
    """The check above can fail: a misspelt field and a wrong type are both refused."""
    deployment = only("Deployment")
    deployment["spec"]["replica"] = 3
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSIONS[-1], strict=True)
    deployment = only("Deployment")
    deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "8050"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSIONS[-1], strict=True)


def test_rolling_update_keeps_every_pod():
    spec = only("Deployment")["spec"]
    assert spec["replicas"] == 3
    assert spec["strategy"]["type"] == "RollingUpdate"
    assert spec["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    assert spec["strategy"]["rollingUpdate"]["maxSurge"] >= 1


def test_probes_ask_healthz_on_the_served_port():
    c = container()
    port_names = {p["name"]: p["containerPort"] for p in c["ports"]}
    settings = only("ConfigMap")["data"]
    assert port_names["http"] == int(settings["PORT"])
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        get = c[probe]["httpGet"]
        assert get["path"] == "/healthz", probe
        assert get["port"] == "http", probe
        # the app refuses hosts outside ALLOWED_HOSTS: the probe must name an allowed one
        hosts = [h["value"] for h in get.get("httpHeaders", []) if h["name"].lower() == "host"]
        assert hosts and hosts[0] in re.split(r"[\s,]+", settings["ALLOWED_HOSTS"]), probe
    # a pod that stops answering leaves the Service within ~10 s; a slow first start is not killed
    readiness = c["readinessProbe"]
    assert readiness["periodSeconds"] * readiness["failureThreshold"] <= 10
    startup = c["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 120


def test_container_is_non_root_with_a_read_only_root_filesystem():
    pod = only("Deployment")["spec"]["template"]["spec"]
    c = container()
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    assert c["securityContext"]["readOnlyRootFilesystem"] is True
    assert c["securityContext"]["allowPrivilegeEscalation"] is False
    assert c["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert pod["automountServiceAccountToken"] is False
    # the image's user is the same numeric uid (runAsNonRoot cannot check a user name)
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(rf"^USER {pod['securityContext']['runAsUser']}(:\d+)?$", dockerfile, re.MULTILINE)
    assert re.search(rf"useradd .*--uid {pod['securityContext']['runAsUser']}\b", dockerfile)


def test_every_written_folder_is_an_empty_dir():
    """CACHE_DIR, PREVIEW_CACHE_DIR, HOME and TMPDIR lie on emptyDir volumes, nothing else is writable."""
    pod = only("Deployment")["spec"]["template"]["spec"]
    c = container()
    empty_dirs = {v["name"] for v in pod["volumes"] if "emptyDir" in v}
    assert empty_dirs == {v["name"] for v in pod["volumes"]}
    mounts = [PurePosixPath(m["mountPath"]) for m in c["volumeMounts"] if m["name"] in empty_dirs]
    env = {e["name"]: e["value"] for e in c["env"] if "value" in e}
    settings = only("ConfigMap")["data"]
    for folder in (settings["CACHE_DIR"], settings["PREVIEW_CACHE_DIR"], env["HOME"], env["TMPDIR"], "/tmp"):
        assert any(PurePosixPath(folder).is_relative_to(m) for m in mounts), folder
    assert all("sizeLimit" in v["emptyDir"] for v in pod["volumes"])


def test_requests_and_limits():
    resources_ = container()["resources"]
    for part in ("requests", "limits"):
        assert set(resources_[part]) == {"cpu", "memory"}, part


def test_stopping_a_pod_drains_it():
    """preStop pause, then gunicorn's graceful_timeout, both inside the grace period."""
    pod = only("Deployment")["spec"]["template"]["spec"]
    command = container()["lifecycle"]["preStop"]["exec"]["command"]
    assert command[0] == "sleep"
    pause = int(command[1])
    assert pause >= 5  # endpoint removal reaches kube-proxy and the Ingress controller
    gunicorn = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert pod["terminationGracePeriodSeconds"] > pause + gunicorn["graceful_timeout"]


def test_settings_come_from_the_config_map():
    configmap = only("ConfigMap")
    refs = [source["configMapRef"]["name"] for source in container()["envFrom"]]
    assert refs == [configmap["metadata"]["name"]]
    registered = {name for name, _, _ in SETTINGS}
    assert "ALLOWED_HOSTS" in configmap["data"]  # the app refuses other hosts (components/guard.py)
    unknown = set(configmap["data"]) - registered
    assert unknown == set(), f"ConfigMap keys that are not settings: {unknown}"
    env_names = {e["name"] for e in container()["env"]}
    assert env_names - registered <= {"HOME", "TMPDIR"}  # the only non-settings: for Chromium and tempfile
    assert all(isinstance(value, str) for value in configmap["data"].values())


def test_selectors_and_names_agree():
    deployment, service = only("Deployment"), only("Service")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    assert only("PodDisruptionBudget")["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    hpa = only("HorizontalPodAutoscaler")["spec"]
    assert hpa["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": deployment["metadata"]["name"],
    }
    assert hpa["minReplicas"] == deployment["spec"]["replicas"] < hpa["maxReplicas"]
    assert [m["resource"]["name"] for m in hpa["metrics"]] == ["cpu"]
    pdb = only("PodDisruptionBudget")["spec"]
    assert pdb.get("maxUnavailable") == 1 or pdb.get("minAvailable", 0) < deployment["spec"]["replicas"]
    backend = only("Ingress")["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": service["metadata"]["name"], "port": {"name": "http"}}
    settings = only("ConfigMap")["data"]
    host = only("Ingress")["spec"]["rules"][0]["host"]
    assert settings["PUBLIC_URL"] == f"https://{host}"
    assert host in re.split(r"[\s,]+", settings["ALLOWED_HOSTS"])


def nginx_directive(name: str) -> str:
    """A directive's value in deploy/nginx.conf.template (the one-machine setup)."""
    match = re.search(rf"^\s*{name}\s+([^;]+);", (ROOT / "deploy" / "nginx.conf.template").read_text(), re.MULTILINE)
    assert match, name
    return match.group(1).strip()


@pytest.mark.parametrize(
    "directive, annotation",
    [
        ("client_max_body_size", "proxy-body-size"),
        ("client_body_buffer_size", "client-body-buffer-size"),
        ("proxy_request_buffering", "proxy-request-buffering"),
        ("proxy_buffering", "proxy-buffering"),
        ("proxy_buffer_size", "proxy-buffer-size"),
        ("proxy_connect_timeout", "proxy-connect-timeout"),
        ("proxy_read_timeout", "proxy-read-timeout"),
        ("proxy_next_upstream", "proxy-next-upstream"),
        ("proxy_next_upstream_tries", "proxy-next-upstream-tries"),
        ("proxy_next_upstream_timeout", "proxy-next-upstream-timeout"),
    ],
)
def test_ingress_has_the_limits_of_the_nginx_config(directive, annotation):
    value = only("Ingress")["metadata"]["annotations"][f"nginx.ingress.kubernetes.io/{annotation}"]
    # ingress-nginx takes timeouts in plain seconds; nginx.conf writes "30s"
    assert value == re.sub(r"^(\d+)s$", r"\1", nginx_directive(directive))
    assert nginx_directive("client_max_body_size") == "1m"
