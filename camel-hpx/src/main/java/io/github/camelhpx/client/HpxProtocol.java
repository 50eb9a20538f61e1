package io.github.camelhpx.client;

/**
 * The generation of the HPX protocol a connection speaks. A server speaks one; its welcome's first byte tells
 * which (a gzip header in G1, a MessagePack map in G2).
 */
public enum HpxProtocol {

    /** Whatever the server speaks, as its welcome shows (the default). */
    AUTO,

    /** HPX 0.x: gzip-compressed JSON, one request in flight per connection. */
    G1,

    /** HPX 1.0: MessagePack with an {@code __id__} per request, several requests in flight per connection. */
    G2;
}
