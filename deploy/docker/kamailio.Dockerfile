# syntax=docker/dockerfile:1
# The SIP front: Kamailio 5.6 (Debian bookworm's package, the version deploy/kamailio is written
# and tested for) with deploy/kamailio/kamailio.cfg. Built from the repository root:
#   docker build -f deploy/docker/kamailio.Dockerfile -t ipsmgw-kamailio .
# The node list is /etc/kamailio/dispatcher.list: mount your own (compose: a bind mount,
# Kubernetes: a ConfigMap). Defines are given as arguments, e.g. -A 'LISTEN_IP=10.0.0.5'.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends kamailio \
 && rm -rf /var/lib/apt/lists/*
COPY deploy/kamailio/kamailio.cfg deploy/kamailio/dispatcher.list /etc/kamailio/
# An unprivileged user with a fixed numeric id (Kubernetes' runAsNonRoot checks it); SIP_PORT
# 5060 needs no privilege and the proxy writes no file.
RUN useradd --system --uid 10002 --user-group --no-create-home --shell /usr/sbin/nologin sipfront
USER 10002:10002
EXPOSE 5060/udp 5060/tcp
# -DD -E: foreground, logging to stderr (the engine collects it).
ENTRYPOINT ["kamailio", "-DD", "-E", "-f", "/etc/kamailio/kamailio.cfg"]
