package io.github.camelhpx.component;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.github.camelhpx.client.FunctionCall;
import io.github.camelhpx.client.ServerCommand;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;
import org.apache.camel.WrappedFile;

/**
 * Reads an {@link HpxExchangeRequest} from a message. The body is turned into JSON (text is parsed, anything else
 * converted by Jackson): an array is a batch of calls that each name their {@code fname}; an object, or no
 * body, gives the arguments of a call to the endpoint's function, over the endpoint's {@code arg.*} options.
 */
final class HpxRequestReader {

    /** The exchange property that keeps what a stream body held, once read. */
    private static final String READ_ONCE = "CamelHpxBodyRead";

    private record ReadOnce(Object stream, Object content) {
    }

    private final String function;
    private final boolean allowServerCommands;
    private final boolean sessionFromHeader;
    private final ObjectMapper mapper;
    private final ObjectReader strictReader;
    private final Map<String, JsonNode> endpointArgs;

    HpxRequestReader(HpxEndpoint endpoint, ObjectMapper mapper) {
        HpxConfiguration configuration = endpoint.getConfiguration();
        this.function = endpoint.getFunction();
        this.allowServerCommands = configuration.isAllowServerCommands();
        this.sessionFromHeader = configuration.isSessionFromHeader();
        this.mapper = mapper;
        this.strictReader = HpxArgs.strictReader(mapper);
        this.endpointArgs = HpxArgs.of(configuration, mapper);
    }

    HpxExchangeRequest read(Message message) {
        String fname = message.getHeader(HpxConstants.FUNCTION, function, String.class);
        if (HpxEndpoint.HANDSHAKE.equals(fname)) {
            // The password's header goes before anything can fail: a failed exchange must not carry it on.
            String password = message.getHeader(HpxConstants.PASSWORD, String.class);
            message.removeHeader(HpxConstants.PASSWORD);
            requireServerCommands(fname);
            return login(message, password);
        }
        Object raw = message.getBody();
        // The client's own call objects are taken as they are: as JSON they would be {"fname", "args"}.
        if (raw instanceof FunctionCall call) {
            return new HpxExchangeRequest.Call(call);
        }
        if (raw instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(FunctionCall.class::isInstance)) {
            return new HpxExchangeRequest.Batch(list.stream().map(FunctionCall.class::cast).toList());
        }
        JsonNode body = bodyAsJson(message, raw);
        if (body.isArray()) {
            return new HpxExchangeRequest.Batch(batch(body));
        }
        Optional<ServerCommand> command = ServerCommand.byName(fname);
        if (command.isPresent()) {
            requireServerCommands(fname);
            if (sessionFromHeader && command.get() == ServerCommand.REQUEST_AUTH) {
                throw new IllegalArgumentException("requestauth logs the endpoint's own session in again; with"
                                                   + " sessionFromHeader=true log users in with hpx:"
                                                   + HpxEndpoint.HANDSHAKE);
            }
            return new HpxExchangeRequest.Command(command.get());
        }
        if (!body.isObject() && !body.isNull()) {
            throw new IllegalArgumentException("The arguments of HPX function '" + fname
                                               + "' must be a JSON object, not " + body.getNodeType());
        }
        Map<String, Object> args = new LinkedHashMap<>(endpointArgs);
        body.properties().forEach(field -> args.put(field.getKey(), field.getValue()));
        return new HpxExchangeRequest.Call(FunctionCall.of(fname, args));
    }

    /**
     * The session the message's call runs in: with sessionFromHeader the one in its CamelHpxSessionId header,
     * which it must have; otherwise {@code null}, the endpoint's own.
     */
    String session(Message message) {
        if (!sessionFromHeader) {
            return null;
        }
        String session = message.getHeader(HpxConstants.SESSION_ID, String.class);
        if (session == null || session.isEmpty()) {
            throw new IllegalArgumentException("The endpoint has sessionFromHeader=true but the message has no "
                                               + HpxConstants.SESSION_ID + " header: log the user in first (hpx:"
                                               + HpxEndpoint.HANDSHAKE + ")");
        }
        return session;
    }

