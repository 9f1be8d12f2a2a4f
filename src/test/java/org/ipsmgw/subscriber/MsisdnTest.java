package org.ipsmgw.subscriber;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MsisdnTest {

  @ParameterizedTest
  @ValueSource(strings = {"+447700900123", "447700900123", "%2B447700900123", "%2b447700900123",
      "tel:+44-7700-900123;phone-context=x", "+44 (7700) 900123", " +447700900123 "})
  void acceptedFormsNormalise(String input) {
    assertEquals(Optional.of("+447700900123"), Msisdn.normalise(input));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"+0123456", "12345", "+1234567890123456", "+44abc7700900", "+",
      "sip:alice@example.com"})
  void otherInputIsNotANumber(String input) {
    assertEquals(Optional.empty(), Msisdn.normalise(input));
  }
}
