package io.github.camelhpx.benchmarks;

import java.util.Map;

/** The measured calls: their request {@code data} as the bare socket sends it, their arguments as the client's. */
final class Calls {

    static final String GET_VERSION = "[{\"fname\": \"get_version\"}]";

    private Calls() {
    }

    static String getItems(int limit) {
        return "[{\"fname\": \"get_items\", \"item_type\": 1, \"limit\": " + limit + "}]";
    }

    /** The arguments of {@link #getItems(int)}'s call, for {@code HpxClient}. */
    static Map<String, Object> getItemsArgs(int limit) {
        return Map.of("item_type", 1, "limit", limit);
    }
}
