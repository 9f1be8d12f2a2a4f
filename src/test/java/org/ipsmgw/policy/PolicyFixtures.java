package org.ipsmgw.policy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;

/** The shipped conf/policy.conf, varied per test. */
final class PolicyFixtures {
  private PolicyFixtures() {}

  static Config section(String overrides) {
    Config base = ConfigFactory.parseFile(new File("conf/policy.conf"));
    return ConfigFactory.parseString(overrides).withFallback(base).resolve()
        .getConfig("ipsmgw.policy");
  }

  static OperatorPolicy policy(String overrides) {
    return PolicyConfig.fromConfig(section(overrides));
  }
}
