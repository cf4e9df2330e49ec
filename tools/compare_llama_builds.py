#!/usr/bin/env python3
"""Compare llama-cpp-python builds of llama.cpp on this machine: prompt and decode tokens/s,
exit status, ISA scan.

scripts/setup.sh builds llama-cpp-python once for a fixed, portable x86-64 level (x86-64-v3: AVX2,
FMA, F16C, BMI2; no AVX-512/AMX), because llama.cpp's default build is tuned to the CPU it compiles
on and a build with AVX-512 or AMX faults on the project's other machines. This tool measures what
that choice costs here. For each build option it

  1. builds the llama-cpp-python wheel with the option's CMAKE_ARGS into a directory keyed by
     version and flags, as scripts/setup.sh does (so the `portable` option reuses the set-up's
     wheel; `--wheel OPTION=PATH` takes any existing wheel instead);
  2. installs it with `pip install --no-deps --target` into a directory of its own under /tmp, so
     the venv's llama_cpp is never touched;
  3. in a subprocess of this interpreter with PYTHONPATH set to that directory, loads the project's
     default LLM and measures, on command, prompt tokens/s (a fixed ~250-token prompt evaluated
     from
     an empty KV cache after `llm.reset()`) and decode tokens/s (64 greedy tokens); a build that
     crashes is a result too, reported by its signal (SIGSEGV, SIGILL, ...);
  4. counts the AVX-512 and AMX instructions in its libraries with tools/scan_isa.py --report.

The machine is shared and small (2 cores), so the options are measured interleaved: every build
stays loaded in its own process and each measurement is taken of every option back to back
(portable, avx512, portable, avx512, ...). Figures are medians over all rounds; the ratio to
`portable` is the median of the back-to-back ratios, so a burst of load from other work falls on
both sides of a ratio.

    .venv/bin/python tools/compare_llama_builds.py --options portable,avx512 --rounds 8
    .venv/bin/python tools/compare_llama_builds.py --options portable,avx512,native \
        --build-timeout native=600
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERSION = '0.3.36'

# Copied from scripts/setup.sh (LLAMA_CMAKE_ARGS); keep the two identical so the key below names
# the set-up's wheel directory.
PORTABLE = ('-DGGML_NATIVE=OFF -DGGML_CPU_ALL_VARIANTS=OFF -DGGML_BACKEND_DL=OFF '
            '-DGGML_SSE42=ON -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON '
            '-DGGML_BMI2=ON '
            '-DGGML_AVX_VNNI=OFF -DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF '
            '-DGGML_AVX512_BF16=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF')
# The flags appended later win in CMake, so this is the portable build plus AVX-512 and AVX-VNNI.
AVX512 = PORTABLE + (' -DGGML_AVX512=ON -DGGML_AVX512_VBMI=ON -DGGML_AVX512_VNNI=ON'
                     ' -DGGML_AVX_VNNI=ON')
OPTIONS = {
    # name: (CMAKE_ARGS, summary for the table)
    'portable': (PORTABLE, 'x86-64-v3: AVX2, FMA, F16C, BMI2; no AVX-512/AMX (scripts/setup.sh)'),
    'avx512': (AVX512, 'portable + AVX512F/BW/DQ/VL, AVX512_VBMI, AVX512_VNNI, AVX_VNNI'),
    'native': ('', 'llama.cpp defaults (GGML_NATIVE=ON: -march=native, AMX if the build CPU '
                   'has it)'),
}

# CPU flags that matter to llama.cpp's CPU backend, in the order the table lists them.
CPU_FLAGS = ['sse4_2', 'avx', 'avx2', 'fma', 'f16c', 'bmi2', 'avx_vnni', 'avx512f', 'avx512dq',
             'avx512bw', 'avx512vl', 'avx512cd', 'avx512_vnni', 'avx512vbmi', 'avx512_bf16',
             'avx512_fp16', 'amx_tile', 'amx_int8', 'amx_bf16']

# A fixed English prompt of about 250 tokens (Qwen2.5 tokenizer), ending in a question so that
# greedy decoding has something to say for 64 tokens.
PROMPT = (
    "You are the memory of a small home robot. Below are notes the robot stored while it watched "
    "the kitchen and the living room this morning, each with the time it was seen.\n"
    "08:02 A person in a grey sweater opened the fridge and took out a carton of milk.\n"
    "08:05 The kettle on the counter was switched on; steam was visible a minute later.\n"
    "08:20 The person read a newspaper at the table and drank from a blue mug.\n"
    "08:31 A delivery van stopped outside; the doorbell rang twice.\n"
    "08:33 The person came back with a cardboard box and put it on the sofa.\n"
    "08:40 The box was opened: it held three books and a small green plant in a pot.\n"
    "08:46 The plant was placed on the shelf above the television.\n"
    "09:03 The person put on a coat, took the keys from the bowl by the door and left.\n"
    "09:10 The cat moved from the kitchen to the sofa and slept next to the box.\n"
    "Question: what happened in the house between eight and nine this morning, and where are the "
    "plant and the cat now? Answer in a few sentences.\nAnswer:")


# --------------------------------------------------------------------------------------------
# Worker: runs in a subprocess with PYTHONPATH pointing at one build; one JSON object a line out.

def worker(args: argparse.Namespace) -> int:
    """Load one build and the model, warm up, then answer `prompt` / `decode` / `quit` on stdin."""
    def emit(**kw):
        print(json.dumps(kw), flush=True)

    import llama_cpp
    where = Path(llama_cpp.__file__).resolve()
    if args.expect_root and not str(where).startswith(str(Path(args.expect_root).resolve())):
        emit(event='error', error=f'llama_cpp imported from {where}, not {args.expect_root}')
        return 3
    t0 = time.perf_counter()
    llm = llama_cpp.Llama(model_path=args.model, n_threads=args.threads, n_ctx=2048, verbose=False)
    emit(event='loaded', llama_cpp=str(where), load_s=time.perf_counter() - t0)
    tokens = llm.tokenize(PROMPT.encode(), add_bos=True)
    emit(event='prompt', n_tokens=len(tokens))
    # One discarded evaluation first: it allocates the compute buffers.
    llm.reset()
    llm.eval(tokens)
    emit(event='ready')
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == 'prompt':
            # The whole prompt from an empty KV cache ("cold": no prefix reuse).
            llm.reset()
            t = time.perf_counter()
            llm.eval(tokens)
            dt = time.perf_counter() - t
            emit(event='prompt_eval', tps=len(tokens) / dt, s=dt)
        elif cmd == 'decode':
            # Greedy (temperature 0) from the same prompt, also from an empty cache; the rate is
            # taken over the tokens after the first, whose time includes the prompt evaluation.
            llm.reset()
            out, stamps = [], []
            for tok in llm.generate(tokens, temp=0.0, top_k=1, top_p=1.0, min_p=0.0,
                                    repeat_penalty=1.0, reset=True):
                stamps.append(time.perf_counter())
                out.append(tok)
                if len(out) >= args.decode_tokens:
                    break
            dt = stamps[-1] - stamps[0]
            text = llm.detokenize(out).decode('utf-8', 'replace')
            emit(event='decode', tps=(len(out) - 1) / dt, s=dt, n_tokens=len(out),
                 sha=hashlib.sha256(text.encode()).hexdigest()[:12], text=text)
        elif cmd == 'quit':
            break
    emit(event='done')
    return 0


class Worker:
    """One measuring subprocess (this script with --worker) holding one build and the model."""

    def __init__(self, name: str, target: Path, model: str, args: argparse.Namespace):
        self.name, self.timeout, self.events, self.status = name, args.run_timeout, [], None
        self.stage = 'start'
        env = dict(os.environ, PYTHONPATH=str(target))
        cmd = [sys.executable, str(Path(__file__).resolve()), '--worker', '--model', model,
               '--expect-root', str(target), '--threads', str(args.threads),
               '--decode-tokens', str(args.decode_tokens)]
        self.proc = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, bufsize=1)
        self._until('ready')

    def _until(self, event: str) -> dict | None:
        """Read events until `event`; None when the process ended (status then says how)."""
        self._timed_out = False

        def kill():
            self._timed_out = True
            self.proc.kill()
        timer = threading.Timer(self.timeout, kill)
        timer.start()
        try:
            for line in self.proc.stdout:
                try:
                    ev = json.loads(line)
                except ValueError:
                    continue
                self.events.append(ev)
                self.stage = ev.get('event', self.stage)
                if ev.get('event') == event:
                    return ev
        finally:
            timer.cancel()
        self._finish()
        return None

    def ask(self, cmd: str) -> dict | None:
        if self.status is not None:
            return None
        try:
            self.proc.stdin.write(cmd + '\n')
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass
        return self._until({'prompt': 'prompt_eval', 'decode': 'decode'}[cmd])

    def close(self) -> None:
        if self.status is None:
            try:
                self.proc.stdin.write('quit\n')
                self.proc.stdin.close()
            except BrokenPipeError:
                pass
            self._until('never')

    def _finish(self) -> None:
        rc = self.proc.wait()
        self.stderr = self.proc.stderr.read()[-2000:]
        if self._timed_out:
            self.status = f'timeout ({self.timeout:.0f} s)'
        elif rc == 0:
            self.status = 'ok'
        elif rc < 0:
            self.status = signal.Signals(-rc).name
        else:
            self.status = f'exit {rc}'


# --------------------------------------------------------------------------------------------
# Driver

def wheel_cache() -> Path:
    """The set-up's wheel cache (scripts/setup.sh: OMNILIVE_WHEEL_CACHE or XDG_CACHE_HOME)."""
    if os.environ.get('OMNILIVE_WHEEL_CACHE'):
        return Path(os.environ['OMNILIVE_WHEEL_CACHE'])
    return Path(os.environ.get('XDG_CACHE_HOME') or Path.home() / '.cache') / 'omnilive' / 'wheels'


