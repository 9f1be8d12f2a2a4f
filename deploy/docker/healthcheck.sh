#!/bin/bash
# The image's HEALTHCHECK: GET PATH (the Dockerfile gives /alive) on the node's admin HTTP,
# healthy on a 200 within 3 s. bash's /dev/tcp, so the image needs no HTTP client. It runs
# beside the node (docker exec), so it works out the admin address the way the entrypoint does;
# set IPSMGW_ADMIN_PORT in the container's environment when a --config file moves the port.
#   healthcheck.sh PATH
set -u
path=${1:?usage: healthcheck.sh PATH}
. "$(dirname "$0")/node-env.sh"
ipsmgw_env_defaults || exit 1
host=$IPSMGW_ADMIN_HOST
port=${IPSMGW_ADMIN_PORT:-8558}
exec 3<>"/dev/tcp/$host/$port" || { echo "admin HTTP $host:$port does not answer" >&2; exit 1; }
printf 'GET %s HTTP/1.0\r\nHost: %s:%s\r\nConnection: close\r\n\r\n' "$path" "$host" "$port" >&3
IFS= read -r -t 3 status <&3 || { echo "no answer from $host:$port$path" >&2; exit 1; }
exec 3<&-
case "$status" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) echo "$host:$port$path: ${status%$'\r'}" >&2; exit 1 ;;
esac
