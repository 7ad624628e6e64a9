"""Item 10, without the fuzzer: the document declares what the server answers."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import AppFactory


def test_every_error_is_declared_as_problem_json(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert "500" in responses, (method, path)
            for status, response in responses.items():
                if int(status) >= 400 and path != "/ready":
                    assert list(response["content"]) == ["application/problem+json"], (
                        method,
                        path,
                        status,
                    )
    post_documents = spec["paths"]["/v1/documents"]["post"]
    assert {"400", "413", "415", "422", "503"} <= set(post_documents["responses"])
    assert "application/json" in post_documents["requestBody"]["content"]
    assert "404" in spec["paths"]["/v1/jobs/{job_id}"]["get"]["responses"]
    assert "409" in spec["paths"]["/v1/jobs/{job_id}/cancel"]["post"]["responses"]
    schemas = spec["components"]["schemas"]
    assert schemas["JobIn"]["properties"]["claims"]["maxItems"] == 1000
    assert "pattern" in schemas["VerifyIn"]["properties"]["claim"]


def test_settings_shape_the_contract(make_client: AppFactory) -> None:
    spec = (
        make_client(api_keys_required=True, rate_limit_per_minute=10, max_batch_claims=7)
        .get("/openapi.json")
        .json()
    )
    verify = spec["paths"]["/v1/verify"]["post"]
    assert {"401", "403", "429"} <= set(verify["responses"])
    assert verify["security"] == [{"bearer": []}, {"apiKey": []}]
    assert spec["components"]["schemas"]["JobIn"]["properties"]["claims"]["maxItems"] == 7


def test_unsupported_methods_are_405_with_every_allowed_method(client: TestClient) -> None:
    for method, path, allowed in [
        ("TRACE", "/health", "GET"),
        ("TRACE", "/metrics", "GET"),
        ("PUT", "/v1/jobs", "GET, POST"),
        ("OPTIONS", "/v1/documents/x", "DELETE, GET"),
    ]:
        answer = client.request(method, path)
        assert answer.status_code == 405, (method, path)
        assert answer.headers["allow"] == allowed
        assert answer.json()["code"] == "method_not_allowed"
