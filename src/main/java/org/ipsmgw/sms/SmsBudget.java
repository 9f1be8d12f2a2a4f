package org.ipsmgw.sms;

import com.typesafe.config.Config;
import java.util.Optional;
import java.util.function.Supplier;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.session.Refusal;
import org.ipsmgw.session.SmsLimit;

/**
 * How many SMS a text becomes with this node's SMPP settings (concatenation mode, GSM-7 packing)
 * and whether the operator policy's current {@code max-sms-parts} lets it go. The MSRP connection
 * (413), the pager conversation (SIP 413) and the SMPP gateway all ask this one component, so a
 * text the SMPP edge would refuse is refused at the CPM edge before anything is persisted.
 */
public final class SmsBudget implements SmsLimit {
  /** What the budget says of one text. */
  public sealed interface Verdict {
    /** The SMS parts the text becomes. */
    int parts();
  }

  /** The text may go as SMS. */
  public record Within(int parts) implements Verdict {}

  /** The text needs more parts than the policy allows; {@code reason} is for the peer. */
  public record TooLong(int parts, int limit) implements Verdict {
    public String reason() {
      return "Message too long for SMS (" + parts + " parts, at most " + limit + ")";
    }
  }

  private final SmsTextEncoder encoder;
  private final Supplier<OperatorPolicy> policy;

  /** @param policy read at every check: max-sms-parts may change through the admin API */
  public SmsBudget(ConcatenationMode mode, boolean gsm7Packed, Supplier<OperatorPolicy> policy) {
    this.encoder = new SmsTextEncoder(mode, gsm7Packed);
    this.policy = policy;
  }

  /** From the SMPP settings ({@code ipsmgw.smsc}) of the whole node configuration. */
  public static SmsBudget fromConfig(Config config, Supplier<OperatorPolicy> policy) {
    SmscSettings smsc = SmscSettings.fromConfig(config);
    return new SmsBudget(smsc.concatenation(), smsc.gsm7Packed(), policy);
  }

  public Verdict check(String text) {
    int parts = encoder.countParts(text);
    int limit = policy.get().maxSmsParts();
    return parts > limit ? new TooLong(parts, limit) : new Within(parts);
  }

  @Override
  public Optional<Refusal> tooLong(String text) {
    return check(text) instanceof TooLong t ? Optional.of(new Refusal(413, t.reason()))
        : Optional.empty();
  }
}
