package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicReference;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.session.SessionFixtures;
import org.junit.jupiter.api.Test;

/**
 * The one decision on how many SMS a text becomes and whether policy lets it go, per
 * concatenation mode, at the GSM-7 and UCS-2 part boundaries (TS 23.040 §9.2.3.24: 153 / 152
 * septets, 67 / 66 UCS-2 units per part).
 */
class SmsBudgetTest {
  private static final String GSM = "x";
  private static final String UCS2 = "ж";

  private static SmsBudget budget(ConcatenationMode mode, int maxParts) {
    OperatorPolicy policy = SessionFixtures.policy("ipsmgw.policy.max-sms-parts = " + maxParts);
    return new SmsBudget(mode, false, () -> policy);
  }

  private static int parts(ConcatenationMode mode, String text) {
    return budget(mode, 255).check(text).parts();
  }

  @Test
  void eightBitUdhCuts153SeptetAnd67UnitParts() {
    ConcatenationMode m = ConcatenationMode.UDH_8BIT;
    assertEquals(1, parts(m, GSM.repeat(160)));
    assertEquals(2, parts(m, GSM.repeat(161)));
    assertEquals(2, parts(m, GSM.repeat(153 * 2)));
    assertEquals(3, parts(m, GSM.repeat(153 * 2 + 1)));
    assertEquals(1, parts(m, UCS2.repeat(70)));
    assertEquals(2, parts(m, UCS2.repeat(71)));
    assertEquals(2, parts(m, UCS2.repeat(67 * 2)));
    assertEquals(3, parts(m, UCS2.repeat(67 * 2 + 1)));
  }

  @Test
  void sixteenBitUdhCuts152SeptetAnd66UnitParts() {
    ConcatenationMode m = ConcatenationMode.UDH_16BIT;
    assertEquals(1, parts(m, GSM.repeat(160)));
    assertEquals(2, parts(m, GSM.repeat(161)));
    assertEquals(2, parts(m, GSM.repeat(152 * 2)));
    assertEquals(3, parts(m, GSM.repeat(152 * 2 + 1)));
    assertEquals(3, parts(m, GSM.repeat(153 * 2)), "153-septet parts do not fit a 16-bit UDH");
    assertEquals(1, parts(m, UCS2.repeat(70)));
    assertEquals(2, parts(m, UCS2.repeat(66 * 2)));
    assertEquals(3, parts(m, UCS2.repeat(66 * 2 + 1)));
  }

  @Test
  void sarAndPayloadCountAsTheSmscWillCutThem() {
    for (ConcatenationMode m : new ConcatenationMode[] {ConcatenationMode.SAR_TLV,
        ConcatenationMode.MESSAGE_PAYLOAD}) {
      assertEquals(1, parts(m, GSM.repeat(160)), m.name());
      assertEquals(2, parts(m, GSM.repeat(153 * 2)), m.name());
      assertEquals(3, parts(m, GSM.repeat(153 * 2 + 1)), m.name());
      assertEquals(2, parts(m, UCS2.repeat(67 * 2)), m.name());
      assertEquals(3, parts(m, UCS2.repeat(67 * 2 + 1)), m.name());
    }
  }

  @Test
  void anExtensionCharacterCountsTwoSeptetsAndIsNeverSplit() {
    // A € is an ESC pair: 80 fill one 160-septet SMS, 76 a 152-septet part.
    assertEquals(1, parts(ConcatenationMode.UDH_8BIT, "€".repeat(80)));
    assertEquals(2, parts(ConcatenationMode.UDH_8BIT, "€".repeat(81)));
    assertEquals(2, parts(ConcatenationMode.UDH_16BIT, "€".repeat(152)));
    assertEquals(3, parts(ConcatenationMode.UDH_16BIT, "€".repeat(153)));
  }

  @Test
  void a1530CharacterTextIsTenEightBitPartsButElevenSixteenBitOnes() {
    String text = GSM.repeat(1530);
    assertEquals(new SmsBudget.Within(10), budget(ConcatenationMode.UDH_8BIT, 10).check(text));
    assertEquals(new SmsBudget.TooLong(11, 10),
        budget(ConcatenationMode.UDH_16BIT, 10).check(text));
    assertEquals(new SmsBudget.Within(10), budget(ConcatenationMode.SAR_TLV, 10).check(text));
    assertEquals(new SmsBudget.Within(10),
        budget(ConcatenationMode.MESSAGE_PAYLOAD, 10).check(text));
  }

  @Test
  void aTextBeyond255PartsIsTooLongNotAnError() {
    assertEquals(new SmsBudget.TooLong(300, 255),
        budget(ConcatenationMode.UDH_8BIT, 255).check(GSM.repeat(153 * 300)));
  }

  @Test
  void theLimitIsThePolicysCurrentOne() {
    AtomicReference<OperatorPolicy> policy =
        new AtomicReference<>(SessionFixtures.policy("ipsmgw.policy.max-sms-parts = 10"));
    SmsBudget budget = new SmsBudget(ConcatenationMode.UDH_16BIT, false, policy::get);
    String text = GSM.repeat(1530);
    assertEquals(new SmsBudget.TooLong(11, 10), budget.check(text));
    policy.set(SessionFixtures.policy("ipsmgw.policy.max-sms-parts = 11"));
    assertEquals(new SmsBudget.Within(11), budget.check(text));
  }

  @Test
  void gsm7PackingDoesNotChangeThePartCount() {
    OperatorPolicy policy = SessionFixtures.policy("");
    SmsBudget packed = new SmsBudget(ConcatenationMode.UDH_8BIT, true, () -> policy);
    assertEquals(2, packed.check(GSM.repeat(153 * 2)).parts());
    assertEquals(3, packed.check(GSM.repeat(153 * 2 + 1)).parts());
  }
}
