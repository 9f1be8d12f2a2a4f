package org.ipsmgw.node;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.ipsmgw.TestPorts;
import org.ipsmgw.TestPostgres;

/**
 * The variables of a two-member cluster on one PostgreSQL database: A, the seed, has the lower
 * cluster port, so keep-majority keeps A when the two halves are equal (B is the one killed).
 */
final class TwoMembers {
  final Map<String, String> envA;
  private final Map<String, String> common;
  private final int portB;

  private TwoMembers(Map<String, String> common, int portA, int portB) {
    this.common = common;
    this.portB = portB;
    this.envA = new HashMap<>(common);
    envA.put("IPSMGW_CLUSTER_PORT", String.valueOf(portA));
  }

  static TwoMembers on(EmbeddedPostgres postgres, String db) throws SQLException {
    int one = TestPorts.free();
    int other = TestPorts.free();
    Map<String, String> common = TestPostgres.journalEnv(postgres, db);
    common.put("IPSMGW_SEED_NODES", "127.0.0.1:" + Math.min(one, other));
    return new TwoMembers(common, Math.min(one, other), Math.max(one, other));
  }

  /** B's variables: its own free ports, its MSRP on {@code msrpPort}, the same SMSC as A. */
  Map<String, String> envB(int smscPort, int msrpPort) {
    Map<String, String> envB = new HashMap<>(common);
    envB.put("IPSMGW_CLUSTER_PORT", String.valueOf(portB));
    envB.put("IPSMGW_SIP_PORT", String.valueOf(TestPorts.free()));
    envB.put("IPSMGW_MSRP_PORT", String.valueOf(msrpPort));
    envB.put("IPSMGW_ADMIN_PORT", String.valueOf(TestPorts.free()));
    envB.put("IPSMGW_SMSC_PORT", String.valueOf(smscPort));
    return envB;
  }
}
