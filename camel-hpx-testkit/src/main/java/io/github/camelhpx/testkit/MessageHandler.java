package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Takes one inbound frame through the real server's steps (§3): gunzip, UTF-8, JSON, root checks, session,
 * server command, handshake or function calls. Failures are thrown as {@link HpxApiError} or
 * {@link PyCrash}; the {@link Connection} turns them into error replies.
 */
final class MessageHandler {

    private static final List<String> ROOT_KEYS = List.of("name", "data", "session");

    private final HpxTestServer server;
    private final Handshake handshake;
    private final FunctionDispatcher dispatcher;

    MessageHandler(HpxTestServer server, Handshake handshake, FunctionDispatcher dispatcher) {
        this.server = server;
        this.handshake = handshake;
        this.dispatcher = dispatcher;
    }

    Outcome handle(Connection c, byte[] buf, int off, int len) {
        ByteSink plain = c.plainSink();
        c.codec().decode(buf, off, len, plain);
        JsonNode root = parse(decodeUtf8(plain));
        server.record(c.id(), root);
        Keys.checkBoth(root, ROOT_KEYS, "JSON dict");
        if (root.isArray()) {
            // j_data.get('session') on a list
            throw new PyCrash("AttributeError");
        }
        JsonNode data = root.get("data");
        boolean accepted = checkSession(c, root.get("session"), data);
        ServerCommand command = ServerCommand.of(data);
        if (command != null) {
            return run(command);
        }
        if (!accepted) {
            return handshake.handle(c, root);
        }
        if (!data.isArray()) {
            throw new HpxApiError(403, "No list of function objects found in 'data'");
        }
        return dispatcher.call(c, (ArrayNode) data);
    }

    private static String decodeUtf8(ByteSink plain) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(plain.array(), 0, withoutTrailingEof(plain))).toString();
        } catch (CharacterCodingException e) {
            throw new PyCrash("UnicodeDecodeError");
        }
    }

    /**
     * utils.convert_to_json cut one {@code <EOF>} off the end of the gunzipped bytes before decoding them
     * ({@code if buffer.endswith(constants.postfix): buffer = buffer[:-len(constants.postfix)]}), so a
     * payload whose JSON text is followed by the marker still parses.
     */
    private static int withoutTrailingEof(ByteSink plain) {
        byte[] b = plain.array();
        int n = plain.size();
        int m = GzipCodec.EOF_MARKER.length;
        if (n < m) {
            return n;
        }
        for (int i = 0; i < m; i++) {
            if (b[n - m + i] != GzipCodec.EOF_MARKER[i]) {
                return n;
            }
        }
        return n - m;
    }

    private static JsonNode parse(String text) {
        try {
            return PyJsonParser.parse(text);
        } catch (PyJsonParser.DecodeError e) {
            throw new HpxApiError(900, "Failed parsing JSON data: " + e.getMessage());
        } catch (PyJsonParser.TooDeep e) {
            throw new PyCrash("RecursionError");
        }
    }

    /** The server's {@code _check_session}: true when the message may call functions. */
    private boolean checkSession(Connection c, JsonNode sessionField, JsonNode data) {
        if (!PyFormat.truthy(sessionField)) {
            return false;
        }
        if (sessionField.isArray() || sessionField.isObject()) {
            // Session.get(<unhashable>)
            throw new PyCrash("TypeError");
        }
        Session s = sessionField.isTextual() ? server.sessions().lookup(sessionField.textValue()) : null;
        c.current(s);
        if (s == null) {
            return false;
        }
        if (s.expired()) {
            if (server.quirk(Quirk.EXPIRED_ID_POISONS_HANDSHAKE) || data.isArray()) {
                throw new HpxApiError(408, "Session '" + s.id() + "' has expired");
            }
            return false;
        }
        if (!s.contextAlive()) {
            return false;
        }
        c.attach(s);
        s.extend();
        return true;
    }

    private Outcome run(ServerCommand command) {
        switch (command) {
            case RequestAuth:
                return Outcome.WELCOME;
            case ServerQuit:
                server.quit();
                return Outcome.NOTHING;
            case ServerRestart:
            default:
                server.restart();
                return Outcome.NOTHING;
        }
    }
}
