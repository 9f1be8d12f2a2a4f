package org.ipsmgw.node;

import com.typesafe.config.Config;
import java.io.File;
import java.io.PrintStream;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs one node as a process: loads its configuration, starts it, and exits when it stops. Any
 * start failure is one line on stderr starting with "ipsmgw: " and exit code 1. The jar's
 * command line is read by {@code org.ipsmgw.Launcher}, which calls this for {@code node}.
 */
public final class Main {
  /** What {@link #run} returns when a node was started and the process should keep running. */
  public static final int RUNNING = -1;

  private Main() {}

  /**
   * Starts a node from {@code configFile} (null: none), the environment and system properties;
   * returns {@link #RUNNING}, or 1 when it could not start.
   */
  public static int run(File configFile, Map<String, String> env, Properties props,
      PrintStream err) {
    // Before anything makes a logger: Logback reads its configuration then, once.
    LogFormat.select(configFile, env, props);
    try {
      Config config = NodeConfig.load(configFile, env, props);
      RunningNode node = Node.start(config);
      exitWhenStopped(node.system());
      Node.logWhenReady(node.system(), config);
      return RUNNING;
    } catch (StartupException e) {
      log().debug("start-up failed", e);
      err.println("ipsmgw: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      // A failure nobody worded yet still owes the operator one line, not a stack trace.
      log().debug("start-up failed", e);
      err.println("ipsmgw: start-up failed: " + Node.rootMessage(e));
      return 1;
    }
  }

  /** Not a static field: it would configure Logback before {@link LogFormat#select}. */
  private static Logger log() {
    return LoggerFactory.getLogger(Main.class);
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
