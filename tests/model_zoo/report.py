"""Prints the status table of docs/model-zoo.md from the results the last
model_zoo test run left in the zoo folder (default build/model_zoo):

    .venv/bin/python tests/model_zoo/report.py [ZOO_DIR]
"""
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "models"))
import export_model_zoo  # noqa: E402


def row(name, result):
    family = export_model_zoo.ZOO[name]["family"]
    if result is None:
        return f"| {name} | {family} | not run | | |"
    runs = []
    for label, outputs in result["runs"].items():
        worst = max(outputs.values(), key=lambda d: d["max_abs_diff"] / d["scale"])
        runs.append(f"{label}: {worst['max_abs_diff']:.2g} (scale {worst['scale']:.3g})")
    status = result["status"]
    if status == "missing ops":
        note = "missing in the cpu backend: " + ", ".join(result["missing_ops"])
    elif status == "failed":
        note = result["error"].splitlines()[0].replace("|", "\\|")
    else:
        note = ""
    return f"| {name} | {family} | {status} | {'<br>'.join(runs)} | {note} |"


def main():
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else
                          pathlib.Path(__file__).resolve().parents[2] / "build" / "model_zoo")
    results = {}
    for name in export_model_zoo.ZOO:
        path = folder / "results" / f"{name}.json"
        results[name] = json.loads(path.read_text()) if path.is_file() else None
    print("| model | family | status | max abs diff per run (scale = max(1, max abs of ORT)) "
          "| reason |")
    print("| --- | --- | --- | --- | --- |")
    for name, result in results.items():
        print(row(name, result))


if __name__ == "__main__":
    main()
