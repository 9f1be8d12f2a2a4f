package org.ipsmgw.sip;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.TransactionUnavailableException;
import javax.sip.header.ContactHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.ipsmgw.LogContext;
import org.ipsmgw.msrp.MsrpMedia;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CloseReply;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.Refusal;
import org.ipsmgw.session.TargetReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CPM side's requests of a chat — INVITE, re-INVITE, ACK, CANCEL, BYE — each a command to the
 * chat stored under the request's Call-ID, answered from the chat's reply. A new INVITE is held
 * by this node until the chat's final response; the others are answered at once.
 */
final class ChatRequests {
  private static final Logger LOG = LoggerFactory.getLogger(ChatRequests.class);

  private final InviteReader reader;
  private final Clock clock;
  private final Function<String, RecipientRef<ChatSessionCommand>> sessions;
  private final Scheduler scheduler;
  private final Transactions transactions;
  private final SipResponses responses;
  private final PendingInvites pending;
  private final SdpBuilder sdp;
  private final MsrpMedia msrp;
  private final OkRetransmitter retransmitter;
  /** Where an ask's answer is acted on ({@link SipGateway}: not a new thread per answer). */
  private final Executor answers;
  private final SipMetrics metrics;

  /**
   * How long a new INVITE waits for its chat (ipsmgw.sip.invite-timeout): longer than a dead
   * node's shards take to move to a survivor. Answering 503 sooner sent the caller's proxy to the
   * next node while the chat still got the first INVITE and accepted it there: the 200 left on
   * the transaction already answered 503 and the retry on the next node was never answered.
   */
  private final Duration inviteTimeout;
  /** BYE, CANCEL and re-INVITE: ipsmgw.sip.entity-timeout. */
  private final Duration entityTimeout;
  private final InviteGate gate;
  private final int busyRetryAfterSeconds;
  /** A busy node refuses many INVITEs a second: one line per interval says so. */
  private final OncePerInterval busyLog;

  ChatRequests(SipSettings settings, InviteReader reader, Clock clock,
      Function<String, RecipientRef<ChatSessionCommand>> sessions, Scheduler scheduler,
      Transactions transactions, SipResponses responses, PendingInvites pending, SdpBuilder sdp,
      MsrpMedia msrp, OkRetransmitter retransmitter, Executor answers, SipMetrics metrics) {
    this.inviteTimeout = settings.inviteTimeout();
    this.entityTimeout = settings.entityTimeout();
    this.gate = new InviteGate(settings.maxInvitesInFlight());
    this.busyRetryAfterSeconds = (int) settings.busyRetryAfter().toSeconds();
    this.busyLog = new OncePerInterval(settings.malformedLogInterval(), 1);
    metrics.invitesInFlight(gate::inFlight);
    this.metrics = metrics;
    this.answers = answers;
    this.reader = reader;
    this.clock = clock;
    this.sessions = sessions;
    this.scheduler = scheduler;
    this.transactions = transactions;
    this.responses = responses;
    this.pending = pending;
    this.sdp = sdp;
    this.msrp = msrp;
    this.retransmitter = retransmitter;
  }

  void onInvite(RequestEvent event) throws Exception {
    Request invite = event.getRequest();
    if (((ToHeader) invite.getHeader(ToHeader.NAME)).getTag() != null) {
      onReInvite(event);
      return;
    }
    ServerTransaction st;
    try {
      st = transactions.serverTransaction(event);
    } catch (TransactionUnavailableException malformed) {
      // The RI refuses a transaction to a request it finds incomplete (no Contact, say): it is
      // still answerable from its Via, so it gets its 400 statelessly.
      LOG.info("[session {}] malformed INVITE: {}; 400", SipText.bounded(SipGateway.callId(invite)),
          SipText.reason(malformed));
      transactions.respondStateless(responses.final_(invite, Response.BAD_REQUEST,
          "Malformed request"));
      return;
    }
    if (st == null) {
      return;
    }
    transactions.respondIn(st, responses.trying(invite));
    InviteReading reading = reader.read(invite, clock.instant());
    if (reading instanceof InviteReading.Refuse r) {
      LOG.info("[session {}] INVITE refused {} {}", SipGateway.callId(invite), r.status(),
          SipText.bounded(r.reason()));
      transactions.respondIn(st, responses.final_(invite, r.status(), r.reason()));
      return;
    }
    InviteReading.Chat chat = (InviteReading.Chat) reading;
    String id = chat.invitation().sessionId();
    if (chat.idsGenerated()) {
      LOG.info("[session {}] INVITE without Conversation-ID/Contribution-ID: generated {} / {} "
          + "(lenient mode)", id, SipText.bounded(chat.invitation().ids().conversationId()),
          SipText.bounded(chat.invitation().ids().contributionId()));
    }
    if (!gate.tryEnter()) {
      refuseBusy(st, invite, id);
      return;
    }
    pending.addReceived(id, new PendingInvite.Received(st, chat.setup(), chat.path()));
    AskPattern.<ChatSessionCommand, CommandReply>ask(sessions.apply(id),
        replyTo -> new ChatSessionCommand.Invite(chat.invitation(), replyTo), inviteTimeout,
        scheduler)
        .whenCompleteAsync((reply, failure) -> {
          gate.leave();
          try (LogContext.Scope m = SipMdc.chat(id)) {
            if (failure != null) {
              metrics.askTimeout(Request.INVITE);
              finalOnPending(id, invite, Response.SERVICE_UNAVAILABLE, "Chat not reachable");
            } else if (reply instanceof Refusal r) {
              finalOnPending(id, invite, r.status(), r.reason());
            }
          }
        }, answers);
  }

