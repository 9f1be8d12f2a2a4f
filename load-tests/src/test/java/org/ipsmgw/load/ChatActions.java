package org.ipsmgw.load;

import io.gatling.core.action.Action;
import io.gatling.core.session.Session;
import io.gatling.core.stats.StatsEngine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.sip.message.Response;

/**
 * The gateway protocol's steps. Each is asynchronous and shows in the report as timed requests:
 * <ul>
 *   <li>{@link #invite}: "INVITE→200" (then ACK), with media also "MSRP bind" (connect to the
 *       answer's a=path and the empty SEND that binds it, → 200);
 *   <li>{@link #send}: "MSRP SEND→200", and later "SMS at SMSC" (SEND → its token in an accepted
 *       submit_sm); up to {@code window} SENDs of a chat in flight;
 *   <li>{@link #injectMo}: "MO deliver_sm_resp" (POST /mo → every part answered 0), and later
 *       "MSRP at CPM" (inject → its token in a SEND from the gateway);
 *   <li>{@link #awaitSms}, {@link #awaitMsrp}: wait until every message of the chat arrived or
 *       timed out (each already recorded);
 *   <li>{@link #verify}: "exactly once in order" for the chat, from the ledger;
 *   <li>{@link #bye}: "BYE→200".
 * </ul>
 * A step that cannot start (no chat, no media) records KO and marks the user failed, so the
 * scenario's {@code exitHereIfFailed} ends that chat.
 */
final class ChatActions {
  static final String INVITE = "INVITE→200";
  static final String BIND = "MSRP bind";
  static final String SEND = "MSRP SEND→200";
  static final String AT_SMSC = "SMS at SMSC";
  static final String MO = "MO deliver_sm_resp";
  static final String AT_CPM = "MSRP at CPM";
  static final String VERIFY = "exactly once in order";
  static final String BYE = "BYE→200";
  static final String PAGER = "MESSAGE→202";
  static final String PAGER_AT_SMSC = "pager SMS at SMSC";
  static final String PAGER_AT_CPM = "MESSAGE at CPM";
  static final String INVITATION_SMS = "invitation SMS at SMSC";
  static final String REPLY_TO_200 = "YES→200";

  private final GatewayProtocol p;
  private final long timeout;

