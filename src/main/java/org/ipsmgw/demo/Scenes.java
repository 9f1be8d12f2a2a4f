package org.ipsmgw.demo;

import javax.sip.message.Request;
import javax.sip.message.Response;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.cpim.ImdnXml;
import org.ipsmgw.sim.CpmClient;
import org.ipsmgw.sim.MsrpClient;
import org.ipsmgw.sim.ReceivedSubmit;

/**
 * The demo's story, scene by scene: each invitation behaviour, a chat both ways, pager mode,
 * SMS-originated conversations and the operator's view. A step that does not happen as the
 * gateway promises throws, naming it.
 */
final class Scenes {
  static final String ALICE = "+447700900555";
  static final String BOB = "+447700900777";
  static final String CAROL = "+447700900778";
  static final String DAVE = "+447700900779";
  static final String ERIN = "+447700900780";
  static final String FRANK = "+447700900781";
  static final String GRACE = "+447700900782";

  private final Transcript say;
  private final Alice alice;
  private final SmsUsers sms;
  private final Operator operator;

  Scenes(Transcript say, Alice alice, SmsUsers sms, Operator operator) {
    this.say = say;
    this.alice = alice;
    this.sms = sms;
    this.operator = operator;
  }

  void play() throws Exception {
    accepted();
    rejected();
    invitedBySms();
    declinedBySms();
    pagerMode();
    smsOriginated();
    summary();
  }

  private void accepted() throws Exception {
    say.scene("ACCEPT: Bob told the operator to accept chats for him");
    operator.admin("PUT", "/api/v1/subscribers/" + BOB + "/preferences",
        "{\"invitation\":\"ACCEPT\"}", 200);
    CpmClient.Call call = alice.invite(BOB);
    Response ok = alice.finalResponse(call, 200);
    alice.ack(call, ok);
    try (MsrpClient msrp = alice.connectMsrp(ok)) {
      String path = Alice.path(ok);
      String hello = "Hi Bob! Are we still on for tonight? 🍕";
      alice.sendChat(msrp, path, BOB, "imdn-1", hello);
      sms.expectSms(BOB, hello);
      alice.expectImdn(msrp, "imdn-1", "delivered");

      String reply = "Yes! 8pm at Luigi's. Don't be late :-)";
      sms.mo(BOB, ALICE, reply);
      alice.expectChat(msrp, BOB, reply);

      String longText = "Καλημέρα Bob! Θα φέρω το κρασί που σου άρεσε την προηγούμενη φορά και "
          + "ένα γλυκό για μετά. Τα λέμε στις οκτώ 🍷🎂";
      alice.sendChat(msrp, path, BOB, "imdn-2", longText);
      sms.expectSms(BOB, longText);
      alice.expectImdn(msrp, "imdn-2", "delivered");
    }
    alice.bye(call, ok);
    alice.finalResponse(call, 200);
    sms.expectSms(BOB, null);
  }

  private void rejected() throws Exception {
    say.scene("REJECT: Carol does not want chats");
    operator.admin("PUT", "/api/v1/subscribers/" + CAROL + "/preferences",
        "{\"invitation\":\"REJECT\"}", 200);
    CpmClient.Call call = alice.invite(CAROL);
    alice.finalResponse(call, 603);
    // "No SMS" is checked once an SMS the gateway sends later (Dave's invitation) has arrived.
  }

