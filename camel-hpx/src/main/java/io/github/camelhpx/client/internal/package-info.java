/**
 * The HPX client's machinery, not an API: public only for {@code io.github.camelhpx.client}, and free to change.
 * <p>
 * Layers, from the wire up:
 * <ol>
 * <li>Framing and codecs: {@link io.github.camelhpx.client.internal.WireCodec}, one per protocol generation for both
 * directions ({@link io.github.camelhpx.client.internal.MessageCodec} for G1, {@link io.github.camelhpx.client.internal.MsgpackCodec}
 * for G2), over the frame decoders and the decoding limits.</li>
 * <li>Connections: a {@link io.github.camelhpx.client.internal.Link} reads the welcome and picks the codec;
 * {@link io.github.camelhpx.client.internal.HpxConnection} (G1, lock-step) and
 * {@link io.github.camelhpx.client.internal.MultiplexedConnection} (G2, many calls in flight, one reader) are both
 * {@link io.github.camelhpx.client.internal.Exchanger}s.</li>
 * <li>Transports: {@link io.github.camelhpx.client.internal.LockstepPool} and
 * {@link io.github.camelhpx.client.internal.MultiplexPool} lend an exchanger to each call.</li>
 * <li>The session: {@link io.github.camelhpx.client.internal.SessionKeeper} (handshake, renewal), written once
 * against {@code Exchanger}, so it does not know the generation.</li>
 * </ol>
 */
package io.github.camelhpx.client.internal;
