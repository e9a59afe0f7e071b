#!/usr/bin/python3
"""Checks the CI configurations the tutorial "Your own scenario and budget in CI" shows (they cannot run here: they
need GitHub or GitLab): each file is valid YAML of the expected shape, and its `oobsim ...` commands run against this
build and write the JUnit report the job publishes.

Usage: check_ci_snippets.py --root ROOT --build-dir BUILD FILE.yml...
Exit status 77 (skipped) without PyYAML (Debian's python3-yaml), which the project does not need otherwise.
"""

import argparse
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_docs import make_sandbox  # noqa: E402


def commands_of(doc):
    """The shell lines of a GitHub workflow (jobs.*.steps[].run) or a GitLab CI file (<job>.script[]), and the JUnit
    paths they publish."""
    lines, reports = [], []
    if "jobs" in doc:
        for job in doc["jobs"].values():
            for step in job["steps"]:
                if "run" in step:
                    lines += step["run"].split("\n")
                if "with" in step and "path" in step["with"]:
                    reports.append(step["with"]["path"])
    else:
        for name, job in doc.items():
            if isinstance(job, dict) and "script" in job:
                lines += job["script"]
                reports.append(job["artifacts"]["reports"]["junit"])
    return [line.strip() for line in lines if line.strip()], reports


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    try:
        import yaml
    except ImportError:
        print("PyYAML (python3-yaml) not installed: skipped")
        return 77
    status = 0
    for path in args.files:
        with open(path) as f:
            doc = yaml.safe_load(f)
        lines, reports = commands_of(doc)
        oobsim_lines = [line for line in lines if line.startswith("oobsim ")]
        if not oobsim_lines or not reports:
            print(f"{path}: no `oobsim ...` command or no JUnit report found")
            status = 1
            continue
        sandbox = make_sandbox(os.path.abspath(args.root), os.path.abspath(args.build_dir))
        try:
            env = dict(os.environ, PYTHONPATH="python", OOBSIM_BUILD_DIR=os.path.abspath(args.build_dir))
            for line in oobsim_lines:
                # `oobsim` is the launcher scripts/setup.sh installs: python3 -m oobsim of the checkout.
                proc = subprocess.run("/usr/bin/python3 -m " + line, shell=True, cwd=sandbox, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
                if proc.returncode != 0:
                    print(f"{path}: `{line}` exited {proc.returncode}:\n{proc.stdout}")
                    status = 1
            for report in reports:
                report_path = os.path.join(sandbox, report)
                if not os.path.isfile(report_path):
                    print(f"{path}: the job publishes {report}, which its commands did not write")
                    status = 1
                    continue
                cases = ET.parse(report_path).getroot().iter("testcase")
                n = sum(1 for _ in cases)
                if n == 0:
                    print(f"{path}: {report} has no testcase")
                    status = 1
                else:
                    print(f"{path}: {len(oobsim_lines)} oobsim command(s) ran; {report}: {n} testcases")
        finally:
            shutil.rmtree(sandbox, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
