package org.ipsmgw.node;

import com.typesafe.config.Config;

/** How a node finds its cluster ({@code ipsmgw.cluster.bootstrap}). */
enum ClusterBootstrapMode {
  /** A fixed cluster: {@code ipsmgw.cluster.seed-nodes}, or itself alone when that is empty. */
  SEED_NODES("seed-nodes"),
  /** Pekko Management Cluster Bootstrap with pods found through the Kubernetes API. */
  KUBERNETES_API("kubernetes-api");

  static final String KEY = "ipsmgw.cluster.bootstrap";
  private final String value;

  ClusterBootstrapMode(String value) {
    this.value = value;
  }

  /** @throws StartupException naming the key and the accepted values */
  static ClusterBootstrapMode of(Config config) {
    String raw = config.getString(KEY).strip();
    for (ClusterBootstrapMode m : values()) {
      if (m.value.equals(raw)) {
        return m;
      }
    }
    throw new StartupException("configuration error: " + KEY + " = '" + raw
        + "' is not seed-nodes or kubernetes-api");
  }

  @Override
  public String toString() {
    return value;
  }
}
