package org.ipsmgw.demo;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.ipsmgw.sim.ReceivedSubmit;
import org.ipsmgw.sim.SmscSimulator;
import org.ipsmgw.sms.ConcatInfo;
import org.ipsmgw.sms.SmsTextDecoder;
import org.ipsmgw.sms.UserDataHeader;

/**
 * The SMS side of the demo, seen at the SMSC simulator: what the gateway submitted to each SMS
 * user (every part printed, the parts joined and checked), and the SMS users' own texts.
 */
final class SmsUsers {
  private final Transcript say;
  private final SmscSimulator smsc;
  /** Submits already shown: each wait looks only at what came after. */
  private int submitsSeen;

  SmsUsers(Transcript say, SmscSimulator smsc) {
    this.say = say;
    this.smsc = smsc;
  }

  /**
   * Waits for the next message to {@code user} (all its parts) and prints each part; with a
   * {@code text}, the parts must read it.
   */
  List<ReceivedSubmit> expectSms(String user, String text) throws Exception {
    String dest = user.substring(1);
    AtomicReference<List<ReceivedSubmit>> found = new AtomicReference<>();
    Demo.awaitTrue(() -> {
      List<ReceivedSubmit> all = smsc.submits();
      List<ReceivedSubmit> fresh = all.subList(Math.min(submitsSeen, all.size()), all.size())
          .stream().filter(s -> s.destination().equals(dest)).toList();
      if (fresh.isEmpty()) {
        return false;
      }
      int total = concat(fresh.get(0)).map(ConcatInfo::total).orElse(1);
      if (fresh.size() < total) {
        return false;
      }
      found.set(fresh.subList(0, total));
      return true;
    }, "an SMS to " + user);
    List<ReceivedSubmit> parts = found.get();
    submitsSeen = smsc.submits().indexOf(parts.get(parts.size() - 1)) + 1;
    StringBuilder whole = new StringBuilder();
    for (ReceivedSubmit part : parts) {
      byte[] ud = part.userData();
      String decoded = SmsTextDecoder.decode(part.dataCoding(), ud, 0, ud.length, false, 0);
      whole.append(decoded);
      String label = concat(part).map(c -> "part " + c.seq() + "/" + c.total())
          .orElse("single SMS");
      say.line("SMPP", "gateway → SMSC", "submit_sm " + part.source() + " → " + dest + ", "
          + (part.dataCoding() == 8 ? "UCS-2" : "GSM 7-bit") + ", " + label + ": "
          + Transcript.quoted(decoded));
    }
    if (text != null && !whole.toString().equals(text)) {
      throw new IllegalStateException("the SMS parts read " + Transcript.quoted(whole.toString())
          + ", expected " + Transcript.quoted(text));
    }
    return parts;
  }

  /** Nothing was ever submitted to {@code user}; checked after {@code marker} arrived. */
  void noSmsTo(String name, String user, String marker) {
    if (smsc.submits().stream().anyMatch(s -> s.destination().equals(user.substring(1)))) {
      throw new IllegalStateException("an SMS was sent to " + name + " after a rejection");
    }
    say.note("no SMS was sent to " + name + " (checked after " + marker + " had arrived)");
  }

  /** An SMS user's text to {@code to}; the gateway must take every part. */
  void mo(String from, String to, String text) {
    List<Integer> status = smsc.injectMo(from, to, text);
    say.line("SMPP", "SMSC → gateway", "deliver_sm " + from.substring(1) + " → " + to.substring(1)
        + ": " + Transcript.quoted(text) + " → deliver_sm_resp " + status);
    if (status.stream().anyMatch(s -> s != 0)) {
      throw new IllegalStateException("the gateway refused the MO SMS: " + status);
    }
  }

  private static Optional<ConcatInfo> concat(ReceivedSubmit part) {
    return (part.esmClass() & 0x40) == 0 ? Optional.empty()
        : UserDataHeader.findConcat(part.shortMessage());
  }
}
