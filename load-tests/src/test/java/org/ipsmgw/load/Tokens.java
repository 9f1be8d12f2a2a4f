package org.ipsmgw.load;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The token each load message carries, so any side can tell which chat sent it, in which
 * direction and as which message of that chat: {@code tk-<chat>-<m|o>-<sequence>} ({@code m}:
 * CPM → SMS over MSRP, {@code o}: SMS → CPM as an MO).
 */
final class Tokens {
  static final Pattern TOKEN = Pattern.compile("tk-(\\d+)-([mo])-(\\d+)");

  record Token(long chat, boolean mt, int seq) {
    @Override
    public String toString() {
      return "tk-" + chat + "-" + (mt ? "m" : "o") + "-" + seq;
    }
  }

  private Tokens() {}

  static Token mt(long chat, int seq) {
    return new Token(chat, true, seq);
  }

  static Token mo(long chat, int seq) {
    return new Token(chat, false, seq);
  }

  /** The first token in {@code text}, or null. */
  static Token find(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = TOKEN.matcher(text);
    if (!m.find()) {
      return null;
    }
    return new Token(Long.parseLong(m.group(1)), m.group(2).equals("m"),
        Integer.parseInt(m.group(3)));
  }
}
