package org.ipsmgw.sim;

import java.io.IOException;
import java.net.ServerSocket;
import org.jsmpp.session.connection.ServerConnection;
import org.jsmpp.session.connection.ServerConnectionFactory;
import org.jsmpp.session.connection.socket.ServerSocketConnection;

/** jsmpp listens on every interface by itself; this keeps it on the address asked for. */
record BoundServerSocket(ServerSocket socket) implements ServerConnectionFactory {
  @Override
  public ServerConnection listen(int port) {
    return new ServerSocketConnection(socket);
  }

  @Override
  public ServerConnection listen(int port, int timeout) throws IOException {
    socket.setSoTimeout(timeout);
    return new ServerSocketConnection(socket);
  }

  @Override
  public ServerConnection listen(int port, int timeout, int backlog) throws IOException {
    return listen(port, timeout);
  }
}
