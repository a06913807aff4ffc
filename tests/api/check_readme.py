#!/usr/bin/env python3
"""check_readme.py BASE README: runs the curl examples of
examples/api/README.md, in order, against the server at BASE (an empty
database), and compares each answer with the line the README shows."""
import re
import subprocess
import sys


def main():
    base, readme = sys.argv[1:]
    text = open(readme, encoding="utf-8").read()
    count = 0
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        lines = block.split("\n")
        i = 0
        while i < len(lines):
            if lines[i].startswith("$ curl"):
                cmd = lines[i][2:]
                while cmd.endswith("\\"):
                    i += 1
                    cmd = cmd[:-1] + lines[i].strip()
                cmd = cmd.replace("localhost:8000", base)
                got = subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout
                if got != lines[i + 1]:
                    sys.exit("check_readme.py: %s\n  README: %s\n  server: %s" % (cmd, lines[i + 1], got))
                count += 1
            i += 1
    if count < 10:
        sys.exit("check_readme.py: only %d examples found" % count)
    print("the %d curl examples of examples/api/README.md answer as shown" % count)


if __name__ == "__main__":
    main()
