"""optuna-dashboard's Python API serving a study through GrpcStorageProxy pointed at a server: calls the
dashboard's WSGI app in-process for /api/studies and /api/studies/<id> and prints what it saw as JSON.

Usage: python dashboard_check.py --port P --study NAME
"""
import argparse
import io
import json
import warnings


def call(app, path):
    status = {}
    def start_response(code, headers, exc_info=None):
        status["code"] = code
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "localhost",
               "SERVER_PORT": "80", "wsgi.input": io.BytesIO(b""), "wsgi.url_scheme": "http", "wsgi.errors": io.StringIO(),
               "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False}
    body = b"".join(app(environ, start_response))
    assert status["code"].startswith("200"), (path, status, body[:300])
    return json.loads(body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--study", required=True)
    a = ap.parse_args()
    warnings.filterwarnings("ignore")
    import optuna
    from optuna.storages import GrpcStorageProxy
    from optuna_dashboard import wsgi
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    storage = GrpcStorageProxy(host=a.host, port=a.port)
    storage.wait_server_ready(timeout=20)
    app = wsgi(storage)
    studies = call(app, "/api/studies")["study_summaries"]
    match = [s for s in studies if s["study_name"] == a.study]
    assert match, [s["study_name"] for s in studies]
    detail = call(app, f"/api/studies/{match[0]['study_id']}")
    print(json.dumps({"studies": len(studies), "trials": len(detail["trials"]),
                      "best": detail["best_trials"][0]["values"] if detail["best_trials"] else None,
                      "params": sorted(p["name"] for p in detail["union_search_space"])}))


if __name__ == "__main__":
    main()