  ChatActions(GatewayProtocol p) {
    this.p = p;
    this.timeout = p.config.timeoutMs();
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private static String why(Throwable e) {
    Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
        ? e.getCause() : e;
    return c instanceof java.util.concurrent.TimeoutException ? "timeout" : String.valueOf(
        c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage());
  }

  /** INVITE → 200 → ACK; with {@code media}, then the MSRP connection and its bind. */
  Step invite(boolean media) {
    return new Step((next, stats) -> new AsyncAction("invite", next, stats) {
      @Override
      public void execute(Session session) {
        Chat chat = newChat(session);
        long start = now();
        CompletableFuture<Response> answer;
        try {
          answer = p.sip.invite(chat, timeout);
        } catch (Exception e) {
          ko(session, INVITE, start, now(), "not sent: " + e.getMessage());
          proceed(session.markAsFailed());
          return;
        }
        answer.whenComplete((r, e) -> answered(this, session, chat, start, r, e, media));
      }
    });
  }

  Chat newChat(Session session) {
    Chat chat = new Chat(session.userId(), p.config.numberOffset(), p.config.host(),
        p.config.window(), p.config.moWindow());
    p.chats.put(chat.id, chat);
    return chat;
  }

  /** The INVITE's final answer: "INVITE→200" OK and ACK, then the MSRP bind with media. */
  void answered(AsyncAction a, Session session, Chat chat, long start, Response r, Throwable e,
      boolean media) {
    long end = now();
    if (e != null || r.getStatusCode() != 200) {
      a.ko(session, INVITE, start, end, e != null ? why(e) : "answered " + r.getStatusCode());
      a.proceed(session.markAsFailed());
      return;
    }
    try {
      p.sip.ack(chat, r);
    } catch (Exception ack) {
      a.ko(session, INVITE, start, end, "ACK not sent: " + ack.getMessage());
      a.proceed(session.markAsFailed());
      return;
    }
    a.ok(session, INVITE, start, end);
    if (!media) {
      a.proceed(session);
      return;
    }
    bind(a, session, chat, r);
  }

  private void bind(AsyncAction a, Session session, Chat chat, Response ok) {
    long start = now();
    try {
      String sdp = new String(ok.getRawContent(), StandardCharsets.UTF_8);
      String path = sdp.lines().filter(l -> l.startsWith("a=path:")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no a=path in the 200's SDP"))
          .substring(7).trim().split(" ")[0];
      java.net.URI uri = java.net.URI.create(path.replace(";tcp", ""));
      chat.gatewayPath = path;
      chat.msrp = new MsrpChannel(uri.getHost(), uri.getPort(), chat.ourPath,
          f -> p.atCpm(chat, f));
      String tid = "b" + chat.nonce;
      chat.msrp.send(tid, MsrpFrame.send(tid, path, chat.ourPath, "bind" + chat.nonce,
          null, new byte[0]), timeout).whenComplete((status, e) -> {
            if (e == null && status == 200) {
              a.ok(session, BIND, start, now());
              a.proceed(session);
            } else {
              a.ko(session, BIND, start, now(), e != null ? why(e) : "answered " + status);
              a.proceed(session.markAsFailed());
            }
          });
    } catch (Exception e) {
      a.ko(session, BIND, start, now(), "no MSRP connection: " + e.getMessage());
      a.proceed(session.markAsFailed());
    }
  }

  /**
   * An invitation the gateway turns into an SMS (policy INVITE_BY_SMS): INVITE (it rings), then
   * "invitation SMS at SMSC" (INVITE → an SMS without token to the SMS user); then the user goes
   * on, the INVITE still open. KO and the user failed when no invitation SMS came.
   */
  Step inviteBySms() {
    return new Step((next, stats) -> new AsyncAction("inviteBySms", next, stats) {
      @Override
      public void execute(Session session) {
        Chat chat = newChat(session);
        long start = now();
        CompletableFuture<Long> sms = p.awaitInvitation(chat.sms, start, INVITATION_SMS, stats,
            session);
        try {
          chat.pendingInvite = p.sip.invite(chat, timeout);
          chat.inviteStart = start;
        } catch (Exception e) {
          sms.completeExceptionally(new IllegalStateException("INVITE not sent"));
          ko(session, INVITE, start, now(), "not sent: " + e.getMessage());
          proceed(session.markAsFailed());
          return;
        }
        // An INVITE finally answered before its invitation SMS came (a refusal, or a 200 when
        // the policy is not INVITE_BY_SMS) ends this user here, with the reason.
        chat.pendingInvite.whenComplete((r, e) -> {
          if (!sms.isDone()) {
            String why = e != null ? why(e) : "INVITE answered " + r.getStatusCode()
                + " before any invitation SMS";
            if (sms.completeExceptionally(new IllegalStateException(why))) {
              ko(session, INVITE, start, now(), why);
            }
          }
        });
        sms.whenComplete((at, e) -> proceed(e == null ? session : session.markAsFailed()));
      }
    });
  }

  /**
   * The SMS user's reply "YES" to the invitation (an MO to the CPM user's number, which the
   * invitation came from): "MO deliver_sm_resp", then "YES→200" (reply injected → the INVITE's
   * 200) and "INVITE→200" (INVITE → 200), the ACK, with {@code media} the MSRP bind.
   */
  Step replyYes(boolean media) {
    return new Step((next, stats) -> new AsyncAction("replyYes", next, stats) {
      @Override
      public void execute(Session session) {
        Chat chat = p.chats.get(session.userId());
        long start = now();
        if (chat == null || chat.pendingInvite == null) {
          ko(session, REPLY_TO_200, start, start, "no pending invitation");
          proceed(session.markAsFailed());
          return;
        }
        AsyncAction self = this;
        p.mo.inject(chat.sms, chat.cpm, "YES").whenComplete((o, e) -> {
          if (e == null && o.accepted()) {
            ok(session, MO, o.sentMillis(), o.answeredMillis());
          } else if (e == null) {
            ko(session, MO, o.sentMillis(), o.answeredMillis(), "statuses " + o.statuses());
          } else {
            ko(session, MO, start, now(), why(e));
          }
        });
        chat.pendingInvite.whenComplete((r, e) -> {
          long end = now();
          if (e == null && r.getStatusCode() == 200) {
            ok(session, REPLY_TO_200, start, end);
          } else {
            ko(session, REPLY_TO_200, start, end, e != null ? why(e)
                : "answered " + r.getStatusCode());
          }
          answered(self, session, chat, chat.inviteStart, r, e, media);
        });
      }
    });
  }

  /**
   * A pager-mode MESSAGE CPM user → SMS user, its token in the CPIM text: "MESSAGE→202" (any
   * 2xx), then "pager SMS at SMSC" (MESSAGE → its token in an accepted submit_sm). Up to the
   * chat's window in flight. The first one of a user opens its "chat" (no INVITE).
   */
  Step page() {
    return new Step((next, stats) -> new AsyncAction("page", next, stats) {
      @Override
      public void execute(Session session) {
        Chat chat = p.chats.get(session.userId());
        if (chat == null) {
          chat = newChat(session);
        }
        Chat c = chat;
        long start = now();
        Tokens.Token t = Tokens.mt(c.id, ++c.mtSeq);
        c.mtArrivals.add(p.await(t, start, PAGER_AT_SMSC, stats, session));
        try {
          p.sip.message(c, t.seq(), cpim(c, t, p.config), timeout).whenComplete((r, e) -> {
            if (e == null && r.getStatusCode() / 100 == 2) {
              p.ledger.sent(t);
              ok(session, PAGER, start, now());
            } else {
              p.refused(t);
              ko(session, PAGER, start, now(), e != null ? why(e)
                  : "answered " + r.getStatusCode());
            }
            c.mtWindow.closed();
          });
        } catch (Exception e) {
          p.refused(t);
          ko(session, PAGER, start, now(), "not sent: " + e.getMessage());
          c.mtWindow.closed();
        }
        c.mtWindow.opened(() -> proceed(session));
      }
    });
  }

  /** The pager user leaves: nothing more is awaited for it (its ledger stays for the end). */
  Step leave() {
    return new Step((next, stats) -> new AsyncAction("leave", next, stats) {
      @Override
      public void execute(Session session) {
        Chat chat = p.chats.get(session.userId());
        if (chat != null) {
          end(chat);
        }
        proceed(session);
      }
    });
  }

  /** One chat message CPM → SMS over MSRP, its token in the text; up to the window in flight. */
  Step send() {
    return new Step((next, stats) -> new AsyncAction("send", next, stats) {
      @Override
      public void execute(Session session) {
        Chat chat = p.chats.get(session.userId());
        long start = now();
        if (chat == null || chat.msrp == null) {
          ko(session, SEND, start, start, "no MSRP connection");
          proceed(session.markAsFailed());
          return;
        }
        Tokens.Token t = Tokens.mt(chat.id, ++chat.mtSeq);
        byte[] cpim = cpim(chat, t, p.config).getBytes(StandardCharsets.UTF_8);
        String tid = "s" + t.seq() + "x" + chat.nonce;
        chat.mtArrivals.add(p.await(t, start, AT_SMSC, stats, session));
        chat.msrp.send(tid, MsrpFrame.send(tid, chat.gatewayPath, chat.ourPath, "m" + tid,
            "message/cpim", cpim), timeout).whenComplete((status, e) -> {
              if (e == null && status == 200) {
                p.ledger.sent(t);
                ok(session, SEND, start, now());
              } else {
                p.refused(t);
                ko(session, SEND, start, now(), e != null ? why(e) : "answered " + status);
              }
              chat.mtWindow.closed();
            });
        chat.mtWindow.opened(() -> proceed(session));
      }
    });
  }

  /** An MO SMS SMS user → CPM user through the simulator, its token in the text. */
  Step injectMo() {
    return injectMo(AT_CPM);
  }

  /**
   * An MO SMS SMS user → CPM user, its token in the text, queued at the simulator's batch
   * injection: "MO deliver_sm_resp" is the simulator's deliver_sm → its response (0 in every
   * part: OK), "{@code arrival}" that deliver_sm → its token at the CPM user (MSRP in a chat, a
   * MESSAGE in pager mode). An MO not answered within the timeout of its injection (also one
   * still queued at the SMSC) is a KO. Up to the MO window of the chat in flight.
   */
  Step injectMo(String arrival) {
    return new Step((next, stats) -> new AsyncAction("injectMo", next, stats) {
      @Override
      public void execute(Session session) {
        Chat chat = p.chats.get(session.userId());
        long start = now();
        if (chat == null) {
          ko(session, MO, start, start, "no chat");
          proceed(session.markAsFailed());
          return;
        }
        Tokens.Token t = Tokens.mo(chat.id, ++chat.moSeq);
        CompletableFuture<Long> arrived = p.expect(t);
        // Settled once the arrival is recorded (or the MO refused): what awaitMsrp waits for.
        CompletableFuture<Long> settled = new CompletableFuture<>();
        chat.moArrivals.add(settled);
        p.mo.inject(chat.sms, chat.cpm, p.config.text(t)).whenComplete((o, e) -> {
          if (e == null && o.accepted()) {
            p.ledger.sent(t);
            ok(session, MO, o.sentMillis(), o.answeredMillis());
            // Timed from the deliver_sm, not the injection: the wait in the SMSC's queue (a
            // burst) is the SMSC's, not the node's.
            arrived.orTimeout(timeout, java.util.concurrent.TimeUnit.MILLISECONDS)
                .whenComplete((at, late) -> {
                  if (late == null) {
                    ok(session, arrival, o.sentMillis(), at);
                  } else if (!GatewayProtocol.isRefusal(late)) {
                    ko(session, arrival, o.sentMillis(), now(), "not arrived within " + timeout
                        + " ms of its deliver_sm_resp");
                  }
                  settled.complete(now());
                });
          } else {
            p.refused(t);
            if (e == null) {
              ko(session, MO, o.sentMillis(), o.answeredMillis(), "statuses " + o.statuses());
            } else {
              ko(session, MO, start, now(), why(e));
            }
            settled.complete(now());
          }
          chat.moWindow.closed();
        });
        chat.moWindow.opened(() -> proceed(session));
      }
    });
  }

  /** Waits until every MSRP message of the chat is answered and has reached the SMSC (or not). */
  Step awaitSms() {
    return awaitAll("awaitSms", true);
  }

  /** Waits until every MO of the chat is answered and has reached the CPM client (or not). */
  Step awaitMsrp() {
    return awaitAll("awaitMsrp", false);
  }

  private Step awaitAll(String name, boolean mt) {
    return new Step((next, stats) -> new AsyncAction(name, next, stats) {
      @Override
      public void execute(Session session) {
        Chat chat = p.chats.get(session.userId());
        if (chat == null) {
          proceed(session);
          return;
        }
        (mt ? chat.mtWindow : chat.moWindow).whenIdle(() -> {
          List<CompletableFuture<Long>> all = mt ? chat.mtArrivals : chat.moArrivals;
          CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
              .whenComplete((v, e) -> proceed(session));
        });
      }
    });
  }

  /** The chat's tokens: each arrived exactly once, in the order sent, both ways. */
  Step verify() {
    return new Step((next, stats) -> new AsyncAction("verify", next, stats) {
      @Override
      public void execute(Session session) {
        long at = now();
        Chat chat = p.chats.get(session.userId());
        if (chat != null) {
          Ledger.Verdict v = p.ledger.verify(chat.id);
          if (v.clean()) {
            ok(session, VERIFY, at, at);
          } else {
            ko(session, VERIFY, at, at, v.line());
          }
        }
        proceed(session);
      }
    });
  }

  /** BYE → 200; the MSRP connection is closed after it. */
  /**
   * A running chat's traffic: {@code messages} SENDs (an MO injected after each of the first
   * {@code mo-messages}), both directions awaited, the chat's ledger checked, then BYE. With
   * {@code send-pace-ms} each SEND starts that long after the chat's previous one (Gatling's
   * pace; later when the window is full), so the SENDs are offered at a rate, not as fast as
   * the gateway answers.
   */
  io.gatling.javaapi.core.ChainBuilder traffic(LoadConfig config) {
    io.gatling.javaapi.core.ChainBuilder one = io.gatling.javaapi.core.CoreDsl.exec(send())
        .doIf(s -> s.getInt("i") < config.moMessages())
        .then(io.gatling.javaapi.core.CoreDsl.exec(injectMo()));
    if (config.sendPaceMs() > 0) {
      one = io.gatling.javaapi.core.CoreDsl.pace(Duration.ofMillis(config.sendPaceMs()))
          .exec(one);
    }
    return io.gatling.javaapi.core.CoreDsl.exec(io.gatling.javaapi.core.CoreDsl
            .repeat(config.messages(), "i").on(one))
        .exec(awaitSms())
        .exec(awaitMsrp())
        .exec(verify())
        .exec(bye());
  }

  Step bye() {
    return new Step((next, stats) -> new AsyncAction("bye", next, stats) {
      @Override
      public void execute(Session session) {
        Chat chat = p.chats.get(session.userId());
        long start = now();
        if (chat == null || chat.ok == null) {
          proceed(session);
          return;
        }
        try {
          p.sip.bye(chat, timeout).whenComplete((r, e) -> {
            if (e == null && r.getStatusCode() == 200) {
              ok(session, BYE, start, now());
            } else {
              ko(session, BYE, start, now(), e != null ? why(e) : "answered " + r.getStatusCode());
            }
            end(chat);
            proceed(session);
          });
        } catch (Exception e) {
          ko(session, BYE, start, now(), "not sent: " + e.getMessage());
          end(chat);
          proceed(session);
        }
      }
    });
  }

  private void end(Chat chat) {
    if (chat.msrp != null) {
      chat.msrp.close();
    }
    p.chats.remove(chat.id);
  }

  /** CPIM around the token, no delivery notification asked (so no receipts in this load). */
  private static String cpim(Chat chat, Tokens.Token t, LoadConfig config) {
    return "From: <tel:" + chat.cpm + ">\r\nTo: <tel:" + chat.sms + ">\r\n"
        + "DateTime: " + Instant.now() + "\r\nNS: imdn <urn:ietf:params:imdn>\r\n"
        + "imdn.Message-ID: i" + t.seq() + "x" + chat.nonce + "\r\n\r\n"
        + "Content-Type: text/plain;charset=UTF-8\r\n\r\n" + config.text(t);
  }
}