def build_key(cmake_args: str) -> str:
    """As scripts/setup.sh computes it:
    printf '%s %s' "$LLAMA_VERSION" "$LLAMA_CMAKE_ARGS" | sha256sum | cut -c1-16"""
    return hashlib.sha256(f'{VERSION} {cmake_args}'.encode()).hexdigest()[:16]


def log(msg: str) -> None:
    print(f'[compare {time.strftime("%H:%M:%S")}] {msg}', file=sys.stderr, flush=True)


def build_wheel(name: str, cmake_args: str, timeout: float | None) -> tuple[Path | None, str]:
    """The option's wheel (cached by version + flags), building it when absent."""
    dest = wheel_cache() / f'llama-cpp-python-{build_key(cmake_args)}'
    found = sorted(dest.glob('llama_cpp_python-*.whl'))
    if found:
        return found[0], f'cached in {dest}'
    tmp = dest.with_name(f'{dest.name}.tmp-{os.getpid()}')
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    log_path = Path('/tmp') / f'compare_llama_build_{name}.log'
    env = dict(os.environ, CMAKE_ARGS=cmake_args, CMAKE_BUILD_PARALLEL_LEVEL='2')
    cmd = [sys.executable, '-m', 'pip', '--disable-pip-version-check', 'wheel', '--no-cache-dir',
           '--no-deps', '--no-binary', 'llama-cpp-python', f'llama-cpp-python=={VERSION}',
           '-w', str(tmp)]
    log(f'building {name} (CMAKE_ARGS={cmake_args!r}), log {log_path}')
    t0 = time.monotonic()
    with open(log_path, 'w') as fh:
        # Own process group, so a timeout stops cmake and the compilers too, not only pip.
        proc = subprocess.Popen(cmd, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            shutil.rmtree(tmp, ignore_errors=True)
            return None, f'build not finished within {timeout:.0f} s'
    minutes = (time.monotonic() - t0) / 60
    found = sorted(tmp.glob('llama_cpp_python-*.whl'))
    if rc != 0 or not found:
        shutil.rmtree(tmp, ignore_errors=True)
        return None, f'build failed (pip exit {rc}; see {log_path})'
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)
    log(f'built {name} in {minutes:.1f} min')
    return dest / found[0].name, f'built in {minutes:.1f} min into {dest}'