  private void invitedBySms() throws Exception {
    say.scene("INVITE_BY_SMS: the operator's default; Dave answers by SMS");
    CpmClient.Call call = alice.invite(DAVE);
    alice.awaitProvisional(call);
    ReceivedSubmit invitation = sms.expectSms(DAVE, null).get(0);
    sms.noSmsTo("Carol", CAROL, "Dave's invitation SMS, sent later,");
    String correlation = "+" + invitation.source();
    sms.mo(DAVE, correlation, "yes");
    Response ok = alice.finalResponse(call, 200);
    alice.ack(call, ok);
    try (MsrpClient msrp = alice.connectMsrp(ok)) {
      String text = "Hello Dave, thanks for accepting. Lunch on Friday?";
      alice.sendChat(msrp, Alice.path(ok), DAVE, "imdn-3", text);
      sms.expectSms(DAVE, text);
      alice.expectImdn(msrp, "imdn-3", "delivered");
      String answer = "Friday works, see you then";
      sms.mo(DAVE, correlation, answer);
      alice.expectChat(msrp, DAVE, answer);
      sms.mo(DAVE, correlation, "STOP");
      alice.expectBye();
    }
  }

  private void declinedBySms() throws Exception {
    say.scene("INVITE_BY_SMS, declined: Erin replies NO");
    CpmClient.Call call = alice.invite(ERIN);
    alice.awaitProvisional(call);
    ReceivedSubmit invitation = sms.expectSms(ERIN, null).get(0);
    sms.mo(ERIN, "+" + invitation.source(), "NO");
    alice.finalResponse(call, 603);
  }

  private void pagerMode() throws Exception {
    say.scene("Pager mode: a standalone MESSAGE to Bob, and his SMS reply");
    String text = "Running 10 minutes late, sorry!";
    alice.page(BOB, text);
    sms.expectSms(BOB, text);
    Request imdn = alice.awaitMessage();
    say.line("SIP", "gateway → Alice", "MESSAGE with IMDN "
        + ImdnXml.parse(CpimCodec.parse(imdn.getRawContent()).bodyText()).status() + " "
        + Alice.ids(imdn));
    sms.mo(BOB, ALICE, "No worries, see you soon");
    Request reply = alice.awaitMessage();
    say.line("SIP", "gateway → Alice", "MESSAGE from " + Alice.value(reply, "From") + ": "
        + Transcript.quoted(CpimCodec.parse(reply.getRawContent()).bodyText()) + " "
        + Alice.ids(reply) + " InReplyTo-Contribution-ID "
        + Alice.value(reply, "InReplyTo-Contribution-ID"));
  }

  private void smsOriginated() throws Exception {
    say.scene("SMS-originated: Frank and Grace text Alice's number first");
    sms.mo(FRANK, ALICE, "Hi Alice, it's Frank. New number!");
    Request started = alice.awaitMessage();
    say.line("SIP", "gateway → Alice", "MESSAGE " + started.getRequestURI() + " from "
        + Alice.value(started, "From") + ": "
        + Transcript.quoted(CpimCodec.parse(started.getRawContent()).bodyText())
        + " (new Conversation-ID " + Alice.value(started, "Conversation-ID") + ")");
    operator.admin("PUT", "/api/v1/policy", "{\"sms-originated\":\"CHAT\"}", 200);
    String hello = "Hi Alice, Grace here. Can we chat?";
    sms.mo(GRACE, ALICE, hello);
    Request invite = alice.awaitRequest(Request.INVITE);
    say.line("SIP", "gateway → Alice", "INVITE " + invite.getRequestURI() + " from "
        + Alice.value(invite, "From") + " " + Alice.ids(invite)
        + " (MSRP offer, actpass) → Alice answers 200");
    try (MsrpClient msrp = alice.awaitReconnected()) {
      alice.expectChat(msrp, GRACE, hello);
      String path = Alice.path(invite);
      String answer = "Hi Grace! Sure.";
      alice.sendChat(msrp, path, GRACE, "imdn-g", answer);
      sms.expectSms(GRACE, answer);
      alice.expectImdn(msrp, "imdn-g", "delivered");
      sms.mo(GRACE, ALICE, "STOP");
      alice.expectBye();
    }
    operator.admin("PUT", "/api/v1/policy", "{\"sms-originated\":\"PAGER\"}", 200);
  }

  private void summary() throws Exception {
    say.scene("The operator's view: GET /api/v1/sessions?state=ALL");
    operator.sessions();
  }
}
