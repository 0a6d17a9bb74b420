"""Bad input to a server of Optuna's StorageService, sent with the stubs Optuna ships (and through
GrpcStorageProxy where it maps the status to an exception). Every case must get the expected status code
and a message naming what was wrong, and the server must keep serving with its storage unchanged.
Prints one JSON object {case: [code, message]}.

Usage: python bad_input_checks.py --port P [--token T]
"""
import argparse
import json
import warnings


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    a = ap.parse_args()
    warnings.filterwarnings("ignore")
    import grpc
    import optuna
    from optuna.exceptions import UpdateFinishedTrialError
    from optuna.storages import GrpcStorageProxy
    from optuna.storages._grpc.auto_generated import api_pb2 as pb
    from optuna.storages._grpc.auto_generated import api_pb2_grpc as pb_grpc
    optuna.logging.set_verbosity(optuna.logging.ERROR)

    channel = grpc.insecure_channel(f"{a.host}:{a.port}", options=[("grpc.max_send_message_length", -1)])
    stub = pb_grpc.StorageServiceStub(channel)
    seen = {}

    def expect(case, code, call):
        try:
            call()
        except grpc.RpcError as e:
            assert e.code() == code, (case, e.code(), e.details())
            seen[case] = [e.code().name, e.details()]
            return
        raise AssertionError(f"{case}: no error")

    study_id = stub.CreateNewStudy(pb.CreateNewStudyRequest(directions=[pb.MINIMIZE], study_name="bad-input")).study_id
    trial_id = stub.CreateNewTrial(pb.CreateNewTrialRequest(study_id=study_id, template_trial_is_none=True)).trial_id
    good = '{"name": "FloatDistribution", "attributes": {"low": 0.0, "high": 1.0, "log": false, "step": null}}'
    stub.SetTrialParameter(pb.SetTrialParameterRequest(trial_id=trial_id, param_name="x", param_value_internal=0.5, distribution=good))
    before = stub.GetTrials(pb.GetTrialsRequest(study_id=study_id, trial_id_greater_than=-1)).SerializeToString(deterministic=True)

    expect("duplicate_study", grpc.StatusCode.ALREADY_EXISTS,
           lambda: stub.CreateNewStudy(pb.CreateNewStudyRequest(directions=[pb.MINIMIZE], study_name="bad-input")))
    expect("unknown_study", grpc.StatusCode.NOT_FOUND, lambda: stub.GetStudyDirections(pb.GetStudyDirectionsRequest(study_id=987654)))
    expect("unknown_trial", grpc.StatusCode.NOT_FOUND, lambda: stub.GetTrial(pb.GetTrialRequest(trial_id=987654)))
    expect("unknown_trial_number", grpc.StatusCode.NOT_FOUND,
           lambda: stub.GetTrialIdFromStudyIdTrialNumber(pb.GetTrialIdFromStudyIdTrialNumberRequest(study_id=study_id, trial_number=99)))
    expect("malformed_distribution", grpc.StatusCode.INVALID_ARGUMENT,
           lambda: stub.SetTrialParameter(pb.SetTrialParameterRequest(trial_id=trial_id, param_name="y", param_value_internal=0.5, distribution='{"name": "Nope"')))
    expect("incompatible_distribution", grpc.StatusCode.INVALID_ARGUMENT,
           lambda: stub.SetTrialParameter(pb.SetTrialParameterRequest(trial_id=trial_id, param_name="x", param_value_internal=1,
                                                                        distribution='{"name": "IntDistribution", "attributes": {"low": 0, "high": 3, "log": false, "step": 1}}')))
    expect("malformed_attribute_json", grpc.StatusCode.INVALID_ARGUMENT,
           lambda: stub.SetTrialUserAttribute(pb.SetTrialUserAttributeRequest(trial_id=trial_id, key="k", value="{not json")))
    expect("unknown_state", grpc.StatusCode.INVALID_ARGUMENT,
           lambda: stub.SetTrialStateValues(pb.SetTrialStateValuesRequest(trial_id=trial_id, state=9, values=[1.0])))
    expect("oversized_message", grpc.StatusCode.INVALID_ARGUMENT,
           lambda: stub.SetTrialUserAttribute(pb.SetTrialUserAttributeRequest(trial_id=trial_id, key="big", value='"' + "x" * (5 << 20) + '"')))
    # Not a protobuf message at all, on a real method path.
    raw = channel.unary_unary("/optuna.StorageService/GetTrial", request_serializer=lambda b: b, response_deserializer=lambda b: b)
    expect("malformed_message", grpc.StatusCode.INVALID_ARGUMENT, lambda: raw(b"\xff\xff\xff\xff\x0f"))
    after = stub.GetTrials(pb.GetTrialsRequest(study_id=study_id, trial_id_greater_than=-1)).SerializeToString(deterministic=True)
    assert before == after, "the storage changed"

    # Finished trials, through Optuna's client and its exception mapping.
    storage = GrpcStorageProxy(host=a.host, port=a.port)
    storage.set_trial_state_values(trial_id, optuna.trial.TrialState.COMPLETE, [1.0])
    for case, call in [("finished_state", lambda: storage.set_trial_state_values(trial_id, optuna.trial.TrialState.COMPLETE, [2.0])),
                       ("finished_param", lambda: storage.set_trial_param(trial_id, "z", 0.5, optuna.distributions.FloatDistribution(0, 1))),
                       ("finished_value", lambda: storage.set_trial_intermediate_value(trial_id, 1, 0.5)),
                       ("finished_attr", lambda: storage.set_trial_user_attr(trial_id, "k", 1))]:
        try:
            call()
        except UpdateFinishedTrialError as e:
            seen[case] = ["UpdateFinishedTrialError", str(e)]
            continue
        raise AssertionError(f"{case}: no UpdateFinishedTrialError")
    try:
        storage.set_trial_param(storage.create_new_trial(study_id), "x", 1, optuna.distributions.IntDistribution(0, 3))
        raise AssertionError("incompatible distribution accepted")
    except ValueError as e:
        seen["client_value_error"] = ["ValueError", str(e)]
    try:
        optuna.load_study(study_name="no-such-study", storage=storage)
        raise AssertionError("unknown study loaded")
    except KeyError as e:
        seen["client_key_error"] = ["KeyError", str(e)]
    trial = storage.get_trial(trial_id)
    assert trial.values == [1.0] and list(trial.params) == ["x"], (trial.values, trial.params)
    # Still serving.
    assert stub.GetStudyNameFromId(pb.GetStudyNameFromIdRequest(study_id=study_id)).study_name == "bad-input"
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