  /** Too many INVITEs wait for their chats: this one is refused before any chat sees it. */
  private void refuseBusy(ServerTransaction st, Request invite, String id) throws Exception {
    metrics.busyRefusal();
    long heldBack = busyLog.admit("busy");
    if (heldBack >= 0) {
      LOG.info("[session {}] node busy: {} INVITEs wait for their chats "
          + "(ipsmgw.sip.max-invites-in-flight = {}); new INVITEs get 503 Retry-After {}s{}", id,
          gate.inFlight(), gate.limit(), busyRetryAfterSeconds,
          OncePerInterval.heldBack(heldBack));
    }
    transactions.respondIn(st, responses.unavailable(invite, "Node busy", busyRetryAfterSeconds));
  }

  /** No chat took the INVITE: its final response goes out here, not from a chat. */
  private void finalOnPending(String id, Request invite, int status, String reason) {
    try {
      var held = pending.answered(id);
      if (held.isPresent()) {
        transactions.respondIn(held.get().transaction(), responses.final_(invite, status, reason));
      }
    } catch (Exception e) {
      LOG.warn("[session {}] final response {} not sent: {}", id, status, SipText.reason(e));
    }
  }

  /**
   * A re-INVITE from the CPM side: its Contact becomes the dialog's remote target (persisted by
   * the chat), and the answer offers the chat's MSRP path on this node.
   */
  private void onReInvite(RequestEvent event) throws Exception {
    Request invite = event.getRequest();
    ServerTransaction st = transactions.serverTransaction(event);
    if (st == null) {
      return;
    }
    String callId = SipGateway.callId(invite);
    ContactHeader contact = (ContactHeader) invite.getHeader(ContactHeader.NAME);
    String target = contact == null ? null : contact.getAddress().getURI().toString();
    AskPattern.<ChatSessionCommand, TargetReply>ask(sessions.apply(callId),
        replyTo -> new ChatSessionCommand.RefreshTarget(target, replyTo), entityTimeout,
        scheduler)
        .whenCompleteAsync((reply, failure) -> {
          try (LogContext.Scope m = SipMdc.chat(callId)) {
            if (reply instanceof TargetReply.Refreshed chat) {
              String answer = sdp.answer(msrp.pathUri(callId, chat.msrpSessionId()),
                  chat.msrpSessionId(), "actpass");
              transactions.respondIn(st, responses.reInviteOk(invite, chat.ids(),
                  chat.localTag(), answer));
            } else if (reply instanceof Refusal r && r.status() != 481) {
              transactions.respondIn(st, responses.final_(invite, Response.BAD_REQUEST,
                  "re-INVITE without Contact"));
            } else {
              transactions.respondIn(st, responses.final_(invite,
                  Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, "No active chat"));
            }
          } catch (Exception e) {
            LOG.warn("[session {}] re-INVITE not answered: {}", callId, SipText.reason(e));
          }
        }, answers);
  }

  /** The ACK to the chat's 2xx: its resending stops, and the chat knows the dialog stands. */
  void onAck(Request ack) {
    String callId = SipGateway.callId(ack);
    retransmitter.stop(callId);
    sessions.apply(callId).tell(new ChatSessionCommand.AckReceived());
  }

  void onCancel(RequestEvent event) throws Exception {
    Request cancel = event.getRequest();
    String callId = SipGateway.callId(cancel);
    Request invite = pending.received(callId).map(r -> r.transaction().getRequest())
        .orElse(null);
    transactions.send(event, responses.cancelOk(cancel, invite));
    AskPattern.<ChatSessionCommand, CloseReply>ask(sessions.apply(callId),
        ChatSessionCommand.Cancel::new, entityTimeout, scheduler);
  }

  /** BYE from the CPM side: 200 with the chat's identifiers once the chat has ended. */
  void onBye(RequestEvent event) {
    Request bye = event.getRequest();
    String callId = SipGateway.callId(bye);
    AskPattern.<ChatSessionCommand, CloseReply>ask(sessions.apply(callId),
            ChatSessionCommand.Bye::new, entityTimeout, scheduler)
        .whenCompleteAsync((reply, failure) -> {
          try (LogContext.Scope m = SipMdc.chat(callId)) {
            if (failure != null) {
              LOG.warn("[session {}] BYE: chat not reachable ({})", callId,
                  SipText.reason(failure));
              return;
            }
            if (reply instanceof CloseReply.Closed closed) {
              transactions.send(event, responses.byeOk(bye, closed.ids()));
              LOG.debug("[session {}] BYE: 200", callId);
            } else {
              transactions.reply(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                  ((Refusal) reply).reason());
              LOG.debug("[session {}] BYE: 481", callId);
            }
          } catch (Exception e) {
            LOG.warn("[session {}] BYE not answered: {}", callId, SipText.reason(e));
          }
        }, answers);
  }
}
