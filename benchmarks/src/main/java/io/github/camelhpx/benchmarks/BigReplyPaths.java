package io.github.camelhpx.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.github.camelhpx.client.FunctionCall;
import io.github.camelhpx.client.HpxClient;

/**
 * The ways of receiving a big {@code get_items} reply that are compared, each from request to result, the
 * limit's beside the client's: the reply's JSON as {@code byte[]}, the galleries bound to {@link Gallery}
 * records, and a {@code JsonNode}. {@link BigReplyBenchmark}, {@link PairedRatioBenchmark} and
 * {@link PeakHeapProbe} all call these, so a path's name means the same work in every table.
 */
final class BigReplyPaths {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectReader REPLY = MAPPER.readerFor(GetItemsReply.class);
    private static final TypeReference<List<Gallery>> GALLERIES = new TypeReference<>() { };

    private BigReplyPaths() {
    }

    /** The limit: the reply's JSON in an array of its own. */
    static byte[] limitBytes(BareSocketHpx bare, byte[] request) {
        return bare.callForBytes(request);
    }

    /** The limit, then Jackson binds the whole message to records: what a bare client does to get objects. */
    static List<Gallery> limitTyped(BareSocketHpx bare, byte[] request) {
        try {
            return REPLY.<GetItemsReply>readValue(bare.callForBytes(request)).galleries();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The limit, then Jackson's {@code readTree} of the same bytes. */
    static JsonNode limitTree(BareSocketHpx bare, byte[] request) {
        try {
            return MAPPER.readTree(bare.callForBytes(request));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client's byte[] path: the whole reply message as the server sent it, like {@link #limitBytes}. */
    static byte[] clientBytes(HpxClient client, Map<String, ?> args) {
        return client.callAllRaw(List.of(FunctionCall.of("get_items", args)));
    }

    /** The client's typed path: the function's {@code data} bound from the decompressing stream. */
    static List<Gallery> clientTyped(HpxClient client, Map<String, ?> args) {
        return client.call("get_items", args, GALLERIES);
    }

    static JsonNode clientTree(HpxClient client, Map<String, ?> args) {
        return client.call("get_items", args);
    }

    /** The reply message to one {@code get_items} call. */
    record GetItemsReply(String session, String name, List<Result> data) {

        record Result(String fname, List<Gallery> data) {
        }

        List<Gallery> galleries() {
            return data.get(0).data();
        }
    }
}
