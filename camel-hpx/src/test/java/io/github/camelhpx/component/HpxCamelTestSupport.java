package io.github.camelhpx.component;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.Protocol;

import org.apache.camel.CamelContext;
import org.apache.camel.test.junit5.CamelTestSupport;

/** A Camel test whose hpx component points at the class's embedded server, with timeouts short enough for tests. */
abstract class HpxCamelTestSupport extends CamelTestSupport {

    protected abstract HpxTestServer server();

    /** The generation of the class's server: G2 when the suite runs with {@code hpx.testkit.protocol=g2}. */
    protected Protocol protocol() {
        return server().protocol();
    }

    /** The items of a {@code get_items} result: G1 sends a list, G2 {@code {count, items}}. */
    protected JsonNode items(JsonNode result) {
        return protocol() == Protocol.G2 ? result.get("items") : result;
    }

    /** An endpoint URI's options that point it at {@code other} instead of the class's server. */
    protected static String at(HpxTestServer other) {
        return "host=" + other.host() + "&port=" + other.port() + "&protocol=" + other.protocol().name().toLowerCase();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        HpxConfiguration hpx = context.getComponent("hpx", HpxComponent.class).getConfiguration();
        hpx.setHost(server().host());
        hpx.setPort(server().port());
        hpx.setConnectTimeout(5_000);
        hpx.setRequestTimeout(5_000);
        return context;
    }
}
