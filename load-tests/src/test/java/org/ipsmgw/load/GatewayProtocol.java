package org.ipsmgw.load;

import io.gatling.core.stats.StatsEngine;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load generator's side of the gateway: the CPM users' SIP stack, their MSRP connections,
 * the SMSC simulator's control, what every token is awaited by, and the ledger. One per
 * simulation; its steps are in {@link ChatActions}. (Not a Gatling {@code Protocol}: the steps
 * reach it directly, which needs no Scala-side registration.)
 */
final class GatewayProtocol implements AutoCloseable {
  private static final Pattern IMDN_ID = Pattern.compile("imdn\\.Message-ID:\\s*(\\S+)");

  final LoadConfig config;
  final SipUa sip;
  final SmscControl smsc;
  final SmscWatch watch;
  final Ledger ledger = new Ledger();
  final Map<Long, Chat> chats = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Long>> awaitedAtSmsc = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Long>> awaitedAtCpm = new ConcurrentHashMap<>();

  GatewayProtocol(LoadConfig config) throws Exception {
    this.config = config;
    int sipPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(config.host()))) {
      sipPort = s.getLocalPort();
    }
    this.sip = new SipUa(config.host(), sipPort, config.host(), config.sipPort());
    this.smsc = new SmscControl(config.host(), config.smscControlPort());
    this.watch = new SmscWatch(smsc, config.pollMs(), this::atSmsc);
  }

  ChatActions actions() {
    return new ChatActions(this);
  }

  /**
   * Awaits a token where it is going; records "{@code request}" from {@code start} to its arrival,
   * KO when it has not arrived within the timeout.
   */
  CompletableFuture<Long> await(Tokens.Token t, long start, String request, StatsEngine stats,
      io.gatling.core.session.Session session) {
    Map<String, CompletableFuture<Long>> where = t.mt() ? awaitedAtSmsc : awaitedAtCpm;
    CompletableFuture<Long> f = new CompletableFuture<>();
    where.put(t.toString(), f);
    return f.orTimeout(config.timeoutMs(), TimeUnit.MILLISECONDS).whenComplete((at, e) -> {
      where.remove(t.toString());
      if (e == null) {
        AsyncAction.record(stats, session, request, start, at, null);
      } else if (!(e instanceof Refused)) {
        AsyncAction.record(stats, session, request, start, System.currentTimeMillis(),
            "not arrived within " + config.timeoutMs() + " ms");
      }
    });
  }

  /** The message was refused at its first edge: nothing more is awaited for it. */
  void refused(Tokens.Token t) {
    CompletableFuture<Long> f = (t.mt() ? awaitedAtSmsc : awaitedAtCpm).remove(t.toString());
    if (f != null) {
      f.completeExceptionally(new Refused());
    }
  }

  private static final class Refused extends RuntimeException {
    Refused() {
      super(null, null, false, false);
    }
  }

  private void atSmsc(Tokens.Token t, long at) {
    ledger.arrived(t);
    CompletableFuture<Long> f = awaitedAtSmsc.get(t.toString());
    if (f != null) {
      f.complete(at);
    }
  }

  /** A SEND from the gateway to a CPM user (already answered 200). */
  void atCpm(Chat chat, MsrpFrame f) {
    String body = f.bodyText();
    Tokens.Token t = Tokens.find(body);
    if (t == null || t.mt()) {
      return;
    }
    Matcher id = IMDN_ID.matcher(body);
    if (id.find() && !chat.shownMessageIds.add(id.group(1))) {
      return;
    }
    ledger.arrived(t);
    CompletableFuture<Long> awaited = awaitedAtCpm.get(t.toString());
    if (awaited != null) {
      awaited.complete(System.currentTimeMillis());
    }
  }

  /** The run's verdict after a last look at the SMSC (a late duplicate counts too). */
  Ledger.Verdict finish() {
    try {
      watch.poll();
    } catch (Exception e) {
      System.out.println("load: last SMSC poll failed: " + e);
    }
    return ledger.verifyAll();
  }

  @Override
  public void close() {
    watch.close();
    chats.values().forEach(c -> {
      if (c.msrp != null) {
        c.msrp.close();
      }
    });
    sip.close();
  }
}
