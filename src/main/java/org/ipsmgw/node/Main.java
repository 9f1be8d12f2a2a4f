package org.ipsmgw.node;

import com.typesafe.config.Config;
import java.io.File;
import java.io.PrintStream;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.ipsmgw.sim.SmscSimulatorMain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code java -jar ipsmgw.jar [node|demo|smsc-sim|cpm-client] [--config FILE] [--help]}. Any start
 * failure is one line on stderr starting with "ipsmgw: " and exit code 1; bad usage exits 2.
 */
public final class Main {
  static final String USAGE = "usage: java -jar ipsmgw.jar [node|demo|smsc-sim|cpm-client] "
      + "[--config FILE] [--help]";

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  /** What {@link #run} returns when a node was started and the process should keep running. */
  static final int RUNNING = -1;

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.getenv(), System.getProperties(), System.out, System.err);
    if (code != RUNNING) {
      System.exit(code);
    }
  }

  /** Starts what the arguments ask for; returns non-zero when the process should exit at once. */
  static int run(String[] args, Map<String, String> env, Properties props, PrintStream out,
      PrintStream err) {
    if (args.length > 0 && args[0].equals("cpm-client")) {
      return org.ipsmgw.sim.CpmClientMain.run(java.util.Arrays.copyOfRange(args, 1, args.length),
          System.in, out, err);
    }
    if (args.length > 0 && args[0].equals("smsc-sim")) {
      return SmscSimulatorMain.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.in,
          out, err);
    }
    String mode = "node";
    File configFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help", "-h" -> {
          out.println(USAGE);
          return 0;
        }
        case "--config" -> {
          if (i + 1 == args.length) {
            err.println("ipsmgw: --config needs a file");
            err.println(USAGE);
            return 2;
          }
          configFile = new File(args[++i]);
        }
        case "node", "demo" -> mode = args[i];
        case "smsc-sim", "cpm-client" -> {
          // Their own options follow them, so they must come first.
          err.println("ipsmgw: '" + args[i] + "' must be the first argument");
          err.println(USAGE);
          return 2;
        }
        default -> {
          err.println("ipsmgw: unknown argument '" + args[i] + "'");
          err.println(USAGE);
          return 2;
        }
      }
    }
    if (mode.equals("demo")) {
      // The transcript holds Greek and emoji: UTF-8 whatever the platform's default charset.
      PrintStream transcript = out != System.out ? out : new PrintStream(
          new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
          java.nio.charset.StandardCharsets.UTF_8);
      return org.ipsmgw.demo.Demo.run(transcript, err);
    }
    try {
      Config config = NodeConfig.load(configFile, env, props);
      RunningNode node = Node.start(config);
      exitWhenStopped(node.system());
      return RUNNING;
    } catch (StartupException e) {
      LOG.debug("start-up failed", e);
      err.println("ipsmgw: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      // A failure nobody worded yet still owes the operator one line, not a stack trace.
      LOG.debug("start-up failed", e);
      err.println("ipsmgw: start-up failed: " + Node.rootMessage(e));
      return 1;
    }
  }

  /**
   * SIGTERM and SIGINT run coordinated shutdown (leave the cluster, hand over shards) and exit 0;
   * the JVM's own handling would exit 143/130 without the hand-over. Any other end of the actor
   * system (downed by the split-brain resolver, fatal error) exits 1 so a supervisor restarts it.
   * The exit is here rather than Pekko's exit-jvm, which would also exit 0 on a failed start.
   */
  private static void exitWhenStopped(ActorSystem<Void> system) {
    AtomicBoolean signalled = new AtomicBoolean();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> {
        signalled.set(true);
        CoordinatedShutdown.get(system.classicSystem()).runAll(new SignalReason(name));
      });
    }
    system.getWhenTerminated().thenRun(() -> System.exit(signalled.get() ? 0 : 1));
  }

  private record SignalReason(String signal) implements CoordinatedShutdown.Reason {}
}
