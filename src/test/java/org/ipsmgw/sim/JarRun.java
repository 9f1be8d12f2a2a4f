package org.ipsmgw.sim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One run of the shaded jar that ends by itself (a usage error): its exit code and output. */
record JarRun(int exitCode, List<String> out, List<String> err) {
  private static final String JAR = System.getProperty("ipsmgw.jar", "target/ipsmgw.jar");

  static JarRun of(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"),
        "bin", "java").toString(), "-jar", new File(JAR).getAbsolutePath()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    p.getOutputStream().close();
    CompletableFuture<List<String>> out = lines(p.getInputStream());
    CompletableFuture<List<String>> err = lines(p.getErrorStream());
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("still running after 30 s: " + command);
    }
    return new JarRun(p.exitValue(), out.join(), err.join());
  }

  private static CompletableFuture<List<String>> lines(java.io.InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
            .filter(l -> !l.isBlank()).toList();
      } catch (IOException e) {
        return List.of("(read failed: " + e + ")");
      }
    });
  }

  void assertNoStackTrace() {
    for (String l : out.isEmpty() ? err : concat()) {
      assertFalse(l.contains("Exception") || l.strip().startsWith("at org.")
          || l.strip().startsWith("at java."), "stack trace: " + this);
    }
    assertTrue(out.isEmpty(), "nothing on stdout: " + this);
  }

  private List<String> concat() {
    List<String> all = new ArrayList<>(out);
    all.addAll(err);
    return all;
  }
}