def install(name: str, wheel: Path, work: Path) -> Path:
    """Install the wheel (no dependencies) into a directory of its own; returns that directory."""
    target = work / f'{name}-{hashlib.sha256(str(wheel).encode()).hexdigest()[:8]}'
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run([sys.executable, '-m', 'pip', '--disable-pip-version-check', 'install', '-q',
                    '--no-deps', '--target', str(target), str(wheel)], check=True)
    return target


def scan(target: Path) -> dict:
    """tools/scan_isa.py --report over the build's shared libraries. A wheel cannot hold symlinks,
    so libfoo.so, libfoo.so.0 and libfoo.so.0.1.2 are three copies of one file: each is scanned
    and counted once, under its shortest name."""
    by_content: dict[str, Path] = {}
    for p in sorted((target / 'llama_cpp').rglob('*.so*'), key=lambda p: (len(p.name), p.name)):
        if p.is_file():
            by_content.setdefault(hashlib.sha256(p.read_bytes()).hexdigest(), p)
    libs = sorted(str(p) for p in by_content.values())
    out = subprocess.run([sys.executable, str(ROOT / 'tools' / 'scan_isa.py'), '--report', *libs],
                         capture_output=True, text=True, check=True).stdout
    per_lib, total = {}, {'avx512': 0, 'amx': 0}
    for line in out.splitlines():
        m = re.match(r'(.*): avx512=(\d+) amx=(\d+)$', line)
        if m:
            per_lib[Path(m[1]).name] = (int(m[2]), int(m[3]))
            total['avx512'] += int(m[2])
            total['amx'] += int(m[3])
    return {'per_lib': per_lib, **total}


