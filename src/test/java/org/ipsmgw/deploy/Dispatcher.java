package org.ipsmgw.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The node targets of a Kamailio dispatcher list: set 1, sip:host:port;transport=tcp lines. */
final class Dispatcher {
  private static final Pattern LINE =
      Pattern.compile("^(\\d+)\\s+sip:([^:;\\s]+):(\\d+)(;[^\\s]*)?(\\s.*)?$");

  record Target(int set, String host, int port, String params) {
    String hostPort() {
      return host + ":" + port;
    }
  }

  private Dispatcher() {}

  static List<Target> targets(String list) {
    List<Target> out = new ArrayList<>();
    for (String line : list.split("\n")) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(t);
      if (!m.matches()) {
        throw new AssertionError("not a dispatcher line: " + t);
      }
      out.add(new Target(Integer.parseInt(m.group(1)), m.group(2), Integer.parseInt(m.group(3)),
          m.group(4) == null ? "" : m.group(4)));
    }
    return out;
  }
}
