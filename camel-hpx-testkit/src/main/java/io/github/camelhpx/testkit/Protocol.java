package io.github.camelhpx.testkit;

/**
 * The wire generation a server speaks (hpx-protocol.md §0). A server cannot detect the client's generation,
 * because it speaks first, so each server runs exactly one.
 */
public enum Protocol {
    /** HPX 0.x: gzip-compressed JSON + {@code <EOF>}, root keys session/name/data (§1–§8). The default. */
    G1,
    /** HPX 1.0: one MessagePack map + {@code <EOF>}, root keys {@code __id__}/command/session/name/data (§9). */
    G2
}
