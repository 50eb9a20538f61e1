package io.github.camelhpx.component;

import java.util.concurrent.CompletableFuture;

import io.github.camelhpx.client.HpxClient;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.spi.RouteIdAware;
import org.apache.camel.support.AsyncCallbackToCompletableFutureAdapter;
import org.apache.camel.support.SynchronousDelegateProducer;

/**
 * {@code synchronous=true}: Camel's synchronous delegate, which runs the producer to its end on the route's
 * thread, made an {@link AsyncProducer} itself so that Camel does not wrap it once more, and passing on the route
 * id Camel gives it: the producer names its health check after it. On a G2 connection's reader (a route that goes
 * on there after an asynchronous hpx call) it does not wait: the reply it would wait for may be that thread's to
 * read, so the call goes out asynchronously.
 */
final class HpxSynchronousProducer extends SynchronousDelegateProducer implements AsyncProducer, RouteIdAware {

    private final HpxProducer producer;

    HpxSynchronousProducer(HpxProducer producer) {
        super(producer);
        this.producer = producer;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        if (HpxClient.onReaderThread()) {
            return producer.process(exchange, callback);
        }
        try {
            process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        callback.done(true);
        return true;
    }

    @Override
    public CompletableFuture<Exchange> processAsync(Exchange exchange) {
        AsyncCallbackToCompletableFutureAdapter<Exchange> callback = new AsyncCallbackToCompletableFutureAdapter<>(exchange);
        process(exchange, callback);
        return callback.getFuture();
    }

    @Override
    public String getRouteId() {
        return producer.getRouteId();
    }

    @Override
    public void setRouteId(String routeId) {
        producer.setRouteId(routeId);
    }
}
