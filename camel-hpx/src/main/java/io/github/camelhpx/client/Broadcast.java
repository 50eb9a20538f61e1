package io.github.camelhpx.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message the server pushed on its own: {@code ServerQuit} or {@code ServerRestart}. After sending one the
 * server closes the connection.
 *
 * @param command    which broadcast it is
 * @param data       the broadcast's raw {@code data}: the integer 1 or 2, or the strings of older documents
 * @param serverName the server's {@code name}
 * @param sessionId  the client's session when the broadcast was read, or an empty string when it had none; never
 *                   another user's session whose call used the connection. {@link #toString()} leaves it out.
 * @param server     the server whose connection it came on: with several servers, the one that sent it
 * @param protocol   the generation that connection speaks
 */
public record Broadcast(ServerCommand command, JsonNode data, String serverName, String sessionId,
        ServerAddress server, HpxProtocol protocol) {

    @Override
    public String toString() {
        return "Broadcast[command=" + command + ", data=" + data + ", serverName=" + serverName + ", server=" + server
                + ", protocol=" + protocol + "]";
    }
}
