package org.ipsmgw.demo;

import java.io.PrintStream;

/**
 * The demo's readable record: who sent what, over which protocol. Texts are shown whole (they
 * are the point of the demo); control characters are escaped so one event stays one line.
 */
final class Transcript {
  private final PrintStream out;
  private int scenes;

  Transcript(PrintStream out) {
    this.out = out;
  }

  void scene(String title) {
    out.println();
    out.println("── " + (++scenes) + ". " + title + " " + "─".repeat(Math.max(3, 66 - title.length())));
  }

  /**
   * @param protocol SIP, MSRP, SMPP or HTTP
   * @param arrow who to whom, e.g. "alice → gateway"
   */
  void line(String protocol, String arrow, String what) {
    out.printf("  %-5s %-22s %s%n", protocol, arrow, printable(what));
  }

  void note(String text) {
    out.println("        " + text);
  }

  static String quoted(String text) {
    return "\"" + text + "\"";
  }

  private static String printable(String s) {
    return s.replace("\r", "\\r").replace("\n", "\\n");
  }
}
