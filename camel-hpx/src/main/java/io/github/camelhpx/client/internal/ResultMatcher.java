package io.github.camelhpx.client.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import io.github.camelhpx.client.FunctionCall;
import io.github.camelhpx.client.FunctionResult;
import io.github.camelhpx.client.HpxError;
import io.github.camelhpx.client.HpxProtocol;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a batch reply back in request order.
 * <p>
 * The server answers with the calls that passed validation, in request order, followed by the calls that
 * failed validation (unknown function, unexpected or missing argument). Those failures are recognised by code
 * and text and given to the first call they fit (same function, and the argument named in the text present or
 * absent); the remaining results go to the remaining calls in order. A failure that fits no call is a stale
 * error of an earlier batch (a quirk of the real server) and is logged and dropped, never handed to a caller;
 * any other result too many, or missing, makes the reply a protocol error. G2 answers strictly in request order.
 */
public final class ResultMatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ResultMatcher.class);

    private static final int INVALID_MESSAGE = 403;
    // A function's name holds no quote: matched so, a message the server repeats "': '" in thousands of times is read
    // in one pass, where "'(.*)': '(.*)'" backtracked over it for seconds.
    private static final Pattern NOT_FOUND = Pattern.compile("Function not found: '(.*)'");
    private static final Pattern UNEXPECTED = Pattern.compile("Unexpected argument in function '([^']*)': '(.*)'");
    private static final Pattern MISSING = Pattern.compile("Missing a required argument in function '([^']*)': '(.*)'");

    private ResultMatcher() {
    }

    public static List<FunctionResult> inRequestOrder(List<FunctionCall> calls, JsonNode replyData, HpxProtocol protocol) {
        if (!replyData.isArray()) {
            throw Envelope.anomaly("to a function call is not a list of function results", replyData);
        }
        List<FunctionResult> results = new ArrayList<>(replyData.size());
        for (JsonNode element : replyData) {
            results.add(parse(element));
        }
        return protocol == HpxProtocol.G2 ? byPosition(calls, results, replyData) : g1Order(calls, results, replyData);
    }

    /** G2 answers one result per call, in request order: anything else cannot be matched with certainty. */
    private static List<FunctionResult> byPosition(List<FunctionCall> calls, List<FunctionResult> results,
            JsonNode replyData) {
        if (results.size() != calls.size()) {
            throw Envelope.anomaly("has " + results.size() + " results for " + calls.size() + " calls", replyData);
        }
        for (int i = 0; i < calls.size(); i++) {
            if (!results.get(i).fname().equals(calls.get(i).fname())) {
                throw Envelope.anomaly("has a result of '" + results.get(i).fname() + "' for call " + i + " ('"
                        + calls.get(i).fname() + "')", replyData);
            }
        }
        return results;
    }

    private static List<FunctionResult> g1Order(List<FunctionCall> calls, List<FunctionResult> results,
            JsonNode replyData) {
        FunctionResult[] ordered = new FunctionResult[calls.size()];
        int validated = results.size();
        while (validated > 0 && isValidationFailure(results.get(validated - 1))) {
            validated--;
        }
        for (FunctionResult failure : results.subList(validated, results.size())) {
            int index = firstFitting(calls, ordered, failure);
            if (index < 0) {
                LOG.warn("Dropping an HPX validation error that belongs to no call of this batch: {}", failure);
            } else {
                ordered[index] = failure;
            }
        }
        int next = 0;
        for (int i = 0; i < ordered.length; i++) {
            if (ordered[i] != null) {
                continue;
            }
            if (next >= validated || !results.get(next).fname().equals(calls.get(i).fname())) {
                throw Envelope.anomaly("has no result for call " + i + " ('" + calls.get(i).fname() + "')", replyData);
            }
            ordered[i] = results.get(next++);
        }
        if (next < validated) {
            // Results that are no validation error and fit no call: which one is whose is a guess, never made.
            throw Envelope.anomaly("has " + (validated - next) + " more results than calls", replyData);
        }
        return Arrays.asList(ordered);
    }

    private static FunctionResult parse(JsonNode element) {
        JsonNode fname = element.get("fname");
        if (!element.isObject() || fname == null || !fname.isTextual()) {
            throw Envelope.anomaly("holds a function result without 'fname'", element);
        }
        JsonNode error = element.get("error");
        HpxError parsedError = error == null || error.isNull() ? null : Envelope.parseError(error, element);
        JsonNode data = element.get("data");
        return new FunctionResult(fname.textValue(), data == null ? NullNode.getInstance() : data,
                parsedError);
    }

    private static boolean isValidationFailure(FunctionResult result) {
        if (result.error() == null || result.error().code() != INVALID_MESSAGE) {
            return false;
        }
        String msg = result.error().msg();
        return NOT_FOUND.matcher(msg).matches() || UNEXPECTED.matcher(msg).matches() || MISSING.matcher(msg).matches();
    }

    private static int firstFitting(List<FunctionCall> calls, FunctionResult[] taken, FunctionResult failure) {
        String msg = failure.error().msg();
        Matcher unexpected = UNEXPECTED.matcher(msg);
        Matcher missing = MISSING.matcher(msg);
        for (int i = 0; i < calls.size(); i++) {
            FunctionCall call = calls.get(i);
            if (taken[i] != null || !call.fname().equals(failure.fname())) {
                continue;
            }
            boolean fits = unexpected.matches() ? call.args().containsKey(unexpected.group(2))
                    : !missing.matches() || !call.args().containsKey(missing.group(2));
            if (fits) {
                return i;
            }
        }
        return -1;
    }
}
