package org.ipsmgw.sim;

import static org.ipsmgw.sim.OptionValues.value;

/**
 * The {@code cpm-client} command line: where the gateway is, where this client listens, and
 * the CPM user it plays. A bad value is an {@link OptionValues.BadValue}; an unknown or
 * incomplete option an {@link IllegalArgumentException}.
 *
 * @param gateway as given, host:port
 * @param help --help was asked: print the usage, run nothing
 */
record CpmClientOptions(String gateway, String gatewayHost, int gatewayPort, String host,
    int port, String msisdn, boolean help) {
  static final String USAGE = "usage: java -jar ipsmgw.jar cpm-client [--gateway 127.0.0.1:5060] "
      + "[--host 127.0.0.1] [--port 5070] [--msisdn +447700900555]";

  static CpmClientOptions parse(String[] args) {
    String gateway = "127.0.0.1:5060";
    String host = "127.0.0.1";
    int port = 5070;
    String msisdn = "+447700900555";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--gateway" -> gateway = value(args, ++i);
        case "--host" -> host = value(args, ++i);
        case "--port" -> port = OptionValues.port(args[i], value(args, ++i));
        case "--msisdn" -> msisdn = value(args, ++i);
        case "--help", "-h" -> {
          return new CpmClientOptions(gateway, null, 0, host, port, msisdn, true);
        }
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
      }
    }
    int colon = gateway.lastIndexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException("--gateway must be host:port");
    }
    int gatewayPort;
    try {
      gatewayPort = OptionValues.port("--gateway", gateway.substring(colon + 1));
    } catch (OptionValues.BadValue e) {
      throw new OptionValues.BadValue("--gateway must be host:port with a port 1-65535, got '"
          + gateway + "'");
    }
    return new CpmClientOptions(gateway, gateway.substring(0, colon), gatewayPort, host, port,
        msisdn, false);
  }
}