    private void requireServerCommands(String fname) {
        if (!allowServerCommands) {
            throw new IllegalArgumentException("'" + fname + "' is an HPX server command; the endpoint must set"
                                               + " allowServerCommands=true to send it");
        }
    }

    /** The user of the headers with {@code password}, taken from them already. */
    private static HpxExchangeRequest.Login login(Message message, String password) {
        String user = message.getHeader(HpxConstants.USER, String.class);
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("hpx:" + HpxEndpoint.HANDSHAKE + " logs in the user of the "
                                               + HpxConstants.USER + " header, which the message lacks");
        }
        if (password == null) {
            // Sent as null, it would log the user "default" in on HPX 0.x even where the server disabled that user.
            throw new IllegalArgumentException("hpx:" + HpxEndpoint.HANDSHAKE + " needs the password of the "
                                               + HpxConstants.PASSWORD + " header, which the message lacks");
        }
        return new HpxExchangeRequest.Login(user, password);
    }

    private List<FunctionCall> batch(JsonNode calls) {
        List<FunctionCall> batch = new ArrayList<>(calls.size());
        for (JsonNode element : calls) {
            JsonNode fname = element.get("fname");
            if (!element.isObject() || fname == null || !fname.isTextual()) {
                throw new IllegalArgumentException("Call " + batch.size() + " of the HPX batch is no object with a"
                                                   + " string 'fname'");
            }
            Map<String, Object> args = new LinkedHashMap<>();
            element.properties().forEach(field -> args.put(field.getKey(), field.getValue()));
            args.remove("fname");
            batch.add(FunctionCall.of(fname.textValue(), args));
        }
        return batch;
    }

    private JsonNode bodyAsJson(Message message, Object body) {
        if (isContent(body)) {
            // What a stream, a reader or a file holds is the text of the arguments; as an object it has no JSON form.
            body = content(message, body);
        }
        try {
            if (body instanceof String text) {
                return text.isBlank() ? mapper.nullNode() : strictReader.readTree(text);
            }
            if (body instanceof byte[] bytes) {
                return bytes.length == 0 ? mapper.nullNode() : strictReader.readTree(bytes);
            }
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException("The body is not JSON: " + reason, e);
        }
        JsonNode json = mapper.valueToTree(body);
        return json == null || json.isMissingNode() ? mapper.nullNode() : json;
    }

    /**
     * The text or bytes {@code body} holds. A stream or a reader can be read once only, and a redelivery gets the
     * message as it was before the failed attempt, with the same stream, read to its end (where Camel's stream caching
     * is off): what the first attempt read is kept on the exchange, whose properties a redelivery leaves, for the
     * same stream. (Camel resets a StreamCache, and a file is read anew.) It is kept as long as the exchange: a
     * redelivery of an outer route, which restores the same stream, may come after this call succeeded.
     */
    private static Object content(Message message, Object body) {
        Exchange exchange = message.getExchange();
        boolean once = (body instanceof InputStream || body instanceof Reader) && !(body instanceof StreamCache);
        if (!once) {
            return read(message, body);
        }
        ReadOnce read = exchange.getProperty(READ_ONCE, ReadOnce.class);
        Object content = read != null && read.stream() == body ? read.content() : read(message, body);
        exchange.setProperty(READ_ONCE, new ReadOnce(body, content));
        // And for whatever handles a failure of this attempt (a dead letter channel): the stream is read.
        message.setBody(content);
        return content;
    }

    /** As text where characters are given or a charset is named; else as bytes, whose encoding Jackson detects. */
    private static Object read(Message message, Object body) {
        boolean asText = body instanceof Reader || message.getExchange().getProperty(Exchange.CHARSET_NAME) != null;
        Object content = asText ? message.getBody(String.class) : message.getBody(byte[].class);
        if (content == null) {
            throw new IllegalArgumentException("The body (" + body.getClass().getName() + ") could not be read");
        }
        return content;
    }

    private static boolean isContent(Object body) {
        return body instanceof InputStream || body instanceof Reader || body instanceof StreamCache
               || body instanceof WrappedFile || body instanceof File || body instanceof Path;
    }
}
