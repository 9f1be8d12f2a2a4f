package org.ipsmgw.policy;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ipsmgw.sms.ConcatenationMode;
import org.ipsmgw.sms.SmsTextEncoder;

/**
 * Every operator text, filled with the longest values it may realistically get, must fit in
 * {@code max-sms-parts}: a text that does not would be refused on every send (an invitation SMS
 * that can never leave answers every INVITE_BY_SMS invitation with 503).
 */
final class TextBudget {
  /** The longest display name assumed, in characters. */
  static final int NAME_CHARS = 40;
  /**
   * Outside GSM 03.38, so the name makes the whole text UCS-2 (67 or 66 characters a part):
   * many display names are.
   */
  private static final String NAME = "Ж".repeat(NAME_CHARS);
  /** The longest E.164 number: 15 digits. */
  private static final String NUMBER = "+" + "9".repeat(15);
  /**
   * The part count of the most conservative concatenation mode (16-bit reference, the fewest
   * characters a part), so a text fits whatever ipsmgw.smsc.concatenation says.
   */
  private static final SmsTextEncoder ENCODER =
      new SmsTextEncoder(ConcatenationMode.UDH_16BIT, false);

  private TextBudget() {}

  /** @throws com.typesafe.config.ConfigException.BadValue naming the first text that is too long */
  static void check(Config policy, OperatorTexts texts, Keywords keywords, String language,
      int maxSmsParts) {
    Map<String, String> values = Map.of("name", NAME, "number", NUMBER,
        "accept", keywords.firstAccept(language), "decline", keywords.firstDecline(language),
        "stop", keywords.firstStop(language));
    Map<String, String> byKey = new LinkedHashMap<>();
    byKey.put("invitation", texts.invitation());
    byKey.put("ask-again", texts.askAgain());
    byKey.put("teardown", texts.teardown());
    byKey.put("idle-notice", texts.idleNotice());
    byKey.put("withdrawn", texts.withdrawn());
    byKey.put("not-delivered", texts.notDelivered());
    for (Map.Entry<String, String> text : byKey.entrySet()) {
      String filled = OperatorTexts.render(text.getValue(), values);
      int parts = ENCODER.countParts(filled);
      if (parts <= maxSmsParts) {
        continue;
      }
      throw PolicyConfig.bad(policy, "texts." + text.getKey(), "needs " + parts
          + " SMS parts with a " + NAME_CHARS + "-character display name and a 15-digit number"
          + " filled in, more than max-sms-parts = " + maxSmsParts + " (" + filled.length()
          + " characters)");
    }
  }
}