def cpu_info() -> tuple[str, set[str]]:
    model, flags = 'unknown', set()
    for line in Path('/proc/cpuinfo').read_text().splitlines():
        if line.startswith('model name') and model == 'unknown':
            model = line.split(':', 1)[1].strip()
        elif line.startswith('flags') and not flags:
            flags = set(line.split(':', 1)[1].split())
    return model, flags


def fmt(x: float | None, digits: int = 1) -> str:
    return '-' if x is None else f'{x:,.{digits}f}'


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--options', default='portable,avx512',
                    help=f'comma-separated build options to compare, of {sorted(OPTIONS)}; '
                         'ratios are to portable, so it is always measured')
    ap.add_argument('--wheel', action='append', default=[], metavar='OPTION=PATH',
                    help='use this existing wheel for OPTION instead of the keyed cache')
    ap.add_argument('--build-timeout', action='append', default=[], metavar='[OPTION=]SECONDS',
                    help='give up building (an option) after this long; default no limit')
    ap.add_argument('--rounds', type=int, default=5, help='interleaved rounds of measurements')
    ap.add_argument('--prompt-repeats', type=int, default=3,
                    help='timed prompt evaluations a round')
    ap.add_argument('--decode-repeats', type=int, default=1, help='timed generations a round')
    ap.add_argument('--decode-tokens', type=int, default=64)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--run-timeout', type=float, default=600,
                    help='seconds a measuring process may take for its start-up or one '
                         'measurement')
    ap.add_argument('--model', help="GGUF to load; default: the project's default LLM")
    ap.add_argument('--work', type=Path, default=Path('/tmp/omnilive-llama-compare'),
                    help='where the builds are installed (--target directories)')
    ap.add_argument('--json', type=Path, help='also write the raw results here')
    ap.add_argument('--worker', action='store_true', help=argparse.SUPPRESS)
    ap.add_argument('--expect-root', help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker(args)

    names = [n.strip() for n in args.options.split(',') if n.strip()]
    unknown = [n for n in names if n not in OPTIONS]
    if unknown:
        ap.error(f'unknown option(s) {unknown}; known: {sorted(OPTIONS)}')
    if 'portable' not in names:
        names.insert(0, 'portable')
    wheels_given = dict(w.split('=', 1) for w in args.wheel)
    timeouts: dict[str, float] = {}
    for t in args.build_timeout:
        opt, _, secs = t.rpartition('=')
        timeouts[opt or '*'] = float(secs)
    if args.model is None:
        sys.path.insert(0, str(ROOT / 'src'))
        from omnilive.models.registry import default_path
        args.model = str(default_path('llm'))

    cpu_model, flags = cpu_info()
    load_start = os.getloadavg()
    started = time.strftime('%Y-%m-%d %H:%M %Z')
    t_start = time.monotonic()

    results: dict[str, dict] = {}
    for name in names:
        cmake_args, summary = OPTIONS[name]
        res = results[name] = {'cmake_args': cmake_args, 'summary': summary, 'runs': []}
        if name in wheels_given:
            wheel, how = Path(wheels_given[name]), 'given with --wheel'
        else:
            wheel, how = build_wheel(name, cmake_args, timeouts.get(name, timeouts.get('*')))
        res['wheel'], res['build'] = (str(wheel) if wheel else None), how
        if wheel is None:
            log(f'{name}: {how}')
            continue
        res['target'] = str(install(name, wheel, args.work))
        res['scan'] = scan(Path(res['target']))
        log(f'{name}: {how}; scan avx512={res["scan"]["avx512"]} amx={res["scan"]["amx"]}')

    runnable = [n for n in names if results[n].get('target')]
    workers: dict[str, Worker] = {}
    for name in runnable:
        res = results[name]
        res.update(prompt_samples=[], decode_samples=[], prompt_ratios=[], decode_ratios=[])
        workers[name] = Worker(name, Path(res['target']), args.model, args)
        log(f'{name}: worker started' if workers[name].status is None
            else f'{name}: worker ended during start-up: {workers[name].status}')

    def measure(kind: str) -> None:
        """One sample of every option, back to back, and each one's ratio to portable's."""
        got = {}
        for name in runnable:
            ev = workers[name].ask(kind)
            if ev is not None:
                got[name] = ev['tps']
                results[name][f'{kind}_samples'].append(ev['tps'])
        if 'portable' in got:
            for name, tps in got.items():
                results[name][f'{kind}_ratios'].append(tps / got['portable'])

    rounds_done = 0
    try:
        for r in range(1, args.rounds + 1):
            for _ in range(args.prompt_repeats):
                measure('prompt')
            for _ in range(args.decode_repeats):
                measure('decode')
            rounds_done = r
            def recent(n, kind, repeats, digits):
                return [round(x, digits) for x in results[n][f'{kind}_samples'][-repeats:]]
            log(f'round {r}: ' + '; '.join(
                f'{n} prompt {recent(n, "prompt", args.prompt_repeats, None)} '
                f'decode {recent(n, "decode", args.decode_repeats, 1)} '
                f'({workers[n].status or "running"})' for n in runnable))
    except KeyboardInterrupt:   # report the rounds completed so far
        log(f'interrupted after {rounds_done} complete rounds')
    finally:
        for w in workers.values():
            w.close()
    args.rounds = rounds_done
    load_end = os.getloadavg()
    minutes = (time.monotonic() - t_start) / 60

    # Summaries
    def med(xs):
        return statistics.median(xs) if xs else None

    for name in names:
        res = results[name]
        w = workers.get(name)
        evs = w.events if w else []
        for kind in ('prompt', 'decode'):
            res.setdefault(f'{kind}_samples', [])
            res.setdefault(f'{kind}_ratios', [])
            res[f'{kind}_tps'] = med(res[f'{kind}_samples'])
            res[f'{kind}_ratio'] = med(res[f'{kind}_ratios'])
        res['texts'] = sorted({e['sha'] for e in evs if e.get('event') == 'decode'})
        res['first_text'] = next((e['text'] for e in evs if e.get('event') == 'decode'), None)
        res['n_prompt'] = next((e['n_tokens'] for e in evs if e.get('event') == 'prompt'), None)
        if w is None:
            res['status'] = f'not built: {res["build"]}'
        elif w.status == 'ok':
            res['status'] = 'ok'
        else:
            res['status'] = f'{w.status} after "{w.stage}"'
            res['stderr'] = w.stderr
    base = results['portable']
    n_prompt = base.get('n_prompt') or next(
        (r['n_prompt'] for r in results.values() if r.get('n_prompt')), '?')
    lines = []
    out = lines.append
    out(f'CPU: {cpu_model}, {os.cpu_count()} logical CPUs; flags: '
        + ', '.join(f for f in CPU_FLAGS if f in flags)
        + '; absent: ' + (', '.join(f for f in CPU_FLAGS if f not in flags) or 'none'))
    out('')
    out(f'Run {started}, {minutes:.1f} min; load average (1, 5, 15 min) at start '
        f'{[round(x, 2) for x in load_start]}, at end {[round(x, 2) for x in load_end]}. '
        f'Model {Path(args.model).name}, n_threads={args.threads}, n_ctx=2048. The CPU is '
        'shared with other work, so the options ran interleaved: each build is loaded in a '
        'process of its own, and every measurement is taken of each option back to back '
        f'({", ".join(runnable)}, {", ".join(runnable)}, ...), {args.rounds} rounds, so that '
        'load from other work falls on all of them alike. '
        f'Prompt: {n_prompt} tokens evaluated from an empty KV cache after llm.reset() '
        f'(after one discarded warm-up), {args.prompt_repeats} a round; decode: '
        f'{args.decode_tokens} greedy tokens (temperature 0), {args.decode_repeats} a round. '
        'tok/s are medians of all samples; "vs portable" is the median of the ratios of '
        'back-to-back samples (each sample over the portable sample taken just before it).')
    out('')
    out('| option | flags | prompt tok/s | vs portable | decode tok/s | vs portable '
        '| exit status | AVX-512 insns | AMX insns |')
    out('|---|---|---|---|---|---|---|---|---|')
    for name in names:
        res = results[name]
        sc = res.get('scan') or {}
        ratio_p = '-' if res['prompt_ratio'] is None else f'{res["prompt_ratio"]:.2f}x'
        ratio_d = '-' if res['decode_ratio'] is None else f'{res["decode_ratio"]:.2f}x'
        out(f'| {name} | {res["summary"]} | {fmt(res["prompt_tps"])} | {ratio_p} '
            f'| {fmt(res["decode_tps"])} | {ratio_d} | {res["status"]} '
            f'| {sc.get("avx512", "-")} | {sc.get("amx", "-")} |')
    out('')
    for name in names:
        res = results[name]
        pe = ', '.join(f'{x:.0f}' for x in res['prompt_samples']) or '-'
        de = ', '.join(f'{x:.1f}' for x in res['decode_samples']) or '-'
        same = ''
        if res['texts'] and base['texts'] and name != 'portable':
            same = ('; greedy output identical to portable' if res['texts'] == base['texts']
                    else '; greedy output differs from portable')
        libs = ', '.join(f'{lib} {a}/{m}'
                         for lib, (a, m) in (res.get('scan') or {}).get('per_lib', {}).items())
        out(f'- {name}: CMAKE_ARGS=`{res["cmake_args"] or "(none)"}`; wheel {res["build"]}; '
            f'samples: prompt [{pe}] tok/s, decode [{de}] tok/s{same}'
            + (f'; scan (avx512/amx) per library: {libs}' if libs else ''))
    if base.get('first_text'):
        out('')
        out(f'Greedy continuation (portable): "{base["first_text"].strip()[:300]}"')
    text = '\n'.join(lines)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({'cpu': cpu_model, 'flags': sorted(flags),
                                         'results': results, 'markdown': text}, indent=1))
    return 0 if base['status'] == 'ok' else 1


if __name__ == '__main__':
    sys.exit(main())
