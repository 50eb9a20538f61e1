/**
 * A Java client for HappyPanda X (HPX) servers, in both generations of their protocol: the API.
 * <p>
 * {@link io.github.camelhpx.client.HpxClient} and its builder, the request object
 * {@link io.github.camelhpx.client.HpxRequest} (run blocking or asynchronously, within one deadline), the calls and
 * results ({@link io.github.camelhpx.client.FunctionCall}, {@link io.github.camelhpx.client.FunctionResult}),
 * broadcasts and their watch, asynchronous commands, and the exceptions, all {@link io.github.camelhpx.client.HpxException}s.
 * Nothing here depends on Camel.
 * <p>
 * The machinery lives in {@code io.github.camelhpx.client.internal}: the wire codecs of G1 (gzip JSON) and G2
 * (MessagePack) behind one interface, the two kinds of connection (G1 lock-step, G2 multiplexed by
 * {@code __id__} with one reader completing calls), their pools, the HPX session state and the per-call deadline.
 * Its classes are public only so that this package can use them; they are not an API and change without notice.
 */
package io.github.camelhpx.client;
