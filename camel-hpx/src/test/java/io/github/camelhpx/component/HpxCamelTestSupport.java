package io.github.camelhpx.component;

import io.github.camelhpx.testkit.HpxTestServer;

import org.apache.camel.CamelContext;
import org.apache.camel.test.junit5.CamelTestSupport;

/** A Camel test whose hpx component points at the class's embedded server, with timeouts short enough for tests. */
abstract class HpxCamelTestSupport extends CamelTestSupport {

    protected abstract HpxTestServer server();

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
