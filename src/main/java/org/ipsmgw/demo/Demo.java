package org.ipsmgw.demo;

import ch.qos.logback.classic.Level;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.ipsmgw.node.Node;
import org.ipsmgw.node.NodeConfig;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.FreePorts;
import org.ipsmgw.sim.SimulatorOptions;
import org.ipsmgw.sim.SmscSimulator;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar ipsmgw.jar demo}: a node, the SMSC simulator and a CPM client in one process on
 * free loopback ports. It plays the three invitation behaviours and a two-way chat (with a long
 * non-GSM text and emoji), prints what crossed each wire, and exits 0 when every step happened as
 * the gateway promises, 1 with the failed step otherwise. This class sets the stage up and takes
 * it down; {@link Scenes} plays, through {@link Alice}, {@link SmsUsers} and {@link Operator}.
 */
public final class Demo {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String HOST = "127.0.0.1";

  private Demo() {}

  /** Runs the demo; the exit code of the process. */
  public static int run(PrintStream out, PrintStream err) {
    // The transcript is the output; the node's own log would drown it.
    for (String logger : List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "org.apache.pekko")) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger)).setLevel(Level.ERROR);
    }
    Path dir = null;
    SmscSimulator smsc = null;
    RunningNode node = null;
    CpmClient alice = null;
    try {
      dir = Files.createTempDirectory("ipsmgw-demo");
      smsc = SmscSimulator.start(SimulatorOptions.defaults()
          .withReceipts(Duration.ofMillis(100), 1.0));
      int sipPort = freePort();
      Map<String, String> env = new HashMap<>();
      env.put("IPSMGW_DB_URL", "jdbc:h2:file:" + dir.resolve("journal").toAbsolutePath());
      env.put("IPSMGW_SIP_PORT", String.valueOf(sipPort));
      env.put("IPSMGW_MSRP_PORT", String.valueOf(freePort()));
      env.put("IPSMGW_ADMIN_PORT", String.valueOf(freePort()));
      env.put("IPSMGW_CLUSTER_PORT", String.valueOf(freePort()));
      env.put("IPSMGW_SMSC_PORT", String.valueOf(smsc.port()));
      int alicePort = freePort();
      // The IMS core of the demo is Alice's client itself: the gateway's own requests go there.
      env.put("IPSMGW_SIP_OUTBOUND_PROXY", "sip:" + HOST + ":" + alicePort + ";transport=tcp;lr");
      Config config = NodeConfig.load(null, env, new Properties());
      out.println("ipsmgw demo: a node, the SMSC simulator and a CPM client on 127.0.0.1");
      out.printf("  node: SIP %d, MSRP %d, admin %d; SMSC simulator: SMPP %d%n", sipPort,
          config.getInt("ipsmgw.msrp.port"), config.getInt("ipsmgw.admin.port"), smsc.port());
      out.println("  Alice " + Scenes.ALICE + " uses CPM; Bob " + Scenes.BOB + ", Carol "
          + Scenes.CAROL + ", Dave " + Scenes.DAVE + ", Erin " + Scenes.ERIN + ", Frank "
          + Scenes.FRANK + " and Grace " + Scenes.GRACE + " only have SMS.");
      node = Node.start(config);
      SmscSimulator sim = smsc;
      awaitTrue(() -> sim.boundSessions() > 0, "the gateway binds to the SMSC");
      alice = new CpmClient(HOST, alicePort, Scenes.ALICE);
      Transcript say = new Transcript(out);
      new Scenes(say, new Alice(say, alice, sipPort), new SmsUsers(say, smsc),
          new Operator(say, node.adminPort())).play();
      out.println();
      out.println("demo finished: every step above crossed a real socket and was checked.");
      return 0;
    } catch (Throwable e) {
      out.flush();
      err.println("ipsmgw: demo failed: " + e.getMessage());
      return 1;
    } finally {
      if (alice != null) {
        alice.close();
      }
      if (node != null) {
        node.stop();
      }
      if (smsc != null) {
        smsc.close();
      }
      deleteQuietly(dir);
    }
  }

  /** Polls until {@code condition} holds; fails naming {@code what} after {@link #WAIT}. */
  static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  /** Free for TCP and UDP: the node binds its SIP port (and Alice hers) for both. */
  private static int freePort() throws IOException {
    return FreePorts.free(InetAddress.getByName(HOST));
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A temp directory left behind is harmless; the demo's result is what matters.
    }
  }
}
