package org.ipsmgw.msrp;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.ipsmgw.session.MediaCommand;

/**
 * The face a connection shows its chats: a child of the connection actor that takes the chats'
 * {@link MediaCommand}s and hands them to it, one after another, as they came. A child rather
 * than a message adapter so that a chat on any node can watch it: it stops with its connection.
 */
final class ConnectionMedia {
  private ConnectionMedia() {}

  static Behavior<MediaCommand> create(ActorRef<MsrpConnection.Command> connection) {
    return Behaviors.receive(MediaCommand.class)
        .onAnyMessage(c -> {
          connection.tell(new MsrpConnection.FromChat(c));
          return Behaviors.same();
        })
        .build();
  }
}
