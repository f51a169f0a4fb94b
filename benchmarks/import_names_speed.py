"""How fast the import-name map is: first use in a fresh process, then lookups.

    python benchmarks/import_names_speed.py

Prints the median of several fresh-process runs for: importing depguard.import_names (after
depguard.model and depguard.names, which every run imports anyway),
the first lookup (reading and parsing the bundled map), the first spelled_like() (which builds
the spelling index the import-name signal uses), and the cost of one lookup afterwards.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

PROBE = r"""
import json, time
import depguard.model, depguard.names  # every depguard run has these already
t0 = time.perf_counter()
from depguard import import_names
t1 = time.perf_counter()
import_names.provider("yaml")
t2 = time.perf_counter()
import_names.spelled_like("sklearn")
t3 = time.perf_counter()
names = ["yaml", "google.cloud.storage.blob", "requests", "cv2", "azure.storage.blob.aio",
         "numpy", "PIL.Image", "jwt", "no_such_module"] * 20000
t4 = time.perf_counter()
for name in names:
    import_names.providers(name)
t5 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first_lookup": t2 - t1, "first_spelled_like": t3 - t2,
                  "lookup_us": (t5 - t4) / len(names) * 1e6,
                  "entries": len(import_names.load().entries)}))
"""


def main(runs: int = 7) -> None:
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
        ).stdout
        results.append(json.loads(out))
    med = {key: statistics.median(r[key] for r in results) for key in results[0]}
    print(f"import-names.tsv entries:           {int(med['entries'])}")
    print(f"import depguard.import_names:       {med['import'] * 1000:6.2f} ms")
    print(f"first lookup (load + parse the map): {med['first_lookup'] * 1000:6.2f} ms")
    print(f"first spelled_like (spelling index): {med['first_spelled_like'] * 1000:6.2f} ms")
    print(f"one lookup afterwards:               {med['lookup_us']:6.2f} us")
    print(f"(median of {runs} fresh processes, Python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
