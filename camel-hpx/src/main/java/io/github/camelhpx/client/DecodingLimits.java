package io.github.camelhpx.client;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What decoding one reply may build, derived from {@code maxMessageSize}, so that a reply under the size limit
 * still cannot fill the heap: a 60 MB reply of tiny objects (a few kilobytes compressed) is millions of nodes.
 * <p>
 * Real replies hold at least ~15 bytes per token (a gallery: ~900 bytes of JSON, ~60 tokens), so one token per
 * {@value #BYTES_PER_TOKEN} bytes of the limit lets every real reply through and refuses bombs of empty objects
 * with a typed error before their tree exists.
 */
final class DecodingLimits {

    static final int BYTES_PER_TOKEN = 16;
    private static final long MIN_TOKENS = 100_000;

    private DecodingLimits() {
    }

    /** The most tokens (JSON) or values (MessagePack) one message may hold. */
    static long maxTokens(long maxMessageSize) {
        return Math.max(MIN_TOKENS, maxMessageSize / BYTES_PER_TOKEN);
    }

    /** A copy of {@code mapper} whose parsers enforce the limits; the caller's mapper is left as it is. */
    static ObjectMapper bounded(ObjectMapper mapper, long maxMessageSize) {
        ObjectMapper copy = mapper.copy();
        copy.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxTokenCount(maxTokens(maxMessageSize))
                .maxNestingDepth(MsgpackFrameDecoder.MAX_DEPTH)
                .maxStringLength((int) Math.min(Integer.MAX_VALUE - 8, maxMessageSize))
                .build());
        return copy;
    }
}
