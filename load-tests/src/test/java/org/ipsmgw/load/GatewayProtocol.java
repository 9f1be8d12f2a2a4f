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
  final MoInjector mo;
  final Ledger ledger = new Ledger();
  final Map<Long, Chat> chats = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Long>> awaitedAtSmsc = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Long>> awaitedAtCpm = new ConcurrentHashMap<>();
  /** Invitation SMS awaited, by the SMS user's number (digits): they carry no token. */
  private final Map<String, CompletableFuture<Long>> awaitedInvitations =
      new ConcurrentHashMap<>();

  GatewayProtocol(LoadConfig config) throws Exception {
    this.config = config;
    int sipPort = config.uaPort();
    if (sipPort == 0) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(config.host()))) {
        sipPort = s.getLocalPort();
      }
    }
    this.sip = new SipUa(config.host(), sipPort, config.host(), config.sipPorts(),
        this::messageAtCpm);
    this.smsc = new SmscControl(config.host(), config.smscControlPort());
    this.watch = new SmscWatch(smsc, config.pollMs(), this::atSmsc);
    this.mo = new MoInjector(smsc, config.moBatchMs(), config.timeoutMs());
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

  /**
   * Expects a token where it is going, without timing it yet: the caller times it once it knows
   * when the message really left (an MO's deliver_sm, after its wait in the SMSC's queue).
   * Completes with the arrival time; exceptionally when {@link #refused}.
   */
  CompletableFuture<Long> expect(Tokens.Token t) {
    Map<String, CompletableFuture<Long>> where = t.mt() ? awaitedAtSmsc : awaitedAtCpm;
    CompletableFuture<Long> f = new CompletableFuture<>();
    where.put(t.toString(), f);
    f.whenComplete((at, e) -> where.remove(t.toString(), f));
    return f;
  }

  static boolean isRefusal(Throwable e) {
    return e instanceof Refused || e != null && e.getCause() instanceof Refused;
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

  /**
   * Awaits the invitation SMS to {@code smsUser}; records "{@code request}" from {@code start}
   * to its arrival, KO when it has not come within the timeout.
   */
  CompletableFuture<Long> awaitInvitation(String smsUser, long start, String request,
      StatsEngine stats, io.gatling.core.session.Session session) {
    String key = digits(smsUser);
    CompletableFuture<Long> f = new CompletableFuture<>();
    awaitedInvitations.put(key, f);
    // The future itself is handed out (not a stage after it), so completing it exceptionally
    // with a reason records that reason once.
    f.orTimeout(config.timeoutMs(), TimeUnit.MILLISECONDS).whenComplete((at, e) -> {
      awaitedInvitations.remove(key, f);
      Throwable c = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
      AsyncAction.record(stats, session, request, start, e == null ? at
          : System.currentTimeMillis(), e == null ? null
          : c instanceof java.util.concurrent.TimeoutException ? "not arrived within "
              + config.timeoutMs() + " ms" : String.valueOf(c.getMessage()));
    });
    return f;
  }

  private static String digits(String number) {
    return number == null ? "" : number.startsWith("+") ? number.substring(1) : number;
  }

  private void atSmsc(SmscControl.Submit s, long at) {
    Tokens.Token t = Tokens.find(s.text());
    if (t != null && t.mt()) {
      ledger.arrived(t);
      CompletableFuture<Long> f = awaitedAtSmsc.get(t.toString());
      if (f != null) {
        f.complete(at);
      }
      return;
    }
    if (t == null) {
      CompletableFuture<Long> invitation = awaitedInvitations.get(digits(s.destination()));
      if (invitation != null) {
        invitation.complete(at);
      }
    }
  }

  /** A pager-mode MESSAGE from the gateway to a CPM user (already answered 200). */
  private void messageAtCpm(String body) {
    Tokens.Token t = Tokens.find(body);
    if (t == null || t.mt()) {
      return;
    }
    Chat chat = chats.get(t.chat());
    Matcher id = IMDN_ID.matcher(body);
    if (chat != null && id.find() && !chat.shownMessageIds.add(id.group(1))) {
      return;
    }
    ledger.arrived(t);
    CompletableFuture<Long> awaited = awaitedAtCpm.get(t.toString());
    if (awaited != null) {
      awaited.complete(System.currentTimeMillis());
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
    mo.close();
    chats.values().forEach(c -> {
      if (c.msrp != null) {
        c.msrp.close();
      }
    });
    sip.close();
  }
}
