package io.github.camelhpx.component;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.camelhpx.client.Broadcast;
import io.github.camelhpx.client.CommandResult;
import io.github.camelhpx.client.FunctionResult;
import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.client.ServerCommand;
import io.github.camelhpx.client.Welcome;

import org.apache.camel.Message;

/** Puts the server's answer into the exchange's message: the body and the headers of {@link HpxConstants}. */
final class HpxReplyWriter {

    private final ObjectMapper mapper;
    private final Class<?> outputClass;
    private final boolean sessionFromHeader;

    /** @param sessionFromHeader whether calls run in the message's session, whose header then stays as it is */
    HpxReplyWriter(ObjectMapper mapper, Class<?> outputClass, boolean sessionFromHeader) {
        this.mapper = mapper;
        this.outputClass = outputClass;
        this.sessionFromHeader = sessionFromHeader;
    }

    void call(Message message, String fname, JsonNode data, HpxClient client) {
        bound(message, fname, outputClass == null ? data : client.bind(fname, data, outputClass), client);
    }

    /** A call whose data the client has already bound to the output class. */
    void bound(Message message, String fname, Object body, HpxClient client) {
        message.setBody(body);
        message.setHeader(HpxConstants.CALLED_FUNCTION, fname);
        session(message, client);
    }

    void awaited(Message message, String fname, CommandResult result, HpxClient client) {
        call(message, fname, result.value(), client);
        message.setHeader(HpxConstants.COMMAND_ID, result.commandId());
        message.setHeader(HpxConstants.COMMAND_STATE, result.state().wireName());
    }

    /**
     * The body becomes an array with one object per call, in request order, shaped like the server's own
     * function results: {@code fname}, {@code data}, and for a failed call {@code error} with {@code code} and
     * {@code msg}. The failures are counted in a header, so a route can branch without scanning the list.
     */
    void batch(Message message, List<FunctionResult> results, HpxClient client) {
        ArrayNode body = mapper.createArrayNode();
        int failures = 0;
        for (FunctionResult result : results) {
            ObjectNode element = body.addObject();
            element.put("fname", result.fname());
            element.set("data", result.data());
            if (!result.isSuccess()) {
                failures++;
                element.putObject("error").put("code", result.error().code()).put("msg", result.error().msg());
            }
        }
        message.setBody(body);
        message.setHeader(HpxConstants.BATCH_FAILURES, failures);
        session(message, client);
    }

    /**
     * {@code requestauth} answers with the server's welcome; quit and restart with nothing. A logout of the
     * message's session takes its header away.
     */
    void command(Message message, ServerCommand command, JsonNode welcome, HpxClient client) {
        message.setBody(welcome);
        message.setHeader(HpxConstants.CALLED_FUNCTION, command.wireName());
        session(message, client);
        if (sessionFromHeader && command == ServerCommand.DROP_AUTH) {
            message.removeHeader(HpxConstants.SESSION_ID);
        }
    }

    /** A login: the body stays, the session header is the new session's. */
    void login(Message message, String session, HpxClient client) {
        message.setHeader(HpxConstants.CALLED_FUNCTION, HpxEndpoint.HANDSHAKE);
        welcome(message, client);
        message.setHeader(HpxConstants.SESSION_ID, session);
    }

    /** The body is the broadcast's data as the server sent it: 1 or 2, or the strings of older servers. */
    void broadcast(Message message, Broadcast broadcast) {
        message.setBody(broadcast.data());
        message.setHeader(HpxConstants.BROADCAST, protocolName(broadcast.command()));
        message.setHeader(HpxConstants.SERVER_NAME, broadcast.serverName());
        message.setHeader(HpxConstants.SERVER, broadcast.server().toString());
        message.setHeader(HpxConstants.PROTOCOL, broadcast.protocol().name());
        if (!broadcast.sessionId().isEmpty()) {
            message.setHeader(HpxConstants.SESSION_ID, broadcast.sessionId());
        }
    }

    /**
     * Before a call: what an earlier hpx call of the route (or a broadcast) said of its reply is not said of this one,
     * whether it succeeds or fails: a failed call's error handler must not read another server's name as its own. The
     * session id stays, an input with {@code sessionFromHeader}.
     */
    static void startReply(Message message) {
        message.removeHeader(HpxConstants.CALLED_FUNCTION);
        message.removeHeader(HpxConstants.COMMAND_ID);
        message.removeHeader(HpxConstants.COMMAND_STATE);
        message.removeHeader(HpxConstants.BATCH_FAILURES);
        message.removeHeader(HpxConstants.SERVER);
        message.removeHeader(HpxConstants.SERVER_NAME);
        message.removeHeader(HpxConstants.SERVER_VERSION);
        message.removeHeader(HpxConstants.PROTOCOL);
    }

    private void session(Message message, HpxClient client) {
        if (!sessionFromHeader) {
            message.setHeader(HpxConstants.SESSION_ID, client.sessionId());
        }
        welcome(message, client);
    }

    private static void welcome(Message message, HpxClient client) {
        Welcome welcome = client.welcome();
        if (welcome != null) {
            message.setHeader(HpxConstants.SERVER, String.valueOf(client.server()));
            message.setHeader(HpxConstants.SERVER_NAME, welcome.serverName());
            message.setHeader(HpxConstants.SERVER_VERSION, welcome.coreVersion());
            message.setHeader(HpxConstants.PROTOCOL, client.protocol().name());
        }
    }

    /** The command's name in the HPX protocol, e.g. {@code ServerQuit} for {@code SERVER_QUIT}. */
    private static String protocolName(ServerCommand command) {
        StringBuilder name = new StringBuilder();
        for (String word : command.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }
}
