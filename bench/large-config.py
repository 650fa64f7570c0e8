"""Writes an ImageSetConfiguration with N distinct additionalImages, for timing the loader
(bench/README.md, "Reading large configurations"): python3 bench/large-config.py N FILE"""
import sys

n = int(sys.argv[1])
with open(sys.argv[2], "w") as f:
    f.write("kind: ImageSetConfiguration\napiVersion: mirror.openshift.io/v2alpha1\nmirror:\n  additionalImages:\n")
    for i in range(n):
        f.write(f"  - name: registry.example.com/team-{i % 97}/app-{i}:v{i % 13}.0\n")
