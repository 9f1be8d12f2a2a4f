package org.ipsmgw.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.TestPorts;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.sms.Gsm7Alphabet;
import org.junit.jupiter.api.Test;

/**
 * The {@code cpm-client} command line against a real node and SMSC simulator: a chat is invited,
 * a line is said (and becomes an SMS), the chat is ended, and a pager message is sent; what the
 * command printed shows each answer.
 */
class CpmClientMainIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aChatAndAPagerMessageFromTheCommandLine() throws Exception {
    String user = "+447700960001";
    try (EdgeNode edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of(), new Properties())) {
      SmscSimulator smsc = edges.smsc;
      RunningNode node = edges.node;
      int sipPort = edges.sipPort;
      org.ipsmgw.EdgeNode.prefer(node, user, InvitationAction.ACCEPT);
      String commands = "invite " + user + "\nsay hello from the command line\nbye\n"
          + "page " + user + " a pager line\nquit\n";
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      ByteArrayOutputStream errors = new ByteArrayOutputStream();
      int code = CpmClientMain.run(new String[] {"--gateway", "127.0.0.1:" + sipPort,
              "--port", String.valueOf(TestPorts.free())},
          new ByteArrayInputStream(commands.getBytes(StandardCharsets.UTF_8)),
          new PrintStream(printed, true, StandardCharsets.UTF_8),
          new PrintStream(errors, true, StandardCharsets.UTF_8));
      String out = printed.toString(StandardCharsets.UTF_8);
      assertEquals(0, code, out + errors.toString(StandardCharsets.UTF_8));
      for (String expected : List.of("> INVITE " + user, "< 200 OK [Conversation-ID ",
          "> MSRP SEND cli-1: hello from the command line", "< MSRP 200", "> BYE",
          "< 200 OK", "> MESSAGE " + user + ": a pager line", "< 202 Accepted")) {
        assertTrue(out.contains(expected), "'" + expected + "' in:\n" + out);
      }
      Await.until(() -> smsc.submits().stream().filter(s -> s.destination().equals(
          user.substring(1))).map(s -> Gsm7Alphabet.decode(s.shortMessage(), 0,
              s.shortMessage().length)).toList().containsAll(List.of(
                  "hello from the command line", "a pager line")), WAIT,
          "both lines reached the SMSC");
    }
  }

  /**
   * A chat message from the SMS side is printed while the client waits for nothing but stdin,
   * and the client's BYE gets its 200 printed before the next command runs.
   */
  @Test
  void printsAChatMessageAsItArrivesAndByeGetsIts200() throws Exception {
    String user = "+447700960002";
    try (EdgeNode edges = EdgeNode.start(SimulatorOptions.defaults(), Map.of(), new Properties())) {
      SmscSimulator smsc = edges.smsc;
      RunningNode node = edges.node;
      int sipPort = edges.sipPort;
      Stdin stdin = new Stdin();
      Lines printed = new Lines();
      java.util.concurrent.CompletableFuture<Integer> exit = new java.util.concurrent.CompletableFuture<>();
      try {
        org.ipsmgw.EdgeNode.prefer(node, user, InvitationAction.ACCEPT);
        Thread cli = new Thread(() -> exit.complete(CpmClientMain.run(new String[] {
            "--gateway", "127.0.0.1:" + sipPort, "--port", String.valueOf(TestPorts.free())},
            stdin, new PrintStream(printed, true, StandardCharsets.UTF_8),
            new PrintStream(printed, true, StandardCharsets.UTF_8))));
        cli.setDaemon(true);
        cli.start();
        stdin.type("invite " + user);
        printed.await(l -> l.startsWith("> ACK; MSRP connected to "));
        stdin.type("say first line");
        printed.await(l -> l.equals("< MSRP 200"));
        printed.await(l -> l.startsWith("< MSRP SEND: IMDN delivered for cli-1"));
        // The command line now waits for its next line: whatever it prints from here on was
        // printed by a receiving thread.
        stdin.awaitIdle();
        Await.until(() -> smsc.submits().stream().anyMatch(s -> s.destination().equals(
            user.substring(1))), WAIT, "the line reached the SMSC");
        String number = "+" + smsc.submits().stream().filter(s -> s.destination().equals(
            user.substring(1))).findFirst().orElseThrow().source();

        // Nothing more on stdin: the receiving thread prints the reply as it arrives.
        assertEquals(List.of(0), smsc.injectMo(user, number, "a reply from the SMS side"));
        printed.await(l -> l.startsWith("< MSRP SEND: ")
            && l.endsWith("\"a reply from the SMS side\""));

        stdin.type("bye");
        printed.await(l -> l.equals("> BYE"));
        stdin.type("page " + user + " after the chat");
        List<String> rest = printed.await(l -> l.startsWith("< 202"));
        int bye = rest.indexOf("> BYE");
        assertEquals("< 200 OK", rest.get(bye + 1), "BYE answered before the next command: "
            + rest);
        stdin.type("quit");
        assertEquals(0, exit.get(20, java.util.concurrent.TimeUnit.SECONDS), printed.all()
            .toString());
      } finally {
        stdin.close();
      }
    }
  }

  /** The client's stdin: lines typed by the test, and a probe for "reading with nothing left". */
  private static final class Stdin extends java.io.InputStream {
    private final java.util.concurrent.LinkedBlockingQueue<Integer> bytes =
        new java.util.concurrent.LinkedBlockingQueue<>();
    private volatile java.util.concurrent.CompletableFuture<Void> idle =
        new java.util.concurrent.CompletableFuture<>();

    void type(String line) {
      idle = new java.util.concurrent.CompletableFuture<>();
      for (byte b : (line + "\n").getBytes(StandardCharsets.UTF_8)) {
        bytes.add(b & 0xFF);
      }
    }

    /** Returns once the client asked for more input after everything typed was read. */
    void awaitIdle() throws Exception {
      idle.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      bytes.add(-1);
    }

    @Override
    public int read() throws java.io.IOException {
      try {
        if (bytes.isEmpty()) {
          idle.complete(null);
        }
        int b = bytes.take();
        if (b == -1) {
          bytes.add(-1);
        }
        return b;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
    }

    @Override
    public int read(byte[] buf, int off, int len) throws java.io.IOException {
      if (len == 0) {
        return 0;
      }
      int first = read();
      if (first == -1) {
        return -1;
      }
      buf[off] = (byte) first;
      int n = 1;
      Integer next;
      while (n < len && (next = bytes.peek()) != null && next != -1) {
        buf[off + n++] = (byte) (int) bytes.poll();
      }
      return n;
    }
  }

  /** What the command line printed, line by line, for awaiting a line. */
  private static final class Lines extends java.io.OutputStream {
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private final List<String> lines = new java.util.ArrayList<>();

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        lines.add(current.toString(StandardCharsets.UTF_8));
        current.reset();
        notifyAll();
      } else {
        current.write(b);
      }
    }

    synchronized List<String> all() {
      return List.copyOf(lines);
    }

    /** Waits for a line matching {@code p}; returns every line printed up to it. */
    synchronized List<String> await(java.util.function.Predicate<String> p)
        throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (lines.stream().noneMatch(p)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no such line within " + WAIT + " in:\n"
              + String.join("\n", lines));
        }
        wait(Math.max(1, left / 1_000_000));
      }
      return List.copyOf(lines);
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "--port|99999|--port must be a port number 1-65535, got '99999'",
      "--port|abc|--port must be a port number 1-65535, got 'abc'",
      "--gateway|127.0.0.1:abc|--gateway must be host:port with a port 1-65535, got '127.0.0.1:abc'",
      "--gateway|127.0.0.1:0|--gateway must be host:port with a port 1-65535, got '127.0.0.1:0'"})
  void aBadOptionValueExits2WithOneLineNamingIt(String option, String value, String message)
      throws Exception {
    JarRun run = JarRun.of("cpm-client", option, value);
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals(List.of("cpm-client: " + message), run.err(), run.toString());
    run.assertNoStackTrace();
  }
}
