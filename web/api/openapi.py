"""The OpenAPI 3.1 description of the JSON API (written by hand, served at /api/openapi.json)."""

from __future__ import annotations

from typing import Any

from planner.jobs import STATES
from planner.plan import KINDS
from planner.workareas.schema import WORKAREA_FILES
from planner.workbook.schema import PLANNING_FILES


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def openapi_document() -> dict[str, Any]:
    file_param = {
        "name": "file",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": [s.name for s in PLANNING_FILES + WORKAREA_FILES]},
        "description": "a workbook file of FORMAT.md or a work-area sheet of docs/WORKAREAS.md",
    }
    pk = {"name": "pk", "in": "path", "required": True, "schema": {"type": "integer"}}
    run_id = {"name": "run_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    job_id = {"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}
    common = {"401": _error("not signed in"), "403": _error("your role may not do this")}
    bad_body = {"400": _error("the body is no JSON object, or a field of it has the wrong type (named in errors)")}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Host district planner API",
            "version": "1",
            "description": (
                "The data and operations of the web UI, with the same roles and checks. "
                "Authenticate with `Authorization: Bearer <token>` (create one under Your account), or with the "
                "session cookie and an `X-CSRFToken` header on every change. Values are workbook text as in "
                "FORMAT.md (dates YYYY-MM-DD, lists separated by ;). Searches are POSTed so that no personal "
                "data appears in URLs."
            ),
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}, {"session": []}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "planner_session"},
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {"type": "string"},
                        "message": {"type": "string"},
                        "status": {"type": "integer"},
                        "errors": {
                            "type": "object",
                            "additionalProperties": {"type": "string"},
                            "description": "what is wrong, by request field (page, filters, values, version_id...)",
                        },
                    },
                },
                "Record": {
                    "type": "object",
                    "properties": {
                        "pk": {"type": "integer"},
                        "version_id": {
                            "type": "integer",
                            "description": "send it back when saving (optimistic locking)",
                        },
                        "values": {
                            "type": "object",
                            "additionalProperties": {"type": ["string", "number", "boolean", "null"]},
                        },
                    },
                },
                "RecordWrite": {
                    "type": "object",
                    "required": ["values"],
                    "properties": {
                        "version_id": {"type": "integer"},
                        "values": {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
                    },
                },
                "Run": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "kind": {"type": "string", "enum": list(KINDS)},
                        "status": {"type": "string"},
                        "accepted": {"type": "boolean"},
                        "objective": {"type": ["number", "null"]},
                        "bound": {"type": ["number", "null"]},
                        "check_ok": {"type": ["boolean", "null"]},
                    },
                },
                "Job": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "kind": {"type": "string", "enum": list(KINDS)},
                        "state": {
                            "type": "string",
                            "enum": list(STATES),
                        },
                        "objective": {"type": ["number", "null"]},
                        "bound": {"type": ["number", "null"]},
                        "elapsed_s": {"type": "number"},
                        "run_id": {"type": ["integer", "null"]},
                        "message": {"type": "string", "description": "The solver's latest progress message (English)."},
                        "message_local": {
                            "type": ["string", "null"],
                            "description": "The progress message in the request's language (English when unknown).",
                        },
                        "error": {"type": ["string", "null"]},
                        "error_local": {
                            "type": ["string", "null"],
                            "description": "The error in the request's language where its sentence is known.",
                        },
                    },
                },
                "CellError": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string"},
                        "row": {"type": "integer"},
                        "column": {"type": "string"},
                        "message": {"type": "string"},
                    },
                },
            },
        },
        "paths": {
            "/api/me": {
                "get": {
                    "summary": "Who is calling, with which role",
                    "responses": {"200": _json({"type": "object"}), **common},
                }
            },
            "/api/dashboard": {
                "get": {"summary": "The dashboard figures", "responses": {"200": _json({"type": "object"}), **common}}
            },
            "/api/records": {
                "get": {
                    "summary": "Workbook files you may see and edit",
                    "responses": {"200": _json({"type": "array"}), **common},
                }
            },
            "/api/records/{file}": {
                "parameters": [file_param],
                "get": {
                    "summary": "List records (200 a page)",
                    "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}}],
                    "responses": {"200": _json({"type": "object"}), **common},
                },
                "post": {
                    "summary": "Add a record",
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RecordWrite"}}}
                    },
                    "responses": {
                        "201": _json({"$ref": "#/components/schemas/Record"}, "added"),
                        **bad_body,
                        "422": _json(
                            {"type": "object", "properties": {"errors": {"type": "object"}}},
                            "invalid values, by column",
                        ),
                        **common,
                    },
                },
            },
            "/api/records/{file}/search": {
                "parameters": [file_param],
                "post": {
                    "summary": "Search and filter records",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "q": {"type": "string"},
                                        "filters": {"type": "object"},
                                        "page": {"type": "integer"},
                                    },
                                }
                            }
                        }
                    },
                    "responses": {"200": _json({"type": "object"}), **bad_body, **common},
                },
            },
            "/api/records/{file}/{pk}": {
                "parameters": [file_param, pk],
                "get": {
                    "summary": "One record",
                    "responses": {"200": _json({"$ref": "#/components/schemas/Record"}), **common},
                },
                "put": {
                    "summary": "Change a record (send the version_id you read)",
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RecordWrite"}}}
                    },
                    "responses": {
                        "200": _json({"$ref": "#/components/schemas/Record"}),
                        "409": _json(
                            {"type": "object"}, "someone else changed it first; the current values are returned"
                        ),
                        "422": _json(
                            {"type": "object"}, "invalid values (or unknown columns, or no usable version_id), by field"
                        ),
                        **bad_body,
                        **common,
                    },
                },
                "delete": {
                    "summary": "Delete a record (send ?version_id= you read); refused while other records refer to it",
                    "parameters": [
                        {"name": "version_id", "in": "query", "schema": {"type": "integer"}},
                    ],
                    "responses": {
                        "204": {"description": "deleted"},
                        "409": _json(
                            {"type": "object", "properties": {"references": {"type": "array"}}},
                            "other records refer to it, or it changed since you read it",
                        ),
                        "422": _error("no usable version_id (a whole number) was sent"),
                        **common,
                    },
                },
            },
            "/api/report": {
                "get": {
                    "summary": "The half-year report's figures (value, unit, record count) for a period",
                    "parameters": [
                        {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
                        {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
                        {
                            "name": "lang",
                            "in": "query",
                            "schema": {"type": "string", "enum": ["zh-Hans", "zh-Hant", "en"]},
                        },
                    ],
                    "responses": {
                        "200": _json({"type": "object"}, "period, title and figures; default: latest half year"),
                        "422": _json({"type": "object", "properties": {"errors": {"type": "object"}}}, "bad period"),
                        **common,
                    },
                }
            },
            "/api/import": {
                "post": {
                    "summary": "Import a workbook (.xlsx or .zip of CSV files); all or nothing",
                    "requestBody": {
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"workbook": {"type": "string", "format": "binary"}},
                                }
                            }
                        }
                    },
                    "responses": {
                        "200": _json({"type": "object"}, "imported: what changed per file"),
                        "422": _json(
                            {
                                "type": "object",
                                "properties": {
                                    "errors": {"type": "array", "items": {"$ref": "#/components/schemas/CellError"}}
                                },
                            },
                            "rejected: every error; nothing was saved",
                        ),
                        **common,
                    },
                }
            },
            "/api/plans": {
                "get": {
                    "summary": "Plan runs, newest first",
                    "parameters": [{"name": "kind", "in": "query", "schema": {"type": "string", "enum": list(KINDS)}}],
                    "responses": {
                        "200": _json({"type": "array", "items": {"$ref": "#/components/schemas/Run"}}),
                        **common,
                    },
                }
            },
            "/api/plans/accepted": {
                "get": {
                    "summary": "The accepted plans' rows, per kind",
                    "responses": {"200": _json({"type": "object"}), **common},
                }
            },
            "/api/plans/{run_id}": {
                "parameters": [run_id],
                "get": {
                    "summary": "A run and its plan rows",
                    "responses": {"200": _json({"type": "object"}), **common},
                },
            },
            "/api/plans/{run_id}/compare": {
                "parameters": [run_id],
                "get": {
                    "summary": "What the run changes against the accepted plan: who moved, what it costs",
                    "responses": {"200": _json({"type": "object"}), **common},
                },
            },
            "/api/plans/{run_id}/accept": {
                "parameters": [run_id],
                "post": {
                    "summary": "Make the run the accepted plan of its kind",
                    "responses": {
                        "200": _json({"$ref": "#/components/schemas/Run"}),
                        "409": _error("cannot be accepted"),
                        **common,
                    },
                },
            },
            "/api/solves": {
                "post": {
                    "summary": "Start a solve as a background job",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["kind"],
                                    "properties": {
                                        "kind": {"type": "string", "enum": list(KINDS)},
                                        "time_limit_s": {"type": "number", "minimum": 1, "maximum": 3600},
                                    },
                                }
                            }
                        }
                    },
                    "responses": {
                        "202": _json({"type": "object", "properties": {"job_id": {"type": "string"}}}, "started"),
                        "400": _error("the body is no JSON object, or the time limit is no number from 1 to 3600"),
                        "422": _error("kind is not one of the planning kinds (named in errors)"),
                        **common,
                    },
                }
            },
            "/api/jobs/{job_id}": {
                "parameters": [job_id],
                "get": {
                    "summary": "Progress of a job (objective, bound, elapsed)",
                    "responses": {"200": _json({"$ref": "#/components/schemas/Job"}), **common},
                },
            },
            "/api/jobs/{job_id}/stop": {
                "parameters": [job_id],
                "post": {
                    "summary": "Stop a job; the best plan so far is kept",
                    "responses": {"200": _json({"type": "object"}), **common},
                },
            },
        },
    }
