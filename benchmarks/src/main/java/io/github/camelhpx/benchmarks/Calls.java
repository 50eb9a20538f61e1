package io.github.camelhpx.benchmarks;

/** The request {@code data} of the measured calls, as the bare socket sends them. */
final class Calls {

    static final String GET_VERSION = "[{\"fname\": \"get_version\"}]";

    private Calls() {
    }

    static String getItems(int limit) {
        return "[{\"fname\": \"get_items\", \"item_type\": 1, \"limit\": " + limit + "}]";
    }
}
