/// The Python side of the bridge: a worker that reads one JSON request per line on stdin and writes one JSON
/// reply per line on stdout. Requests: `make` (kind gym or ocatari, id), `reset` (seed), `step` (action),
/// `set_state` (classic control: the unwrapped env's `state`), `close`. Replies carry the observation,
/// reward, flags, the internal state where the env has one, and OCAtari's objects (category, x, y, w, h).
enum BridgeWorkerScript {
    static let source = #"""
import json, sys

def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()

def missing(exc, packages):
    reply({"error": f"{type(exc).__name__}: {exc}", "install": packages})
    sys.exit(0)

try:
    import numpy as np
    import gymnasium as gym
except Exception as e:
    missing(e, "gymnasium")

env = None
kind = None

def plain(x):
    if isinstance(x, np.ndarray):
        return [float(v) for v in x.reshape(-1)]
    if isinstance(x, (list, tuple)):
        return [float(v) for v in np.asarray(x, dtype=np.float64).reshape(-1)]
    return [float(x)]

def objects():
    if kind != "ocatari":
        return None
    out = []
    for o in env.objects:
        name = getattr(o, "category", type(o).__name__)
        if name == "NoObject" or not getattr(o, "visible", True):
            continue
        out.append({"category": str(name), "x": float(o.x), "y": float(o.y), "w": float(o.w), "h": float(o.h)})
    return out

def internal_state():
    s = getattr(env.unwrapped, "state", None)
    if s is None or kind == "ocatari":
        return None
    try:
        return [float(v) for v in np.asarray(s, dtype=np.float64).reshape(-1)]
    except Exception:
        return None

def observe(obs, extra):
    out = {"observation": [] if kind == "ocatari" else plain(obs), "state": internal_state(), "objects": objects()}
    out.update(extra)
    return out

for line in sys.stdin:
    try:
        req = json.loads(line)
        cmd = req["cmd"]
        if cmd == "make":
            kind = req["kind"]
            if kind == "ocatari":
                try:
                    from ocatari.core import OCAtari
                except Exception as e:
                    missing(e, "ocatari ale-py gymnasium")
                name = req["id"] if req["id"].startswith("ALE/") else "ALE/" + req["id"]
                env = OCAtari(name, mode="ram", hud=False, obs_mode="obj", render_mode=None)
            else:
                env = gym.make(req["id"])
            space = env.action_space
            if isinstance(space, gym.spaces.Discrete):
                desc = {"type": "discrete", "n": int(space.n)}
            else:
                desc = {"type": "box", "low": plain(space.low), "high": plain(space.high)}
            spec = getattr(env, "spec", None)
            limit = getattr(spec, "max_episode_steps", None) if spec is not None else None
            reply({"action_space": desc, "max_episode_steps": limit or 0,
                   "observation_size": 0 if kind == "ocatari" else int(np.prod(env.observation_space.shape))})
        elif cmd == "reset":
            obs, info = env.reset(seed=req.get("seed"))
            reply(observe(obs, {}))
        elif cmd == "set_state":
            env.reset()
            env.unwrapped.state = np.asarray(req["state"], dtype=np.float64)
            if hasattr(env.unwrapped, "steps_beyond_terminated"):
                env.unwrapped.steps_beyond_terminated = None
            reply(observe(env.unwrapped.state, {}))
        elif cmd == "step":
            a = req["action"]
            if isinstance(env.action_space, gym.spaces.Discrete):
                a = int(a[0]) if isinstance(a, list) else int(a)
            else:
                a = np.asarray(a if isinstance(a, list) else [a], dtype=env.action_space.dtype)
            obs, reward, terminated, truncated, info = env.step(a)
            reply(observe(obs, {"reward": float(reward), "terminated": bool(terminated), "truncated": bool(truncated)}))
        elif cmd == "close":
            env.close()
            reply({"closed": True})
            break
        else:
            reply({"error": f"unknown command {cmd}"})
    except Exception as e:
        reply({"error": f"{type(e).__name__}: {e}"})
"""#
}
