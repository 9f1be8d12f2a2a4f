# Sourced by entrypoint.sh and healthcheck.sh (POSIX sh): the container defaults of the node's
# addresses. A node in a container must not listen on 127.0.0.1 (the packaged default): no peer
# could reach it. Every address the node announces is one it binds (SIP Via/Contact, the SDP
# a=path, the cluster address, the admin HTTP the Kubernetes bootstrap probes), so 0.0.0.0 will
# not do either: the default is the container's own address, POD_IP when set (Kubernetes:
# fieldRef status.podIP), else the first address of `hostname -i` (Docker and compose resolve
# the container's hostname to its address). Variables already set are kept.
ipsmgw_self_address() {
  if [ -n "${POD_IP:-}" ]; then
    printf '%s\n' "$POD_IP"
    return
  fi
  # `hostname -i` prints every address of the host name, space separated.
  set -- $(hostname -i 2>/dev/null)
  if [ $# -eq 0 ]; then
    echo "ipsmgw-entrypoint: cannot find this container's address (hostname -i);" \
      "set POD_IP or IPSMGW_SIP_HOST, IPSMGW_MSRP_HOST, IPSMGW_ADMIN_HOST, IPSMGW_CLUSTER_HOST" >&2
    return 1
  fi
  printf '%s\n' "$1"
}

ipsmgw_env_defaults() {
  if [ -z "${IPSMGW_SIP_HOST:-}" ] || [ -z "${IPSMGW_MSRP_HOST:-}" ] \
      || [ -z "${IPSMGW_ADMIN_HOST:-}" ] || [ -z "${IPSMGW_CLUSTER_HOST:-}" ]; then
    self=$(ipsmgw_self_address) || return 1
    : "${IPSMGW_SIP_HOST:=$self}" "${IPSMGW_MSRP_HOST:=$self}"
    : "${IPSMGW_ADMIN_HOST:=$self}" "${IPSMGW_CLUSTER_HOST:=$self}"
    export IPSMGW_SIP_HOST IPSMGW_MSRP_HOST IPSMGW_ADMIN_HOST IPSMGW_CLUSTER_HOST
  fi
}
