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
"$venv/bin/python" -m compileall -q -j 0 "$site" >/dev/null
