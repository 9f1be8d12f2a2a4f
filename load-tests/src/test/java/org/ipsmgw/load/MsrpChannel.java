package org.ipsmgw.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A CPM client's MSRP connection to the gateway (RFC 4975 over TCP): SENDs out, each answered
 * by its transaction id; the gateway's SENDs in, answered 200 and handed on. One reading thread
 * per connection; writes are small frames written whole under a lock, so one chat's SENDs leave
 * in the order they were made.
 */
final class MsrpChannel implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final String ourPath;
  private final Map<String, CompletableFuture<Integer>> answers = new ConcurrentHashMap<>();
  private final Consumer<MsrpFrame> onSend;
  private volatile boolean closed;

  /**
   * @param onSend each SEND from the gateway with a body, after its 200 went out (reader thread)
   */
  MsrpChannel(String host, int port, String ourPath, Consumer<MsrpFrame> onSend)
      throws IOException {
    this.socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 5000);
    this.out = socket.getOutputStream();
    this.ourPath = ourPath;
    this.onSend = onSend;
    Thread reader = new Thread(this::read, "msrp-" + ourPath);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Sends a SEND; completes with its response status, or exceptionally after {@code timeoutMs}
   * or when the connection breaks.
   */
  CompletableFuture<Integer> send(String tid, byte[] frame, long timeoutMs) {
    CompletableFuture<Integer> answer = new CompletableFuture<>();
    answers.put(tid, answer);
    answer.orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
        .whenComplete((s, e) -> answers.remove(tid));
    try {
      write(frame);
    } catch (IOException e) {
      answer.completeExceptionally(e);
    }
    return answer;
  }

  private void write(byte[] frame) throws IOException {
    synchronized (out) {
      out.write(frame);
      out.flush();
    }
  }

  private void read() {
    try {
      MsrpReader reader = new MsrpReader(new BufferedInputStream(socket.getInputStream(), 8192));
      MsrpFrame f;
      while ((f = reader.next()) != null) {
        if (!f.isRequest()) {
          CompletableFuture<Integer> a = answers.get(f.transactionId());
          if (a != null) {
            a.complete(f.status());
          }
        } else if (f.method().equals("SEND")) {
          if (!"no".equalsIgnoreCase(f.header("Failure-Report"))) {
            write(MsrpFrame.ok(f, ourPath));
          }
          if (f.body().length > 0) {
            onSend.accept(f);
          }
        }
        // A REPORT is never answered (RFC 4975 §7.1.2).
      }
      fail(new IOException("the gateway closed the MSRP connection"));
    } catch (IOException e) {
      fail(closed ? new IOException("closed") : e);
    }
  }

  private void fail(IOException e) {
    answers.values().forEach(a -> a.completeExceptionally(e));
  }

  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
  }
}
