#!/usr/bin/env python3
"""Compares the machine code of same-named functions of two modules of a
binary, ignoring where they sit (and the module in the names they call):
prints `<fn>: identical` or `<fn>: differ` per function. Used by
benches/run.sh for the zero-cost bench (`#[dual]` blocking twin vs
hand-written sync).

Usage: compare_code.py <binary> <module::a> <module::b> <fn>...
A `<fn>` of the form `name_a=name_b` compares differently named functions
(`checksum=blocking_checksum`: a hand-written fn against a `#[dual]` twin).
"""

import re
import subprocess
import sys


def instructions(binary, module, name):
    """The function's instructions, addresses and absolute targets removed."""
    symbol = f"{module}::{name}"
    out = subprocess.run(
        ["objdump", "-d", "-C", "--no-show-raw-insn", f"--disassemble={symbol}", binary],
        check=True, capture_output=True, text=True).stdout
    body = out.split(f"<{symbol}>:", 1)[-1]
    lines = []
    for line in body.splitlines():
        parts = line.split("\t", 1)
        if len(parts) != 2 or not parts[0].strip().endswith(":"):
            continue
        insn = parts[1].split("#", 1)[0].strip()
        # A jump inside the function keeps its offset; any other target or
        # rip-relative operand only keeps what it names.
        insn = re.sub(r"[0-9a-f]+ <" + re.escape(symbol) + r"(\+0x[0-9a-f]+)?>", r"<self\1>", insn)
        insn = re.sub(r"[0-9a-f]+ <([^>]*)>", r"<\1>", insn)
        insn = re.sub(r"-?0x[0-9a-f]+\(%rip\)", "<rip>", insn)
        insn = insn.replace(f"<{module}::", "<module::")
        lines.append(insn)
    return lines


def addresses(binary):
    """Each demangled function symbol's address (`nm`)."""
    out = subprocess.run(["nm", "-C", binary], check=True, capture_output=True, text=True).stdout
    found = {}
    for line in out.splitlines():
        address, _, rest = line.partition(" ")
        kind, _, symbol = rest.partition(" ")
        if kind in ("t", "T"):
            found[symbol] = address
    return found


def main():
    binary, a, b, *names = sys.argv[1:]
    symbols = addresses(binary)
    for name in names:
        name_a, _, name_b = name.partition("=")
        name_b = name_b or name_a
        code_a, code_b = instructions(binary, a, name_a), instructions(binary, b, name_b)
        at_a, at_b = symbols.get(f"{a}::{name_a}"), symbols.get(f"{b}::{name_b}")
        if at_a is not None and at_a == at_b:
            # Identical functions folded into one body: objdump shows it
            # under one of the names only.
            count = len(code_a or code_b)
            print(f"{name}: identical ({count} instructions; one body, the linker folded them)")
        elif not code_a or not code_b:
            print(f"{name}: not found")
        elif code_a == code_b:
            print(f"{name}: identical ({len(code_a)} instructions)")
        else:
            print(f"{name}: differ ({len(code_a)} vs {len(code_b)} instructions)")


if __name__ == "__main__":
    main()
