package org.ipsmgw.session;

/**
 * What a chat does when it comes back from the journal, on this node or another: it re-arms its
 * timers from the persisted deadlines and redoes what only lived on the node that had it (the
 * INVITE's transaction, the MSRP connection, messages not yet handed over).
 */
final class Recovery {
  private final SessionContext ctx;
  private final InvitationHandlers invitation;
  private final OriginationHandlers origination;

  Recovery(SessionContext ctx, InvitationHandlers invitation, OriginationHandlers origination) {
    this.ctx = ctx;
    this.invitation = invitation;
    this.origination = origination;
  }

  void recovered(ChatSessionState state) {
    ctx.knowSmsUser(state);
    if (!(state instanceof NoSession)) {
      ctx.settings.observer().recovered(state.stateName());
    }
    if (state instanceof InvitedState) {
      ctx.settings.observer().entered(state.stateName());
    }
    if (state instanceof Deciding d) {
      invitation.askAdmission(d);
    } else if (state instanceof AwaitingReply a) {
      awaiting(a);
    } else if (state instanceof Active a) {
      active(a);
    } else if (state instanceof Originating o) {
      // The INVITE's transaction ended with the node that sent it: invite again.
      origination.invite(o);
    } else if (state instanceof Ended e) {
      ctx.finish(e);
    }
    if (!(state instanceof NoSession)) {
      ctx.log("recovered in state {}", state.stateName());
    }
  }

  private void awaiting(AwaitingReply a) {
    if (ctx.now().isBefore(a.replyDeadline())) {
      // A proxy may have seen nothing from us while the old node was gone: refresh at once.
      ctx.respond(a, 180, "Ringing", null);
      a.translation().pending().forEach(m -> ctx.submit(a, m.ref(), m.text(), m.registered()));
    }
    ctx.timers.armAwaiting(a, ctx.policy().provisionalRefresh());
  }

  private void active(Active a) {
    if (a.awaitingAck() && !ctx.now().isBefore(a.ackDeadline())) {
      // The 200's ACK did not come while the node was down: the chat ends, no re-INVITE.
      ctx.timers.armAck(a);
      return;
    }
    // The MSRP connection, if any, ended with the node that held it: a re-INVITE tells the CPM
    // side where this node's endpoint is (architecture property 3).
    // Counted before it leaves: whoever sees the re-INVITE can already see the count.
    ctx.settings.observer().reInvited("recovered");
    ctx.reInvite(a);
    a.translation().pending().forEach(m -> {
      if (m.direction() == Direction.TO_SMS) {
        ctx.submit(a, m.ref(), m.text(), m.registered());
      } else {
        ctx.sendToCpm(a, m);
      }
    });
    ctx.timers.armIdle(a, ctx.policy().idleTimeout());
    ctx.timers.armAck(a);
  }
}
