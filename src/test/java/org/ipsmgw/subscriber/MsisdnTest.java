package org.ipsmgw.subscriber;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** E.164 normalisation: the canonical form is also the SmsSubscriber entity id. */
class MsisdnTest {

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {
      "+447700900123",
      "447700900123",
      "%2B447700900123",
      "%2b447700900123",
      "tel:+44-7700-900123;phone-context=x",
      "tel:+447700900123",
      "TEL:+447700900123",
      "Tel:+447700900123;phone-context=x",
      "+44 (7700) 900123",
      "+44.7700.900.123",
      " +447700900123 ",
  })
  void acceptedFormsNormalise(String input) {
    assertEquals(Optional.of("+447700900123"), Msisdn.normalise(input));
  }

  @Test
  void fifteenDigitsIsTheLongestNumber() {
    assertEquals(Optional.of("+123456789012345"), Msisdn.normalise("123456789012345"));
  }

  @ParameterizedTest(name = "''{0}''")
  @NullAndEmptySource
  @ValueSource(strings = {
      "+0123456",            // country codes do not start with 0
      "0447700900123",       // national/trunk prefix
      "12345",               // too short
      "+12345",
      "1234567890123456",    // 16 digits: longer than E.164 allows
      "+1234567890123456",
      "+44abc7700900",       // letters
      "+447700900I23",
      "+",
      "   ",
      "++447700900123",
      "+44/7700900123",
      "sip:alice@example.com",
      "tel:;phone-context=x",
  })
  void otherInputIsNotANumber(String input) {
    assertEquals(Optional.empty(), Msisdn.normalise(input));
  }

  @Test
  void requireNamesTheBadValue() {
    assertEquals("+447700900123", Msisdn.require("447700900123"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Msisdn.require("12345"));
    assertEquals("'12345' is not an E.164 number", e.getMessage());
  }

  @Test
  void digitsDropThePlus() {
    assertEquals("447700900123", Msisdn.digits("+447700900123"));
  }
}
