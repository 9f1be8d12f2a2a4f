package org.ipsmgw.admin;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;

/**
 * The cluster as this node sees it: members by status and members it finds unreachable. Read
 * from the cluster's own current state at each scrape, so nothing is kept here.
 */
public final class ClusterMetrics {
  private static final MemberStatus[] STATUSES = {MemberStatus.joining(), MemberStatus.weaklyUp(),
      MemberStatus.up(), MemberStatus.leaving(), MemberStatus.exiting(), MemberStatus.down()};

  private ClusterMetrics() {}

  public static void bind(Cluster cluster, MeterRegistry registry) {
    for (MemberStatus status : STATUSES) {
      Gauge.builder("ipsmgw.cluster.members", cluster, c -> count(c, status))
          .description("cluster members this node sees, by status").tag("status", name(status))
          .register(registry);
    }
    Gauge.builder("ipsmgw.cluster.unreachable", cluster, c -> c.state().getUnreachable().size())
        .description("cluster members this node's failure detector finds unreachable")
        .register(registry);
  }

  private static double count(Cluster cluster, MemberStatus status) {
    Iterable<Member> members = cluster.state().getMembers();
    return StreamSupport.stream(members.spliterator(), false)
        .filter(m -> m.status().equals(status)).count();
  }

  /** Up → up, WeaklyUp → weakly_up. */
  static String name(MemberStatus status) {
    return status.toString().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
