package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The shaded jar as an operator runs it: a child process in its own working directory, with
 * only the IPSMGW_ variables the test gives, its stdout and stderr collected line by line until
 * they end. Tests wait on its output ({@link #ready}) and its exit, never on sleeps.
 */
final class JarProcess {
  private static final String JAR = System.getProperty("ipsmgw.jar", "target/ipsmgw.jar");
  /**
   * A child inherits an ignored SIGINT (Maven started in the background, under nohup or by some
   * CI launchers), and neither the JVM nor a non-interactive shell's trap can handle a signal
   * that was ignored when they started; GNU env (coreutils 8.31+) resets it before exec.
   */
  private static final List<String> DEFAULT_SIGINT = envResetsSigint()
      ? List.of("env", "--default-signal=INT") : List.of();

  final Process process;
  final List<String> out = new CopyOnWriteArrayList<>();
  final List<String> err = new CopyOnWriteArrayList<>();
  /** Every stdout line with the time it arrived here ({@link System#nanoTime}). */
  final List<TimedLine> timed = new CopyOnWriteArrayList<>();

  /** A line of the child's stdout and when this JVM read it. */
  record TimedLine(long nanos, String text) {}
  /** The node's ready line; null when the output ended without one. */
  final CompletableFuture<String> ready = new CompletableFuture<>();
  private final CountDownLatch drained = new CountDownLatch(2);

  JarProcess(Path workDir, Map<String, String> env, String... args) throws IOException {
    this(workDir, env, List.of(), args);
  }

  /** @param jvmOptions options for the child's JVM, e.g. -Xlog:gc */
  JarProcess(Path workDir, Map<String, String> env, List<String> jvmOptions, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(DEFAULT_SIGINT);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", new File(JAR).getAbsolutePath()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("IPSMGW_"));
    pb.environment().putAll(env);
    process = pb.start();
    drain(process.getInputStream(), out, true);
    drain(process.getErrorStream(), err, false);
  }

  private void drain(InputStream stream, List<String> lines, boolean stamped) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream,
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (stamped) {
            timed.add(new TimedLine(System.nanoTime(), line));
          }
          lines.add(line);
          if (line.contains("ipsmgw node ready")) {
            ready.complete(line);
          }
        }
      } catch (IOException ignored) {
        // The process ended; what was read is what the assertions look at.
      }
      ready.complete(null);
      drained.countDown();
    });
    t.setDaemon(true);
    t.start();
  }

  /** Waits for the exit and for both streams to end, so the whole output is in. */
  int exitCode(long seconds) throws InterruptedException {
    assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "process still running after "
        + seconds + "s; stdout: " + out + " stderr: " + err);
    assertTrue(drained.await(10, TimeUnit.SECONDS), "output did not end");
    return process.exitValue();
  }

  /** stdout, then stderr. */
  List<String> all() {
    List<String> lines = new ArrayList<>(out);
    lines.addAll(err);
    return lines;
  }

  /** Kills the process if a test left it running. */
  void stop() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Whether a child gets SIGINT at its default action even if this JVM ignores it. */
  static boolean sigintReset() {
    return !DEFAULT_SIGINT.isEmpty();
  }

  /** True when this JVM was started with SIGINT ignored (Linux: the SigIgn mask, bit 2). */
  static boolean sigintIgnoredHere() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return false;
    }
    return Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:"))
        .map(l -> Long.parseLong(l.substring(7).strip(), 16)).anyMatch(mask -> (mask & 2) != 0);
  }

  private static boolean envResetsSigint() {
    try {
      Process p = new ProcessBuilder("env", "--default-signal=INT", "true").start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
