package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ipsmgw.log.format is read before logging starts, with the configuration's precedence. */
class LogFormatTest {
  @TempDir
  Path dir;

  @Test
  void propertyBeatsEnvironmentBeatsFile() throws Exception {
    Path file = Files.writeString(dir.resolve("node.conf"), "ipsmgw.log.format = json\n");
    Properties props = new Properties();
    assertEquals("json", LogFormat.chosen(file.toFile(), Map.of(), props));
    assertEquals("plain", LogFormat.chosen(file.toFile(), Map.of("IPSMGW_LOG_FORMAT", "plain"),
        props));
    props.setProperty("ipsmgw.log.format", " json ");
    assertEquals("json", LogFormat.chosen(file.toFile(), Map.of("IPSMGW_LOG_FORMAT", "plain"),
        props));
  }

  @Test
  void fileNamedByConfigFilePropertyCounts() throws Exception {
    Path file = Files.writeString(dir.resolve("node.conf"), "ipsmgw { log { format = json } }\n");
    Properties props = new Properties();
    props.setProperty("config.file", file.toString());
    assertEquals("json", LogFormat.chosen(null, Map.of(), props));
  }

  @Test
  void nothingSetAndAnUnreadableFileChooseNothing() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.conf"), "ipsmgw.log.format = {\n");
    assertNull(LogFormat.chosen(null, Map.of(), new Properties()));
    assertNull(LogFormat.chosen(broken.toFile(), Map.of(), new Properties()));
  }

  @Test
  void aValueThatIsNeitherStopsTheStartNamingTheKey() {
    StartupException e = assertThrows(StartupException.class, () -> NodeConfig.load(null,
        Map.of("IPSMGW_LOG_FORMAT", "xml"), new Properties()));
    assertEquals("configuration error: ipsmgw.log.format = 'xml' is neither plain nor json",
        e.getMessage());
  }
}
