package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.TestPorts;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.subscriber.SmsSubscriber;
import org.ipsmgw.subscriber.SmsSubscriberCommand;
import org.ipsmgw.subscriber.PreferenceView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SIPp scenarios of src/test/sipp against a node. Each scenario is one call over TCP and must
 * end without error. Without {@code sipp} on the PATH (Debian/Ubuntu package sip-tester) each
 * scenario is reported skipped, with the package in the reason; under CI ({@code CI=true}) each
 * fails instead, so CI never passes without the one third-party SIP peer. {@code -Dsipp=PATH}
 * names another executable.
 */
class SippScenariosIT {
  private static final String ACCEPTING = "+447700911001";
  private static final String REJECTING = "+447700911002";
  private static EdgeNode edges;
  private static RunningNode node;
  private static int sipPort;

  private static final String SIPP = System.getProperty("sipp", "sipp");

  private static boolean sippInstalled() {
    if (SIPP.contains(File.separator)) {
      return Files.isExecutable(Path.of(SIPP));
    }
    return List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, SIPP)));
  }

  @BeforeEach
  void needsSipp() {
    String missing = SIPP + " not on PATH: apt-get install sip-tester";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      assertTrue(sippInstalled(), missing + " (CI=true: the scenarios must run; .ci/run installs"
          + " it when it runs as root)");
    }
    assumeTrue(sippInstalled(), missing);
  }

  @BeforeAll
  static void start() throws Exception {
    if (!sippInstalled()) {
      return;
    }
    Properties p = new Properties();
    p.setProperty("ipsmgw.smsc.enabled", "off");
    edges = EdgeNode.builder().noSimulator().properties(p).start();
    node = edges.node;
    sipPort = edges.sipPort;
    prefer(ACCEPTING, InvitationAction.ACCEPT);
    prefer(REJECTING, InvitationAction.REJECT);
  }

  @AfterAll
  static void stop() {
    if (edges != null) {
      edges.close();
    }
  }

  private static void prefer(String user, InvitationAction action) throws Exception {
    ClusterSharding.get(node.system()).entityRefFor(SmsSubscriber.TYPE_KEY, user)
        .<PreferenceView>ask(r -> new SmsSubscriberCommand.SetPreference(action, r),
            java.time.Duration.ofSeconds(10)).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Runs one scenario for one call; returns SIPp's exit code (0 = the call succeeded). */
  private static int sipp(String scenario, String service) throws Exception {
    Path work = Files.createDirectories(Path.of("target", "sipp-work"));
    Process p = new ProcessBuilder(SIPP, "-sf",
        Path.of("src", "test", "sipp", scenario).toAbsolutePath().toString(),
        "-m", "1", "-t", "t1", "-i", "127.0.0.1", "-p", String.valueOf(TestPorts.free()),
        "-s", service, "-nostdin", "-timeout", "20s", "-timeout_error",
        "127.0.0.1:" + sipPort).directory(work.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(40, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("sipp did not finish: " + out);
    }
    if (p.exitValue() != 0) {
      System.err.println(out);
    }
    return p.exitValue();
  }

  @Test
  void options() throws Exception {
    assertEquals(0, sipp("options.xml", ACCEPTING));
  }

  @Test
  void inviteAcceptedAndEnded() throws Exception {
    assertEquals(0, sipp("invite_accept.xml", ACCEPTING));
  }

  @Test
  void inviteRejected() throws Exception {
    assertEquals(0, sipp("invite_reject.xml", REJECTING));
  }

  @Test
  void inviteWithAGarbledContactGets400() throws Exception {
    assertEquals(0, sipp("malformed.xml", ACCEPTING));
    assertEquals(0, sipp("options.xml", ACCEPTING), "still serving afterwards");
  }
}
