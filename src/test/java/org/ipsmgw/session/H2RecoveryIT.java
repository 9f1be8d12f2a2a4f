package org.ipsmgw.session;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The recovery scenario on the single-node default: an H2 file journal. */
class H2RecoveryIT extends RecoveryScenario {
  @TempDir
  static Path dir;

  @Override
  Map<String, String> databaseEnv() {
    return Map.of("IPSMGW_DB_URL", "jdbc:h2:file:" + dir.resolve("journal").toAbsolutePath());
  }
}
