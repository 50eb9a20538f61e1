package io.github.camelhpx.client.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.client.HpxError;
import io.github.camelhpx.client.HpxProtocolException;
import io.github.camelhpx.client.ServerCommand;
import io.github.camelhpx.client.Welcome;

/**
 * A message from the server, checked against the envelope: an object with string {@code session} and
 * {@code name}, a {@code data} member, an optional {@code error} object and, in G2, the {@code __id__} of the
 * request it answers. The methods classify it.
 */
public record Envelope(String session, String serverName, JsonNode data, HpxError error, JsonNode id) {

    static final String ID = "__id__";

    private static final String AUTHENTICATED = "Authenticated";
    private static final int PREVIEW_LENGTH = 120;
    // What is printed of a message to preview it: room for a secret that starts within the preview to end in it, and
    // be masked whole, and no more (a message can be as long as maxMessageSize, and its JSON several times that).
    private static final int PRINTED_LENGTH = 4 * PREVIEW_LENGTH;
    private static final ObjectMapper PRINTER = new ObjectMapper();

    static Envelope parse(JsonNode root) {
        if (!root.isObject()) {
            throw anomaly("is not a JSON object", root);
        }
        JsonNode session = root.get("session");
        JsonNode name = root.get("name");
        JsonNode data = root.get("data");
        if (session == null || !session.isTextual() || name == null || !name.isTextual() || data == null) {
            throw anomaly("lacks the string 'session' and 'name' or the 'data' key", root);
        }
        JsonNode error = root.get("error");
        HpxError parsedError = null;
        if (error != null && !error.isNull()) {
            parsedError = parseError(error, root);
        }
        JsonNode id = root.get(ID);
        return new Envelope(session.textValue(), name.textValue(), data, parsedError, id == null || id.isNull() ? null : id);
    }

    static HpxError parseError(JsonNode error, JsonNode context) {
        JsonNode code = error.get("code");
        if (!error.isObject() || code == null || !code.canConvertToInt()) {
            throw anomaly("has an error without an integer 'code'", context);
        }
        JsonNode msg = error.get("msg");
        return new HpxError(code.intValue(), msg == null || msg.isNull() ? "" : msg.asText());
    }

    /** The same message with other {@code data}. */
    Envelope withData(JsonNode otherData) {
        return new Envelope(session, serverName, otherData, error, id);
    }

    public boolean hasError() {
        return error != null;
    }

    /** The broadcast this message is: the integers 1 and 2, or the strings {@code serverquit}/{@code serverrestart}. */
    Optional<ServerCommand> broadcast() {
        if (error != null) {
            return Optional.empty();
        }
        Optional<ServerCommand> command = Optional.empty();
        if (data.isIntegralNumber() && data.canConvertToInt()) {
            command = ServerCommand.byNumber(data.intValue());
        } else if (data.isTextual()) {
            command = ServerCommand.byName(data.textValue().toLowerCase(Locale.ROOT));
        }
        return command.filter(c -> c != ServerCommand.REQUEST_AUTH);
    }

    public boolean isAuthenticated() {
        return error == null && data.isTextual() && AUTHENTICATED.equals(data.textValue());
    }

    /** The welcome a server sends first on a connection (and again for {@code requestauth}). */
    public Optional<Welcome> welcome() {
        if (error == null && data.isObject() && data.has("version") && data.has("guest_allowed")) {
            return Optional.of(new Welcome(serverName, data.get("version"), data.get("guest_allowed").asBoolean()));
        }
        return Optional.empty();
    }

    public static HpxProtocolException anomaly(String what, JsonNode message) {
        return new HpxProtocolException("HPX reply " + what + ": " + preview(message));
    }

    /** The start of a message's JSON, for errors and logs, secrets masked. */
    static String preview(JsonNode message) {
        try {
            return previewOf(message);
        } catch (RuntimeException e) {
            // A tree of values JSON cannot print (from MessagePack): the error must not fail for its preview.
            return message.getNodeType() + " (not printable: " + e.getClass().getSimpleName() + ")";
        }
    }

    /** Without the session, and with the data as {@link #preview} shows it. */
    @Override
    public String toString() {
        return "Envelope[serverName=" + serverName + ", data=" + (data == null ? null : preview(data)) + ", error="
                + error + ", id=" + id + "]";
    }

    private static String previewOf(JsonNode message) {
        String text = message.isContainerNode() && message.size() > 10 ? message.getNodeType() + " of " + message.size()
                : printed(message);
        String masked = SecretMask.mask(text);
        return masked.length() > PREVIEW_LENGTH ? masked.substring(0, PREVIEW_LENGTH) + "…" : masked;
    }

    /** The start of {@code message}'s JSON, at most {@link #PRINTED_LENGTH} characters (one more: it goes on). */
    private static String printed(JsonNode message) {
        StringBuilder out = new StringBuilder();
        Writer start = new Writer() {
            @Override
            public void write(char[] chars, int offset, int length) throws IOException {
                int room = PRINTED_LENGTH + 1 - out.length();
                out.append(chars, offset, Math.min(length, room));
                if (length > room) {
                    throw new Enough();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        try {
            PRINTER.writeValue(start, message);
        } catch (Enough | JsonProcessingException e) {
            // The start is all a preview needs.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Stops the printing of a preview once it has enough. */
    private static final class Enough extends IOException {

        private static final long serialVersionUID = 1L;

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
