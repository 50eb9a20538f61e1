package io.github.camelhpx.component;

import java.util.function.Consumer;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultConsumer;

/** Sends one message a consumer received through its route, on the calling thread. */
final class HpxEmitter {

    private HpxEmitter() {
    }

    /**
     * A failure of the route goes to the consumer's exception handler: the message was taken from the server
     * already, so there is nothing to retry.
     */
    static void emit(DefaultConsumer consumer, Consumer<Message> content) {
        Exchange exchange = consumer.createExchange(false);
        try {
            content.accept(exchange.getMessage());
            consumer.getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            consumer.getExceptionHandler().handleException("Error processing exchange", exchange, exchange.getException());
        }
        consumer.releaseExchange(exchange, false);
    }
}
