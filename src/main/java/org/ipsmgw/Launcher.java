package org.ipsmgw;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import org.ipsmgw.demo.Demo;
import org.ipsmgw.node.Main;
import org.ipsmgw.sim.CpmClientMain;
import org.ipsmgw.sim.SmscSimulatorMain;

/**
 * The jar's entry point, {@code java -jar ipsmgw.jar [node|demo|smsc-sim|cpm-client]
 * [--config FILE] [--help]}: it only picks what runs — a node ({@link Main}, the default), the
 * demo, or one of the simulators, whose own options follow their name. It lives outside
 * {@code node/} so the node depends on none of the tools. Bad usage is one line on stderr
 * starting with "ipsmgw: ", the usage, and exit code 2.
 */
public final class Launcher {
  static final String USAGE = "usage: java -jar ipsmgw.jar [node|demo|smsc-sim|cpm-client] "
      + "[--config FILE] [--help]";

  private Launcher() {}

  /** The JDK's property for its common pool's size, read once when the pool is first used. */
  static final String COMMON_POOL_PARALLELISM =
      "java.util.concurrent.ForkJoinPool.common.parallelism";

  public static void main(String[] args) {
    commonPoolOfAtLeastTwo(System.getProperties(), Runtime.getRuntime().availableProcessors());
    int code = run(args, System.getenv(), System.getProperties(), System.in, System.out,
        System.err);
    if (code != Main.RUNNING) {
      System.exit(code);
    }
  }

  /**
   * On two cores the common pool's parallelism is 1, and CompletableFuture then runs each
   * callback given no executor on a new thread. Pekko's asks answer through such callbacks (an
   * actor's ask pipes its answer that way): a thread per MO SMS, per SMS acceptance, per chat
   * set-up. Two threads of the pool serve them instead. An operator's own value is kept. Set
   * before anything uses the pool, which reads the property once.
   */
  static void commonPoolOfAtLeastTwo(Properties props, int cores) {
    if (props.getProperty(COMMON_POOL_PARALLELISM) == null && cores - 1 < 2) {
      props.setProperty(COMMON_POOL_PARALLELISM, "2");
    }
  }

  /**
   * Runs what the arguments ask for; returns the exit code, or {@link Main#RUNNING} when a node
   * was started and the process should keep running.
   */
  static int run(String[] args, Map<String, String> env, Properties props, InputStream in,
      PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("cpm-client")) {
      return CpmClientMain.run(rest(args), in, out, err);
    }
    if (args.length > 0 && args[0].equals("smsc-sim")) {
      return SmscSimulatorMain.run(rest(args), in, out, err);
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
            return usageError(err, "--config needs a file");
          }
          configFile = new File(args[++i]);
        }
        case "node", "demo" -> mode = args[i];
        // Their own options follow them, so they must come first.
        case "smsc-sim", "cpm-client" -> {
          return usageError(err, "'" + args[i] + "' must be the first argument");
        }
        default -> {
          return usageError(err, "unknown argument '" + args[i] + "'");
        }
      }
    }
    if (mode.equals("demo")) {
      return Demo.run(utf8(out), err);
    }
    return Main.run(configFile, env, props, err);
  }

  private static String[] rest(String[] args) {
    return Arrays.copyOfRange(args, 1, args.length);
  }

  private static int usageError(PrintStream err, String problem) {
    err.println("ipsmgw: " + problem);
    err.println(USAGE);
    return 2;
  }

  /** The demo's transcript holds Greek and emoji: UTF-8 whatever the platform's default. */
  private static PrintStream utf8(PrintStream out) {
    return out != System.out ? out : new PrintStream(new FileOutputStream(FileDescriptor.out),
        true, StandardCharsets.UTF_8);
  }
}
