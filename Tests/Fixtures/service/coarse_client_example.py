"""A worker in Python for symstudy's coarse study API (the worked example of the README): the server samples
and prunes, so a trial costs Ask + Tell plus one Report per step. Stubs come from the .proto:

    pip install grpcio grpcio-tools
    python -m grpc_tools.protoc -I Protos --python_out=. --grpc_python_out=. Protos/symstudy_study_service.proto

Usage: python coarse_client_example.py --port P [--trials N]   (stubs importable from the current folder)
"""
import argparse
import json

import grpc
import symstudy_study_service_pb2 as pb
import symstudy_study_service_pb2_grpc as pb_grpc

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, default=13000)
ap.add_argument("--trials", type=int, default=20)
a = ap.parse_args()

stub = pb_grpc.StudyServiceStub(grpc.insecure_channel(f"127.0.0.1:{a.port}"))
study = stub.CreateStudy(pb.CreateStudyRequest(
    study_name="python-worker", directions=[pb.MINIMIZE], load_if_exists=True,
    sampler=pb.Component(name="TPESampler", kwargs=json.dumps({"seed": 1, "n_startup_trials": 5})),
    pruner=pb.Component(name="MedianPruner", kwargs=json.dumps({"n_startup_trials": 3}))))
space = {
    "x": json.dumps({"name": "FloatDistribution", "attributes": {"low": -5.0, "high": 5.0, "log": False, "step": None}}),
    "depth": json.dumps({"type": "int", "low": 1, "high": 8}),
    "op": json.dumps({"type": "categorical", "choices": ["add", "mul"]}),
}
for _ in range(a.trials):
    asked = stub.Ask(pb.AskRequest(study=pb.StudyRef(study_id=study.study_id), search_space=space))
    params = {name: json.loads(value) for name, value in asked.params.items()}
    state, values = pb.COMPLETE, []
    for step in range(5):
        loss = (params["x"] - 1) ** 2 + 0.1 * params["depth"] + (0.3 if params["op"] == "mul" else 0) + 1 / (step + 1)
        if stub.Report(pb.ReportRequest(trial_id=asked.trial_id, step=step, value=loss)).should_prune:
            state = pb.PRUNED
            break
    else:
        values = [loss]
    stub.Tell(pb.TellRequest(trial_id=asked.trial_id, state=state, values=values,
                             user_attributes={"expression": json.dumps(f"{params['op']}(x, {params['depth']})")}))

best = stub.BestTrials(pb.StudyRef(study_name="python-worker")).trials[0]
print(json.dumps({"best_number": best.number, "best_value": best.values[0],
                  "best_params": {k: json.loads(v) for k, v in best.params.items()}}))
