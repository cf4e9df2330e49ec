#!/usr/bin/env python3
"""Scan shared libraries for AVX-512 and AMX instructions (objdump disassembly).

A library built for the CPU it was compiled on (llama.cpp's GGML_NATIVE) can hold AVX-512 or AMX
code that faults on another machine of this project's kind. The set-up runs this on its own build
of llama.cpp and stops if any such instruction is there; `--report` only prints the counts (for
libraries such as onnxruntime that reach them only after a run-time CPU check).

    python tools/scan_isa.py --package llama_cpp          # exit 1 when any is found
    python tools/scan_isa.py --report path/to/lib.so ...  # counts only
"""
from __future__ import annotations

import argparse
import importlib.util
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

# Operands only AVX-512 (EVEX) encodes: zmm, the upper 16 xmm/ymm, opmask registers, masking,
# broadcast and embedded rounding; AMX tile registers.
AVX512_OPERAND = re.compile(
    r'%zmm\d+|%[xy]mm(?:1[6-9]|2\d|3[01])\b|%k[0-7]\b|\{%k[1-7]\}|\{z\}|\{1to\d+\}|-sae\}|\{sae\}')
AMX_OPERAND = re.compile(r'%tmm[0-7]\b')
AMX_MNEMONIC = re.compile(r'^(?:ldtilecfg|sttilecfg|tileloadd\w*|tilestored|tilezero|tilerelease|'
                          r'tdpb[su][su]d|tdpbf16ps|tdpfp16ps)\b')
# Mnemonics that exist only in AVX-512 (never VEX-encoded), in case an operand test misses one.
AVX512_MNEMONIC = re.compile(
    r'^(?:vpternlog[dq]|vperm[it]2\w+|v(?:p)?compress\w*|v(?:p)?expand\w*|k(?:mov|and|or|xor|not|'
    r'shift|test|unpck|add)\w*|vpmovm2\w|vpmov\w2m|vfixupimm\w+|vgetexp\w+|vgetmant\w+|'
    r'vrndscale\w+|vreduce\w+|vrange\w+|vscalef\w+|vpconflict\w|vplzcnt\w|vpmultishiftqb|'
    r'vpopcnt[bwdq]|vdbpsadbw|vpshl?d\w*|vpshrd\w*|vcvtne2ps2bf16|vdpbf16ps|vperm[bw]|valign[dq]|'
    r'vpro[lr]v?[dq])\b')


def scan(lib: Path) -> Counter:
    """Counts of AVX-512 and AMX instructions in one shared library's code."""
    out = subprocess.run(['objdump', '-d', '--no-show-raw-insn', str(lib)], check=True,
                         capture_output=True, text=True).stdout
    counts: Counter = Counter()
    for line in out.splitlines():
        parts = line.split('\t')
        if len(parts) < 2:
            continue
        insn = parts[-1].strip()
        if AMX_MNEMONIC.match(insn) or AMX_OPERAND.search(insn):
            counts['amx'] += 1
        elif AVX512_MNEMONIC.match(insn) or AVX512_OPERAND.search(insn):
            counts['avx512'] += 1
    return counts


def package_libraries(package: str) -> list[Path]:
    """The shared libraries inside an installed Python package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f'scan_isa: package {package!r} is not installed')
    root = Path(next(iter(spec.submodule_search_locations)))
    # each library once, not once per symlink (libx.so -> libx.so.0 -> libx.so.0.1)
    return sorted({p.resolve() for p in root.rglob('*.so*') if p.is_file()})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('libraries', nargs='*', type=Path)
    ap.add_argument('--package', action='append', default=[],
                    help='scan every shared library of this installed Python package')
    ap.add_argument('--report', action='store_true', help='print counts, never fail')
    args = ap.parse_args(argv)
    libs = list(args.libraries)
    for package in args.package:
        libs += package_libraries(package)
    if not libs:
        ap.error('nothing to scan')
    bad = 0
    for lib in libs:
        counts = scan(lib)
        bad += counts['avx512'] + counts['amx']
        print(f'{lib}: avx512={counts["avx512"]} amx={counts["amx"]}')
    if bad and not args.report:
        print('scan_isa: AVX-512/AMX instructions found: this build would fault on CPUs without '
              'them', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
