package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
  @TempDir
  Path dir;

  private static Config load(File file, Map<String, String> env, Properties props) {
    return NodeConfig.load(file, env, props);
  }

  private static Config load(Map<String, String> env) {
    return load(null, env, new Properties());
  }

  private File file(String hocon) throws IOException {
    Path p = dir.resolve("operator.conf");
    Files.writeString(p, hocon);
    return p.toFile();
  }

  private static String failure(Map<String, String> env) {
    return assertThrows(StartupException.class, () -> load(env)).getMessage();
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    Config c = load(Map.of());
    assertEquals(5060, c.getInt("ipsmgw.sip.port"));
    assertEquals(2855, c.getInt("ipsmgw.msrp.port"));
    assertEquals("127.0.0.1", c.getString("ipsmgw.smsc.host"));
    assertEquals(2775, c.getInt("ipsmgw.smsc.port"));
    assertEquals(8558, c.getInt("ipsmgw.admin.port"));
    assertEquals(25520, c.getInt("pekko.remote.artery.canonical.port"));
    // The documented default, with the write delay that makes each commit durable and events
    // kept in their rows.
    assertEquals("jdbc:h2:file:./data/ipsmgw;WRITE_DELAY=0;MAX_LENGTH_INPLACE_LOB=4096",
        c.getString("ipsmgw.db.url"));
    assertEquals("jdbc:h2:file:./data/ipsmgw;WRITE_DELAY=0;MAX_LENGTH_INPLACE_LOB=4096",
        c.getString("pekko-persistence-jdbc.shared-databases.ipsmgw.db.url"));
    assertEquals("slick.jdbc.H2Profile$",
        c.getString("pekko-persistence-jdbc.shared-databases.ipsmgw.profile"));
    assertEquals(8558, c.getInt("pekko.management.http.port"));
  }

  @Test
  void everyEnvironmentVariableSetsItsKey() {
    Map<String, String> env = Map.ofEntries(
        Map.entry("IPSMGW_SIP_HOST", "127.0.0.4"), Map.entry("IPSMGW_SIP_PORT", "5070"),
        Map.entry("IPSMGW_MSRP_HOST", "127.0.0.5"), Map.entry("IPSMGW_MSRP_PORT", "2856"),
        Map.entry("IPSMGW_ADMIN_HOST", "127.0.0.6"),
        Map.entry("IPSMGW_SMSC_HOST", "127.0.0.2"), Map.entry("IPSMGW_SMSC_PORT", "2776"),
        Map.entry("IPSMGW_SMSC_SYSTEM_ID", "gw-east"), Map.entry("IPSMGW_SMSC_PASSWORD", "smpp-pw"),
        Map.entry("IPSMGW_ADMIN_PORT", "8559"), Map.entry("IPSMGW_ADMIN_TOKEN", "s3cret"),
        Map.entry("IPSMGW_DB_URL", "jdbc:postgresql://127.0.0.1:5432/ipsmgw"),
        Map.entry("IPSMGW_DB_USER", "gw"), Map.entry("IPSMGW_DB_PASSWORD", "pw"),
        Map.entry("IPSMGW_CLUSTER_HOST", "127.0.0.3"), Map.entry("IPSMGW_CLUSTER_PORT", "25521"),
        Map.entry("IPSMGW_SEED_NODES", "127.0.0.1:25520, 127.0.0.1:25521"),
        Map.entry("IPSMGW_SIP_OUTBOUND_PROXY", "sip:127.0.0.1:5080;transport=tcp;lr"),
        // Seed nodes are set, so the bootstrap stays seed-nodes; the Kubernetes keys are then
        // read but not used (ClusterConfigTest starts from kubernetes-api).
        Map.entry("IPSMGW_CLUSTER_BOOTSTRAP", "seed-nodes"),
        Map.entry("IPSMGW_K8S_SERVICE_NAME", "gw"),
        Map.entry("IPSMGW_K8S_POD_LABEL_SELECTOR", "role=%s"),
        Map.entry("IPSMGW_K8S_PORT_NAME", "admin"),
        Map.entry("IPSMGW_K8S_REQUIRED_CONTACT_POINTS", "3"),
        Map.entry("IPSMGW_LOG_FORMAT", "json"));
    assertEquals(NodeConfig.ENVIRONMENT.keySet(), env.keySet(), "every documented variable tested");
    Config c = load(env);
    assertEquals("json", c.getString("ipsmgw.log.format"));
    assertEquals("sip:127.0.0.1:5080;transport=tcp;lr", c.getString("ipsmgw.sip.outbound-proxy"));
    assertEquals("127.0.0.4", c.getString("ipsmgw.sip.host"));
    assertEquals(5070, c.getInt("ipsmgw.sip.port"));
    assertEquals("127.0.0.5", c.getString("ipsmgw.msrp.host"));
    assertEquals(2856, c.getInt("ipsmgw.msrp.port"));
    assertEquals("127.0.0.6", c.getString("pekko.management.http.hostname"));
    assertEquals("127.0.0.6", c.getString("pekko.management.http.bind-hostname"));
    assertEquals("127.0.0.2", c.getString("ipsmgw.smsc.host"));
    assertEquals(2776, c.getInt("ipsmgw.smsc.port"));
    assertEquals("gw-east", c.getString("ipsmgw.smsc.system-id"));
    assertEquals("smpp-pw", c.getString("ipsmgw.smsc.password"));
    assertEquals(8559, c.getInt("pekko.management.http.port"));
    assertEquals("s3cret", c.getString("ipsmgw.admin.token"));
    assertEquals("slick.jdbc.PostgresProfile$",
        c.getString("pekko-persistence-jdbc.shared-databases.ipsmgw.profile"));
    assertEquals("org.postgresql.Driver",
        c.getString("pekko-persistence-jdbc.shared-databases.ipsmgw.db.driver"));
    assertEquals("gw", c.getString("pekko-persistence-jdbc.shared-databases.ipsmgw.db.user"));
    assertEquals("pw", c.getString("pekko-persistence-jdbc.shared-databases.ipsmgw.db.password"));
    assertEquals("127.0.0.3", c.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals(25521, c.getInt("pekko.remote.artery.canonical.port"));
    assertEquals(List.of("127.0.0.1:25520", "127.0.0.1:25521"),
        c.getStringList("ipsmgw.cluster.seed-nodes"));
    assertEquals("seed-nodes", c.getString("ipsmgw.cluster.bootstrap"));
    assertEquals("gw", c.getString("ipsmgw.cluster.kubernetes.service-name"));
    assertEquals("role=%s", c.getString("ipsmgw.cluster.kubernetes.pod-label-selector"));
    assertEquals("admin", c.getString("ipsmgw.cluster.kubernetes.port-name"));
    assertEquals(3, c.getInt("ipsmgw.cluster.kubernetes.required-contact-points"));
  }

  @Test
  void precedenceIsPropertiesThenEnvironmentThenFileThenDefaults() throws IOException {
    File f = file("ipsmgw.sip.port = 6000\nipsmgw.msrp.port = 6001\nipsmgw.smsc.port = 6002\n");
    Properties props = new Properties();
    props.setProperty("ipsmgw.sip.port", "7000");
    Config c = load(f, Map.of("IPSMGW_SIP_PORT", "8000", "IPSMGW_MSRP_PORT", "8001"), props);
    assertEquals(7000, c.getInt("ipsmgw.sip.port"));
    assertEquals(8001, c.getInt("ipsmgw.msrp.port"));
    assertEquals(6002, c.getInt("ipsmgw.smsc.port"));
    assertEquals(8558, c.getInt("ipsmgw.admin.port"), "untouched keys keep their defaults");
  }

  @Test
  void configFilePropertyIsAnOverlayLikeTheOption() throws IOException {
    Properties props = new Properties();
    props.setProperty("config.file", file("ipsmgw.policy.reply-window = 90s").getPath());
    Config c = load(null, Map.of(), props);
    assertEquals(90, c.getDuration("ipsmgw.policy.reply-window").toSeconds());
    assertEquals(5060, c.getInt("ipsmgw.sip.port"));
  }

  @Test
  void portOutOfRangeIsOneClearLine() {
    assertEquals("configuration error: ipsmgw.admin.port = 70000 is not a port (1-65535)",
        failure(Map.of("IPSMGW_ADMIN_PORT", "70000")));
  }

  @Test
  void anOutboundProxyThatIsNoSipUriIsOneClearLine() {
    String message = failure(Map.of("IPSMGW_SIP_OUTBOUND_PROXY", "scscf.example:5060"));
    assertTrue(message.startsWith("configuration error:"), message);
    assertTrue(message.contains("ipsmgw.sip.outbound-proxy"), message);
    assertTrue(message.contains("not a sip: URI"), message);
  }

  @Test
  void nonNumericPortIsOneClearLine() {
    assertEquals("configuration error: ipsmgw.sip.port = 'fifty' is not a port number",
        failure(Map.of("IPSMGW_SIP_PORT", "fifty")));
  }

  @Test
  void shardingWritesThroughAJournalInstanceOfItsOwnOnTheSameTablesAndPool() {
    Config c = load(Map.of());
    String id = c.getString("pekko.cluster.sharding.journal-plugin-id");
    assertEquals("ipsmgw-sharding-journal", id);
    assertEquals(TimedJdbcJournal.class.getName(), c.getString(id + ".class"));
    assertEquals("ipsmgw", c.getString(id + ".use-shared-db"));
    assertEquals(c.getConfig("jdbc-journal.tables"), c.getConfig(id + ".tables"));
    assertEquals(c.getInt("jdbc-journal.parallelism"), c.getInt(id + ".parallelism"));
    assertEquals(c.getDuration("jdbc-journal.circuit-breaker.call-timeout"),
        c.getDuration(id + ".circuit-breaker.call-timeout"));
  }

  @Test
  void anH2UrlGetsTheNodesSettingsKeepsItsOwnAndWritesOneJournalBatchAtATime() {
    assertEquals("jdbc:h2:file:/var/lib/ipsmgw/j;AUTO_SERVER=TRUE;WRITE_DELAY=0"
        + ";MAX_LENGTH_INPLACE_LOB=4096",
        load(Map.of("IPSMGW_DB_URL", "jdbc:h2:file:/var/lib/ipsmgw/j;AUTO_SERVER=TRUE"))
            .getString("ipsmgw.db.url"));
    assertEquals("jdbc:h2:file:/j;write_delay = 0;MAX_LENGTH_INPLACE_LOB=4096",
        load(Map.of("IPSMGW_DB_URL", "jdbc:h2:file:/j;write_delay = 0"))
            .getString("ipsmgw.db.url"));
    assertEquals("jdbc:h2:file:/j;max_length_inplace_lob = 512;WRITE_DELAY=0",
        load(Map.of("IPSMGW_DB_URL", "jdbc:h2:file:/j;max_length_inplace_lob = 512"))
            .getString("ipsmgw.db.url"), "an operator's own in-row length is kept");
    assertEquals("jdbc:h2:mem:test", load(Map.of("IPSMGW_DB_URL", "jdbc:h2:mem:test"))
        .getString("ipsmgw.db.url"));
    Config postgres = load(Map.of("IPSMGW_DB_URL", "jdbc:postgresql://127.0.0.1/ipsmgw"));
    assertEquals("jdbc:postgresql://127.0.0.1/ipsmgw", postgres.getString("ipsmgw.db.url"));
    assertEquals(8, postgres.getInt("jdbc-journal.parallelism"), "the plugin's own default");
    assertEquals(1, load(Map.of()).getInt("jdbc-journal.parallelism"),
        "on H2 the journal writes one batch at a time");
  }

  @Test
  void anH2UrlThatDelaysItsWritesIsRefused() {
    String message = failure(Map.of("IPSMGW_DB_URL", "jdbc:h2:file:/j;WRITE_DELAY=500"));
    assertEquals("configuration error: ipsmgw.db.url sets WRITE_DELAY=500: H2 would then hold "
        + "each commit in memory for that long, and a crash of the node would lose messages it "
        + "has already acknowledged; remove the setting (the node sets WRITE_DELAY=0)", message);
    String cut = failure(Map.of("IPSMGW_DB_URL", "jdbc:h2:file:/j;WRITE_DELAY=" + "9".repeat(80)));
    assertTrue(cut.contains("WRITE_DELAY=" + "9".repeat(20) + "...:"), cut);
  }

  @Test
  void unknownDatabaseSchemeIsRefused() {
    String message = failure(Map.of("IPSMGW_DB_URL", "jdbc:mysql://127.0.0.1/x"));
    assertTrue(message.contains("ipsmgw.db.url") && message.contains("jdbc:mysql"), message);
  }

  @Test
  void badSeedNodeIsRefused() {
    String message = failure(Map.of("IPSMGW_SEED_NODES", "node-a"));
    assertTrue(message.contains("seed-nodes entry 'node-a'"), message);
  }

  @Test
  void missingConfigFileIsNamed() {
    String message = assertThrows(StartupException.class,
        () -> load(new File(dir.toFile(), "nope.conf"), Map.of(), new Properties())).getMessage();
    assertTrue(message.startsWith("configuration file not found: ") && message.endsWith("nope.conf"),
        message);
  }

  @Test
  void missingConfigFilePropertyIsNamedLikeTheOption() {
    Properties props = new Properties();
    props.setProperty("config.file", new File(dir.toFile(), "gone.conf").getPath());
    String message = assertThrows(StartupException.class,
        () -> load(null, Map.of(), props)).getMessage();
    assertTrue(message.startsWith("configuration file not found: ") && message.endsWith("gone.conf"),
        message);
  }

  @Test
  void overlayMayReferToDefaults() throws IOException {
    Config c = load(file("ipsmgw.msrp.port = ${ipsmgw.admin.port}"), Map.of(), new Properties());
    assertEquals(8558, c.getInt("ipsmgw.msrp.port"));
  }

  @Test
  void emptySeedNodesVariableMeansSelfJoin() {
    assertEquals(List.of(), load(Map.of("IPSMGW_SEED_NODES", " ")).getStringList(
        "ipsmgw.cluster.seed-nodes"));
  }

  @Test
  void unknownSchemeMessageHidesThePassword() {
    assertEquals("configuration error: ipsmgw.db.url 'jdbc:mysql://***@db/x' is neither jdbc:h2: "
        + "nor jdbc:postgresql:", failure(Map.of("IPSMGW_DB_URL", "jdbc:mysql://gw:pw@db/x")));
  }

  @Test
  void unparsableFileIsOneLine() throws IOException {
    File f = file("ipsmgw.sip { port = ");
    String message = assertThrows(StartupException.class,
        () -> load(f, Map.of(), new Properties())).getMessage();
    assertTrue(message.startsWith("configuration error: ") && !message.contains("\n"), message);
  }

  @Test
  void unknownPolicyValueStopsTheStartNamingTheKey() throws IOException {
    File f = file("ipsmgw.policy.default-invitation = MAYBE");
    String message = assertThrows(StartupException.class,
        () -> load(f, Map.of(), new Properties())).getMessage();
    assertTrue(message.contains("ipsmgw.policy.default-invitation") && message.contains("MAYBE"),
        message);
  }

  @Test
  void anUnknownEntityTypeToWarmUpStopsTheStartNamingTheKnownOnes() throws IOException {
    File f = file("ipsmgw.cluster.warm-up-shards = \"ChatSession,Chats\"");
    String message = assertThrows(StartupException.class,
        () -> load(f, Map.of(), new Properties())).getMessage();
    assertTrue(message.contains("ipsmgw.cluster.warm-up-shards") && message.contains("'Chats'")
        && message.contains("ChatSession, SmsSubscriber, PagerConversation"), message);
  }

  @Test
  void aNegativeIdleTimeOrResendCountStopsTheStartNamingItsKey() throws IOException {
    for (String setting : List.of("ipsmgw.subscriber.passivate-after = -1s",
        "ipsmgw.pager.passivate-after = -1s", "ipsmgw.pager.notice-resends = -1")) {
      String key = setting.substring(0, setting.indexOf(' '));
      String message = fileFailure(setting);
      assertTrue(message.startsWith("configuration error: ") && message.contains(key)
          && message.contains("must be 0"), message);
    }
  }

  @Test
  void aFailureReceiptBoundOutsideItsRangeStopsTheStartNamingItsKeyAndRange() throws IOException {
    for (String setting : List.of("ipsmgw.session.failure-receipts-awaited = -1",
        "ipsmgw.session.failure-receipts-awaited = 10001")) {
      String message = fileFailure(setting);
      assertTrue(message.startsWith("configuration error: ")
          && message.contains("ipsmgw.session.failure-receipts-awaited")
          && message.contains("must be 0-10000"), message);
    }
  }

  @Test
  void redactionHidesCredentialsInUrls() {
    assertEquals("jdbc:postgresql://***@db:5432/x?password=***&ssl=true",
        Database.redact("jdbc:postgresql://gw:pw@db:5432/x?password=secret&ssl=true"));
  }

  private String fileFailure(String hocon) throws IOException {
    File f = file(hocon);
    return assertThrows(StartupException.class, () -> load(f, Map.of(), new Properties()))
        .getMessage();
  }

  @Test
  void aTypoInTheFileStopsTheStartNamingTheKeyAndTheNearestKnownOne() throws IOException {
    String message = fileFailure("ipsmgw.policy.default-invitaton = ACCEPT\n");
    assertTrue(message.startsWith("configuration error: unknown key "
        + "ipsmgw.policy.default-invitaton (did you mean ipsmgw.policy.default-invitation?)"),
        message);
    assertTrue(message.contains("operator.conf"), "names where it was set: " + message);
    assertFalse(message.contains("\n"), message);
  }

  @Test
  void aTypoInsideASectionIsNamedWithItsFullKey() throws IOException {
    String message = fileFailure("ipsmgw.smsc { reconnect { min-backof = 2s } }");
    assertTrue(message.contains("unknown key ipsmgw.smsc.reconnect.min-backof (did you mean "
        + "ipsmgw.smsc.reconnect.min-backoff?)"), message);
  }

  @Test
  void aTypoInASystemPropertyStopsTheStart() {
    Properties props = new Properties();
    props.setProperty("ipsmgw.smsc.sytem-id", "gw");
    props.setProperty("java.io.tmpdir", "/tmp");
    String message = assertThrows(StartupException.class, () -> load(null, Map.of(), props))
        .getMessage();
    assertTrue(message.startsWith("configuration error: unknown key ipsmgw.smsc.sytem-id (did "
        + "you mean ipsmgw.smsc.system-id?)"), message);
  }

  @Test
  void aTypoInAnEnvironmentVariableStopsTheStart() {
    assertEquals("configuration error: unknown environment variable IPSMGW_SMSC_PASWORD (did you"
        + " mean IPSMGW_SMSC_PASSWORD?)", failure(Map.of("IPSMGW_SMSC_PASWORD", "x")));
  }

  /** Kubernetes adds these for a service named ipsmgw; they are not the operator's settings. */
  @Test
  void kubernetesServiceLinksAreNoTypos() {
    load(Map.of("IPSMGW_SERVICE_HOST", "10.0.0.1", "IPSMGW_SERVICE_PORT", "5060",
        "IPSMGW_PORT", "tcp://10.0.0.1:5060", "IPSMGW_PORT_5060_TCP_ADDR", "10.0.0.1",
        "OTHER_VARIABLE", "x"));
  }

  /** keywords is a documented open map: a new language is no typo, a new kind of keyword is. */
  @Test
  void aNewKeywordLanguageIsAcceptedButNotANewKeyInIt() throws IOException {
    Config c = load(file("ipsmgw.policy.keywords.es { accept = [SI], decline = [NO], stop = [FIN] }\n"
        + "ipsmgw.policy.keywords.en.decline = [NOPE]\n"), Map.of(), new Properties());
    assertEquals(List.of("SI"), c.getStringList("ipsmgw.policy.keywords.es.accept"));
    String message = fileFailure("ipsmgw.policy.keywords.es { accept = [SI], decline = [NO],"
        + " stop = [FIN], maybe = [QUIZAS] }");
    assertTrue(message.contains("unknown key ipsmgw.policy.keywords.es.maybe"), message);
  }

  /** Every key of the packaged defaults, written back as an operator file, is accepted. */
  @Test
  void everyPackagedKeyIsAccepted() throws IOException {
    Config packaged = com.typesafe.config.ConfigFactory.parseResources("ipsmgw/application.conf")
        .resolve(com.typesafe.config.ConfigResolveOptions.defaults().setAllowUnresolved(true));
    String all = "ipsmgw = " + packaged.getObject("ipsmgw").render(
        com.typesafe.config.ConfigRenderOptions.concise());
    assertTrue(all.contains("default-invitation") && all.contains("min-backoff"), all);
    Config c = load(file(all), Map.of(), new Properties());
    assertEquals(5060, c.getInt("ipsmgw.sip.port"));
    assertTrue(new KnownKeys(packaged, List.of()).leaves().size() > 50);
  }

  /** Typesafe Config reads a bare number as milliseconds: every duration needs its unit. */
  @Test
  void aDurationWithoutAUnitStopsTheStart() throws IOException {
    String message = fileFailure("ipsmgw.smsc.bind-timeout = 10");
    assertTrue(message.startsWith("configuration error: "), message);
    assertTrue(message.contains("ipsmgw.smsc.bind-timeout") && message.contains("unit"), message);
    String policy = fileFailure("ipsmgw.policy.reply-window = 120");
    assertTrue(policy.contains("ipsmgw.policy.reply-window") && policy.contains("unit"), policy);
  }

  @Test
  void theConfigDumpAtStartIsRefused() throws IOException {
    String message = fileFailure("pekko.log-config-on-start = on");
    assertTrue(message.contains("pekko.log-config-on-start"), message);
  }

  @Test
  void nearestIsBySmallestEditDistance() {
    assertEquals(1, KnownKeys.distance("invitaton", "invitation"));
    assertEquals(3, KnownKeys.distance("kitten", "sitting"));
    assertEquals("b-longer", KnownKeys.nearest("b-longr", List.of("a-short", "b-longer")));
  }
}
