"""The OpenAPI description covers every route and says what the API does."""

from __future__ import annotations

import re


def test_every_api_route_is_described_with_its_errors(app, client):
    description = client.get("/api/v1/openapi.json").get_json()
    described = {
        (path, method.upper()) for path, item in description["paths"].items() for method in item
    }
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routed |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routed == described
    for path, item in description["paths"].items():
        for method, operation in item.items():
            if path.endswith("openapi.json"):
                assert operation["security"] == []
                continue
            assert {"401", "503"} <= set(operation["responses"]), (path, method)
            if method == "post":
                assert {"400", "403", "409", "413", "415", "422"} <= set(operation["responses"])
                assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]


def test_document_kinds_and_precondition_are_described(client):
    description = client.get("/api/v1/openapi.json").get_json()
    create = description["components"]["schemas"]["DocumentCreate"]
    assert "convention" in create["properties"]["kind"]["enum"]
    assert create["additionalProperties"] is False
    transition = description["paths"]["/api/v1/documents/{document_id}/transitions"]["post"]
    assert {"name": "If-Match", "in": "header"}.items() <= transition["parameters"][-1].items()
    assert "412" in transition["responses"]
    problem = description["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail"} <= set(problem["required"])
    assert "allowed_triggers" in problem["properties"]
