#!/bin/bash
# Builds the node image and the Kamailio front image:
#   deploy/docker/build.sh [TAG]          images ipsmgw:TAG and ipsmgw-kamailio:TAG (TAG: latest)
# Needs a container engine that answers (`docker info`): DOCKER=podman picks another client.
# SKIP_TESTS=0 runs the test suite in the Maven step (default: package only).
set -euo pipefail
tag=${1:-latest}
docker=${DOCKER:-docker}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

if ! command -v "$docker" > /dev/null; then
  echo "build.sh: no '$docker' client on the PATH: building the image needs a container engine" \
    "(Docker, or DOCKER=podman)" >&2
  exit 3
fi
# Before the Maven build, which takes minutes: without an engine the images cannot be built.
if ! reason=$("$docker" info 2>&1 > /dev/null); then
  echo "build.sh: no container engine answers ('$docker info' failed: $(printf '%s' "$reason" \
    | head -1)); building the image needs a running Docker engine (or DOCKER_HOST, or" \
    "DOCKER=podman)" >&2
  exit 3
fi

if [ "${SKIP_TESTS:-1}" = 1 ]; then
  mvn -B package -DskipTests
else
  mvn -B package
fi
"$docker" build -f deploy/docker/Dockerfile -t "ipsmgw:$tag" .
"$docker" build -f deploy/docker/kamailio.Dockerfile -t "ipsmgw-kamailio:$tag" .
echo "built ipsmgw:$tag and ipsmgw-kamailio:$tag"
