#!/bin/sh
# Shrink a built virtual environment before it is copied into a runtime image:
# drop what no running service imports, then byte-compile what is left once, so a
# read-only container never needs to write .pyc files.
set -eu
venv=${1:?usage: prune-venv.sh VENV}
site=$(echo "$venv"/lib/python3*/site-packages)

# Test suites of installed libraries, and pip itself (nothing installs at run time).
find "$site" -depth -type d \( -name tests -o -name testsuite -o -name __pycache__ \) \
  -exec rm -rf {} +
"$venv/bin/pip" uninstall --yes --quiet pip
# Offline tooling inside onnxruntime and numpy: model conversion, quantisation and
# the Fortran wrapper generator need packages the image does not have anyway.
rm -rf "$site/onnxruntime/transformers" "$site/onnxruntime/quantization" \
       "$site/onnxruntime/tools" "$site/numpy/f2py" "$site/truthgraph/bundle"
# SQLAlchemy only serves the one-shot migration step (Alembic): its optional compiled
# speed-ups and its test harness are dead weight there; it runs pure Python without them.
if [ -d "$site/sqlalchemy" ]; then
  find "$site/sqlalchemy" -name '*.so' -delete
  rm -rf "$site/sqlalchemy/testing"
fi
# The distribution also holds image-audit, a build-time tool no service runs.
rm -rf "$site/imageaudit" "$venv/bin/image-audit"
# venv creates an include/ folder for extensions compiled later; none will be.
rm -rf "$venv/include"
# What only a compiler or a type checker reads: C headers (numpy's), Cython
# declarations, type stubs and pkg-config files.
rm -rf "$site/numpy/_core/include" "$site/numpy/_core/lib/pkgconfig" "$venv/bin/numpy-config"
find "$site" \( -name '*.h' -o -name '*.pxd' -o -name '*.pyi' \) -type f -delete
# Console scripts whose module was pruned above (f2py, onnxruntime_test...) would
# only fail with ImportError: drop every script whose module no longer imports.
for script in "$venv"/bin/*; do
  [ -f "$script" ] || continue
  module=$(sed -n 's/^from \([A-Za-z0-9_.]*\) import .*/\1/p' "$script" | head -n 1)
  [ -n "$module" ] || continue
  if ! "$venv/bin/python" -c \
      'import importlib.util as u, sys; sys.exit(u.find_spec(sys.argv[1]) is None)' \
      "$module" >/dev/null 2>&1; then
    echo "prune-venv: removing $script ($module is not installed)"
    rm -f "$script"
  fi
done
"$venv/bin/python" -m compileall -q -j 0 "$site" >/dev/null
