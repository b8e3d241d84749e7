# Sourced by the benchmark and fidelity scripts: sets py to a python3 that can
# import torch and numpy, or to '' when none can. Debian's python3-torch is for
# the system python3, which may not be first in PATH.
py=
for p in /usr/bin/python3 python3; do
  if "$p" -c 'import torch, numpy' 2>/dev/null; then py=$p; break; fi
done
