package io.github.camelhpx.component;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;

import org.apache.camel.CamelContext;
import org.apache.camel.test.junit5.CamelTestSupport;

/**
 * A Camel test whose hpx component points at the class's server, with timeouts short enough for tests: the
 * embedded one, or the real HPX server the {@code hpx.it.*} properties name for a class whose extension allows it
 * ({@link HpxTestServerExtension#orRealServer}).
 */
abstract class HpxCamelTestSupport extends CamelTestSupport {

    protected abstract HpxTestServerExtension hpx();

    /** The embedded server; against a real server, a test that asks is skipped. */
    protected HpxTestServer server() {
        return hpx().server();
    }

    /** The generation of the class's server: G2 when the suite runs with {@code hpx.testkit.protocol=g2}. */
    protected Protocol protocol() {
        return hpx().protocol();
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
        hpx.setHost(hpx().host());
        hpx.setPort(hpx().port());
        hpx.setUser(hpx().user());
        hpx.setPassword(hpx().password());
        hpx.setConnectTimeout(5_000);
        hpx.setRequestTimeout(5_000);
        return context;
    }
}
